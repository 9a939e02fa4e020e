"""Ledgers over time: what snapshot loads, retraction, the archive, changes and rebuild cost.

Side by side in one run, on the generated Baoshan dataset, one embedded Neo4j of the benchmark's
own (restarted before each measured first load):

1. **before**: the loader as it was before snapshot loads (``--before COMMIT``, default the
   last commit without them), run from a git worktree of that commit with this environment;
   its first load, and the p95 of the point queries (card, help_trace, search) on its graph;
2. **after**: today's ``kg load --bulk-import never`` (the transactional path) — the first load (with keys, digests, provenance, history and
   archive) and the same point queries;
3. the re-load of the dataset with 1 % of the pairings rows deleted (≤ 15 % of the first load);
4. ``kg changes`` between those two loads (≤ 10 s), and the archive's size against the CSV
   files' (≤ 30 %);
5. ``kg rebuild`` of that two-load history (≤ 1.5 × one plain load);
6. with ``--scale10``: the same 1 % re-load at scale 10, for the retraction time per changed
   row against scale 1 (≤ 2 ×).

Results: bench/SNAPSHOT_RESULTS.md and bench/snapshot_results.json.

    .venv/bin/python bench/snapshot_bench.py [--scale 1] [--repeat 1] [--scale10]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import KG, generate, private_home  # noqa: E402
from core.settings import Settings  # noqa: E402
from graph.connection import open_driver  # noqa: E402
from graph.embedded.manager import EmbeddedNeo4j  # noqa: E402
from graph.wipe import empty_database  # noqa: E402
from queries.runner import execute  # noqa: E402
from tests.helpers import free_port  # noqa: E402

#: the last commit whose loader merged without snapshots (main before the snapshot work)
BEFORE = "be0446b"
POINT_QUERIES = 200


def _run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, cwd=cwd, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args[:3])} failed ({done.returncode}):\n{done.stderr}")
    return seconds, done.stdout


def _empty(settings: Settings, server: EmbeddedNeo4j) -> None:
    with open_driver(settings) as driver:
        empty_database(driver, "neo4j")
    server.stop()
    server.start()


def _old_tree(commit: str) -> Path:
    """A worktree of ``commit`` in a temporary folder (removed at the end)."""
    folder = Path(tempfile.mkdtemp(prefix="kg-before-"))
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), commit],
        check=True, capture_output=True,
    )  # fmt: skip
    return folder


def _old_kg(tree: Path) -> list[str]:
    """The old ``kg`` command: this environment's Python with the old tree first on the path."""
    return [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(0.95 * len(values)))]


def _point_queries(settings: Settings) -> dict[str, float]:
    """p95 (ms) of card, help_trace and search on ids taken from the graph."""
    with open_driver(settings) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (p:Person)-[:HELPS]->(h:Household) RETURN p.person_id AS p, "
            "h.household_id AS h, p.name AS n LIMIT $n",
            n=POINT_QUERIES,
            database_="neo4j",
        )
        cases = {
            "card": [{"id": r["p"]} for r in records],
            "help_trace": [{"id": r["h"], "as_of": "2019-06-30"} for r in records],
            "search": [{"q": r["n"]} for r in records],
        }
        out = {}
        for name, params in cases.items():
            for p in params[:20]:  # warm the plans
                execute(driver, "neo4j", name, p)
            times = []
            for p in params:
                started = time.perf_counter()
                execute(driver, "neo4j", name, p)
                times.append((time.perf_counter() - started) * 1000)
            out[name] = _p95(times)
    return out


def _drop_pairings(dataset: Path, target: Path, every: int = 100) -> tuple[Path, int]:
    """A copy of ``dataset`` with every ``every``-th pairings row deleted."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(dataset, target)
    with (dataset / "pairings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    kept = [rows[0], *[r for i, r in enumerate(rows[1:], start=1) if i % every]]
    with (target / "pairings.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(kept)
    return target, len(rows) - len(kept)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(scale: float, repeat: int, before: str, *, with_before: bool) -> dict[str, Any]:
    dataset = generate(scale)
    port = free_port()
    home, env = private_home("kg-snapshot-", port)
    server = EmbeddedNeo4j(home, port)
    server.start()
    settings = Settings.from_env(env)
    tree = _old_tree(before) if with_before else None
    old_load = [str(KG), "load", str(dataset), "--no-progress", "--format", "json"]
    # the transactional path, as before snapshot loads (the batch importer is measured in
    # bench/load_bench.py)
    load = [*old_load, "--bulk-import", "never"]
    r: dict[str, Any] = {"scale": scale, "dataset": str(dataset.relative_to(ROOT))}
    try:
        old_first, new_first, old_points, new_points = [], [], [], []
        for _ in range(repeat):
            if tree is not None:
                _empty(settings, server)
                old_env = {**env, "PYTHONPATH": str(tree)}
                old_first.append(_run([*_old_kg(tree), *old_load[1:]], old_env, cwd=tree)[0])
                old_points.append(_point_queries(settings))
            _empty(settings, server)
            shutil.rmtree(home / "archive", ignore_errors=True)
            new_first.append(_run(load, env)[0])
            new_points.append(_point_queries(settings))
        med = statistics.median
        r["first_load_seconds"] = med(new_first)
        r["point_p95_ms"] = {k: med([p[k] for p in new_points]) for k in new_points[0]}
        if tree is not None:
            r["before_first_load_seconds"] = med(old_first)
            r["bookkeeping_cost"] = med(new_first) / med(old_first) - 1
            r["before_point_p95_ms"] = {k: med([p[k] for p in old_points]) for k in old_points[0]}
        # the re-load with 1 % of the pairings deleted (on the graph of the last first load)
        february, deleted = _drop_pairings(dataset, home / "february")
        seconds, out = _run([str(KG), "load", str(february), "--no-progress", "--format",
                             "json"], env)  # fmt: skip
        report = json.loads(out)
        pairings = next(f for f in report["files"] if f["file"] == "pairings")
        assert pairings["retracted"] == deleted, (pairings, deleted)
        r["reload_seconds"] = seconds
        r["reload_deleted_rows"] = deleted
        r["reload_ratio"] = seconds / r["first_load_seconds"]
        r["retraction_ms_per_row"] = 1000 * seconds / deleted
        seconds, out = _run([str(KG), "changes", "--format", "json"], env)
        r["changes_seconds"] = seconds
        r["changes_facts"] = len(json.loads(out)["facts"])
        r["csv_bytes"] = _size(dataset)
        r["archive_bytes"] = _size(home / "archive")
        r["archive_ratio"] = r["archive_bytes"] / r["csv_bytes"]
        into = home / "rebuilt"
        seconds, _ = _run([str(KG), "rebuild", "--into", str(into)], env)
        r["rebuild_seconds"] = seconds
        r["rebuild_ratio"] = seconds / r["first_load_seconds"]
    finally:
        server.stop()
        if tree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           check=False, capture_output=True)  # fmt: skip
        shutil.rmtree(home, ignore_errors=True)
    return r


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--scale10", action="store_true")
    parser.add_argument("--before", default=BEFORE, help="the commit to compare with")
    args = parser.parse_args()
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB",
        "repeat": args.repeat,
        "before": args.before,
        "runs": [measure(args.scale, args.repeat, args.before, with_before=True)],
    }
    if args.scale10:
        results["runs"].append(measure(10.0, 1, args.before, with_before=False))
    write(results)


def write(results: dict[str, Any]) -> None:
    folder = ROOT / "bench"
    (folder / "snapshot_results.json").write_text(json.dumps(results, indent=2) + "\n")
    s1 = results["runs"][0]
    lines = [
        "# Snapshot loads: what retraction, history and provenance cost",
        "",
        f"`bench/snapshot_bench.py` on {results['date']} ({results['machine']}), dataset "
        f"`{s1['dataset']}`, side by side in one run, medians of {results['repeat']}; "
        f'"before" is commit `{results["before"]}` (loads that only merged), run from a git '
        "worktree with the same Neo4j and Python.",
        "",
        "| measurement | value | target |",
        "|---|---:|---|",
        f"| first load (transactional path), before → after | {s1['before_first_load_seconds']:.1f} s → "
        f"{s1['first_load_seconds']:.1f} s ({100 * s1['bookkeeping_cost']:+.0f} %) | ≤ +10 % |",
    ]
    for name, after in s1["point_p95_ms"].items():
        old = s1["before_point_p95_ms"][name]
        lines.append(
            f"| point query `{name}` p95, before → after | {old:.1f} → {after:.1f} ms "
            f"({100 * (after / old - 1):+.0f} %) | ≤ +10 % |"
        )
    lines += [
        f"| re-load with 1 % of the pairings deleted ({s1['reload_deleted_rows']:,} rows) | "
        f"{s1['reload_seconds']:.1f} s ({100 * s1['reload_ratio']:.0f} % of the first load) | "
        "≤ 15 % |",
        f"| `kg changes` between the two loads ({s1['changes_facts']:,} facts) | "
        f"{s1['changes_seconds']:.1f} s | ≤ 10 s |",
        f"| archive of the two loads ÷ CSV size | {s1['archive_bytes'] / 2**20:.1f} MiB ÷ "
        f"{s1['csv_bytes'] / 2**20:.1f} MiB = {100 * s1['archive_ratio']:.0f} % | ≤ 30 % |",
        f"| `kg rebuild` of the two loads ÷ first load | {s1['rebuild_seconds']:.1f} s "
        f"({s1['rebuild_ratio']:.2f}×) | ≤ 1.5× |",
    ]
    if len(results["runs"]) > 1:
        s10 = results["runs"][1]
        ratio = s10["retraction_ms_per_row"] / s1["retraction_ms_per_row"]
        lines.append(
            f"| 1 % re-load per changed row, scale 10 ÷ scale 1 | {s10['retraction_ms_per_row']:.2f}"
            f" ÷ {s1['retraction_ms_per_row']:.2f} ms = {ratio:.2f}× | ≤ 2× |"
        )
    (folder / "SNAPSHOT_RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
