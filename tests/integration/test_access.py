"""Issue 13's points through the app (Flask's test client, the small dataset): redirect
targets, server-side sessions (sign-out, rotation, timeouts, revocation, kg token list),
sign-in throttling, echoes masked by role, strict numbers, the audit log (revoked and
unknown tokens, long URLs), --behind-proxy, and the modes of KG_HOME's files.
The gunicorn side (100 kB request lines, raw UTF-8) is test_serve.py."""

from __future__ import annotations

import json
import sqlite3
import stat
import urllib.parse
from dataclasses import replace

import pytest

from access.tokens import TokenStore
from core.settings import ApiConfig
from kg.app import create_app
from tests.helpers import run_kg
from tests.integration.api_support import AUDIT_LOGS, SMALL, Api, load_dataset, make_api
from tests.integration.conftest import unmasked_in_logs
from tests.integration.web_support import csrf_token, signin
from tests.unit.test_access_redirects import BYPASSES

ID_NUMBER = "530521197003150114"  # P001's
MASKED_ID = "530521********0114"
PHONE = "13887510001"


@pytest.fixture(scope="module")
def api(driver, settings, tmp_path_factory) -> Api:
    tmp = tmp_path_factory.mktemp("access")
    load_dataset(driver, settings, SMALL, tmp)
    return make_api(settings, driver, tmp)


def audit(api: Api) -> list[dict]:
    return [json.loads(line) for line in api.config.audit_log.read_text().splitlines()]


def signed_in_client(api: Api, who: str = "viewer"):
    client = api.app.test_client()
    response = signin(client, api.tokens[who])
    assert response.status_code == 302 and response.headers["Location"] == "/"
    return client


def cookie(client) -> str:
    found = client.get_cookie("kg_session")
    assert found is not None
    return found.value


def refused(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith(
        "/web/signin?next="
    )


# -- 1. redirect targets -----------------------------------------------------------------------


@pytest.mark.parametrize("target", BYPASSES)
def test_next_bypasses_land_on_the_home_page(api, target):
    client = api.app.test_client()
    page = client.get("/web/signin?" + urllib.parse.urlencode({"next": target}))
    assert page.status_code == 200
    assert 'name="next" value="/"' in page.get_data(as_text=True)
    response = signin(client, api.tokens["viewer"], next_path=target)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


# -- 2. sessions on the server ----------------------------------------------------------------


def test_a_cookie_replayed_after_sign_out_is_refused(api):
    client = signed_in_client(api)
    saved = cookie(client)
    page = client.get("/").get_data(as_text=True)
    client.post("/web/signout", data={"csrf_token": csrf_token(page)})
    client.set_cookie("kg_session", saved)
    assert refused(client.get("/web/search?q=x"))
    line = audit(api)[-1]
    assert line["status"] == 302 and line["token_id"] and line["role"] is None


def test_the_session_id_changes_at_every_sign_in(api):
    client = signed_in_client(api)
    first = cookie(client)
    response = signin(client, api.tokens["viewer"])
    assert response.status_code == 302
    assert cookie(client) != first
    other = api.app.test_client()
    other.set_cookie("kg_session", first)
    assert refused(other.get("/"))  # the session before is over
    assert client.get("/").status_code == 200


def _age(api: Api, column: str, seconds: float) -> None:
    with sqlite3.connect(api.config.session_file) as db:
        db.execute(f"UPDATE sessions SET {column} = {column} - ? WHERE ended IS NULL", (seconds,))


def test_idle_and_absolute_timeouts(api):
    idle = signed_in_client(api)
    _age(api, "last_seen", 31 * 60)
    assert refused(idle.get("/"))
    old = signed_in_client(api)
    _age(api, "created", 12 * 3600 + 1)
    assert refused(old.get("/"))
    with sqlite3.connect(api.config.session_file) as db:
        reasons = {r for (r,) in db.execute("SELECT end_reason FROM sessions")}
    assert {"idle", "expired"} <= reasons


def test_kg_token_lists_sessions_and_revoke_ends_them(settings, driver, kg_env, tmp_path):
    config = replace(ApiConfig.from_env(settings, {}), audit_log=tmp_path / "audit.log")
    AUDIT_LOGS.append(config.audit_log)
    record, secret = TokenStore(config.token_file).create("viewer", name="sessions-test")
    app = create_app(settings, config=config, driver=driver)
    clients = [app.test_client(), app.test_client()]
    for client in clients:
        assert signin(client, secret).status_code == 302
    listed = json.loads(run_kg("token", "list", "--format", "json", env=kg_env).stdout)
    mine = next(t for t in listed if t["id"] == record.id)
    assert len(mine["sessions"]) == 2 and set(mine["sessions"][0]) == {
        "id",
        "address",
        "signed_in",
        "last_seen",
    }
    table = run_kg("token", "list", env=kg_env).stdout
    assert "sessions" in table.splitlines()[0]
    done = run_kg("token", "revoke", record.id, env=kg_env)
    assert done.returncode == 0 and "2 session(s) ended" in done.stdout
    for client in clients:
        assert refused(client.get("/"))
    listed = json.loads(run_kg("token", "list", "--format", "json", env=kg_env).stdout)
    assert next(t for t in listed if t["id"] == record.id)["sessions"] == []


# -- 3. the audit log ----------------------------------------------------------------------------


def test_revoked_and_unknown_tokens_are_named_in_the_log(api):
    store = TokenStore(api.config.token_file)
    record, secret = store.create("viewer", name="to-revoke")
    store.revoke(record.id)
    assert (
        api.client.get("/api/queries", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )
    assert audit(api)[-1]["token_id"] == record.id
    api.client.get("/api/queries", headers={"Authorization": "Bearer kg_unknown"})
    unknown = audit(api)[-1]["token_id"]
    assert unknown.startswith("sha256:") and len(unknown) == len("sha256:") + 12
    client = api.app.test_client()
    assert signin(client, "kg_wrong-secret").status_code == 401
    assert audit(api)[-1]["token_id"].startswith("sha256:")


def test_paths_numbers_and_errors_are_logged_masked(api):
    client = signed_in_client(api, "admin")
    client.get(f"/web/entity/{ID_NUMBER}")
    api.get(f"/api/entities/{PHONE}")
    api.get(f"/api/search?q=x&limit={PHONE}")
    api.get(f"/api/queries/one_helps_many?{ID_NUMBER}=1")
    api.post("/api/cypher", json={"query": f"MATCH (p {{id_number: '{ID_NUMBER}'}}) RETURN p x"})
    lines, found = unmasked_in_logs([api.config.audit_log])
    assert lines >= 5 and not found
    text = api.config.audit_log.read_text()
    assert f'"/web/entity/{MASKED_ID}"' in text and '"/api/entities/138****0001"' in text
    last = audit(api)[-1]
    assert last["query"] == "cypher" and MASKED_ID in last["cypher"] and last["error"]["code"]
    assert stat.S_IMODE(api.config.audit_log.stat().st_mode) == 0o600


def test_a_100_kb_search_is_a_json_414_audited(api):
    q = "张" * 50_000
    response = api.get("/api/search?" + urllib.parse.urlencode({"q": q}))
    assert response.status_code == 414 and response.json["error"]["code"] == "uri_too_long"
    line = audit(api)[-1]
    assert line["status"] == 414 and len(json.dumps(line)) < 5_000
    client = signed_in_client(api)
    page = client.get("/web/search?" + urllib.parse.urlencode({"q": q}))
    assert page.status_code == 414 and "text/html" in page.headers["Content-Type"]


# -- 4. echoes masked by role ------------------------------------------------------------------


def test_the_search_box_and_its_links_are_masked_for_viewers(api):
    viewer = signed_in_client(api, "viewer").get(f"/web/search?q={ID_NUMBER}&lang=zh")
    page = viewer.get_data(as_text=True)
    assert ID_NUMBER not in page and MASKED_ID in page
    assert f'value="{MASKED_ID}"' in page  # the search box
    admin = signed_in_client(api, "admin").get(f"/web/search?q={ID_NUMBER}")
    assert f'value="{ID_NUMBER}"' in admin.get_data(as_text=True)


def test_numbers_typed_into_parameters_are_not_echoed(api):
    response = api.get(f"/api/search?q=x&limit={PHONE}", who="viewer")
    assert response.status_code == 400 and PHONE not in response.get_data(as_text=True)
    response = api.get(f"/api/queries/one_helps_many?{ID_NUMBER}=1", who="viewer")
    assert response.status_code == 400
    assert ID_NUMBER not in response.get_data(as_text=True)
    assert MASKED_ID in response.json["error"]["message"]


# -- 5. strict numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "weak_organizations?year=２０１９",
        "weak_organizations?year=٢٠١٩",
        "weak_organizations?year=-2019",
        "weak_organizations?year=1948",
        "weak_organizations?year=2101",
        "collective_income_tiers?year=99999",
        "search?q=x&limit=0",
        "search?q=x&limit=-1",
        "search?q=x&limit=101",
        "one_helps_many?as_of=２０２０-12-31",
        "one_helps_many?page=１",
        "one_helps_many?page_size=٥",
    ],
)
def test_numbers_are_ascii_digits_in_range(api, query):
    response = api.get(f"/api/queries/{query}")
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "bad_parameter"


def test_ranges_are_in_the_openapi_document(api):
    doc = api.get("/api/openapi.json", who=None).json
    year = next(
        p
        for p in doc["paths"]["/api/queries/weak_organizations"]["get"]["parameters"]
        if p["name"] == "year"
    )
    assert (year["schema"]["minimum"], year["schema"]["maximum"]) == (1949, 2100)
    limit = next(
        p for p in doc["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 100)
    assert "ASCII digits" in limit["description"]


def test_the_explorer_refuses_years_out_of_range(api):
    client = signed_in_client(api)
    assert client.get("/web/worklists/weak_organizations?year=1948").status_code == 400
    assert client.get("/web/worklists/weak_organizations?year=２０１９").status_code == 400
    assert client.get("/web/worklists/weak_organizations?year=2019").status_code == 200


# -- 6. sign-in throttling --------------------------------------------------------------------


def test_ten_failed_sign_ins_are_met_with_429(settings, driver, tmp_path):
    api = make_api(settings, driver, tmp_path)
    client = api.app.test_client()
    for _ in range(9):
        assert signin(client, "kg_guess").status_code == 401
    tenth = signin(client, "kg_guess")
    assert tenth.status_code == 429 and int(tenth.headers["Retry-After"]) == 600
    assert "10 分钟后再试" in tenth.get_data(as_text=True)
    right = signin(client, api.tokens["admin"])  # a right token too, while refused
    assert right.status_code == 429 and 590 <= int(right.headers["Retry-After"]) <= 600
    # another worker (another app on the same files) refuses the address as well
    other = create_app(settings, config=api.config, driver=driver).test_client()
    assert signin(other, api.tokens["admin"]).status_code == 429
    throttled = [x for x in audit(api) if x["status"] == 429]
    assert len(throttled) == 3 and throttled[0]["path"] == "/web/signin"
    assert throttled[0]["error"]["code"] == "signin_throttled"
    # from another address it goes on
    elsewhere = api.app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert signin(elsewhere, api.tokens["admin"]).status_code == 302


# -- 8. behind a proxy -------------------------------------------------------------------------


def _set_cookie(response) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("kg_session="))


def test_behind_proxy_the_cookie_is_secure_for_https(settings, driver, tmp_path):
    api = make_api(settings, driver, tmp_path)
    proxied = create_app(settings, config=api.config, driver=driver, behind_proxy=True)
    https = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "203.0.113.9",
        "Referer": "https://localhost/web/signin",  # CSRF checks it on HTTPS, browsers send it
    }
    client = proxied.test_client()
    page = client.get("/web/signin", headers=https).get_data(as_text=True)
    response = client.post(
        "/web/signin",
        data={"csrf_token": csrf_token(page), "token": api.tokens["viewer"]},
        headers=https,
    )
    assert response.status_code == 302 and "; Secure" in _set_cookie(response)
    assert audit(api)[-1]["remote_addr"] == "203.0.113.9"
    # plain HTTP through the proxy, or the headers without --behind-proxy: not Secure
    plain = signin(proxied.test_client(), api.tokens["viewer"])
    assert "; Secure" not in _set_cookie(plain)
    direct = api.app.test_client()
    page = direct.get("/web/signin", headers=https).get_data(as_text=True)
    response = direct.post(
        "/web/signin",
        data={"csrf_token": csrf_token(page), "token": api.tokens["viewer"]},
        headers=https,
    )
    assert "; Secure" not in _set_cookie(response)
    assert audit(api)[-1]["remote_addr"] == "127.0.0.1"


# -- 7. files --------------------------------------------------------------------------------


def test_kg_home_and_the_embedded_neo4j_files_are_private(settings, api):
    if not settings.embedded:
        pytest.skip("an external Neo4j keeps its own files")
    home = settings.kg_home
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    checked = 0
    for top in (home / "neo4j", home / "logs"):
        assert top.is_dir()
        for path in [top, *top.rglob("*")]:
            if path.is_symlink():
                continue
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
            checked += 1
    assert checked > 20  # the store and Neo4j's own logs (debug.log) are there
    assert (home / "neo4j" / "logs" / "debug.log").is_file()
    for path in (api.config.session_file, api.config.audit_log, api.config.token_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
