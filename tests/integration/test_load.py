"""The loader against the real embedded Neo4j: formats, encodings, idempotence, updates."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from core.contract import SPECS
from graph.status import graph_status
from loaders.pipeline import Loader
from loaders.rejects import RejectSink
from loaders.write import GraphWriter
from tests.helpers import run_kg

SMALL = Path(__file__).parent.parent / "data" / "small"

EXPECTED_LABELS = {
    "Region": 7,
    "RelocationSite": 1,
    "Organization": 6,
    "Household": 3,
    "Person": 8,
    "PartyMember": 4,
    "WorkTeam": 1,
    "Enterprise": 3,
    "Post": 3,
    "CollectiveIncome": 3,
    "Assessment": 2,
    "Event": 3,
    "LoadState": 1,  # which files the last load wrote completely
}
EXPECTED_TYPES = {
    "PART_OF": 6,
    "LOCATED_IN": 12,
    "AT_SITE": 1,
    "SUBORDINATE_TO": 5,
    "RELOCATED_TO": 1,
    "IN_HOUSEHOLD": 6,
    "MEMBER_OF": 5,
    "HELPS": 3,
    "STATIONED_IN": 1,
    "SERVES_ON": 2,
    "HOLDS": 3,
    "AT_ORG": 1,
    "IN_REGION": 2,
    "LEADS": 1,
    "LINKS": 4,
    "HAS_INCOME": 3,
    "ASSESSED": 2,
    "HAD_EVENT": 3,
}


def load(driver, database, path: Path, tmp_path: Path, **kw):
    with RejectSink(tmp_path / "rejects.csv") as sink:
        report = Loader(
            GraphWriter(driver, database), sink, home=tmp_path / "home", progress=False, **kw
        ).load(path)
    return report, sink


def counts(driver, database):
    status = graph_status(driver, database)
    return status["labels"], status["types"]


def test_every_contract_file_is_in_the_small_dataset():
    assert {p.stem for p in SMALL.glob("*.csv")} == set(SPECS)


def test_small_dataset_loads_every_row(empty_db, settings, tmp_path):
    report, sink = load(empty_db, settings.neo4j_database, SMALL, tmp_path)
    assert sink.count == 0, sink.first
    assert report.exit_code == 0
    assert report.read == report.loaded == 54
    assert len(report.files) == 15
    labels, types = counts(empty_db, settings.neo4j_database)
    assert labels == EXPECTED_LABELS
    assert types == EXPECTED_TYPES


def test_forced_reload_is_idempotent(empty_db, settings, tmp_path):
    load(empty_db, settings.neo4j_database, SMALL, tmp_path)
    first = counts(empty_db, settings.neo4j_database)
    report, _ = load(empty_db, settings.neo4j_database, SMALL, tmp_path, force=True)
    assert report.exit_code == 0
    assert report.loaded == 54 and not any(f.skipped for f in report.files)
    assert counts(empty_db, settings.neo4j_database) == first


def test_unchanged_files_are_skipped_on_reload(empty_db, settings, tmp_path):
    db = settings.neo4j_database
    load(empty_db, db, SMALL, tmp_path)
    first = counts(empty_db, db)
    changed = tmp_path / "changed"
    shutil.copytree(SMALL, changed)
    with (changed / "events.csv").open("a", encoding="utf-8") as fh:
        fh.write("P001,training,2020-05-05,党员培训\n")
    report, _ = load(empty_db, db, changed, tmp_path)
    assert report.exit_code == 0
    assert [f.stem for f in report.files if not f.skipped] == ["events"]
    assert report.loaded == 4
    labels, types = counts(empty_db, db)
    assert labels["Event"] == first[0]["Event"] + 1
    assert types["HAD_EVENT"] == first[1]["HAD_EVENT"] + 1
    # A graph emptied since: nothing is skipped.
    empty_db.execute_query("MATCH (n) DETACH DELETE n", database_=db)
    report, _ = load(empty_db, db, changed, tmp_path)
    assert report.loaded == 55 and not any(f.skipped for f in report.files)


def test_a_changed_row_updates_the_graph(empty_db, settings, tmp_path):
    db = settings.neo4j_database
    load(empty_db, db, SMALL, tmp_path)
    changed = tmp_path / "changed"
    shutil.copytree(SMALL, changed)
    persons = (changed / "persons.csv").read_text(encoding="utf-8")
    persons = persons.replace("P003,杨小明", "P003,杨晓明").replace(",H001,child,", ",H002,child,")
    (changed / "persons.csv").write_text(persons, encoding="utf-8")
    pairings = (changed / "pairings.csv").read_text(encoding="utf-8")
    (changed / "pairings.csv").write_text(
        pairings.replace("P007,H002,2016-01-01,,", "P007,H002,2016-01-01,2020-06-30,"),
        encoding="utf-8",
    )
    report, sink = load(empty_db, db, changed, tmp_path)
    assert sink.count == 0, sink.first
    records, _, _ = empty_db.execute_query(
        "MATCH (p:Person {person_id: 'P003'})-[:IN_HOUSEHOLD]->(h) "
        "RETURN p.name AS name, collect(h.household_id) AS hs",
        database_=db,
    )
    assert records[0]["name"] == "杨晓明"
    assert records[0]["hs"] == ["H002"]
    records, _, _ = empty_db.execute_query(
        "MATCH (:Person {person_id: 'P007'})-[r:HELPS]->(:Household {household_id: 'H002'}) "
        "RETURN toString(r.end_on) AS end_on",
        database_=db,
    )
    assert [r["end_on"] for r in records] == ["2020-06-30"]
    assert counts(empty_db, db) == (EXPECTED_LABELS, EXPECTED_TYPES)


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _chinese_header(stem: str, header: list[str]) -> list[str]:
    spec = SPECS[stem]
    return [spec.column(h).zh for h in header]


def test_xlsx_with_chinese_headers_and_numeric_codes(empty_db, settings, tmp_path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for stem in SPECS:
        rows = _rows(SMALL / f"{stem}.csv")
        ws = wb.create_sheet(stem)
        ws.append(_chinese_header(stem, rows[0]))
        for row in rows[1:]:
            cells: list[object] = []
            for name, value in zip(rows[0], row, strict=True):
                if value and name in ("region_id", "parent_id", "village_id") and value.isdigit():
                    cells.append(int(value))  # Excel keeps codes typed as numbers
                elif value and name in ("size", "year", "planned_households"):
                    cells.append(int(value))
                else:
                    cells.append(value or None)
            ws.append(cells)
    book = tmp_path / "台账.xlsx"
    wb.save(book)
    report, sink = load(empty_db, settings.neo4j_database, book, tmp_path)
    assert sink.count == 0, sink.first
    assert report.loaded == 54
    assert counts(empty_db, settings.neo4j_database) == (EXPECTED_LABELS, EXPECTED_TYPES)


def test_gb18030_csv_with_chinese_headers(empty_db, settings, tmp_path):
    folder = tmp_path / "gb"
    folder.mkdir()
    for stem in SPECS:
        rows = _rows(SMALL / f"{stem}.csv")
        with (folder / f"{stem}.csv").open("w", encoding="gb18030", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(_chinese_header(stem, rows[0]))
            writer.writerows(rows[1:])
    report, sink = load(empty_db, settings.neo4j_database, folder, tmp_path)
    assert sink.count == 0, sink.first
    assert report.loaded == 54
    records, _, _ = empty_db.execute_query(
        "MATCH (r:Region {region_id: '530521202000'}) RETURN r.name AS name",
        database_=settings.neo4j_database,
    )
    assert records[0]["name"] == "摆榔彝族布朗族乡"


def test_utf8_bom_and_unknown_columns_are_reported(empty_db, settings, tmp_path):
    folder = tmp_path / "bom"
    shutil.copytree(SMALL, folder)
    text = (folder / "regions.csv").read_text(encoding="utf-8").splitlines()
    text = [text[0] + ",备注"] + [line + ",说明" for line in text[1:]]
    (folder / "regions.csv").write_text("\n".join(text) + "\n", encoding="utf-8-sig")
    report, sink = load(empty_db, settings.neo4j_database, folder, tmp_path)
    assert sink.count == 0, sink.first
    regions = next(f for f in report.files if f.stem == "regions")
    assert regions.unknown_columns == ["备注"]
    assert regions.loaded == 7


def test_cli_load_exit_codes_and_json_report(empty_db, kg_env, tmp_path):
    done = run_kg("load", str(SMALL), "--format", "json", env=kg_env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["read"] == report["loaded"] == 54
    assert report["rejected"] == 0

    no_regions = tmp_path / "no_regions"
    no_regions.mkdir()
    shutil.copy(SMALL / "persons.csv", no_regions / "persons.csv")
    done = run_kg("load", str(no_regions), env=kg_env)
    assert done.returncode == 2
    assert "regions" in done.stderr
    assert "Traceback" not in done.stderr

    done = run_kg("load", str(tmp_path / "missing"), env=kg_env)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_cli_report_is_chinese_by_default_and_english_on_request(empty_db, kg_env):
    env = {**kg_env, "LANG": "zh_CN.UTF-8", "LC_ALL": ""}
    done = run_kg("load", str(SMALL), env=env)
    assert done.returncode == 0, done.stderr
    assert "导入报告" in done.stdout and "全部 54 行已导入" in done.stdout
    env = {**kg_env, "LANG": "en_US.UTF-8", "LC_ALL": ""}
    done = run_kg("load", str(SMALL), env=env)
    assert "Load report" in done.stdout and "unchanged, skipped" in done.stdout
    done = run_kg("load", str(SMALL), "--force", env=env)
    assert "All 54 rows loaded" in done.stdout


@pytest.mark.parametrize("stem", sorted(SPECS))
def test_each_file_alone_loads_against_the_graph(empty_db, settings, tmp_path, stem):
    """Every contract file, loaded on its own after the rest: references resolve from the graph."""
    db = settings.neo4j_database
    load(empty_db, db, SMALL, tmp_path)
    before = counts(empty_db, db)
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(SMALL / "regions.csv", alone / "regions.csv")
    shutil.copy(SMALL / f"{stem}.csv", alone / f"{stem}.csv")
    report, sink = load(empty_db, db, alone, tmp_path, force=True)
    assert sink.count == 0, sink.first
    assert report.exit_code == 0
    assert report.loaded == 7 + (0 if stem == "regions" else len(_rows(SMALL / f"{stem}.csv")) - 1)
    assert counts(empty_db, db) == before
