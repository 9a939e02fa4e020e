"""Named Cypher queries, one per ``.cypher`` file; sub-folders are namespaces (``viz/helper``).

The files are read by :class:`graph.cypher.CypherFiles` (the one place where a file's text
becomes a query, and why that is injection-safe).
"""

from __future__ import annotations

from pathlib import Path

from graph.cypher import CypherFiles

__all__ = ["QUERY_DIR", "cypher", "query_names"]

QUERY_DIR = Path(__file__).parent
_FILES = CypherFiles(QUERY_DIR)


def cypher(name: str) -> str:
    """The text of the query ``name`` (e.g. ``"viz/helper"``)."""
    return _FILES.text(name)


def query_names() -> list[str]:
    """Every query name, sorted. (Not ``names``: that is the module :mod:`queries.names`,
    which would replace a function of that name once imported.)"""
    return _FILES.names()
