"""What the loader tells ledger clerks: reject messages and the load report, zh-CN or English.

Chinese is the default; English when the locale asks for it (``LC_ALL``, ``LC_MESSAGES`` or
``LANG`` starting with ``en``) or with ``kg load --lang en``.
"""

from __future__ import annotations

from typing import Any

from core.contract import SPECS
from core.vocabulary import LEVEL_NAMES

__all__ = ["message", "column_letter", "where"]

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
    return out


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
