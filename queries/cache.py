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
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import neo4j

from queries import answers, runner
from queries.registry import get
from queries.runner import Result

__all__ = ["ResultCache"]

T = TypeVar("T")


class ResultCache:
    """The result store (``persist``) behind a small LRU of decoded answers (thread-safe).

    Counters: ``hits`` (from the LRU), ``misses`` (not in the LRU), of which ``stored`` were
    read from the result store and ``computed`` computed (``rejected``: a stored answer found
    stale or corrupt and computed again)."""

    def __init__(self, max_entries: int = 32, *, persist: bool = True) -> None:
        self.max_entries = max_entries
        self.persist = persist
        self._entries: OrderedDict[tuple[Any, ...], tuple[str | None, Any]] = OrderedDict()
        self._lock = threading.Lock()
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
        params = get(name).bind(raw_params, today)
        return ("query", name, scope, tuple(sorted(params.items())))

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
        key = ("query", name, scope, tuple(sorted(params.items())))
        result: Result = self.remember(
            driver,
            database,
            key,
            lambda: runner.execute(driver, database, name, params, scope=scope, timeout=timeout),
        )
        return result

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
        persist = persist and self.persist
        _, rows = runner.run(driver, database, "support/data_version")
        version, load = rows[0]["version"], rows[0]["load"]
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[0] == version:
                self._entries.move_to_end(key)
                self.hits += 1
                value: T = entry[1]
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
                answers.store(driver, database, store_key, name, version, load, value)
        if self.max_entries > 0:
            with self._lock:
                self._entries[key] = (version, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value
