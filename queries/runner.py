"""Running queries: read transactions on the configured database, rows as dicts.

:func:`run` runs any query file by name with the parameters given; :func:`execute` runs a
*named* query (``queries.registry``) the way users do: parameters checked and typed from text
or JSON, defaults filled in, the caller's region scope added, the header's post-processing
step applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import neo4j

from queries import cypher
from queries.registry import get

__all__ = ["Result", "execute", "run", "to_python"]


def to_python(value: Any) -> Any:
    """Neo4j temporal values to ``datetime`` ones (lists and maps recursively)."""
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime):
        return value.to_native()
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    return value


def run(
    driver: neo4j.Driver, database: str, name: str, params: Mapping[str, Any] | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Run the query file ``name`` in a read transaction; return its columns and rows.

    ``scope`` defaults to null (no region restriction) when not given.
    """
    records, _, keys = driver.execute_query(
        cypher(name),
        parameters_={"scope": None, **(params or {})},
        database_=database,
        routing_="r",
        # a read needs no causal chain; without one, a store replaced by a batch import
        # under a long-lived driver (kg serve) does not leave it waiting for old transactions
        bookmark_manager_=None,
    )
    rows = [{k: to_python(r[k]) for k in keys} for r in records]
    return list(keys), rows


@dataclass
class Result:
    """A named query's answer, in the shape ``kg query`` prints as JSON and the API returns."""

    query: str
    params: dict[str, Any]
    columns: list[str]
    rows: list[dict[str, Any]]
    #: totals that belong to the whole answer, not to a row (e.g. pairing_patterns' classes)
    summary: dict[str, Any] = field(default_factory=dict)

    def to_json(self, rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The answer as JSON values; ``rows`` instead of all of them (e.g. a page)."""
        out: dict[str, Any] = {
            "query": self.query,
            "params": {k: _json(v) for k, v in self.params.items()},
            "columns": self.columns,
            "rows": [
                {k: _json(v) for k, v in row.items()}
                for row in (self.rows if rows is None else rows)
            ],
        }
        if self.summary:
            out["summary"] = _json(self.summary)
        return out


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def execute(
    driver: neo4j.Driver,
    database: str,
    name: str,
    raw_params: Mapping[str, Any] | None = None,
    *,
    scope: str | None = None,
    today: dt.date | None = None,
    timeout: float | None = None,
) -> Result:
    """Run the named query ``name`` as a user asked for it.

    ``raw_params`` come from a user (text or JSON values): they are checked against the
    query's header (``queries.registry.ParamError`` when one is unknown, malformed or
    missing). ``scope`` is the region id the caller is restricted to, from their access
    rights, never from ``raw_params``.
    """
    spec = get(name)
    params = spec.bind(raw_params or {}, today)

    def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[dict[str, Any]]]:
        result = tx.run(spec.text, {**params, "scope": scope})
        keys = list(result.keys())
        return keys, [{k: to_python(r[k]) for k in keys} for r in result]

    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        run_work = neo4j.unit_of_work(timeout=timeout)(work) if timeout else work
        columns, rows = session.execute_read(run_work)
    result = Result(name, params, columns, rows)
    if spec.post:
        from queries.post import STEPS

        result = STEPS[spec.post](result)
    return result
