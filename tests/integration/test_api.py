"""The HTTP API on the hand-checked small dataset: routes, roles, masking, downloads, paging,
errors, the audit log, the rate limit, the docs page, and ``kg serve`` / ``kg token``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from access.tokens import TokenStore
from kg.app import create_app
from queries.registry import specs
from queries.runner import execute
from tests.helpers import KG, free_port, run_kg
from tests.integration.api_support import SMALL, Api, counts, load_dataset, make_api

TOWN_A = "530521101000"  # 甸阳镇: H001, H003
TOWN_B = "530521202000"  # 摆榔乡: H002


@pytest.fixture(scope="module")
def api(driver, settings, tmp_path_factory) -> Api:
    tmp = tmp_path_factory.mktemp("api")
    load_dataset(driver, settings, SMALL, tmp)
    return make_api(
        settings,
        driver,
        tmp,
        regions={"town_a": TOWN_A, "town_b": TOWN_B, "admin_town_a": TOWN_A},
    )


def audit_lines(api: Api) -> list[dict]:
    return [json.loads(line) for line in api.config.audit_log.read_text().splitlines()]


# -- service routes ------------------------------------------------------------------------------


def test_health_needs_no_token_and_says_neo4j_answers(api):
    response = api.get("/api/health", who=None)
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["neo4j"] is True


def test_health_tells_the_warm_up_of_the_current_load(api, driver, settings):
    from access import warm
    from queries.cache import ResultCache

    db = settings.neo4j_database
    [load] = [
        r["n"]
        for r in driver.execute_query(
            "MATCH (s:LoadState {key: 'files'}) RETURN s.load AS n", database_=db
        ).records
    ]
    driver.execute_query("MATCH (w:AnswerWarm) DELETE w", database_=db)
    before = api.get("/api/health", who=None).json["warm"]
    assert before == {"done": None, "total": None, "load": load, "running": False}
    day = dt.date(2020, 12, 31)
    steps = []
    done, total = warm.warm(driver, db, day, step=lambda d, t, name: steps.append((d, t, name)))
    summaries = [s for s in specs().values() if s.kind == "summary"]
    assert total == 1 + len(warm.CONTRACT_WORKLISTS) + len(summaries) + 2
    assert done == total and [d for d, _, _ in steps] == list(range(1, total + 1))
    after = api.get("/api/health", who=None).json["warm"]
    assert after == {"done": total, "total": total, "load": load, "running": False}
    # what the home page and analytics ask for is now read from the store, not computed
    cache = ResultCache(0)
    warm.figures(cache, driver, db, day)
    warm.central(cache, driver, db, day, None)
    warm.patterns_figures(cache, driver, db, day, None)
    for name in warm.CONTRACT_WORKLISTS:
        cache.execute(driver, db, name, warm.home_params(name, day))
    assert cache.computed == 0 and cache.stored == 3 + len(warm.CONTRACT_WORKLISTS)
    # /api/report too: its figures are the stored ones
    report = api.get("/api/report?as_of=2020-12-31").json
    assert [f["value"] for f in report["figures"]] == [
        f.value for f in warm.figures(cache, driver, db, day)
    ]


def _routes(api: Api):
    for rule in api.app.url_map.iter_rules():
        # the explorer's pages sign in with a session, not a bearer token (test_web.py)
        if rule.endpoint == "static" or rule.endpoint.startswith("web"):
            continue
        path = re.sub(r"<[^>]+>", "P001", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


PUBLIC = re.compile(r"^/api/(health|openapi\.json|docs(/.*)?)$")


def test_every_route_but_health_and_docs_needs_a_token(api):
    checked = 0
    for method, path in _routes(api):
        if PUBLIC.match(path):
            continue
        for headers in ({}, {"Authorization": "Bearer kg_not-a-token"}, {"Authorization": "x"}):
            response = api.client.open(path, method=method, headers=headers, json={})
            assert response.status_code == 401, (method, path, headers)
            assert response.json["error"]["code"] == "unauthorized"
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        checked += 1
    assert checked >= len(specs()) + 6


def test_a_revoked_token_is_refused_at_once(api, tmp_path):
    store = TokenStore(api.config.token_file)
    record, secret = store.create("viewer", name="short-lived")
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/api/queries", headers=headers).status_code == 200
    store.revoke(record.id)
    assert api.client.get("/api/queries", headers=headers).status_code == 401


def test_queries_lists_every_named_query_with_its_parameters(api):
    listed = {q["name"]: q for q in api.get("/api/queries", who="viewer").json["queries"]}
    assert set(listed) == set(specs())
    one = listed["one_helps_many"]
    assert one["kind"] == "worklist" and one["path"] == "/api/queries/one_helps_many"
    assert one["rollup_path"] == "/api/queries/one_helps_many/rollup"
    assert one["parameters"] == [
        {
            "name": "as_of",
            "required": False,
            "default": "today",
            "schema": {"type": "string", "format": "date"},
        }
    ]
    assert {p["name"] for p in listed["search"]["parameters"]} == {"q", "limit", "offset"}


# -- named queries -------------------------------------------------------------------------------


def test_a_worklist_answers_like_kg_query_plus_paging(api, driver, settings):
    response = api.get("/api/queries/one_helps_many?as_of=2020-12-31")
    assert response.status_code == 200
    expected = execute(driver, settings.neo4j_database, "one_helps_many", {"as_of": "2020-12-31"})
    body = response.json
    assert {k: body[k] for k in ("query", "params", "columns", "rows")} == expected.to_json()
    assert body["rows"] == [
        {
            "helper_id": "P007",
            "name": "张建华",
            "household_count": 2,
            "household_ids": ["H001", "H002"],
            "region_id": TOWN_A,
        }
    ]
    assert (body["page"], body["page_size"], body["total_rows"], body["pages"]) == (1, 100, 1, 1)


def test_paging(api):
    path = "/api/queries/households_without_helper?as_of=2015-06-30"
    first = api.get(path + "&page_size=2").json
    second = api.get(path + "&page_size=2&page=2").json
    assert [r["household_id"] for r in first["rows"]] == ["H003", "H001"]
    assert [r["household_id"] for r in second["rows"]] == ["H002"]
    assert (second["page"], second["page_size"], second["total_rows"], second["pages"]) == (
        2,
        2,
        3,
        2,
    )
    assert api.get(path + "&page=9").json["rows"] == []
    for bad in ("page_size=0", "page_size=1001", "page=0", "page=x", "page_size=-1"):
        response = api.get(f"{path}&{bad}")
        assert response.status_code == 400, bad
        assert response.json["error"]["code"] == "bad_parameter"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("as_of=2020-13-01", 400),
        ("as_of=20201231", 400),
        ("as_of=", 400),
        ("nonsense=1", 400),
        ("scope=530521202000", 400),
        ("SCOPE=530521202000", 400),
        ("as_of=2020-01-01&as_of=2020-02-01", 400),
        ("format=pdf", 400),
    ],
)
def test_bad_parameters_are_400(api, query, code):
    response = api.get(f"/api/queries/one_helps_many?{query}")
    assert response.status_code == code
    assert set(response.json["error"]) == {"code", "message"}


def test_scope_is_refused_even_for_a_scoped_token(api):
    response = api.get(f"/api/queries/one_helps_many?scope={TOWN_A}", who="town_b")
    assert response.status_code == 400
    assert "scope" in response.json["error"]["message"]


def test_unknown_query_is_404(api):
    response = api.get("/api/queries/drop_everything")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_summary_and_point_queries_have_no_paging(api):
    body = api.get("/api/queries/collective_income_tiers?year=2019").json
    assert body["rows"][0]["total_income"] == 692000 and "page" not in body
    assert api.get("/api/queries/collective_income_tiers?year=2019&page=1").status_code == 400


def test_rollup_counts_rows_per_county_and_township(api):
    body = api.get("/api/queries/households_without_helper/rollup?as_of=2015-06-30").json
    assert body["columns"] == ["county_id", "county", "township_id", "township", "rows"]
    assert {(r["township_id"], r["rows"]) for r in body["rows"]} == {(TOWN_A, 2), (TOWN_B, 1)}
    assert body["summary"] == {"total_rows": 3}
    scoped = api.get(
        "/api/queries/households_without_helper/rollup?as_of=2015-06-30", who="town_b"
    ).json
    assert [(r["township_id"], r["rows"]) for r in scoped["rows"]] == [(TOWN_B, 1)]


# -- downloads -----------------------------------------------------------------------------------


def test_csv_download_has_a_bom_and_every_row(api):
    response = api.get(
        "/api/queries/households_without_helper?as_of=2015-06-30&format=csv&page_size=1",
        who="analyst",
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert (
        'filename="households_without_helper-2015-06-30.csv"'
        in response.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == [
        "household_id",
        "region_id",
        "size",
        "registered_on",
        "poverty_cause",
        "last_pairing_end",
    ]
    assert [r[0] for r in rows[1:]] == ["H003", "H001", "H002"]  # no paging in downloads


def test_accept_header_chooses_the_download(api):
    response = api.get(
        "/api/queries/one_helps_many?as_of=2020-12-31",
        who="analyst",
        headers={"Accept": "text/csv"},
    )
    assert response.headers["Content-Type"].startswith("text/csv")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = api.get(
        "/api/queries/one_helps_many?as_of=2020-12-31", who="analyst", headers={"Accept": xlsx}
    )
    assert response.headers["Content-Type"] == xlsx
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("helper_id", "name", "household_count", "household_ids", "region_id")
    assert rows[1][:3] == ("P007", "张建华", 2)


def test_viewers_may_not_download(api):
    for fmt in ("csv", "xlsx"):
        response = api.get(f"/api/queries/one_helps_many?format={fmt}", who="viewer")
        assert response.status_code == 403
        assert response.json["error"]["code"] == "export_forbidden"


# -- search, card, trace, report -------------------------------------------------------------


def test_search_card_and_trace(api):
    found = api.get("/api/search?q=杨春华", who="viewer").json
    assert found["rows"][0]["id"] == "P001"
    card = api.get("/api/entities/P001", who="viewer").json
    assert card["label"] == "Person" and card["name"] == "杨春华"
    assert {n["relationship"] for n in card["neighbours"]} >= {"IN_HOUSEHOLD", "MEMBER_OF"}
    assert api.get("/api/entities/NOPE").status_code == 404
    trace = api.get("/api/entities/P007/trace?as_of=2020-12-31", who="viewer").json
    assert [r["household_id"] for r in trace["rows"]] == ["H001", "H002"]
    history = api.get("/api/entities/H003/trace?as_of=2020-12-31&history=true").json
    assert [(r["helper_id"], r["current"]) for r in history["rows"]] == [("P008", False)]
    assert api.get("/api/entities/H003/trace?history=yes").status_code == 400
    assert api.get("/api/entities/H003/trace?id=H001").status_code == 400
    assert api.get("/api/entities/P001?x=1").status_code == 400


def test_report_for_the_whole_city_only(api):
    body = api.get("/api/report?as_of=2020-12-31", who="viewer").json
    figures = {f["key"]: f["value"] for f in body["figures"]}
    assert body["as_of"] == "2020-12-31" and figures["counties"] == 1
    response = api.get("/api/report?as_of=2020-12-31", who="town_a")
    assert response.status_code == 403
    assert "whole city" in response.json["error"]["message"]
    assert api.get("/api/report?as_of=2020-02-30").status_code == 400


# -- masking -------------------------------------------------------------------------------------


def test_personal_data_is_masked_except_for_admins(api):
    admin = api.get("/api/entities/P001").json["properties"]
    assert (admin["id_number"], admin["phone"]) == ("530521197003150114", "13887510001")
    for who in ("analyst", "viewer", "town_a"):
        props = api.get("/api/entities/P001", who=who).json["properties"]
        assert (props["id_number"], props["phone"]) == ("530521********0114", "138****0001")


def test_a_search_for_an_id_number_is_not_echoed_in_full(api):
    for q, shown in (("530521197003150114", "530521********0114"), ("13887510001", "138****0001")):
        body = api.get(f"/api/search?q={q}", who="viewer").json
        assert body["params"]["q"] == shown
        assert q not in json.dumps(body)


# -- errors --------------------------------------------------------------------------------------


def test_errors_are_json_without_internals(api, monkeypatch):
    response = api.client.post("/api/health")
    assert response.status_code == 405 and response.json["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
    response = api.get("/nowhere")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"

    import neo4j.exceptions

    import queries.runner

    def boom(*args, **kwargs):
        raise RuntimeError("MATCH (secret:Cypher) RETURN secret")

    # the worklist's page is read by runner.page (its download by runner.execute)
    monkeypatch.setattr(queries.runner, "page", boom)
    # a date no other test asks for: not in the result cache
    response = api.get("/api/queries/one_helps_many?as_of=1999-09-09")
    assert response.status_code == 500
    assert response.json == {
        "error": {"code": "internal_error", "message": "an unexpected error (logged)"}
    }

    def refused(*args, **kwargs):
        raise neo4j.exceptions.ClientError(
            "Neo.ClientError.Statement.SyntaxError", "Invalid input MATCH (secret)"
        )

    monkeypatch.setattr(queries.runner, "page", refused)
    response = api.get("/api/queries/one_helps_many?as_of=1999-09-09")
    assert response.status_code == 500 and "secret" not in response.get_data(as_text=True)

    def unavailable(*args, **kwargs):
        raise neo4j.exceptions.ServiceUnavailable("bolt://127.0.0.1 refused")

    monkeypatch.setattr(queries.runner, "execute", unavailable)  # a download: the whole answer
    response = api.get("/api/queries/one_helps_many?as_of=1999-09-09&format=csv")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "neo4j_unavailable"


# -- audit log -----------------------------------------------------------------------------------


def test_every_request_is_audited_with_masked_parameters(api):
    api.get("/api/search?q=530521197003150114&limit=5", who="town_a")
    api.get("/api/queries/one_helps_many?as_of=2020-12-31", who="viewer")
    api.get("/api/queries/one_helps_many", who=None)
    last = audit_lines(api)[-3:]
    search, worklist, refused = last
    assert search["path"] == "/api/search" and search["query"] == "search"
    assert search["params"] == {"q": "530521********0114", "limit": 5, "offset": 0}
    assert search["role"] == "viewer" and search["region"] == TOWN_A
    assert re.fullmatch(r"[0-9a-f]{8}", search["token_id"])
    assert worklist["rows"] == 1 and worklist["status"] == 200
    assert worklist["params"] == {"as_of": "2020-12-31"}
    assert refused["status"] == 401 and refused["token_id"] is None
    for line in last:
        assert {
            "time",
            "token_id",
            "role",
            "region",
            "method",
            "path",
            "query",
            "params",
            "status",
            "rows",
            "duration_ms",
        } <= set(line)
        dt.datetime.fromisoformat(line["time"])
    assert "530521197003150114" not in api.config.audit_log.read_text()
    assert oct(api.config.audit_log.stat().st_mode & 0o777) == "0o600"


# -- rate limit ----------------------------------------------------------------------------------


def test_rate_limit_per_token(settings, driver, tmp_path):
    limited = make_api(settings, driver, tmp_path, rate_limit="3/minute")
    for _ in range(3):
        assert limited.get("/api/queries", who="viewer").status_code == 200
    response = limited.get("/api/search?q=x", who="viewer")
    assert response.status_code == 429
    assert response.json["error"]["code"] == "rate_limited"
    assert "Retry-After" in response.headers
    assert limited.get("/api/queries", who="analyst").status_code == 200  # another token
    for _ in range(5):
        assert limited.get("/api/health", who=None).status_code == 200  # not limited
    for _ in range(3):
        limited.get("/api/queries", who=None)
    assert limited.get("/api/queries", who=None).status_code == 429  # per IP without a token


# -- docs ----------------------------------------------------------------------------------------


def test_docs_page_serves_every_asset_locally(api):
    page = api.get("/api/docs", who=None)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.get_data(as_text=True)
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.I), "a remote URL"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 5
    for asset in assets:
        assert asset.startswith("/api/docs/"), asset
        assert api.get(asset, who=None).status_code == 200, asset
    init = api.get("/api/docs/init.js", who=None).get_data(as_text=True)
    assert '"/api/openapi.json"' in init and "http" not in init
    assert api.get("/api/docs/index.html", who=None).status_code == 404


def test_openapi_document_has_a_path_per_named_query(api):
    doc = api.get("/api/openapi.json", who=None).json
    assert doc["openapi"].startswith("3.")
    for name, spec in specs().items():
        op = doc["paths"][f"/api/queries/{name}"]["get"]
        names = {p["name"] for p in op["parameters"]}
        assert {p.name for p in spec.params} <= names
        assert ("page" in names) == (spec.kind == "worklist")
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["properties"]["rows"]["items"]["required"] == list(spec.columns)
    assert doc["paths"]["/api/health"]["get"]["security"] == []
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


# -- ad-hoc Cypher -------------------------------------------------------------------------------


def test_adhoc_cypher_for_admins_without_a_region(api):
    body = {
        "query": "MATCH (p:Person {person_id: $id}) RETURN p.name AS name",
        "params": {"id": "P001"},
    }
    response = api.post("/api/cypher", json=body)
    assert response.status_code == 200
    assert response.json == {
        "columns": ["name"],
        "rows": [{"name": "杨春华"}],
        "row_count": 1,
        "truncated": False,
    }
    for who in ("analyst", "viewer"):
        assert api.post("/api/cypher", who=who, json=body).status_code == 403
    response = api.post("/api/cypher", who="admin_town_a", json=body)
    assert response.status_code == 403 and response.json["error"]["code"] == "whole_city_only"


def test_adhoc_cypher_row_cap_and_timeout(settings, driver, tmp_path):
    capped = make_api(settings, driver, tmp_path)
    config = replace(capped.config, cypher_max_rows=3, cypher_timeout=0.5)
    client = create_app(settings, config=config, driver=driver).test_client()
    headers = capped.headers("admin")
    response = client.post(
        "/api/cypher", headers=headers, json={"query": "UNWIND range(1, 10) AS x RETURN x"}
    )
    assert response.json["rows"] == [{"x": 1}, {"x": 2}, {"x": 3}]
    assert response.json["truncated"] is True
    # Neo4j checks transaction timeouts every 2 s (db.transaction.monitor.check.interval): the
    # query must run well beyond that to be stopped (10^10 rows take minutes, not seconds)
    slow = "UNWIND range(1, 10000000000) AS x WITH x WHERE x % 7 = 99 RETURN count(x)"
    response = client.post("/api/cypher", headers=headers, json={"query": slow})
    assert response.status_code == 400 and response.json["error"]["code"] == "timeout"


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {"query": ""},
        {"query": 1},
        {"query": "RETURN 1", "params": []},
        {"query": "RETURN 1", "extra": 1},
        {"query": "RETURN $x", "params": {"x": 2**70}},
        {"query": "RETURN nonsense("},
    ],
)
def test_adhoc_cypher_bad_requests_are_400(api, body):
    response = api.post("/api/cypher", json=body)
    assert response.status_code == 400, response.json
    assert set(response.json["error"]) == {"code", "message"}


# -- kg token, kg serve --------------------------------------------------------------------------


def test_kg_token_create_list_revoke(api, kg_env):
    env = kg_env
    done = run_kg(
        "token", "create", "--role", "analyst", "--region", TOWN_A, "--name", "甸阳", env=env
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    token = lines[-1]
    assert re.fullmatch(r"kg_[A-Za-z0-9_-]{43}", token)
    assert "analyst" in lines[0] and TOWN_A in lines[0] and "甸阳镇" in lines[0]
    token_id = re.search(r"token ([0-9a-f]{8})", lines[0]).group(1)
    listed = json.loads(run_kg("token", "list", "--format", "json", env=env).stdout)
    mine = [t for t in listed if t["id"] == token_id]
    assert mine and mine[0]["role"] == "analyst" and mine[0]["region"] == TOWN_A
    assert "sha256" not in mine[0] and token not in json.dumps(listed)
    path = Path(kg_env["KG_HOME"]) / "api" / "tokens.json"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert token not in path.read_text()
    assert run_kg("token", "revoke", token_id, env=env).returncode == 0
    assert run_kg("token", "revoke", "ffffffff", env=env).returncode != 0
    for region, word in (("530521101201", "village"), ("999", "no region")):
        done = run_kg("token", "create", "--role", "viewer", "--region", region, env=env)
        assert done.returncode != 0 and word in done.stderr


def test_kg_serve_help():
    done = subprocess.run([str(KG), "serve", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    for option in ("--host", "--port", "--workers", "--dev"):
        assert option in done.stdout


def test_kg_serve_runs_gunicorn(api, kg_env, tmp_path, driver, settings):
    driver.execute_query("MATCH (w:AnswerWarm) DELETE w", database_=settings.neo4j_database)
    port = free_port()
    env = {**kg_env, "KG_AUDIT_LOG": str(tmp_path / "audit.log"), "KG_WARM": "on"}
    server = subprocess.Popen(
        [str(KG), "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5) as r:
                    body = json.loads(r.read())
                    break
            except OSError:
                time.sleep(0.3)
        assert body == {
            "status": "ok",
            "neo4j": True,
            "version": body["version"],
            "warm": body["warm"],
        }
        # the warm-up started with the server: its progress shows in /api/health
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5) as r:
                warm = json.loads(r.read())["warm"]
            if warm["total"] and warm["done"] == warm["total"] and not warm["running"]:
                break
            time.sleep(0.3)
        assert warm["total"] and warm["done"] == warm["total"] and not warm["running"]
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/queries")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 401
        refused.value.close()
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert "gunicorn" in output.lower() and "gthread" in output
    assert f"warm-up done, {warm['done']}/{warm['total']} answers" in output
    assert server.returncode == 0
    lines = (tmp_path / "audit.log").read_text().splitlines()
    statuses = [json.loads(x)["status"] for x in lines]
    assert statuses[-1] == 401 and set(statuses[:-1]) == {200}


def test_api_leaves_the_graph_unchanged(api, driver, settings):
    before = counts(driver, settings)
    for path in ("/api/queries/one_helps_many", "/api/search?q=杨", "/api/entities/P001"):
        api.get(path)
    assert counts(driver, settings) == before


def test_kg_load_warms_the_default_date_unless_told_not_to(api, kg_env, driver, settings):
    from access import warm

    db = settings.neo4j_database
    # on by default (the tests' session turns it off with KG_WARM=off)
    env = {**kg_env, "KG_WEB_AS_OF": "2020-12-31", "LANG": "en_US.UTF-8", "KG_WARM": "on"}
    done = run_kg("load", str(SMALL), "--no-progress", env=env)
    assert done.returncode == 0, done.stderr
    progress = warm.progress(driver, db)
    total = progress["total"]
    assert total and progress["done"] == total and not progress["running"]
    assert f"Computed {total}/{total} answers of 2020-12-31 in advance" in done.stderr
    done = run_kg("load", str(SMALL), "--no-progress", "--no-warm", env=env)
    assert done.returncode == 0, done.stderr
    assert "in advance" not in done.stderr
    # a new load: the last warm-up was for the one before
    assert warm.progress(driver, db)["done"] is None
    assert "--no-warm" in run_kg("load", "--help", env=env).stdout
