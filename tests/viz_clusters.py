"""A county-scale network for the viz tests and benchmark, built in Python without Neo4j.

:func:`county` takes the synthetic help network of :func:`tests.viz_graphs.help_network` (a
county and its villages), puts its villages under two townships, and returns the rows
``queries/viz/clusters.cypher`` would return for it (figures per village, counted here by the
query's definitions) and the village view without members (what the county-scale page's
contents come from). One village may be renamed (a hostile name, for the escaping tests).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.viz_graphs import help_network
from viz.county import Cluster, tree_from_rows
from viz.graph import Graph
from viz.pages import _edge_on

__all__ = ["COUNTY", "TOWNSHIPS", "county"]

COUNTY = "530521000000"
TOWNSHIPS = {"530521101000": "甲镇", "530521102000": "乙乡"}


def county(
    size: int = 3_000, village_name: str | None = None
) -> tuple[Cluster, Graph, dict[str, Any]]:
    """The laid-out cluster tree, the village view without members, and the rows."""
    graph = help_network(size)
    day = graph.as_of.isoformat()
    villages = [n for n in graph.nodes if n.kind == "region" and n.key != f"r:{COUNTY}"]
    if village_name is not None:
        villages[0].props["name"] = village_name
    townships = list(TOWNSHIPS)
    regions = [{"region_id": COUNTY, "name": "施甸县", "level": "county", "parent_id": None}]
    regions += [
        {"region_id": t, "name": name, "level": "township", "parent_id": COUNTY}
        for t, name in TOWNSHIPS.items()
    ]
    for i, v in enumerate(villages):
        regions.append(
            {
                "region_id": v.props["region_id"],
                "name": v.props["name"],
                "level": "village",
                "parent_id": townships[i * len(townships) // len(villages)],
            }
        )
    edges = [
        {"from": e.source, "to": e.target, "s": e.props.get("start_on").isoformat()}
        for e in graph.edges
        if e.kind == "HELPS"
    ]
    loads = Counter(e["from"] for e in edges if _edge_on(e, day, False))
    helpers_of: dict[str, list[str]] = {}
    for e in edges:
        helpers_of.setdefault(e["to"], []).append(e["from"])
    members = Counter(e.target for e in graph.edges if e.kind == "IN_HOUSEHOLD")
    rows: dict[str, dict[str, Any]] = {}
    for h in (n for n in graph.nodes if n.kind == "household"):
        row = rows.setdefault(
            h.props["region_id"],
            {
                "region_id": h.props["region_id"],
                "households": 0,
                "poor": 0,
                "without_helper": 0,
                "one_helps_many": 0,
                "members": 0,
                "helpers": [],
            },
        )
        helpers = helpers_of.get(h.key, [])
        row["households"] += 1
        row["poor"] += 1
        row["without_helper"] += 0 if helpers else 1
        row["one_helps_many"] += 1 if any(loads[p] >= 2 for p in helpers) else 0
        row["members"] += members[h.key]
        row["helpers"] += [p[2:] for p in helpers if p[2:] not in row["helpers"]]
    tree = tree_from_rows(COUNTY, regions, list(rows.values()))
    keep = {n.key for n in graph.nodes if n.kind != "member"}
    view = Graph(
        "village",
        COUNTY,
        f"r:{COUNTY}",
        graph.as_of,
        [n for n in graph.nodes if n.key in keep],
        [e for e in graph.edges if e.source in keep and e.target in keep],
    )
    return tree, view, {"regions": regions, "villages": list(rows.values())}
