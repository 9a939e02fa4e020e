"""Ledgers over time (contract §4): snapshot loads, retractions, the guard, --partial, --region,
rejected rows keeping their fact, provenance, the load history, kg changes and kg rebuild.

These tests run ``kg`` as a clerk does, on a KG_HOME and embedded Neo4j of this module alone
(emptied, archive included, before each test), so that load numbers start at 1.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.settings import Settings
from graph.checksum import graph_checksum
from graph.connection import open_driver
from tests.helpers import KG, run_kg
from tests.integration.private import private_neo4j
from tests.ledgers import TOWN_A, VILLAGE_A, edit, monthly_ledger

AS_OF = "2020-12-31"


@dataclass
class Home:
    path: Path
    env: dict[str, str]
    settings: Settings

    def kg(self, *args: str):
        return run_kg(*args, env=self.env)

    def load(self, dataset: Path, *options: str):
        return self.kg("load", str(dataset), "--no-progress", *options)

    def query(self, name: str, **params: str) -> list[dict]:
        args = [f"--param={k}={v}" for k, v in params.items()]
        done = self.kg("query", name, *args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)["rows"]

    def cypher(self, text: str, **params) -> list[dict]:
        with open_driver(self.settings, start=False) as driver:
            records, _, _ = driver.execute_query(text, params, database_="neo4j")
        return [r.data() for r in records]

    def checksum(self) -> dict:
        with open_driver(self.settings, start=False) as driver:
            return graph_checksum(driver, "neo4j")

    def loads(self) -> list[dict]:
        done = self.kg("loads", "--format", "json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def changes(self, *args: str) -> dict:
        done = self.kg("changes", "--format", "json", *args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


@pytest.fixture(scope="module")
def own_home(tmp_path_factory) -> Iterator[Home]:
    if os.environ.get("NEO4J_URI"):
        pytest.skip("needs an embedded Neo4j of its own (load numbers start at 1)")
    path = tmp_path_factory.mktemp("snapshots") / "home"
    with private_neo4j(path) as (settings, env):
        yield Home(path, env, settings)


@pytest.fixture()
def home(own_home: Home) -> Home:
    own_home.cypher("MATCH (n) DETACH DELETE n")
    shutil.rmtree(own_home.path / "archive", ignore_errors=True)
    return own_home


@pytest.fixture()
def ledger(tmp_path) -> Path:
    return monthly_ledger(tmp_path / "january")


def _copy(ledger: Path, name: str) -> Path:
    target = ledger.parent / name
    shutil.copytree(ledger, target)
    return target


def _without(predicate):
    return lambda rows: [rows[0], *[r for r in rows[1:] if not predicate(r)]]


def _helpers_of(home: Home, household: str) -> list[str]:
    rows = home.query("help_trace", id=household, as_of=AS_OF)
    return sorted(r["helper_id"] for r in rows)


# -- the clerk's monthly corrections ---------------------------------------------------------


def test_deleted_pairing_retyped_helper_and_transfer_follow_the_ledger(home, ledger):
    assert home.load(ledger).returncode == 0
    assert _helpers_of(home, "H1") == ["Q0", "Q1"]
    february = _copy(ledger, "february")
    # the pairing of H4 deleted; on H1's row the helper Q1 typed over by Q2
    edit(february / "pairings.csv", _without(lambda r: r[1] == "H4"))
    edit(
        february / "pairings.csv",
        lambda rows: [["Q2" if r[:2] == ["Q1", "H1"] else r[0], *r[1:]] for r in rows],
    )
    # Q3 transferred from OB1 to OA1 by editing the organisation
    edit(
        february / "memberships.csv",
        lambda rows: [[r[0], "OA1" if r[0] == "Q3" else r[1], *r[2:]] for r in rows],
    )
    done = home.load(february)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "删除" in done.stdout

    assert _helpers_of(home, "H1") == ["Q0", "Q2"]  # Q1 no longer helps H1
    without = {r["household_id"] for r in home.query("households_without_helper", as_of=AS_OF)}
    assert without == {"H0", "H4"}
    many = {r["helper_id"]: r["household_count"] for r in home.query("one_helps_many", as_of=AS_OF)}
    assert many == {"Q0": 2, "Q2": 2}  # Q1 helps no one now; Q2 helps H1 and H2
    orgs = home.cypher("MATCH (:Person {person_id: 'Q3'})-[:MEMBER_OF]->(o) RETURN o.org_id AS org")
    assert [r["org"] for r in orgs] == ["OA1"]
    # the card and the search no longer show what the ledger dropped
    card = home.query("card", id="H4")[0]
    assert not [n for n in card["neighbours"] if n["relationship"] == "HELPS"]

    files = home.loads()[-1]["files"]
    assert files["pairings"]["retracted"] == 2 and files["pairings"]["added"] == 1
    assert files["memberships"]["retracted"] == 1 and files["memberships"]["added"] == 1
    assert files["persons"]["read"] == 0 and files["persons"]["unchanged"] == 60


def test_a_changed_row_changes_its_fact_and_keeps_its_key(home, ledger):
    home.load(ledger)
    february = _copy(ledger, "february")
    edit(
        february / "pairings.csv",
        lambda rows: [[*r[:3], "many_to_one" if r[1] == "H5" else r[3]] for r in rows],
    )
    assert home.load(february).returncode == 0
    record = home.loads()[-1]["files"]["pairings"]
    assert (record["changed"], record["added"], record["retracted"]) == (1, 0, 0)
    assert record["unchanged"] == 30
    facts = home.changes()["facts"]
    assert [(f["kind"], f["change"]) for f in facts] == [("pairings", "changed")]
    assert facts[0]["before"]["declared_form"] == "one_to_one"
    assert facts[0]["after"]["declared_form"] == "many_to_one"
    assert facts[0]["key"] == {"helper_id": "Q5", "household_id": "H5", "start_on": "2016-01-01"}


def test_a_rejected_row_keeps_its_fact(home, ledger):
    home.load(ledger)
    february = _copy(ledger, "february")
    # H7's pairing: a typo in a cell outside the key (the form); H9's: in the key's date
    edit(
        february / "pairings.csv",
        lambda rows: [
            [*r[:3], "一帮几" if r[1] == "H7" else r[3]]
            if r[1] != "H9"
            else [*r[:2], "2016-13-01", r[3]]
            for r in rows
        ],
    )
    done = home.load(february)
    assert done.returncode == 1, done.stdout + done.stderr
    assert _helpers_of(home, "H7") == ["Q7"]  # kept, as it was
    forms = home.cypher(
        "MATCH ()-[r:HELPS]->(:Household {household_id: 'H7'}) RETURN r.declared_form AS f"
    )
    assert forms == [{"f": "one_to_one"}]
    # a key that cannot be read names no fact: H9's old pairing goes like any other not in the
    # file (one of 31: under the guard)
    assert _helpers_of(home, "H9") == []
    assert home.loads()[-1]["files"]["pairings"]["rejected"] == 2


def test_still_referenced_facts_are_kept_and_reported(home, ledger):
    home.load(ledger)
    february = _copy(ledger, "february")
    edit(february / "households.csv", _without(lambda r: r[0] == "H3"))  # M3 and Q3 still name it
    done = home.load(february)
    assert done.returncode == 1
    assert "仍被其他数据引用，未删除" in done.stdout
    assert home.cypher("MATCH (h:Household {household_id: 'H3'}) RETURN count(h) AS n") == [
        {"n": 1}
    ]
    # deleting the household with its member and its pairing retracts all three
    march = _copy(february, "march")
    edit(march / "persons.csv", _without(lambda r: r[0] == "M3"))
    edit(march / "pairings.csv", _without(lambda r: r[1] == "H3"))
    done = home.load(march)
    assert done.returncode == 0, done.stdout
    assert home.cypher("MATCH (h:Household {household_id: 'H3'}) RETURN count(h) AS n") == [
        {"n": 0}
    ]
    kinds = {(f["kind"], f["change"]) for f in home.changes()["facts"]}
    assert kinds == {
        ("households", "retracted"),
        ("persons", "retracted"),
        ("pairings", "retracted"),
    }


# -- the guard, --partial, --region ----------------------------------------------------------


def test_the_guard_stops_a_truncated_export(home, ledger):
    home.load(ledger)
    before = home.checksum()
    february = _copy(ledger, "february")
    edit(february / "pairings.csv", lambda rows: rows[:15])  # 14 of 31 pairings: an export cut
    edit(february / "persons.csv", lambda rows: [*rows, ["X1", "新人", "", "", "false", ""]])
    done = home.load(february)
    assert done.returncode == 1, done.stdout
    assert "会删除图谱中的 17 项结对帮扶（共 31 项）" in done.stdout
    assert "--allow-retract" in done.stdout and "--partial" in done.stdout
    assert home.cypher("MATCH ()-[r:HELPS]->() RETURN count(r) AS n") == [{"n": 31}]
    # the other files load
    assert home.cypher("MATCH (p:Person {person_id: 'X1'}) RETURN p.name AS n") == [{"n": "新人"}]
    assert home.loads()[-1]["files"]["pairings"]["loaded"] == 0
    assert before != home.checksum()
    # --allow-retract lets it through
    done = home.load(february, "--allow-retract")
    assert done.returncode == 0, done.stdout
    assert home.cypher("MATCH ()-[r:HELPS]->() RETURN count(r) AS n") == [{"n": 14}]


def test_the_guard_stops_an_empty_export(home, ledger):
    home.load(ledger)
    february = _copy(ledger, "february")
    edit(february / "memberships.csv", lambda rows: rows[:1])  # the header only
    done = home.load(february)
    assert done.returncode == 1
    assert "即全部" in done.stdout
    assert home.cypher("MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS n") == [{"n": 30}]


def test_a_small_retraction_passes_the_guard(home, ledger):
    home.load(ledger)
    february = _copy(ledger, "february")
    edit(february / "pairings.csv", lambda rows: rows[:-5])  # 5 of 31: not more than 5
    assert home.load(february).returncode == 0
    assert home.cypher("MATCH ()-[r:HELPS]->() RETURN count(r) AS n") == [{"n": 26}]


def test_partial_retracts_nothing(home, ledger):
    home.load(ledger)
    update = ledger.parent / "update"
    update.mkdir()
    shutil.copy(ledger / "regions.csv", update)
    shutil.copy(ledger / "pairings.csv", update)
    edit(update / "pairings.csv", lambda rows: [rows[0], ["Q3", "H0", "2020-01-01", "一帮多"]])
    done = home.load(update, "--partial")
    assert done.returncode == 0, done.stdout
    assert home.cypher("MATCH ()-[r:HELPS]->() RETURN count(r) AS n") == [{"n": 32}]
    assert _helpers_of(home, "H0") == ["Q3"]
    # without --partial the same file would retract the other 31: the guard says so
    done = home.load(update, "--force")
    assert done.returncode == 1 and "会删除图谱中的 31 项结对帮扶（共 32 项）" in done.stdout


def test_region_retracts_only_within_it(home, ledger):
    home.load(ledger)
    # the township A clerk's export: their pairings only (H even numbers are in village A)
    town = ledger.parent / "town-a"
    town.mkdir()
    shutil.copy(ledger / "regions.csv", town)
    shutil.copy(ledger / "pairings.csv", town)
    edit(
        town / "pairings.csv",
        _without(lambda r: int(r[1][1:]) % 2 == 1 or r[1] in ("H2", "H4")),
    )
    done = home.load(town, "--region", TOWN_A)
    assert done.returncode == 0, done.stdout + done.stderr
    remaining = {r["h"] for r in home.cypher("MATCH ()-[r:HELPS]->(h) RETURN h.household_id AS h")}
    assert "H2" not in remaining and "H4" not in remaining
    assert {f"H{i}" for i in range(1, 30, 2)} <= remaining  # township B untouched
    assert len(remaining) == 27  # H1..H29 but H2 and H4 (H0 had no helper)
    # a region that is not a county or township is refused before anything is read
    done = home.load(town, "--region", VILLAGE_A)
    assert done.returncode == 2 and "只能是县或乡镇" in done.stderr


# -- provenance, history, changes, rebuild ---------------------------------------------------


def test_provenance_on_the_card(home, ledger):
    home.load(ledger)
    february = _copy(ledger, "february")
    edit(february / "pairings.csv", lambda rows: [*rows, ["Q4", "H0", "2020-03-01", ""]])
    home.load(february)
    card = home.query("card", id="H0")[0]
    assert card["provenance"] == {"file": "households.csv", "row": 2, "load": 1}
    helps = next(n for n in card["neighbours"] if n["relationship"] == "HELPS")
    assert helps["items"][0]["provenance"] == {"file": "pairings.csv", "row": 33, "load": 2}
    assert "source_file" not in card["properties"] and "fact_hash" not in card["properties"]


def test_loads_history_and_changes_with_worklists(home, ledger):
    home.load(ledger)
    february = _copy(ledger, "february")
    edit(february / "pairings.csv", _without(lambda r: r[1] == "H6"))
    home.load(february)
    history = home.loads()
    assert [h["load"] for h in history] == [1, 2]
    assert history[0]["status"] == "complete" and history[0]["finished_at"]
    first = history[0]["files"]["pairings"]
    assert set(first) == {
        "sha256",
        "read",
        "loaded",
        "rejected",
        "added",
        "changed",
        "retracted",
        "unchanged",
    }
    assert first["read"] == 31 and first["added"] == 31
    assert history[1]["files"]["pairings"]["sha256"] != first["sha256"]

    answer = home.changes()
    assert (answer["from"], answer["to"]) == (1, 2)
    assert answer["facts"] == [
        {
            "kind": "pairings",
            "change": "retracted",
            "key": {"helper_id": "Q6", "household_id": "H6", "start_on": "2016-01-01"},
            "before": {
                "helper_id": "Q6",
                "household_id": "H6",
                "start_on": "2016-01-01",
                "end_on": None,
                "declared_form": "one_to_one",
                "measures": None,
            },
            "after": None,
            "file": "pairings.csv",
            "row": 7,
        }
    ]
    # H6 lost its last helper: it appeared in the worklist as of the load's day
    appeared = answer["worklists"]["households_without_helper"]["appeared"]
    assert [r["household_id"] for r in appeared] == ["H6"]
    assert answer["worklists"]["households_without_helper"]["disappeared"] == []
    # from the empty graph: everything of load 1 was added, with its values from the archive
    first_load = home.changes("--from", "0", "--to", "1")
    assert len(first_load["facts"]) == 7 + 4 + 30 + 60 + 30 + 31
    pairing = next(f for f in first_load["facts"] if f["kind"] == "pairings")
    assert pairing["after"]["start_on"] == "2016-01-01" and pairing["before"] is None
    # 0 → 2 folds both loads: H6's pairing was added and retracted, so it is not there
    both = home.changes("--from", "0", "--to", "2")
    assert len(both["facts"]) == len(first_load["facts"]) - 1
    assert both["worklists"] == {}
    done = home.kg("changes", "--from", "2", "--to", "1")
    assert done.returncode == 2 and "from < to" in done.stderr
    csv_text = home.kg("changes", "--format", "csv").stdout
    assert "pairings,retracted" in csv_text and "worklist:households_without_helper" in csv_text


def test_rebuild_gives_the_live_graph_and_earlier_states(home, ledger, tmp_path):
    home.load(ledger)
    after_first = home.checksum()
    february = _copy(ledger, "february")
    edit(february / "pairings.csv", _without(lambda r: r[1] == "H8"))
    edit(
        february / "households.csv",
        lambda rows: [[*r[:2], "5" if r[0] == "H2" else r[2], r[3]] for r in rows],
    )
    home.load(february)
    live = home.checksum()
    done = home.kg("rebuild", "--into", str(tmp_path / "rebuilt"))
    assert done.returncode == 0, done.stdout + done.stderr
    rebuilt = {**home.env, "KG_HOME": str(tmp_path / "rebuilt")}
    rebuilt.pop("KG_BOLT_PORT")
    settings = Settings.from_env(rebuilt)
    assert settings.bolt_port != home.settings.bolt_port  # its own Neo4j, on its own port
    assert run_kg("db", "start", env=rebuilt).returncode == 0
    with open_driver(settings, start=False) as driver:
        assert graph_checksum(driver, "neo4j") == live
    # KG_HOME=DIR kg query answers as the live graph does
    answer = run_kg("query", "households_without_helper", "-p", f"as_of={AS_OF}", env=rebuilt)
    assert {r["household_id"] for r in json.loads(answer.stdout)["rows"]} == {"H0", "H8"}
    assert json.loads(run_kg("loads", "--format", "json", env=rebuilt).stdout) == home.loads()
    run_kg("db", "stop", env=rebuilt)
    # to load 1: the graph as it was then
    done = home.kg("rebuild", "--to-load", "1", "--into", str(tmp_path / "state-1"))
    assert done.returncode == 0, done.stderr
    january = {**home.env, "KG_HOME": str(tmp_path / "state-1")}
    january.pop("KG_BOLT_PORT")
    assert run_kg("db", "start", env=january).returncode == 0
    with open_driver(Settings.from_env(january), start=False) as driver:
        assert graph_checksum(driver, "neo4j") == after_first
    run_kg("db", "stop", env=january)
    # a folder in use is refused
    done = home.kg("rebuild", "--into", str(tmp_path / "state-1"))
    assert done.returncode == 2 and "不是空的" in done.stderr


def test_dry_run_reports_and_writes_nothing(home, ledger):
    home.load(ledger)
    before = home.checksum()
    february = _copy(ledger, "february")
    edit(february / "pairings.csv", _without(lambda r: r[1] in ("H2", "H3")))
    edit(february / "persons.csv", lambda rows: [*rows, ["Q99", "新帮扶人", "", "", "true", ""]])
    edit(february / "pairings.csv", lambda rows: [*rows, ["Q99", "H0", "2020-01-01", ""]])
    done = home.load(february, "--dry-run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "试导入" in done.stdout and "正式导入时将删除 3 项" in done.stdout
    report = json.loads(home.load(february, "--dry-run", "--format", "json").stdout)
    pairings = next(f for f in report["files"] if f["file"] == "pairings")
    assert (pairings["added"], pairings["retracted"], pairings["rejected"]) == (1, 3, 0)
    assert home.checksum() == before
    assert [h["load"] for h in home.loads()] == [1]


# -- bad input -------------------------------------------------------------------------------


def test_a_file_of_the_wrong_kind_under_a_right_name_retracts_nothing(home, ledger):
    home.load(ledger)
    february = _copy(ledger, "february")
    shutil.copy(february / "pairings.csv", february / "persons.csv")  # saved under a wrong name
    done = home.load(february)
    assert done.returncode in (1, 2)
    assert "缺少必填列" in done.stdout
    assert home.cypher("MATCH (p:Person) RETURN count(p) AS n") == [{"n": 60}]
    assert home.loads()[-1]["files"]["persons"]["retracted"] == 0


def test_two_files_of_one_kind_are_refused(home, ledger):
    shutil.copy(ledger / "pairings.csv", ledger / "结对帮扶.csv")
    done = home.load(ledger)
    assert done.returncode == 2
    assert "都对应“结对帮扶（pairings）”" in done.stderr and "Traceback" not in done.stderr
    assert home.loads() == []


def test_the_same_export_twice_changes_nothing(home, ledger):
    home.load(ledger)
    before = home.checksum()
    done = home.load(ledger)
    assert done.returncode == 0 and "未变化，跳过" in done.stdout
    assert home.checksum() == before
    assert home.changes()["facts"] == []


def _wait_for(predicate, proc, what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            pytest.fail(f"the load ended before {what}: {proc.communicate()}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def _start(home: Home, dataset: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(KG), "load", str(dataset), "--no-progress", *options],
        env=home.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_loads_at_once_wait_or_say_one_is_running(home, tmp_path):
    big = monthly_ledger(tmp_path / "big", households=3000)
    first = _start(home, big, "--batch-size", "100")
    lock = home.path / "load.lock"
    _wait_for(lambda: lock.exists() and lock.read_text().strip(), first, "it took the lock")
    refused = home.load(big, "--no-wait")
    assert refused.returncode == 2
    assert "另一个导入正在进行" in refused.stderr and "kg load" in refused.stderr
    second = _start(home, big)
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, out + err
    out, err = second.communicate(timeout=600)
    assert second.returncode == 0, out + err
    assert "另一个导入正在进行" in err  # it said so, waited, then found nothing to do
    assert "未变化，跳过" in out
    history = home.loads()
    assert [h["status"] for h in history] == ["complete", "complete"]
    assert home.cypher("MATCH ()-[r:HELPS]->() RETURN count(r) AS n") == [{"n": 3001}]


def test_a_load_killed_while_retracting_converges_and_is_recorded(home, tmp_path):
    january = monthly_ledger(tmp_path / "jan", households=3000)
    assert home.load(january).returncode == 0
    february = tmp_path / "feb"
    shutil.copytree(january, february)
    edit(february / "pairings.csv", lambda rows: rows[:1001])  # 1,000 of 3,001 pairings left
    # two facts a transaction: a thousand transactions to kill the load in the middle of
    proc = _start(home, february, "--allow-retract", "--batch-size", "2")

    def retracting() -> bool:
        n = home.cypher("MATCH ()-[r:HELPS]->() RETURN count(r) AS n")[0]["n"]
        return 1000 < n < 3001

    _wait_for(retracting, proc, "it started retracting")
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    half = home.cypher("MATCH ()-[r:HELPS]->() RETURN count(r) AS n")[0]["n"]
    assert 1000 < half < 3001
    # No fact is half-retracted: every pairing left is whole (both ends, its key and values).
    broken = home.cypher(
        "MATCH (p)-[r:HELPS]->(h) WHERE r.fact_key IS NULL OR r.fact_hash IS NULL "
        "OR NOT p:Person OR NOT h:Household RETURN count(r) AS n"
    )
    assert broken == [{"n": 0}]
    done = home.load(february, "--allow-retract")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "第 2 次导入曾中断" in done.stdout
    assert home.cypher("MATCH ()-[r:HELPS]->() RETURN count(r) AS n") == [{"n": 1000}]
    history = home.loads()
    assert [h["status"] for h in history] == ["complete", "interrupted", "complete"]
    assert history[1]["finished_at"] is None
    # between load 1 and 3 every one of the 2,001 pairings is retracted exactly once
    facts = home.changes("--from", "1", "--to", "3")["facts"]
    assert len(facts) == 2001 and {f["change"] for f in facts} == {"retracted"}
