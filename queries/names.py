"""Names for ids: one look-up step where answers are shown to people (pages, downloads).

Worklists and cards carry codes (``530521202201``, ``O530502003205004``, ``H001``); people read
names. :func:`lookup` turns the ids of an answer into what a reader needs, with one query per
kind of id (``queries/names/KIND.cypher``), whatever the number of ids, and within the caller's
scope: an id outside it gets no name (it is shown as its code, as before).

======================  ======================================================================
kind                    what is looked up
======================  ======================================================================
``region``              name, level, and the names from the top down (保山市 施甸县 摆榔乡 杨庄村)
``household``           the name of its head (户主), its division
``organization``        name, kind
``site``                name
``person``              name
======================  ======================================================================

The worklists' Cypher stays as it is: names are joined where the rows are presented.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import neo4j

from queries.runner import run

__all__ = ["KINDS", "Names", "lookup"]

#: the kinds of id, and the query file that names them
KINDS: dict[str, str] = {
    "region": "names/regions",
    "household": "names/households",
    "organization": "names/organizations",
    "site": "names/sites",
    "person": "names/persons",
}


@dataclass
class Names:
    """What :func:`lookup` found: per kind, per id, the row of its query (without ``id``)."""

    found: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def get(self, kind: str, key: Any) -> dict[str, Any] | None:
        if key is None:
            return None
        return self.found.get(kind, {}).get(str(key))

    def name(self, kind: str, key: Any) -> str | None:
        """The name a reader knows ``key`` by: a household by its head, others by their
        name; None when there is none (or it lies outside the scope)."""
        row = self.get(kind, key)
        if row is None:
            return None
        value = row.get("head") if kind == "household" else row.get("name")
        return str(value) if value else None

    def path(self, key: Any) -> list[str]:
        """A division's names from the top down (empty when unknown)."""
        row = self.get("region", key)
        return [str(p) for p in (row or {}).get("path") or []]

    def update(self, other: Names) -> None:
        for kind, rows in other.found.items():
            self.found.setdefault(kind, {}).update(rows)


def lookup(
    driver: neo4j.Driver,
    database: str,
    ids: Mapping[str, Iterable[Any]],
    scope: str | None = None,
) -> Names:
    """The names of ``ids`` (kind → ids; kinds of :data:`KINDS`), within ``scope``: one query
    per kind that has ids."""
    names = Names()
    for kind, values in ids.items():
        wanted = sorted({str(v) for v in values if v is not None and v != ""})
        if not wanted:
            continue
        _, rows = run(driver, database, KINDS[kind], {"ids": wanted, "scope": scope})
        names.found[kind] = {str(r.pop("id")): r for r in rows}
    return names
