"""What is in the graph: node and relationship counts, per label and per type."""

from __future__ import annotations

from typing import Any

import neo4j

__all__ = ["graph_status", "quote_name"]


def quote_name(name: str) -> str:
    """``name`` as a Cypher identifier in backticks (backticks inside are doubled)."""
    return "`" + name.replace("`", "``") + "`"


def _count(driver: neo4j.Driver, database: str, query: str) -> int:
    records, _, _ = driver.execute_query(
        query, database_=database, routing_=neo4j.RoutingControl.READ
    )
    return int(records[0]["count"])


def graph_status(driver: neo4j.Driver, database: str, *, uri: str | None = None) -> dict[str, Any]:
    """``{"uri", "database", "nodes", "relationships", "labels": {..}, "types": {..}}``.

    Every count is a count-store lookup (no scan). Labels and types come from the database
    (``db.labels()`` and ``db.relationshipTypes()``; only those with a count above 0 are
    reported). ``uri`` (reported as
    is) defaults to the driver's address.
    """
    if uri is None:
        address = getattr(driver, "address", None)  # set on every driver, but not typed
        scheme = "bolt+s" if driver.encrypted else "bolt"
        uri = f"{scheme}://{address.host}:{address.port}" if address else "unknown"
    labels_found, _, _ = driver.execute_query(
        "CALL db.labels() YIELD label RETURN label ORDER BY label",
        database_=database,
        routing_=neo4j.RoutingControl.READ,
    )
    types_found, _, _ = driver.execute_query(
        "CALL db.relationshipTypes() YIELD relationshipType "
        "RETURN relationshipType ORDER BY relationshipType",
        database_=database,
        routing_=neo4j.RoutingControl.READ,
    )
    labels = {
        r["label"]: _count(
            driver, database, f"MATCH (n:{quote_name(r['label'])}) RETURN count(n) AS count"
        )
        for r in labels_found
    }
    types = {
        r["relationshipType"]: _count(
            driver,
            database,
            f"MATCH ()-[r:{quote_name(r['relationshipType'])}]->() RETURN count(r) AS count",
        )
        for r in types_found
    }
    # db.labels() also lists labels that once had nodes or that a constraint names: keep the
    # ones in use.
    labels = {name: n for name, n in labels.items() if n}
    types = {name: n for name, n in types.items() if n}
    return {
        "uri": uri,
        "database": database,
        "nodes": _count(driver, database, "MATCH (n) RETURN count(n) AS count"),
        "relationships": _count(driver, database, "MATCH ()-[r]->() RETURN count(r) AS count"),
        "labels": labels,
        "types": types,
    }
