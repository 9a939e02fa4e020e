"""The contract's worklists as a load sees them: their rows before and after it (contract §4).

A load takes a snapshot of every worklist (``Kind: worklist``) as of its day before it writes
and another after, and records the rows that appeared and disappeared (e.g. a household that
lost its last helper). A worklist whose Cypher names none of the labels and relationship types
the load writes cannot change, and is not run.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import neo4j

from queries.registry import QuerySpec, specs
from queries.runner import Result, execute

__all__ = ["WorklistWatch", "reads"]

_IDENTIFIER = re.compile(r":\s*([A-Z][A-Za-z_]*)")


@functools.cache
def reads(name: str) -> frozenset[str]:
    """The labels and relationship types the named query's Cypher names."""
    text = specs()[name].text
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return frozenset(_IDENTIFIER.findall(code))


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def _params(spec: QuerySpec, day: dt.date) -> dict[str, Any]:
    """The worklist's parameters for the day: ``as_of`` the day, ``year`` its year."""
    names = {p.name for p in spec.params}
    params: dict[str, Any] = {}
    if "as_of" in names:
        params["as_of"] = day
    if "year" in names:
        params["year"] = day.year
    return params


class WorklistWatch:
    """Snapshots of the worklists, unscoped, on one driver and database."""

    def __init__(self, driver: neo4j.Driver, database: str) -> None:
        self.driver = driver
        self.database = database
        self.names: tuple[str, ...] = tuple(
            name for name, spec in specs().items() if spec.kind == "worklist"
        )

    def snapshot(self, day: dt.date, touched: set[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for name in self.names:
            if not reads(name) & touched:
                continue
            spec = specs()[name]
            result: Result = execute(self.driver, self.database, name, _params(spec, day))
            out[name] = [
                {k: _json(v) for k, v in row.items() if k not in spec.unstable}
                for row in result.rows
            ]
        return out
