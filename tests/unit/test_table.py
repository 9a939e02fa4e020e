"""Finding the table on a sheet (loaders/table.py): header, end, merged cells, normalisation."""

from __future__ import annotations

from typing import Any

import pytest

from loaders.table import (
    HEADER_SEARCH,
    Layout,
    MergedFill,
    find_header,
    header_key,
    read_table,
    row_kind,
)

TITLE = ["施甸县贫困户台账（截至2020年12月31日）"]
HEADER = ["户编号", "所在村区划代码", "家庭人口数", "识别日期"]


def numbered(*rows: list[Any], start: int = 1) -> list[tuple[int, list[Any]]]:
    """Rows as a reader hands them on: numbered as Excel shows them, blank rows left out."""
    return [(n, list(r)) for n, r in enumerate(rows, start=start) if r]


def read(rows, stem="households", **kw) -> tuple[list[tuple[int, list[Any]]], Layout]:
    layout = Layout()
    out = list(read_table(rows, stem, layout, **kw))
    assert layout.complete
    return out, layout


# -- header --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("户编号", "户编号"),
        (" 户 编 号 ", "户编号"),
        ("户编号\n", "户编号"),
        ("*户编号", "户编号"),
        ("户编号（必填）", "户编号"),
        ("收入（元）", "收入"),
        ("household_id", "householdid"),
        ("Household ID", "householdid"),
        ("ＨＯＵＳＥＨＯＬＤ＿ＩＤ", "householdid"),
    ],
)
def test_header_texts_are_matched_as_people_type_them(text, key):
    assert header_key(text) == key


def test_a_header_in_row_1_is_found():
    search = find_header(numbered(HEADER, ["H1", "530521101201", "2", ""]), "households")
    assert search.header is not None
    assert search.header.rows == (1,) and search.index == 0
    assert search.header.columns == {
        "household_id": 0,
        "region_id": 1,
        "size": 2,
        "registered_on": 3,
    }


def test_title_and_blank_rows_above_the_header_are_skipped_and_reported_once():
    rows = numbered(TITLE, [], HEADER, ["H1", "530521101201", "2", None])
    out, layout = read(rows)
    assert out[0] == (3, HEADER)
    assert out[1:] == [(4, ["H1", "530521101201", "2", None])]
    assert layout.header_rows == (3,)
    assert layout.skipped_above == [1]
    texts = [n.text("zh") for n in layout.notices()]
    assert texts == ["已跳过表头上方的 1 行（标题或说明）：第 1 行"]
    assert layout.notices()[0].text("en").startswith("skipped 1 row(s) above the header")


def test_header_texts_handed_on_are_the_contracts():
    """Spaces, line breaks, marks are matched; the header handed on is the contract's text, so
    that validation maps it; other columns keep the text as written."""
    rows = numbered(["序号", " 户编号 ", "所在村\n区划代码", "家庭人口数*", "备注"], [1, "H1"])
    search = find_header(rows, "households")
    assert search.header is not None
    assert search.header.cells == ["序号", "户编号", "所在村区划代码", "家庭人口数", "备注"]


def test_a_two_row_header_with_merged_group_labels():
    """Row 3: names merged down over two rows and group labels merged across; row 4: the
    names under the groups. The CSV export of such a header looks the same (merged cells keep
    their text in the top cell only)."""
    rows = numbered(
        TITLE,
        [],
        ["序号", "户编号", "所在村区划代码", "识别情况", None, "脱贫情况"],
        [None, None, None, "家庭人口数", "识别日期", "脱贫日期"],
        [1, "H1", "530521101201", "2", "2014-06-01", None],
    )
    search = find_header(rows, "households")
    assert search.header is not None
    assert search.header.rows == (3, 4)
    assert search.header.columns == {
        "household_id": 1,
        "region_id": 2,
        "size": 3,
        "registered_on": 4,
        "exited_on": 5,
    }
    assert search.header.cells[0] == "序号"
    out, layout = read(rows)
    assert out[0][0] == 4 and out[1][0] == 5
    assert layout.skipped_above == [1]
    assert [n.code for n in layout.notices()] == ["layout_skipped_above", "layout_header_rows"]
    assert layout.notices()[1].text("zh") == "表头占第 3–4 行（多行表头，已按列合并）"


def test_a_three_row_header():
    rows = numbered(
        ["户编号", "基本情况", None, None],
        [None, "所在村区划代码", "人口", None],
        [None, None, "家庭人口数", "识别日期"],
        ["H1", "530521101201", "2", "2014-06-01"],
    )
    search = find_header(rows, "households")
    assert search.header is not None
    assert search.header.rows == (1, 2, 3)
    assert search.header.columns == {
        "household_id": 0,
        "region_id": 1,
        "size": 2,
        "registered_on": 3,
    }


def test_a_chinese_and_an_english_header_row_are_one_header():
    rows = numbered(
        TITLE, HEADER, ["household_id", "region_id", "size", "registered_on"], ["H1", "5305"]
    )
    search = find_header(rows, "households")
    assert search.header is not None
    assert search.header.rows == (2, 3)
    assert search.header.cells == ["household_id", "region_id", "size", "registered_on"]


def test_two_candidate_header_rows_are_ambiguous():
    rows = numbered(
        ["户编号", "所在村区划代码", "家庭人口数"],
        ["H1", "530521101201", "2"],
        [],
        ["家庭人口数", "户编号", "所在村区划代码"],
        ["3", "H2", "530521101201"],
    )
    search = find_header(rows, "households")
    assert search.header is None
    assert search.ambiguous == (1, 4)
    out, layout = read(rows)
    # An empty header: validation rejects every row after the first candidate.
    assert out[0] == (1, [None, None, None])
    assert [n for n, _ in out[1:]] == [2, 4, 5]
    problem = layout.blocking
    assert problem is not None and problem.code == "ambiguous_header"
    assert problem.text("zh").startswith("第 1、4 行都像表头（各含 3 个列名")
    assert "rows 1, 4 all look like the header" in problem.text("en")


def test_no_header_says_which_columns_and_rows_were_tried():
    rows = numbered(TITLE, [], ["张三", "男"], ["李四", "女"])
    out, layout = read(rows, stem="persons")
    # The first row is handed on as the header (validation rejects the others: nothing lost).
    assert out == rows
    problem = layout.blocking
    assert problem is not None and problem.code == "no_header" and problem.level == "file"
    text = problem.text("zh")
    assert text.startswith("找不到表头：第 1、3–4 行中没有一行含有本文件的列名")
    assert "人员编号（person_id）、姓名（name）" in text
    assert "none of rows 1, 3–4 names a column" in problem.text("en")


def test_the_header_is_looked_for_in_the_first_20_rows_only():
    notes = [[f"说明第{i}条"] for i in range(HEADER_SEARCH)]
    rows = numbered(*notes, HEADER, ["H1", "530521101201", "2"])
    search = find_header(rows, "households")
    assert search.header is None
    assert search.tried == tuple(range(1, HEADER_SEARCH + 1))
    rows = numbered(*notes[:-1], HEADER, ["H1", "530521101201", "2"])
    assert find_header(rows, "households").header is not None


# -- the end of the table ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cells", "kind"),
    [
        (["合计", None, "6"], "total"),
        (["合\u3000计"], "total"),
        ([None, "小计："], "total"),
        (["总计"], "total"),
        (["本页合计"], "total"),
        (["填表人：张三\u3000\u3000审核人：李四"], "signature"),
        (["审核人:", "李四"], "signature"),
        (["制表人"], "signature"),
        (["填表日期：2020年12月31日"], "signature"),
        (["注：帮扶措施按实际填写"], "note"),
        (["说明"], "note"),
        (["说明：以上数据截至年底"], "note"),
        (["H001", "530521101201"], None),
        ([1, "H001"], None),
        (["P001", "注：张三"], None),
        (["说明会纪要", "x"], None),
    ],
)
def test_row_kinds(cells, kind):
    assert row_kind(cells) == kind


def test_totals_signatures_and_notes_below_the_table_are_ignored_not_rejected():
    rows = numbered(
        TITLE,
        [],
        HEADER,
        ["H1", "530521101201", "2", None],
        ["H2", "530521101201", "3", None],
        ["合计", None, "5"],
        [],
        ["填表人：张三", None, "审核人：李四"],
        ["注：人口数为户籍人口"],
    )
    out, layout = read(rows)
    assert [n for n, _ in out] == [3, 4, 5]
    assert layout.ignored_below == [6, 8, 9]
    assert layout.ignored_kinds == ["total", "signature", "note"]
    assert layout.problems == []
    assert [n.text("zh") for n in layout.notices()][-1] == (
        "已忽略表格下方的 3 行（合计、签名或备注）"
    )


def test_a_total_row_inside_the_table_is_skipped_and_reported_with_its_row():
    rows = numbered(
        HEADER,
        ["H1", "530521101201", "2"],
        ["小计", None, "2"],
        ["H2", "530521202201", "3"],
        ["合计", None, "5"],
    )
    out, layout = read(rows)
    assert [n for n, _ in out] == [1, 2, 4]
    assert layout.inside_table == [3]
    assert layout.ignored_below == [5]
    [problem] = layout.problems
    assert (problem.code, problem.row, problem.level) == ("total_in_table", 3, "warning")
    assert problem.text("zh").startswith("第 3 行是合计、签名或备注行，但下面还有数据")


# -- merged cells --------------------------------------------------------------------------------
def test_a_value_merged_down_is_filled_into_each_row_it_spans():
    fill = MergedFill([(2, 2, 2, 4), (1, 1, 3, 1), (3, 5, 4, 5)], first_row=2)
    rows = [
        (2, ["H1", "530521101201", "2"]),
        (3, ["H2", None, "3"]),
        (4, ["H3", None, "1"]),
        (5, ["H4", None, "1", None]),
    ]
    for number, cells in rows:
        fill(number, cells)
    assert [cells[1] for _, cells in rows] == ["530521101201"] * 3 + [None]
    assert rows[3][1][3] is None  # merged across columns: the value stays in its first column
    assert fill.filled == 2


def test_merged_cells_are_filled_and_counted_by_read_table():
    rows = numbered(TITLE, HEADER, ["H1", "530521101201", "2"], ["H2", None, "3"])
    out, layout = read(rows, merges=[(1, 1, 4, 1), (2, 3, 2, 4)])
    assert out[2] == (4, ["H2", "530521101201", "3", None])
    assert layout.filled == 1
    assert "1 个单元格取自向下合并的单元格的值" in [n.text("zh") for n in layout.notices()]


# -- normalisation -------------------------------------------------------------------------------
def test_ids_codes_numbers_and_dates_are_normalised_names_are_not():
    header = ["人员编号", "姓名", "户编号", "是否党员", "入党日期", "联系电话"]
    rows = numbered(
        header,
        ["Ｐ００１", "杨　春华", "H001\u3000", "是", "１９９８．７．１", "１３８８７５１０００１"],
        ["P002", "李秀英 ", "ＡＢ－１２", " 否", "1998-07-01", None],
    )
    out, layout = read(rows, stem="persons")
    assert out[1][1] == ["P001", "杨　春华", "H001", "是", "1998.7.1", "１３８８７５１０００１"]
    assert out[2][1] == ["P002", "李秀英 ", "AB-12", "否", "1998-07-01", None]
    # Ｐ００１, H001 + ideographic space, the date, ＡＢ－１２; a trimmed space does not count
    assert layout.normalised == 4
    assert "4 个单元格已规范化" in layout.notices()[-1].text("zh")


def test_normalising_can_be_switched_off_to_measure_it():
    rows = numbered(["人员编号", "姓名"], ["Ｐ００１", "杨春华"])
    out, layout = read(rows, stem="persons", normalise_cells=False)
    assert out[1][1] == ["Ｐ００１", "杨春华"]
    assert layout.normalised == 0


def test_a_short_row_is_padded_to_the_columns_normalised():
    out, _ = read(numbered(HEADER, ["Ｈ１"]))
    assert out[1][1][0] == "H1"
    assert len(out[1][1]) == 4
