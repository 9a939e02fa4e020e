"""one_helps_many, pairing_patterns, help_trace, search, card and the roll-up, on hand-made data.

tests/data/pairings/ (townships 甸阳镇 530521101000 holds every household but H42 and H61,
which are in 摆榔乡 530521202000):

| component (as of 2018-12-31) | pairings                        | class                       |
|------------------------------|---------------------------------|-----------------------------|
| Q1–H11                       | 1                               | one_to_one                  |
| Q2–H21, H22, H23             | 3 (Q2–H23 declared one_to_one)  | one_to_many                 |
| Q3, Q4–H31                   | 2                               | many_to_one                 |
| Q5–H41, H42; Q6–H42          | 3 (Q6–H42 declares no form)     | many_to_many                |
| Q7–H51                       | 1, ends 2019-01-01              | one_to_one                  |

On 2019-01-01 Q1 takes over H51 from Q7, so Q1–H11, H51 becomes one_to_many (and Q1–H11,
declared one_to_one, stops matching). Q8–H61 starts on 2021-01-01.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from loaders.pipeline import Loader
from loaders.rejects import RejectSink
from loaders.write import GraphWriter
from queries.registry import ParamError, get, specs
from queries.rollup import rollup
from queries.runner import execute

DATA = Path(__file__).parent.parent / "data"
TOWN_A, TOWN_B = "530521101000", "530521202000"


def _load(driver, settings, tmp_path, folder: str):
    with RejectSink(tmp_path / "rejects.csv") as sink:
        Loader(
            GraphWriter(driver, settings.neo4j_database),
            sink,
            home=tmp_path / "home",
            progress=False,
        ).load(DATA / folder)
    assert sink.count == 0

    def query(name: str, scope: str | None = None, **params):
        return execute(driver, settings.neo4j_database, name, params, scope=scope)

    return query


@pytest.fixture(scope="module")
def pairings(driver, settings, tmp_path_factory):
    """The pairing fixture, loaded once for the module (the tests only read)."""
    with driver.session(database=settings.neo4j_database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    return _load(driver, settings, tmp_path_factory.mktemp("pairings"), "pairings")


@pytest.fixture()
def wait_for_search(pairings):
    """Wait until the full-text index (eventually consistent) finds ``q``."""

    def wait(q: str) -> None:
        deadline = time.monotonic() + 30
        while not pairings("search", q=q).rows:
            assert time.monotonic() < deadline, f"the full-text index never found {q!r}"
            time.sleep(0.2)

    return wait


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2015-12-31", []),
        ("2018-12-31", [("Q2", 3, ["H21", "H22", "H23"]), ("Q5", 2, ["H41", "H42"])]),
        (
            "2019-01-01",
            [
                ("Q2", 3, ["H21", "H22", "H23"]),
                ("Q1", 2, ["H11", "H51"]),
                ("Q5", 2, ["H41", "H42"]),
            ],
        ),
    ],
)
def test_one_helps_many(pairings, as_of, expected):
    rows = pairings("one_helps_many", as_of=as_of).rows
    assert [(r["helper_id"], r["household_count"], r["household_ids"]) for r in rows] == expected


def test_one_helps_many_in_a_scope_names_only_its_households(pairings):
    rows = pairings("one_helps_many", scope=TOWN_B, as_of="2019-01-01").rows
    assert [(r["helper_id"], r["household_count"], r["household_ids"]) for r in rows] == [
        ("Q5", 2, ["H42"])
    ]


def _classes(result):
    return {
        (r["helper_id"], r["household_id"]): (r["component_class"], r["form_matches"])
        for r in result.rows
    }


def test_pairing_patterns_before_the_takeover(pairings):
    result = pairings("pairing_patterns", as_of="2018-12-31")
    assert _classes(result) == {
        ("Q1", "H11"): ("one_to_one", True),
        ("Q2", "H21"): ("one_to_many", True),
        ("Q2", "H22"): ("one_to_many", True),
        ("Q2", "H23"): ("one_to_many", False),
        ("Q3", "H31"): ("many_to_one", True),
        ("Q4", "H31"): ("many_to_one", True),
        ("Q5", "H41"): ("many_to_many", False),
        ("Q5", "H42"): ("many_to_many", False),
        ("Q6", "H42"): ("many_to_many", None),
        ("Q7", "H51"): ("one_to_one", True),
    }
    assert result.summary == {
        "components": {"one_to_one": 2, "one_to_many": 1, "many_to_one": 1, "many_to_many": 1},
        "pairings": 10,
        "form_mismatches": 3,
    }
    # one component number per component, the same on all its rows
    by_component = {}
    for r in result.rows:
        by_component.setdefault(r["component"], set()).add(r["helper_id"])
    assert sorted(map(sorted, by_component.values())) == [
        ["Q1"],
        ["Q2"],
        ["Q3", "Q4"],
        ["Q5", "Q6"],
        ["Q7"],
    ]


@pytest.mark.parametrize("as_of", ["2019-01-01", "2020-12-31"])
def test_pairing_patterns_after_the_takeover(pairings, as_of):
    result = pairings("pairing_patterns", as_of=as_of)
    classes = _classes(result)
    assert classes[("Q1", "H11")] == ("one_to_many", False)
    assert classes[("Q1", "H51")] == ("one_to_many", True)
    assert ("Q7", "H51") not in classes
    assert result.summary["components"] == {
        "one_to_one": 0,
        "one_to_many": 2,
        "many_to_one": 1,
        "many_to_many": 1,
    }


def test_pairing_patterns_from_the_day_a_pairing_starts(pairings):
    assert ("Q8", "H61") not in _classes(pairings("pairing_patterns", as_of="2020-12-31"))
    assert _classes(pairings("pairing_patterns", as_of="2021-01-01"))[("Q8", "H61")] == (
        "one_to_one",
        True,
    )


def test_pairing_patterns_in_a_scope_keeps_the_whole_components_class(pairings):
    result = pairings("pairing_patterns", scope=TOWN_B, as_of="2018-12-31")
    # H42's component spans both townships: still many_to_many, only B's pairings listed
    assert _classes(result) == {
        ("Q5", "H42"): ("many_to_many", False),
        ("Q6", "H42"): ("many_to_many", None),
    }
    assert result.summary["components"]["many_to_many"] == 1
    assert sum(result.summary["components"].values()) == 1


@pytest.mark.parametrize(
    ("id_", "as_of", "history", "expected"),
    [
        ("Q1", "2018-12-31", False, [("H11", True)]),
        ("Q1", "2019-01-01", False, [("H51", True), ("H11", True)]),
        ("Q7", "2018-12-31", False, [("H51", True)]),
        ("Q7", "2019-01-01", False, []),  # ended that day (half-open)
        ("Q7", "2019-01-01", True, [("H51", False)]),
        ("H51", "2019-06-01", False, [("Q1", True)]),
        ("H51", "2019-06-01", True, [("Q1", True), ("Q7", False)]),
        ("H51", "2015-12-31", True, []),  # nothing had started
        ("H42", "2020-12-31", False, [("Q5", True), ("Q6", True)]),
        ("Q8", "2020-12-31", True, []),  # starts 2021-01-01: not even as history
        ("nobody", "2020-12-31", True, []),
    ],
)
def test_help_trace(pairings, id_, as_of, history, expected):
    rows = pairings("help_trace", id=id_, as_of=as_of, history=history).rows
    other = "household_id" if id_.startswith("Q") else "helper_id"
    assert [(r[other], r["current"]) for r in rows] == expected


def test_help_trace_lists_the_members_of_each_household(pairings):
    rows = pairings("help_trace", id="Q1", as_of="2019-06-01").rows
    members = {r["household_id"]: (r["member_ids"], r["member_names"]) for r in rows}
    assert members == {"H11": (["M111", "M112"], ["李一", "李二"]), "H51": ([], [])}


def test_help_trace_in_a_scope(pairings):
    assert [r["household_id"] for r in pairings("help_trace", scope=TOWN_A, id="Q5").rows] == [
        "H41"
    ]
    assert pairings("help_trace", scope=TOWN_A, id="H42").rows == []


def _search(pairings, q, scope=None):
    return [(r["label"], r["id"]) for r in pairings("search", scope=scope, q=q).rows]


def test_search_by_name_and_by_id(pairings, wait_for_search):
    wait_for_search("张三")
    assert _search(pairings, "张三") == [("Person", "Q3")]
    assert sorted(_search(pairings, "张")) == [("Person", f"Q{i}") for i in range(1, 9)]
    assert _search(pairings, "鸡茨田村") == [("Region", "530521202201")]
    assert sorted(_search(pairings, "h4")) == [("Household", "H41"), ("Household", "H42")]
    assert _search(pairings, "H42", scope=TOWN_A) == []
    assert _search(pairings, "H41", scope=TOWN_A) == [("Household", "H41")]


@pytest.mark.parametrize(
    "q",
    ["'}) DETACH DELETE n //", "*:*", "AND", "OR", '"', "\\", "(", "a:b", "   ", "`", "\u0060"],
)
def test_search_treats_lucene_syntax_as_text(pairings, wait_for_search, q):
    wait_for_search("张三")
    assert pairings("search", q=q).rows == []


def test_search_operators_are_words(pairings, wait_for_search):
    wait_for_search("张三")
    # a phrase: "or" is a stop word and "*" no word, not "张三 or anything"
    assert _search(pairings, "张三 OR *") == [("Person", "Q3")]


def test_search_limit_is_bounded(pairings, wait_for_search):
    wait_for_search("张三")
    assert len(pairings("search", q="张", limit=3).rows) == 3
    assert len(pairings("search", q="张", limit=0).rows) == 1
    assert len(pairings("search", q="张", limit=10**6).rows) == 8


def _neighbours(card):
    return {
        (n["relationship"], n["direction"], n["label"]): (n["count"], [i["id"] for i in n["items"]])
        for n in card["neighbours"]
    }


def test_card_of_a_household(pairings):
    (card,) = pairings("card", id="H11").rows
    assert (card["label"], card["id"]) == ("Household", "H11")
    assert card["properties"]["size"] == 2
    assert _neighbours(card) == {
        ("LOCATED_IN", "out", "Region"): (1, ["530521101201"]),
        ("IN_HOUSEHOLD", "in", "Person"): (2, ["M111", "M112"]),
        ("HELPS", "in", "Person"): (1, ["Q1"]),
    }


def test_card_in_a_scope(pairings):
    assert pairings("card", scope=TOWN_A, id="H42").rows == []
    assert pairings("card", scope=TOWN_A, id="530521202201").rows == []
    (helper,) = pairings("card", scope=TOWN_A, id="Q5").rows
    assert _neighbours(helper) == {("HELPS", "out", "Household"): (1, ["H41"])}
    (town,) = pairings("card", scope=TOWN_A, id=TOWN_A).rows
    # its county and city lie outside the scope
    assert _neighbours(town) == {("PART_OF", "in", "Region"): (1, ["530521101201"])}
    assert pairings("card", id="nothing").rows == []


def test_rollup_counts_a_worklist_by_township(driver, settings, pairings):
    result = pairings("pairing_patterns", as_of="2018-12-31")
    rolled = rollup(driver, settings.neo4j_database, result)
    assert rolled.columns == ["county_id", "county", "township_id", "township", "rows"]
    assert [(r["township"], r["rows"]) for r in rolled.rows] == [
        ("甸阳镇", 8),
        ("摆榔彝族布朗族乡", 2),
    ]
    assert {r["county"] for r in rolled.rows} == {"施甸县"}
    assert rolled.summary == {"total_rows": 10}


def test_every_named_query_answers_with_its_headers_columns(pairings):
    samples = {"id": "H11", "q": "张三"}
    for name, spec in specs().items():
        params = {p.name: samples[p.name] for p in spec.params if p.required}
        result = pairings(name, **params)
        assert tuple(result.columns) == spec.columns, name
        for row in result.rows:
            assert tuple(row) == spec.columns, name


def test_parameters_are_checked_before_anything_runs():
    spec = get("help_trace")
    assert spec.bind({"id": "H1", "as_of": "2020-12-31", "history": "是"}) == {
        "id": "H1",
        "as_of": dt.date(2020, 12, 31),
        "history": True,
    }
    for raw, param in [
        ({}, "id"),
        ({"id": "H1", "as_of": "2020-13-01"}, "as_of"),
        ({"id": "H1", "history": "maybe"}, "history"),
        ({"id": "H1", "scope": "530521101000"}, "scope"),
        ({"id": "H1", "bogus": "1"}, "bogus"),
        ({"id": "x" * 201}, "id"),
    ]:
        with pytest.raises(ParamError) as info:
            spec.bind(raw)
        assert info.value.param == param
    assert get("search").bind({"q": "a", "limit": "5"})["limit"] == 5
    with pytest.raises(ParamError):
        get("search").bind({"q": "a", "limit": "5.5"})
    with pytest.raises(KeyError):
        get("no_such_query")


# Anchored queries start from an id: their plan must find it with an index, not scan a label.
ANCHORED = [
    ("card", {"id": "H11"}),
    ("card", {"id": "Q1"}),
    ("help_trace", {"id": "Q1"}),
    ("help_trace", {"id": "H51", "history": True}),
    ("search", {"q": "张三"}),
]
SCANS = {"AllNodesScan", "NodeByLabelScan", "UnionNodeByLabelsScan", "DirectedAllRelationshipsScan"}


def _operators(plan, leaves_only=False):
    children = plan.get("children") or []
    if not children or not leaves_only:
        yield plan["operatorType"].split("@")[0]
    for child in children:
        yield from _operators(child, leaves_only)


@pytest.mark.parametrize(("name", "params"), ANCHORED)
@pytest.mark.parametrize("scope", [None, TOWN_A])
def test_anchored_queries_start_from_an_index(driver, settings, pairings, name, params, scope):
    spec = get(name)
    bound = {**spec.bind(params), "scope": scope}
    with driver.session(database=settings.neo4j_database) as session:
        summary = session.run("PROFILE " + spec.text, bound).consume()
    leaves = list(_operators(summary.profile, leaves_only=True))
    assert not SCANS & set(leaves), leaves
    if name == "search":  # the full-text index, through its procedure
        assert "ProcedureCall" in _operators(summary.profile)
    else:
        assert leaves and all("IndexSeek" in op or op == "Argument" for op in leaves), leaves


def test_cached_answers_last_until_the_next_load(driver, settings, tmp_path, pairings):
    from queries.cache import ResultCache

    db = settings.neo4j_database
    cache = ResultCache(max_entries=2)
    first = cache.execute(driver, db, "pairing_patterns", {"as_of": "2018-12-31"})
    again = cache.execute(driver, db, "pairing_patterns", {"as_of": dt.date(2018, 12, 31)})
    assert again is first and (cache.hits, cache.misses) == (1, 1)
    other_scope = cache.execute(
        driver, db, "pairing_patterns", {"as_of": "2018-12-31"}, scope=TOWN_B
    )
    assert len(other_scope.rows) == 2 and cache.misses == 2
    cache.execute(driver, db, "card", {"id": "H11"})  # point queries are not kept
    assert (cache.hits, cache.misses) == (1, 2)
    # a load (even of unchanged files, which it skips) stamps the graph: answers are read anew
    _load(driver, settings, tmp_path, "pairings")
    fresh = cache.execute(driver, db, "pairing_patterns", {"as_of": "2018-12-31"})
    assert fresh is not first and fresh.rows == first.rows and cache.misses == 3


def _stored(driver, db):
    return driver.execute_query(
        "MATCH (a:Answer) RETURN a.key AS key, a.version AS version, a.name AS name", database_=db
    ).records


def test_answers_are_shared_through_the_graph(driver, settings, pairings):
    from queries.cache import ResultCache

    db = settings.neo4j_database
    driver.execute_query("MATCH (a:Answer) DELETE a", database_=db)
    one, other = ResultCache(max_entries=4), ResultCache(max_entries=4)  # two workers
    first = one.execute(driver, db, "pairing_patterns", {"as_of": "2018-12-31"})
    assert (one.computed, one.stored) == (1, 0)
    assert [r["name"] for r in _stored(driver, db)] == ["query pairing_patterns"]
    second = other.execute(driver, db, "pairing_patterns", {"as_of": "2018-12-31"})
    assert (other.computed, other.stored) == (0, 1)
    assert second is not first and second == first  # rows, dates, summary all decoded
    assert isinstance(second.params["as_of"], dt.date)


def test_a_corrupt_answer_is_computed_again(driver, settings, pairings):
    from queries.cache import ResultCache

    db = settings.neo4j_database
    driver.execute_query("MATCH (a:Answer) DELETE a", database_=db)
    good = ResultCache(0).execute(driver, db, "one_helps_many", {"as_of": "2018-12-31"})
    # a body that no longer matches its digest, then a digest-matching body that is not JSON
    driver.execute_query("MATCH (a:Answer) SET a.body = a.body + [0]", database_=db)
    cache = ResultCache(0)
    again = cache.execute(driver, db, "one_helps_many", {"as_of": "2018-12-31"})
    assert again == good and (cache.rejected, cache.computed, cache.stored) == (1, 1, 0)
    import hashlib
    import zlib

    junk = zlib.compress(b"{not json")
    driver.execute_query(
        "MATCH (a:Answer) SET a.body = $body, a.digest = $digest",
        body=junk,
        digest=hashlib.sha256(junk).hexdigest(),
        database_=db,
    )
    cache = ResultCache(0)
    assert cache.execute(driver, db, "one_helps_many", {"as_of": "2018-12-31"}) == good
    assert (cache.rejected, cache.computed) == (1, 1)
    # rebuilt: the next reader is served the stored answer
    cache = ResultCache(0)
    assert cache.execute(driver, db, "one_helps_many", {"as_of": "2018-12-31"}) == good
    assert (cache.stored, cache.computed) == (1, 0)


def test_an_answer_of_an_older_load_is_not_served(driver, settings, tmp_path, pairings):
    from queries import answers
    from queries.cache import ResultCache

    db = settings.neo4j_database
    driver.execute_query("MATCH (a:Answer) DELETE a", database_=db)
    ResultCache(0).execute(driver, db, "one_helps_many", {"as_of": "2018-12-31"})
    # the stored answer says something else, so serving it would show
    driver.execute_query("MATCH (a:Answer) SET a.name = 'old'", database_=db)
    old = answers.lookup(
        driver,
        db,
        answers.key_of(ResultCache.query_key("one_helps_many", {"as_of": "2018-12-31"}, None)),
    )
    assert old.state == "hit"
    _load(driver, settings, tmp_path, "pairings")  # a new load: a new stamp
    key = answers.key_of(ResultCache.query_key("one_helps_many", {"as_of": "2018-12-31"}, None))
    assert answers.lookup(driver, db, key).state == "stale"
    cache = ResultCache(0)
    cache.execute(driver, db, "one_helps_many", {"as_of": "2018-12-31"})
    assert (cache.rejected, cache.computed, cache.stored) == (1, 1, 0)
    [(k, version, name)] = [tuple(r) for r in _stored(driver, db)]
    assert version != old.version and name == "query one_helps_many"
    # an answer of an older load is removed by prune; the current one kept
    driver.execute_query(
        "CREATE (:Answer {key: 'x', version: 'long ago', name: 'old', body: $b, digest: 'd'})",
        b=b"x",
        database_=db,
    )
    assert answers.prune(driver, db) == 1
    assert [r["key"] for r in _stored(driver, db)] == [key]


def test_nothing_is_stored_for_a_graph_never_loaded(empty_db, settings):
    from queries.cache import ResultCache

    db = settings.neo4j_database
    cache = ResultCache(0)
    cache.execute(empty_db, db, "one_helps_many", {"as_of": "2018-12-31"})
    assert cache.computed == 1 and _stored(empty_db, db) == []
    assert (
        empty_db.execute_query("MATCH (n) RETURN count(n) AS n", database_=db).records[0]["n"] == 0
    )
