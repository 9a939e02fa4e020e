"""An interrupted load (loader killed, or Neo4j killed and restarted) completes when run again."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from core.settings import Settings
from graph.connection import open_driver
from graph.embedded.manager import EmbeddedNeo4j
from graph.status import graph_status
from tests.helpers import KG, free_port, run_kg

SMALL = Path(__file__).parent.parent / "data" / "small"
HOUSEHOLDS = 4000
PER_HOUSEHOLD = 4


def make_larger_dataset(folder: Path) -> dict[str, int]:
    """The small dataset's regions plus thousands of households, persons and pairings."""
    folder.mkdir()
    shutil.copy(SMALL / "regions.csv", folder / "regions.csv")
    villages = ["530521101201", "530521202201", "530521101001"]
    with (folder / "households.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["household_id", "region_id", "size", "registered_on"])
        for i in range(HOUSEHOLDS):
            w.writerow([f"H{i:06d}", villages[i % 3], PER_HOUSEHOLD, "2014-06-01"])
    with (folder / "persons.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["person_id", "name", "household_id", "party_member"])
        for i in range(HOUSEHOLDS):
            for j in range(PER_HOUSEHOLD):
                w.writerow(
                    [f"P{i:06d}{j}", f"测试{i}{j}", f"H{i:06d}", "true" if j == 0 else "false"]
                )
    with (folder / "pairings.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["helper_id", "household_id", "start_on"])
        for i in range(HOUSEHOLDS):
            w.writerow([f"P{(i + 1) % HOUSEHOLDS:06d}0", f"H{i:06d}", "2016-01-01"])
    persons = HOUSEHOLDS * PER_HOUSEHOLD
    return {
        "nodes": 7 + HOUSEHOLDS + persons + 1,  # + the LoadState node
        "relationships": 6 + HOUSEHOLDS + persons + HOUSEHOLDS,
    }


def _count(driver, database: str) -> tuple[int, int]:
    status = graph_status(driver, database)
    return status["nodes"], status["relationships"]


def _wait_for_nodes(
    driver, database: str, minimum: int, proc: subprocess.Popen, timeout=300
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        records, _, _ = driver.execute_query(
            "MATCH (p:Person) RETURN count(p) AS n", database_=database
        )
        if records[0]["n"] >= minimum:
            return
        if proc.poll() is not None:
            pytest.fail(f"the load ended before it could be interrupted: {proc.stderr.read()}")
        time.sleep(0.05)
    pytest.fail("the load made no progress")


def _start_load(path: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [str(KG), "load", str(path), "--batch-size", "200", "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_killed_loader_completes_on_rerun(empty_db, settings, kg_env, tmp_path):
    expected = make_larger_dataset(tmp_path / "big")
    proc = _start_load(tmp_path / "big", kg_env)
    _wait_for_nodes(empty_db, settings.neo4j_database, 1000, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    partial = _count(empty_db, settings.neo4j_database)
    assert partial[0] < expected["nodes"]
    done = run_kg("load", str(tmp_path / "big"), "--no-progress", env=kg_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _count(empty_db, settings.neo4j_database) == (
        expected["nodes"],
        expected["relationships"],
    )
    # No half-written person: every person of the file is in its household.
    records, _, _ = empty_db.execute_query(
        "MATCH (p:Person) WHERE NOT (p)-[:IN_HOUSEHOLD]->() RETURN count(p) AS n",
        database_=settings.neo4j_database,
    )
    assert records[0]["n"] == 0


@pytest.fixture()
def own_neo4j(tmp_path):
    """A Neo4j of this test alone, since the test kills it."""
    if os.environ.get("NEO4J_URI"):
        pytest.skip("kills the embedded Neo4j; not run against an external server")
    home, port = tmp_path / "home", free_port()
    server = EmbeddedNeo4j(home, port)
    server.start()
    env = {**os.environ, "KG_HOME": str(home), "KG_BOLT_PORT": str(port)}
    env.pop("NEO4J_URI", None)
    try:
        yield server, env
    finally:
        server.stop()


def test_load_completes_after_neo4j_is_killed_and_restarted(own_neo4j, tmp_path):
    server, env = own_neo4j
    settings = Settings.from_env(env)
    expected = make_larger_dataset(tmp_path / "big")
    proc = _start_load(tmp_path / "big", env)
    with open_driver(settings) as driver:
        _wait_for_nodes(driver, settings.neo4j_database, 1000, proc)
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 2, out + err
    assert "Traceback" not in err
    server.start()  # the store recovers from its transaction log
    done = run_kg("load", str(tmp_path / "big"), "--no-progress", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    with open_driver(settings) as driver:
        assert _count(driver, settings.neo4j_database) == (
            expected["nodes"],
            expected["relationships"],
        )
