"""A KG_HOME and embedded Neo4j of a test module's own, for tests that restart, replace or
number what the session's shared Neo4j must keep (batch imports, load histories)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from core.settings import Settings
from graph.embedded.manager import EmbeddedNeo4j
from tests.helpers import free_port

__all__ = ["private_env", "private_neo4j"]


def private_env(
    home: Path, *, heap: str = "1g", page_cache: str = "256m"
) -> tuple[Settings, dict[str, str]]:
    """The settings and the environment for ``kg`` subprocesses (Chinese messages) of an
    embedded Neo4j in ``home`` on a free port, not started."""
    port = free_port()
    env = {
        **os.environ,
        "KG_HOME": str(home),
        "KG_BOLT_PORT": str(port),
        "KG_NEO4J_HEAP": heap,
        "KG_NEO4J_PAGECACHE": page_cache,
        "LANG": "zh_CN.UTF-8",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("NEO4J_URI", None)
    env.pop("LC_ALL", None)
    return Settings.from_env(env), env


@contextlib.contextmanager
def private_neo4j(
    home: Path, *, heap: str = "1g", page_cache: str = "256m"
) -> Iterator[tuple[Settings, dict[str, str]]]:
    """Start an embedded Neo4j in ``home``; yield its settings and the environment for ``kg``
    subprocesses (Chinese messages); stop it at the end."""
    settings, env = private_env(home, heap=heap, page_cache=page_cache)
    server = EmbeddedNeo4j(home, settings.bolt_port, heap=heap, page_cache=page_cache)
    server.start()
    try:
        yield settings, env
    finally:
        server.stop()  # whichever JVM runs now, and reaps the one it started
