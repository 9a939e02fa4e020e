"""Explorer benchmark: how fast an entity page's network appears in a real browser.

The generated Baoshan dataset (scale 1) is loaded into an embedded Neo4j of the benchmark's
own (a temporary KG_HOME on a free port), ``kg serve`` (gunicorn) serves the explorer, and
Debian's Chromium (headless, driven by Playwright; every request off the server is blocked)
opens the entity pages of the two townships whose village views come closest to 2,000 and
10,000 nodes (as ``bench/viz_bench.py`` picks them), as of 2018-12-31:

* 10,000 nodes: *first paint*, from the navigation's start to vis-network's first
  ``afterDrawing`` (physics is off above 2,000 nodes: the server lays the network out, so the
  first drawing is the picture). Target ≤ 3 s.
* 2,000 nodes: *interactive*, from the navigation's start to the end of the force
  simulation (``stabilizationIterationsDone``; physics is then switched off). Target ≤ 3 s.

Each page is opened once to warm up (Neo4j's page cache), then ``--repeat`` times in a fresh
browser context (nothing cached but the session); the median is reported, with the time to the
document's last byte (server: query + page) beside it. Results go to ``bench/WEB_RESULTS.md``
and ``bench/web_results.json``.

    .venv/bin/python bench/web_bench.py [--scale 1] [--repeat 3] [--kg-home DIR]
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
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from access.tokens import TokenStore  # noqa: E402
from bench.common import KG, generate, private_home  # noqa: E402
from core.settings import ApiConfig, Settings  # noqa: E402
from graph.connection import open_driver  # noqa: E402
from graph.embedded.manager import EmbeddedNeo4j  # noqa: E402
from tests.helpers import free_port  # noqa: E402

AS_OF = dt.date(2018, 12, 31)
TARGETS = {10_000: ("firstPaint", 3.0), 2_000: ("interactive", 3.0)}


def pick(driver: Any, database: str) -> dict[int, tuple[str, int]]:
    """The townships of bench/viz_bench.py, but for 2,000 the largest village view of at most
    2,000 nodes (``viz.render.PHYSICS_MAX_NODES``): a network the browser settles by force
    simulation, which is what 'interactive' measures."""
    from bench.viz_bench import AS_OF as VIZ_AS_OF
    from bench.viz_bench import pick_townships
    from viz.render import PHYSICS_MAX_NODES
    from viz.views import fetch

    assert VIZ_AS_OF == AS_OF
    picked = pick_townships(driver, database)
    records, _, _ = driver.execute_query(
        "MATCH (t:Region {level: 'township'}) "
        "CALL (t) { MATCH (h:Household)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(t) "
        "  RETURN count(h) AS households, sum(h.size) AS people } "
        "RETURN t.region_id AS id, 2 * households + coalesce(people, 0) AS guess",
        database_=database,
        routing_="r",
    )
    near = sorted(records, key=lambda r: abs(r["guess"] - 1_800))[:8]
    sizes = {r["id"]: len(fetch(driver, database, "village", r["id"], AS_OF).nodes) for r in near}
    fits = {i: n for i, n in sizes.items() if n <= PHYSICS_MAX_NODES}
    if fits:
        best = max(fits, key=lambda i: fits[i])
        picked[2_000] = (best, fits[best])
    return picked


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(KG), "serve", "--port", str(port), "--workers", "2"],
        env={**env, "KG_RATE_LIMIT": "off"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("kg serve did not start")


def measure(base: str, secret: str, path: str, mark: str, repeat: int) -> dict[str, Any]:
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
            context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            foreign: list[str] = []

            def route(r: Any, foreign: list[str] = foreign) -> None:
                if r.request.url.startswith(base + "/"):
                    r.continue_()
                else:
                    foreign.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.goto(base + "/web/signin")
            page.fill("#token", secret)
            page.click("form[action='/web/signin'] button[type=submit]")
            page.wait_for_load_state()
            page.goto(base + path, wait_until="commit", timeout=120_000)
            selector = "body[data-kg-painted]" if mark == "firstPaint" else "body[data-kg-ready]"
            page.wait_for_selector(selector, timeout=120_000)
            timing = page.evaluate(
                """() => { const nav = performance.getEntriesByType('navigation')[0];
                           return { document: nav.responseEnd, domContentLoaded:
                                    nav.domContentLoadedEventEnd, script: window.kgTiming.script,
                                    firstPaint: window.kgTiming.firstPaint || 0,
                                    interactive: window.kgTiming.interactive || 0,
                                    nodes: window.kgNodes.length }; }"""
            )
            if foreign:
                raise SystemExit(f"the page asked for {foreign[:3]}")
            context.close()
            if i:  # the first run warms up
                runs.append(timing)
            print(path, mark, {k: round(v) for k, v in timing.items()}, flush=True)
        browser.close()
    return {
        key: statistics.median(r[key] for r in runs) / (1 if key == "nodes" else 1000)
        for key in ("document", "domContentLoaded", "firstPaint", "interactive", "nodes")
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="the dataset to load")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs (median)")
    parser.add_argument(
        "--kg-home", type=Path, help="a KG_HOME whose embedded Neo4j already holds the dataset"
    )
    parser.add_argument("--results", type=Path, default=ROOT / "bench")
    args = parser.parse_args()

    bolt = free_port()
    if args.kg_home:
        home = args.kg_home
        env = {**os.environ, "KG_HOME": str(home), "KG_BOLT_PORT": str(bolt)}
        env.pop("NEO4J_URI", None)
    else:
        home, env = private_home("kg-web-bench-", bolt)
    server = EmbeddedNeo4j(home, bolt)
    server.start()
    process = None
    try:
        if not args.kg_home:
            subprocess.run([str(KG), "load", str(generate(args.scale))], env=env, check=True)
        settings = Settings.from_env(env)
        with open_driver(settings) as driver:
            picked = pick(driver, settings.neo4j_database)
        _, secret = TokenStore(ApiConfig.token_file_path(settings)).create("analyst", name="bench")
        port = free_port()
        process = serve(env, port)
        base = f"http://127.0.0.1:{port}"
        results: dict[str, Any] = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "chromium": subprocess.run(
                ["chromium", "--version"], capture_output=True, text=True, check=False
            ).stdout.strip(),
            "load_average_at_start": round(os.getloadavg()[0], 1),
            "date": time.strftime("%Y-%m-%d"),
            "repeat": args.repeat,
            "scale": args.scale,
            "pages": [],
        }
        for target, (mark, limit) in TARGETS.items():
            township, nodes = picked[target]
            path = f"/web/entity/{township}?view=village&as_of={AS_OF.isoformat()}"
            timing = measure(base, secret, path, mark, args.repeat)
            results["pages"].append(
                {"target": target, "township": township, "nodes": nodes, "mark": mark,
                 "limit_seconds": limit, **timing}
            )  # fmt: skip
        results["load_average_at_end"] = round(os.getloadavg()[0], 1)
    finally:
        if process is not None:
            process.terminate()
            process.wait(30)
        server.stop()
    (args.results / "web_results.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.results / "WEB_RESULTS.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


def markdown(r: dict[str, Any]) -> str:
    lines = [
        "# Explorer benchmark",
        "",
        f"`bench/web_bench.py` on {r['date']} ({r['machine']}; {r['chromium']}, headless; "
        f"load average {r['load_average_at_start']} at the start, {r['load_average_at_end']} "
        "at the end: the browser, gunicorn and Neo4j share the machine). Entity pages of "
        f"townships (village view as of {AS_OF.isoformat()}) on the generated Baoshan dataset "
        f"at scale {r['scale']:g}, served by `kg serve`; median of {r['repeat']} runs in fresh "
        "browser contexts after a warm-up. Times from the navigation's start.",
        "",
        "| target | township | nodes | document received | DOM ready | first paint | "
        "interactive | measured | limit |",
        "|---:|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for p in r["pages"]:
        value = p[p["mark"]]
        ok = "✓" if value <= p["limit_seconds"] else "✗"
        interactive = f"{p['interactive']:.2f} s" if p["interactive"] else "– (physics off)"
        lines.append(
            f"| {p['target']:,} | {p['township']} | {int(p['nodes']):,} | "
            f"{p['document']:.2f} s | {p['domContentLoaded']:.2f} s | {p['firstPaint']:.2f} s | "
            f"{interactive} | {p['mark']} {ok} | ≤ {p['limit_seconds']:g} s |"
        )
    lines += [
        "",
        "*First paint*: vis-network's first `afterDrawing`. Above 2,000 nodes physics is off and "
        "the server's layout is the picture, so the first paint is also when the page can be "
        "used. *Interactive*: the end of the short force simulation that settles networks up "
        "to 2,000 nodes (`stabilizationIterationsDone`), after which physics is switched off. "
        "*Document received*: the server's part (the view's query, the page with its data). "
        "The 2,000 row is the largest township view of at most 2,000 nodes, so that the force "
        "simulation runs (`viz.render.PHYSICS_MAX_NODES`); it stops after at most 100,000 "
        "node-iterations (`viz.neighbours.STABILIZE_BUDGET`).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
