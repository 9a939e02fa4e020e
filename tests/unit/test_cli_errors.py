"""kg/cli.py: the one place a KgError becomes a message and an exit code."""

from __future__ import annotations

import os

from tests.helpers import run_kg


def test_a_kg_error_is_one_line_and_its_exit_code(tmp_path):
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "tokens.json").write_text("{not json")
    env = {**os.environ, "KG_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    done = run_kg("token", "list", env=env)
    assert done.returncode == 2  # ConfigError.exit_code
    assert done.stderr.startswith("kg token: ") and "is not a token file of kg" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_bad_setting_is_reported_the_same_way(tmp_path):
    env = {**os.environ, "KG_HOME": str(tmp_path), "KG_RATE_LIMIT": "lots"}
    done = run_kg("token", "list", env=env)
    assert done.returncode == 2 and "KG_RATE_LIMIT" in done.stderr
    assert "Traceback" not in done.stderr
