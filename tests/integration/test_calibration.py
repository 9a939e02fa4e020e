"""The generator's calibration: generated files → loaded graph → Cypher counts = the seed's figures.

Runs the whole path at scale 1 (about 1 M rows) through the command line, as a user would.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator

import neo4j
import pytest

from core.settings import Settings
from graph.connection import open_driver
from queries.report import compute
from queries.runner import run
from tests.helpers import run_kg
from tests.integration.private import private_neo4j

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory) -> Iterator[tuple[neo4j.Driver, Settings]]:
    """Baoshan at scale 1, generated and loaded by ``kg`` into a Neo4j of this module's own: the
    first load into an empty graph goes through Neo4j's batch importer, which replaces the
    store (the session's Neo4j keeps serving the other tests meanwhile)."""
    if os.environ.get("NEO4J_URI"):
        pytest.skip("the batch import needs an embedded Neo4j of its own")
    out = tmp_path_factory.mktemp("baoshan")
    home = tmp_path_factory.mktemp("calibration") / "home"
    with private_neo4j(home, heap="3g", page_cache="1g") as (settings, env):
        done = run_kg(
            "generate", "--profile", "baoshan", "--scale", "1", "--seed", "1", "--out",
            str(out), env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        done = run_kg(
            "load", str(out), "--format", "json", "--no-progress", env=env, timeout=3600
        )  # a busy machine can take many times the ~1 minute it takes alone
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        report = json.loads(done.stdout)
        assert report["rejected"] == 0 and report["loaded"] == report["read"] > 900_000
        assert report["imported_seconds"] is not None  # through the batch importer
        with open_driver(settings, start=False) as driver:
            yield driver, settings


@pytest.fixture(scope="module")
def baoshan(calibrated):
    return calibrated[0]


@pytest.fixture(scope="module")
def settings(calibrated):
    return calibrated[1]


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
