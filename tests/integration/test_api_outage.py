"""The API while Neo4j is down: 503 with a JSON error, and back to 200 when Neo4j returns.

Uses an embedded Neo4j of its own (own KG_HOME, own free port), stopped and restarted here;
the session's Neo4j is not touched.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import replace

import pytest

from access.tokens import TokenStore
from core.settings import ApiConfig, Settings
from graph.embedded.manager import EmbeddedNeo4j
from kg.app import create_app
from tests.helpers import free_port

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("NEO4J_URI")), reason="needs the embedded Neo4j to stop and start it"
)


def _until(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_503_while_neo4j_is_down_and_recovery(tmp_path, caplog):
    home, port = tmp_path / "kg-home", free_port()
    server = EmbeddedNeo4j(home, port, heap="512m", page_cache="64m")
    settings = replace(Settings.from_env({}), kg_home=home.resolve(), bolt_port=port)
    config = replace(
        ApiConfig.from_env(settings, {}),
        token_file=tmp_path / "tokens.json",
        audit_log=tmp_path / "audit.log",
        rate_limit=None,
    )
    _, token = TokenStore(config.token_file).create("viewer")
    headers = {"Authorization": f"Bearer {token}"}
    path = "/api/queries/households_without_helper?as_of=2020-12-31"

    # Started before Neo4j: 503, not a crash.
    late = create_app(settings, config=config).test_client()
    response = late.get(path, headers=headers)
    assert response.status_code == 503
    assert response.json["error"]["code"] == "neo4j_unavailable"
    health = late.get("/api/health")
    assert health.status_code == 503 and health.json == {
        "status": "unavailable",
        "neo4j": False,
        "version": health.json["version"],
        "warm": None,
    }

    app = create_app(settings, config=config)
    client = app.test_client()
    server.start()
    try:
        assert client.get(path, headers=headers).status_code == 200
        assert late.get(path, headers=headers).status_code == 200  # picked up when it came

        server.stop()
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="neo4j"):
            response = client.get(path, headers=headers)
        assert response.status_code == 503, response.json
        assert response.json["error"]["code"] == "neo4j_unavailable"
        assert "Retry-After" in response.headers
        # fails fast: the driver's 30 s of retries would wait 1, 2, 4, 8 and 16 s (5 retries);
        # the service's 2 s allow at most 3
        retries = [r for r in caplog.records if "will be retried" in r.getMessage()]
        assert len(retries) <= 3, [r.getMessage() for r in retries]
        assert client.get("/api/health").status_code == 503

        server.start()
        assert _until(lambda: client.get(path, headers=headers).status_code == 200)
        assert client.get("/api/health").json["neo4j"] is True
    finally:
        server.stop()
        app.extensions["kg"].graph.close()
        late.application.extensions["kg"].graph.close()
