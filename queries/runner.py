"""Running queries: read transactions on the configured database, rows as dicts.

:func:`run` runs any query file by name with the parameters given; :func:`execute` runs a
*named* query (``queries.registry``) the way users do: parameters checked and typed from text
or JSON, defaults filled in, the caller's region scope added, the header's post-processing
step applied. :func:`page` and :func:`count` answer one page of a worklist, or its number of
rows, without the other rows leaving Neo4j.

Worklists and summaries travel as one record (``queries.wrapped``): the driver's cost is per
record, and an answer of thousands of rows costs several times less as one list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import neo4j

from queries import cypher
from queries.registry import QuerySpec, get
from queries.wrapped import Wrapped, code_of, collected, counted, paged

__all__ = ["Result", "count", "countable", "execute", "page", "pageable", "run", "to_python"]


#: values that need no conversion: checked by type first, since an answer may hold a million
_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_python(value: Any) -> Any:
    """Neo4j temporal values to ``datetime`` ones (lists and maps recursively)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [v if type(v) in _PLAIN else to_python(v) for v in value]
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime):
        return value.to_native()
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    return value


def _rows(columns: list[str] | tuple[str, ...], values: list[list[Any]]) -> list[dict[str, Any]]:
    return [
        dict(zip(columns, [v if type(v) in _PLAIN else to_python(v) for v in row], strict=True))
        for row in values
    ]


#: the columns of a query text, as Neo4j plans it (``EXPLAIN``), by text
_KEYS: dict[str, list[str]] = {}


def _keys(driver: neo4j.Driver, database: str, text: str, params: Mapping[str, Any]) -> list[str]:
    if text not in _KEYS:
        _, _, keys = driver.execute_query(
            "EXPLAIN " + code_of(text),
            parameters_=dict(params),
            database_=database,
            routing_="r",
            bookmark_manager_=None,
        )
        _KEYS[text] = list(keys)
    return _KEYS[text]


def run(
    driver: neo4j.Driver,
    database: str,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    collect: bool = False,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Run the query file ``name`` in a read transaction; return its columns and rows.

    ``scope`` defaults to null (no region restriction) when not given. ``collect``: the rows
    travel as one list (for answers of many rows; the columns are read from the query's plan).
    """
    text = cypher(name)
    params = {"scope": None, **(params or {})}
    columns: list[str] | None = None
    if collect:
        columns = _keys(driver, database, text, params)
        text = collected(text, columns).text
    records, _, keys = driver.execute_query(
        text,
        parameters_=params,
        database_=database,
        routing_="r",
        # a read needs no causal chain; without one, a store replaced by a batch import
        # under a long-lived driver (kg serve) does not leave it waiting for old transactions
        bookmark_manager_=None,
    )
    if columns is not None:
        return columns, _rows(columns, records[0]["rows"])
    return list(keys), [{k: to_python(r[k]) for k in keys} for r in records]


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


def _read(
    driver: neo4j.Driver,
    database: str,
    text: str,
    params: Mapping[str, Any],
    timeout: float | None,
) -> tuple[list[str], list[neo4j.Record]]:
    def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[neo4j.Record]]:
        result = tx.run(text, dict(params))
        return list(result.keys()), list(result)

    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        run_work = neo4j.unit_of_work(timeout=timeout)(work) if timeout else work
        return session.execute_read(run_work)


def pageable(spec: QuerySpec) -> bool:
    """Whether Neo4j can cut the named query's pages and count its rows (its rows are its
    answer: no post-processing step)."""
    return spec.kind != "point" and spec.post is None


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
    full = {**params, "scope": scope}
    if pageable(spec):
        columns = list(spec.columns)
        _, records = _read(driver, database, collected(spec.text, columns).text, full, timeout)
        rows = _rows(columns, records[0]["rows"])
    elif spec.post:  # the step reads the values as the driver gives them and converts them
        from queries.post import STEPS

        columns, records = _read(driver, database, spec.text, full, timeout)
        rows = [{k: r[k] for k in columns} for r in records]
        return STEPS[spec.post](Result(name, params, columns, rows))
    else:
        columns, records = _read(driver, database, spec.text, full, timeout)
        rows = [{k: to_python(r[k]) for k in columns} for r in records]
    return Result(name, params, columns, rows)


def _wrapped(
    driver: neo4j.Driver,
    database: str,
    name: str,
    raw_params: Mapping[str, Any] | None,
    make: Callable[[QuerySpec], Wrapped],
    extra: Mapping[str, Any],
    *,
    scope: str | None,
    today: dt.date | None,
    timeout: float | None,
) -> tuple[dict[str, Any], neo4j.Record]:
    spec = get(name)
    if not pageable(spec):
        raise ValueError(f"{name}: its pages and count are cut from the whole answer")
    params = spec.bind(raw_params or {}, today)
    wrapped = make(spec)
    _, records = _read(driver, database, wrapped.text, {**params, **extra, "scope": scope}, timeout)
    return params, records[0]


def page(
    driver: neo4j.Driver,
    database: str,
    name: str,
    raw_params: Mapping[str, Any] | None = None,
    *,
    skip: int,
    limit: int,
    scope: str | None = None,
    today: dt.date | None = None,
    timeout: float | None = None,
) -> tuple[Result, int]:
    """Rows ``skip`` to ``skip + limit`` of the named query, in its own order, and how many
    rows it has in all; cut in Neo4j (only for :func:`pageable` queries)."""
    params, record = _wrapped(
        driver,
        database,
        name,
        raw_params,
        lambda spec: paged(spec.text, spec.columns),
        {"page_skip": max(0, skip), "page_limit": max(0, limit)},
        scope=scope,
        today=today,
        timeout=timeout,
    )
    columns = list(get(name).columns)
    return Result(name, params, columns, _rows(columns, record["rows"])), int(record["total"])


def countable(spec: QuerySpec) -> bool:
    """Whether Neo4j can count the named query's rows without the rows being made: a
    pageable query, or one whose header names a count query."""
    return pageable(spec) or spec.count is not None


def count(
    driver: neo4j.Driver,
    database: str,
    name: str,
    raw_params: Mapping[str, Any] | None = None,
    *,
    scope: str | None = None,
    today: dt.date | None = None,
    timeout: float | None = None,
) -> int:
    """How many rows the named query has, counted in Neo4j (only for :func:`countable`
    ones): by the query in a subquery, or by its header's count query."""
    spec = get(name)
    if spec.count is not None:
        params = spec.bind(raw_params or {}, today)
        _, records = _read(
            driver, database, cypher(spec.count), {**params, "scope": scope}, timeout
        )
        return int(records[0]["total"])
    _, record = _wrapped(
        driver,
        database,
        name,
        raw_params,
        lambda spec: counted(spec.text),
        {},
        scope=scope,
        today=today,
        timeout=timeout,
    )
    return int(record["total"])
