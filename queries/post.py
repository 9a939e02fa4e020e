"""Python steps that follow a named query's Cypher (the header's ``Post:`` line).

A step takes the :class:`queries.runner.Result` of the Cypher and returns the query's answer.
They exist where Cypher is the wrong tool, and each says why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from queries.runner import Result

__all__ = ["INTERNAL", "STEPS", "card", "pairing_patterns", "provenance"]

CLASSES = ("one_to_one", "one_to_many", "many_to_one", "many_to_many")


def _component_class(helpers: int, households: int) -> str:
    if helpers == 1:
        return "one_to_one" if households == 1 else "one_to_many"
    return "many_to_one" if households == 1 else "many_to_many"


def pairing_patterns(result: Result) -> Result:
    """Connected components of the graph of current pairings (helpers ↔ households).

    networkx because Cypher has no connected components (the Graph Data Science library is
    not part of Neo4j Community): the pairing graph as of a date is read once and its
    components found in linear time. Each pairing row gets its component (a number), the
    component's size and class, and whether its declared form matches the class; the summary
    counts the listed components per class and the pairings whose form does not match. Rows
    outside the caller's scope (``in_scope`` false) are classed with the rest, then dropped.
    """

    g = nx.Graph()
    for row in result.rows:
        g.add_edge(("p", row["helper_id"]), ("h", row["household_id"]))
    component_of: dict[tuple[str, str], tuple[int, int, int, str]] = {}
    per_class: Counter[str] = Counter()
    # Components are numbered 1, 2, ... in the order of their smallest id: a number, because
    # an id could name a helper or household outside the caller's scope.
    components = sorted(nx.connected_components(g), key=lambda c: min(i for _, i in c))
    for key, nodes in enumerate(components, start=1):
        helpers = sum(1 for kind, _ in nodes if kind == "p")
        households = len(nodes) - helpers
        cls = _component_class(helpers, households)
        for node in nodes:
            component_of[node] = (key, helpers, households, cls)
    rows = []
    mismatched = 0
    listed: set[int] = set()
    for full in result.rows:
        row = {k: v for k, v in full.items() if k != "in_scope"}
        if not full["in_scope"]:
            continue
        key, helpers, households, cls = component_of[("p", row["helper_id"])]
        if key not in listed:
            listed.add(key)
            per_class[cls] += 1
        matches = None if row["declared_form"] is None else row["declared_form"] == cls
        mismatched += matches is False
        rows.append(
            {
                **row,
                "component": key,
                "component_helpers": helpers,
                "component_households": households,
                "component_class": cls,
                "form_matches": matches,
            }
        )
    rows.sort(key=lambda r: (r["component"], r["helper_id"], r["household_id"]))
    columns = [c for c in result.columns if c != "in_scope"]
    columns += ["component", "component_helpers", "component_households"]
    columns += ["component_class", "form_matches"]
    summary = {
        "components": {c: per_class.get(c, 0) for c in CLASSES},
        "pairings": len(rows),
        "form_mismatches": mismatched,
    }
    return type(result)(result.query, result.params, columns, rows, summary)


#: properties the loader keeps on every fact for itself: the row key and value digest, the fact
#: a relationship belongs to, and where the fact came from (shown as ``provenance``)
INTERNAL = ("fact_key", "fact_hash", "owner", "source_file", "source_row", "source_load")


def provenance(properties: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A node's or relationship's properties without the loader's own, and its provenance
    ``{"file", "row", "load"}`` (None for what no load wrote)."""
    plain = {k: v for k, v in properties.items() if k not in INTERNAL}
    if properties.get("source_load") is None:
        return plain, None
    return plain, {
        "file": properties.get("source_file"),
        "row": properties.get("source_row"),
        "load": properties.get("source_load"),
    }


def card(result: Result) -> Result:
    """The entity card with provenance (contract §4): the entity's and each relationship's
    ``"provenance": {"file", "row", "load"}`` beside their properties (Cypher 5 has no map
    function to drop keys, so it is done here)."""
    rows = []
    for row in result.rows:
        properties, origin = provenance(row["properties"])
        neighbours = []
        for group in row["neighbours"]:
            items = []
            for item in group["items"]:
                rel, rel_origin = provenance(item.get("relationship_properties") or {})
                items.append({**item, "relationship_properties": rel, "provenance": rel_origin})
            neighbours.append({**group, "items": items})
        rows.append(
            {**row, "properties": properties, "provenance": origin, "neighbours": neighbours}
        )
    columns = list(result.columns)
    if "provenance" not in columns:
        columns.insert(columns.index("properties") + 1, "provenance")
    rows = [{c: row.get(c) for c in columns} for row in rows]
    return type(result)(result.query, result.params, columns, rows, result.summary)


STEPS: dict[str, Callable[[Result], Result]] = {
    "pairing_patterns": pairing_patterns,
    "card": card,
}
