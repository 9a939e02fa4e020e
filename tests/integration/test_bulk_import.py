"""First loads through Neo4j's batch importer: the same graph as the transactional path, no
half database after a kill, and ``kg load --import-csv`` for seeding a server."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from graph.checksum import graph_checksum
from graph.connection import embedded_server, open_driver
from graph.embedded.importer import BulkImport
from graph.wipe import empty_database
from tests.helpers import KG, run_kg
from tests.integration.private import private_env, private_neo4j

SMALL = Path(__file__).parent.parent / "data" / "small"

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("NEO4J_URI")), reason="the batch importer writes an embedded store"
)


@pytest.fixture(scope="module")
def private(tmp_path_factory) -> Iterator[tuple[Path, Settings, dict[str, str]]]:
    home = tmp_path_factory.mktemp("bulk") / "home"
    with private_neo4j(home) as (settings, env):
        yield home, settings, env


@pytest.fixture(scope="module")
def generated(tmp_path_factory, private) -> Path:
    out = tmp_path_factory.mktemp("generated") / "baoshan"
    done = run_kg(
        "generate", "--profile", "baoshan", "--scale", "0.02", "--seed", "3", "--out", str(out),
        env=private[2],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def _fresh(home: Path, settings: Settings) -> None:
    """An empty graph and no history: the next load is a first load, numbered 1."""
    with open_driver(settings) as driver:
        empty_database(driver, settings.neo4j_database)
    shutil.rmtree(home / "archive", ignore_errors=True)


def _checksum(settings: Settings) -> dict:
    with open_driver(settings, start=False) as driver:  # a new driver: the store was replaced
        return graph_checksum(driver, settings.neo4j_database)


def _load(env: dict[str, str], dataset: Path, how: str) -> dict:
    done = run_kg(
        "load", str(dataset), "--bulk-import", how, "--format", "json", "--no-progress", env=env
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("dataset", ["small", "generated"])
def test_the_importer_gives_the_transactional_graph(private, generated, dataset):
    home, settings, env = private
    path = SMALL if dataset == "small" else generated
    _fresh(home, settings)
    transactional = _load(env, path, "never")
    assert transactional["imported_seconds"] is None
    # two writers, and no transaction ran twice (households lock two kinds of dense nodes)
    assert transactional["retried_transactions"] == 0
    expected = _checksum(settings)
    _fresh(home, settings)
    imported = _load(env, path, "always")
    assert imported["imported_seconds"] is not None
    assert _checksum(settings) == expected
    # the same report, rejects and history either way
    for key in ("read", "loaded", "rejected", "added"):
        assert imported[key] == transactional[key]
    history = json.loads(run_kg("loads", "--format", "json", env=env).stdout)
    assert [h["status"] for h in history] == ["complete"]
    # the schema is there: the card (index seek) and the full-text search answer
    card = json.loads(
        run_kg(
            "query",
            "card",
            "-p",
            "id=P001" if dataset == "small" else "id=" + _first_person(settings),
            env=env,
        ).stdout
    )
    assert card["rows"][0]["provenance"]["load"] == 1
    # and a second load after it is an ordinary transactional load
    again = _load(env, path, "always")
    assert again["imported_seconds"] is None and again["added"] == 0


def _first_person(settings: Settings) -> str:
    with open_driver(settings, start=False) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (p:Person) RETURN p.person_id AS id ORDER BY id LIMIT 1",
            database_=settings.neo4j_database,
        )
    return records[0]["id"]


def _kill_during_import(proc: subprocess.Popen, marker: Path) -> None:
    """Kill ``kg load`` (and the importer it runs) with -9 once its import has begun."""
    deadline = time.monotonic() + 600
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the import never started"
        time.sleep(0.05)
    time.sleep(0.5)  # in the middle of the import
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)


def test_a_first_load_killed_during_the_import_leaves_no_half_database(private, generated):
    home, settings, env = private
    _fresh(home, settings)
    proc = subprocess.Popen(
        [str(KG), "load", str(generated), "--bulk-import", "always", "--no-progress"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    marker = embedded_server(settings).import_marker
    _kill_during_import(proc, marker)
    # Neo4j does not start on the half-written store
    done = run_kg("db", "start", env=env)
    assert done.returncode != 0 and "kg load" in (done.stdout + done.stderr)
    # the next load says so, clears it and imports again from scratch
    done = run_kg("load", str(generated), "--bulk-import", "always", "--no-progress", env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "已清除不完整的数据，本次从头导入" in done.stdout
    assert "第 1 次导入曾中断" in done.stdout
    assert not marker.exists()
    history = json.loads(run_kg("loads", "--format", "json", env=env).stdout)
    assert [h["status"] for h in history] == ["interrupted", "complete"]
    _fresh(home, settings)
    _load(env, generated, "never")
    transactional = _checksum(settings)
    _fresh(home, settings)
    done = run_kg("load", str(generated), "--bulk-import", "always", "--no-progress", env=env)
    assert _checksum(settings) == transactional


def _starts(settings: Settings) -> int:
    """How many times the embedded Neo4j of a home was launched (a line each in its log)."""
    log = embedded_server(settings).log_file
    if not log.exists():
        return 0
    return log.read_text(encoding="utf-8", errors="replace").count("kg: starting")


def test_a_first_load_into_a_new_home_starts_neo4j_once_on_the_imported_store(private, tmp_path):
    home, settings, env = private
    _fresh(home, settings)
    _load(env, SMALL, "never")
    expected = _checksum(settings)
    new, new_env = private_env(tmp_path / "new")
    try:
        imported = _load(new_env, SMALL, "always")
        assert imported["imported_seconds"] is not None and imported["load"] == 1
        # the graph was known to be empty (no Neo4j running, no store): not started before
        assert _starts(new) == 1
        assert _checksum(new) == expected
        # its load state is any first load's: loaded again, every file is unchanged
        again = _load(new_env, SMALL, "always")
        assert again["imported_seconds"] is None and again["load"] == 2
        assert {f["status"] for f in again["files"]} == {"skipped"}
        history = json.loads(run_kg("loads", "--format", "json", env=new_env).stdout)
        assert [h["status"] for h in history] == ["complete", "complete"]
    finally:
        embedded_server(new).stop()


def test_a_first_load_into_a_new_home_killed_during_the_import_starts_again(generated, tmp_path):
    new, env = private_env(tmp_path / "new")
    marker = embedded_server(new).import_marker
    proc = subprocess.Popen(
        [str(KG), "load", str(generated), "--bulk-import", "always", "--no-progress"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        _kill_during_import(proc, marker)
        assert _starts(new) == 0
        # the next load clears the half store, knows the graph empty and imports again
        report = _load(env, generated, "always")
        assert report["recovered_import"] is True and report["interrupted_loads"] == [1]
        assert report["imported_seconds"] is not None and report["load"] == 2
        assert report["added"] == report["loaded"] > 0
        assert not marker.exists() and _starts(new) == 1
        history = json.loads(run_kg("loads", "--format", "json", env=env).stdout)
        assert [h["status"] for h in history] == ["interrupted", "complete"]
    finally:
        embedded_server(new).stop()


def test_import_csv_writes_the_importers_input(private, tmp_path):
    home, settings, env = private
    folder = tmp_path / "seed"
    offline = {**env, "KG_BOLT_PORT": "1"}  # no database is needed, nor reached
    done = run_kg("load", str(SMALL), "--import-csv", str(folder), "--no-progress", env=offline)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "import.sh" in done.stdout and "图谱没有任何改动" in done.stdout
    assert "写出 Neo4j 导入工具的文件，不写入图谱" in done.stdout.splitlines()[0]
    assert "None" not in done.stdout  # no load number: nothing was loaded
    script = (folder / "import.sh").read_text(encoding="utf-8")
    assert "database import full" in script and "--nodes=Person=nodes-persons.csv" in script
    # the files, imported, make the graph a transactional load makes
    _fresh(home, settings)
    _load(env, SMALL, "never")
    expected = _checksum(settings)
    _fresh(home, settings)
    # import.sh names every file with its label or type: import them as it says
    args = [a.strip(" \\") for a in script.split() if a.startswith("--")]
    nodes = [a.removeprefix("--nodes=").split("=") for a in args if a.startswith("--nodes=")]
    rels = [a.removeprefix("--relationships=").split("=") for a in args if "--relationships=" in a]
    server = embedded_server(settings)
    BulkImport(server).run(
        [(label, folder / name) for label, name in nodes],
        [(kind, folder / name) for kind, name in rels],
    )
    server.stop()  # it was started by this process: stop it here, start it as kg does
    assert run_kg("db", "start", env=env).returncode == 0
    assert _checksum(settings) == expected
    # a dataset that refers to ids it does not hold cannot seed a server: those rows are rejected
    partial = tmp_path / "partial"
    partial.mkdir()
    shutil.copy(SMALL / "regions.csv", partial)
    shutil.copy(SMALL / "pairings.csv", partial)
    done = run_kg("load", str(partial), "--import-csv", str(tmp_path / "p"), env=offline)
    assert done.returncode == 1 and "找不到编号" in done.stdout
