"""Helpers shared by the tests (import as ``from tests.helpers import ...``)."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["KG", "free_port", "run_kg"]

# The `kg` console script of the environment running the tests (.venv/bin/kg).
KG = Path(sys.executable).parent / "kg"


def run_kg(
    *args: str,
    env: Mapping[str, str],
    timeout: float = 900,
    input: str | None = None,
    cwd: Path | str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``kg ARGS...`` with environment ``env`` (use the ``kg_env`` fixture); never raises
    on a non-zero exit code: check ``.returncode``, ``.stdout`` and ``.stderr``."""
    return subprocess.run(
        [str(KG), *args],
        env=dict(env),
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        check=False,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
