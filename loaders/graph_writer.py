"""Writes batches of loader rows to Neo4j, one transaction per batch, with retries."""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph.schema import apply_schema
from kg.errors import DatabaseError
from queries import cypher

__all__ = ["GraphWriter"]


class GraphWriter:
    """The loader's only door to the graph: the schema, id lookups and batch writes."""

    def __init__(self, driver: neo4j.Driver, database: str):
        self.driver = driver
        self.database = database
        self.batches = 0

    def ensure_schema(self) -> None:
        try:
            apply_schema(self.driver, self.database)
        except (Neo4jError, ServiceUnavailable, SessionExpired) as e:
            raise DatabaseError(f"could not apply the graph schema: {e}") from e

    def lookup(self, stem: str, ids: list[str]) -> dict[str, str | None]:
        """Which ``ids`` of the file ``stem`` exist in the graph (with region levels)."""
        if not ids:
            return {}
        try:
            records, _, _ = self.driver.execute_query(
                cypher(f"load/lookup/{stem}"), ids=ids, database_=self.database, routing_="r"
            )
        except (Neo4jError, ServiceUnavailable, SessionExpired) as e:
            raise DatabaseError(f"could not look up {stem} ids in the graph: {e}") from e
        return {r["id"]: r["level"] for r in records}

    def write(self, stem: str, rows: list[dict[str, Any]]) -> None:
        """Write one batch in one transaction (retried on transient errors: MERGE is idempotent)."""
        query = cypher(f"load/{stem}")

        def work(tx: neo4j.ManagedTransaction) -> None:
            tx.run(query, rows=rows).consume()

        try:
            with self.driver.session(database=self.database) as session:
                session.execute_write(work)
        except (Neo4jError, ServiceUnavailable, SessionExpired) as e:
            raise DatabaseError(f"writing a batch of {stem} failed: {e}") from e
        self.batches += 1
