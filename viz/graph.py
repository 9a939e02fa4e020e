"""One network: its nodes and edges as a view's query returned them, deduplicated.

A node is keyed by a prefix of its label and its id (``p:P001``, ``h:H001``, ``o:ORG001``,
``s:AZD001``, ``e:E001``, ``r:530521101201``), so ids of different labels never collide. The
first occurrence of a key wins: the queries list the nodes that matter most first (a helper
before the same person as a household member). Edges whose ends are not both nodes of the
network are dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from neo4j.time import Date

__all__ = ["Edge", "Graph", "Node"]

#: keys of a node row that are neither its key, its kind nor its properties
_NODE_FIELDS = ("key", "kind", "props")


@dataclass(slots=True)
class Node:
    key: str
    #: the role of the node in its view: helper, household, member, party_member,
    #: unassigned_member, site, organization, region, enterprise, person
    kind: str
    #: the node's properties in the graph (dates as ``datetime.date``)
    props: dict[str, Any]
    #: what the query computed for it: ``load`` (a helper's current households), ``members`` (an
    #: organisation's current members), ``category`` and ``current_orgs`` (a relocated member)
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Edge:
    source: str
    target: str
    #: the relationship type (HELPS, IN_HOUSEHOLD, ...)
    kind: str
    props: dict[str, Any]


@dataclass
class Graph:
    #: the view's name (helper, household, village, site, org, chain)
    view: str
    #: the id the view was asked for, and the key of its node
    subject: str
    root: str
    as_of: dt.date
    nodes: list[Node]
    edges: list[Edge]

    @classmethod
    def from_rows(
        cls,
        view: str,
        subject: str,
        root: str,
        as_of: dt.date,
        node_rows: Iterable[Mapping[str, Any]],
        edge_rows: Iterable[Mapping[str, Any]],
    ) -> Graph:
        nodes: dict[str, Node] = {}
        for row in node_rows:
            key = row["key"]
            if key in nodes:
                continue
            info = {k: v for k, v in row.items() if k not in _NODE_FIELDS and v is not None}
            nodes[key] = Node(key, row["kind"], _native(row.get("props") or {}), info)
        edges = [
            Edge(row["from"], row["to"], row["kind"], _native(row.get("props") or {}))
            for row in edge_rows
            if row["from"] in nodes and row["to"] in nodes
        ]
        return cls(view, subject, root, as_of, list(nodes.values()), edges)

    @property
    def root_node(self) -> Node | None:
        for node in self.nodes:
            if node.key == self.root:
                return node
        return None


def _native(props: Mapping[str, Any]) -> dict[str, Any]:
    """Neo4j dates to ``datetime.date``; other values unchanged."""
    return {k: v.to_native() if type(v) is Date else v for k, v in props.items()}
