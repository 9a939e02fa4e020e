"""What identifies a fact and what it says: row keys (§4), key strings, value digests.

A row of a contract file states one fact. Its **key** (``FileSpec.key``) identifies the fact
from one export to the next: the same key with other values *changes* the fact, another key is
another fact. The key is kept in the graph as text (``key_string``: the id for files with ids,
the key's parts joined by ``|`` for the others) on the fact's node or relationship, with a
64-bit **digest** of the values (``value_digest``), so that a later load can tell an unchanged
row from a changed one without reading the fact's properties.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from core.contract import FileSpec

__all__ = ["key_digest", "key_dict", "key_parts", "key_string", "plain", "value_digest"]


def plain(value: Any) -> Any:
    """A value as JSON and the graph's text keys write it (dates as ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def key_parts(spec: FileSpec, values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(column, value) of each part of the row key; of alternatives, the first non-empty."""
    parts: list[tuple[str, Any]] = []
    for part in spec.key:
        if isinstance(part, str):
            parts.append((part, values.get(part)))
            continue
        chosen = next((c for c in part if values.get(c) is not None), part[0])
        parts.append((chosen, values.get(chosen)))
    return parts


def key_string(spec: FileSpec, values: Mapping[str, Any]) -> str:
    """The key as kept in the graph: ``P001`` or ``P001|H001|2016-01-01``."""
    parts = key_parts(spec, values)
    if len(parts) == 1:
        return str(plain(parts[0][1]))
    return "|".join("" if v is None else str(plain(v)) for _, v in parts)


def key_dict(spec: FileSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """The key as ``kg changes`` shows it: ``{"helper_id": "Q1", "household_id": "H1", ...}``."""
    return {column: plain(value) for column, value in key_parts(spec, values)}


def _digest64(text: str) -> int:
    raw = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(raw, "big", signed=True)


#: ``json.dumps(..., ensure_ascii=False, default=str)`` without building an encoder per call
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


def key_digest(key: str) -> int:
    """A signed 64-bit digest of a key string (for sorted arrays of a file's keys)."""
    return _digest64(key)


def value_digest(spec: FileSpec, values: Mapping[str, Any]) -> int:
    """A signed 64-bit digest of everything a row states (every column, in contract order).

    The digests are kept in the graph (``fact_hash``): their text must not change (the
    JSON of the values as :func:`plain` writes them; ``tests/unit/test_facts.py`` pins it)."""
    text = _JSON.encode(
        [v.isoformat() if isinstance(v, dt.date) else v for v in map(values.get, spec.column_names)]
    )
    return _digest64(text)
