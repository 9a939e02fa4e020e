"""The answers the explorer and the API compute from the whole graph, kept in the result store
(``queries/cache.py``, ``queries/answers.py``), and the warm-up that computes the default
date's answers before anyone asks.

The explorer's home page, worklists and analytics and the API's worklists, summaries and report
all get their answers through the functions here, so that the warm-up computes exactly what
they will ask for (the same keys). :func:`warm` runs after each load (``kg load``) and at
``kg serve`` start, in the background: its progress is kept in the graph
(``(:AnswerWarm)``), so every worker and host answers it in ``/api/health``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import neo4j
import networkx as nx

from access.paging import DEFAULT_PAGE_SIZE, EXPLORER_PAGE_SIZE
from queries import answers
from queries.cache import ResultCache
from queries.registry import get, specs
from queries.report import Figure, compute
from queries.runner import run
from viz.analytics import centrality, component_sizes, help_graph, load_histogram

__all__ = [
    "CONTRACT_WORKLISTS",
    "central",
    "figures",
    "help_network",
    "home",
    "home_params",
    "page_params",
    "patterns_figures",
    "progress",
    "start",
    "tasks",
    "warm",
]

log = logging.getLogger("kg.warm")

#: the first page of each size is kept: the API's default, the explorer's
PAGE_SIZES = (DEFAULT_PAGE_SIZE, EXPLORER_PAGE_SIZE)

#: the contract's worklists, in the explorer's order (web/i18n.py WORKLISTS names them)
CONTRACT_WORKLISTS = (
    "one_helps_many",
    "pairing_patterns",
    "unassigned_relocated_members",
    "households_without_helper",
    "poor_party_members",
    "work_team_coverage",
    "head_adjustments",
    "weak_organizations",
)


def home_params(name: str, day: dt.date) -> dict[str, str]:
    """The parameters the home page counts the worklist ``name`` with."""
    if name == "weak_organizations":
        return {"year": str(day.year)}
    return {"as_of": day.isoformat()}


def page_params(name: str, day: dt.date) -> dict[str, str]:
    """The parameters of the worklist page ``name`` opened on ``day`` with no other filter."""
    raw: dict[str, str] = {}
    for p in get(name).params:
        if p.name == "as_of":
            raw["as_of"] = day.isoformat()
        elif p.name == "year":
            raw["year"] = str(day.year)
    return raw


def figures(cache: ResultCache, driver: neo4j.Driver, database: str, day: dt.date) -> list[Figure]:
    """The report's figures of the whole city as of ``day`` (home page, ``/api/report``)."""
    found: list[Figure] = cache.remember(
        driver, database, ("report", day), lambda: compute(driver, database, day)
    )
    return found


def home(
    cache: ResultCache,
    driver: neo4j.Driver,
    database: str,
    day: dt.date,
    scope: str | None,
    *,
    timeout: float | None = None,
) -> tuple[list[Figure] | None, dict[str, int]]:
    """The home page's answers: the report's figures (whole city only: None under a scope) and
    each contract worklist's number of rows, asked at once (Neo4j answers on both cores
    while each of them waits)."""
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="kg-home") as pool:
        figured = pool.submit(figures, cache, driver, database, day) if scope is None else None
        counted = {
            name: pool.submit(
                cache.count,
                driver,
                database,
                name,
                home_params(name, day),
                scope=scope,
                timeout=timeout,
            )  # fmt: skip
            for name in CONTRACT_WORKLISTS
        }
        return (
            figured.result() if figured is not None else None,
            {name: future.result() for name, future in counted.items()},
        )


def help_network(
    cache: ResultCache, driver: neo4j.Driver, database: str, day: dt.date, scope: str | None
) -> nx.Graph:
    """The help network (kept in this process only: a networkx graph is not stored)."""
    found: nx.Graph = cache.remember(
        driver,
        database,
        ("help_graph", day, scope),
        lambda: help_graph(driver, database, day, scope),
        persist=False,
    )
    return found


def central(
    cache: ResultCache, driver: neo4j.Driver, database: str, day: dt.date, scope: str | None
) -> dict[str, Any]:
    """The analytics page's centrality (``viz.analytics.centrality`` with its ``Central``
    rows as dicts), kept in the result store; on the help network without the households'
    names (the centrality names only helpers and organisations)."""

    def make() -> dict[str, Any]:
        out = centrality(help_graph(driver, database, day, scope, names=False))
        return {
            k: [dataclasses.asdict(c) for c in v] if isinstance(v, list) else v
            for k, v in out.items()
        }

    found: dict[str, Any] = cache.remember(driver, database, ("centrality", day, scope), make)
    return found


#: the analytics page's most common component shapes
SHAPES = 15


def patterns_figures(
    cache: ResultCache,
    driver: neo4j.Driver,
    database: str,
    day: dt.date,
    scope: str | None,
    *,
    timeout: float | None = None,
) -> dict[str, Any]:
    """The analytics page's figures from ``pairing_patterns``: its summary, how many helpers
    help how many households, and the most common component shapes; kept in the result store
    as an answer of their own (a few hundred bytes, where the whole answer is ~100,000 rows
    a city to decode)."""

    def make() -> dict[str, Any]:
        raw = page_params("pairing_patterns", day)
        result = cache.execute(
            driver, database, "pairing_patterns", raw, scope=scope, timeout=timeout
        )
        return {
            "summary": result.summary,
            "hist": load_histogram(result.rows),
            "shapes": component_sizes(result.rows)[:SHAPES],
        }

    key = ("patterns_figures", day, scope)
    found: dict[str, Any] = cache.remember(driver, database, key, make)
    return found


Task = tuple[str, Callable[[], Any]]


def tasks(cache: ResultCache, driver: neo4j.Driver, database: str, day: dt.date) -> list[Task]:
    """What the warm-up computes for ``day``, whole city (no scope): the home page (report and
    every worklist's count), each worklist (whole, its count and first pages), analytics, and
    the summaries."""
    out: list[Task] = [("report", lambda: figures(cache, driver, database, day))]
    seen: set[tuple[Any, ...]] = set()

    def query(name: str, raw: Mapping[str, str]) -> None:
        key = ResultCache.query_key(name, raw, None)
        if key in seen:
            return
        seen.add(key)

        def make() -> None:
            result = cache.execute(driver, database, name, raw)
            if get(name).kind == "worklist":  # the home page's count, the first pages
                cache.derive(driver, database, result, limits=PAGE_SIZES)

        out.append((name, make))

    for name in CONTRACT_WORKLISTS:
        query(name, home_params(name, day))
        query(name, page_params(name, day))
    for spec in specs().values():
        if spec.kind == "summary" and not any(p.required for p in spec.params):
            query(spec.name, page_params(spec.name, day))
    out.append(("analytics", lambda: patterns_figures(cache, driver, database, day, None)))
    out.append(("centrality", lambda: central(cache, driver, database, day, None)))
    return out


def progress(driver: neo4j.Driver, database: str) -> dict[str, Any]:
    """The warm-up's progress for the graph's current load (``/api/health``'s ``warm``)."""
    return answers.warm_progress(driver, database)


def warm(
    driver: neo4j.Driver,
    database: str,
    day: dt.date,
    *,
    cache: ResultCache | None = None,
    step: Callable[[int, int, str], None] | None = None,
) -> tuple[int, int]:
    """Compute the default date's answers into the result store, then remove the answers of
    older loads; progress recorded in the graph (and told to ``step(done, total, name)``).
    Returns (done, total); an answer that fails is logged and skipped."""
    cache = cache or ResultCache(0)
    _, rows = run(driver, database, "support/data_version")
    version, load = rows[0]["version"], rows[0]["load"]
    if version is None:
        return 0, 0  # a graph never loaded: nothing to compute, nothing written
    answers.prune(driver, database)
    todo = tasks(cache, driver, database, day)
    total = len(todo)
    answers.write_progress(
        driver, database, version=version, load=load, done=0, total=total, running=True
    )
    done = 0
    for name, make in todo:
        try:
            make()
        except Exception as exc:  # noqa: BLE001 - one failing answer must not stop the rest
            log.warning("warm-up: %s failed: %s", name, exc)
        else:
            done += 1
        answers.write_progress(
            driver, database, version=version, load=load, done=done, total=total, running=True
        )
        if step is not None:
            step(done, total, name)
    answers.write_progress(
        driver, database, version=version, load=load, done=done, total=total, running=False
    )
    return done, total


def start(
    driver: neo4j.Driver,
    database: str,
    day: dt.date,
    *,
    echo: Callable[[str], None] | None = None,
) -> threading.Thread:
    """:func:`warm` in a background (daemon) thread, its progress told to ``echo``."""

    def step(done: int, total: int, name: str) -> None:
        if echo is not None:
            echo(f"kg serve: warm-up {done}/{total} ({name})")

    def body() -> None:
        try:
            done, total = warm(driver, database, day, step=step)
            if echo is not None:
                echo(f"kg serve: warm-up done, {done}/{total} answers for {day.isoformat()}")
        except Exception as exc:  # noqa: BLE001 - a background warm-up only logs
            if echo is not None:
                echo(f"kg serve: warm-up stopped: {exc}")

    thread = threading.Thread(target=body, name="kg-warm", daemon=True)
    thread.start()
    return thread
