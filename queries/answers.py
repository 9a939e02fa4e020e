"""The result store: answers kept in the graph database itself, shared by every worker, process
and API host that reads it.

An answer is a node ``(:Answer {key, name, version, load, digest, body, written})``:

* ``key`` — a digest of what was asked (the query or computation's name, its parameters, the
  caller's region scope); unique (``graph/schema.cypher``);
* ``version`` and ``load`` — the graph's load stamp (``LoadState.updated_at``, written by the
  loader at the start and at the end of every load) and load number when it was computed. An
  answer is served only while the graph is still at that stamp: exact until the next load;
* ``body`` — the answer as JSON (dates and the registered dataclasses survive the round
  trip), zlib-compressed; ``digest`` — its sha256.

An answer from an older load, or one that fails to decode or whose digest does not match (a
corrupt store), is ignored: the caller computes it again and it replaces the bad one. Nothing
is written for a graph never loaded (so an empty database stays empty for the batch importer),
nor when the graph's stamp moved while it was computed. Writing needs write access: when the
store cannot be written (a read-only user, a follower without routing) the answer is served
anyway and the failure logged once.

The ``(:AnswerWarm {key: 'warm'})`` node holds the progress of the warm-up (access/warm.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
import neo4j.exceptions as nex

from queries import cypher, runner

__all__ = [
    "Lookup",
    "StoreError",
    "decode",
    "encode",
    "key_of",
    "lookup",
    "prune",
    "storable",
    "store",
    "warm_progress",
    "write_progress",
]

log = logging.getLogger("kg.answers")

T = TypeVar("T")

#: dataclasses an answer may hold, by name (registered with :func:`storable`): decoding builds
#: only these, never a class named by the store
_TYPES: dict[str, type] = {}


class StoreError(ValueError):
    """A stored body that does not decode (corrupt): ignored, computed again."""


def storable(cls: type[T]) -> type[T]:
    """Register the dataclass ``cls`` as one an answer may hold (a class decorator)."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    _TYPES[cls.__qualname__] = cls
    return cls


def _tag(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, list):
        return [_tag(v) for v in value]
    if isinstance(value, tuple):
        return {"$t": [_tag(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _tag(v) for k, v in value.items()}
        return {"$m": [[_tag(k), _tag(v)] for k, v in value.items()]}
    return _record(value, _tag)


def _record(value: Any, inner: Callable[[Any], Any]) -> Any:
    """A query result (rows as lists: no key repeated in every row) or a registered dataclass
    (its fields through ``inner``) as JSON; anything else cannot be stored."""
    if isinstance(value, runner.Result):  # rows as lists: no key repeated in every row
        columns = list(value.columns)
        return {
            "$r": [
                value.query,
                value.params,
                columns,
                [[row.get(c) for c in columns] for row in value.rows],
                value.summary,
            ]
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__qualname__
        if _TYPES.get(name) is not type(value):
            raise TypeError(f"{name} is not registered with queries.answers.storable")
        fields = {f.name: inner(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$c": name, "f": fields}
    raise TypeError(f"cannot store a {type(value).__name__}")


def _default(value: Any) -> Any:
    """The JSON of what ``json`` does not know (dates, registered dataclasses)."""
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    return _record(value, lambda v: v)  # json encodes the fields (and calls back for theirs)


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$r" in obj:
            query, params, columns, values, summary = obj["$r"]
            rows = [dict(zip(columns, v, strict=True)) for v in values]
            return runner.Result(query, params, columns, rows, summary)
        if "$d" in obj:
            return dt.date.fromisoformat(obj["$d"])
        if "$dt" in obj:
            return dt.datetime.fromisoformat(obj["$dt"])
    elif len(obj) == 2 and "$c" in obj:
        cls = _TYPES.get(obj["$c"])
        if cls is None:
            raise StoreError(f"unknown stored type {obj['$c']!r}")
        return cls(**obj["f"])
    return obj


def encode(value: Any) -> tuple[bytes, str]:
    """``value`` as a stored body and its digest (TypeError for what cannot be stored).

    JSON values (dict keys strings, not starting with ``$``), dates, datetimes and the
    dataclasses registered with :func:`storable`; a tuple comes back as a list. The encoding
    and decoding run in ``json``'s C code, with a Python call only for dates and dataclasses:
    reading an answer back must cost far less than computing it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_default)
    body = zlib.compress(text.encode("utf-8"), 6)
    return body, hashlib.sha256(body).hexdigest()


def decode(body: bytes, digest: str | None) -> Any:
    """The value of a stored body; :class:`StoreError` when it is corrupt."""
    if not isinstance(body, bytes | bytearray) or hashlib.sha256(body).hexdigest() != digest:
        raise StoreError("digest mismatch")
    try:
        return json.loads(zlib.decompress(body).decode("utf-8"), object_hook=_hook)
    except (zlib.error, UnicodeDecodeError, ValueError, TypeError, KeyError) as exc:
        raise StoreError(str(exc)) from None


def key_of(parts: tuple[Any, ...]) -> str:
    """The store's key of what was asked (its name, parameters and scope)."""
    text = json.dumps(_tag(parts), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Lookup:
    """What :func:`lookup` found: the graph's stamp and load, and the answer if it is valid.

    ``state``: ``"hit"``, ``"missing"``, ``"stale"`` (from another load) or ``"corrupt"``."""

    version: str | None
    load: int | None
    state: str
    value: Any = None


def lookup(driver: neo4j.Driver, database: str, key: str) -> Lookup:
    """The answer kept under ``key``, if it is for the graph's current load and checks."""
    _, rows = runner.run(driver, database, "support/answer_read", {"key": key})
    row = rows[0]
    version, load = row["version"], row["load"]
    if row["body"] is None:
        return Lookup(version, load, "missing")
    if version is None or row["answer_version"] != version:
        return Lookup(version, load, "stale")
    try:
        value = decode(row["body"], row["digest"])
    except StoreError as exc:
        log.warning(
            "result store: the answer %s… is corrupt (%s); computing it again", key[:12], exc
        )
        return Lookup(version, load, "corrupt")
    return Lookup(version, load, "hit", value)


_warned: set[str] = set()


def _write(driver: neo4j.Driver, database: str, name: str, params: Mapping[str, Any]) -> Any:
    try:
        records, _, _ = driver.execute_query(
            cypher(name),
            parameters_=dict(params),
            database_=database,
            routing_="w",
            bookmark_manager_=None,
        )
        return records
    except nex.ConstraintError:
        return None  # another worker kept the same answer at the same moment
    except (nex.Neo4jError, nex.DriverError) as exc:
        if name not in _warned:
            _warned.add(name)
            log.warning("result store: cannot write (%s); answers are computed, not kept", exc)
        return None


def store(
    driver: neo4j.Driver,
    database: str,
    key: str,
    name: str,
    version: str | None,
    load: int | None,
    value: Any,
) -> bool:
    """Keep ``value`` under ``key`` if the graph is still at ``version`` (never for a graph
    never loaded); whether it was kept."""
    if version is None:
        return False
    try:
        body, digest = encode(value)
    except (TypeError, ValueError) as exc:  # served anyway, computed again next time
        log.warning("result store: %s cannot be kept (%s)", name, exc)
        return False
    records = _write(
        driver,
        database,
        "support/answer_write",
        {
            "key": key,
            "name": name,
            "version": version,
            "load": load,
            "digest": digest,
            "body": body,
        },
    )
    return bool(records)


def prune(driver: neo4j.Driver, database: str) -> int:
    """Remove the answers not for the graph's current load; how many."""
    records = _write(driver, database, "support/answer_prune", {})
    return int(records[0]["removed"]) if records else 0


def warm_progress(driver: neo4j.Driver, database: str) -> dict[str, Any]:
    """The warm-up's progress for the graph's current load: ``{"done", "total", "load",
    "running"}`` (``done``/``total`` null when no warm-up ran for this load)."""
    _, rows = runner.run(driver, database, "support/warm_read")
    row = rows[0]
    current = row["version"] is not None and row["warm_version"] == row["version"]
    return {
        "done": row["done"] if current else None,
        "total": row["total"] if current else None,
        "load": row["load"],
        "running": bool(row["running"]) if current else False,
    }


def write_progress(
    driver: neo4j.Driver,
    database: str,
    *,
    version: str | None,
    load: int | None,
    done: int,
    total: int,
    running: bool,
) -> None:
    """Record the warm-up's progress (nothing for a graph never loaded)."""
    if version is None:
        return
    _write(
        driver,
        database,
        "support/warm_write",
        {"version": version, "load": load, "done": done, "total": total, "running": running},
    )
