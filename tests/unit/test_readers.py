"""Reading datasets as clerks keep them (loaders/readers.py), without a database."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from core.errors import DatasetError
from loaders.cells import Unreadable
from loaders.readers import Source, SourceError, find_sources, stem_for
from tests.ledger_book import ledger_sheets, write_csv_folder, write_workbook


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("persons", "persons"),
        ("Persons", "persons"),
        ("人员", "persons"),
        ("人 员", "persons"),
        (" 人员 ", "persons"),
        ("贫困户（2020）", "households"),
        ("贫困户(2020年)", "households"),
        ("2020年贫困户", "households"),
        ("结对帮扶 2020", "pairings"),
        ("党组织台账", "organizations"),
        ("人员信息表", "persons"),
        ("org_assessments_2020", "org_assessments"),
        ("collective income", "collective_income"),
        ("说明", None),
        ("封面", None),
        ("贫困户（已脱贫）", None),
        ("2020", None),
    ],
)
def test_sheet_and_file_names(name, stem):
    assert stem_for(name) == stem


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("ledger") / "台账.xlsx")


def _read(source: Source) -> list[tuple[int, list[Any]]]:
    rows = list(source.rows())
    assert source.layout.complete
    return rows


def test_the_ledger_workbook_sheets_found_and_ignored(book):
    sources, ignored = find_sources(book)
    assert [s.stem for s in sources][:4] == [
        "regions",
        "relocation_sites",
        "organizations",
        "households",
    ]
    assert len(sources) == 15
    by_stem = {s.stem: s for s in sources}
    assert by_stem["households"].label == "台账.xlsx[贫困户（2020）]"
    assert by_stem["persons"].sheet == "人 员" and not by_stem["persons"].hidden
    # The hidden older copy of 人员 loses to the visible sheet; 说明, 封面 are no contract files.
    assert ignored == [
        "台账.xlsx[封面]",
        "台账.xlsx[说明]",
        "台账.xlsx[下拉选项]",
        "台账.xlsx[人员（2019）]",
    ]
    assert len({s.digest for s in sources}) == 1


def test_the_ledger_workbook_layouts(book):
    sources, _ = find_sources(book)
    by_stem = {s.stem: s for s in sources}
    expected = {s.stem: s for s in ledger_sheets() if s.stem}

    households = by_stem["households"]
    rows = _read(households)
    layout = households.layout
    assert rows[0][0] == 4 and layout.header_rows == (3, 4)
    assert [n for n, _ in rows[1:]] == expected["households"].data_rows == [5, 6, 7]
    assert layout.skipped_above == [1]
    assert layout.ignored_below == [8, 10]  # 合计 (with a formula without result), 填表人
    assert layout.ignored_kinds == ["total", "signature"]
    assert layout.normalised == 4  # three full-width village codes, ＡＺＤ００１
    assert rows[1][1][1:4] == ["H001", "530521101201", 3]  # the formula's saved result
    assert rows[1][1][0] == 1 and rows[0][1][0] == "序号"

    persons = by_stem["persons"]
    rows = _read(persons)
    assert [r[1][6] for r in rows[1:6]] == ["H001", "H001", "H001", "H002", "H002"]
    assert persons.layout.filled == 3
    assert rows[1][1][0] == "P001" and persons.layout.normalised == 1

    pairings = by_stem["pairings"]
    rows = _read(pairings)
    assert [r[1][:3] for r in rows[1:]] == [
        ["P007", "H001", "2016.1.1"],
        ["P007", "H002", "2016.1.1"],
        ["P008", "H003", "2016.3.1"],
    ]
    assert pairings.layout.ignored_below == [7, 9, 10]
    assert pairings.layout.ignored_kinds == ["total", "signature", "note"]
    assert pairings.layout.problems == []

    memberships = by_stem["memberships"]
    rows = _read(memberships)
    assert memberships.layout.header_rows == (3, 4)  # a Chinese and an English header row
    assert rows[0][1] == ["person_id", "org_id", "start_on", "end_on"]


def _book(tmp_path: Path, sheets: dict[str, list[list[Any]]], hidden: tuple[str, ...] = ()):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def test_formulas_without_a_saved_result_and_error_values_are_unreadable(tmp_path):
    path = _book(
        tmp_path,
        {"贫困户": [["户编号", "家庭人口数", "所在村区划代码"], ["H1", "=1+2", "#N/A"]]},
    )
    [source], _ = find_sources(path)
    rows = _read(source)
    assert rows[1][1][1] == Unreadable("formula_no_value", "=1+2")
    assert rows[1][1][1].ctx == {"formula": "=1+2"}
    assert rows[1][1][2] == Unreadable("cell_error", "#N/A")
    assert str(rows[1][1][2]) == "#N/A"


def test_a_formula_whose_saved_result_is_empty_text_is_an_empty_cell(tmp_path):
    path = _book(tmp_path, {"贫困户": [["户编号", "备注"], ["H1", '=IF(1,"","x")']]})
    # Excel saves an empty text result as t="str" with an empty value.
    with zipfile.ZipFile(path) as src:
        items = [(i, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w") as dst:
        for info, data in items:
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<c r="B2"([^>]*)>', rb'<c r="B2"\1 t="str">', data)
            dst.writestr(info, data)
    [source], _ = find_sources(path)
    assert _read(source)[1] == (2, ["H1", None])


def test_a_hidden_sheet_is_read_when_no_visible_one_has_its_name(tmp_path):
    path = _book(
        tmp_path,
        {"行政区划": [["区划代码"], ["5305"]], "人员": [["人员编号"], ["P1"]]},
        hidden=("人员",),
    )
    sources, ignored = find_sources(path)
    persons = sources[1]
    assert persons.hidden and ignored == []
    _read(persons)
    assert persons.layout.hidden
    assert persons.layout.notices()[0].text("zh") == "该工作表是隐藏的，仍已读取"


def test_ambiguous_sheet_names_list_the_candidates(tmp_path):
    path = _book(tmp_path, {"人员（2019）": [], "人员（2020）": [], "regions": []})
    with pytest.raises(SourceError) as e:
        find_sources(path)
    assert e.value.code == "ambiguous_source"
    assert str(e.value).startswith("book.xlsx：人员（2019）、人员（2020） 都对应“人员（persons）”")
    english = e.value.text("en")
    assert "book.xlsx: 人员（2019）, 人员（2020） all stand for persons (人员)" in english
    assert isinstance(e.value, DatasetError)


def test_ambiguous_csv_file_names_list_the_candidates(tmp_path):
    for name in ("persons.csv", "人员.csv"):
        (tmp_path / name).write_text("person_id,name\nP1,张三\n", encoding="utf-8")
    with pytest.raises(SourceError, match="persons.csv、人员.csv"):
        find_sources(tmp_path)


def test_a_damaged_workbook_is_a_dataset_error(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DatasetError, match="not a readable Excel workbook"):
        find_sources(path)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_csv_exported_from_the_ledger(tmp_path, encoding):
    folder = write_csv_folder(tmp_path / "export", encoding)
    sources, ignored = find_sources(folder)
    assert ignored == ["封面.csv", "说明.csv"]
    assert sources[0].encoding == ("utf-8-sig" if encoding == "utf-8" else "gb18030")
    by_stem = {s.stem: s for s in sources}
    households = by_stem["households"]
    rows = _read(households)
    assert households.layout.header_rows == (3, 4)
    assert households.layout.skipped_above == [1]
    assert households.layout.ignored_below == [8, 10]
    assert [r[1][2] for r in rows[1:]] == ["530521101201", "530521202201", "530521101001"]
    assert rows[1][1][3] == "3"  # the formula's result, as Excel exports it
    pairings = by_stem["pairings"]
    _read(pairings)
    assert pairings.layout.ignored_below == [7, 9, 10]


def test_csv_title_and_total_rows_keep_excel_row_numbers(tmp_path):
    path = tmp_path / "pairings.csv"
    with path.open("w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerows(
            [
                ["施甸县结对帮扶台账", "", ""],
                ["", "", ""],
                ["帮扶人编号", "帮扶户编号", "结对日期"],
                ["P007", "Ｈ００１", "２０１６年１月１日"],
                ["合计", "1户", ""],
            ]
        )
    [source], _ = find_sources(path)
    assert source.encoding == "gb18030" and not source.ascii
    assert _read(source) == [
        (3, ["帮扶人编号", "帮扶户编号", "结对日期"]),
        (4, ["P007", "H001", "2016年1月1日"]),
    ]
    assert source.layout.normalised == 2
    assert source.layout.ignored_below == [5]


def test_an_ascii_csv_file_is_not_normalised_cell_by_cell(tmp_path):
    """No cell of a file whose bytes are all ASCII can change under NFKC: the reader skips it."""
    path = tmp_path / "households.csv"
    path.write_text("household_id,region_id,size\nH1, 530521101201 ,2\n", encoding="utf-8")
    [source], _ = find_sources(path)
    assert source.ascii
    assert _read(source) == [
        (1, ["household_id", "region_id", "size"]),
        (2, ["H1", " 530521101201 ", "2"]),  # trimmed by the cell parsers
    ]
    assert source.layout.normalised == 0
