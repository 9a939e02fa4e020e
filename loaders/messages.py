"""What the loader tells ledger clerks: reject messages and the load report, zh-CN or English.

Chinese is the default; English when the locale asks for it (``LC_ALL``, ``LC_MESSAGES`` or
``LANG`` starting with ``en``) or with ``kg load --lang en``.
"""

from __future__ import annotations

from typing import Any

from core.contract import SPECS
from core.vocabulary import LEVEL_NAMES

__all__ = ["message", "column_letter", "row_ranges", "where"]

MESSAGES: dict[str, tuple[str, str]] = {
    # code: (zh-CN, en)
    "required": ("必填项为空", "required value is missing"),
    "bad_id": ("编号格式不正确，应为文字或整数", "an id must be text or a whole number"),
    "bad_date": (
        "日期“{value}”无法识别，请写成 2020-12-31、2020/12/31、2020.12.31 或 2020年12月31日",
        "date '{value}' not understood: write 2020-12-31, 2020/12/31, 2020.12.31 or 2020年12月31日",
    ),
    "bad_bool": (
        "“{value}”不是“是/否”，请填 是 或 否",
        "'{value}' is not a yes/no value: write 是/否 or true/false",
    ),
    "bad_int": ("“{value}”不是整数", "'{value}' is not a whole number"),
    "bad_number": ("“{value}”不是数字", "'{value}' is not a number"),
    "negative_number": ("“{value}”不能为负数", "'{value}' must not be negative"),
    "bad_year": ("年度“{value}”不正确", "year '{value}' is not valid"),
    "id_number_as_number": (
        "身份证号被 Excel 存成了数字，后几位已经丢失：请把该列设为“文本”格式后重新录入",
        "the id number was stored as a number by Excel and has lost its last digits: "
        "format the column as text and enter it again",
    ),
    "bad_id_number_format": (
        "身份证号“{value}”应为 18 位：前 17 位是数字，最后一位是数字或 X",
        "id number '{value}' must have 18 characters: 17 digits and a digit or X",
    ),
    "bad_id_number_check": (
        "身份证号“{value}”校验位不对，请核对是否录错",
        "id number '{value}' has a wrong check digit: check it for a typing error",
    ),
    "bad_id_number_birth": (
        "身份证号“{value}”中的出生日期不存在",
        "id number '{value}' holds a birth date that does not exist",
    ),
    "bad_enum": (
        "“{value}”不是可选值，可填：{allowed}",
        "'{value}' is not allowed here; allowed: {allowed}",
    ),
    "end_before_start": (
        "{end}早于{start}，请核对日期",
        "{end} is before {start}: check the dates",
    ),
    "dangling": (
        "在{target}中找不到编号“{value}”（本次数据和图谱中都没有，或该行已被拒绝）",
        "no {target} with id '{value}' "
        "(neither in this dataset nor in the graph, or its row was rejected)",
    ),
    "wrong_level": (
        "区划“{value}”是{level}，这里应填{expected}的区划代码",
        "region '{value}' is a {level}; a {expected} is needed here",
    ),
    "duplicate_conflict": (
        "与第 {first_row} 行编号相同但内容不同，请保留正确的一行",
        "same id as row {first_row} but different values: keep the right one",
    ),
    "cycle": ("上级关系形成循环：{path}", "the parent links form a cycle: {path}"),
    "missing_parent": (
        "上级区划代码必填（只有最高一级的区划可以不填）",
        "parent_id is required (only the top-level region may leave it empty)",
    ),
    "link_target": (
        "户编号、人员编号、合作主体编号三项必须填且只填一项",
        "fill exactly one of household_id, person_id and partner_entity_id",
    ),
    "post_place": (
        "党组织编号、区划代码、地点至少填一项",
        "fill at least one of org_id, region_id and place",
    ),
    "missing_column": (
        "缺少必填列“{columns}”，整个文件无法导入",
        "required column '{columns}' is missing: the file cannot be loaded",
    ),
    "bad_value": ("内容无法识别：{detail}", "value not understood: {detail}"),
    "still_referenced": (
        "“{key}”已不在本文件中，但 {file} 第 {row} 行仍引用它，所以没有删除；"
        "如确需删除，请同时删除引用它的行",
        "'{key}' is no longer in this file, but {file} row {row} still refers to it, so it was "
        "kept; to delete it, delete the rows that refer to it too",
    ),
    # -- cells the workbook holds no usable value for (loaders/cells.py: Unreadable) -------------
    "formula_no_value": (
        "公式“{formula}”没有保存计算结果：请用 Excel 或 WPS 打开该文件并保存一次，或把公式改成数值",
        "the formula '{formula}' has no saved result: open the workbook in Excel or WPS and save "
        "it once, or replace the formula by its value",
    ),
    "cell_error": (
        "单元格是错误值“{value}”，请改正公式或内容",
        "the cell holds the error value '{value}': correct its formula or content",
    ),
    # -- what the reader did with a sheet's layout (loaders/readers.py: Layout.notices()) --------
    "layout_skipped_above": (
        "已跳过表头上方的 {count} 行（标题或说明）：第 {rows} 行",
        "skipped {count} row(s) above the header (titles or notes): row {rows}",
    ),
    "layout_header_rows": (
        "表头占第 {rows} 行（多行表头，已按列合并）",
        "the header spans rows {rows} (a multi-row header, read column by column)",
    ),
    "layout_ignored_below": (
        "已忽略表格下方的 {count} 行（合计、签名或备注）",
        "ignored {count} row(s) below the table (totals, signatures or notes)",
    ),
    "layout_normalised": (
        "{count} 个单元格已规范化（全角数字或字母、全角空格等）",
        "{count} cell(s) normalised (full-width digits or letters, ideographic spaces)",
    ),
    "layout_filled": (
        "{count} 个单元格取自向下合并的单元格的值",
        "{count} cell(s) took the value of a cell merged down over several rows",
    ),
    "layout_hidden_sheet": (
        "该工作表是隐藏的，仍已读取",
        "the sheet is hidden; it was read all the same",
    ),
    "total_in_table": (
        "第 {row} 行是合计、签名或备注行，但下面还有数据：该行已跳过，请核对表格是否完整",
        "row {row} is a total, signature or note row with more data below it: it was skipped; "
        "check that the table is complete",
    ),
    "no_header": (
        "找不到表头：第 {rows} 行中没有一行含有本文件的列名（查找的列：{columns}），"
        "整个文件无法导入",
        "no header found: none of rows {rows} names a column of this file "
        "(looked for: {columns}); the file cannot be loaded",
    ),
    "ambiguous_header": (
        "第 {rows} 行都像表头（各含 {count} 个列名，但列的位置不同），无法确定表格从哪一行开始："
        "请删除多余的表头，整个文件无法导入",
        "rows {rows} all look like the header ({count} column names each, in different "
        "places): it is unclear where the table starts; remove the extra header. "
        "The file cannot be loaded",
    ),
    # -- a dataset whose files cannot be told apart (loaders/readers.py: SourceError) -----------
    "ambiguous_source": (
        "{dataset}：{candidates} 都对应“{zh}（{stem}）”，无法确定导入哪一个："
        "请只保留一个（把其他的改名，或在 Excel 中隐藏）",
        "{dataset}: {candidates} all stand for {stem} ({zh}); it is unclear which to load: "
        "keep one (rename the others, or hide them in Excel)",
    ),
}


def _localise(ctx: dict[str, Any], lang: str) -> dict[str, Any]:
    """Translate the codes a message carries: file stems and region levels."""
    i = 1 if lang == "en" else 0
    out = dict(ctx)
    if "target" in out and out["target"] in SPECS:
        out["target"] = out["target"] if lang == "en" else SPECS[out["target"]].zh
    if "level" in out:
        out["level"] = LEVEL_NAMES.get(out["level"] or "", (str(out["level"]),) * 2)[i]
    if "expected" in out and not isinstance(out["expected"], str):
        sep = " or " if lang == "en" else "或"
        out["expected"] = sep.join(LEVEL_NAMES[lv][i] for lv in out["expected"])
    if isinstance(out.get("rows"), list | tuple):
        out["rows"] = row_ranges(out["rows"], lang)
    for name in ("columns", "candidates"):
        if isinstance(out.get(name), list | tuple):
            out[name] = (", " if lang == "en" else "、").join(str(c) for c in out[name])
    return out


def row_ranges(rows: list[int] | tuple[int, ...], lang: str) -> str:
    """[1, 2, 3, 7] → ``1–3、7`` (``1–3, 7`` in English): row numbers, runs shortened."""
    runs: list[list[int]] = []
    for n in sorted(set(rows)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    sep = ", " if lang == "en" else "、"
    return sep.join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def message(code: str, lang: str, **ctx: Any) -> str:
    zh, en = MESSAGES.get(code, MESSAGES["bad_value"])
    template = en if lang == "en" else zh
    ctx = _localise(ctx, lang)
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel shows it."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def where(source: str, row: int | None, column: str | None, header: str | None, lang: str) -> str:
    """``persons.csv 第 5 行 D 列（身份证号）`` / ``persons.csv row 5, column D (id_number)``."""
    if lang == "en":
        parts = [source]
        if row is not None:
            parts.append(f"row {row}")
        if column:
            parts.append(f"column {column}" + (f" ({header})" if header else ""))
        return ", ".join(parts)
    text = source
    if row is not None:
        text += f" 第 {row} 行"
    if column:
        text += f" {column} 列" + (f"（{header}）" if header else "")
    return text
