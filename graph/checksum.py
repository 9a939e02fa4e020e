"""A checksum of a whole graph: counts, and a digest of every label, type and property.

Two graphs with the same checksum hold the same nodes (labels and properties) joined by the same
relationships (type, properties, and the nodes at both ends) — whatever their internal ids or
the order they were written in. The ``LoadState`` node (which files the graph was last loaded
from, and when) and the result store's ``Answer`` and ``AnswerWarm`` nodes (queries/answers.py)
are bookkeeping, not facts, and are left out. Used by the tests that compare
``kg rebuild`` and the importer with the transactional load.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import neo4j

__all__ = ["graph_checksum"]

_MASK = (1 << 128) - 1


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    iso = getattr(value, "iso_format", None)
    if iso is not None:
        return iso()
    if isinstance(value, float) and value.is_integer():
        return {"float": repr(value)}
    return value


def _digest(*parts: Any) -> int:
    text = json.dumps([_canonical(p) for p in parts], ensure_ascii=False, sort_keys=True)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=16).digest(), "big")


def graph_checksum(driver: neo4j.Driver, database: str) -> dict[str, Any]:
    """``{"nodes": n, "relationships": m, "checksum": hex}`` of the database's facts."""
    node_digest: dict[str, int] = {}
    total = 0
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        for record in session.run(
            "MATCH (n) WHERE NOT (n:LoadState OR n:Answer OR n:AnswerWarm) "
            "RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props"
        ):
            d = _digest(sorted(record["labels"]), record["props"])
            node_digest[record["id"]] = d
            total = (total + d) & _MASK
        relationships = 0
        for record in session.run(
            "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, elementId(b) AS b, "
            "type(r) AS type, properties(r) AS props"
        ):
            ends = (node_digest.get(record["a"], 0), node_digest.get(record["b"], 0))
            d = _digest(record["type"], record["props"], *ends)
            total = (total + d) & _MASK
            relationships += 1
    return {
        "nodes": len(node_digest),
        "relationships": relationships,
        "checksum": f"{total:032x}",
    }
