"""Each validation rule of the contract, with its exact reject count and where it points."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl

from loaders.pipeline import Loader
from loaders.rejects import RejectSink
from loaders.write import GraphWriter
from tests.helpers import run_kg

SMALL = Path(__file__).parent.parent / "data" / "small"

# (file, bad rows appended, rejected rows expected from them)
BAD_ROWS = {
    "regions": [
        "530521202299,坏村一,village,,false,",  # missing parent (not the top level)
        "530521999000,循环甲,township,530521998000,false,",  # cycle with the next row
        "530521998000,循环乙,township,530521999000,false,",
        "530521202298,坏村二,省,530521202000,false,",  # bad enum
    ],
    "households": [
        "H101,530521101000,2,true,2014-06-01,illness,,true,,",  # region is a township
        "H102,530521202201,2,true,2014-06-01,illness,2013-01-01,true,,",  # exit before registration
        "H103,530521202201,two,true,2014-06-01,illness,,true,,",  # size not a number
        "H104,530521202299,2,true,2014-06-01,illness,,true,,",  # region rejected above
    ],
    "persons": [
        "P101,,530521197003150112,M,1970-03-15,,H001,child,false,,",  # missing name
        "P102,错号,530521197003150113,M,1970-03-15,,H001,child,false,,",  # bad check digit
        "P103,错性别,,X,1970-03-15,,H001,child,false,,",  # bad enum
        "P104,错日期,,M,1970-02-30,,H001,child,false,,",  # bad date
        "P105,无户,,M,1970-03-15,,H999,head,false,,",  # dangling household
        "P001,杨春华,,M,1970-03-15,,H002,head,true,1998-07-01,full",  # conflicting duplicate
        "P105,无户,,M,1970-03-15,,H999,head,false,,",  # dangling again (same row twice)
    ],
    "memberships": [
        "P004,ORG003,2020-01-01,2019-01-01",  # end before start
        "P004,ORG999,2020-01-01,",  # dangling organisation
        "P101,ORG003,2020-01-01,",  # person rejected above
    ],
    "pairings": [
        "P007,H002,,,one_to_many,",  # missing start
        "P007,H002,2016-01-01,,一帮多,技能培训",  # conflicting duplicate (measures differ)
    ],
    "enterprise_links": [
        "E001,H001,P001,,member,2017-01-01,",  # two targets
        "E001,,,,member,2017-01-01,",  # no target
    ],
    "posts": ["P007,other,,,,2020-01-01,,,"],  # neither org, region nor place
    "collective_income": ["530521101201,2020,-5"],  # negative income
    "org_assessments": ["ORG003,2021,maybe,,,,"],  # bad boolean
    "events": ["P007,party,2020-01-01,"],  # bad enum
}
EXPECTED_REJECTED = {
    "regions": 4,
    "households": 4,
    "persons": 7,
    "memberships": 3,
    "pairings": 2,
    "enterprise_links": 2,
    "posts": 1,
    "collective_income": 1,
    "org_assessments": 1,
    "events": 1,
}


def make_bad_dataset(folder: Path) -> Path:
    shutil.copytree(SMALL, folder)
    for stem, rows in BAD_ROWS.items():
        with (folder / f"{stem}.csv").open("a", encoding="utf-8") as fh:
            fh.write("\n".join(rows) + "\n")
    return folder


def test_each_rule_rejects_exactly_its_rows(empty_db, settings, tmp_path):
    folder = make_bad_dataset(tmp_path / "bad")
    rejects_file = tmp_path / "rejects.csv"
    with RejectSink(rejects_file, "zh") as sink:
        report = Loader(
            GraphWriter(empty_db, settings.neo4j_database),
            sink,
            home=tmp_path / "home",
            progress=False,
        ).load(folder)
    rejected = {f.stem: f.rejected for f in report.files if f.rejected}
    assert rejected == EXPECTED_REJECTED
    assert report.exit_code == 1
    # Every good row still loaded; the identical duplicate of P105 shares its twin's fate.
    assert report.loaded == 54
    with rejects_file.open(encoding="utf-8-sig") as fh:
        lines = list(csv.DictReader(fh))
    by_place = {(r["文件"], r["行"], r["列"]): r["问题"] for r in lines}
    assert by_place[("persons.csv", "11", "C")].startswith("身份证号“530521197003150113”校验位不对")
    assert "必填项为空" in by_place[("persons.csv", "10", "B")]
    assert "“X”不是可选值" in by_place[("persons.csv", "12", "D")]
    assert "无法识别" in by_place[("persons.csv", "13", "E")]
    assert "H999" in by_place[("persons.csv", "14", "G")]
    assert "第 2 行" in by_place[("persons.csv", "15", "A")]
    assert "循环" in by_place[("regions.csv", "10", "D")]
    assert "循环" in by_place[("regions.csv", "11", "D")]
    assert "上级区划代码必填" in by_place[("regions.csv", "9", "D")]
    assert "乡镇" in by_place[("households.csv", "5", "B")]
    assert "早于" in by_place[("households.csv", "6", "G")]
    assert "早于" in by_place[("memberships.csv", "7", "D")]
    assert "只填一项" in by_place[("enterprise_links.csv", "6", "B")]
    assert "负数" in by_place[("collective_income.csv", "5", "C")]
    # Nothing of a rejected row reached the graph.
    records, _, _ = empty_db.execute_query(
        "MATCH (n) WHERE n.person_id IN ['P101','P102','P103','P104','P105'] "
        "OR n.household_id IN ['H101','H102','H103','H104'] "
        "OR n.region_id IN ['530521202299','530521999000','530521998000','530521202298'] "
        "RETURN count(n) AS n",
        database_=settings.neo4j_database,
    )
    assert records[0]["n"] == 0
    records, _, _ = empty_db.execute_query(
        "MATCH (p:Person {person_id: 'P001'})-[:IN_HOUSEHOLD]->(h) RETURN h.household_id AS h",
        database_=settings.neo4j_database,
    )
    assert [r["h"] for r in records] == ["H001"]


def test_english_reject_messages(empty_db, settings, tmp_path):
    folder = make_bad_dataset(tmp_path / "bad")
    with RejectSink(tmp_path / "rejects.csv", "en") as sink:
        Loader(
            GraphWriter(empty_db, settings.neo4j_database),
            sink,
            home=tmp_path / "home",
            progress=False,
        ).load(folder)
    text = "\n".join(sink.first)
    assert (
        "persons.csv, row 11, column C (id_number): "
        "id number '530521197003150113' has a wrong check digit" in text
    )


def test_cli_exit_code_1_and_reject_file(empty_db, kg_env, tmp_path):
    folder = make_bad_dataset(tmp_path / "bad")
    rejects = tmp_path / "out" / "rejects.csv"
    done = run_kg(
        "load", str(folder), "--rejects", str(rejects), env={**kg_env, "LANG": "zh_CN.UTF-8"}
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert str(rejects) in done.stdout
    assert rejects.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8


def test_id_number_typed_as_number_in_excel(empty_db, settings, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "regions"
    ws.append(["区划代码", "名称", "级别"])
    ws.append([530500000000, "保山市", "市"])
    ws = wb.create_sheet("persons")
    ws.append(["人员编号", "姓名", "身份证号"])
    ws.append(["P1", "张三", 530521197003150114])
    ws.append(["P2", "李四", "530521197003150114"])
    book = tmp_path / "book.xlsx"
    wb.save(book)
    with RejectSink(tmp_path / "rejects.csv", "zh") as sink:
        report = Loader(
            GraphWriter(empty_db, settings.neo4j_database),
            sink,
            home=tmp_path / "home",
            progress=False,
        ).load(book)
    assert [(f.stem, f.loaded, f.rejected) for f in report.files] == [
        ("regions", 1, 0),
        ("persons", 1, 1),
    ]
    assert "book.xlsx[persons] 第 2 行 C 列（身份证号）" in sink.first[0]
    assert "文本" in sink.first[0]


def test_missing_required_column_rejects_the_file(empty_db, settings, tmp_path):
    folder = tmp_path / "nocol"
    folder.mkdir()
    shutil.copy(SMALL / "regions.csv", folder / "regions.csv")
    (folder / "persons.csv").write_text("person_id,gender\nP1,M\nP2,F\n", encoding="utf-8")
    with RejectSink(tmp_path / "rejects.csv", "zh") as sink:
        report = Loader(
            GraphWriter(empty_db, settings.neo4j_database),
            sink,
            home=tmp_path / "home",
            progress=False,
        ).load(folder)
    persons = next(f for f in report.files if f.stem == "persons")
    assert (persons.read, persons.loaded, persons.rejected) == (2, 0, 2)
    assert "缺少必填列“姓名（name）”" in sink.first[0]


def test_nothing_loadable_exits_2(empty_db, kg_env, tmp_path):
    folder = tmp_path / "allbad"
    folder.mkdir()
    (folder / "regions.csv").write_text("region_id,name,level\n,无编号,市\n", encoding="utf-8")
    done = run_kg("load", str(folder), env=kg_env)
    assert done.returncode == 2
