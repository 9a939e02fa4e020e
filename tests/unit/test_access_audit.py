"""access.audit: every record masked and clipped before it is written, 0600, rotated by size."""

from __future__ import annotations

import json
import re
import stat

from access.audit import AuditLog, clip

ID_OR_PHONE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9X]|1[3-9]\d{9})(?![0-9A-Za-z])")


def test_paths_params_numbers_cypher_and_errors_are_masked(tmp_path):
    log = AuditLog(tmp_path / "audit.log")
    log.write(
        {
            "path": "/web/entity/533001198603103834",
            "params": {
                "q": "13887510001",
                "limit": 18022383402,
                "id_number": "x",
                "530521197003150114": "1",
            },
            "cypher": "MATCH (p {id_number: '530521197003150114'}) RETURN p",
            "error": {"code": "cypher_error", "message": "Invalid input '530521197003150114'"},
            "rows": 3,
        }
    )
    text = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert not ID_OR_PHONE.findall(text), text
    record = json.loads(text)
    assert record["path"] == "/web/entity/533001********3834"
    assert record["params"] == {
        "q": "138****0001",
        "limit": "180****3402",
        "id_number": "*",
        "530521********0114": "1",
    }
    assert "530521********0114" in record["cypher"] and "530521********0114" in text
    assert record["rows"] == 3


def test_long_values_are_cut():
    assert clip("x" * 600) == "x" * 500 + "…(600 characters)"
    assert clip({"q": "y" * 501})["q"].endswith("…(501 characters)")
    assert clip("short") == "short"


def test_the_log_is_private(tmp_path):
    path = tmp_path / "audit.log"
    path.write_text("")
    path.chmod(0o644)  # as an older kg left it
    AuditLog(path).write({"status": 200})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_rotation_keeps_n_files(tmp_path):
    path = tmp_path / "audit.log"
    log = AuditLog(path, max_bytes=200, keep=3)
    for i in range(40):
        log.write({"n": i, "pad": "p" * 40})
    files = log.files()
    assert [p.name for p in files] == ["audit.log", "audit.log.1", "audit.log.2", "audit.log.3"]
    assert not (tmp_path / "audit.log.4").exists()
    for p in files:
        assert p.stat().st_size <= 200
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    newest = [json.loads(line)["n"] for line in path.read_text().splitlines()]
    older = [json.loads(line)["n"] for line in (tmp_path / "audit.log.1").read_text().splitlines()]
    assert newest[-1] == 39 and max(older) < min(newest)
