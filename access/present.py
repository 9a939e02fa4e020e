"""How an answer is shown to a reader, Chinese first: names of worklists and columns, values
(dates, numbers, enumerations), and names for ids (a division by its name and the names above
it, a household by its head, an organisation by its name).

Shared by the explorer's pages (``web/``) and the downloads of both the explorer and the API
(:mod:`access.exports`), so that a worklist reads the same on the page and in Excel. Dates as
Chinese users write them (``2020年12月31日``; ISO ``2020-12-31`` in English), whole numbers
with thousands separators (``1,234``) in both languages, booleans 是/否. Enumeration values of
the data contract (致贫原因, 帮扶形式, 职务, ...) are shown by their Chinese aliases
(``core.vocabulary``).

Ids and names (:data:`ID_COLUMNS`): a column holding ids of a kind (``queries.names.KINDS``)
is shown by the names the look-up step finds (:func:`queries.names.lookup`, one query per kind
for a whole page or download), the code beside: on a page the name links to the entity and
the code follows it; in a download a column of names is put before the column of codes. A
column whose row already holds the name (``helper_name`` beside ``helper_id``) is its
*companion*: pages show the two as one column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core import vocabulary as voc
from queries.names import Names

__all__ = [
    "COLUMNS",
    "EMPTY",
    "ID_COLUMNS",
    "LANGS",
    "WORKLISTS",
    "IdColumn",
    "column_name",
    "export_table",
    "fmt_date",
    "fmt_number",
    "fmt_value",
    "heading",
    "id_column",
    "ids_of",
    "region_text",
    "typed_value",
]

LANGS = ("zh", "en")

#: the explorer's worklists, in the order of the menu: name -> (zh, en)
WORKLISTS: dict[str, tuple[str, str]] = {
    "one_helps_many": ("一帮多帮扶人", "One helps many"),
    "pairing_patterns": ("结对帮扶模式", "Pairing patterns"),
    "unassigned_relocated_members": (
        "未编入党组织的搬迁党员",
        "Relocated party members not placed",
    ),
    "households_without_helper": ("无帮扶人的贫困户", "Poor households without a helper"),
    "poor_party_members": ("未脱贫党员", "Party members not out of poverty"),
    "work_team_coverage": ("未派驻驻村工作队的贫困村", "Poor villages without a work team"),
    "head_adjustments": ("贫困县乡党政正职调整", "Adjustments of heads of poor units"),
    "weak_organizations": ("软弱涣散党组织", "Weak and lax organisations"),
}


#: column names of the worklists: column -> (zh, en); (query, column) overrides
COLUMNS: dict[str | tuple[str, str], tuple[str, str]] = {
    "helper_id": ("帮扶人编号", "Helper id"),
    "name": ("姓名", "Name"),
    "name_pinyin": ("姓名拼音", "Name in pinyin"),
    "name_initials": ("姓名拼音首字母", "Initials of the name"),
    ("work_team_coverage", "name"): ("村（社区）", "Village"),
    ("weak_organizations", "name"): ("党组织名称", "Organisation"),
    "household_count": ("帮扶户数", "Households"),
    "household_ids": ("帮扶户", "Household ids"),
    "region_id": ("所在区划", "Division"),
    "helper_name": ("帮扶人", "Helper"),
    "household_id": ("户编号", "Household id"),
    "declared_form": ("申报帮扶形式", "Declared form"),
    "start_on": ("开始日期", "Start"),
    ("pairing_patterns", "start_on"): ("结对日期", "Paired on"),
    ("head_adjustments", "start_on"): ("任职日期", "Took office"),
    "component": ("连通分量", "Component"),
    "component_helpers": ("分量帮扶人数", "Helpers in it"),
    "component_households": ("分量户数", "Households in it"),
    "component_class": ("实际帮扶形式", "Class"),
    "form_matches": ("形式相符", "Form matches"),
    "person_id": ("人员编号", "Person id"),
    "site_id": ("安置点编号", "Site id"),
    "site_name": ("安置点", "Site"),
    "relocated_on": ("搬迁日期", "Relocated on"),
    "category": ("未编入原因", "Why not placed"),
    "current_org_ids": ("当前组织关系", "Current organisations"),
    "size": ("家庭人口数", "Size"),
    "registered_on": ("识别日期", "Registered on"),
    "poverty_cause": ("主要致贫原因", "Poverty cause"),
    "last_pairing_end": ("最近结对结束", "Last pairing ended"),
    "party_status": ("党员类型", "Party status"),
    "level": ("级别", "Level"),
    "township_id": ("乡镇代码", "Township id"),
    "township": ("乡镇", "Township"),
    "exited_on": ("脱贫（出列）日期", "Exited on"),
    "last_team_end": ("最近工作队撤离", "Last team left"),
    "post": ("职务", "Post"),
    "unit_id": ("单位区划代码", "Unit id"),
    "unit_name": ("单位", "Unit"),
    "unit_level": ("单位级别", "Unit level"),
    "end_on": ("离任日期", "Left on"),
    "unit_exited_on": ("单位摘帽日期", "Unit exited on"),
    "approval_ref": ("审批文号", "Approval"),
    "six_months_after_exit": ("摘帽满六个月后调整", "Six months after exit"),
    "status": ("结论", "Status"),
    "org_id": ("党组织编号", "Organisation id"),
    "kind": ("类型", "Kind"),
    "weak_category": ("软弱涣散类型", "Weakness"),
    "rectified_on": ("整顿完成日期", "Rectified on"),
}


_EXTRA: dict[str, Mapping[str, tuple[str, ...]]] = {
    "component_class": {**voc.FORMS, "many_to_many": ("多帮多",)},
    "declared_form": voc.FORMS,
    "category": {
        "no_membership": ("没有组织关系",),
        "not_transferred": ("组织关系未转入",),
    },
    "status": {"compliant": ("合规",), "violation": ("违规调整",)},
}


_ENUMS: dict[str, Mapping[str, tuple[str, ...]]] = {
    "gender": voc.GENDERS,
    "relation": voc.RELATIONS,
    "party_status": voc.PARTY_STATUS,
    "poverty_cause": voc.CAUSES,
    "setting": voc.SETTINGS,
    "level": voc.LEVELS,
    "unit_level": voc.LEVELS,
    "workshop_type": voc.WORKSHOP_TYPES,
    "link": voc.LINKS,
    "role": voc.TEAM_ROLES,
    "post": voc.POSTS,
    "end_reason": voc.END_REASONS,
    "honor": voc.HONORS,
    "event": voc.EVENTS,
    **_EXTRA,
}


_KINDS: dict[str, Mapping[str, tuple[str, ...]]] = {
    "Organization": voc.ORG_KINDS,
    "Enterprise": voc.ENTERPRISE_KINDS,
    "weak_organizations": voc.ORG_KINDS,
}


def fmt_date(value: dt.date, lang: str) -> str:
    """``2020年12月31日`` (zh) or ``2020-12-31``."""
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()


def fmt_number(value: float | int, lang: str = "zh") -> str:
    """``1,234``; decimals kept as given (at most 4 places)."""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def fmt_value(name: str, value: Any, lang: str, context: str = "") -> str:
    """A value of column or property ``name`` as text (lists joined by 、)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ("、" if lang == "zh" else ", ").join(
            fmt_value(name, v, lang, context) for v in value
        )
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return fmt_date(dt.date.fromisoformat(value), lang)
        except ValueError:
            pass
    enum = _KINDS.get(context) if name == "kind" else _ENUMS.get(name)
    if enum is not None and isinstance(value, str) and value in enum:
        return enum[value][0] if lang == "zh" else value.replace("_", " ")
    if isinstance(value, int | float):
        if name.endswith("_id") or name in ("year", "component"):
            return str(value)
        return fmt_number(value, lang)
    return str(value)


def column_name(query: str, column: str, lang: str) -> str:
    zh, en = COLUMNS.get((query, column)) or COLUMNS.get(column) or (column, column)
    return zh if lang == "zh" else en


#: what an empty worklist means, said as what was checked: name -> (zh, en)
EMPTY: dict[str, tuple[str, str]] = {
    "one_helps_many": (
        "截至该日，没有同时帮扶 2 户及以上的帮扶人。",
        "As of this date no helper helps two households or more.",
    ),
    "pairing_patterns": (
        "截至该日，没有正在进行的结对帮扶。",
        "As of this date there is no current pairing.",
    ),
    "unassigned_relocated_members": (
        "截至该日，所有搬迁党员均已编入安置点或安置地的党组织。",
        "As of this date every relocated party member is placed in an organisation at the "
        "site or in its division.",
    ),
    "households_without_helper": (
        "截至该日，每个未脱贫的建档立卡户都有帮扶人。",
        "As of this date every registered poor household not yet out of poverty has a helper.",
    ),
    "poor_party_members": (
        "截至该日，没有所在户未脱贫的党员。",
        "As of this date no party member's household is still poor.",
    ),
    "work_team_coverage": (
        "截至该日，每个贫困村都派驻了驻村工作队。",
        "As of this date every poor village has a work team.",
    ),
    "head_adjustments": (
        "自起始日期以来，贫困县乡没有党政正职因调整离任。",
        "Since the start date no head of a poor county or township left by adjustment.",
    ),
    "weak_organizations": (
        "该年度没有被认定为软弱涣散的党组织。",
        "No organisation was found weak and lax in this year.",
    ),
}


@dataclass(frozen=True)
class IdColumn:
    """A column of ids: their kind, the columns of the same row that already name them, and
    the headers of the column on a page and of the columns of a download."""

    kind: str
    #: columns of the row that hold the name (the first one present is used)
    companions: tuple[str, ...] = ()
    #: the header of the column on a page (name and code in one), (zh, en)
    header: tuple[str, str] = ("", "")
    #: in a download: the header of the names put before the codes (when no companion)
    name_header: tuple[str, str] = ("", "")
    #: shown on pages (False: the column repeats another one)
    shown: bool = True


_REGION = IdColumn("region", (), ("所在区划", "Division"), ("所在区划", "Division"))
#: column -> how its ids are named; (query, column) overrides
ID_COLUMNS: dict[str | tuple[str, str], IdColumn] = {
    "helper_id": IdColumn("person", ("helper_name", "name"), ("帮扶人", "Helper")),
    "person_id": IdColumn("person", ("name",), ("姓名", "Name")),
    "household_id": IdColumn(
        "household", (), ("户主（户）", "Household (head)"), ("户主", "Head of household")
    ),
    "household_ids": IdColumn(
        "household", (), ("帮扶户（户主）", "Households (heads)"), ("户主", "Heads of household")
    ),
    "region_id": _REGION,
    ("work_team_coverage", "region_id"): IdColumn("region", ("name",), ("村（社区）", "Village")),
    ("head_adjustments", "region_id"): IdColumn(
        "region", (), _REGION.header, _REGION.name_header, shown=False
    ),
    "unit_id": IdColumn("region", ("unit_name",), ("单位", "Unit")),
    "township_id": IdColumn("region", ("township",), ("乡镇", "Township")),
    "site_id": IdColumn("site", ("site_name",), ("安置点", "Relocation site")),
    "org_id": IdColumn("organization", ("name",), ("党组织", "Organisation")),
    "current_org_ids": IdColumn(
        "organization",
        (),
        ("当前组织关系", "Current organisations"),
        ("当前组织关系（名称）", "Current organisations (names)"),
    ),
}
#: download headers of the code columns, where they differ from :data:`COLUMNS`
_CODE_HEADERS: dict[str, tuple[str, str]] = {
    "region_id": ("区划代码", "Division code"),
    "household_id": ("户编号", "Household id"),
    "household_ids": ("帮扶户编号", "Household ids"),
    "current_org_ids": ("当前组织关系（编号）", "Current organisations (ids)"),
}


def id_column(query: str, column: str) -> IdColumn | None:
    return ID_COLUMNS.get((query, column)) or ID_COLUMNS.get(column)


def ids_of(
    query: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> dict[str, set[str]]:
    """The ids of ``rows`` the look-up step must name, by kind (columns whose row holds no
    name for them, and every division, for the names above it)."""
    wanted: dict[str, set[str]] = {}
    specs = [(c, id_column(query, c)) for c in columns]
    named = [(c, s) for c, s in specs if s is not None and (s.kind == "region" or not s.companions)]
    for row in rows:
        for column, spec in named:
            value = row.get(column)
            values = value if isinstance(value, list) else [value]
            bucket = wanted.setdefault(spec.kind, set())
            bucket.update(str(v) for v in values if v is not None and v != "")
    return wanted


def region_text(names: Names, region_id: Any, *, with_self: bool = True) -> str:
    """A division's names from the top, space-separated (保山市 施甸县 摆榔乡 杨庄村); its code
    when it has no name in ``names``."""
    path = names.path(region_id)
    if not path:
        return "" if region_id is None else str(region_id)
    return " ".join(path if with_self else path[:-1])


def typed_value(column: str, value: Any, lang: str, query: str = "") -> Any:
    """A value as a cell of a download: dates stay dates, counts stay numbers, ids and codes
    become text (never a number Excel would write as 5.30521E+11), enumerations and booleans
    their words in ``lang``, lists joined by 、."""
    if value is None or value == "":
        return None
    if isinstance(value, list | tuple):
        return ("、" if lang == "zh" else ", ").join(
            str(typed_value(column, v, lang, query)) for v in value if v is not None
        )
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    if _is_code(column):
        return str(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    enum = _KINDS.get(query) if column == "kind" else _ENUMS.get(column)
    if enum is not None and isinstance(value, str) and value in enum:
        return enum[value][0] if lang == "zh" else value.replace("_", " ")
    return str(value)


def _is_code(column: str) -> bool:
    return column.endswith(("_id", "_ids", "_ref")) or column in ("component",)


def export_table(
    query: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    names: Names,
    lang: str,
) -> tuple[list[str], list[list[Any]], list[str]]:
    """A worklist as a reader's table: headers in ``lang``, and per row the typed cells
    (:func:`typed_value`), a column of names put before each column of ids that its row does
    not name (户主 before 户编号, 所在区划 before 区划代码); and per column its kind of cell:
    ``text`` (ids and codes: text cells), ``date``, ``number`` or ``value``."""
    i = 0 if lang == "zh" else 1
    headers: list[str] = []
    kinds: list[str] = []
    makers: list[Any] = []
    for column in columns:
        spec = id_column(query, column)
        if spec is not None and not spec.companions:
            headers.append(spec.name_header[i])
            kinds.append("value")
            makers.append(_namer(column, spec, names, lang))
        if spec is not None and not spec.companions and column in _CODE_HEADERS:
            headers.append(_CODE_HEADERS[column][i])
        else:
            headers.append(column_name(query, column, lang))
        kinds.append("text" if _is_code(column) else "value")
        makers.append(_typer(column, lang, query))
    out = []
    for row in rows:
        out.append([make(row) for make in makers])
    for k, kind in enumerate(kinds):
        if kind != "value":
            continue
        seen = {type(r[k]) for r in out if r[k] is not None}
        if seen and seen <= {dt.date}:
            kinds[k] = "date"
        elif seen and seen <= {int, float}:
            kinds[k] = "number"
    return headers, out, kinds


def _typer(column: str, lang: str, query: str) -> Any:
    return lambda row: typed_value(column, row.get(column), lang, query)


def _namer(column: str, spec: IdColumn, names: Names, lang: str) -> Any:
    sep = "、" if lang == "zh" else ", "

    def one(value: Any) -> str:
        if spec.kind == "region":
            return region_text(names, value)
        return names.name(spec.kind, value) or ""

    def make(row: Mapping[str, Any]) -> Any:
        value = row.get(column)
        if value is None or value == "":
            return None
        if isinstance(value, list):
            return sep.join(one(v) or str(v) for v in value) or None
        return one(value) or None

    return make


def heading(
    query: str,
    params: Mapping[str, Any],
    scope: str,
    lang: str,
    exported: dt.datetime,
) -> str:
    """The title row of a download: the worklist, its date (or year, and since when), the
    region it covers (``scope``: its names) and when it was exported."""
    zh = lang == "zh"
    names = WORKLISTS.get(query)
    parts = [names[0 if zh else 1] if names else query]
    for key, zh_word, en_word in (
        ("as_of", "截至 {}", "as of {}"),
        ("since", "自 {} 起", "since {}"),
        ("year", "{} 年度", "year {}"),
    ):
        value = params.get(key)
        if value is None or value == "":
            continue
        if key != "year":
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            value = fmt_date(day, lang)
        parts.append((zh_word if zh else en_word).format(value))
    parts.append(("范围：{}" if zh else "scope: {}").format(scope))
    stamp = exported.strftime("%Y-%m-%d %H:%M")
    parts.append(("导出时间：{}" if zh else "exported {}").format(stamp))
    return ("　" if zh else " · ").join(parts)
