"""Loading benchmark: `kg load` against Neo4j's own LOAD CSV and a naive per-row loader.

Everything runs side by side in one run against one embedded Neo4j of the benchmark's own
(a temporary KG_HOME on a free port), on the generated Baoshan dataset; the JVM is restarted
before each measured load (`kg load` and LOAD CSV alike), so that neither runs on a JVM the
other has warmed up:

1. ``kg load`` of the dataset into an empty database through Neo4j's batch importer (the
   first-load path: ``--bulk-import always``; end to end: parsing, validation, the import,
   restarting Neo4j, the schema), with the loader's peak memory (RSS of the kg process, sampled;
   the importer's own JVM is not counted);
2. ``kg load --bulk-import never`` into an empty database: the transactional path later loads
   use, end to end, with its peak memory;
3. ``kg load`` again of the unchanged dataset (the re-load);
4. ``LOAD CSV ... CALL { } IN TRANSACTIONS OF 5000 ROWS`` of the same files into an empty
   database, with the same write Cypher (``loaders/cypher/write/*.cypher``) fed by LOAD CSV;
5. a naive loader: the same code with one transaction per row and one writer, on a sample of
   households;
6. optionally (``--scale10``) both first-load paths at scale 10, with their peak memory.

Each measurement is repeated ``--repeat`` times and the median is reported. Results go to
``bench/RESULTS.md`` and ``bench/results.json``.

    .venv/bin/python bench/load_bench.py [--scale 1] [--repeat 1] [--scale10]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import generate, private_home  # noqa: E402
from core.contract import SPECS, FileSpec  # noqa: E402
from core.settings import Settings  # noqa: E402
from graph.connection import open_driver  # noqa: E402
from graph.embedded.manager import EmbeddedNeo4j  # noqa: E402
from graph.schema import apply_schema  # noqa: E402
from graph.status import graph_status  # noqa: E402
from graph.wipe import empty_database  # noqa: E402
from loaders.write import CYPHER  # noqa: E402
from tests.helpers import free_port  # noqa: E402

KG = Path(sys.executable).parent / "kg"
OUT = ROOT / "bench" / "out"


def run_measured(
    args: list[str], env: dict[str, str]
) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """Run a command; return (seconds, peak RSS in bytes sampled every 50 ms, result)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, ps.memory_info().rss)
        except psutil.Error:
            pass
        time.sleep(0.05)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    return (
        seconds,
        peak,
        subprocess.CompletedProcess(args, proc.returncode, out, err),
    )


def empty(driver, database: str) -> None:
    empty_database(driver, database)


def counts(driver, database: str) -> tuple[int, int]:
    status = graph_status(driver, database)
    return status["nodes"], status["relationships"]


# -- LOAD CSV with the loader's own write Cypher ------------------------------------------------
def _conversion(spec: FileSpec) -> str:
    """A LOAD CSV line as the write query's row: the same values, key, owner and provenance
    as the loader sends (the value digest is a constant: Cypher cannot compute the loader's)."""
    parts = []
    for column in spec.columns:
        ref = f"line.`{column.name}`"
        kind = column.type.kind
        if kind == "bool":  # dates stay ISO strings: the write Cypher applies date()
            expr = f"toBoolean({ref})"
        elif kind in ("int", "year"):
            expr = f"toInteger({ref})"
        elif kind == "non_negative":
            expr = f"toFloat({ref})"
        else:
            expr = ref
        if column.default is not None:
            expr = f"coalesce({expr}, {json.dumps(column.default)})"
        parts.append(f"`{column.name}`: {expr}")
    key_parts = []
    for part in spec.key:
        names = (part,) if isinstance(part, str) else part
        key_parts.append("coalesce(" + ", ".join(f"line.`{n}`" for n in names) + ", '')")
    key = key_parts[0] if len(key_parts) == 1 else " + '|' + ".join(key_parts)
    parts.append(f"key: {key}")
    parts.append("hash: 0")
    parts.append(f"owner: '{spec.stem}:' + {key}")
    parts.append(
        f"prov: {{source_file: '{spec.stem}.csv', source_row: linenumber(), source_load: 1}}"
    )
    return "{" + ", ".join(parts) + "}"


def load_csv_query(stem: str) -> str:
    """The file's write Cypher with `UNWIND $rows AS row` replaced by a LOAD CSV feed."""
    body = "\n".join(
        line
        for line in CYPHER.text(f"write/{stem}").splitlines()
        if not line.startswith("UNWIND $rows AS row") and not line.lstrip().startswith("//")
    )
    return (
        "LOAD CSV WITH HEADERS FROM $url AS line\n"
        f"CALL (line) {{\n  WITH {_conversion(SPECS[stem])} AS row\n{body}\n}} IN TRANSACTIONS OF 5000 ROWS"
    )


def load_csv(driver, database: str, dataset: Path) -> tuple[float, dict[str, float]]:
    apply_schema(driver, database)
    per_file: dict[str, float] = {}
    started = time.perf_counter()
    for stem in SPECS:
        path = dataset / f"{stem}.csv"
        if not path.exists():
            continue
        t = time.perf_counter()
        with driver.session(database=database) as session:
            session.run(load_csv_query(stem), url=path.resolve().as_uri()).consume()
        per_file[stem] = time.perf_counter() - t
    return time.perf_counter() - started, per_file


def rows_in(dataset: Path) -> dict[str, int]:
    result = {}
    for stem in SPECS:
        path = dataset / f"{stem}.csv"
        if path.exists():
            with path.open("rb") as fh:
                result[stem] = sum(1 for _ in fh) - 1
    return result


def naive_sample(dataset: Path, folder: Path, n: int) -> Path:
    """regions + relocation sites + the first n households: the naive loader's sample."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem in ("regions", "relocation_sites"):
        shutil.copy(dataset / f"{stem}.csv", folder / f"{stem}.csv")
    with (
        (dataset / "households.csv").open(encoding="utf-8") as src,
        (folder / "households.csv").open("w", encoding="utf-8") as dst,
    ):
        for i, line in enumerate(src):
            if i > n:
                break
            dst.write(line)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--repeat", type=int, default=1, help="repetitions of each measurement (median)"
    )
    parser.add_argument("--naive-rows", type=int, default=1000)
    parser.add_argument(
        "--scale10", action="store_true", help="also load scale 10 for its peak memory"
    )
    parser.add_argument("--results", type=Path, default=ROOT / "bench")
    args = parser.parse_args()

    dataset = generate(args.scale)
    rows = rows_in(dataset)
    total_rows = sum(rows.values())
    port = free_port()
    home, env = private_home("kg-bench-", port)
    server = EmbeddedNeo4j(home, port)
    server.start()
    settings = Settings.from_env(env)
    db = settings.neo4j_database
    results: dict[str, Any] = {
        "dataset": str(dataset.relative_to(ROOT)),
        "scale": args.scale,
        "rows": rows,
        "total_rows": total_rows,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB",
        "date": time.strftime("%Y-%m-%d"),
    }

    def cold_empty_server():
        """An emptied database on a freshly started JVM: every measured load starts cold."""
        with open_driver(settings) as driver:
            empty(driver, db)
        server.stop()
        server.start()
        return open_driver(settings)

    try:
        first, reload, peaks, per_file_runs, lc_runs, lc_files = [], [], [], [], [], []
        imported, imported_peaks = [], []
        load = [str(KG), "load", str(dataset), "--format", "json", "--no-progress"]
        for _ in range(args.repeat):
            with cold_empty_server() as driver:
                pass
            secs, peak, done = run_measured([*load, "--bulk-import", "always"], env)
            if done.returncode not in (0, 1):
                raise SystemExit(f"kg load (importer) failed: {done.stderr}")
            imported.append(secs)
            imported_peaks.append(peak)
            with open_driver(settings) as driver:
                imported_counts = counts(driver, db)
            with cold_empty_server() as driver:
                secs, peak, done = run_measured([*load, "--bulk-import", "never"], env)
                if done.returncode not in (0, 1):
                    raise SystemExit(f"kg load failed: {done.stderr}")
                report = json.loads(done.stdout)
                first.append(secs)
                peaks.append(peak)
                per_file_runs.append({f["file"]: f["seconds"] for f in report["files"]})
                loaded_counts = counts(driver, db)
                assert loaded_counts == imported_counts, (loaded_counts, imported_counts)
                secs, _, done = run_measured(load, env)
                reload.append(secs)
                assert counts(driver, db) == loaded_counts, "re-load changed the graph"
            with cold_empty_server() as driver:
                secs, per_file = load_csv(driver, db, dataset)
                lc_runs.append(secs)
                lc_files.append(per_file)
                load_csv_counts = counts(driver, db)
        with open_driver(settings) as driver:
            # Naive: one transaction per row on a sample of households.
            empty(driver, db)
            sample = naive_sample(dataset, home / "naive", args.naive_rows)
            _, _, done = run_measured(
                [
                    str(KG),
                    "load",
                    str(sample),
                    "--batch-size",
                    "1",
                    "--workers",
                    "1",
                    "--format",
                    "json",
                    "--no-progress",
                ],
                env,
            )
            naive = next(f for f in json.loads(done.stdout)["files"] if f["file"] == "households")
            empty(driver, db)
            _, _, done = run_measured(
                [str(KG), "load", str(sample), "--format", "json", "--no-progress"], env
            )
            batched_sample = next(
                f for f in json.loads(done.stdout)["files"] if f["file"] == "households"
            )

        med = statistics.median
        first_s, reload_s, lc_s = med(first), med(reload), med(lc_runs)
        households_kg = rows["households"] / med([r["households"] for r in per_file_runs])
        imported_s = med(imported)
        results.update(
            {
                "import_seconds": imported_s,
                "import_rows_per_second": total_rows / imported_s,
                "import_peak_rss_mib": max(imported_peaks) / 2**20,
                "import_speedup_vs_transactional": first_s / imported_s,
                "kg_load_seconds": first_s,
                "kg_load_rows_per_second": total_rows / first_s,
                "kg_load_peak_rss_mib": max(peaks) / 2**20,
                "kg_load_counts": loaded_counts,
                "per_file": {
                    stem: {
                        "rows": rows[stem],
                        "kg_seconds": med([r[stem] for r in per_file_runs]),
                        "kg_rows_per_second": rows[stem]
                        / max(med([r[stem] for r in per_file_runs]), 1e-9),
                        "load_csv_seconds": med([r[stem] for r in lc_files]),
                        "load_csv_rows_per_second": rows[stem]
                        / max(med([r[stem] for r in lc_files]), 1e-9),
                    }
                    for stem in rows
                },
                "reload_seconds": reload_s,
                "reload_ratio": reload_s / first_s,
                "load_csv_seconds": lc_s,
                "load_csv_rows_per_second": total_rows / lc_s,
                "load_csv_counts": load_csv_counts,
                "throughput_ratio_vs_load_csv": lc_s / first_s,
                "naive_rows_per_second": naive["rows_per_second"],
                "naive_sample_rows": naive["read"],
                "batched_sample_rows_per_second": batched_sample["rows_per_second"],
                "full_load_households_rows_per_second": households_kg,
                "ratio_vs_naive": households_kg / naive["rows_per_second"],
                "repeat": args.repeat,
            }
        )
        if args.scale10:
            big = generate(10.0)
            big_load = [str(KG), "load", str(big), "--format", "json", "--no-progress"]
            with cold_empty_server():
                pass
            i_secs, i_peak, i_done = run_measured([*big_load, "--bulk-import", "always"], env)
            with cold_empty_server():
                pass
            secs, peak, done = run_measured([*big_load, "--bulk-import", "never"], env)
            results["scale10"] = {
                "rows": sum(rows_in(big).values()),
                "import_seconds": i_secs,
                "import_peak_rss_mib": i_peak / 2**20,
                "import_exit_code": i_done.returncode,
                "seconds": secs,
                "peak_rss_mib": peak / 2**20,
                "peak_ratio_vs_scale1": peak / max(peaks),
                "import_speedup_vs_transactional": secs / i_secs,
                "exit_code": done.returncode,
            }
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
    write_results(results, args.results)


def write_results(r: dict[str, Any], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(r, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# Loading benchmark",
        "",
        f"`make bench` on {r['date']} ({r['machine']}), dataset `{r['dataset']}` "
        f"({r['total_rows']:,} rows), one embedded Neo4j 5.26 for every measurement (restarted before "
        "each measured load), run side by side; "
        f"medians of {r['repeat']} run(s).",
        "",
        "| measurement | value | target |",
        "|---|---:|---|",
        f"| first load through Neo4j's importer (`kg load`, empty graph), end to end | "
        f"{r['import_seconds']:.1f} s ({r['import_rows_per_second']:,.0f} rows/s) | ≤ 20 s |",
        f"| first load, transactional path (`--bulk-import never`) | {r['kg_load_seconds']:.1f} s "
        f"({r['kg_load_rows_per_second']:,.0f} rows/s) | |",
        f"| importer ÷ transactional | {r['import_speedup_vs_transactional']:.1f}× | ≥ 4× |",
        f"| LOAD CSV … IN TRANSACTIONS, same rows and write Cypher | {r['load_csv_seconds']:.1f} s "
        f"({r['load_csv_rows_per_second']:,.0f} rows/s) | |",
        f"| throughput transactional `kg load` ÷ LOAD CSV | {r['throughput_ratio_vs_load_csv']:.2f}× | ≥ 0.9× |",
        f"| naive loader (1 transaction per row, {r['naive_sample_rows']:,} households) | "
        f"{r['naive_rows_per_second']:,.0f} rows/s | |",
        f"| transactional `kg load` households ÷ naive | {r['ratio_vs_naive']:.0f}× | ≥ 100× |",
        f"| re-load of the unchanged dataset | {r['reload_seconds']:.1f} s ({100 * r['reload_ratio']:.0f} % of the transactional first) | ≤ 25 % |",
        f"| peak memory of `kg load` (transactional; importer path) | {r['kg_load_peak_rss_mib']:,.0f} MiB; "
        f"{r['import_peak_rss_mib']:,.0f} MiB | ≤ 1.5 GB |",
    ]
    if "scale10" in r:
        s = r["scale10"]
        lines += [
            f"| scale 10 ({s['rows']:,} rows), first load through the importer | "
            f"{s['import_seconds']:.0f} s, {s['import_peak_rss_mib']:,.0f} MiB | ≤ 180 s |",
            f"| scale 10, transactional | {s['seconds']:.0f} s, {s['peak_rss_mib']:,.0f} MiB "
            f"({s['peak_ratio_vs_scale1']:.2f}× scale 1's peak) | ≤ 2× scale 1 |",
            f"| scale 10, importer ÷ transactional | {s['import_speedup_vs_transactional']:.1f}× | ≥ 4× |",
        ]
    lines += [
        "",
        "Both first-load paths give the same node and relationship counts (asserted in the run; "
        "tests/integration/test_bulk_import.py compares them property by property). "
        f"Graph after `kg load`: {r['kg_load_counts'][0]:,} nodes, {r['kg_load_counts'][1]:,} relationships; "
        f"after LOAD CSV: {r['load_csv_counts'][0]:,} nodes, {r['load_csv_counts'][1]:,} relationships "
        "(`kg load` adds one LoadState node: which files it loaded completely).",
        "",
        "What limits these numbers, and what was tried: [NOTES.md](NOTES.md).",
        "",
        "## Per file",
        "",
        "| file | rows | `kg load` rows/s | LOAD CSV rows/s |",
        "|---|---:|---:|---:|",
    ]
    for stem, p in r["per_file"].items():
        lines.append(
            f"| {stem} | {p['rows']:,} | {p['kg_rows_per_second']:,.0f} | {p['load_csv_rows_per_second']:,.0f} |"
        )
    (folder / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
