"""Answers of the named worklists and summaries kept between requests (the API's pages).

A worklist such as pairing_patterns reads the whole pairing graph (about 100,000 pairings at
scale 1, seconds of work) to answer any of its pages; paging through it, downloading it and
rolling it up would each run it again. An answer is kept, per query, parameters and scope,
until the graph changes: the loader stamps a time at the start and at the end of every load
(``support/data_version``), and every lookup compares it (one small read), so a reload is
seen at once. Answers also expire after ``ttl`` seconds, for a graph changed by other means.
Point queries (card, trace, search) are cheap and never cached.

:meth:`ResultCache.remember` keeps any other answer computed from the graph the same way
(the explorer's report and network analytics): one cache, one rule for when it is stale.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import neo4j

from queries import runner
from queries.registry import get
from queries.runner import Result

__all__ = ["ResultCache"]

T = TypeVar("T")


class ResultCache:
    """A small LRU of :class:`queries.runner.Result` (thread-safe)."""

    def __init__(self, max_entries: int = 32, ttl: float = 600.0) -> None:
        self.max_entries = max_entries
        self.ttl = ttl
        self._entries: OrderedDict[tuple[Any, ...], tuple[float, str | None, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

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
        """As :func:`queries.runner.execute`, from the cache when the graph has not changed."""
        spec = get(name)
        if spec.kind == "point" or self.max_entries <= 0:
            return runner.execute(driver, database, name, raw_params, scope=scope, timeout=timeout)
        params = spec.bind(raw_params, today)  # ParamError before anything runs
        key = (name, scope, tuple(sorted(params.items())))
        result: Result = self.remember(
            driver,
            database,
            key,
            lambda: runner.execute(driver, database, name, params, scope=scope, timeout=timeout),
        )
        return result

    def remember(
        self, driver: neo4j.Driver, database: str, key: tuple[Any, ...], make: Callable[[], T]
    ) -> T:
        """``make()``, kept under ``key`` (hashable) until the graph changes (or ``ttl``)."""
        version = runner.run(driver, database, "support/data_version")[1][0]["version"]
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[1] == version and now - entry[0] < self.ttl:
                self._entries.move_to_end(key)
                self.hits += 1
                value: T = entry[2]
                return value
        self.misses += 1
        value = make()
        if self.max_entries > 0:
            with self._lock:
                self._entries[key] = (now, version, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value
