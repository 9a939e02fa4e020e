"""Party organisations: the tree from 中共保山市委 down to village sub-branches, plus organ
branches, youth-talent branches, relocation-site organisations and temporary branches.

Ids are ``O`` + the 12-digit code of the organisation's region + a 3-digit serial.
"""

from __future__ import annotations

from generator.dates import D, add_months, rand_date
from generator.world import Org, World

__all__ = ["build_organizations", "CITY_UNITS", "COUNTY_UNITS"]

CITY_UNITS = (
    "市委办公室",
    "市政府办公室",
    "市委组织部",
    "市委宣传部",
    "市纪委监委机关",
    "市发展和改革委员会",
    "市财政局",
    "市教育体育局",
    "市卫生健康委员会",
    "市农业农村局",
    "市扶贫开发办公室",
    "市人力资源和社会保障局",
    "市住房和城乡建设局",
    "市交通运输局",
    "市水务局",
    "市林业和草原局",
    "市自然资源和规划局",
    "市生态环境局",
    "市商务局",
    "市民政局",
    "市统计局",
    "市审计局",
    "市公安局",
    "市司法局",
    "市文化和旅游局",
    "市市场监督管理局",
    "市退役军人事务局",
    "市应急管理局",
    "市医疗保障局",
    "市供销合作社",
)
COUNTY_UNITS = (
    "委办公室",
    "政府办公室",
    "委组织部",
    "委宣传部",
    "纪委监委机关",
    "发展和改革局",
    "财政局",
    "教育体育局",
    "卫生健康局",
    "农业农村局",
    "扶贫开发办公室",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "交通运输局",
    "水务局",
    "林业和草原局",
    "自然资源局",
    "民政局",
    "统计局",
    "公安局",
    "市场监督管理局",
    "供销合作社",
)

_OLD = D("1950-01-01")


def _county_unit_name(county_name: str, unit: str) -> str:
    """隆阳区 + 委组织部 → 隆阳区委组织部; 隆阳区 + 财政局 → 隆阳区财政局."""
    return county_name + unit


def build_organizations(world: World, params) -> None:
    """Make and write every organisation and fill the lookups of ``world``."""
    rng = world.rng
    city = world.add_org(
        Org(
            world.new_org_id(world.city_code),
            "中共保山市委员会",
            "committee",
            None,
            world.city_code,
            None,
            "other",
            D("1950-03-15"),
        )
    )
    world.city_committee = city.org_id
    for unit in CITY_UNITS:
        org = world.add_org(
            Org(
                world.new_org_id(world.city_code),
                f"保山{unit}机关党支部",
                "branch",
                city.org_id,
                world.city_code,
                None,
                "organ",
                rand_date(rng, D("1956-01-01"), D("2010-12-31")),
            )
        )
        world.city_organs.append(org.org_id)
        world.city_units.append(("保山" + unit, org.org_id))

    for county in world.counties:
        committee = world.add_org(
            Org(
                world.new_org_id(county.code),
                f"中共{county.name}委员会",
                "committee",
                city.org_id,
                county.code,
                None,
                "county",
                rand_date(rng, _OLD, D("1952-12-31")),
            )
        )
        world.county_committee.append(committee.org_id)
        organs: list[str] = []
        units: list[tuple[str, str]] = []
        for unit in COUNTY_UNITS:
            name = _county_unit_name(county.name, unit)
            org = world.add_org(
                Org(
                    world.new_org_id(county.code),
                    f"{name}机关党支部",
                    "branch",
                    committee.org_id,
                    county.code,
                    None,
                    "organ",
                    rand_date(rng, D("1956-01-01"), D("2010-12-31")),
                )
            )
            organs.append(org.org_id)
            units.append((name, org.org_id))
        world.county_organs.append(organs)
        world.organ_units.append(units)
        # temporary branches of migrant members working elsewhere (no members in the ledger)
        for place in params.migrant_destinations[: 1 + county.idx % 2]:
            founded = rand_date(rng, D("2017-03-01"), D("2019-06-30"))
            dissolved = None
            if rng.random() < 0.3:
                dissolved = rand_date(rng, add_months(founded, 12), D("2020-11-30"))
            world.add_org(
                Org(
                    world.new_org_id(county.code),
                    f"{county.name}驻{place}流动党员临时党支部",
                    "temporary_branch",
                    committee.org_id,
                    county.code,
                    None,
                    "other",
                    founded,
                    dissolved,
                )
            )

    world.township_committee = [""] * len(world.townships)
    world.township_organ = [""] * len(world.townships)
    world.youth_branch = [""] * len(world.townships)
    world.village_org = [""] * len(world.villages)
    world.village_units = [[] for _ in world.villages]
    for t in world.townships:
        county_committee = world.county_committee[t.county]
        if t.kind == "street":
            name, founded = (
                f"中共{t.name}工作委员会",
                rand_date(rng, D("1985-01-01"), D("2012-12-31")),
            )
        else:
            name, founded = f"中共{t.name}委员会", rand_date(rng, D("1984-01-01"), D("1988-12-31"))
        committee = world.add_org(
            Org(
                world.new_org_id(t.code),
                name,
                "committee",
                county_committee,
                t.code,
                None,
                "township",
                founded,
            )
        )
        world.township_committee[t.idx] = committee.org_id
        organ = world.add_org(
            Org(
                world.new_org_id(t.code),
                f"{t.name}机关党支部",
                "branch",
                committee.org_id,
                t.code,
                None,
                "organ",
                founded,
            )
        )
        world.township_organ[t.idx] = organ.org_id
        youth = world.add_org(
            Org(
                world.new_org_id(t.code),
                f"{t.name}青年人才党支部",
                "branch",
                committee.org_id,
                t.code,
                None,
                "youth_talent",
                rand_date(rng, D("2019-03-01"), D("2020-06-30")),
            )
        )
        world.youth_branch[t.idx] = youth.org_id
        for vi in t.villages:
            _village_orgs(world, vi, committee.org_id)

    _site_orgs(world, params)


def _village_orgs(world: World, vi: int, parent: str) -> None:
    rng = world.rng
    v = world.villages[vi]
    t = world.townships[v.township]
    r = rng.random()
    if v.level == "village":
        kind = "committee" if r < 0.1 else ("general_branch" if r < 0.65 else "branch")
        founded = rand_date(rng, D("1950-06-01"), D("1990-12-31"))
    else:
        kind = "committee" if r < 0.15 else ("general_branch" if r < 0.6 else "branch")
        founded = rand_date(rng, D("1985-01-01"), D("2015-12-31"))
    suffix = {"committee": "党委", "general_branch": "党总支", "branch": "党支部"}[kind]
    org = world.add_org(
        Org(
            world.new_org_id(v.code),
            f"{t.name}{v.name}{suffix}",
            kind,
            parent,
            v.code,
            None,
            v.level,
            founded,
        )
    )
    world.village_org[vi] = org.org_id
    units = [org.org_id] if kind == "branch" else []
    n_sub = {"committee": rng.randint(3, 6), "general_branch": rng.randint(2, 4), "branch": 0}[kind]
    labels = ("第一", "第二", "第三", "第四", "第五", "第六")
    for k in range(n_sub):
        sub = world.add_org(
            Org(
                world.new_org_id(v.code),
                f"{t.name}{v.name}{labels[k]}党支部",
                "branch",
                org.org_id,
                v.code,
                None,
                v.level,
                rand_date(rng, max(founded, D("1980-01-01")), D("2015-12-31")),
            )
        )
        units.append(sub.org_id)
    world.village_units[vi] = units


def _site_orgs(world: World, params) -> None:
    """Organisations at the largest sites and every township-level site (147 at any scale)."""
    rng = world.rng
    ranked = sorted(world.sites, key=lambda s: (s.village is not None, -s.planned, s.idx))
    with_org = ranked[: params.site_orgs]
    if any(s.village is None for s in ranked[params.site_orgs :]):
        raise ValueError("a township-level site has no organisation: raise site_orgs")
    for s in sorted(with_org, key=lambda s: s.idx):
        latest = D("2020-09-30")
        founded = rand_date(rng, s.opened_on, min(add_months(s.opened_on, 8), latest))
        kind = (
            "branch" if s.planned < 250 else ("general_branch" if s.planned < 600 else "committee")
        )
        suffix = {"committee": "党委", "general_branch": "党总支", "branch": "党支部"}[kind]
        org = world.add_org(
            Org(
                world.new_org_id(s.region),
                f"{s.name}{suffix}",
                kind,
                world.township_committee[s.township],
                s.region,
                s.site_id,
                "relocation_site",
                founded,
            )
        )
        s.org_id, s.org_founded = org.org_id, founded
    for s in world.sites:
        if s.org_id is None:
            assert s.village is not None
            s.local_org_id = world.rng.choice(world.village_units[s.village])
