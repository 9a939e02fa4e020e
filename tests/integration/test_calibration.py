"""The generator's calibration: generated files → loaded graph → Cypher counts = the seed's figures.

Runs the whole path at scale 1 (about 1 M rows) through the command line, as a user would.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from graph.wipe import empty_database
from queries.report import compute
from queries.runner import run
from tests.helpers import run_kg

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def baoshan(tmp_path_factory, kg_env, driver, settings):
    out = tmp_path_factory.mktemp("baoshan")
    done = run_kg(
        "generate",
        "--profile",
        "baoshan",
        "--scale",
        "1",
        "--seed",
        "1",
        "--out",
        str(out),
        env=kg_env,
    )
    assert done.returncode == 0, done.stderr
    empty_database(driver, settings.neo4j_database)
    done = run_kg("load", str(out), "--format", "json", "--no-progress", env=kg_env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["rejected"] == 0 and report["loaded"] == report["read"] > 900_000
    return driver


def test_every_seed_figure_at_the_end_of_2020(baoshan, settings):
    figures = compute(baoshan, settings.neo4j_database, dt.date(2020, 12, 31))
    assert len(figures) == 44
    assert {f.key: f.value for f in figures} == {f.key: f.seed for f in figures}


def test_earlier_dates_show_the_work_in_progress(baoshan, settings):
    def count(name: str, day: str) -> int:
        return len(
            run(baoshan, settings.neo4j_database, name, {"as_of": dt.date.fromisoformat(day)})[1]
        )

    assert count("unassigned_relocated_members", "2018-12-31") > 0
    assert count("households_without_helper", "2016-06-30") > 0
    assert count("work_team_coverage", "2015-06-30") > 0
    assert count("poor_party_members", "2018-12-31") > count("poor_party_members", "2020-12-31")
