"""Graph analytics with networkx: exports of a network (GraphML, GEXF for Gephi, node-link
JSON) and the figures of the explorer's analytics page.

* :func:`to_networkx` / :func:`export`: a :class:`viz.graph.Graph` as a ``networkx``
  multi-digraph (node attributes: ``label``, ``category`` and the node's properties; edge
  attributes: ``type`` and the relationship's properties; dates as ISO text, lists joined by
  ``、``; id numbers and phones masked unless ``unmasked``), written by networkx's own
  ``write_graphml`` / ``write_gexf`` / ``node_link_data``.
* :func:`help_graph`: the help network as of a date (``queries/viz/help_graph.cypher``):
  helpers, households and organisations joined by current pairings, the helpers' current
  memberships and the organisation tree.
* :func:`centrality`: degree and betweenness on that graph. Exact betweenness is O(n·m); above
  :data:`EXACT_MAX_NODES` nodes it is estimated from ``k`` sampled sources (Brandes, networkx's
  ``k=``; 8 to 64 of them, as many as :data:`SAMPLE_BUDGET` allows), so the cost stays linear
  in the edges. :func:`viz.betweenness.betweenness` computes what networkx's
  ``betweenness_centrality`` does, with the leaf households folded in (6x faster at scale 1).
* :func:`load_histogram` and :func:`component_sizes`: from ``pairing_patterns``' answer.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import neo4j
import networkx as nx

from core.masking import mask, mask_text
from queries.runner import run
from viz.betweenness import betweenness
from viz.graph import Graph
from viz.style import category
from viz.text import node_label

__all__ = [
    "EXACT_MAX_NODES",
    "FORMATS",
    "Central",
    "centrality",
    "component_sizes",
    "export",
    "help_graph",
    "load_histogram",
    "to_networkx",
    "write",
]

#: export formats: (file suffix, content type)
FORMATS = {
    "graphml": ("graphml", "application/graphml+xml"),
    "gexf": ("gexf", "application/gexf+xml"),
    "json": ("json", "application/json"),
}
#: exact betweenness up to this many nodes; above, k-sampled
EXACT_MAX_NODES = 2_000
#: sources sampled for betweenness on a larger graph: as many as fit in this many node and
#: edge visits (one breadth-first search each), between SAMPLES_MIN and SAMPLES_MAX (at scale 1
#: the city's help network has about 270,000 nodes and edges: 8 sources, about 1 s)
SAMPLE_BUDGET = 2_000_000
SAMPLES_MIN = 8
SAMPLES_MAX = 64


def _attr(value: Any) -> Any:
    """A value GraphML and GEXF can hold: text, a number or a boolean (None: leave out)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "、".join(str(_attr(v)) for v in value if v is not None)
    return str(value)


def _attrs(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ((k, _attr(v)) for k, v in props.items()) if v is not None}


def to_networkx(graph: Graph, unmasked: bool = False) -> nx.MultiDiGraph:
    """``graph`` as a networkx multi-digraph (see the module's doc for the attributes)."""
    g = nx.MultiDiGraph(view=graph.view, subject=graph.subject, as_of=graph.as_of.isoformat())
    for node in graph.nodes:
        props = node.props if unmasked else mask(node.props)
        label = node_label(node)
        attrs = _attrs({**props, **node.info})
        attrs["label"] = label if unmasked else mask_text(label)
        attrs["category"] = category(node)
        g.add_node(node.key, **attrs)
    for edge in graph.edges:
        props = edge.props if unmasked else mask(edge.props)
        g.add_edge(edge.source, edge.target, **_attrs(props), type=edge.kind)
    return g


def export(graph: Graph, fmt: str, unmasked: bool = False) -> bytes:
    """The network in ``fmt`` (graphml, gexf or json), UTF-8."""
    return write(to_networkx(graph, unmasked), fmt)


def write(g: nx.Graph, fmt: str, masked: bool = False) -> bytes:
    """A networkx graph in ``fmt`` (graphml, gexf or json), UTF-8; ``masked``: its string
    attributes masked first (:func:`core.masking.mask`)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if masked:
        g = g.copy()
        for _, data in g.nodes(data=True):
            data.update(mask(dict(data)))
        for *_, data in g.edges(data=True):
            data.update(mask(dict(data)))
    if fmt == "json":
        data = nx.node_link_data(g, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    out = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(g, out, encoding="utf-8")
    else:
        nx.write_gexf(g, out, encoding="utf-8")
    return out.getvalue()


# -- the help network -----------------------------------------------------------------------


def help_graph(
    driver: neo4j.Driver,
    database: str,
    as_of: dt.date,
    scope: str | None = None,
    *,
    names: bool = True,
) -> nx.Graph:
    """The help network as of ``as_of`` (undirected): nodes ``p:``/``h:``/``o:`` keys with a
    ``kind`` (helper, household, organization) and a ``name`` (``names=False``: households by
    their id only, as :func:`centrality` needs them)."""
    params = {"as_of": as_of, "scope": scope, "names": names}
    _, rows = run(driver, database, "viz/help_graph", params, collect=True)  # many rows
    return build_help_graph(rows)


def build_help_graph(rows: Iterable[Mapping[str, Any]]) -> nx.Graph:
    """The graph of :func:`help_graph` from the query's rows. A membership of a person who
    helps no household in the graph (outside the scope) is left out."""
    g = nx.Graph()
    kinds = {"p": "helper", "h": "household", "o": "organization"}
    later = []
    for row in rows:
        if row["kind"] == "MEMBER_OF":
            later.append(row)
            continue
        for key, name in ((row["source"], row["source_name"]), (row["target"], row["target_name"])):
            if key not in g:
                label = name or key[2:]
                if key.startswith("h:") and name and name not in (key, key[2:]):
                    label = f"{name}（{key[2:]}）"  # a household, by its head
                g.add_node(key, kind=kinds[key[0]], name=label, label=label)
        g.add_edge(row["source"], row["target"], kind=row["kind"])
    for row in later:
        if row["source"] not in g:
            continue
        if row["target"] not in g:
            name = row["target_name"] or row["target"][2:]
            g.add_node(row["target"], kind="organization", name=name, label=name)
        g.add_edge(row["source"], row["target"], kind="MEMBER_OF")
    return g


@dataclass(frozen=True)
class Central:
    key: str
    name: str
    kind: str
    degree: int
    betweenness: float


def centrality(g: nx.Graph, top: int = 10, seed: int = 1) -> dict[str, Any]:
    """The ``top`` organisations and helpers by betweenness (ties by degree), and how it was
    computed: ``{"organization": [Central...], "helper": [...], "exact": bool, "samples": k}``."""
    n = g.number_of_nodes()
    exact = n <= EXACT_MAX_NODES
    size = n + g.number_of_edges()
    k = None if exact else min(n, max(SAMPLES_MIN, min(SAMPLES_MAX, SAMPLE_BUDGET // size)))
    between = betweenness(g, k=k, seed=seed) if n else {}
    out: dict[str, Any] = {"exact": exact, "samples": k, "nodes": n, "edges": g.number_of_edges()}

    def central(key: str, kind: str) -> Central:
        name = str(g.nodes[key].get("name") or key[2:])
        return Central(key, name, kind, int(g.degree(key)), round(between.get(key, 0.0), 6))

    for kind in ("organization", "helper"):
        keys = [key for key, d in g.nodes(data=True) if d["kind"] == kind]
        keys.sort(key=lambda key: (-between.get(key, 0.0), -g.degree(key), key))
        out[kind] = [central(key, kind) for key in keys[:top]]
        by_degree = sorted(keys, key=lambda key: (-g.degree(key), key))[:top]
        out[f"{kind}_by_degree"] = [central(key, kind) for key in by_degree]
    return out


# -- from pairing_patterns -------------------------------------------------------------------


def load_histogram(rows: Iterable[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """(households helped, helpers helping that many), by households: from the rows of
    ``pairing_patterns`` (one per current pairing)."""
    per_helper = Counter(row["helper_id"] for row in rows)
    return sorted(Counter(per_helper.values()).items())


def component_sizes(rows: Iterable[Mapping[str, Any]]) -> list[tuple[str, int, int, int]]:
    """(class, helpers, households, components of that shape), most common first."""
    seen: dict[int, tuple[str, int, int]] = {}
    for row in rows:
        seen[row["component"]] = (
            row["component_class"],
            row["component_helpers"],
            row["component_households"],
        )
    shapes = Counter(seen.values())
    return [(c, p, h, n) for (c, p, h), n in sorted(shapes.items(), key=lambda kv: (-kv[1], kv[0]))]
