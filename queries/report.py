"""The seed-style figures (``shared/domain.md``) computed from the graph as of a date.

Each figure's definition is in ``docs/calibration.md``; the Cypher is in ``queries/report/``
and in the named queries the figures count (e.g. ``unassigned_relocated_members``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import neo4j

from queries.answers import storable
from queries.runner import run

__all__ = ["Figure", "FIGURES", "compute"]

SINCE = dt.date(2016, 1, 1)
RECENT = dt.date(2019, 1, 1)


@storable
@dataclass(frozen=True)
class Figure:
    key: str
    zh: str
    en: str
    #: the value the seed article states for Baoshan at the end of 2020
    seed: float | int | None
    value: float | int | None = None


FIGURES: tuple[Figure, ...] = (
    Figure("counties", "县（市、区）", "counties", 5),
    Figure("townships", "乡镇（街道）", "townships", 75),
    Figure("villages", "村（社区）", "villages and communities", 950),
    Figure("work_teams", "驻村工作队", "village work teams", 413),
    Figure("team_members", "驻村工作队员", "work-team members", 1466),
    Figure(
        "uncovered_poor_villages",
        "无驻村工作队的贫困村",
        "poverty-listed villages without a team",
        0,
    ),
    Figure("sites", "易地扶贫搬迁安置点", "relocation sites", 223),
    Figure("site_organizations", "安置点单独成立党组织", "party organisations at sites", 147),
    Figure("relocated_members", "搬迁党员", "relocated party members", 2706),
    Figure(
        "unassigned_relocated_members", "搬迁党员未编入党组织", "relocated members not placed", 0
    ),
    Figure(
        "weak_previous_year",
        "软弱涣散基层党组织（上年）",
        "weak organisations (previous year)",
        106,
    ),
    Figure("weak_year", "软弱涣散基层党组织（本年）", "weak organisations (this year)", 82),
    Figure("rectification_plans", "整改方案（上年）", "rectification plans (previous year)", 106),
    Figure(
        "income_50k",
        "集体经济收入 5 万元以上的村（上年）",
        "villages with income ≥ 50k (previous year)",
        950,
    ),
    Figure(
        "income_500k",
        "集体经济收入 50 万元以上的村（上年）",
        "villages with income ≥ 500k (previous year)",
        37,
    ),
    Figure(
        "income_total",
        "村级集体经济总收入（元，上年）",
        "total collective income (yuan, previous year)",
        126_000_000,
    ),
    Figure(
        "industry_households",
        "主体带动有产业发展条件的贫困户（户）",
        "households with industry conditions linked",
        90_866,
    ),
    Figure(
        "industry_persons",
        "主体带动有产业发展条件的贫困人口（人）",
        "persons in those households",
        373_043,
    ),
    Figure(
        "industry_new_type_share",
        "新型经营主体带动率（%）",
        "share linked to new-type entities (%)",
        96.6,
    ),
    Figure("poor_member_households", "未脱贫党员户", "poor party-member households", 104),
    Figure("poor_members", "未脱贫党员", "poor party members", 109),
    Figure("youth_talent_branches", "青年人才党支部", "youth-talent branches", 75),
    Figure("reserve_cadres", "村级后备力量", "reserve cadres", 3199),
    Figure("trained", "参加能力素质提升培训（本年）", "cadres trained (this year)", 665),
    Figure(
        "township_heads_adjusted",
        "调整贫困乡镇党政正职（2016 年以来）",
        "poor-township heads adjusted since 2016",
        23,
    ),
    Figure(
        "township_heads_after_exit", "其中脱贫出列半年以上", "of them ≥ 6 months after exit", 13
    ),
    Figure("township_heads_recent", "其中 2019 年以来", "of them since 2019", 18),
    Figure(
        "head_adjustment_violations", "违反“不脱贫不调整”的调整", "head adjustments in violation", 0
    ),
    Figure(
        "county_heads_adjusted",
        "调整贫困县党政正职（2016 年以来）",
        "poor-county heads adjusted since 2016",
        1,
    ),
    Figure(
        "promoted_from_poor_counties",
        "从贫困县提拔使用干部（2016 年以来）",
        "cadres promoted from poor counties since 2016",
        117,
    ),
    Figure("promoted_from_township_heads", "其中从乡镇党政正职提拔", "of them township heads", 31),
    Figure("promoted_from_team_members", "其中从驻村工作队员提拔", "of them work-team members", 10),
    Figure(
        "promoted_recent",
        "提拔使用脱贫攻坚实绩突出干部（2019 年以来）",
        "cadres promoted since 2019",
        454,
    ),
    Figure("seconded_in", "上海闵行区选派挂职干部", "seconded Shanghai Minhang → Baoshan", 11),
    Figure("seconded_out", "向上海选派挂职干部", "seconded Baoshan → Shanghai", 30),
    Figure(
        "phone_checked",
        "电话抽查工作队员（本年）",
        "work-team members phone-checked (this year)",
        56,
    ),
    Figure("census_chief", "普查总队长", "census chiefs", 4),
    Figure("census_deputy", "普查副组长", "census deputies", 8),
    Figure("census_enumerator", "普查员", "census enumerators", 707),
    Figure("census_instructor", "普查指导员", "census instructors", 114),
    Figure("census_auditor", "数据审核验收员", "census auditors", 20),
    Figure("top_ten_branches", "十强支部（本年）", "top-ten branches (this year)", 10),
    Figure("top_ten_secretaries", "十佳支书（本年）", "top-ten secretaries (this year)", 10),
    Figure(
        "good_secretaries", "省级百名好支书（本年）", "provincial good secretaries (this year)", 7
    ),
)


def compute(driver: neo4j.Driver, database: str, as_of: dt.date) -> list[Figure]:
    """Every figure of :data:`FIGURES` from the graph as of ``as_of``."""
    values: dict[str, Any] = {}

    def one(name: str, **params: Any) -> dict[str, Any]:
        _, rows = run(driver, database, name, params)
        return rows[0]

    def rows(name: str, **params: Any) -> list[dict[str, Any]]:
        return run(driver, database, name, params)[1]

    values.update(one("report/divisions"))
    teams = one("report/work_teams", as_of=as_of)
    values["work_teams"], values["team_members"] = teams["teams"], teams["members"]
    values["uncovered_poor_villages"] = len(rows("work_team_coverage", as_of=as_of))
    values.update(one("report/relocation", as_of=as_of))
    values["unassigned_relocated_members"] = len(rows("unassigned_relocated_members", as_of=as_of))
    assessed = one("report/assessments", year=as_of.year)
    values["rectification_plans"] = assessed.pop("rectification_plans_previous_year")
    values.update(assessed)
    income = rows("collective_income_tiers", year=as_of.year - 1)
    values["income_50k"] = sum(r["at_least_50k"] for r in income)
    values["income_500k"] = sum(r["at_least_500k"] for r in income)
    values["income_total"] = sum(r["total_income"] for r in income)
    industry = rows("industry_coverage", as_of=as_of)
    linked = sum(r["linked_households"] for r in industry)
    values["industry_households"] = linked
    values["industry_persons"] = sum(r["linked_persons"] for r in industry)
    new_type = sum(r["new_type_households"] for r in industry)
    values["industry_new_type_share"] = round(100 * new_type / linked, 1) if linked else None
    poor = rows("poor_party_members", as_of=as_of)
    values["poor_members"] = len({r["person_id"] for r in poor})
    values["poor_member_households"] = len({r["household_id"] for r in poor})
    values.update(one("report/cadres", as_of=as_of, since=SINCE))
    heads = rows("head_adjustments", as_of=as_of, since=SINCE)
    towns = [r for r in heads if r["unit_level"] == "township"]
    values["township_heads_adjusted"] = len(towns)
    values["township_heads_after_exit"] = sum(1 for r in towns if r["six_months_after_exit"])
    values["township_heads_recent"] = sum(1 for r in towns if r["end_on"] >= RECENT)
    values["head_adjustment_violations"] = sum(1 for r in heads if r["status"] == "violation")
    values["county_heads_adjusted"] = sum(1 for r in heads if r["unit_level"] == "county")
    promoted = one("report/promotions", as_of=as_of, since=SINCE, recent=RECENT)
    values["promoted_from_poor_counties"] = promoted["from_poor_counties"]
    values["promoted_from_township_heads"] = promoted["from_township_heads"]
    values["promoted_from_team_members"] = promoted["from_team_members"]
    values["promoted_recent"] = promoted["since_recent"]
    return [Figure(f.key, f.zh, f.en, f.seed, _number(f, values[f.key])) for f in FIGURES]


def _number(figure: Figure, value: Any) -> Any:
    """Counts and sums of yuan as int; shares (a float seed) stay float."""
    if isinstance(value, float) and value.is_integer() and not isinstance(figure.seed, float):
        return int(value)
    return value
