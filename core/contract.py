"""The 15 files of the data contract (``shared/data-contract.md`` §1 and §4), declared once.

Each :class:`FileSpec` names its columns (English name, Chinese alias, kind of cell, required,
default), the row key of §4, the references it makes to other files, and where its facts live
in the graph (``element``: a node label or a relationship type). The loader (cells, checks,
writes), the generator, the pages and the exports are driven by these declarations; nothing
here parses or writes anything.

A **fact** is what one row states: a node for a file with ids (``regions``, ``persons``...) or
without (``posts``, ``events``...: a node keyed by the row key), a relationship for the link
files (``memberships``, ``pairings``, ``team_members``, ``enterprise_links``). A fact *lies*
where its ``anchors`` lie: the entities its row names (a pairing where its household is); the
region rule is the API's (``queries/card.cypher``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core import vocabulary as v

__all__ = [
    "BOOL",
    "DATE",
    "ID_NUMBER",
    "INT",
    "KEY",
    "LOAD_ORDER",
    "NON_NEGATIVE",
    "SPECS",
    "TEXT",
    "YEAR",
    "Cell",
    "Column",
    "FileSpec",
    "Reference",
    "enum",
    "spec_for",
]


@dataclass(frozen=True)
class Cell:
    """The kind of a cell: how the loader reads it (``loaders/cells.py``)."""

    kind: str
    #: the enumeration's values (English → Chinese aliases), for ``kind == "enum"``
    values: Mapping[str, tuple[str, ...]] | None = field(default=None, compare=False)


KEY = Cell("key")  # an id or code: text, or an integral Excel number standing for its digits
TEXT = Cell("text")
DATE = Cell("date")
BOOL = Cell("bool")
INT = Cell("int")
NON_NEGATIVE = Cell("non_negative")
YEAR = Cell("year")
ID_NUMBER = Cell("id_number")  # 18-character resident id number (GB 11643)


def enum(values: Mapping[str, tuple[str, ...]]) -> Cell:
    """An enumeration cell: the English values or their Chinese aliases."""
    return Cell("enum", values)


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    type: Cell
    required: bool = False
    default: Any = None


@dataclass(frozen=True)
class Reference:
    """``column`` holds an id of ``target`` (a file stem); ``levels`` restricts region levels."""

    column: str
    target: str
    levels: tuple[str, ...] = ()


#: a part of a row key: a column, or alternatives of which the first non-empty one counts
KeyPart = str | tuple[str, ...]

_LABEL = re.compile(r"^[A-Z][A-Za-z]+$")
_TYPE = re.compile(r"^[A-Z][A-Z_]+$")


@dataclass(frozen=True)
class FileSpec:
    stem: str
    zh: str
    columns: tuple[Column, ...]
    #: the row key of §4: what identifies the fact a row states
    key: tuple[KeyPart, ...]
    #: the node label or relationship type that holds the fact
    element: str
    references: tuple[Reference, ...] = ()
    #: the id column when the file defines nodes others refer to (None for the other files)
    id_column: str | None = None
    #: the property of ``element`` holding the key (default: the id column, or ``fact_key``)
    key_property: str = ""
    #: the columns whose entities place the fact in a region (default: the id column)
    anchors: tuple[str, ...] = ()
    #: the column referring to a row of the same file (parent), checked for cycles
    parent_column: str | None = None
    #: pairs (start, end) that must not end before they start
    intervals: tuple[tuple[str, str], ...] = ()
    #: the references to nodes that many rows share (an organisation's members, a village's
    #: households): each batch is written in their order, so that concurrent transactions
    #: take the locks of those dense nodes in the same order and do not deadlock
    lock_order: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (_LABEL.match(self.element) or _TYPE.match(self.element)):
            raise ValueError(f"{self.stem}: {self.element!r} is not a label or type name")
        if not self.key_property:
            object.__setattr__(self, "key_property", self.id_column or "fact_key")
        if not self.anchors and self.id_column:
            object.__setattr__(self, "anchors", (self.id_column,))
        names = set(self.column_names)
        for part in self.key:
            for name in (part,) if isinstance(part, str) else part:
                if name not in names:
                    raise ValueError(f"{self.stem}: key column {name!r} is not a column")

    @functools.cached_property
    def relationship(self) -> bool:
        """Whether the facts are relationships (link files) rather than nodes."""
        return _TYPE.match(self.element) is not None

    @functools.cached_property
    def date_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.type is DATE)

    @functools.cached_property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @functools.cached_property
    def key_columns(self) -> tuple[str, ...]:
        """Every column that takes part in the key (alternatives included)."""
        out: list[str] = []
        for part in self.key:
            out.extend((part,) if isinstance(part, str) else part)
        return tuple(out)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def header_lookup(self) -> Mapping[str, str]:
        """Header text (English or Chinese, any case) → column name."""
        lookup: dict[str, str] = {}
        for c in self.columns:
            lookup[c.name.lower()] = c.name
            lookup[c.zh.lower()] = c.name
        return lookup

    def target(self, column: str) -> str | None:
        """The file stem a column refers to (None when it refers to nothing)."""
        return self._targets.get(column)

    @functools.cached_property
    def _targets(self) -> Mapping[str, str]:
        out: dict[str, str] = {}
        for ref in self.references:
            out.setdefault(ref.column, ref.target)
        return out


SPECS: dict[str, FileSpec] = {}


def _add(spec: FileSpec) -> None:
    SPECS[spec.stem] = spec


_add(
    FileSpec(
        "regions",
        "行政区划",
        (
            Column("region_id", "区划代码", KEY, True),
            Column("name", "名称", TEXT, True),
            Column("level", "级别", enum(v.LEVELS), True),
            Column("parent_id", "上级区划代码", KEY),
            Column("poverty_listed", "是否贫困", BOOL, default=False),
            Column("exited_on", "脱贫日期", DATE),
        ),
        key=("region_id",),
        id_column="region_id",
        element="Region",
        parent_column="parent_id",
        references=(Reference("parent_id", "regions"),),
    )
)
_add(
    FileSpec(
        "relocation_sites",
        "安置点",
        (
            Column("site_id", "安置点编号", KEY, True),
            Column("name", "安置点名称", TEXT, True),
            Column("region_id", "所在区划代码", KEY, True),
            Column("opened_on", "建成日期", DATE),
            Column("planned_households", "规划安置户数", INT),
        ),
        key=("site_id",),
        id_column="site_id",
        element="RelocationSite",
        lock_order=("region_id",),
        references=(Reference("region_id", "regions", ("township", "village", "community")),),
    )
)
_add(
    FileSpec(
        "organizations",
        "党组织",
        (
            Column("org_id", "党组织编号", KEY, True),
            Column("name", "党组织名称", TEXT, True),
            Column("kind", "类型", enum(v.ORG_KINDS), True),
            Column("parent_org_id", "上级党组织编号", KEY),
            Column("region_id", "所在区划代码", KEY),
            Column("site_id", "所在安置点编号", KEY),
            Column("setting", "设置类型", enum(v.SETTINGS), default="other"),
            Column("founded_on", "成立日期", DATE),
            Column("dissolved_on", "撤销日期", DATE),
        ),
        key=("org_id",),
        id_column="org_id",
        element="Organization",
        parent_column="parent_org_id",
        references=(
            Reference("parent_org_id", "organizations"),
            Reference("region_id", "regions"),
            Reference("site_id", "relocation_sites"),
        ),
        intervals=(("founded_on", "dissolved_on"),),
    )
)
_add(
    FileSpec(
        "households",
        "贫困户",
        (
            Column("household_id", "户编号", KEY, True),
            Column("region_id", "所在村区划代码", KEY, True),
            Column("size", "家庭人口数", INT, True),
            Column("registered_poor", "是否建档立卡", BOOL, default=True),
            Column("registered_on", "识别日期", DATE),
            Column("poverty_cause", "主要致贫原因", enum(v.CAUSES)),
            Column("exited_on", "脱贫日期", DATE),
            Column("industry_conditions", "有产业发展条件", BOOL),
            Column("relocation_site_id", "安置点编号", KEY),
            Column("relocated_on", "搬迁日期", DATE),
        ),
        key=("household_id",),
        id_column="household_id",
        element="Household",
        lock_order=("region_id", "relocation_site_id"),
        references=(
            Reference("region_id", "regions", v.VILLAGE_LEVELS),
            Reference("relocation_site_id", "relocation_sites"),
        ),
        intervals=(("registered_on", "exited_on"),),
    )
)
_add(
    FileSpec(
        "persons",
        "人员",
        (
            Column("person_id", "人员编号", KEY, True),
            Column("name", "姓名", TEXT, True),
            Column("id_number", "身份证号", ID_NUMBER),
            Column("gender", "性别", enum(v.GENDERS)),
            Column("birth_date", "出生日期", DATE),
            Column("phone", "联系电话", TEXT),
            Column("household_id", "户编号", KEY),
            Column("relation", "与户主关系", enum(v.RELATIONS)),
            Column("party_member", "是否党员", BOOL, default=False),
            Column("party_joined_on", "入党日期", DATE),
            Column("party_status", "党员类型", enum(v.PARTY_STATUS)),
        ),
        key=("person_id",),
        id_column="person_id",
        element="Person",
        references=(Reference("household_id", "households"),),
    )
)
_add(
    FileSpec(
        "memberships",
        "组织关系",
        (
            Column("person_id", "人员编号", KEY, True),
            Column("org_id", "党组织编号", KEY, True),
            Column("start_on", "转入日期", DATE, True),
            Column("end_on", "转出日期", DATE),
        ),
        key=("person_id", "org_id", "start_on"),
        element="MEMBER_OF",
        anchors=("org_id",),
        lock_order=("org_id",),
        references=(Reference("person_id", "persons"), Reference("org_id", "organizations")),
        intervals=(("start_on", "end_on"),),
    )
)
_add(
    FileSpec(
        "pairings",
        "结对帮扶",
        (
            Column("helper_id", "帮扶人编号", KEY, True),
            Column("household_id", "帮扶户编号", KEY, True),
            Column("start_on", "结对日期", DATE, True),
            Column("end_on", "结束日期", DATE),
            Column("declared_form", "帮扶形式", enum(v.FORMS)),
            Column("measures", "帮扶措施", TEXT),
        ),
        key=("helper_id", "household_id", "start_on"),
        element="HELPS",
        anchors=("household_id",),
        lock_order=("helper_id",),
        references=(Reference("helper_id", "persons"), Reference("household_id", "households")),
        intervals=(("start_on", "end_on"),),
    )
)
_add(
    FileSpec(
        "work_teams",
        "驻村工作队",
        (
            Column("team_id", "工作队编号", KEY, True),
            Column("name", "名称", TEXT),
            Column("village_id", "驻村区划代码", KEY, True),
            Column("dispatched_by", "派出单位", TEXT),
            Column("start_on", "进驻日期", DATE, True),
            Column("end_on", "撤离日期", DATE),
        ),
        key=("team_id",),
        id_column="team_id",
        element="WorkTeam",
        lock_order=("village_id",),
        references=(Reference("village_id", "regions", v.VILLAGE_LEVELS),),
        intervals=(("start_on", "end_on"),),
    )
)
_add(
    FileSpec(
        "team_members",
        "工作队员",
        (
            Column("person_id", "人员编号", KEY, True),
            Column("team_id", "工作队编号", KEY, True),
            Column("role", "职务", enum(v.TEAM_ROLES), True),
            Column("start_on", "开始日期", DATE, True),
            Column("end_on", "结束日期", DATE),
        ),
        key=("person_id", "team_id", "role", "start_on"),
        element="SERVES_ON",
        anchors=("team_id",),
        lock_order=("team_id",),
        references=(Reference("person_id", "persons"), Reference("team_id", "work_teams")),
        intervals=(("start_on", "end_on"),),
    )
)
_add(
    FileSpec(
        "posts",
        "职务",
        (
            Column("person_id", "人员编号", KEY, True),
            Column("post", "职务", enum(v.POSTS), True),
            Column("org_id", "党组织编号", KEY),
            Column("region_id", "区划代码", KEY),
            Column("place", "地点", TEXT),
            Column("start_on", "任职日期", DATE, True),
            Column("end_on", "离任日期", DATE),
            Column("end_reason", "离任原因", enum(v.END_REASONS)),
            Column("approval_ref", "审批文号", TEXT),
        ),
        key=("person_id", "post", ("org_id", "region_id", "place"), "start_on"),
        element="Post",
        key_property="post_key",
        anchors=("region_id", "org_id", "person_id"),
        lock_order=("org_id", "region_id"),
        references=(
            Reference("person_id", "persons"),
            Reference("org_id", "organizations"),
            Reference("region_id", "regions"),
        ),
        intervals=(("start_on", "end_on"),),
    )
)
_add(
    FileSpec(
        "enterprises",
        "经营主体",
        (
            Column("entity_id", "主体编号", KEY, True),
            Column("name", "名称", TEXT, True),
            Column("kind", "类型", enum(v.ENTERPRISE_KINDS), True),
            Column("region_id", "所在区划代码", KEY, True),
            Column("workshop_type", "车间类型", enum(v.WORKSHOP_TYPES)),
            Column("new_type", "新型经营主体", BOOL),
            Column("led_by_org_id", "领办党组织编号", KEY),
        ),
        key=("entity_id",),
        id_column="entity_id",
        element="Enterprise",
        lock_order=("region_id", "led_by_org_id"),
        references=(
            Reference("region_id", "regions"),
            Reference("led_by_org_id", "organizations"),
        ),
    )
)
_add(
    FileSpec(
        "enterprise_links",
        "利益联结",
        (
            Column("entity_id", "主体编号", KEY, True),
            Column("household_id", "户编号", KEY),
            Column("person_id", "人员编号", KEY),
            Column("partner_entity_id", "合作主体编号", KEY),
            Column("link", "联结方式", enum(v.LINKS), True),
            Column("start_on", "开始日期", DATE),
            Column("end_on", "结束日期", DATE),
        ),
        key=("entity_id", ("household_id", "person_id", "partner_entity_id"), "link", "start_on"),
        element="LINKS",
        anchors=("entity_id",),
        lock_order=("entity_id",),
        references=(
            Reference("entity_id", "enterprises"),
            Reference("household_id", "households"),
            Reference("person_id", "persons"),
            Reference("partner_entity_id", "enterprises"),
        ),
        intervals=(("start_on", "end_on"),),
    )
)
_add(
    FileSpec(
        "collective_income",
        "村级集体经济收入",
        (
            Column("region_id", "区划代码", KEY, True),
            Column("year", "年度", YEAR, True),
            Column("income_yuan", "收入", NON_NEGATIVE, True),
        ),
        key=("region_id", "year"),
        element="CollectiveIncome",
        key_property="income_key",
        anchors=("region_id",),
        lock_order=("region_id",),
        references=(Reference("region_id", "regions", v.VILLAGE_LEVELS),),
    )
)
_add(
    FileSpec(
        "org_assessments",
        "党组织考评",
        (
            Column("org_id", "党组织编号", KEY, True),
            Column("year", "年度", YEAR, True),
            Column("weak", "软弱涣散", BOOL),
            Column("weak_category", "软弱涣散类型", TEXT),
            Column("rectified_on", "整顿完成日期", DATE),
            Column("standardized", "规范化达标", BOOL),
            Column("honor", "荣誉", enum(v.HONORS)),
        ),
        key=("org_id", "year"),
        element="Assessment",
        key_property="assessment_key",
        anchors=("org_id",),
        lock_order=("org_id",),
        references=(Reference("org_id", "organizations"),),
    )
)
_add(
    FileSpec(
        "events",
        "事项",
        (
            Column("person_id", "人员编号", KEY, True),
            Column("event", "事项", enum(v.EVENTS), True),
            Column("on", "日期", DATE, True),
            Column("detail", "说明", TEXT),
        ),
        key=("person_id", "event", "on", "detail"),
        element="Event",
        key_property="event_key",
        anchors=("person_id",),
        lock_order=("person_id",),
        references=(Reference("person_id", "persons"),),
    )
)

#: Files in loading order: every reference points to a file loaded before (or to itself).
LOAD_ORDER: tuple[str, ...] = tuple(SPECS)


def spec_for(stem: str) -> FileSpec:
    return SPECS[stem]
