"""A query's Cypher wrapped so that Neo4j finishes the work: its rows as one list, one page of
them, or their count.

The Python driver handles each record of an answer in Python: about 35 µs a record on this
project's machine, so the 98,367 current pairings of the scale-1 dataset took ~5 s as records
and ~0.7 s as one list in one record (bench/NOTES.md). An answer of many rows therefore travels
as lists of values in one record (:func:`collected`), and a worklist's page is cut in Neo4j with
the total beside it (:func:`paged`), or only counted (:func:`counted`): the rows left out never
leave the database.

The query becomes a ``CALL () { ... }`` subquery. Its final ``ORDER BY`` (over the columns it
returns, as every named worklist ends) is moved after the subquery, where it orders the rows
before ``collect()``: sorting before collecting is what orders the list. :func:`split_order`
finds it; a query that ends otherwise (``LIMIT``, a subquery) is only collected, unordered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Wrapped", "collected", "counted", "paged", "split_order"]

#: the last clause of a query: ORDER BY over plain column names (ASC/DESC), nothing after it
_ORDER = re.compile(
    r"\bORDER\s+BY\s+(?P<order>[A-Za-z_][A-Za-z0-9_]*(?:\s+(?:ASC|DESC))?"
    r"(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*(?:\s+(?:ASC|DESC))?)*)\s*;?\s*\Z",
    re.IGNORECASE,
)
_RETURN = re.compile(r"\bRETURN\b", re.IGNORECASE)
_COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def code_of(text: str) -> str:
    """The query without its comment lines (``//`` at the start of a line)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def split_order(text: str) -> tuple[str, str | None]:
    """The query without its final ``ORDER BY``, and that clause's columns (None when the
    query does not end with an ORDER BY over returned columns after its last RETURN)."""
    code = code_of(text).rstrip()
    found = _ORDER.search(code)
    returns = [m.start() for m in _RETURN.finditer(code)]
    if found is None or not returns or found.start() < returns[-1]:
        return code, None
    return code[: found.start()].rstrip(), " ".join(found["order"].split())


@dataclass(frozen=True)
class Wrapped:
    """A wrapped query: its text and the columns of its rows' lists."""

    text: str
    columns: tuple[str, ...]


def _columns(columns: Sequence[str]) -> str:
    for c in columns:
        if not _COLUMN.match(c):
            raise ValueError(f"not a column name: {c!r}")
    return ", ".join(f"`{c}`" for c in columns)


def _ordered(text: str, columns: Sequence[str]) -> str:
    body, order = split_order(text)
    names = _columns(columns)
    out = f"CALL () {{\n{body}\n}}\nWITH {names}"
    if order:
        out += f"\nORDER BY {order}"
    return out


def collected(text: str, columns: Sequence[str]) -> Wrapped:
    """The query's rows as one record: ``rows`` is a list of lists of ``columns``' values, in
    the query's own order."""
    out = _ordered(text, columns) + f"\nRETURN collect([{_columns(columns)}]) AS rows"
    return Wrapped(out, tuple(columns))


def paged(text: str, columns: Sequence[str]) -> Wrapped:
    """One page of the query's rows (``$page_skip``, ``$page_limit``) as one record: ``total``,
    the number of rows, and ``rows``, those of the page as lists of values, in the query's
    own order."""
    out = (
        _ordered(text, columns)
        + f"\nWITH collect([{_columns(columns)}]) AS listed"
        + "\nRETURN size(listed) AS total, listed[$page_skip..$page_skip + $page_limit] AS rows"
    )
    return Wrapped(out, tuple(columns))


def counted(text: str) -> Wrapped:
    """The number of the query's rows, as ``total``."""
    body, _ = split_order(text)
    return Wrapped(f"CALL () {{\n{body}\n}}\nRETURN count(*) AS total", ())
