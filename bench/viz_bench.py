"""Network page benchmark: `kg viz`'s HTML generation against pyvis's, and query + HTML on a
loaded dataset.

1. Synthetic help networks of 2,000 and 10,000 nodes (``tests/viz_graphs.py``, built in Python
   without Neo4j): ``viz.render.render_html`` side by side with pyvis's own
   ``Network.from_nx`` + ``generate_html`` on the same graph (same labels and tooltips).
2. The generated Baoshan dataset loaded into an embedded Neo4j of the benchmark's own (a
   temporary KG_HOME on a free port): the village view (``kg viz village``) of the townships
   whose networks come closest to 2,000 and 10,000 nodes, timed as query + HTML, as
   ``kg viz`` does it; pyvis on the same graph beside it.

Each measurement is run once to warm up, then ``--repeat`` times; the median is reported.
Results go to ``bench/VIZ_RESULTS.md`` and ``bench/viz_results.json``.

    .venv/bin/python bench/viz_bench.py [--scale 1] [--repeat 3] [--no-db]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402

from bench.common import generate, private_home  # noqa: E402
from core.settings import Settings  # noqa: E402
from graph.connection import open_driver  # noqa: E402
from graph.embedded.manager import EmbeddedNeo4j  # noqa: E402
from tests.helpers import free_port  # noqa: E402
from tests.viz_graphs import help_network  # noqa: E402
from viz.graph import Graph  # noqa: E402
from viz.render import render_html, vis_data  # noqa: E402
from viz.views import fetch  # noqa: E402

KG = Path(sys.executable).parent / "kg"
OUT = ROOT / "bench" / "out"
AS_OF = dt.date(2018, 12, 31)
TARGETS = {2_000: 0.2, 10_000: 0.5}  # nodes: seconds for query + HTML


def timed(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median time of ``repeat`` runs after one warm-up, and the last result."""
    result = work()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def pyvis_html(graph: Graph) -> str:
    """pyvis's way: a networkx graph with the same labels and tooltips, ``from_nx``, HTML."""
    from pyvis.network import Network

    data = vis_data(graph)
    g = nx.Graph()
    for n in data["nodes"]:
        g.add_node(n["id"], label=n["label"], title=n["tip"], group=n["group"], size=10)
    for e in data["edges"]:
        g.add_edge(e["from"], e["to"], title=e.get("tip", e["k"]))
    net = Network(height="800px", width="100%", cdn_resources="local")
    net.from_nx(g)
    return str(net.generate_html())


def pick_townships(driver, database: str) -> dict[int, tuple[str, int]]:
    """For each target size, the township whose village view comes closest: (id, nodes)."""
    records, _, _ = driver.execute_query(
        "MATCH (t:Region {level: 'township'}) "
        "CALL (t) { MATCH (h:Household)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(t) "
        "  RETURN count(h) AS households, sum(h.size) AS people } "
        "RETURN t.region_id AS id, households, people",
        database_=database,
        routing_="r",
    )
    # a first guess: households + their members + about one helper per household
    guess = {r["id"]: 2 * r["households"] + (r["people"] or 0) for r in records}
    picked = {}
    for target in TARGETS:
        candidates = sorted(guess, key=lambda i: abs(guess[i] - target))[:3]
        sizes = {i: len(fetch(driver, database, "village", i, AS_OF).nodes) for i in candidates}
        best = min(sizes, key=lambda i: abs(sizes[i] - target))
        picked[target] = (best, sizes[best])
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="the dataset to load")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs (median)")
    parser.add_argument("--no-db", action="store_true", help="only the synthetic networks")
    parser.add_argument("--results", type=Path, default=ROOT / "bench")
    args = parser.parse_args()

    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average_at_start": round(os.getloadavg()[0], 1),
        "date": time.strftime("%Y-%m-%d"),
        "repeat": args.repeat,
        "synthetic": [],
        "database": [],
    }
    for size in TARGETS:
        graph = help_network(size)
        ours, page = timed(lambda g=graph: render_html(g), args.repeat)
        theirs, their_page = timed(lambda g=graph: pyvis_html(g), args.repeat)
        results["synthetic"].append(
            {
                "nodes": len(graph.nodes),
                "edges": len(graph.edges),
                "kg_html_seconds": ours,
                "kg_html_bytes": len(page.encode("utf-8")),
                "pyvis_seconds": theirs,
                "pyvis_html_bytes": len(their_page.encode("utf-8")),
            }
        )
        print(results["synthetic"][-1], flush=True)

    if not args.no_db:
        dataset = generate(args.scale)
        port = free_port()
        home, env = private_home("kg-viz-bench-", port)
        server = EmbeddedNeo4j(home, port)
        server.start()
        settings = Settings.from_env(env)
        db = settings.neo4j_database
        results["dataset"] = str(dataset.relative_to(ROOT))
        try:
            done = subprocess.run(
                [str(KG), "load", str(dataset), "--no-progress", "--format", "json"],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode not in (0, 1):
                raise SystemExit(f"kg load failed: {done.stderr}")
            with open_driver(settings) as driver:
                for target, (township, _) in pick_townships(driver, db).items():
                    query_s, graph = timed(
                        lambda t=township: fetch(driver, db, "village", t, AS_OF), args.repeat
                    )
                    html_s, _ = timed(lambda g=graph: render_html(g), args.repeat)
                    total_s, _ = timed(
                        lambda t=township: render_html(fetch(driver, db, "village", t, AS_OF)),
                        args.repeat,
                    )
                    theirs, _ = timed(lambda g=graph: pyvis_html(g), args.repeat)
                    results["database"].append(
                        {
                            "target": target,
                            "target_seconds": TARGETS[target],
                            "township": township,
                            "nodes": len(graph.nodes),
                            "edges": len(graph.edges),
                            "query_seconds": query_s,
                            "html_seconds": html_s,
                            "total_seconds": total_s,
                            "pyvis_seconds": theirs,
                        }
                    )
                    print(results["database"][-1], flush=True)
        finally:
            server.stop()
            shutil.rmtree(home, ignore_errors=True)

    results["load_average_at_end"] = round(os.getloadavg()[0], 1)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "viz_results.json").write_text(
        json.dumps(results, indent=2) + "\n", encoding="utf-8"
    )
    (args.results / "VIZ_RESULTS.md").write_text(markdown(results), encoding="utf-8")


def markdown(r: dict[str, Any]) -> str:
    lines = [
        "# Network page benchmark",
        "",
        f"`bench/viz_bench.py` on {r['date']} ({r['machine']}; load average "
        f"{r['load_average_at_start']} at the start, {r['load_average_at_end']} at the end: "
        "other work on the machine slows every figure); medians of "
        f"{r['repeat']} runs after a warm-up. `kg viz` builds the vis-network node and edge lists as dicts, lays "
        "networks over 2,000 nodes out server-side (radial tree, physics off) and inlines "
        "vis-network; pyvis's `Network.from_nx` checks each node and edge against every one "
        "added before (quadratic) and `generate_html` fills its Jinja template (which loads "
        "vis-network from a CDN).",
        "",
        "## HTML generation, synthetic help networks",
        "",
        "| nodes | edges | `kg viz` HTML | pyvis `from_nx` + `generate_html` | pyvis ÷ kg | page size kg / pyvis |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for s in r["synthetic"]:
        lines.append(
            f"| {s['nodes']:,} | {s['edges']:,} | {s['kg_html_seconds']:.3f} s | "
            f"{s['pyvis_seconds']:.3f} s | {s['pyvis_seconds'] / s['kg_html_seconds']:.0f}× | "
            f"{s['kg_html_bytes'] / 2**20:.1f} MiB / {s['pyvis_html_bytes'] / 2**20:.1f} MiB |"
        )
    if r["database"]:
        lines += [
            "",
            f"## Query + HTML, village view as of {AS_OF}, dataset `{r.get('dataset')}`",
            "",
            "| target | township | nodes | edges | query | HTML | query + HTML | target | pyvis (HTML only) |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for d in r["database"]:
            ok = "✓" if d["total_seconds"] <= d["target_seconds"] else "✗"
            lines.append(
                f"| {d['target']:,} | {d['township']} | {d['nodes']:,} | {d['edges']:,} | "
                f"{d['query_seconds']:.3f} s | {d['html_seconds']:.3f} s | "
                f"{d['total_seconds']:.3f} s | ≤ {d['target_seconds']} s {ok} | "
                f"{d['pyvis_seconds']:.3f} s |"
            )
    lines += [
        "",
        "The page size is mostly vis-network itself (0.6 MiB, inlined so that the page opens "
        "offline) plus the tooltips of every node.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
