"""``kg serve`` under gunicorn (kg.server): a 100 kB search reaches the app and gets its JSON
414, and what gunicorn still refuses itself (raw UTF-8 in the request line) is answered in
JSON too; both are in the audit log."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import KG, free_port
from tests.integration.api_support import AUDIT_LOGS


@pytest.fixture(scope="module")
def served(kg_env, tmp_path_factory) -> Iterator[tuple[int, Path]]:
    tmp = tmp_path_factory.mktemp("serve")
    log = tmp / "audit.log"
    AUDIT_LOGS.append(log)
    port = free_port()
    server = subprocess.Popen(
        [str(KG), "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env={**kg_env, "KG_AUDIT_LOG": str(log)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):  # up to a minute for the worker to answer
            if server.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        assert server.poll() is None, "kg serve did not start"
        yield port, log
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def _lines(log: Path) -> list[dict]:
    for _ in range(50):  # the line is written after the answer is sent
        lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
        if lines:
            return lines
        time.sleep(0.1)
    return []


def test_a_100_kb_search_gets_the_apps_json_414(served):
    port, log = served
    q = urllib.parse.quote("x" * 100_000)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", f"/api/search?q={q}")
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    assert response.status == 414 and response.getheader("Content-Type") == "application/json"
    assert body["error"]["code"] == "uri_too_long"
    line = next(x for x in reversed(_lines(log)) if x["path"] == "/api/search")
    assert line["status"] == 414 and line["error"]["code"] == "uri_too_long"


def test_raw_utf8_in_the_request_line_is_answered_in_json_and_audited(served):
    port, log = served
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall("GET /api/search?q=杨春华 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        raw = b""
        while chunk := s.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head
    assert json.loads(body)["error"]["code"] == "bad_request_line"
    line = next(x for x in reversed(_lines(log)) if x["status"] == 400)
    assert line["error"]["code"] == "bad_request_line" and "request_line" in line
