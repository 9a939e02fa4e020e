"""The load history and changes in the API (/api/loads, /api/changes) and the explorer's 变更记录
page: paged, downloadable, in the OpenAPI document, scoped to the token's region and masked for
its role like every answer."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace

import pytest

from loaders.pipeline import Loader, LoadOptions
from loaders.rejects import RejectSink
from loaders.write import GraphWriter
from queries.watch import WorklistWatch
from tests.integration.api_support import make_api
from tests.integration.web_support import signin
from tests.ledgers import TOWN_A, TOWN_B, edit, monthly_ledger

PHONE = "13900000005"  # Q5's phone in the ledger (139000 + 00005)
NEW_PHONE = "13812345678"


@pytest.fixture(scope="module")
def history(driver, settings, tmp_path_factory):
    """Two loads into the session's Neo4j with an archive of their own: in February H6's
    pairing is deleted (village A, township A) and Q5's phone typed over (Q5 is a member of
    the branch of village B, township B)."""
    from graph.wipe import empty_database

    tmp = tmp_path_factory.mktemp("history")
    home = tmp / "home"
    january = monthly_ledger(tmp / "january")
    february = tmp / "february"
    shutil.copytree(january, february)
    edit(february / "pairings.csv", lambda rows: [r for r in rows if r[1] != "H6"])
    edit(
        february / "persons.csv",
        lambda rows: [[*r[:5], NEW_PHONE] if r[0] == "Q5" else r for r in rows],
    )
    empty_database(driver, settings.neo4j_database)
    for folder in (january, february):
        with RejectSink(tmp / f"{folder.name}.csv") as sink:
            Loader(
                GraphWriter(driver, settings.neo4j_database),
                sink,
                home=home,
                options=LoadOptions(),
                progress=False,
                observer=WorklistWatch(driver, settings.neo4j_database),
            ).load(folder)
        assert sink.count == 0, sink.first
    api = make_api(
        replace(settings, kg_home=home),
        driver,
        tmp,
        regions={"town_a": TOWN_A, "town_b": TOWN_B},
    )
    return api


def test_loads_lists_the_history(history):
    body = history.get("/api/loads", "viewer").get_json()
    assert [r["load"] for r in body["loads"]] == [1, 2]
    second = body["loads"][1]
    assert second["status"] == "complete" and second["finished_at"]
    assert second["files"]["pairings"]["retracted"] == 1
    assert second["files"]["persons"]["changed"] == 1
    done = history.get("/api/loads?format=csv", "analyst")
    assert done.status_code == 200 and "text/csv" in done.headers["Content-Type"]
    rows = list(csv.DictReader(io.StringIO(done.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r["file"] for r in rows if r["load"] == "2"} >= {"pairings", "persons"}
    assert history.get("/api/loads?nope=1", "viewer").status_code == 400
    assert history.get("/api/loads", None).status_code == 401


def test_changes_default_to_the_last_two_loads_and_mask_by_role(history):
    admin = history.get("/api/changes", "admin").get_json()
    assert (admin["from"], admin["to"]) == (1, 2)
    kinds = {(f["kind"], f["change"]) for f in admin["facts"]}
    assert kinds == {("pairings", "retracted"), ("persons", "changed")}
    person = next(f for f in admin["facts"] if f["kind"] == "persons")
    assert (person["before"]["phone"], person["after"]["phone"]) == (PHONE, NEW_PHONE)
    assert admin["total_rows"] == 2 and admin["pages"] == 1
    appeared = admin["worklists"]["households_without_helper"]["appeared"]
    assert [r["household_id"] for r in appeared] == ["H6"]

    viewer = history.get("/api/changes", "viewer").get_json()
    person = next(f for f in viewer["facts"] if f["kind"] == "persons")
    assert person["before"]["phone"] == "139****0005"
    assert person["after"]["phone"] == "138****5678"
    assert PHONE not in str(viewer) and NEW_PHONE not in str(viewer)


def test_a_region_bound_token_sees_the_changes_in_its_region(history):
    town_a = history.get("/api/changes", "town_a").get_json()
    assert [(f["kind"], f["key"].get("household_id")) for f in town_a["facts"]] == [
        ("pairings", "H6")
    ]
    assert town_a["worklists"]["households_without_helper"]["appeared"][0]["household_id"] == "H6"
    town_b = history.get("/api/changes", "town_b").get_json()
    assert [(f["kind"], f["key"].get("person_id")) for f in town_b["facts"]] == [("persons", "Q5")]
    assert town_b["worklists"]["households_without_helper"]["appeared"] == []


def test_changes_page_download_and_bad_parameters(history):
    paged = history.get("/api/changes?page_size=1&page=2", "admin").get_json()
    assert paged["pages"] == 2 and len(paged["facts"]) == 1
    first = history.get("/api/changes?from=0&to=1", "admin").get_json()
    assert first["worklists"] and first["total_rows"] == 7 + 4 + 30 + 60 + 30 + 31
    assert len(first["facts"]) == first["page_size"] == 100
    assert history.get("/api/changes?format=csv", "viewer").status_code == 403
    done = history.get("/api/changes?format=xlsx", "analyst")
    assert done.status_code == 200 and "spreadsheetml" in done.headers["Content-Type"]
    for bad in ("from=2&to=1", "from=abc", "from=１", "page=0", "whatever=1", "to=0"):
        assert history.get(f"/api/changes?{bad}", "admin").status_code == 400, bad
    missing = history.get("/api/changes?to=9", "admin")  # no load 9
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_openapi_documents_loads_and_changes(history):
    doc = history.get("/api/openapi.json", None).get_json()
    assert {"/api/loads", "/api/changes"} <= set(doc["paths"])
    names = {p["name"] for p in doc["paths"]["/api/changes"]["get"]["parameters"]}
    assert {"from", "to", "page", "page_size", "format"} <= names


def test_the_changes_page_in_the_explorer(history):
    client = history.app.test_client()
    assert signin(client, history.tokens["town_b"]).status_code == 302
    page = client.get("/web/changes").get_data(as_text=True)
    assert "变更记录" in page and "第 1 次 → 第 2 次导入" in page
    assert "138****5678" in page and NEW_PHONE not in page  # a viewer's page is masked
    assert "H6" not in page  # township A's change is not township B's
    assert client.get("/web/changes?format=csv").status_code == 403
    other = history.app.test_client()
    signin(other, history.tokens["analyst"])
    done = other.get("/web/changes?from=1&to=2&format=csv")
    assert done.status_code == 200 and "pairings,retracted" in done.get_data(as_text=True)
