"""Named Cypher queries, one per ``.cypher`` file; sub-folders are namespaces (``load/persons``).

This is the single place where a file's text becomes a query. It is injection-safe because
the text comes only from files shipped in this package, chosen by a name that must match an
existing file; every value from a user or a dataset travels as a query parameter, never as
part of the text.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

__all__ = ["QUERY_DIR", "cypher", "names"]

QUERY_DIR = Path(__file__).parent
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")


@functools.cache
def cypher(name: str) -> str:
    """The text of the query ``name`` (e.g. ``"load/persons"``)."""
    if not _NAME.match(name):
        raise KeyError(f"not a query name: {name!r}")
    path = QUERY_DIR / f"{name}.cypher"
    if not path.is_file():
        raise KeyError(f"no query named {name!r}")
    return path.read_text(encoding="utf-8")


def names() -> list[str]:
    """Every query name, sorted."""
    return sorted(
        p.relative_to(QUERY_DIR).with_suffix("").as_posix() for p in QUERY_DIR.rglob("*.cypher")
    )
