"""API benchmark: latency of every named query (server-side and through HTTP) and throughput.

On the generated Baoshan dataset at scale 1, in a KG_HOME of the benchmark's own (a temporary
one on a free port, loaded here; ``--kg-home`` reuses one already loaded):

1. **server-side**: each named query run through ``queries.runner.execute`` (no cache), ``--runs``
   times over sampled ids / names / dates; median and p95 in ms, and whether the plan of each
   anchored (point) query starts from an index seek;
2. **HTTP**: ``kg serve`` (gunicorn, 2 workers × 8 threads, rate limit off) with an admin token,
   one keep-alive client: the point endpoints (card, trace, search) and the first page of each
   worklist, cold (first request after start, the answer computed) and warm (from the result
   cache: ``queries/cache.py``); median and p95;
3. **throughput**: 8 client processes on this machine, each with a keep-alive connection,
   requesting cards of sampled ids for ``--seconds``: requests per second, and the latency
   they saw.

Results go to ``bench/API_RESULTS.md`` and ``bench/api_results.json``.

    .venv/bin/python bench/api_bench.py [--kg-home DIR --port N] [--runs 30] [--seconds 15]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import KG, generate, private_home  # noqa: E402
from core.settings import Settings  # noqa: E402
from graph.connection import open_driver  # noqa: E402
from queries.registry import specs  # noqa: E402
from queries.runner import execute  # noqa: E402
from tests.helpers import free_port  # noqa: E402

AS_OF = "2020-12-31"
TARGET_POINT_P95 = 20.0
TARGET_PAGE_P95 = 100.0
TARGET_RPS = 500


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(ms: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(ms), 2), "p95_ms": round(pct(ms, 0.95), 2)}


def samples(driver: Any, n: int = 200) -> dict[str, list[Any]]:
    """Ids, names and helpers to ask about, drawn at random (seeded) from the graph."""
    rng = random.Random(1)

    def column(cypher: str) -> list[Any]:
        values = [r[0] for r in driver.execute_query(cypher, routing_="r").records]
        return rng.sample(values, min(n, len(values)))

    return {
        "person": column("MATCH (p:Person) RETURN p.person_id"),
        "household": column("MATCH (h:Household) RETURN h.household_id"),
        "helper": column(
            "MATCH (p:Person)-[r:HELPS]->() WHERE r.end_on IS NULL RETURN DISTINCT p.person_id"
        ),
        "name": column("MATCH (p:Person) RETURN p.name"),
        "region": column("MATCH (r:Region) WHERE r.level = 'village' RETURN r.region_id"),
    }


def point_params(name: str, s: dict[str, list[Any]], i: int) -> dict[str, Any]:
    if name == "card":
        kind = ("person", "household", "region")[i % 3]
        return {"id": s[kind][i % len(s[kind])]}
    if name == "help_trace":
        kind = ("helper", "household")[i % 2]
        return {"id": s[kind][i % len(s[kind])], "as_of": AS_OF}
    if name == "search":
        return {"q": s["name"][i % len(s["name"])]}
    raise KeyError(name)


def query_params(name: str) -> dict[str, Any]:
    spec = specs()[name]
    names = {p.name for p in spec.params}
    if "as_of" in names:
        return {"as_of": AS_OF}
    if "year" in names:
        return {"year": 2019}
    return {}


def server_side(driver: Any, database: str, s: dict[str, list[Any]], runs: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, spec in specs().items():
        times = []
        rows = 0
        n = runs if spec.kind == "point" else max(3, runs // 6)
        for i in range(n + 1):
            params = point_params(name, s, i) if spec.kind == "point" else query_params(name)
            t = time.perf_counter()
            result = execute(driver, database, name, params)
            if i:  # the first run warms the plan cache
                times.append(1000 * (time.perf_counter() - t))
                rows = max(rows, len(result.rows))
        out[name] = {"kind": spec.kind, "runs": n, "rows": rows, **summary(times)}
        print(f"server  {name:30s} {out[name]}", flush=True)
    return out


class Client:
    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": f"Bearer {token}", "Connection": "keep-alive"}

    def get(self, path: str, params: dict[str, Any] | None = None) -> tuple[int, bytes]:
        if params:
            path += "?" + urllib.parse.urlencode(params)
        self.conn.request("GET", path, headers=self.headers)
        response = self.conn.getresponse()
        return response.status, response.read()

    def timed(self, path: str, params: dict[str, Any] | None = None) -> float:
        t = time.perf_counter()
        status, body = self.get(path, params)
        elapsed = 1000 * (time.perf_counter() - t)
        if status != 200:
            raise RuntimeError(f"{path} {params}: {status} {body[:200]!r}")
        return elapsed


def http_latency(port: int, token: str, s: dict[str, list[Any]], runs: int) -> dict[str, Any]:
    client = Client(port, token)
    out: dict[str, Any] = {}
    endpoints = {
        "card": lambda p: ("/api/entities/" + urllib.parse.quote(p["id"]), None),
        "help_trace": lambda p: (
            "/api/entities/" + urllib.parse.quote(p["id"]) + "/trace",
            {"as_of": p["as_of"]},
        ),
        "search": lambda p: ("/api/search", p),
    }
    for name, route in endpoints.items():
        times = [client.timed(*route(point_params(name, s, i))) for i in range(runs + 1)][1:]
        out[name] = {"kind": "point", **summary(times)}
        print(f"http    {name:30s} {out[name]}", flush=True)
    for name, spec in specs().items():
        if spec.kind == "point":
            continue
        params = {**query_params(name)}
        if spec.kind == "worklist":
            params["page_size"] = 100
        cold = client.timed(f"/api/queries/{name}", params)
        # the same keep-alive connection, so the same gunicorn worker and its cache
        warm = [client.timed(f"/api/queries/{name}", params) for _ in range(runs)]
        out[name] = {"kind": spec.kind, "cold_ms": round(cold, 1), **summary(warm)}
        print(f"http    {name:30s} {out[name]}", flush=True)
    return out


def _hammer(port: int, token: str, ids: list[str], seconds: float, queue: Any) -> None:
    client = Client(port, token)
    latencies = []
    i = random.Random(os.getpid()).randrange(len(ids))
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        latencies.append(client.timed("/api/entities/" + urllib.parse.quote(ids[i % len(ids)])))
        i += 1
    queue.put(latencies)


def throughput(port: int, token: str, ids: list[str], clients: int, seconds: float) -> dict:
    queue: Any = mp.Queue()
    procs = [
        mp.Process(target=_hammer, args=(port, token, ids, seconds, queue)) for _ in range(clients)
    ]
    t = time.perf_counter()
    for p in procs:
        p.start()
    latencies = [ms for _ in procs for ms in queue.get()]
    for p in procs:
        p.join()
    wall = time.perf_counter() - t
    out = {
        "clients": clients,
        "seconds": seconds,
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / seconds, 1),
        "wall_seconds": round(wall, 1),
        **summary(latencies),
    }
    print(f"throughput {out}", flush=True)
    return out


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(KG), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.kill()
    raise RuntimeError("kg serve did not answer /api/health within 120 s")


def write_results(results: dict[str, Any]) -> None:
    (ROOT / "bench" / "api_results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    server, web, tp = results["server_side"], results["http"], results["throughput"]
    lines = [
        "# API benchmark",
        "",
        f"`bench/api_bench.py`, run {results['date']} on {results['machine']} (the client, "
        "gunicorn and Neo4j share the machine). Generated Baoshan dataset at scale 1 "
        f"({results['nodes']:,} nodes); load average at the start "
        f"{results['load_average_at_start']}. Latencies in ms; median and p95 of {results['runs']} "
        "requests (point queries, over sampled ids) or of the warm pages.",
        "",
        "## Point queries (targets: p95 ≤ 20 ms)",
        "",
        "| query | server median | server p95 | HTTP median | HTTP p95 | p95 ≤ 20 ms |",
        "|---|---:|---:|---:|---:|:-:|",
    ]
    for name in ("card", "help_trace", "search"):
        a, b = server[name], web[name]
        ok = "yes" if b["p95_ms"] <= TARGET_POINT_P95 else "no"
        lines.append(
            f"| {name} | {a['median_ms']} | {a['p95_ms']} | {b['median_ms']} | {b['p95_ms']} | {ok} |"
        )
    lines += [
        "",
        "## Worklists and summaries: first page of 100 rows (target: p95 ≤ 100 ms)",
        "",
        "Server: the whole query through `execute` (no cache). HTTP cold: the first request after "
        "the server started (computes the whole answer); HTTP warm: the first page again, from "
        "the result cache (`queries/cache.py`, checked against the graph's load stamp on every "
        "request).",
        "",
        "| query | rows | server median | server p95 | HTTP cold | HTTP warm median | HTTP warm p95 | warm p95 ≤ 100 ms |",
        "|---|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for name, a in server.items():
        if a["kind"] == "point":
            continue
        b = web[name]
        ok = "yes" if b["p95_ms"] <= TARGET_PAGE_P95 else "no"
        lines.append(
            f"| {name} | {a['rows']:,} | {a['median_ms']} | {a['p95_ms']} | {b['cold_ms']} | "
            f"{b['median_ms']} | {b['p95_ms']} | {ok} |"
        )
    lines += [
        "",
        f"## Throughput (target ≥ {TARGET_RPS} requests/s)",
        "",
        f"{tp['clients']} client processes, keep-alive, `GET /api/entities/<id>` over "
        f"{results['sample_ids']} sampled ids for {tp['seconds']} s against `kg serve` "
        f"(gunicorn, {results['workers']} workers × {results['threads']} threads): "
        f"**{tp['requests_per_second']} requests/s**; latency median {tp['median_ms']} ms, "
        f"p95 {tp['p95_ms']} ms.",
        "",
        "See bench/NOTES.md for what limits these numbers.",
    ]
    (ROOT / "bench" / "API_RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kg-home", type=Path, help="a KG_HOME already loaded (skips the load)")
    parser.add_argument("--port", type=int, help="its Bolt port (with --kg-home)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    port = args.port or free_port()
    if args.kg_home:
        env = {**os.environ, "KG_HOME": str(args.kg_home), "KG_BOLT_PORT": str(port)}
        env.pop("NEO4J_URI", None)
    else:
        _, env = private_home("kg-api-bench-", port)
    env.update(KG_RATE_LIMIT="off", PYTHONIOENCODING="utf-8")
    if not args.kg_home:
        subprocess.run([str(KG), "load", str(generate(args.scale))], env=env, check=True)
    load_average = os.getloadavg()
    settings = Settings.from_env(env)
    with open_driver(settings) as driver:
        nodes = driver.execute_query("MATCH (n) RETURN count(n)").records[0][0]
        s = samples(driver)
        server = server_side(driver, settings.neo4j_database, s, args.runs)
    token = (
        subprocess.run(
            [str(KG), "token", "create", "--role", "admin", "--name", "api-bench"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = free_port()
    server_proc = start_server(env, port)
    try:
        web = http_latency(port, token, s, args.runs)
        tp = throughput(port, token, s["person"], args.clients, args.seconds)
    finally:
        server_proc.terminate()
        server_proc.wait(30)
        if not args.kg_home:
            subprocess.run([str(KG), "db", "stop"], env=env, check=False)
    write_results(
        {
            "date": time.strftime("%Y-%m-%d"),
            "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} "
            f"{platform.python_version()}",
            "nodes": nodes,
            "load_average_at_start": [round(x, 2) for x in load_average],
            "runs": args.runs,
            "workers": 2,
            "threads": 8,
            "sample_ids": len(s["person"]),
            "server_side": server,
            "http": web,
            "throughput": tp,
        }
    )


if __name__ == "__main__":
    main()
