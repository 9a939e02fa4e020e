"""Roll-up of a worklist by county and township (汇总): how many of its rows fall in each.

Every worklist names the division of each row in its ``region_id`` column (a village,
community, township or county); the divisions' townships and counties are read in one query
(``support/region_paths``) and the rows counted per (county, township). Rows whose division is
a county, or unknown, count under an empty township (or county).
"""

from __future__ import annotations

from collections import Counter

import neo4j

from queries.runner import Result, run

__all__ = ["COLUMNS", "rollup"]

COLUMNS = ["county_id", "county", "township_id", "township", "rows"]


def rollup(driver: neo4j.Driver, database: str, result: Result) -> Result:
    """The rows of ``result`` counted per county and township (ValueError without region_id)."""
    if "region_id" not in result.columns:
        raise ValueError(f"{result.query} has no region_id column to roll up by")
    ids = sorted({r["region_id"] for r in result.rows if r["region_id"] is not None})
    _, paths = run(driver, database, "support/region_paths", {"ids": ids})
    where = {p["region_id"]: p for p in paths}
    empty = dict.fromkeys(COLUMNS[:-1])
    counts: Counter[tuple] = Counter()
    for row in result.rows:
        path = where.get(row["region_id"], empty)
        counts[tuple(path[c] for c in COLUMNS[:-1])] += 1
    rows = [
        {**dict(zip(COLUMNS[:-1], key, strict=True)), "rows": n}
        for key, n in sorted(counts.items(), key=lambda kv: tuple(v or "" for v in kv[0]))
    ]
    return Result(
        result.query, result.params, list(COLUMNS), rows, {"total_rows": len(result.rows)}
    )
