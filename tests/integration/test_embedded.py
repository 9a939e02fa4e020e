"""The embedded Neo4j and `kg db`: start/stop, status, password, clean shutdown, port clash."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from neo4j.exceptions import AuthError

from core.settings import Settings
from graph.connection import open_driver
from graph.embedded.manager import EmbeddedNeo4j
from tests.helpers import free_port, run_kg

# What Neo4j 5 writes to debug.log when a database was not shut down cleanly, e.g.
# "Transaction logs recovery is required with the last check point ...",
# "Recovery required from position LogPosition{...}", "Recovery in 'full' mode completed. ...".
RECOVERY = re.compile(
    r"recovery is required|recovery required|recovery in '\w+' mode completed", re.I
)

STATUS_KEYS = {"uri", "running", "database", "nodes", "relationships", "labels", "types"}


def _embedded_only(settings: Settings) -> None:
    if not settings.embedded:
        pytest.skip("the session uses an external Neo4j (NEO4J_URI is set)")


@pytest.fixture()
def own_embedded(tmp_path: Path) -> Iterator[tuple[EmbeddedNeo4j, dict[str, str]]]:
    """An embedded Neo4j of its own (home, free port, small memory), not started; stopped after."""
    home = tmp_path / "kg-home"
    port = free_port()
    env = {
        **os.environ,
        "KG_HOME": str(home),
        "KG_BOLT_PORT": str(port),
        "KG_NEO4J_HEAP": "1g",
        "KG_NEO4J_PAGECACHE": "256m",
    }
    env.pop("NEO4J_URI", None)
    server = EmbeddedNeo4j(home, port)
    try:
        yield server, env
    finally:
        server.stop()


def _new_text(path: Path, offset: int) -> str:
    with path.open("rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", errors="replace")


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def test_start_is_idempotent(settings: Settings, kg_env: dict[str, str]) -> None:
    _embedded_only(settings)
    server = EmbeddedNeo4j(settings.kg_home, settings.bolt_port)
    pid = server.pid()
    assert pid is not None and server.is_running()

    server.start()
    assert server.pid() == pid

    done = run_kg("db", "start", env=kg_env)
    assert done.returncode == 0, done.stderr
    assert "already running" in done.stdout
    assert server.pid() == pid


def test_status_json_counts(
    empty_db: neo4j.Driver, settings: Settings, kg_env: dict[str, str]
) -> None:
    empty_db.execute_query(
        """
        CREATE (a:Person {name: 'a'}), (b:Person {name: 'b'}), (c:Person:Cadre {name: 'c'}),
               (v:Village {name: 'v'}), (w:`Odd ``label`` here` {name: 'w'})
        CREATE (a)-[:KNOWS]->(b), (b)-[:KNOWS]->(c), (a)-[:LIVES_IN]->(v), (c)-[:LIVES_IN]->(v),
               (w)-[:`ODD TYPE`]->(v)
        """,
        database_=settings.neo4j_database,
    )

    done = run_kg("db", "status", "--format", "json", env=kg_env)

    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert STATUS_KEYS <= status.keys()
    assert status["running"] is True
    assert status["database"] == settings.neo4j_database
    assert status["nodes"] == 5
    assert status["relationships"] == 5
    assert status["labels"] == {"Person": 3, "Cadre": 1, "Village": 1, "Odd `label` here": 1}
    assert status["types"] == {"KNOWS": 2, "LIVES_IN": 2, "ODD TYPE": 1}
    if settings.embedded:
        assert status["uri"] == f"bolt://127.0.0.1:{settings.bolt_port}"
        assert status["home"] == str(settings.kg_home)
        assert status["pid"] == EmbeddedNeo4j(settings.kg_home, settings.bolt_port).pid()
    else:
        assert status["uri"] == settings.neo4j_uri


def test_status_table(empty_db: neo4j.Driver, settings: Settings, kg_env: dict[str, str]) -> None:
    empty_db.execute_query(
        "CREATE (:Person)-[:KNOWS]->(:Person)", database_=settings.neo4j_database
    )

    done = run_kg("db", "status", env=kg_env)

    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.splitlines()]
    assert ["running", "yes"] in lines
    assert ["nodes", "2"] in lines
    assert ["relationships", "1"] in lines
    assert ["Person", "2"] in lines
    assert ["KNOWS", "1"] in lines


def test_password_file_and_auth(settings: Settings) -> None:
    _embedded_only(settings)
    server = EmbeddedNeo4j(settings.kg_home, settings.bolt_port)

    assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
    assert len(server.password()) >= 20

    for auth in [("neo4j", "neo4j"), ("neo4j", server.password() + "x")]:
        with neo4j.GraphDatabase.driver(server.uri, auth=auth) as wrong:
            with pytest.raises(AuthError):
                wrong.verify_connectivity()


def test_stop_start_shuts_down_cleanly(own_embedded: tuple[EmbeddedNeo4j, dict[str, str]]) -> None:
    server, env = own_embedded
    debug_log = server.neo4j_home / "logs" / "debug.log"

    done = run_kg("db", "start", env=env)
    assert done.returncode == 0, done.stderr
    assert server.is_running()
    with open_driver(Settings.from_env(env), start=False) as driver:
        driver.execute_query("UNWIND range(1, 500) AS i CREATE (:Item {i: i})", database_="neo4j")

    log_offset = _size(server.log_file)
    done = run_kg("db", "stop", env=env)
    assert done.returncode == 0, done.stderr
    assert not server.is_running()
    assert not server.pid_file.exists()
    assert "stopped cleanly" in _new_text(server.log_file, log_offset)

    stopped = run_kg("db", "status", "--format", "json", env=env)
    assert stopped.returncode == 3, stopped.stderr
    report = json.loads(stopped.stdout)
    assert report["running"] is False
    assert report["uri"] == server.uri
    assert report["home"] == str(server.home)

    debug_offset = _size(debug_log)
    done = run_kg("db", "start", env=env)
    assert done.returncode == 0, done.stderr
    restart_log = _new_text(debug_log, debug_offset)
    assert "is ready." in restart_log  # the databases did start (the log is the right one)
    assert not RECOVERY.search(restart_log), RECOVERY.search(restart_log)
    with open_driver(Settings.from_env(env), start=False) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (n:Item) RETURN count(n) AS n", database_="neo4j"
        )
        assert records[0]["n"] == 500
        # Written after the last checkpoint: from now on only a clean stop avoids recovery.
        driver.execute_query("CREATE (:Item {i: 501})", database_="neo4j")

    # The check above means something: a killed JVM does leave a store that needs recovery.
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    while server.is_running():  # SIGKILL is delivered asynchronously
        time.sleep(0.1)
    debug_offset = _size(debug_log)
    server.start()
    assert RECOVERY.search(_new_text(debug_log, debug_offset))


def test_start_on_a_taken_port_fails_clearly(
    own_embedded: tuple[EmbeddedNeo4j, dict[str, str]],
) -> None:
    server, env = own_embedded
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", server.port))
        other.listen()

        done = run_kg("db", "start", env=env)

    assert done.returncode not in (0, None)
    assert f"port {server.port}" in done.stderr
    assert "already in use" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not server.is_running()


def test_external_server_is_not_started_or_stopped(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{port}", "KG_HOME": str(tmp_path)}

    for command in ("start", "stop"):
        done = run_kg("db", command, env=env)
        assert done.returncode == 0, done.stderr
        assert "external server" in done.stdout

    done = run_kg("db", "status", "--format", "json", env=env)
    assert done.returncode == 3
    report = json.loads(done.stdout)
    assert report["running"] is False
    assert report["uri"] == f"bolt://127.0.0.1:{port}"
    assert "unreachable" in report["error"]
    assert not (tmp_path / "neo4j").exists()
