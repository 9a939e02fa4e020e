"""Running a named query: read transactions on the configured database, rows as dicts."""

from __future__ import annotations

from typing import Any

import neo4j

from queries import cypher

__all__ = ["run", "to_python"]


def to_python(value: Any) -> Any:
    """Neo4j temporal values to ``datetime.date`` (others unchanged; lists recursively)."""
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, neo4j.time.DateTime):
        return value.to_native()
    if isinstance(value, list):
        return [to_python(v) for v in value]
    return value


def run(
    driver: neo4j.Driver, database: str, name: str, params: dict[str, Any] | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Run the named query in a read transaction; return its columns and rows."""
    records, _, keys = driver.execute_query(
        cypher(name), parameters_=params or {}, database_=database, routing_="r"
    )
    rows = [{k: to_python(r[k]) for k in keys} for r in records]
    return list(keys), rows
