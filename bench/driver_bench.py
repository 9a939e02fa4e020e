"""The driver as a measured figure: py2neo.bulk beside the official driver, same rows, same graph.

The design named py2neo; kg uses the official ``neo4j`` driver (py2neo is end-of-life and
supports Neo4j only up to 4.4). This benchmark merges the same rows of the generated Baoshan
dataset — the helpers (persons), households, and the pairings between them — into one embedded
Neo4j 5.26, side by side in one run:

* **py2neo** 2021.2.4 (``py2neo.bulk.merge_nodes`` / ``merge_relationships``, Bolt 4.4, batches
  of 5,000 in explicit transactions), and
* **the official driver** (``neo4j`` 6 with ``neo4j-rust-ext``, Bolt 5), ``UNWIND $rows MERGE``
  in batches of 5,000 (kg's loader writes this way);

each into an emptied database with the same uniqueness constraints, medians of ``--repeat``.
Results: bench/DRIVER_RESULTS.md. What py2neo cannot do against Neo4j 5.26 is said there.

    .venv/bin/python bench/driver_bench.py [--scale 1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import generate, private_home  # noqa: E402
from core.settings import Settings  # noqa: E402
from graph.connection import open_driver  # noqa: E402
from graph.embedded.manager import EmbeddedNeo4j  # noqa: E402
from graph.wipe import empty_database  # noqa: E402
from tests.helpers import free_port  # noqa: E402

BATCH = 5000
CONSTRAINTS = (
    "CREATE CONSTRAINT bench_person IF NOT EXISTS FOR (n:BenchPerson) REQUIRE n.person_id IS UNIQUE",
    "CREATE CONSTRAINT bench_household IF NOT EXISTS FOR (n:BenchHousehold) "
    "REQUIRE n.household_id IS UNIQUE",
)
NODE_QUERY = "UNWIND $rows AS row MERGE (n:{label} {{{key}: row.key}}) SET n += row.props"
REL_QUERY = (
    "UNWIND $rows AS row "
    "MATCH (a:BenchPerson {person_id: row.start}) "
    "MATCH (b:BenchHousehold {household_id: row.end}) "
    "MERGE (a)-[r:HELPS]->(b) SET r += row.props"
)


def _rows(dataset: Path) -> dict[str, list[dict[str, Any]]]:
    def read(stem: str) -> list[dict[str, str]]:
        with (dataset / f"{stem}.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    pairings = read("pairings")
    helpers = {p["helper_id"] for p in pairings}
    persons = [
        {"key": p["person_id"], "props": {"name": p["name"], "phone": p["phone"] or None}}
        for p in read("persons")
        if p["person_id"] in helpers
    ]
    households = [
        {
            "key": h["household_id"],
            "props": {
                "region_id": h["region_id"],
                "size": int(h["size"]),
                "poverty_cause": h["poverty_cause"] or None,
            },
        }  # fmt: skip
        for h in read("households")
    ]
    helps = [
        {
            "start": p["helper_id"],
            "end": p["household_id"],
            "props": {
                "start_on": p["start_on"],
                "end_on": p["end_on"] or None,
                "declared_form": p["declared_form"] or None,
            },
        }  # fmt: skip
        for p in pairings
    ]
    return {"persons": persons, "households": households, "pairings": helps}


def _batches(rows: list[Any]) -> list[list[Any]]:
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


def official(settings: Settings, rows: dict[str, list[dict[str, Any]]]) -> float:
    started = time.perf_counter()
    with open_driver(settings) as driver, driver.session(database="neo4j") as session:
        for label, key, stem in (
            ("BenchPerson", "person_id", "persons"),
            ("BenchHousehold", "household_id", "households"),
        ):
            query = NODE_QUERY.format(label=label, key=key)
            for batch in _batches(rows[stem]):
                session.execute_write(lambda tx, q=query, b=batch: tx.run(q, rows=b).consume())
        for batch in _batches(rows["pairings"]):
            session.execute_write(lambda tx, b=batch: tx.run(REL_QUERY, rows=b).consume())
    return time.perf_counter() - started


def with_py2neo(settings: Settings, password: str, rows: dict[str, list[dict[str, Any]]]) -> float:
    from py2neo import Graph
    from py2neo.bulk import merge_nodes, merge_relationships

    graph = Graph(f"bolt://127.0.0.1:{settings.bolt_port}", auth=("neo4j", password), name="neo4j")
    started = time.perf_counter()
    for label, key, stem in (
        ("BenchPerson", "person_id", "persons"),
        ("BenchHousehold", "household_id", "households"),
    ):
        for batch in _batches(rows[stem]):
            tx = graph.begin()
            merge_nodes(tx, [{key: r["key"], **r["props"]} for r in batch], (label, key))
            graph.commit(tx)
    for batch in _batches(rows["pairings"]):
        tx = graph.begin()
        merge_relationships(
            tx,
            [(r["start"], r["props"], r["end"]) for r in batch],
            "HELPS",
            start_node_key=("BenchPerson", "person_id"),
            end_node_key=("BenchHousehold", "household_id"),
        )
        graph.commit(tx)
    return time.perf_counter() - started


def _counts(settings: Settings) -> tuple[int, int]:
    with open_driver(settings) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels",
            database_="neo4j",
        )
    return records[0]["nodes"], records[0]["rels"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = _rows(generate(args.scale))
    port = free_port()
    home, env = private_home("kg-driver-", port)
    server = EmbeddedNeo4j(home, port)
    server.start()
    settings = Settings.from_env(env)
    password = server.password()
    times: dict[str, list[float]] = {"official": [], "py2neo": []}
    counts: dict[str, tuple[int, int]] = {}
    notes: list[str] = []
    try:
        with open_driver(settings) as driver:
            for statement in CONSTRAINTS:
                driver.execute_query(statement, database_="neo4j")
        for _ in range(args.repeat):
            for name in ("official", "py2neo"):
                with open_driver(settings) as driver:
                    empty_database(driver, "neo4j")
                try:
                    if name == "official":
                        seconds = official(settings, rows)
                    else:
                        seconds = with_py2neo(settings, password, rows)
                except Exception as e:  # noqa: BLE001 - the benchmark reports what failed
                    notes.append(f"{name} failed against Neo4j 5.26: {type(e).__name__}: {e}")
                    continue
                times[name].append(seconds)
                counts[name] = _counts(settings)
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
    total = sum(len(v) for v in rows.values())
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "scale": args.scale,
        "rows": {k: len(v) for k, v in rows.items()},
        "seconds": {k: statistics.median(v) if v else None for k, v in times.items()},
        "runs": times,
        "counts": counts,
        "notes": notes,
    }
    (ROOT / "bench" / "driver_results.json").write_text(json.dumps(result, indent=2) + "\n")
    med = result["seconds"]
    lines = [
        "# The driver: py2neo beside the official driver",
        "",
        f"`bench/driver_bench.py` on {result['date']} ({result['machine']}), Baoshan scale "
        f"{args.scale:g}: {result['rows']['persons']:,} helpers, "
        f"{result['rows']['households']:,} households, {result['rows']['pairings']:,} pairings "
        f"({total:,} rows) merged into an emptied embedded Neo4j 5.26 with the same constraints, "
        f"batches of {BATCH:,}, side by side, medians of {args.repeat}.",
        "",
        "| driver | seconds | rows/s | graph (nodes, relationships) |",
        "|---|---:|---:|---|",
    ]
    for name, label in (("official", "official `neo4j` 6 + rust ext, `UNWIND … MERGE`"),
                        ("py2neo", "py2neo 2021.2.4, `py2neo.bulk.merge_*`")):  # fmt: skip
        s = med[name]
        if s is None:
            lines.append(f"| {label} | failed | | |")
        else:
            lines.append(f"| {label} | {s:.1f} | {total / s:,.0f} | {counts[name]} |")
    if med["official"] and med["py2neo"]:
        lines += ["", f"py2neo ÷ official: {med['py2neo'] / med['official']:.2f}× the time."]
    lines += [
        "",
        "py2neo talks Bolt 4.4, which Neo4j 5.26 still accepts, so its bulk merges work; it "
        "cannot use Bolt 5 (notifications filtering, the routing of execute_query, the Rust "
        "packer), is end-of-life since 2023, and does not support Neo4j beyond 4.4 officially.",
    ]
    lines += [f"- {n}" for n in notes]
    (ROOT / "bench" / "DRIVER_RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
