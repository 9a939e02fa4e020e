"""The graph's schema (``schema.cypher``): constraints, indexes and the full-text index."""

from __future__ import annotations

from pathlib import Path

import neo4j

__all__ = ["SCHEMA_FILE", "apply_schema", "statements"]

SCHEMA_FILE = Path(__file__).with_name("schema.cypher")


def statements() -> list[str]:
    """The schema's statements, comments removed."""
    lines = [
        line
        for line in SCHEMA_FILE.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("//")
    ]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def apply_schema(
    driver: neo4j.Driver,
    database: str,
    *,
    wait_seconds: int = 300,
    bookmark_manager: neo4j.BookmarkManager | None = None,
) -> None:
    """Create whatever is missing of the schema (idempotent) and wait for indexes to be online.

    ``bookmark_manager``: the caller's causal chain (default: the driver's own)."""
    manager = bookmark_manager or driver.execute_query_bookmark_manager
    for statement in statements():
        driver.execute_query(statement, database_=database, bookmark_manager_=manager)
    driver.execute_query(
        f"CALL db.awaitIndexes({int(wait_seconds)})", database_=database, bookmark_manager_=manager
    )
