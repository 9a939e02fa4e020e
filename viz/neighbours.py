"""The neighbourhood of nodes (``queries/viz/neighbours.cypher``): what the explorer adds to a
network when a node is expanded, and the network of an entity that no view starts from (an
enterprise, a work team).

Node keys are those of :mod:`viz.graph` (``p:``, ``h:``, ``o:``, ``s:``, ``e:``, ``r:``) and
``t:`` for work teams. :func:`viz.render.vis_items` turns a graph into vis-network items
without a layout (the browser places them beside the node they hang from).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

import neo4j

from queries import cypher
from viz.graph import Graph
from viz.style import NODE_STYLES

__all__ = ["KEY", "LABEL_PREFIX", "MAX_KEYS", "fetch_neighbours", "page_data"]

#: a node key: a prefix and an id of letters, digits and a few marks
KEY = re.compile(r"[phoserst]:[\w.-]{1,64}")
#: the key prefix of each label a card names (queries/card.cypher)
LABEL_PREFIX = {
    "Person": "p:",
    "Household": "h:",
    "Organization": "o:",
    "RelocationSite": "s:",
    "Enterprise": "e:",
    "Region": "r:",
    "WorkTeam": "t:",
}
#: keys one request may expand
MAX_KEYS = 200
#: node-iterations of force simulation a page may spend settling its network
STABILIZE_BUDGET = 100_000
STABILIZE_MIN = 30


def fetch_neighbours(
    driver: neo4j.Driver,
    database: str,
    keys: Iterable[str],
    as_of: dt.date,
    *,
    scope: str | None = None,
    limit: int = 200,
    root: str | None = None,
) -> Graph:
    """The nodes ``keys`` (those in the scope) and their neighbours as of ``as_of``, at most
    ``limit`` per node; ValueError for a malformed key or more than :data:`MAX_KEYS`."""
    keys = list(dict.fromkeys(keys))
    if len(keys) > MAX_KEYS:
        raise ValueError(f"at most {MAX_KEYS} keys at once")
    for key in keys:
        if not KEY.fullmatch(key):
            raise ValueError(f"not a node key: {key!r}")
    records, _, _ = driver.execute_query(
        cypher("viz/neighbours"),
        parameters_={"keys": keys, "as_of": as_of, "limit": limit, "scope": scope},
        database_=database,
        routing_="r",
    )
    nodes: list[Any] = []
    edges: list[Any] = []
    for record in records:
        nodes.extend(record["nodes"])
        edges.extend(record["edges"])
    first = keys[0] if keys else ""
    return Graph.from_rows("neighbours", first[2:], root or first, as_of, nodes, edges)


def page_data(graph: Graph, lang: str = "zh", unmasked: bool = False) -> dict[str, Any]:
    """What a page draws: as :func:`viz.render.vis_data` (positions, options) for a view's
    graph, and for a neighbourhood (which no view lays out) a radial layout around its root;
    the options style every category, so that nodes added later by expanding are drawn too."""
    from viz.render import _options, vis_data

    data = vis_data(graph, lang, unmasked)
    physics = data["options"]["physics"]["enabled"]
    if physics:
        # The simulation starts from the server's layout, so it only needs to settle it: fewer
        # iterations as the network grows keep a page interactive within about 2 s (about
        # 12 ms an iteration at 2,000 nodes on 2 cores, before any drawing).
        stabilization = data["options"]["physics"]["stabilization"]
        stabilization["iterations"] = max(
            STABILIZE_MIN, min(stabilization["iterations"], STABILIZE_BUDGET // len(graph.nodes))
        )
    every = _options(Counter(dict.fromkeys(NODE_STYLES, 1)), physics, len(graph.nodes))
    data["options"]["groups"] = every["groups"]
    return data
