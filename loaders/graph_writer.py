"""Writes batches of loader rows to Neo4j, one transaction per batch, with retries.

Writes run on background threads so that the next batch is parsed and validated while Neo4j
commits the previous ones (the driver waits on the socket without holding the GIL), and so that
``workers`` transactions run in Neo4j at once. Batches of one file touch different nodes (ids are
deduplicated before), so concurrent transactions rarely wait on each other's locks; a deadlock
is a transient error that the driver retries (MERGE makes the retry harmless). At most
``depth`` batches wait in the queue; :meth:`GraphWriter.drain` waits for all of them and raises
the first error a write met.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

import neo4j
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from core.errors import DatabaseError
from graph.schema import apply_schema
from queries import cypher

__all__ = ["GraphWriter"]

_DB_ERRORS = (Neo4jError, ServiceUnavailable, SessionExpired, OSError)


class GraphWriter:
    """The loader's only door to the graph: the schema, id lookups and batch writes."""

    def __init__(self, driver: neo4j.Driver, database: str, *, workers: int = 2, depth: int = 2):
        self.driver = driver
        self.database = database
        self.workers = max(1, workers)
        self.batches = 0
        self._queue: queue.Queue[tuple[str, list[dict[str, Any]]] | None] = queue.Queue(depth)
        self._error: BaseException | None = None
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def ensure_schema(self) -> None:
        try:
            apply_schema(self.driver, self.database)
        except _DB_ERRORS as e:
            raise DatabaseError(f"could not apply the graph schema: {e}") from e

    def lookup(self, stem: str, ids: list[str]) -> dict[str, str | None]:
        """Which ``ids`` of the file ``stem`` exist in the graph (with region levels)."""
        if not ids:
            return {}
        try:
            records, _, _ = self.driver.execute_query(
                cypher(f"load/lookup/{stem}"), ids=ids, database_=self.database, routing_="r"
            )
        except _DB_ERRORS as e:
            raise DatabaseError(f"could not look up {stem} ids in the graph: {e}") from e
        return {r["id"]: r["level"] for r in records}

    def read_state(self) -> set[str]:
        """Fingerprints of the files the last load wrote completely."""
        try:
            records, _, _ = self.driver.execute_query(
                cypher("load/state_read"), database_=self.database, routing_="r"
            )
        except _DB_ERRORS as e:
            raise DatabaseError(f"could not read the load state: {e}") from e
        return set(records[0]["fingerprints"] or []) if records else set()

    def write_state(self, fingerprints: list[str]) -> None:
        try:
            self.driver.execute_query(
                cypher("load/state_write"), fingerprints=fingerprints, database_=self.database
            )
        except _DB_ERRORS as e:
            raise DatabaseError(f"could not record the load state: {e}") from e

    def write(self, stem: str, rows: list[dict[str, Any]]) -> None:
        """Queue one batch for writing in its own transaction (see :meth:`drain`)."""
        self._raise_pending()
        if not self._threads:
            self._threads = [
                threading.Thread(target=self._work, name=f"kg-writer-{i}", daemon=True)
                for i in range(self.workers)
            ]
            for thread in self._threads:
                thread.start()
        self._queue.put((stem, rows))

    def drain(self) -> None:
        """Wait until every queued batch is committed; raise the first write error."""
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()
        self._threads = []
        self._raise_pending()

    def _raise_pending(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue  # keep emptying the queue so the producer is never blocked
            stem, rows = item
            try:
                self._write_now(stem, rows)
            except BaseException as e:  # handed to the producer thread by drain()/write()
                with self._lock:
                    self._error = self._error or e

    def _write_now(self, stem: str, rows: list[dict[str, Any]]) -> None:
        query = cypher(f"load/{stem}")

        def work(tx: neo4j.ManagedTransaction) -> None:
            tx.run(query, rows=rows).consume()

        try:
            with self.driver.session(database=self.database) as session:
                session.execute_write(work)
        except _DB_ERRORS as e:
            raise DatabaseError(f"writing a batch of {stem} failed: {e}") from e
        with self._lock:
            self.batches += 1
