"""Emptying a database: every relationship, then every node, in small transactions.

Relationships go first so that no single transaction detaches a dense node (a village with
thousands of households) and its properties at once: deleting a scale-1 graph node by node with
``DETACH DELETE`` in transactions of 10,000 rows can exceed Neo4j's transaction memory pool.
Constraints and indexes stay. Used by the tests and the benchmarks; kg itself never empties a
graph.
"""

from __future__ import annotations

import neo4j

__all__ = ["empty_database"]


def empty_database(driver: neo4j.Driver, database: str, *, batch: int = 10_000) -> None:
    """Delete every relationship and node of ``database`` (IN TRANSACTIONS needs an
    auto-commit transaction, hence ``session.run``)."""
    with driver.session(database=database) as session:
        session.run(
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF $batch ROWS", batch=batch
        ).consume()
        session.run(
            "MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF $batch ROWS", batch=batch
        ).consume()
