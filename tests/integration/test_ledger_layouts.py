"""Ledgers as clerks keep them load to the same graph as the clean fixture (issue 12).

The clean CSV fixture (tests/data/small) is loaded once; the same facts laid out as a county
ledger (tests/ledger_book.py: title rows, merged and multi-row headers, full-width codes,
merged-down cells, totals and signatures below, 说明/封面/hidden sheets, an image, formulas)
must give the same nodes, relationships and named-query answers, as a workbook and as the CSV
files exported from it (UTF-8 and GB18030). Then what is really wrong with such a workbook is
still rejected, with a message and without a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph.status import graph_status
from loaders.pipeline import Loader
from loaders.rejects import RejectSink
from loaders.write import GraphWriter
from queries.runner import execute
from tests.helpers import run_kg
from tests.ledger_book import SMALL, write_csv_folder, write_workbook

#: named queries and parameters whose answers are compared (dates where the fixture has facts)
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("one_helps_many", {"as_of": "2018-12-31"}),
    ("pairing_patterns", {"as_of": "2017-06-30"}),
    ("help_trace", {"id": "P007", "as_of": "2017-06-30", "history": True}),
    ("households_without_helper", {"as_of": "2019-06-30"}),
    ("poor_party_members", {"as_of": "2018-12-31"}),
    ("unassigned_relocated_members", {"as_of": "2019-12-31"}),
    ("work_team_coverage", {"as_of": "2019-12-31"}),
    ("industry_coverage", {"as_of": "2018-12-31"}),
    ("collective_income_tiers", {"year": 2019}),
    ("weak_organizations", {"year": 2019}),
    ("head_adjustments", {"as_of": "2020-12-31"}),
]


PROVENANCE = ("source_file", "source_row", "source_load")


def _empty(driver, db: str) -> None:
    with driver.session(database=db) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()


def _dump(driver, db: str) -> tuple[list[str], list[str]]:
    """Every node (labels, properties) and relationship (type, properties, ends), as text;
    without provenance, which names the file and row each fact came from (a CSV file and a
    sheet with title rows above its header differ there, and only there)."""

    def text(value: Any) -> str:
        return json.dumps(strip(value), sort_keys=True, ensure_ascii=False, default=str)

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in PROVENANCE}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT n:LoadState RETURN labels(n) AS labels, properties(n) AS props",
        database_=db,
    )
    nodes = sorted(text([sorted(r["labels"]), r["props"]]) for r in records)
    records, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props, "
        "properties(a) AS a, properties(b) AS b",
        database_=db,
    )
    rels = sorted(text([r["type"], r["props"], r["a"], r["b"]]) for r in records)
    return nodes, rels


def _load(driver, db: str, path: Path, rejects: Path):
    _empty(driver, db)
    with RejectSink(rejects, "zh") as sink:
        report = Loader(
            GraphWriter(driver, db), sink, home=rejects.parent / "home", progress=False, force=True
        ).load(path)
    return report, sink


def _snapshot(driver, db: str) -> dict[str, Any]:
    status = graph_status(driver, db)
    return {
        "labels": status["labels"],
        "types": status["types"],
        "dump": _dump(driver, db),
        "answers": {name: execute(driver, db, name, params).to_json() for name, params in QUERIES},
    }


@pytest.fixture(scope="module")
def clean(driver, settings, tmp_path_factory) -> dict[str, Any]:
    """The graph and answers of the clean CSV fixture."""
    db = settings.neo4j_database
    report, sink = _load(driver, db, SMALL, tmp_path_factory.mktemp("clean") / "rejects.csv")
    assert sink.count == 0, sink.first
    assert report.loaded == 54
    return _snapshot(driver, db)


def test_the_clean_answers_are_not_empty(clean):
    """The comparison below means something: the fixture answers most queries with rows."""
    answered = [name for name, answer in clean["answers"].items() if answer["rows"]]
    assert len(answered) >= 8, answered
    assert clean["labels"]["Household"] == 3 and clean["types"]["HELPS"] == 3


def test_clerk_workbook_loads_to_the_same_graph_and_answers(clean, driver, settings, tmp_path):
    book = write_workbook(tmp_path / "施甸县台账.xlsx")
    report, sink = _load(driver, settings.neo4j_database, book, tmp_path / "rejects.csv")
    assert sink.count == 0, sink.first
    assert report.exit_code == 0
    assert report.read == report.loaded == 54
    assert len(report.files) == 15
    assert sorted(report.ignored) == sorted(
        f"施甸县台账.xlsx[{name}]" for name in ("封面", "说明", "下拉选项", "人员（2019）")
    )
    snapshot = _snapshot(driver, settings.neo4j_database)
    assert snapshot["labels"] == clean["labels"]
    assert snapshot["types"] == clean["types"]
    assert snapshot["dump"] == clean["dump"]
    assert snapshot["answers"] == clean["answers"]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_clerk_csv_exports_load_to_the_same_graph(clean, driver, settings, tmp_path, encoding):
    folder = write_csv_folder(tmp_path / "export", encoding)
    report, sink = _load(driver, settings.neo4j_database, folder, tmp_path / "rejects.csv")
    assert sink.count == 0, sink.first
    assert report.read == report.loaded == 54
    assert sorted(report.ignored) == ["封面.csv", "说明.csv"]
    snapshot = _snapshot(driver, settings.neo4j_database)
    assert snapshot["dump"] == clean["dump"]
    assert snapshot["answers"] == clean["answers"]


def _book(tmp_path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


REGIONS = [
    ["施甸县行政区划台账"],
    [],
    ["区划代码", "名称", "级别", "上级区划代码"],
    ["530521000000", "施甸县", "县", None],
    ["５３０５２１１０１２０１", "大竹园村", "村", "530521000000"],
]


def test_a_formula_without_a_saved_result_is_rejected_with_a_message(driver, settings, tmp_path):
    """openpyxl, like other programs, writes formulas without their result: the row is
    rejected, pointing at the cell, instead of loading an empty value or failing."""
    book = _book(
        tmp_path,
        {
            "行政区划": REGIONS,
            "贫困户": [
                ["户编号", "所在村区划代码", "家庭人口数"],
                ["H1", "530521101201", 2],
                ["H2", "530521101201", "=1+2"],
            ],
        },
    )
    report, sink = _load(driver, settings.neo4j_database, book, tmp_path / "rejects.csv")
    households = next(f for f in report.files if f.stem == "households")
    assert (households.loaded, households.rejected) == (1, 1)
    assert sink.count == 1
    assert sink.first[0].startswith("book.xlsx[贫困户] 第 3 行 C 列（家庭人口数）")
    assert "公式“=1+2”没有保存计算结果" in sink.first[0]


def test_the_cli_loads_a_clerk_workbook_without_a_traceback(empty_db, kg_env, tmp_path):
    book = write_workbook(tmp_path / "台账.xlsx")
    done = run_kg("load", str(book), "--format", "json", "--force", env=kg_env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert json.loads(done.stdout)["loaded"] == 54


def test_ambiguous_sheet_names_stop_the_load_with_the_candidates(empty_db, kg_env, tmp_path):
    book = _book(tmp_path, {"行政区划": REGIONS, "人员（2019）": [["人员编号"]], "人员 2020": []})
    done = run_kg("load", str(book), env={**kg_env, "LANG": "zh_CN.UTF-8"})
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "人员（2019）、人员 2020 都对应“人员（persons）”" in done.stderr


def test_a_sheet_without_a_header_rejects_its_rows_and_says_what_was_looked_for(
    driver, settings, tmp_path
):
    book = _book(
        tmp_path,
        {
            "行政区划": REGIONS,
            "人员": [["施甸县人员台账"], ["张三", "男"], ["李四", "女"]],
        },
    )
    report, sink = _load(driver, settings.neo4j_database, book, tmp_path / "rejects.csv")
    persons = next(f for f in report.files if f.stem == "persons")
    # Nothing is lost: every row is rejected (and listed in the reject file).
    assert (persons.read, persons.loaded, persons.rejected) == (2, 0, 2)
    regions = next(f for f in report.files if f.stem == "regions")
    assert (regions.loaded, regions.rejected) == (2, 0)
