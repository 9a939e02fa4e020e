"""Answers of the named worklists and summaries kept between requests (the API's pages, the
explorer's home page, report, analytics and worklists).

Two tiers, one rule for when an answer is stale:

* the result store in the graph database itself (``queries/answers.py``): shared by every
  worker, process and API host, keyed by what was asked (query, parameters, scope) and valid
  for the load it was computed at (the loader stamps ``LoadState.updated_at`` at the start and
  the end of every load): exact until the next load. A stored answer that is corrupt or from
  an older load is ignored and computed again, never served;
* in front of it a small in-process LRU of the decoded answers, checked against the same stamp
  (``support/data_version``: one small read per lookup), so a reload is seen at once.

Point queries (card, trace, search) are cheap and never kept. :meth:`ResultCache.remember`
keeps any other answer computed from the graph the same way (the explorer's report and network
analytics); ``persist=False`` keeps one in the process only (e.g. a networkx graph).

A page of a worklist and a worklist's number of rows are answers of their own
(:meth:`ResultCache.page`, :meth:`ResultCache.count`): cut from the whole answer when this
process holds it, else read from the store under their own keys (small: reading them back costs
nothing like decoding a whole worklist), else computed in Neo4j without shipping the other rows
(``queries.runner.page`` and ``count``). :meth:`ResultCache.derive` keeps the pages and count
of a whole answer just computed (the warm-up), so that they cost no query at all.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import neo4j

from queries import answers, runner
from queries.registry import get
from queries.runner import Result

__all__ = ["ResultCache"]

log = logging.getLogger("kg.answers")

T = TypeVar("T")


class ResultCache:
    """The result store (``persist``) behind a small LRU of decoded answers (thread-safe).

    Counters: ``hits`` (from the LRU), ``misses`` (not in the LRU), of which ``stored`` were
    read from the result store and ``computed`` computed (``rejected``: a stored answer found
    stale or corrupt and computed again)."""

    def __init__(
        self, max_entries: int = 32, *, persist: bool = True, background: bool = False
    ) -> None:
        self.max_entries = max_entries
        self.persist = persist
        #: answers computed by a request are written to the store by a thread of their own,
        #: after the request is answered (a whole worklist takes a second to encode and send)
        self.background = background
        self._entries: OrderedDict[tuple[Any, ...], tuple[str | None, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: queue.Queue[tuple[Any, ...]] = queue.Queue(maxsize=64)
        self._keeper: threading.Thread | None = None
        self.hits = 0
        self.misses = 0
        self.stored = 0
        self.computed = 0
        self.rejected = 0

    @staticmethod
    def query_key(
        name: str, raw_params: Mapping[str, Any], scope: str | None, today: dt.date | None = None
    ) -> tuple[Any, ...]:
        """The key :meth:`execute` keeps the named query's answer under."""
        return _key("query", name, get(name).bind(raw_params, today), scope)

    def execute(
        self,
        driver: neo4j.Driver,
        database: str,
        name: str,
        raw_params: Mapping[str, Any],
        *,
        scope: str | None = None,
        timeout: float | None = None,
        today: dt.date | None = None,
    ) -> Result:
        """As :func:`queries.runner.execute`, kept until the next load."""
        spec = get(name)
        if spec.kind == "point":
            return runner.execute(driver, database, name, raw_params, scope=scope, timeout=timeout)
        params = spec.bind(raw_params, today)  # ParamError before anything runs
        result: Result = self.remember(
            driver,
            database,
            self.query_key(name, params, scope),
            lambda: runner.execute(driver, database, name, params, scope=scope, timeout=timeout),
        )
        return result

    def _version(self, driver: neo4j.Driver, database: str) -> tuple[str | None, int | None]:
        _, rows = runner.run(driver, database, "support/data_version")
        return rows[0]["version"], rows[0]["load"]

    def _held(self, key: tuple[Any, ...], version: str | None) -> Any:
        """The value this process holds under ``key`` for ``version``, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[0] == version:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]
        return None

    def remember(
        self,
        driver: neo4j.Driver,
        database: str,
        key: tuple[Any, ...],
        make: Callable[[], T],
        *,
        persist: bool = True,
    ) -> T:
        """``make()``, kept under ``key`` (hashable; its first item names it) until the graph
        changes; in the result store too when ``persist`` (the value must then be storable:
        JSON values, dates, dataclasses registered with ``answers.storable``)."""
        return self._remember(
            driver, database, key, make, self._version(driver, database), persist=persist
        )

    def _remember(
        self,
        driver: neo4j.Driver,
        database: str,
        key: tuple[Any, ...],
        make: Callable[[], T],
        stamp: tuple[str | None, int | None],
        *,
        persist: bool = True,
    ) -> T:
        persist = persist and self.persist
        version, load = stamp
        held = self._held(key, version)
        if held is not None:
            value: T = held
            return value
        self.misses += 1
        found = None
        if persist:
            store_key = answers.key_of(key)
            found = answers.lookup(driver, database, store_key)
            version, load = found.version, found.load
        if found is not None and found.state == "hit":
            self.stored += 1
            value = found.value
        else:
            if found is not None and found.state in ("stale", "corrupt"):
                self.rejected += 1
            self.computed += 1
            value = make()
            if found is not None:
                name = " ".join(str(part) for part in key[:2])
                self._store(driver, database, store_key, name, version, load, value)
        self._hold(key, version, value)
        return value

    def _store(self, driver: neo4j.Driver, database: str, *args: Any) -> None:
        """``answers.store(driver, database, *args)``, now or by the keeper thread."""
        if not self.background:
            answers.store(driver, database, *args)
            return
        with self._lock:
            if self._keeper is None or not self._keeper.is_alive():
                self._keeper = threading.Thread(target=self._keep, name="kg-answers", daemon=True)
                self._keeper.start()
        self._pending.put((driver, database, *args))

    def _keep(self) -> None:
        while True:
            driver, database, *args = self._pending.get()
            try:
                answers.store(driver, database, *args)
            except Exception:  # noqa: BLE001 - a lost answer is computed again, never wrong
                log.exception("result store: an answer could not be kept")
            finally:
                self._pending.task_done()

    def flush(self) -> None:
        """Wait until the answers handed to the keeper thread are written."""
        self._pending.join()

    def _hold(self, key: tuple[Any, ...], version: str | None, value: Any) -> None:
        if self.max_entries > 0:
            with self._lock:
                self._entries[key] = (version, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)

    # -- pages and counts of worklists ---------------------------------------------------------
    def page(
        self,
        driver: neo4j.Driver,
        database: str,
        name: str,
        raw_params: Mapping[str, Any],
        *,
        skip: int,
        limit: int,
        scope: str | None = None,
        timeout: float | None = None,
        today: dt.date | None = None,
    ) -> tuple[Result, int]:
        """Rows ``skip`` to ``skip + limit`` of the named worklist (its summary too) and how
        many rows it has: from the whole answer if this process holds it, else kept as a page
        of its own; cut in Neo4j when the query allows (``runner.pageable``), else from the
        whole answer (computed and kept as :meth:`execute` does)."""
        spec = get(name)
        params = spec.bind(raw_params, today)
        stamp = self._version(driver, database)
        whole = self._held(self.query_key(name, params, scope), stamp[0])
        if whole is not None:
            return _cut(whole, skip, limit), len(whole.rows)

        def make() -> dict[str, Any]:
            if runner.pageable(spec):
                result, total = runner.page(
                    driver, database, name, params, skip=skip, limit=limit, scope=scope,
                    timeout=timeout,
                )  # fmt: skip
                return {"page": result, "total": total}
            whole = self.execute(driver, database, name, params, scope=scope, timeout=timeout)
            return {"page": _cut(whole, skip, limit), "total": len(whole.rows)}

        key = _key("page", name, params, scope, skip, limit)
        found: dict[str, Any] = self._remember(driver, database, key, make, stamp)
        return found["page"], found["total"]

    def count(
        self,
        driver: neo4j.Driver,
        database: str,
        name: str,
        raw_params: Mapping[str, Any],
        *,
        scope: str | None = None,
        timeout: float | None = None,
        today: dt.date | None = None,
    ) -> int:
        """How many rows the named worklist has (the home page's figures): from the whole
        answer if this process holds it, else kept as an answer of its own; counted in Neo4j
        when the query allows (``runner.countable``), else from the whole answer."""
        spec = get(name)
        params = spec.bind(raw_params, today)
        stamp = self._version(driver, database)
        whole = self._held(self.query_key(name, params, scope), stamp[0])
        if whole is not None:
            return len(whole.rows)

        def make() -> int:
            if runner.countable(spec):
                return runner.count(driver, database, name, params, scope=scope, timeout=timeout)
            whole = self.execute(driver, database, name, params, scope=scope, timeout=timeout)
            return len(whole.rows)

        key = _key("count", name, params, scope)
        found: int = self._remember(driver, database, key, make, stamp)
        return found

    def derive(
        self,
        driver: neo4j.Driver,
        database: str,
        result: Result,
        *,
        scope: str | None = None,
        limits: tuple[int, ...] = (),
    ) -> None:
        """Keep the count of the whole answer ``result`` and its first page of each size in
        ``limits`` in the result store, as :meth:`count` and :meth:`page` would (no query)."""
        if not self.persist:
            return
        version, load = self._version(driver, database)
        name, params = result.query, result.params
        kept: list[tuple[tuple[Any, ...], Any]] = [
            (_key("count", name, params, scope), len(result.rows))
        ]
        for limit in limits:
            page = {"page": _cut(result, 0, limit), "total": len(result.rows)}
            kept.append((_key("page", name, params, scope, 0, limit), page))
        for key, value in kept:
            name = " ".join(str(part) for part in key[:2])
            self._store(driver, database, answers.key_of(key), name, version, load, value)


def _key(
    what: str, name: str, params: Mapping[str, Any], scope: str | None, *extra: int
) -> tuple[Any, ...]:
    """The key of an answer: what it is (a whole answer, a page, a count), of which query,
    for which scope and typed parameters (and a page's skip and limit)."""
    return (what, name, scope, tuple(sorted(params.items())), *extra)


def _cut(result: Result, skip: int, limit: int) -> Result:
    """``result`` with only rows ``skip`` to ``skip + limit`` (the summary kept)."""
    rows = result.rows[max(0, skip) : max(0, skip) + max(0, limit)]
    return Result(result.query, result.params, result.columns, rows, result.summary)
