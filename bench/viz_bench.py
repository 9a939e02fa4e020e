"""Network page benchmark: `kg viz`'s pyvis networks against stock pyvis, query + HTML on a
loaded dataset, and the county-scale page in Chromium.

1. Synthetic help networks of 2,000 and 10,000 nodes (``tests/viz_graphs.py``, built in Python
   without Neo4j): ``viz.pages.build`` + ``generate_html`` (a ``pyvis.network.Network`` filled in
   one pass, kg's template) side by side with stock pyvis ``Network.from_nx`` +
   ``generate_html`` on the same graph (same labels and tooltips), runs interleaved.
2. The generated Baoshan dataset loaded into an embedded Neo4j (a temporary KG_HOME on a free
   port, or ``--kg-home`` holding it already): the village view (``kg viz village``) of the
   townships whose networks come closest to 2,000 and 10,000 nodes, timed as query + HTML as
   ``kg viz`` does it (``viz.public.render_network``: the size estimate, the view with its
   history, the page); stock pyvis on the same graph beside it.
3. ``--browser``: the county-scale page of the largest county (``kg viz village COUNTY``,
   drawn as clusters) opened in Debian's Chromium (headless, every request blocked): first
   paint from the navigation's start, then opening its largest township's largest village
   (township, then village: the time of the village, from the click to the drawing after it).
   ``--screenshots`` writes docs/screenshots/county.png, county-open.png and history.png.

Each measurement is run once to warm up, then ``--repeat`` times; the median is reported.
Results go to ``bench/VIZ_RESULTS.md`` and ``bench/viz_results.json``.

    .venv/bin/python bench/viz_bench.py [--scale 1] [--repeat 3] [--no-db] [--kg-home DIR]
        [--browser] [--screenshots]
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
import tempfile
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
from viz.pages import build  # noqa: E402
from viz.public import render_network  # noqa: E402
from viz.render import vis_data  # noqa: E402
from viz.views import fetch  # noqa: E402

KG = Path(sys.executable).parent / "kg"
OUT = ROOT / "bench" / "out"
SHOTS = ROOT / "docs" / "screenshots"
AS_OF = dt.date(2018, 12, 31)
TARGETS = {2_000: 0.2, 10_000: 0.5}  # nodes: seconds for query + HTML
BROWSER_TARGETS = {"first_paint": 3.0, "open_village": 1.0}  # seconds


def timed(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median time of ``repeat`` runs after one warm-up, and the last result."""
    result = work()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def side_by_side(
    ours: Callable[[], Any], theirs: Callable[[], Any], repeat: int
) -> tuple[float, float, Any, Any]:
    """Medians of ``repeat`` interleaved runs of both (after a warm-up of each): the machine's
    load falls on both alike."""
    mine, other = ours(), theirs()
    a, b = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        mine = ours()
        a.append(time.perf_counter() - started)
        started = time.perf_counter()
        other = theirs()
        b.append(time.perf_counter() - started)
    return statistics.median(a), statistics.median(b), mine, other


def kg_html(graph: Graph) -> str:
    """kg's way: the pyvis network filled in one pass, rendered with kg's template."""
    return build(graph).generate_html()


def pyvis_html(graph: Graph) -> str:
    """Stock pyvis: a networkx graph with the same labels and tooltips, ``from_nx``, HTML."""
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


def largest_county(driver, database: str) -> str:
    records, _, _ = driver.execute_query(
        "MATCH (c:Region {level: 'county'}) "
        "RETURN c.region_id AS id, COUNT { (:Household)-[:LOCATED_IN]->(:Region)"
        "-[:PART_OF*0..]->(c) } AS households ORDER BY households DESC LIMIT 1",
        database_=database,
        routing_="r",
    )
    return str(records[0]["id"])


def history_village(driver, database: str) -> str:
    """The smallest village with three ended pairings or more (for the history screenshot)."""
    records, _, _ = driver.execute_query(
        "MATCH (:Person)-[r:HELPS]->(h:Household) WHERE r.end_on <= $as_of "
        "WITH h.region_id AS village, count(*) AS ended WHERE ended >= 3 "
        "RETURN village, COUNT { (:Household)-[:LOCATED_IN]->(:Region {region_id: village}) } "
        "AS households ORDER BY households, village LIMIT 1",
        as_of=AS_OF,
        database_=database,
        routing_="r",
    )
    return str(records[0]["village"])


def browser_runs(
    page_path: Path, repeat: int, shots: bool, history_page: Path | None
) -> dict[str, Any]:
    """First paint of the county page and the opening of a village, in Chromium."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed (make browser-tool)")
    runs: list[dict[str, float]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        for i in range(repeat + 1):
            page = browser.new_page(viewport={"width": 1366, "height": 850})
            foreign: list[str] = []

            def route(r: Any, foreign: list[str] = foreign) -> None:
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    foreign.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto(page_path.as_uri(), wait_until="commit", timeout=120_000)
            page.wait_for_selector("body[data-kg-painted]", timeout=120_000)
            paint = page.evaluate("() => window.kgTiming.firstPaint") / 1000
            if shots and i == 1:
                page.wait_for_timeout(300)
                page.screenshot(path=str(SHOTS / "county.png"))
            township = page.evaluate(
                "() => window.kgNodes.get().filter(n => n.cluster)"
                ".sort((a, b) => b.cluster.households - a.cluster.households)[0].id"
            )
            page.evaluate("(id) => window.kgOpenCluster(id)", township)
            township_s = page.evaluate("() => window.kgTiming.lastOpen") / 1000
            village = page.evaluate(
                "() => window.kgNodes.get().filter(n => n.cluster && n.cluster.leaf)"
                ".sort((a, b) => b.cluster.households - a.cluster.households)[0].id"
            )
            opened = page.evaluate("(id) => window.kgOpenCluster(id)", village)
            village_s = page.evaluate("() => window.kgTiming.lastOpen") / 1000
            if shots and i == 1:
                page.wait_for_timeout(300)
                page.screenshot(path=str(SHOTS / "county-open.png"))
            if foreign:
                raise SystemExit(f"the page asked for {foreign[:3]}")
            page.close()
            if i:  # the first run warms up
                runs.append(
                    {"first_paint": paint, "open_township": township_s, "open_village": village_s,
                     "village_nodes": opened}
                )  # fmt: skip
            print("browser", runs[-1] if i else "warm-up", flush=True)
        if shots and history_page is not None:
            history_screenshot(browser, history_page)
        browser.close()
    return {
        key: statistics.median(r[key] for r in runs)
        for key in ("first_paint", "open_township", "open_village", "village_nodes")
    }


def history_screenshot(browser: Any, path: Path) -> None:
    """docs/screenshots/history.png: a village page with 历史 on, zoomed on a household whose
    pairing ended (dashed, with its dates)."""
    page = browser.new_page(viewport={"width": 1366, "height": 850})
    page.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort()
    )
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-kg-ready]", timeout=60_000)
    page.check("#history")
    page.evaluate(
        """() => { const net = window.kgNetwork;
                   const ended = window.kgEdges.get({filter: e => e.u && !e.hidden});
                   const p = net.getPosition(ended[0].to);
                   net.moveTo({position: p, scale: 1.1, animation: false}); }"""
    )
    page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / "history.png"))
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="the dataset to load")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs (median)")
    parser.add_argument("--no-db", action="store_true", help="only the synthetic networks")
    parser.add_argument(
        "--kg-home", type=Path, help="a KG_HOME whose embedded Neo4j already holds the dataset"
    )
    parser.add_argument("--browser", action="store_true", help="the county page in Chromium")
    parser.add_argument("--screenshots", action="store_true", help="write docs/screenshots")
    parser.add_argument("--results", type=Path, default=ROOT / "bench")
    args = parser.parse_args()

    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average_at_start": round(os.getloadavg()[0], 1),
        "date": time.strftime("%Y-%m-%d"),
        "repeat": args.repeat,
        "synthetic": [],
        "database": [],
        "browser": None,
    }
    for size in TARGETS:
        graph = help_network(size)
        ours, theirs, page, their_page = side_by_side(
            lambda g=graph: kg_html(g), lambda g=graph: pyvis_html(g), args.repeat
        )
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
        port = free_port()
        if args.kg_home:
            home = args.kg_home
            env = {**os.environ, "KG_HOME": str(home), "KG_BOLT_PORT": str(port)}
            env.pop("NEO4J_URI", None)
        else:
            home, env = private_home("kg-viz-bench-", port)
        server = EmbeddedNeo4j(home, port)
        server.start()
        settings = Settings.from_env(env)
        db = settings.neo4j_database
        try:
            if not args.kg_home:
                dataset = generate(args.scale)
                results["dataset"] = str(dataset.relative_to(ROOT))
                done = subprocess.run(
                    [str(KG), "load", str(dataset), "--no-progress", "--format", "json"],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if done.returncode not in (0, 1):
                    raise SystemExit(f"kg load failed: {done.stderr}")
            else:
                results["dataset"] = f"already loaded in {args.kg_home}"
            with open_driver(settings) as driver:
                for target, (township, _) in pick_townships(driver, db).items():

                    def kg_viz(t: str = township) -> Any:
                        net, graph = render_network(driver, db, "village", t, AS_OF)
                        assert net is not None
                        return net.generate_html(), graph

                    query_s, graph = timed(
                        lambda t=township: render_network(driver, db, "village", t, AS_OF)[1],
                        args.repeat,
                    )
                    total_s, theirs, (_, graph), _ = side_by_side(
                        kg_viz, lambda g=graph: pyvis_html(g), args.repeat
                    )
                    results["database"].append(
                        {
                            "target": target,
                            "target_seconds": TARGETS[target],
                            "township": township,
                            "nodes": len(graph.nodes),
                            "edges": len(graph.edges),
                            "query_and_build_seconds": query_s,
                            "total_seconds": total_s,
                            "pyvis_seconds": theirs,
                        }
                    )
                    print(results["database"][-1], flush=True)
                if args.browser:
                    county = largest_county(driver, db)
                    started = time.perf_counter()
                    net, graph = render_network(driver, db, "village", county, AS_OF)
                    assert net is not None
                    folder = Path(tempfile.mkdtemp(prefix="kg-viz-bench-"))
                    page_path = folder / "county.html"
                    page_path.write_text(net.generate_html(), encoding="utf-8")
                    page_s = time.perf_counter() - started
                    history_page = None
                    if args.screenshots:
                        village = history_village(driver, db)
                        hnet, _ = render_network(driver, db, "village", village, AS_OF)
                        assert hnet is not None
                        history_page = folder / "history.html"
                        history_page.write_text(hnet.generate_html(), encoding="utf-8")
                        SHOTS.mkdir(parents=True, exist_ok=True)
                    timing = browser_runs(page_path, args.repeat, args.screenshots, history_page)
                    results["browser"] = {
                        "county": county,
                        "households": net.kg["clusters"]["households"],
                        "bubbles": len(net.nodes),
                        "page_bytes": page_path.stat().st_size,
                        "kg_viz_seconds": page_s,
                        **timing,
                    }
                    print(results["browser"], flush=True)
                    shutil.rmtree(folder, ignore_errors=True)
        finally:
            server.stop()
            if not args.kg_home:
                shutil.rmtree(home, ignore_errors=True)

    results["load_average_at_end"] = round(os.getloadavg()[0], 1)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "viz_results.json").write_text(
        json.dumps(results, indent=2) + "\n", encoding="utf-8"
    )
    (args.results / "VIZ_RESULTS.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


def markdown(r: dict[str, Any]) -> str:
    busy = max(r["load_average_at_start"], r["load_average_at_end"]) > 2.5
    lines = [
        "# Network page benchmark",
        "",
        f"`bench/viz_bench.py` on {r['date']} ({r['machine']}; load average "
        f"{r['load_average_at_start']} at the start, {r['load_average_at_end']} at the end"
        + (
            ": **the machine was busy** (other agents share its 2 cores), so every figure is "
            "slower than on a quiet machine; the ratios, measured side by side in interleaved "
            "runs, hold better"
            if busy
            else ""
        )
        + f"); medians of {r['repeat']} runs after a warm-up. `kg viz` builds a "
        "`pyvis.network.Network` whose `nodes` and `edges` lists are filled in one pass (with the "
        "server's layout: grouped by helper for village views, physics off) and renders it with "
        "kg's template (vis-network inlined); stock pyvis's `Network.from_nx` checks each node "
        "and edge against every one added before (quadratic) and `generate_html` fills its own "
        "template (which loads vis-network from a CDN or a lib folder beside the page).",
        "",
        "## HTML generation, synthetic help networks",
        "",
        "| nodes | edges | `kg viz` (pyvis, one pass, kg's template) | stock pyvis `from_nx` + `generate_html` | stock ÷ kg | page size kg / stock |",
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
            "As `kg viz village TOWNSHIP` does it: the size estimate, the view's query with its "
            "history (every pairing whatever its dates, for the 历史 toggle and the slider), the "
            "pyvis network, the page. Stock pyvis (HTML only, on the same graph) beside it.",
            "",
            "| target | township | nodes | edges | query + network | query + HTML | target | stock pyvis (HTML only) | stock ÷ kg |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for d in r["database"]:
            ok = "✓" if d["total_seconds"] <= d["target_seconds"] else "✗"
            lines.append(
                f"| {d['target']:,} | {d['township']} | {d['nodes']:,} | {d['edges']:,} | "
                f"{d['query_and_build_seconds']:.3f} s | {d['total_seconds']:.3f} s | "
                f"≤ {d['target_seconds']} s {ok} | {d['pyvis_seconds']:.3f} s | "
                f"{d['pyvis_seconds'] / d['total_seconds']:.1f}× |"
            )
    b = r.get("browser")
    if b:
        paint_ok = "✓" if b["first_paint"] <= BROWSER_TARGETS["first_paint"] else "✗"
        open_ok = "✓" if b["open_village"] <= BROWSER_TARGETS["open_village"] else "✗"
        lines += [
            "",
            f"## County-scale page in Chromium (county {b['county']}, as of {AS_OF})",
            "",
            f"`kg viz village {b['county']}`: {b['households']:,} households drawn as "
            f"{b['bubbles']} township bubbles, every township's villages and every village's "
            f"households and helpers embedded ({b['page_bytes'] / 2**20:.0f} MiB, written in "
            f"{b['kg_viz_seconds']:.1f} s), opened from a file in headless Chromium with every "
            "other request blocked.",
            "",
            "| measure | median | target |",
            "|---|---:|---:|",
            f"| first paint (navigation start → first drawing) | {b['first_paint']:.2f} s | "
            f"≤ {BROWSER_TARGETS['first_paint']:g} s {paint_ok} |",
            f"| opening the largest township (click → drawn) | {b['open_township']:.2f} s | |",
            f"| opening its largest village ({int(b['village_nodes'])} households and helpers) | "
            f"{b['open_village']:.2f} s | ≤ {BROWSER_TARGETS['open_village']:g} s {open_ok} |",
        ]
    lines += [
        "",
        "The page size is mostly vis-network itself (0.6 MiB, inlined so that the page opens "
        "offline) plus the tooltips of every node.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
