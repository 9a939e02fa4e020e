"""The contract's named queries on the hand-checked small dataset, with their as-of cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from loaders.pipeline import Loader
from loaders.rejects import RejectSink
from loaders.write import GraphWriter
from queries.runner import run

SMALL = Path(__file__).parent.parent / "data" / "small"
D = dt.date.fromisoformat


@pytest.fixture()
def small(empty_db, settings, tmp_path):
    with RejectSink(tmp_path / "rejects.csv") as sink:
        Loader(
            GraphWriter(empty_db, settings.neo4j_database),
            sink,
            home=tmp_path / "home",
            progress=False,
        ).load(SMALL)
    assert sink.count == 0

    def query(name: str, **params):
        return run(empty_db, settings.neo4j_database, name, params)[1]

    return query


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2018-05-31", []),  # not yet relocated
        ("2018-06-01", [("P001", "not_transferred")]),  # relocated, still in the village branch
        ("2019-02-28", [("P001", "not_transferred")]),
        ("2019-03-01", []),  # transferred to the site's branch that day
    ],
)
def test_unassigned_relocated_members(small, as_of, expected):
    rows = small("unassigned_relocated_members", as_of=D(as_of))
    assert [(r["person_id"], r["category"]) for r in rows] == expected
    if rows:
        assert rows[0]["site_id"] == "AZD001" and rows[0]["current_org_ids"] == ["ORG003"]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2014-01-01", []),  # nobody registered yet
        ("2015-06-30", ["H003", "H001", "H002"]),  # registered, no pairing yet (by region)
        ("2016-02-01", ["H003"]),  # H001, H002 paired on 2016-01-01
        ("2017-06-30", []),
        ("2017-12-31", []),  # H003 exited that day (half-open: exited)
        ("2020-12-31", []),
    ],
)
def test_households_without_helper(small, as_of, expected):
    rows = small("households_without_helper", as_of=D(as_of))
    assert [r["household_id"] for r in rows] == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2014-05-31", []),
        ("2014-06-01", ["H001", "H002"]),
        ("2019-12-30", ["H001", "H002"]),
        ("2019-12-31", ["H002"]),  # H001 exits on 2019-12-31
    ],
)
def test_poor_party_members(small, as_of, expected):
    rows = small("poor_party_members", as_of=D(as_of))
    assert [r["household_id"] for r in rows] == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2015-09-30", ["530521101201", "530521202201"]),
        ("2015-10-01", ["530521202201"]),  # T001 arrives in 大竹园村
    ],
)
def test_work_team_coverage(small, as_of, expected):
    assert [r["region_id"] for r in small("work_team_coverage", as_of=D(as_of))] == expected


def test_head_adjustments(small):
    assert small("head_adjustments", as_of=D("2019-07-14"), since=D("2016-01-01")) == []
    rows = small("head_adjustments", as_of=D("2019-07-15"), since=D("2016-01-01"))
    assert [
        (r["person_id"], r["unit_id"], r["six_months_after_exit"], r["status"]) for r in rows
    ] == [
        ("P007", "530521101000", True, "compliant")  # 甸阳镇 exited 2018-12-31, + 6 months
    ]


def test_collective_income_and_weak_organizations(small):
    (county,) = small("collective_income_tiers", year=2019)
    assert (county["villages"], county["at_least_50k"], county["at_least_500k"]) == (3, 3, 1)
    assert county["total_income"] == 692000
    assert [r["org_id"] for r in small("weak_organizations", year=2019)] == ["ORG003"]
    assert small("weak_organizations", year=2020) == []


@pytest.mark.parametrize(
    ("as_of", "linked", "persons", "new_type"),
    [("2016-12-31", 0, 0, 0), ("2017-01-01", 1, 3, 1), ("2018-03-01", 2, 5, 1)],
)
def test_industry_coverage(small, as_of, linked, persons, new_type):
    (county,) = small("industry_coverage", as_of=D(as_of))
    assert county["households_with_conditions"] == 2
    assert (
        county["linked_households"],
        county["linked_persons"],
        county["new_type_households"],
    ) == (
        linked,
        persons,
        new_type,
    )
