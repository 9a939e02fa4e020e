"""Worklists as they travel (queries/wrapped.py): whole answers in one record, pages and counts
cut in Neo4j, pairing patterns classed mostly in Cypher; on a generated dataset, compared with
the plain query and with the components of every pairing found by networkx."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from graph.wipe import empty_database
from loaders.pipeline import Loader
from loaders.rejects import RejectSink
from loaders.write import GraphWriter
from queries import runner
from queries.cache import ResultCache
from queries.registry import get, specs
from tests.helpers import run_kg

DAYS = ("2016-06-30", "2018-12-31", "2020-12-31")


@pytest.fixture(scope="module")
def graph(driver, settings, kg_env, tmp_path_factory):
    """A generated dataset (scale 0.02), loaded once; its database and a county and a township
    to scope answers to."""
    db = settings.neo4j_database
    out = tmp_path_factory.mktemp("pages") / "baoshan"
    done = run_kg(
        "generate", "--profile", "baoshan", "--scale", "0.02", "--seed", "5", "--out", str(out),
        env=kg_env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    empty_database(driver, db)
    home: Path = tmp_path_factory.mktemp("pages-home")
    with RejectSink(home / "rejects.csv") as sink:
        Loader(GraphWriter(driver, db), sink, home=home, progress=False).load(out)
    records = driver.execute_query(
        "MATCH (t:Region {level: 'township'})-[:PART_OF]->(c:Region {level: 'county'}) "
        "WHERE EXISTS { (:Household)-[:LOCATED_IN]->(:Region)-[:PART_OF]->(t) } "
        "RETURN c.region_id AS county, t.region_id AS township ORDER BY township LIMIT 1",
        database_=db,
    ).records
    return db, records[0]["county"], records[0]["township"]


def _raw(name: str, day: str) -> dict[str, str]:
    raw = {}
    for p in get(name).params:
        if p.name == "as_of":
            raw["as_of"] = day
        elif p.name == "year":
            raw["year"] = day[:4]
    return raw


def _plain(driver, db, name: str, raw: dict[str, str], scope: str | None) -> list[dict]:
    """The query's rows as its own text answers them, one record a row."""
    params = get(name).bind(raw)
    records, _, keys = driver.execute_query(
        get(name).text, {**params, "scope": scope}, database_=db
    )
    return [{k: runner.to_python(r[k]) for k in keys} for r in records]


PAGEABLE = sorted(n for n, s in specs().items() if runner.pageable(s))


def test_every_list_and_summary_is_pageable_but_pairing_patterns():
    kinds = {s.kind for n, s in specs().items() if n in PAGEABLE}
    assert kinds == {"worklist", "summary"}
    assert "pairing_patterns" not in PAGEABLE and "one_helps_many" in PAGEABLE


@pytest.mark.parametrize("name", PAGEABLE)
def test_whole_answers_travel_in_one_record_in_the_same_order(driver, graph, name):
    db, county, _ = graph
    seen = 0
    for day in DAYS:
        for scope in (None, county):
            raw = _raw(name, day)
            plain = _plain(driver, db, name, raw, scope)
            result = runner.execute(driver, db, name, raw, scope=scope)
            assert result.columns == list(get(name).columns)
            assert result.rows == plain, (day, scope)
            seen += len(plain)
    if name not in ("unassigned_relocated_members", "work_team_coverage"):
        assert seen > 0, "the dataset gives the query rows to compare"


@pytest.mark.parametrize("name", [n for n in PAGEABLE if get(n).kind == "worklist"])
def test_pages_and_counts_are_cut_in_neo4j(driver, graph, name):
    db, county, _ = graph
    for scope in (None, county):
        raw = _raw(name, "2018-12-31")
        rows = _plain(driver, db, name, raw, scope)
        n = len(rows)
        for skip, limit in ((0, 7), (5, 3), (max(0, n - 2), 10), (n + 5, 10), (0, n + 1)):
            page, total = runner.page(driver, db, name, raw, skip=skip, limit=limit, scope=scope)
            assert page.rows == rows[skip : skip + limit], (skip, limit)
            assert page.columns == list(get(name).columns)
            assert total == n
        assert runner.count(driver, db, name, raw, scope=scope) == n


def test_pairing_patterns_pages_come_from_the_whole_answer(driver, graph):
    with pytest.raises(ValueError, match="whole answer"):
        runner.page(driver, graph[0], "pairing_patterns", {}, skip=0, limit=5)


COUNTED = sorted(n for n, s in specs().items() if s.count)


def test_the_worklists_with_a_count_query():
    assert COUNTED == ["one_helps_many", "pairing_patterns"]
    assert all(runner.countable(get(n)) for n in COUNTED)


@pytest.mark.parametrize("name", COUNTED)
def test_a_count_query_counts_the_rows(driver, graph, name):
    db, county, township = graph
    for day in DAYS:
        for scope in (None, county, township):
            whole = runner.execute(driver, db, name, {"as_of": day}, scope=scope)
            counted = runner.count(driver, db, name, {"as_of": day}, scope=scope)
            assert counted == len(whole.rows), (day, scope)


_CLASSES = ("one_to_one", "one_to_many", "many_to_one", "many_to_many")


def _expected_patterns(driver, db, day: str, scope: str | None) -> tuple[list[dict], dict]:
    """The pairing patterns from first principles: every current pairing, its components by
    networkx, numbered by their smallest id, classed by their numbers of helpers and
    households."""
    records = driver.execute_query(
        "MATCH (p:Person)-[r:HELPS]->(h:Household) "
        "WHERE r.start_on <= $day AND (r.end_on IS NULL OR r.end_on > $day) "
        "RETURN p.person_id AS helper_id, p.name AS helper_name, h.household_id AS household_id, "
        "h.region_id AS region_id, r.declared_form AS declared_form, r.start_on AS start_on, "
        "$scope IS NULL OR EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->"
        "(:Region {region_id: $scope}) } AS in_scope",
        day=dt.date.fromisoformat(day),
        scope=scope,
        database_=db,
    ).records
    g = nx.Graph()
    for r in records:
        g.add_edge(("p", r["helper_id"]), ("h", r["household_id"]))
    components = sorted(nx.connected_components(g), key=lambda c: min(i for _, i in c))
    info = {}
    for number, nodes in enumerate(components, start=1):
        helpers = sum(1 for kind, _ in nodes if kind == "p")
        households = len(nodes) - helpers
        if helpers == 1:
            cls = "one_to_one" if households == 1 else "one_to_many"
        else:
            cls = "many_to_one" if households == 1 else "many_to_many"
        for node in nodes:
            info[node] = (number, helpers, households, cls)
    rows = []
    for r in records:
        if not r["in_scope"]:
            continue
        number, helpers, households, cls = info[("p", r["helper_id"])]
        form = r["declared_form"]
        rows.append(
            {
                "helper_id": r["helper_id"],
                "helper_name": r["helper_name"],
                "household_id": r["household_id"],
                "region_id": r["region_id"],
                "declared_form": form,
                "start_on": r["start_on"].to_native(),
                "component": number,
                "component_helpers": helpers,
                "component_households": households,
                "component_class": cls,
                "form_matches": None if form is None else form == cls,
            }
        )
    rows.sort(key=lambda r: (r["component"], r["helper_id"], r["household_id"]))
    listed = {r["component"]: r["component_class"] for r in rows}
    per_class = Counter(listed.values())
    summary = {
        "components": {c: per_class.get(c, 0) for c in _CLASSES},
        "pairings": len(rows),
        "form_mismatches": sum(1 for r in rows if r["form_matches"] is False),
    }
    return rows, summary


@pytest.mark.parametrize("day", DAYS)
def test_pairing_patterns_are_the_components_of_every_pairing(driver, graph, day):
    db, county, township = graph
    classes: Counter[str] = Counter()
    for scope in (None, county, township):
        rows, summary = _expected_patterns(driver, db, day, scope)
        result = runner.execute(driver, db, "pairing_patterns", {"as_of": day}, scope=scope)
        assert result.rows == rows, scope
        assert result.summary == summary, scope
        classes.update(r["component_class"] for r in rows)
    if day != "2016-06-30":
        assert all(classes[c] for c in _CLASSES), "every class is compared"


def test_pages_and_counts_are_kept_and_shared(driver, graph):
    db = graph[0]
    driver.execute_query("MATCH (a:Answer) DELETE a", database_=db)
    raw = {"as_of": "2018-12-31"}
    whole = runner.execute(driver, db, "one_helps_many", raw)
    one = ResultCache(0)
    page, total = one.page(driver, db, "one_helps_many", raw, skip=2, limit=3)
    assert (page.rows, total) == (whole.rows[2:5], len(whole.rows))
    assert (one.computed, one.stored) == (1, 0)
    assert one.count(driver, db, "one_helps_many", raw) == len(whole.rows)
    other = ResultCache(0)  # another worker: both read from the store
    assert other.page(driver, db, "one_helps_many", raw, skip=2, limit=3)[0].rows == page.rows
    assert other.count(driver, db, "one_helps_many", raw) == len(whole.rows)
    assert (other.computed, other.stored) == (0, 2)
    # the pages of an answer that cannot be cut in Neo4j come from the whole answer
    patterns = runner.execute(driver, db, "pairing_patterns", raw)
    page, total = one.page(driver, db, "pairing_patterns", raw, skip=0, limit=4)
    assert page.rows == patterns.rows[:4] and page.summary == patterns.summary
    assert total == len(patterns.rows)


def test_derived_pages_and_counts_cost_no_query(driver, graph):
    db = graph[0]
    driver.execute_query("MATCH (a:Answer) DELETE a", database_=db)
    raw = {"as_of": "2020-12-31"}
    warm = ResultCache(0)
    whole = warm.execute(driver, db, "one_helps_many", raw)
    assert len(whole.rows) > 2
    warm.derive(driver, db, whole, limits=(2, 50))
    reader = ResultCache(0)
    assert reader.count(driver, db, "one_helps_many", raw) == len(whole.rows)
    page, total = reader.page(driver, db, "one_helps_many", raw, skip=0, limit=2)
    assert (page.rows, total) == (whole.rows[:2], len(whole.rows))
    assert (reader.computed, reader.stored) == (0, 2)
    held = ResultCache(4)  # a worker holding the whole answer cuts its pages itself
    held.execute(driver, db, "one_helps_many", raw)
    stored = held.stored
    assert (
        held.page(driver, db, "one_helps_many", raw, skip=1, limit=1)[0].rows == (whole.rows[1:2])
    )
    assert held.count(driver, db, "one_helps_many", raw) == len(whole.rows)
    assert held.stored == stored and held.hits == 2


def test_the_analytics_figures_are_kept_without_the_whole_answer(driver, graph):
    from access.warm import patterns_figures
    from viz.analytics import component_sizes, load_histogram

    db, county, _ = graph
    driver.execute_query("MATCH (a:Answer) DELETE a", database_=db)
    day = dt.date(2020, 12, 31)
    whole = runner.execute(driver, db, "pairing_patterns", {"as_of": day.isoformat()}, scope=county)
    hist, shapes = load_histogram(whole.rows), component_sizes(whole.rows)
    assert len(hist) > 1 and len(shapes) > 1
    first = ResultCache(0)
    made = patterns_figures(first, driver, db, day, county)
    assert made == {"summary": whole.summary, "hist": hist, "shapes": shapes[:15]}
    other = ResultCache(0)  # another worker reads the figures alone from the store
    kept = patterns_figures(other, driver, db, day, county)
    assert (other.computed, other.stored) == (0, 1)
    assert kept["summary"] == whole.summary
    assert [tuple(h) for h in kept["hist"]] == hist
    assert [tuple(s) for s in kept["shapes"]] == shapes[:15]


def test_answers_kept_by_the_keeper_thread(driver, graph):
    db = graph[0]
    driver.execute_query("MATCH (a:Answer) DELETE a", database_=db)
    raw = {"as_of": "2016-06-30"}
    worker = ResultCache(0, background=True)  # as kg serve's workers keep them
    page, total = worker.page(driver, db, "pairing_patterns", raw, skip=0, limit=3)
    worker.flush()
    other = ResultCache(0)
    assert other.page(driver, db, "pairing_patterns", raw, skip=0, limit=3) == (page, total)
    whole = other.execute(driver, db, "pairing_patterns", raw)  # kept beside its page
    assert (other.computed, other.stored) == (0, 2) and whole.rows[:3] == page.rows
