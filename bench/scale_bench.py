"""Scale benchmark (``make bench-scale``): the home page, the analytics page and every
worklist's first page, cold and warm, on the Baoshan dataset at ``--scale`` (10 by default).

In a KG_HOME of the benchmark's own (a temporary one on a free port; ``--kg-home`` reuses one
already loaded), the dataset is loaded with ``kg load`` (an empty graph: Neo4j's importer),
timed, with the peak memory of ``kg load`` and its children. Then, through ``kg serve``
(gunicorn, the rate limit off) and an HTTP client signed in as an admin:

* **cold**: a server with no in-process cache (``KG_RESULT_CACHE=0``); before each request
  every stored answer is deleted, so the request computes (and stores) all it shows: the
  explorer's home page for the default date (the report and each worklist's count), its
  analytics page, and each contract worklist's first page of 100 rows through the API;
  ``--repeat`` times, medians;
* **warm-up**: ``access.warm.warm`` for the date, as ``kg load`` and ``kg serve`` run it, timed;
* **warm, from the store**: the same requests to a server with no in-process cache: each reads
  the answer kept in the graph (what another worker or API host sees first); medians;
* **warm, in the worker**: the same again on a server with the default in-process cache, after
  a first request; medians.

Results go to ``bench/SCALE_RESULTS_s<scale>.md`` and ``bench/scale_results_s<scale>.json``. Not part of
``make test``: at scale 10 it generates ~9.4 M rows and takes the better part of an hour.

    .venv/bin/python bench/scale_bench.py [--scale 10] [--repeat 3] [--kg-home DIR --port N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from access.warm import CONTRACT_WORKLISTS, page_params  # noqa: E402
from access.warm import warm as warm_up  # noqa: E402
from bench.api_bench import start_server  # noqa: E402
from bench.common import KG, generate, private_home  # noqa: E402
from core.settings import Settings  # noqa: E402
from graph.connection import open_driver  # noqa: E402
from tests.helpers import free_port  # noqa: E402
from tests.integration.web_support import csrf_token  # noqa: E402

DAY = dt.date(2020, 12, 31)
#: issue 9's targets in seconds, by scale: (home warm, home cold, worklist page cold, analytics cold)
TARGETS = {1: (1.0, 3.0, 0.5, 3.0), 10: (2.0, 15.0, 3.0, None)}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """An HTTP client signed in to the explorer (session cookie) that also carries the API
    token, so it can ask for pages and for API answers."""

    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.opener.open(self.base + "/web/signin", timeout=60).read().decode()
        data = urllib.parse.urlencode({"csrf_token": csrf_token(page), "token": token}).encode()
        # the sign-in answers 302 to the home page: not followed, since that page is timed
        signin = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        try:
            signin.open(self.base + "/web/signin", data=data, timeout=60).read()
        except urllib.error.HTTPError as exc:
            if exc.code != 302:
                raise

    def timed(self, path: str, *, api: bool = False) -> float:
        request = urllib.request.Request(self.base + path)
        if api:
            request.add_header("Authorization", f"Bearer {self.token}")
        started = time.perf_counter()
        with self.opener.open(request, timeout=1800) as response:
            body = response.read()
            status = response.status
        seconds = time.perf_counter() - started
        if status != 200 or (not api and b"signin" in response.url.encode()):
            raise RuntimeError(f"{path}: {status} {body[:200]!r}")
        return seconds


def targets() -> dict[str, tuple[str, bool]]:
    """What is timed: name → (path, through the API)."""
    out = {"home page": ("/", False), "analytics page": ("/web/analytics", False)}
    for name in CONTRACT_WORKLISTS:
        query = urllib.parse.urlencode({**page_params(name, DAY), "page_size": 100})
        out[name] = (f"/api/queries/{name}?{query}", True)
    return out


def attempt(client: Browser, path: str, api: bool) -> float | str:
    """Seconds, or what went wrong (the run goes on)."""
    try:
        return client.timed(path, api=api)
    except Exception as exc:  # noqa: BLE001 - a failed request is a result too
        return f"failed: {exc}"[:200]


def median(values: list[float | str]) -> float | str:
    """The median of the requests that succeeded, else the first failure."""
    numbers = [v for v in values if isinstance(v, float)]
    return round(statistics.median(numbers), 3) if numbers else str(values[0])


def timed_pass(
    env: dict[str, str],
    port: int,
    token: str,
    timed: dict[str, tuple[str, bool]],
    repeat: int,
    *,
    cache: int,
    before: Callable[[], None] | None = None,
    primed: bool = False,
) -> dict[str, list[float | str]]:
    """Each of ``timed`` asked ``repeat`` times of a ``kg serve`` with an in-process cache of
    ``cache`` answers: ``before()`` ahead of each request; ``primed``: each asked once first."""
    out: dict[str, list[float | str]] = {name: [] for name in timed}
    server = serve(env, port, cache=cache)
    try:
        client = Browser(port, token)
        if primed:
            for path, api in timed.values():
                attempt(client, path, api)
        for _ in range(repeat):
            for name, (path, api) in timed.items():
                if before is not None:
                    before()
                out[name].append(attempt(client, path, api))
                print(f"cache={cache} {name:30s} {out[name][-1]} s", flush=True)
    finally:
        stop(server)
    return out


def forget_answers(driver: Any, database: str) -> None:
    driver.execute_query("MATCH (a:Answer) DETACH DELETE a", database_=database)
    driver.execute_query("MATCH (w:AnswerWarm) DETACH DELETE w", database_=database)


def serve(env: dict[str, str], port: int, cache: int) -> subprocess.Popen[bytes]:
    return start_server({**env, "KG_RESULT_CACHE": str(cache)}, port)


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()


def load(env: dict[str, str], dataset: Path) -> dict[str, Any]:
    """``kg load`` into the empty graph through Neo4j's importer: seconds, and the peak
    resident memory of ``kg load`` or of the largest process it waited for (the importer's
    JVM; the embedded Neo4j it starts runs on and is not counted)."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", str(KG), "load", "--bulk-import", "always", str(dataset)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode > 1:
        raise RuntimeError(f"kg load failed ({done.returncode}):\n{done.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return {
        "seconds": round(seconds, 1),
        # GNU time's figure: the largest of kg load and the processes it waited for
        "peak_mib": round(int(peak.group(1)) / 1024) if peak else None,
        "exit_code": done.returncode,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kg-home", type=Path, help="a KG_HOME already loaded (not loaded again)")
    parser.add_argument("--port", type=int, help="its Bolt port (with --kg-home)")
    args = parser.parse_args()

    dataset = generate(args.scale)
    rows = sum(max(0, sum(1 for _ in f.open("rb")) - 1) for f in dataset.glob("*.csv"))
    if args.kg_home:
        home = args.kg_home
        env = {**os.environ, "KG_HOME": str(home), "KG_BOLT_PORT": str(args.port or 7687)}
        env["KG_WARM"] = "off"
        env.pop("NEO4J_URI", None)
        loaded = None
    else:
        home, env = private_home("kg-scale-bench-", free_port())
        loaded = load(env, dataset)
        print(f"load {loaded}", flush=True)
    # no query timeout: a whole-city answer at scale 10 may take longer than the default 60 s
    env.update(
        {
            "KG_WEB_AS_OF": DAY.isoformat(),
            "KG_RATE_LIMIT": "off",
            "KG_WARM": "off",
            "KG_QUERY_TIMEOUT": "3600",
        }
    )
    token = subprocess.run(
        [str(KG), "token", "create", "--role", "admin", "--name", "scale-bench"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    settings = Settings.from_env(env)
    driver = open_driver(settings)
    database = settings.neo4j_database
    nodes = driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=database).records
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average_at_start": round(os.getloadavg()[0], 1),
        "scale": args.scale,
        "rows": rows,
        "nodes": nodes[0]["n"],
        "repeat": args.repeat,
        "load": loaded,
    }
    timed = targets()
    port = free_port()
    finished = False
    try:
        cold = timed_pass(env, port, token, timed, args.repeat, cache=0,
                          before=lambda: forget_answers(driver, database))  # fmt: skip
        forget_answers(driver, database)
        started = time.perf_counter()
        done, total = warm_up(driver, database, DAY)
        warm_seconds = time.perf_counter() - started
        print(f"warm-up {done}/{total} in {warm_seconds:.1f} s", flush=True)
        stored = timed_pass(env, port, token, timed, args.repeat, cache=0)
        in_worker = timed_pass(env, port, token, timed, args.repeat, cache=32, primed=True)
        finished = True
    finally:
        driver.close()
        subprocess.run([str(KG), "db", "stop"], env=env, capture_output=True, check=False)
        if not finished:  # kept for the next try: at scale 10 the load takes half an hour
            print(f"kept the loaded graph: --kg-home {home} --port {env['KG_BOLT_PORT']}")
        elif not args.kg_home:
            shutil.rmtree(home, ignore_errors=True)
    results["warm_up"] = {"answers": done, "of": total, "seconds": round(warm_seconds, 1)}
    results["pages"] = {
        name: {
            "cold_s": median(cold[name]),
            "store_s": median(stored[name]),
            "worker_s": median(in_worker[name]),
        }
        for name in timed
    }
    write_results(results)


def write_results(results: dict[str, Any]) -> None:
    scale = results["scale"]
    tag = f"s{scale:g}"
    (ROOT / "bench" / f"scale_results_{tag}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    home_warm, home_cold, page_cold, analytics_cold = TARGETS.get(int(scale), (None,) * 4)

    def verdict(value: float | str, target: float | None) -> str:
        if target is None:
            return "—"
        if isinstance(value, str):
            return "no"
        return f"≤ {target:g} s: {'yes' if value <= target else 'no'}"

    load = results["load"]
    lines = [
        f"# Scale benchmark, scale {scale:g}",
        "",
        f"`bench/scale_bench.py --scale {scale:g} --repeat {results['repeat']}` on "
        f"{results['date']} ({results['machine']}; load average at the start "
        f"{results['load_average_at_start']}). Generated Baoshan dataset at scale {scale:g}: "
        f"{results['rows']:,} rows, {results['nodes']:,} nodes. Seconds, medians of "
        f"{results['repeat']} requests, each through `kg serve` (gunicorn) over HTTP, as of "
        f"{DAY.isoformat()} and for the whole city (an admin).",
        "",
    ]
    if load:
        lines += [
            f"First load (`kg load` into the empty graph, Neo4j's importer): {load['seconds']} s; "
            f"peak memory {load['peak_mib']} MiB (the largest of `kg load` and the processes it "
            "waited for, the importer's JVM among them; not the embedded Neo4j).",
            "",
        ]
    lines += [
        f"Warm-up of the date (`access.warm.warm`, {results['warm_up']['answers']} of "
        f"{results['warm_up']['of']} answers): {results['warm_up']['seconds']} s.",
        "",
        "Cold: nothing stored and no in-process cache; the request computes and stores "
        "everything it shows. From the store: after the warm-up, a worker with no in-process "
        "cache (what another worker or host sees first). In the worker: the same worker again.",
        "",
        "| page | cold | target | from the store | target | in the worker |",
        "|---|---:|---|---:|---|---:|",
    ]
    for name, page in results["pages"].items():
        if name == "home page":
            cold_target, warm_target = home_cold, home_warm
        elif name == "analytics page":
            cold_target, warm_target = analytics_cold, None
        else:
            cold_target, warm_target = page_cold, None
        lines.append(
            f"| {name} | {page['cold_s']} | {verdict(page['cold_s'], cold_target)} | "
            f"{page['store_s']} | {verdict(page['store_s'], warm_target)} | {page['worker_s']} |"
        )
    lines.append("")
    (ROOT / "bench" / f"SCALE_RESULTS_{tag}.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
