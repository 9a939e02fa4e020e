"""Business entities (经营主体) and village collective income (村级集体经济).

Entities: cooperatives and family farms in villages, companies in townships, poverty-alleviation
workshops (扶贫车间) near relocation sites, and one public-welfare-post employer per township.
Ids are ``E`` + county code (6) + a 4-digit serial. Entities are fixed at every scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.dates import D, rand_date
from generator.names import PRODUCTS
from generator.sink import F, T
from generator.world import World

__all__ = ["Entity", "Economy", "build_enterprises", "write_collective_income"]

_BRANDS = (
    "高黎贡",
    "永昌",
    "怒江",
    "澜沧",
    "龙江",
    "博南",
    "兰城",
    "腾越",
    "极边",
    "滇西",
    "瑞丰",
    "金鸡",
    "昌源",
    "施乐",
    "龙陵",
    "黄草坝",
    "小粒",
    "佛光",
    "云岭",
    "绿源",
    "润农",
    "华坪",
    "丰禾",
    "益农",
)
_COMPANY_KINDS = ("农业开发", "食品", "农业科技", "生物科技", "农产品加工", "茶业", "畜牧")


@dataclass
class Entity:
    idx: int
    entity_id: str
    kind: str
    new_type: bool
    county: int
    township: int
    village: int | None
    region: str


@dataclass
class Economy:
    entities: list[Entity] = field(default_factory=list)
    # per village / township / county: indices of new-type and other entities
    new_in_village: list[list[int]] = field(default_factory=list)
    new_in_township: list[list[int]] = field(default_factory=list)
    new_in_county: list[list[int]] = field(default_factory=list)
    old_in_township: list[list[int]] = field(default_factory=list)
    workshops_in_township: list[list[int]] = field(default_factory=list)
    coops_in_village: list[list[int]] = field(default_factory=list)
    farms_in_village: list[list[int]] = field(default_factory=list)
    companies_in_county: list[list[int]] = field(default_factory=list)
    led_coops: set[int] = field(default_factory=set)
    names: dict[int, str] = field(default_factory=dict)


def build_enterprises(world: World, params) -> Economy:
    """Make and write the entities; return the lookups the household links use."""
    rng = world.rng
    eco = Economy(
        new_in_village=[[] for _ in world.villages],
        new_in_township=[[] for _ in world.townships],
        new_in_county=[[] for _ in world.counties],
        old_in_township=[[] for _ in world.townships],
        workshops_in_township=[[] for _ in world.townships],
        coops_in_village=[[] for _ in world.villages],
        farms_in_village=[[] for _ in world.villages],
        companies_in_county=[[] for _ in world.counties],
    )
    emit = world.emit["enterprises"]
    serial = [0] * len(world.counties)
    used_names: set[str] = set()
    names = eco.names

    def add(
        kind: str,
        name: str,
        new_type: bool,
        township: int,
        village: int | None,
        region: str,
        workshop_type: str | None = None,
        led_by: str | None = None,
    ) -> Entity:
        t = world.townships[township]
        serial[t.county] += 1
        county = world.counties[t.county]
        ent = Entity(
            len(eco.entities),
            f"E{county.code6}{serial[t.county]:04d}",
            kind,
            new_type,
            t.county,
            township,
            village,
            region,
        )
        eco.entities.append(ent)
        names[ent.idx] = name
        emit((ent.entity_id, name, kind, region, workshop_type, T if new_type else F, led_by))
        if new_type:
            if village is not None:
                eco.new_in_village[village].append(ent.idx)
            eco.new_in_township[township].append(ent.idx)
            eco.new_in_county[t.county].append(ent.idx)
        else:
            eco.old_in_township[township].append(ent.idx)
        return ent

    for county in world.counties:
        # companies: leading enterprises (new type) and ordinary ones, in towns and streets
        towns = [world.townships[ti] for ti in county.townships]
        weights = [
            3.0 if t.kind == "street" or t.name in params.county_seats else 1.0 for t in towns
        ]
        n_companies = rng.randint(*params.companies_per_county)
        for k in range(n_companies):
            t = rng.choices(towns, weights=weights)[0]
            while True:
                product = rng.choice(PRODUCTS)
                name = f"保山{rng.choice(_BRANDS)}{product}{rng.choice(_COMPANY_KINDS)}有限公司"
                if name not in used_names:
                    used_names.add(name)
                    break
            new_type = k < 4 or rng.random() < params.company_new_type_share
            ent = add("company", name, new_type, t.idx, None, t.code)
            eco.companies_in_county[county.idx].append(ent.idx)

        for ti in county.townships:
            t = world.townships[ti]
            add("other", f"{t.name}乡村公益性岗位管理站", False, ti, None, t.code)
            for vi in t.villages:
                v = world.villages[vi]
                short = v.name.removesuffix("社区").removesuffix("村")
                if v.level == "village":
                    n_coops = rng.choices((0, 1, 2, 3, 4), weights=(10, 30, 35, 18, 7))[0]
                    n_farms = rng.choices((0, 1, 2), weights=(55, 35, 10))[0]
                else:
                    n_coops = rng.choices((0, 1), weights=(60, 40))[0]
                    n_farms = 0
                for product in rng.sample(PRODUCTS, n_coops):
                    trade = (
                        "养殖" if product in ("肉牛", "生猪", "黑山羊", "土鸡", "蜂蜜") else "种植"
                    )
                    led = None
                    if rng.random() < params.coop_led_share:
                        led = world.village_org[vi]
                    ent = add(
                        "cooperative",
                        f"{county.name}{short}{product}{trade}专业合作社",
                        rng.random() < 0.97,
                        ti,
                        vi,
                        v.code,
                        led_by=led,
                    )
                    eco.coops_in_village[vi].append(ent.idx)
                    if led:
                        eco.led_coops.add(ent.idx)
                for k, product in enumerate(rng.sample(PRODUCTS, n_farms)):
                    ent = add(
                        "family_farm",
                        f"{county.name}{short}{product}家庭农场{'' if k == 0 else '二场'}",
                        True,
                        ti,
                        vi,
                        v.code,
                    )
                    eco.farms_in_village[vi].append(ent.idx)

    # workshops: near relocation sites, and some in villages
    for s in world.sites:
        if rng.random() >= params.site_workshop_share:
            continue
        wtype = rng.choices(("factory", "home_based", "integrated"), weights=(45, 30, 25))[0]
        led = s.org_id if (s.org_id and rng.random() < 0.3) else None
        product = rng.choice(
            (
                "服装加工",
                "电子组装",
                "竹编",
                "藤编",
                "食品加工",
                "刺绣",
                "咖啡初加工",
                "茶叶加工",
                "手工编织",
            )
        )
        ent = add(
            "workshop",
            f"{s.name.removesuffix('安置点')}{product}扶贫车间",
            False,
            s.township,
            s.village,
            s.region,
            workshop_type=wtype,
            led_by=led,
        )
        eco.workshops_in_township[s.township].append(ent.idx)
    for _ in range(params.village_workshops):
        v = world.villages[rng.randrange(len(world.villages))]
        wtype = rng.choices(("factory", "home_based", "integrated"), weights=(30, 45, 25))[0]
        product = rng.choice(("竹编", "刺绣", "食品加工", "服装加工", "手工编织", "中药材初加工"))
        name = f"{world.townships[v.township].name}{v.name}{product}扶贫车间"
        if name in used_names:
            continue
        used_names.add(name)
        ent = add("workshop", name, False, v.township, v.idx, v.code, workshop_type=wtype)
        eco.workshops_in_township[v.township].append(ent.idx)
    return eco


def build_entity_branches(world: World, eco: Economy, params) -> None:
    """Party branches set up in cooperatives and companies (党支部建在产业链上), with members."""
    from generator.world import Org

    rng = world.rng
    people = world.people
    coops = [e for e in eco.entities if e.kind == "cooperative" and e.new_type]
    companies = [e for e in eco.entities if e.kind == "company" and e.new_type]
    names = eco.names
    chosen = [(e, "cooperative") for e in rng.sample(coops, params.cooperative_branches)] + [
        (e, "enterprise") for e in rng.sample(companies, params.company_branches)
    ]
    for ent, setting in sorted(chosen, key=lambda x: x[0].idx):
        founded = rand_date(rng, D("2012-01-01"), D("2019-12-31"))
        org = world.add_org(
            Org(
                world.new_org_id(ent.region),
                f"{names[ent.idx]}党支部",
                "branch",
                world.township_committee[ent.township],
                ent.region,
                None,
                setting,
                founded,
            )
        )
        county6 = world.counties[ent.county].code6
        for _ in range(rng.randint(3, 9)):
            pid = people.new_id()
            birth = people.birth(1962, 1996)
            joined = people.joined(birth)
            people.write(pid, county6, "M" if rng.random() < 0.65 else "F", birth, joined=joined)
            world.member(pid, org.org_id, max(joined, founded))


def write_partner_links(world: World, eco: Economy) -> None:
    """Cooperatives partnering with companies of their county (合作社 + 公司)."""
    rng = world.rng
    emit = world.emit["enterprise_links"]
    for ent in eco.entities:
        if ent.kind != "cooperative" or rng.random() >= 0.3:
            continue
        companies = eco.companies_in_county[ent.county]
        partner = eco.entities[rng.choice(companies)]
        start = rand_date(rng, D("2015-06-01"), D("2020-09-30"))
        end = None
        if rng.random() < 0.1:
            end = rand_date(rng, D("2020-10-01"), D("2020-12-20"))
        emit((ent.entity_id, None, None, partner.entity_id, "partner", start, end))


def write_collective_income(world: World, params) -> None:
    """Income per village and community for 2016-2020; 2019 matches the seed exactly."""
    rng = world.rng
    n = len(world.villages)
    lo, hi_min = params.income_floor_2019, params.income_high_2019
    # the 37 richest: mostly communities and villages of county seats
    keyed = []
    for v in world.villages:
        t = world.townships[v.township]
        w = 4.0 if v.level == "community" else (2.0 if t.name in params.county_seats else 1.0)
        keyed.append((rng.random() ** (1.0 / w), v.idx))
    keyed.sort(reverse=True)
    rich = {vi for _, vi in keyed[: params.income_high_count_2019]}
    values = [0] * n
    for vi in range(n):
        if vi in rich:
            values[vi] = int(hi_min + rng.lognormvariate(12.4, 0.8))
        else:
            values[vi] = int(min(hi_min - 1, max(lo, rng.lognormvariate(11.45, 0.45))))
    rest = [vi for vi in range(n) if vi not in rich]
    target_rest = params.income_total_2019 - sum(values[vi] for vi in rich)
    for _ in range(50):
        total = sum(values[vi] for vi in rest)
        if total == target_rest:
            break
        factor = target_rest / total
        for vi in rest:
            values[vi] = int(min(hi_min - 1, max(lo, round(values[vi] * factor))))
    diff = target_rest - sum(values[vi] for vi in rest)
    order = list(rest)
    rng.shuffle(order)
    k = 0
    while diff != 0:
        vi = order[k % len(order)]
        step = 1 if diff > 0 else -1
        room = (hi_min - 1 - values[vi]) if step > 0 else (values[vi] - lo)
        move = min(abs(diff), room, 1000)
        values[vi] += step * move
        diff -= step * move
        k += 1
    assert sum(values) == params.income_total_2019

    # 2020 targets of the rich-village plan: >= 300k for 100+, >= 500k for 50+, >= 1M for 15+
    ranked = sorted(range(n), key=lambda vi: (-values[vi], vi))
    floor_2020 = [0] * n
    for rank, vi in enumerate(ranked):
        if rank < params.income_2020_over_1m:
            floor_2020[vi] = 1_000_000 + rng.randint(0, 400_000)
        elif rank < params.income_2020_over_500k:
            floor_2020[vi] = 500_000 + rng.randint(0, 300_000)
        elif rank < params.income_2020_over_300k:
            floor_2020[vi] = 300_000 + rng.randint(0, 150_000)
    emit = world.emit["collective_income"]
    for v in world.villages:
        y19 = values[v.idx]
        series = {
            2016: max(5_000, int(y19 * rng.uniform(0.3, 0.65))),
            2017: max(8_000, int(y19 * rng.uniform(0.5, 0.82))),
            2018: max(20_000, int(y19 * rng.uniform(0.7, 0.98))),
            2019: y19,
            2020: max(floor_2020[v.idx], int(y19 * rng.uniform(1.02, 1.4))),
        }
        for year, income in series.items():
            emit((v.code, year, income))
