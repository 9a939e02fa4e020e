"""Households, their members, helpers and business links: the part that grows with ``--scale``.

Planning happens first, on compact arrays (one byte or short per household), so that the exact
figures hold: households with industry conditions, their persons, the new-type share, poor
party members and relocated party members. Writing then streams village by village: a
village's households, their persons and party memberships, enterprise links, helper pairings
(grouped into one-helps-one / one-helps-many / many-help-one components), then the village's
own party members. Cadres of county and township organs who help households are written last.
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass

from core.vocabulary import CAUSES
from generator.dates import AS_OF, D, rand_date
from generator.economy import Economy
from generator.names import person_name, surname
from generator.sink import F, T
from generator.world import World, allocate, scaled

__all__ = ["Plan", "plan_households", "write_population"]

A, B, C, DD = 0, 1, 2, 3  # industry & linked | industry, not linked | no industry | not poor
NOT_EXITED, OLD_TYPE_ONLY = 1, 2

# The contract's causes, in its order (the weights below follow it).
_CAUSES = tuple(CAUSES)
_CAUSE_W_INDUSTRY = (14, 4, 7, 2, 4, 3, 20, 5, 30, 6, 3, 2)
_CAUSE_W_NO_INDUSTRY = (36, 30, 2, 1, 1, 1, 1, 25, 1, 0, 1, 1)
_SIZES = (1, 2, 3, 4, 5, 6, 7, 8, 9)
_SIZE_W = (4.5, 11.5, 18, 26, 21, 12, 4.5, 2, 0.5)
_SIZE_W_NO_INDUSTRY = (22, 34, 22, 13, 6, 2, 1, 0, 0)
_EXIT_YEARS = (2014, 2015, 2016, 2017, 2018, 2019, 2020)
_EXIT_W = (3, 9, 14, 17, 26, 24, 7)
_MEASURES = (
    "发展产业",
    "就业帮扶",
    "教育资助",
    "医疗救助",
    "危房改造",
    "技能培训",
    "小额信贷",
    "政策宣传",
    "消费扶贫",
    "生态护林员岗位",
    "易地搬迁动员",
    "金融扶贫",
    "电商扶贫",
)


@dataclass
class Plan:
    village_start: list[int]
    cat: bytearray
    size: bytearray
    site: array
    flags: bytearray
    pms: bytearray  # designated party members (poor party members, relocated members)
    #: the counts the calibration checks, for the README and tests
    figures: dict[str, int]


def _sample_sizes(rng, n: int, weights) -> bytearray:
    return bytearray(rng.choices(_SIZES, weights=weights, k=n))


@dataclass
class _Counts:
    """The seed's figures at the world's scale: how many households of each kind to plan."""

    n_a: int  # poor households with industry conditions, linked to entities
    n_b: int  # with industry conditions, not linked
    n_c: int  # without industry conditions
    n_d: int  # relocated households that are not poor
    n_rel: int  # relocated households in all
    p_a: int  # persons in the n_a households
    n_new: int  # n_a households linked to a new-type entity
    n_ne: int  # poor households not exited at the end of 2020
    h_pp: int  # households with poor party members
    m_pp: int  # poor party members
    m_rel: int  # relocated party members

    @property
    def n_poor(self) -> int:
        return self.n_a + self.n_b + self.n_c


def _counts(world: World, params) -> _Counts:
    s = world.scale
    n_a = scaled(params.households_industry_linked, s)
    n_d = scaled(params.households_not_poor_relocated, s)
    return _Counts(
        n_a=n_a,
        n_b=scaled(params.households_industry_unlinked, s),
        n_c=scaled(params.households_no_industry, s),
        n_d=n_d,
        n_rel=max(scaled(params.relocated_households, s), n_d),
        p_a=scaled(params.persons_industry_linked, s),
        n_new=int(params.new_type_share * n_a + 0.5),
        n_ne=scaled(params.households_not_exited, s),
        h_pp=scaled(params.poor_party_member_households, s),
        m_pp=scaled(params.poor_party_members, s),
        m_rel=scaled(params.relocated_party_members, s),
    )


def plan_households(world: World, params) -> Plan:
    """Where the households are, what kind each is, their sizes, relocation sites, exits and
    party members, so that the written dataset reproduces the seed's figures (domain.md)."""
    n = _counts(world, params)
    n_poor_v = _poor_per_village(world, params, n.n_poor)
    r_site, reloc_poor_v, d_v = _relocated_per_village(world, n, n_poor_v)
    site_lists = _match_sites(world, r_site, reloc_poor_v, d_v)
    cat, site_of, village_start = _household_arrays(
        world, n, n_poor_v, reloc_poor_v, d_v, site_lists
    )
    size = _sizes(world.rng, cat, n.p_a)
    flags = bytearray(len(cat))
    pms = bytearray(len(cat))
    ne_lists = _mark_not_exited(world, params, n.n_ne, cat, site_of, village_start, flags)
    _place_poor_party_members(world.rng, n, ne_lists, size, pms)
    _place_relocated_members(world.rng, params, n.m_rel, site_of, size, village_start, pms)
    _mark_old_type_only(world.rng, n, cat, village_start, flags)
    figures = {
        "households_industry_linked": n.n_a,
        "persons_industry_linked": n.p_a,
        "households_new_type": n.n_new,
        "poor_party_member_households": n.h_pp,
        "poor_party_members": n.m_pp,
        "relocated_party_members": n.m_rel,
        "relocated_households": n.n_rel,
        "households": len(cat),
    }
    return Plan(village_start, cat, size, site_of, flags, pms, figures)


def _poor_per_village(world: World, params, n_poor: int) -> list[int]:
    """Poor households per village: listed villages and poorer counties get more."""
    rng = world.rng
    weights = []
    for v in world.villages:
        t = world.townships[v.township]
        county = world.counties[v.county]
        if v.level == "community":
            w = 0.12 if t.kind == "street" else 0.35
        else:
            w = 3.0 if v.listed else (1.5 if t.listed else 1.0)
        w *= params.county_poverty_weight[county.name] * rng.lognormvariate(0.0, 0.35)
        weights.append(w)
    return allocate(n_poor, weights, rng)


def _county_villages(world: World, county) -> list[int]:
    return [vi for ti in county.townships for vi in world.townships[ti].villages]


def _relocated_per_village(
    world: World, n: _Counts, n_poor_v: list[int]
) -> tuple[list[int], list[int], list[int]]:
    """Relocated households per site, then per village of origin within the site's county:
    ``(per site, poor movers per village, non-poor movers per village)``."""
    rng = world.rng
    villages = world.villages
    nv = len(villages)
    r_site = allocate(n.n_rel, [site.planned for site in world.sites], rng)
    r_county = [0] * len(world.counties)
    for site, r in zip(world.sites, r_site, strict=True):
        r_county[site.county] += r
    d_county = allocate(n.n_d, [max(r, 0) for r in r_county], rng, caps=r_county)
    reloc_poor_v = [0] * nv
    d_v = [0] * nv
    for county in world.counties:
        vis = _county_villages(world, county)
        need = r_county[county.idx] - d_county[county.idx]
        available = sum(n_poor_v[vi] for vi in vis)
        if need > available:  # only at tiny scales: the rest move as non-poor households
            d_county[county.idx] += need - available
            need = available
        pull = [
            n_poor_v[vi]
            * (0.05 if villages[vi].level == "community" else (2.0 if villages[vi].listed else 1.0))
            for vi in vis
        ]
        caps = [int(n_poor_v[vi] * 0.8) for vi in vis]
        if sum(caps) < need:
            caps = [n_poor_v[vi] for vi in vis]
        parts = allocate(need, pull, rng, caps=caps)
        dparts = allocate(d_county[county.idx], [p + 0.01 for p in parts], rng)
        for vi, p, dp in zip(vis, parts, dparts, strict=True):
            reloc_poor_v[vi] = p
            d_v[vi] = dp
    return r_site, reloc_poor_v, d_v


def _match_sites(
    world: World, r_site: list[int], reloc_poor_v: list[int], d_v: list[int]
) -> list[list[int]]:
    """The site of each mover, per village of origin: sites take their own and neighbouring
    villages' movers first, then any village of the county."""
    rng = world.rng
    site_lists: list[list[int]] = [[] for _ in range(len(world.villages))]
    for county in world.counties:
        vis = _county_villages(world, county)
        supply = {vi: reloc_poor_v[vi] + d_v[vi] for vi in vis}
        sites = [site for site in world.sites if site.county == county.idx]
        rng.shuffle(sites)
        demand = {site.idx: r_site[site.idx] for site in sites}

        for site in sites:
            local = world.townships[site.township].villages
            ordered = ([site.village] if site.village is not None else []) + [
                vi for vi in local if vi != site.village
            ]
            for vi in ordered:
                _take(site_lists, supply, demand, site.idx, vi)
        order = list(vis)
        rng.shuffle(order)
        for site in sites:
            for vi in order:
                if demand[site.idx] == 0:
                    break
                _take(site_lists, supply, demand, site.idx, vi)
        assert all(x == 0 for x in demand.values()) and all(x == 0 for x in supply.values())
    return site_lists


def _take(site_lists, supply: dict[int, int], demand: dict[int, int], site: int, vi: int) -> None:
    """Movers of village ``vi`` to ``site``, as many as both have left."""
    count = min(supply[vi], demand[site])
    if count:
        site_lists[vi].extend([site] * count)
        supply[vi] -= count
        demand[site] -= count


def _household_arrays(
    world: World,
    n: _Counts,
    n_poor_v: list[int],
    reloc_poor_v: list[int],
    d_v: list[int],
    site_lists: list[list[int]],
) -> tuple[bytearray, array, list[int]]:
    """The household arrays, village by village: ``(category, site or -1, village_start)``
    (households of village ``vi`` are ``village_start[vi]`` to ``village_start[vi + 1]``)."""
    rng = world.rng
    nv = len(world.villages)
    cats_poor = bytearray([A]) * n.n_a + bytearray([B]) * n.n_b + bytearray([C]) * n.n_c
    rng.shuffle(cats_poor)
    total = n.n_poor + sum(d_v)
    cat = bytearray(total)
    site_of = array("h", [-1]) * total
    village_start = [0] * (nv + 1)
    pos = 0
    k = 0
    for vi in range(nv):
        village_start[vi] = pos
        np_ = n_poor_v[vi]
        cat[pos : pos + np_] = cats_poor[k : k + np_]
        k += np_
        cat[pos + np_ : pos + np_ + d_v[vi]] = bytearray([DD]) * d_v[vi]
        sl = site_lists[vi]
        rng.shuffle(sl)
        movers = sorted(rng.sample(range(np_), reloc_poor_v[vi])) + list(range(np_, np_ + d_v[vi]))
        for j, hi in enumerate(movers):
            site_of[pos + hi] = sl[j]
        pos += np_ + d_v[vi]
    village_start[nv] = pos
    return cat, site_of, village_start


def _sizes(rng, cat: bytearray, p_a: int) -> bytearray:
    """Household sizes: those with industry conditions and links sum to the seed's persons."""
    total = len(cat)
    size = bytearray(total)
    a_idx = [i for i in range(total) if cat[i] == A]
    a_sizes = _sample_sizes(rng, len(a_idx), _SIZE_W)
    diff = p_a - sum(a_sizes)
    while diff:
        j = rng.randrange(len(a_sizes))
        if diff > 0 and a_sizes[j] < 10:
            a_sizes[j] += 1
            diff -= 1
        elif diff < 0 and a_sizes[j] > 1:
            a_sizes[j] -= 1
            diff += 1
    for i, sz in zip(a_idx, a_sizes, strict=True):
        size[i] = sz
    for i in range(total):
        if cat[i] == B or cat[i] == DD:
            size[i] = rng.choices(_SIZES, weights=_SIZE_W)[0]
        elif cat[i] == C:
            size[i] = rng.choices(_SIZES, weights=_SIZE_W_NO_INDUSTRY)[0]
    return size


def _per_village(village_start: list[int], pred) -> list[list[int]]:
    """The households of each village for which ``pred(i)`` holds."""
    return [
        [i for i in range(village_start[vi], village_start[vi + 1]) if pred(i)]
        for vi in range(len(village_start) - 1)
    ]


def _mark_not_exited(
    world: World, params, n_ne: int, cat, site_of, village_start, flags: bytearray
) -> list[list[int]]:
    """Poor households not exited at the end of 2020 (never relocated ones), flagged
    NOT_EXITED; returns them per village."""
    rng = world.rng
    villages = world.villages
    nv = len(villages)
    stay = _per_village(village_start, lambda i: cat[i] != DD and site_of[i] < 0)
    county_w = [params.not_exited_county_weight[world.counties[v.county].name] for v in villages]
    parts = allocate(
        n_ne, [len(stay[vi]) * county_w[vi] for vi in range(nv)], rng, caps=[len(x) for x in stay]
    )
    ne_lists = []
    for vi in range(nv):
        chosen = rng.sample(stay[vi], parts[vi])
        for i in chosen:
            flags[i] |= NOT_EXITED
        ne_lists.append(sorted(chosen))
    return ne_lists


def _place_poor_party_members(
    rng, n: _Counts, ne_lists: list[list[int]], size: bytearray, pms: bytearray
) -> None:
    """Poor party members, in households not exited (two in some of them)."""
    parts = allocate(n.h_pp, [len(x) for x in ne_lists], rng, caps=[len(x) for x in ne_lists])
    pp = []
    for vi in range(len(ne_lists)):
        for i in rng.sample(ne_lists[vi], parts[vi]):
            pms[i] = 1
            pp.append(i)
    pp.sort()
    doubles = n.m_pp - n.h_pp
    two = [i for i in pp if size[i] >= 2]
    if doubles > len(two) or doubles < 0:
        raise RuntimeError("cannot place the poor party members")
    for i in rng.sample(two, doubles):
        pms[i] = 2


def _place_relocated_members(
    rng, params, m_rel: int, site_of, size: bytearray, village_start, pms: bytearray
) -> None:
    """Relocated party members (relocated households have all exited or are not poor)."""
    movers = _per_village(village_start, lambda i: site_of[i] >= 0)
    j_double = int(params.relocated_double_share * m_rel + 0.5)
    k_single = m_rel - j_double
    parts = allocate(k_single, [len(x) for x in movers], rng, caps=[len(x) for x in movers])
    chosen_all = []
    for vi in range(len(movers)):
        chosen_all.extend(rng.sample(movers[vi], parts[vi]))
    chosen_all.sort()
    for i in chosen_all:
        pms[i] = 1
    two = [i for i in chosen_all if size[i] >= 2]
    if j_double > len(two):
        raise RuntimeError("cannot place the relocated party members")
    for i in rng.sample(two, j_double):
        pms[i] = 2


def _mark_old_type_only(rng, n: _Counts, cat, village_start, flags: bytearray) -> None:
    """Households with industry conditions linked only to entities that are not new-type."""
    a_lists = _per_village(village_start, lambda i: cat[i] == A)
    parts = allocate(
        n.n_a - n.n_new, [len(x) for x in a_lists], rng, caps=[len(x) for x in a_lists]
    )
    for vi in range(len(a_lists)):
        for i in rng.sample(a_lists[vi], parts[vi]):
            flags[i] |= OLD_TYPE_ONLY


class _Helpers:
    """Helper persons: village party members (written with their village) and organ cadres
    (written at the end, per county). Ids are allocated when a pairing needs one."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.organ: list[list[str]] = [[] for _ in world.counties]
        self.village: list[str] = []
        self.village_cap = 0

    def start_village(self, cap: int) -> None:
        self.village = []
        self.village_cap = cap

    def from_village(self, county: int) -> str:
        if len(self.village) < self.village_cap:
            pid = self.world.people.new_id()
            self.village.append(pid)
            return pid
        return self.from_organ(county)

    def pick(self, county: int, village_share: float) -> str:
        """A village party member with probability ``village_share``, else an organ cadre."""
        if self.world.rng.random() < village_share:
            return self.from_village(county)
        return self.from_organ(county)

    def former(self, county: int) -> str:
        """The helper of an ended pairing: mostly a cadre who helps or helped others too."""
        pool = self.organ[county]
        if len(pool) >= 50 and self.world.rng.random() < 0.8:
            return self.world.rng.choice(pool)
        return self.from_organ(county)

    def from_organ(self, county: int) -> str:
        pid = self.world.people.new_id()
        self.organ[county].append(pid)
        return pid


def write_population(
    world: World, params, plan: Plan, eco: Economy, secretaries: list[str], progress
) -> None:
    rng = world.rng
    emit_h = world.emit["households"]
    emit_link = world.emit["enterprise_links"]
    helpers = _Helpers(world)
    pool = allocate(
        scaled(params.village_party_members, world.scale),
        [1.6 if v.level == "community" else 1.0 for v in world.villages],
        rng,
    )
    other_pm_rate = params.other_household_party_member_rate

    for v in world.villages:
        county = world.counties[v.county]
        county6 = county.code6
        units = world.village_units[v.idx]
        helpers.start_village(pool[v.idx])
        paired: list[tuple[str, dt.date, dt.date | None, bool]] = []
        seq = 0
        for i in range(plan.village_start[v.idx], plan.village_start[v.idx + 1]):
            seq += 1
            hid = f"H{v.code}{seq:05d}"
            cat = plan.cat[i]
            size = plan.size[i]
            site = world.sites[plan.site[i]] if plan.site[i] >= 0 else None
            poor = cat != DD
            not_exited = bool(plan.flags[i] & NOT_EXITED)
            # dates
            registered = exited = relocated = None
            if poor:
                r = rng.random()
                if site is not None or r < 0.82:
                    registered = rand_date(rng, D("2014-04-01"), D("2014-10-31"))
                elif r < 0.92:
                    registered = rand_date(rng, D("2015-03-01"), D("2015-11-30"))
                elif r < 0.97:
                    registered = rand_date(rng, D("2016-03-01"), D("2016-11-30"))
                else:
                    registered = rand_date(rng, D("2017-03-01"), D("2019-10-31"))
            if site is not None:
                lo = max(site.opened_on, D("2016-03-01"))
                relocated = rand_date(rng, lo, D("2020-09-30"))
            if registered is not None and not not_exited:
                exited = _exit_date(rng, registered, relocated)
            if poor:
                weights = _CAUSE_W_NO_INDUSTRY if cat == C else _CAUSE_W_INDUSTRY
                cause = rng.choices(_CAUSES, weights=weights)[0]
            else:
                cause = None
            industry = None if cat == DD else (T if cat in (A, B) else F)
            emit_h(
                (
                    hid,
                    v.code,
                    size,
                    T if poor else F,
                    registered,
                    cause,
                    exited,
                    industry,
                    site.site_id if site else None,
                    relocated,
                )
            )

            # persons
            n_pm = plan.pms[i]
            if (
                n_pm == 0
                and poor
                and site is None
                and not not_exited
                and rng.random() < other_pm_rate
            ):
                n_pm = 1
            _write_members(world, hid, county6, size, cat, n_pm, units, site, relocated, v.code)

            # links to business entities
            _write_links(
                world, eco, emit_link, hid, cat, plan.flags[i], v, registered, site, relocated
            )
            if registered is not None:
                paired.append((hid, registered, exited, not_exited))

        _write_pairings(world, params, helpers, paired, county.idx)
        _write_leaders(world, eco, emit_link, helpers, v, secretaries[v.idx])
        _write_village_pool(world, helpers, pool[v.idx], county6, units)
        progress()

    _write_organ_cadres(world, params, helpers)
    progress()


def _exit_date(rng, registered: dt.date, relocated: dt.date | None) -> dt.date:
    year = rng.choices(_EXIT_YEARS, weights=_EXIT_W)[0]
    year = max(year, registered.year)
    last = D("2020-11-30") if year == 2020 else dt.date(year, 12, 28)
    day = rand_date(rng, dt.date(year, 10, 1), last)
    if day <= registered + dt.timedelta(days=150):
        day = rand_date(
            rng, min(registered + dt.timedelta(days=150), D("2020-11-30")), D("2020-11-30")
        )
    if relocated is not None and day <= relocated:
        day = rand_date(rng, relocated + dt.timedelta(days=20), relocated + dt.timedelta(days=80))
    return day


def _write_members(
    world: World,
    hid: str,
    county6: str,
    size: int,
    cat: int,
    n_pm: int,
    units: list[str],
    site,
    relocated: dt.date | None,
    village_code: str,
) -> None:
    rng = world.rng
    people = world.people
    head_male = rng.random() < (0.62 if cat == C else 0.86)
    if cat == C:
        head_age = rng.randint(45, 88)
    else:
        head_age = min(85, max(24, int(rng.gauss(52, 12))))
    members: list[tuple[str, str, int]] = [("head", "M" if head_male else "F", head_age)]
    if size >= 2 and (n_pm == 2 or rng.random() < (0.72 if size == 2 else 0.9)):
        spouse_age = max(
            20, head_age + rng.randint(-6, 3) if head_male else head_age + rng.randint(-3, 6)
        )
        members.append(("spouse", "F" if head_male else "M", spouse_age))
    n_children = 0
    while len(members) < size:
        r = rng.random()
        if head_age >= 55 and n_children >= 1 and r < 0.6:
            members.append(("grandchild", rng.choice("MF"), rng.randint(0, 17)))
        elif head_age < 48 and r < 0.22:
            members.append(("parent", rng.choice("MF"), min(95, head_age + rng.randint(22, 34))))
        elif r < 0.97:
            low = max(0, head_age - 40)
            high = max(0, head_age - 19)
            members.append(("child", rng.choice("MF"), rng.randint(low, high)))
            n_children += 1
        else:
            members.append(("other", rng.choice("MF"), rng.randint(5, 80)))
    # party members: adults, the head first
    adults = [k for k, m in enumerate(members) if m[2] >= 20]
    pm_set = set(adults[:n_pm]) if n_pm else set()
    if len(pm_set) < n_pm:
        raise RuntimeError(f"{hid}: {n_pm} party members for {len(adults)} adults")
    family = surname(rng)
    spouse_family = surname(rng)
    for k, (relation, gender, age) in enumerate(members):
        birth = rand_date(
            rng, dt.date(2020 - age - 1, 12, 31) + dt.timedelta(days=1), dt.date(2020 - age, 12, 30)
        )
        if relation == "spouse":
            fam = spouse_family
        elif relation == "parent":
            fam = family if gender == "M" or rng.random() < 0.3 else surname(rng)
        else:
            fam = family
        name = person_name(rng, gender, birth.year, family_name=fam)
        joined = None
        if k in pm_set:
            joined = people.joined(birth)
        pid = people.new_id()
        people.write(
            pid,
            county6,
            gender,
            birth,
            name=name,
            household=hid,
            relation=relation,
            joined=joined,
            phone=age >= 18 and (relation == "head" or rng.random() < 0.6),
        )
        if joined is not None:
            _household_member(world, pid, joined, units, site, relocated, village_code)


def _household_member(
    world: World,
    pid: str,
    joined: dt.date,
    units: list[str],
    site,
    relocated: dt.date | None,
    village_code: str,
) -> None:
    """Memberships of a party member of a household: the home village, then the site."""
    rng = world.rng
    home = rng.choice(units)
    if site is None or relocated is None:
        world.member(pid, home, joined)
        return
    target = site.org_id or site.local_org_id
    assert target is not None
    if world.orgs[target].region == village_code:
        world.member(pid, home if world.orgs[home].region == site.region else target, joined)
        return
    r = rng.random()
    if r < 0.15:
        lag = 0
    elif r < 0.7:
        lag = rng.randint(20, 180)
    elif r < 0.95:
        lag = rng.randint(180, 540)
    else:
        lag = rng.randint(540, 800)
    moved = relocated + dt.timedelta(days=lag)
    moved = max(moved, world.orgs[target].founded)
    moved = min(moved, rand_date(rng, D("2020-11-01"), D("2020-12-20")))
    if joined >= moved:
        world.member(pid, target, joined)
        return
    start_home = max(joined, world.orgs[home].founded)
    left = moved
    if rng.random() < 0.05:
        left = moved - dt.timedelta(days=rng.randint(20, 90))  # relation in transit
    if left > start_home:
        world.member(pid, home, start_home, left)
    world.member(pid, target, moved)


def _pick_new(rng, eco: Economy, v) -> int:
    local = eco.new_in_village[v.idx]
    if local and rng.random() < 0.75:
        return rng.choice(local)
    town = eco.new_in_township[v.township]
    if town and rng.random() < 0.8:
        return rng.choice(town)
    return rng.choice(eco.new_in_county[v.county])


def _pick_old(rng, eco: Economy, township: int) -> int:
    shops = eco.workshops_in_township[township]
    if shops and rng.random() < 0.5:
        return rng.choice(shops)
    return rng.choice(eco.old_in_township[township])


_LINK_OF = {
    "cooperative": (("member", "dividend"), (70, 30)),
    "company": (("employment", "dividend"), (50, 50)),
    "family_farm": (("employment",), (1,)),
    "workshop": (("employment",), (1,)),
    "other": (("public_welfare_post",), (1,)),
}


def _link_type(rng, kind: str) -> str:
    types, weights = _LINK_OF[kind]
    return types[0] if len(types) == 1 else rng.choices(types, weights=weights)[0]


def _write_links(
    world: World,
    eco: Economy,
    emit,
    hid: str,
    cat: int,
    flags: int,
    v,
    registered: dt.date | None,
    site,
    relocated: dt.date | None,
) -> None:
    rng = world.rng
    ents = eco.entities
    first = max(registered or D("2016-01-01"), D("2015-06-01"))
    if relocated is not None:
        first = max(first, relocated)
    last = D("2020-10-31")

    def link(ei: int, start: dt.date, end: dt.date | None = None, kind: str | None = None) -> None:
        e = ents[ei]
        emit((e.entity_id, hid, None, None, kind or _link_type(rng, e.kind), start, end))

    def ended(ei: int, latest_end: dt.date) -> None:
        if ei in used:
            return
        used.add(ei)
        start = rand_date(rng, D("2015-06-01"), D("2018-12-31"))
        end = rand_date(rng, start + dt.timedelta(days=120), latest_end)
        if end > start:
            link(ei, start, end)

    township = site.township if site is not None else v.township
    used: set[int] = set()
    if cat == A:
        if flags & OLD_TYPE_ONLY:
            for _ in range(rng.choice((1, 1, 2))):
                ei = _pick_old(rng, eco, township)
                if ei not in used:
                    used.add(ei)
                    link(ei, rand_date(rng, first, last))
            if rng.random() < 0.3:
                ended(_pick_new(rng, eco, v), D("2020-06-30"))
            return
        ei = _pick_new(rng, eco, v)
        used.add(ei)
        link(ei, rand_date(rng, first, last))
        for _ in range(rng.choices((0, 1, 2), weights=(45, 40, 15))[0]):
            ei = _pick_new(rng, eco, v) if rng.random() < 0.5 else _pick_old(rng, eco, township)
            if ei not in used:
                used.add(ei)
                link(ei, rand_date(rng, first, last))
        if rng.random() < 0.08:
            ended(_pick_old(rng, eco, township), D("2020-10-31"))
    elif cat == B:
        if rng.random() < 0.5:
            ended(
                _pick_new(rng, eco, v) if rng.random() < 0.5 else _pick_old(rng, eco, township),
                D("2020-10-31"),
            )
    elif cat == C:
        if rng.random() < 0.35:
            ei = _pick_new(rng, eco, v)
            link(ei, rand_date(rng, first, last), kind="dividend")
    elif rng.random() < 0.3:
        link(_pick_old(rng, eco, township), rand_date(rng, first, last))


def _write_pairings(world: World, params, helpers: _Helpers, paired, county: int) -> None:
    """Current components shaped one-to-one, one-to-many, many-to-one (a few many-to-many),
    with replaced helpers and pairings ended after exit as history."""
    rng = world.rng
    emit = world.emit["pairings"]
    mismatch = params.declared_form_mismatch
    forms = ("one_to_one", "one_to_many", "many_to_one")
    last = D("2020-11-30")

    def measures() -> str:
        return "；".join(rng.sample(_MEASURES, rng.choice((1, 2, 2, 3))))

    current = []
    for hid, registered, exited, not_exited in paired:
        base = max(registered, D("2015-01-15"))
        first = min(base + dt.timedelta(days=rng.randint(10, 600)), last)
        if not not_exited and exited is not None and rng.random() < params.pairing_ended_after_exit:
            lo = max(exited, first) + dt.timedelta(days=60)
            if lo < D("2020-12-20"):
                end = rand_date(rng, lo, D("2020-12-20"))
                emit((helpers.former(county), hid, first, end, rng.choice(forms), measures()))
                continue
        current.append((hid, first))
    rng.shuffle(current)

    def declared(actual: str) -> str:
        if actual == "many_to_many":
            return rng.choice(("one_to_many", "many_to_one"))
        if rng.random() < mismatch:
            return rng.choice([f for f in forms if f != actual])
        return actual

    def pair(helper: str, hid: str, first: dt.date, form: str, offset: int = 0) -> None:
        start = min(first + dt.timedelta(days=offset), last)
        if rng.random() < params.pairing_replaced and start + dt.timedelta(days=400) < last:
            switch = rand_date(rng, start + dt.timedelta(days=300), last)
            emit((helpers.former(county), hid, start, switch, form, measures()))
            start = switch
        emit((helper, hid, start, None, form, measures()))

    p_mm, p_m1, p_11 = params.pairing_shape_shares
    v_11, v_1m, v_m1 = params.village_helper_shares
    k = 0
    while k < len(current):
        left = len(current) - k
        r = rng.random()
        if r < p_mm and left >= 2:
            hs = [helpers.from_organ(county) for _ in range(2)]
            form = declared("many_to_many")
            for hid, first in current[k : k + 2]:
                for h in hs:
                    pair(h, hid, first, form, rng.randint(0, 90))
            k += 2
        elif r < p_mm + p_m1:
            hid, first = current[k]
            form = declared("many_to_one")
            for j in range(rng.choice((2, 2, 2, 3))):
                h = helpers.pick(county, v_m1)
                pair(h, hid, first, form, 0 if j == 0 else rng.randint(0, 200))
            k += 1
        elif r < p_mm + p_m1 + p_11 or left < 2:
            hid, first = current[k]
            h = helpers.pick(county, v_11)
            pair(h, hid, first, declared("one_to_one"))
            k += 1
        else:
            n = min(left, rng.choices((2, 3, 4, 5, 6), weights=(20, 25, 25, 18, 12))[0])
            h = helpers.pick(county, v_1m)
            form = declared("one_to_many")
            for j, (hid, first) in enumerate(current[k : k + n]):
                pair(h, hid, first, form, 0 if j == 0 else rng.randint(0, 120))
            k += n


def _write_leaders(world: World, eco: Economy, emit, helpers: _Helpers, v, secretary: str) -> None:
    """Leaders (领办人) of the village's cooperatives and family farms."""
    rng = world.rng
    for ei in eco.coops_in_village[v.idx] + eco.farms_in_village[v.idx]:
        if ei in eco.led_coops or len(helpers.village) >= helpers.village_cap:
            pid = secretary
        else:
            pid = world.people.new_id()
            helpers.village.append(pid)
        emit(
            (
                eco.entities[ei].entity_id,
                None,
                pid,
                None,
                "leader",
                rand_date(rng, D("2012-03-01"), D("2019-06-30")),
                None,
            )
        )


def _write_village_pool(
    world: World, helpers: _Helpers, target: int, county6: str, units: list[str]
) -> None:
    """The village's party members who are not in a registered household (helpers first)."""
    rng = world.rng
    people = world.people
    ids = list(helpers.village)
    n_helpers = len(ids)
    while len(ids) < target:
        ids.append(people.new_id())
    for k, pid in enumerate(ids):
        helper = k < n_helpers
        birth = people.birth(1952, 1990) if helper else people.birth(1932, 1999)
        gender = "M" if rng.random() < 0.72 else "F"
        joined = people.joined(birth, latest=D("2014-12-31") if helper else AS_OF)
        people.write(pid, county6, gender, birth, joined=joined)
        org = rng.choice(units)
        start = max(joined, world.orgs[org].founded)
        if rng.random() < 0.06 and start < D("2018-01-01"):
            other = world.village_units[rng.randrange(len(world.villages))]
            prev = rng.choice(other)
            prev_start = max(joined, world.orgs[prev].founded)
            moved = rand_date(rng, max(start, prev_start) + dt.timedelta(days=200), D("2020-06-30"))
            if prev != org and moved > prev_start:
                world.member(pid, prev, prev_start, moved)
                world.member(pid, org, moved)
                continue
        world.member(pid, org, joined)


def _write_organ_cadres(world: World, params, helpers: _Helpers) -> None:
    """Cadres of county and township organs: the helpers allocated so far, topped up."""
    rng = world.rng
    people = world.people
    target = allocate(
        scaled(params.organ_party_members, world.scale),
        [params.county_poverty_weight[c.name] for c in world.counties],
        rng,
    )
    for county in world.counties:
        ids = helpers.organ[county.idx]
        n_helpers = len(ids)
        while len(ids) < target[county.idx]:
            ids.append(people.new_id())
        orgs = world.county_organs[county.idx] + [
            world.township_organ[ti] for ti in county.townships
        ]
        for k, pid in enumerate(ids):
            birth = people.birth(1962, 1994)
            gender = "M" if rng.random() < 0.62 else "F"
            joined = people.joined(birth, latest=D("2014-12-31") if k < n_helpers else AS_OF)
            people.write(pid, county.code6, gender, birth, joined=joined)
            org = rng.choice(orgs)
            if rng.random() < 0.1:
                prev = rng.choice(orgs)
                prev_start = max(joined, world.orgs[prev].founded)
                moved = rand_date(rng, prev_start + dt.timedelta(days=365), D("2020-10-31"))
                if prev != org and prev_start < moved <= D("2020-10-31"):
                    world.member(pid, prev, prev_start, moved)
                    world.member(pid, org, moved)
                    continue
            world.member(pid, org, joined)
        helpers.organ[county.idx] = []
