"""Fixtures of the integration tests: one Neo4j for the whole session.

* ``NEO4J_URI`` set: the tests use that server (NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE).
  ``empty_db`` deletes everything in its database: never point the tests at data you keep.
* ``NEO4J_URI`` unset: an embedded Neo4j is started in a temporary KG_HOME on a free port, and
  stopped at the end of the session. ``KG_HOME`` and ``KG_BOLT_PORT`` are set in ``os.environ``
  for the session, so code calling ``Settings.from_env()`` and ``kg`` subprocesses (pass
  ``env=kg_env``) use it too.

Fixtures: ``neo4j_settings`` / ``settings`` (core.settings.Settings), ``kg_env`` (dict for
``subprocess`` ``env=``), ``driver`` (session-wide neo4j.Driver), ``empty_db`` (the driver,
after deleting all nodes and relationships; constraints and indexes are kept).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from core.settings import Settings
from graph.connection import database_name, open_driver
from graph.embedded.manager import EmbeddedNeo4j
from graph.wipe import empty_database
from tests.helpers import free_port
from tests.integration.api_support import AUDIT_LOGS

_KG_VARIABLES = ("KG_HOME", "KG_BOLT_PORT")


@pytest.fixture(scope="session", autouse=True)
def _no_warm_up() -> Iterator[None]:
    """kg load and kg serve compute answers in advance by default; the tests' many loads turn
    it off (KG_WARM=off) except where the warm-up itself is tested (KG_WARM=on there)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("KG_WARM", "off")
    yield
    patch.undo()


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The settings of the session's Neo4j (started here if embedded)."""
    if os.environ.get("NEO4J_URI"):
        yield Settings.from_env()
        return

    home = tmp_path_factory.mktemp("kg-home")
    port = free_port()
    patch = pytest.MonkeyPatch()
    patch.setenv("KG_HOME", str(home))
    patch.setenv("KG_BOLT_PORT", str(port))
    server = EmbeddedNeo4j(home, port)
    try:
        server.start()
        yield Settings.from_env()
    finally:
        try:
            server.stop()
        finally:
            patch.undo()


@pytest.fixture(scope="session")
def settings(neo4j_settings: Settings) -> Settings:
    """core.settings.Settings of the session's Neo4j."""
    return neo4j_settings


@pytest.fixture(scope="session")
def kg_env(neo4j_settings: Settings) -> dict[str, str]:
    """Environment for ``run_kg(..., env=kg_env)``: the session's Neo4j, and UTF-8 output."""
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    if neo4j_settings.embedded:
        env.pop("NEO4J_URI", None)
        env["KG_HOME"] = str(neo4j_settings.kg_home)
        env["KG_BOLT_PORT"] = str(neo4j_settings.bolt_port)
    return env


@pytest.fixture(scope="session")
def driver(neo4j_settings: Settings) -> Iterator[neo4j.Driver]:
    """A driver to the session's Neo4j, shared by all tests."""
    with open_driver(neo4j_settings) as session_driver:
        yield session_driver


@pytest.fixture()
def empty_db(driver: neo4j.Driver, neo4j_settings: Settings) -> neo4j.Driver:
    """The session's driver, after deleting every node and relationship of the database.

    Constraints and indexes are kept (the schema is idempotent: apply it in the test if needed).
    """
    empty_database(driver, database_name(neo4j_settings))
    return driver


#: a full 18-character id number or 11-digit mobile number standing on its own
UNMASKED = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9Xx]|1[3-9]\d{9})(?![0-9A-Za-z])")


def unmasked_in_logs(paths: list[Path]) -> tuple[int, list[str]]:
    """(lines read, the unmasked numbers found) in the audit logs ``paths`` and their
    rotated files."""
    lines, found = 0, []
    for path in paths:
        for item in [path, *sorted(path.parent.glob(path.name + ".*"))]:
            if not item.is_file() or item.suffix == ".lock":
                continue
            for line in item.read_text(encoding="utf-8").splitlines():
                lines += 1
                found += UNMASKED.findall(line)
    return lines, found


@pytest.fixture(scope="session", autouse=True)
def audit_scan() -> Iterator[None]:
    """After every integration test: the audit logs of all the apps they made (the whole API
    and explorer test traffic, hostile inputs included) hold no full id number or phone."""
    yield
    lines, found = unmasked_in_logs(AUDIT_LOGS)
    assert not found, f"unmasked in the audit logs: {sorted(set(found))[:5]}"
    assert lines > 0 or not AUDIT_LOGS
