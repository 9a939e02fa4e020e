"""Python steps that follow a named query's Cypher (the header's ``Post:`` line).

A step takes the :class:`queries.runner.Result` of the Cypher, its values as the driver gives
them (Neo4j's temporal types: ``queries.runner.to_python`` converts them where needed), and
returns the query's answer in Python values. They exist where Cypher is the wrong tool, and
each says why.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import networkx as nx

from queries.registry import get
from queries.runner import to_python

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

    The Cypher (``queries/pairing_patterns.cypher``) has classed the helper stars (a helper
    whose households have no other current helper: one_to_one or one_to_many) from degrees and
    sends their pairings with their component's smallest id. The few other pairings are classed
    here: a household whose helpers help no one else is the centre of a many_to_one star; what
    is left forms many_to_many components, found by networkx (Cypher has no connected
    components: the Graph Data Science library is not part of Neo4j Community).

    Components are numbered 1, 2, ... in the order of their smallest id (a number, because an
    id could name a helper or household outside the caller's scope). Each listed pairing gets
    its component's number, size and class, and whether its declared form matches the class;
    the summary counts the listed components per class and the pairings whose form does not
    match.
    """
    found = result.rows[0]
    Key = tuple[str, str]  # a component's smallest id, and its kind (h, p): ties broken
    #: node (kind, id) → its component's (key, helpers, households, class), for the others
    component_of: dict[tuple[str, str], tuple[Key, int, int, str]] = {}
    keys: set[Key] = {(k[0], k[1]) for k in found["stars"] if k is not None}
    by_household: dict[str, list[tuple[str, int]]] = {}
    for helper, household, helped in found["others"]:
        by_household.setdefault(household, []).append((helper, helped))
    mixed = nx.Graph()
    for household, helping in by_household.items():
        if all(helped == 1 for _, helped in helping):  # a many_to_one star
            members = [(household, "h")] + [(helper, "p") for helper, _ in helping]
            key = min(members)
            info = (key, len(helping), 1, _component_class(len(helping), 1))
            for member_id, kind in members:
                component_of[(kind, member_id)] = info
            keys.add(key)
        else:
            mixed.add_edges_from((("p", helper), ("h", household)) for helper, _ in helping)
    for nodes in nx.connected_components(mixed):
        key = min((i, kind) for kind, i in nodes)
        size_p = sum(1 for kind, _ in nodes if kind == "p")
        size_h = len(nodes) - size_p
        info = (key, size_p, size_h, _component_class(size_p, size_h))
        for node in nodes:
            component_of[node] = info
        keys.add(key)
    number = {key: n for n, key in enumerate(sorted(keys), start=1)}
    per_class: Counter[str] = Counter()
    listed: set[int] = set()
    rows = []
    mismatched = 0
    for helper_id, helper_name, household_id, region_id, form, start_on, star, dp in found[
        "pairings"
    ]:
        if star is not None:
            key, helpers, households = (star[0], star[1]), 1, dp
            cls = _component_class(1, dp)
        else:
            key, helpers, households, cls = component_of[("p", helper_id)]
        component = number[key]
        if component not in listed:
            listed.add(component)
            per_class[cls] += 1
        matches = None if form is None else form == cls
        mismatched += matches is False
        rows.append(
            {
                "helper_id": helper_id,
                "helper_name": helper_name,
                "household_id": household_id,
                "region_id": region_id,
                "declared_form": form,
                "start_on": dt.date.fromisoformat(start_on),
                "component": component,
                "component_helpers": helpers,
                "component_households": households,
                "component_class": cls,
                "form_matches": matches,
            }
        )
    rows.sort(key=lambda r: (r["component"], r["helper_id"], r["household_id"]))
    columns = list(get(result.query).columns)
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
    for row in map(to_python, result.rows):
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
