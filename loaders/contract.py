"""The 15 files of the data contract (``shared/data-contract.md`` §1), declared once.

Each :class:`FileSpec` names its columns (English name, Chinese alias, cell type, required),
the columns that identify a row, the references it makes to other files and the pydantic
model that parses a row. Everything else (readers, validation, writing) is driven by these
declarations.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from loaders import fields as f

__all__ = ["Column", "FileSpec", "Reference", "SPECS", "LOAD_ORDER", "spec_for"]


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    type: Any
    required: bool = False
    default: Any = None


@dataclass(frozen=True)
class Reference:
    """``column`` holds an id of ``target`` (a file stem); ``levels`` restricts region levels."""

    column: str
    target: str
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileSpec:
    stem: str
    zh: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    #: the id column when the file defines nodes others refer to (None for link files)
    id_column: str | None = None
    #: the column referring to a row of the same file (parent), checked for cycles
    parent_column: str | None = None
    #: pairs (start, end) that must not end before they start
    intervals: tuple[tuple[str, str], ...] = ()
    #: the references to nodes that many rows share (an organisation's members, a village's
    #: households): each batch is written in their order, so that concurrent transactions
    #: take the locks of those dense nodes in the same order and do not deadlock
    lock_order: tuple[str, ...] = ()
    model: type[BaseModel] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        definitions: dict[str, Any] = {c.name: (c.type, None) for c in self.columns}
        model = create_model(
            f"{self.stem.title().replace('_', '')}Row",
            __config__=ConfigDict(extra="ignore"),
            **definitions,
        )
        object.__setattr__(self, "model", model)

    @functools.cached_property
    def date_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.type is f.Date)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

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


LEVELS = {
    "city": ("市", "地级市", "州"),
    "county": ("县", "区", "县级市", "县区", "县/区"),
    "township": ("乡镇", "乡", "镇", "街道", "乡/镇"),
    "village": ("村", "行政村"),
    "community": ("社区",),
}
ORG_KINDS = {
    "committee": ("党委",),
    "general_branch": ("党总支",),
    "branch": ("党支部",),
    "temporary_branch": ("临时党支部",),
}
SETTINGS = {
    "village": ("村",),
    "community": ("社区",),
    "township": ("乡镇",),
    "county": ("县",),
    "organ": ("机关",),
    "enterprise": ("企业",),
    "cooperative": ("合作社",),
    "relocation_site": ("安置点",),
    "youth_talent": ("青年人才",),
    "other": ("其他",),
}
GENDERS = {"M": ("男",), "F": ("女",)}
RELATIONS = {
    "head": ("户主",),
    "spouse": ("配偶",),
    "child": ("子女",),
    "parent": ("父母",),
    "grandchild": ("孙子女",),
    "other": ("其他",),
}
PARTY_STATUS = {"full": ("正式", "正式党员"), "probationary": ("预备", "预备党员")}
CAUSES = {
    "illness": ("因病",),
    "disability": ("因残",),
    "education": ("因学",),
    "disaster": ("因灾",),
    "lack_land": ("缺土地",),
    "lack_water": ("缺水",),
    "lack_skills": ("缺技术",),
    "lack_labor": ("缺劳力",),
    "lack_capital": ("缺资金",),
    "poor_transport": ("交通条件落后",),
    "lack_motivation": ("自身发展动力不足",),
    "other": ("其他",),
}
FORMS = {"one_to_one": ("一帮一",), "one_to_many": ("一帮多",), "many_to_one": ("多帮一",)}
TEAM_ROLES = {"first_secretary": ("第一书记",), "leader": ("队长",), "member": ("队员",)}
POSTS = {
    "party_secretary": ("书记", "党委书记"),
    "government_head": ("行政正职", "乡镇长", "县长", "区长", "市长", "乡长", "镇长"),
    "deputy": ("副职",),
    "village_secretary": ("村党组织书记",),
    "village_director": ("村委会主任",),
    "reserve_cadre": ("村级后备力量", "后备力量"),
    "seconded_cadre": ("挂职干部",),
    "census_chief": ("普查总队长",),
    "census_deputy": ("普查副组长",),
    "census_enumerator": ("普查员",),
    "census_instructor": ("普查指导员",),
    "census_auditor": ("数据审核验收员",),
    "other": ("其他",),
}
END_REASONS = {
    "promotion": ("提拔",),
    "adjustment": ("调整",),
    "discipline": ("违纪违法",),
    "retirement": ("退休",),
    "term_end": ("期满",),
    "other": ("其他",),
}
ENTERPRISE_KINDS = {
    "cooperative": ("合作社",),
    "company": ("公司",),
    "family_farm": ("家庭农场",),
    "workshop": ("扶贫车间",),
    "other": ("其他",),
}
WORKSHOP_TYPES = {"factory": ("厂房式",), "home_based": ("居家式",), "integrated": ("融合式",)}
LINKS = {
    "member": ("入社",),
    "employment": ("就业",),
    "dividend": ("分红",),
    "partner": ("合作",),
    "leader": ("领办人",),
    "public_welfare_post": ("公益性岗位",),
}
HONORS = {"top_ten_branch": ("十强支部",), "other": ("其他",)}
EVENTS = {
    "training": ("培训",),
    "phone_check": ("电话抽查",),
    "award": ("表彰",),
    "other": ("其他",),
}

VILLAGE_LEVELS = ("village", "community")

SPECS: dict[str, FileSpec] = {}


def _add(spec: FileSpec) -> None:
    SPECS[spec.stem] = spec


_add(
    FileSpec(
        "regions",
        "行政区划",
        (
            Column("region_id", "区划代码", f.Key, True),
            Column("name", "名称", f.Text, True),
            Column("level", "级别", f.Enum(LEVELS), True),
            Column("parent_id", "上级区划代码", f.Key),
            Column("poverty_listed", "是否贫困", f.Bool, default=False),
            Column("exited_on", "脱贫日期", f.Date),
        ),
        key=("region_id",),
        id_column="region_id",
        parent_column="parent_id",
        references=(Reference("parent_id", "regions"),),
    )
)
_add(
    FileSpec(
        "relocation_sites",
        "安置点",
        (
            Column("site_id", "安置点编号", f.Key, True),
            Column("name", "安置点名称", f.Text, True),
            Column("region_id", "所在区划代码", f.Key, True),
            Column("opened_on", "建成日期", f.Date),
            Column("planned_households", "规划安置户数", f.Int),
        ),
        key=("site_id",),
        id_column="site_id",
        lock_order=("region_id",),
        references=(Reference("region_id", "regions", ("township", "village", "community")),),
    )
)
_add(
    FileSpec(
        "organizations",
        "党组织",
        (
            Column("org_id", "党组织编号", f.Key, True),
            Column("name", "党组织名称", f.Text, True),
            Column("kind", "类型", f.Enum(ORG_KINDS), True),
            Column("parent_org_id", "上级党组织编号", f.Key),
            Column("region_id", "所在区划代码", f.Key),
            Column("site_id", "所在安置点编号", f.Key),
            Column("setting", "设置类型", f.Enum(SETTINGS), default="other"),
            Column("founded_on", "成立日期", f.Date),
            Column("dissolved_on", "撤销日期", f.Date),
        ),
        key=("org_id",),
        id_column="org_id",
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
            Column("household_id", "户编号", f.Key, True),
            Column("region_id", "所在村区划代码", f.Key, True),
            Column("size", "家庭人口数", f.Int, True),
            Column("registered_poor", "是否建档立卡", f.Bool, default=True),
            Column("registered_on", "识别日期", f.Date),
            Column("poverty_cause", "主要致贫原因", f.Enum(CAUSES)),
            Column("exited_on", "脱贫日期", f.Date),
            Column("industry_conditions", "有产业发展条件", f.Bool),
            Column("relocation_site_id", "安置点编号", f.Key),
            Column("relocated_on", "搬迁日期", f.Date),
        ),
        key=("household_id",),
        id_column="household_id",
        lock_order=("region_id", "relocation_site_id"),
        references=(
            Reference("region_id", "regions", VILLAGE_LEVELS),
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
            Column("person_id", "人员编号", f.Key, True),
            Column("name", "姓名", f.Text, True),
            Column("id_number", "身份证号", f.IdNumber),
            Column("gender", "性别", f.Enum(GENDERS)),
            Column("birth_date", "出生日期", f.Date),
            Column("phone", "联系电话", f.Text),
            Column("household_id", "户编号", f.Key),
            Column("relation", "与户主关系", f.Enum(RELATIONS)),
            Column("party_member", "是否党员", f.Bool, default=False),
            Column("party_joined_on", "入党日期", f.Date),
            Column("party_status", "党员类型", f.Enum(PARTY_STATUS)),
        ),
        key=("person_id",),
        id_column="person_id",
        references=(Reference("household_id", "households"),),
    )
)
_add(
    FileSpec(
        "memberships",
        "组织关系",
        (
            Column("person_id", "人员编号", f.Key, True),
            Column("org_id", "党组织编号", f.Key, True),
            Column("start_on", "转入日期", f.Date, True),
            Column("end_on", "转出日期", f.Date),
        ),
        key=("person_id", "org_id", "start_on"),
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
            Column("helper_id", "帮扶人编号", f.Key, True),
            Column("household_id", "帮扶户编号", f.Key, True),
            Column("start_on", "结对日期", f.Date, True),
            Column("end_on", "结束日期", f.Date),
            Column("declared_form", "帮扶形式", f.Enum(FORMS)),
            Column("measures", "帮扶措施", f.Text),
        ),
        key=("helper_id", "household_id", "start_on"),
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
            Column("team_id", "工作队编号", f.Key, True),
            Column("name", "名称", f.Text),
            Column("village_id", "驻村区划代码", f.Key, True),
            Column("dispatched_by", "派出单位", f.Text),
            Column("start_on", "进驻日期", f.Date, True),
            Column("end_on", "撤离日期", f.Date),
        ),
        key=("team_id",),
        id_column="team_id",
        lock_order=("village_id",),
        references=(Reference("village_id", "regions", VILLAGE_LEVELS),),
        intervals=(("start_on", "end_on"),),
    )
)
_add(
    FileSpec(
        "team_members",
        "工作队员",
        (
            Column("person_id", "人员编号", f.Key, True),
            Column("team_id", "工作队编号", f.Key, True),
            Column("role", "职务", f.Enum(TEAM_ROLES), True),
            Column("start_on", "开始日期", f.Date, True),
            Column("end_on", "结束日期", f.Date),
        ),
        key=("person_id", "team_id", "start_on"),
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
            Column("person_id", "人员编号", f.Key, True),
            Column("post", "职务", f.Enum(POSTS), True),
            Column("org_id", "党组织编号", f.Key),
            Column("region_id", "区划代码", f.Key),
            Column("place", "地点", f.Text),
            Column("start_on", "任职日期", f.Date, True),
            Column("end_on", "离任日期", f.Date),
            Column("end_reason", "离任原因", f.Enum(END_REASONS)),
            Column("approval_ref", "审批文号", f.Text),
        ),
        key=("person_id", "post", "org_id", "region_id", "place", "start_on"),
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
            Column("entity_id", "主体编号", f.Key, True),
            Column("name", "名称", f.Text, True),
            Column("kind", "类型", f.Enum(ENTERPRISE_KINDS), True),
            Column("region_id", "所在区划代码", f.Key, True),
            Column("workshop_type", "车间类型", f.Enum(WORKSHOP_TYPES)),
            Column("new_type", "新型经营主体", f.Bool),
            Column("led_by_org_id", "领办党组织编号", f.Key),
        ),
        key=("entity_id",),
        id_column="entity_id",
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
            Column("entity_id", "主体编号", f.Key, True),
            Column("household_id", "户编号", f.Key),
            Column("person_id", "人员编号", f.Key),
            Column("partner_entity_id", "合作主体编号", f.Key),
            Column("link", "联结方式", f.Enum(LINKS), True),
            Column("start_on", "开始日期", f.Date),
            Column("end_on", "结束日期", f.Date),
        ),
        key=("entity_id", "household_id", "person_id", "partner_entity_id", "link", "start_on"),
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
            Column("region_id", "区划代码", f.Key, True),
            Column("year", "年度", f.Year, True),
            Column("income_yuan", "收入", f.NonNegative, True),
        ),
        key=("region_id", "year"),
        lock_order=("region_id",),
        references=(Reference("region_id", "regions", VILLAGE_LEVELS),),
    )
)
_add(
    FileSpec(
        "org_assessments",
        "党组织考评",
        (
            Column("org_id", "党组织编号", f.Key, True),
            Column("year", "年度", f.Year, True),
            Column("weak", "软弱涣散", f.Bool),
            Column("weak_category", "软弱涣散类型", f.Text),
            Column("rectified_on", "整顿完成日期", f.Date),
            Column("standardized", "规范化达标", f.Bool),
            Column("honor", "荣誉", f.Enum(HONORS)),
        ),
        key=("org_id", "year"),
        lock_order=("org_id",),
        references=(Reference("org_id", "organizations"),),
    )
)
_add(
    FileSpec(
        "events",
        "事项",
        (
            Column("person_id", "人员编号", f.Key, True),
            Column("event", "事项", f.Enum(EVENTS), True),
            Column("on", "日期", f.Date, True),
            Column("detail", "说明", f.Text),
        ),
        key=("person_id", "event", "on", "detail"),
        lock_order=("person_id",),
        references=(Reference("person_id", "persons"),),
    )
)

#: Files in loading order: every reference points to a file loaded before (or to itself).
LOAD_ORDER: tuple[str, ...] = tuple(SPECS)


def spec_for(stem: str) -> FileSpec:
    return SPECS[stem]
