"""The *write* stage: the loader's only door to the graph.

Rows are written in batches, one transaction per batch, on background threads so that the next
batch is read and checked while Neo4j commits the previous ones (the driver waits on the socket
without holding the GIL), and so that ``workers`` transactions run in Neo4j at once. Batches of
one file touch different facts (keys are deduplicated before), and each batch takes the locks of
the dense nodes its rows share in one order (``FileSpec.lock_order``), so two batches of a file
with one kind of dense node never wait on each other in a cycle. A file whose rows lock two
kinds (a household: its village and its relocation site) has no such order: its batches are
written one at a time. A deadlock would be a transient error the driver retries (MERGE makes
the retry harmless); :attr:`GraphWriter.retries` counts the retried transactions (0 expected).
At most ``depth`` batches wait in the queue; :meth:`GraphWriter.drain` waits for all of them
and raises the first error a write met.

Retractions run in the calling thread, a batch of keys per transaction: a fact goes whole (its
node and the relationships its row wrote) or not at all. The reads a load needs (references,
the facts of a kind, where facts lie) are here too, each a ``loaders/cypher`` file.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import neo4j
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from core.contract import SPECS, FileSpec
from core.errors import DatabaseError
from graph.cypher import CypherFiles
from graph.schema import apply_schema

__all__ = ["CYPHER", "GraphWriter"]

#: the loader's own Cypher: write/<stem>.cypher per file, facts/*.cypher templates
CYPHER = CypherFiles(Path(__file__).parent / "cypher")

_DB_ERRORS = (Neo4jError, ServiceUnavailable, SessionExpired, OSError)


def _template(name: str, spec: FileSpec) -> str:
    suffix = "rels" if spec.relationship else "nodes"
    return CYPHER.template(f"facts/{name}_{suffix}", kind=spec.element, key=spec.key_property)


def _entity(stem: str) -> FileSpec:
    spec = SPECS[stem]
    if spec.id_column is None:
        raise ValueError(f"{stem} has no ids")
    return spec


class _NoDriver:
    """The driver of :meth:`GraphWriter.offline`: any use is an error."""

    def __getattr__(self, name: str) -> Any:
        raise DatabaseError("this load reads and writes no database (--import-csv)")


class GraphWriter:
    """Schema, reads and batch writes of one load, on one driver and database."""

    @classmethod
    def offline(cls, database: str = "neo4j") -> GraphWriter:
        """A writer for loads that touch no database (``kg load --import-csv``)."""
        return cls(cast(neo4j.Driver, _NoDriver()), database)

    def __init__(self, driver: neo4j.Driver, database: str, *, workers: int = 2, depth: int = 2):
        self.driver = driver
        self.database = database
        self.workers = max(1, workers)
        self.batches = 0
        #: write transactions the driver ran again after a transient error (a deadlock)
        self.retries = 0
        self._queue: queue.Queue[tuple[str, list[dict[str, Any]]] | None] = queue.Queue(depth)
        self._error: BaseException | None = None
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        #: held while a batch of a file locking two kinds of dense nodes is written
        self._one_at_a_time = threading.Lock()
        #: the load's own causal chain: every read sees the writes before it, on a cluster too
        self.bookmarks = neo4j.GraphDatabase.bookmark_manager()

    # -- reads -----------------------------------------------------------------------------
    def _read(self, what: str, query: str, **params: Any) -> list[neo4j.Record]:
        try:
            records, _, _ = self.driver.execute_query(
                query,
                parameters_=params,
                database_=self.database,
                routing_="r",
                bookmark_manager_=self.bookmarks,
            )
        except _DB_ERRORS as e:
            raise DatabaseError(f"could not read {what}: {e}") from e
        return records

    def forget_bookmarks(self) -> None:
        """After the store was replaced (a batch import), forget the transactions of the old
        one: the driver would otherwise wait for them on the new store."""
        self.bookmarks = neo4j.GraphDatabase.bookmark_manager()

    def ensure_schema(self) -> None:
        try:
            apply_schema(self.driver, self.database, bookmark_manager=self.bookmarks)
        except _DB_ERRORS as e:
            raise DatabaseError(f"could not apply the graph schema: {e}") from e

    def lookup(self, stem: str, ids: list[str]) -> dict[str, str | None]:
        """Which ``ids`` of the file ``stem`` name an entity in the graph (with region levels)."""
        if not ids:
            return {}
        spec = _entity(stem)
        query = CYPHER.template("facts/lookup", kind=spec.element, key=spec.key_property)
        records = self._read(f"{stem} ids in the graph", query, ids=ids)
        return {r["id"]: r["level"] for r in records}

    def node_count(self) -> int:
        """How many nodes the database holds (0: a first load can use the importer)."""
        return int(self._read("the number of nodes", CYPHER.text("node_count"))[0]["n"])

    def count(self, spec: FileSpec) -> int:
        """How many facts of the kind the graph holds."""
        records = self._read(f"the number of {spec.stem}", _template("count", spec))
        return int(records[0]["n"])

    def facts(
        self, spec: FileSpec, *, anchors: bool = False, total: int | None = None
    ) -> Iterator[tuple[str, int | None, list[Any]]]:
        """Every fact of the kind: (key, value digest, anchor values), read in groups of about
        50,000 (``total``: how many there are, if known)."""
        query = _template("state", spec)
        wanted = list(spec.anchors) if anchors else []
        count = self.count(spec) if total is None else total
        buckets = max(1, count // 50_000 + 1)
        try:
            with self.driver.session(
                database=self.database,
                default_access_mode=neo4j.READ_ACCESS,
                bookmark_manager=self.bookmarks,
            ) as session:
                for record in session.run(query, anchors=wanted, buckets=buckets):
                    yield from zip(record["keys"], record["hashes"], record["anchors"], strict=True)
        except _DB_ERRORS as e:
            raise DatabaseError(f"could not read the {spec.stem} in the graph: {e}") from e

    def values(self, spec: FileSpec, keys: list[str]) -> dict[str, dict[str, Any]]:
        """The facts with these keys: ``{key: {"values": {column: value}, "file", "row",
        "load"}}`` (values as the graph holds them: dates as neo4j dates)."""
        if not keys:
            return {}
        columns = list(spec.column_names)
        records = self._read(
            f"{spec.stem} facts", _template("values", spec), keys=keys, columns=columns
        )
        return {
            r["key"]: {
                "values": dict(zip(columns, r["values"], strict=True)),
                "file": r["file"],
                "row": r["row"],
                "load": r["load"],
            }
            for r in records
        }

    def in_region(self, stem: str, region: str) -> set[str]:
        """Ids of the entities of ``stem`` that lie in ``region`` (the API's scope rule)."""
        spec = _entity(stem)
        query = CYPHER.template("facts/in_region", kind=spec.element, key=spec.key_property)
        return {r["id"] for r in self._read(f"the {stem} in {region}", query, region=region)}

    def regions_of(self, stem: str, ids: list[str]) -> dict[str, list[str]]:
        """The divisions each entity of ``stem`` lies in directly."""
        if not ids:
            return {}
        spec = _entity(stem)
        query = CYPHER.template("facts/regions_of", kind=spec.element, key=spec.key_property)
        records = self._read(f"where the {stem} lie", query, ids=ids)
        return {r["id"]: list(r["regions"]) for r in records}

    def read_state(self) -> tuple[int | None, dict[str, str]]:
        """The last load that wrote to the graph and the files it holds completely."""
        records = self._read("the load state", CYPHER.text("state_read"))
        if not records or records[0]["files"] is None:
            return (records[0]["load"] if records else None), {}
        return records[0]["load"], json.loads(records[0]["files"])

    def write_state(self, load: int, files: dict[str, str]) -> None:
        try:
            self.driver.execute_query(
                CYPHER.text("state_write"),
                load=load,
                files=json.dumps(files, sort_keys=True),
                database_=self.database,
                bookmark_manager_=self.bookmarks,
            )
        except _DB_ERRORS as e:
            raise DatabaseError(f"could not record the load state: {e}") from e

    # -- retractions -----------------------------------------------------------------------
    def retract(self, spec: FileSpec, keys: list[str]) -> set[str]:
        """Retract the facts with these keys in one transaction; return the keys retracted
        (a node another fact still refers to is kept)."""
        if not keys:
            return set()
        query = _template("retract", spec)

        def work(tx: neo4j.ManagedTransaction) -> set[str]:
            return {r["key"] for r in tx.run(query, keys=keys, stem=spec.stem)}

        try:
            with self.driver.session(
                database=self.database, bookmark_manager=self.bookmarks
            ) as session:
                return session.execute_write(work)
        except _DB_ERRORS as e:
            raise DatabaseError(f"retracting {spec.stem} failed: {e}") from e

    def referrers(self, spec: FileSpec, keys: list[str]) -> dict[str, dict[str, Any]]:
        """For node facts that could not be retracted: one referring relationship each."""
        if not keys or spec.relationship:
            return {}
        query = CYPHER.template("facts/referrers_nodes", kind=spec.element, key=spec.key_property)
        records = self._read(f"what refers to {spec.stem}", query, keys=keys, stem=spec.stem)
        return {r["key"]: {"type": r["type"], "file": r["file"], "row": r["row"]} for r in records}

    # -- batch writes ----------------------------------------------------------------------
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
                if len(SPECS[stem].lock_order) > 1:
                    with self._one_at_a_time:
                        self._write_now(stem, rows)
                else:
                    self._write_now(stem, rows)
            except BaseException as e:  # handed to the producer thread by drain()/write()
                with self._lock:
                    self._error = self._error or e

    def _write_now(self, stem: str, rows: list[dict[str, Any]]) -> None:
        query = CYPHER.text(f"write/{stem}")
        attempts = 0

        def work(tx: neo4j.ManagedTransaction) -> None:
            nonlocal attempts
            attempts += 1
            tx.run(query, rows=rows).consume()

        try:
            with self.driver.session(
                database=self.database, bookmark_manager=self.bookmarks
            ) as session:
                session.execute_write(work)
        except _DB_ERRORS as e:
            raise DatabaseError(f"writing a batch of {stem} failed: {e}") from e
        with self._lock:
            self.batches += 1
            self.retries += attempts - 1
