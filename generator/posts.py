"""Cadres and their posts (职务): county and township heads, promotions, village cadres, reserve
cadres, census staff, seconded cadres, and the training and award events of village cadres.

The seed's figures on heads and promotions are counted from exactly the posts made here, so
every ``promotion`` and ``adjustment`` ending is planned: see :func:`plan_head_events` and the
module's README section "Cadres".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.dates import AS_OF, D, add_months, rand_date
from generator.world import World

__all__ = ["Cadres", "build_cadres"]

_LAST_EVENT = D("2020-12-15")
_GAP_DAYS = 300  # minimum tenure between two events of one seat


@dataclass
class HeadEvent:
    on: dt.date
    reason: str  # promotion | adjustment | term_end | retirement
    approval: str | None = None


@dataclass
class Cadres:
    """What later parts need: the cadre factory, village secretaries and current village
    cadres (for events), and the persons promoted so far (figures 30 and 33)."""

    factory: _CadreFactory
    village_secretary: list[str] = field(default_factory=list)
    current_village_cadres: list[str] = field(default_factory=list)
    reserve_current: list[str] = field(default_factory=list)
    promoted_poor: set[str] = field(default_factory=set)
    promoted_19: set[str] = field(default_factory=set)


class _Approvals:
    """审批文号 such as 保组干〔2019〕17号, numbered per year."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.n: dict[int, int] = {}

    def next(self, year: int) -> str:
        self.n[year] = self.n.get(year, 0) + 3 + len(self.n) % 5
        return f"{self.prefix}〔{year}〕{self.n[year]}号"


def _pick_date(world: World, lo: dt.date, hi: dt.date, taken: list[dt.date]) -> dt.date | None:
    if hi < lo:
        return None
    for _ in range(40):
        d = rand_date(world.rng, lo, hi)
        if all(abs((d - t).days) >= _GAP_DAYS for t in taken):
            return d
    return None


def _place(
    world: World,
    seats: dict,
    candidates: list,
    window,
    reason: str,
    n: int,
    approval: _Approvals | None = None,
) -> None:
    """Place ``n`` events in distinct random seats among ``candidates`` within their windows."""
    rng = world.rng
    order = list(candidates)
    rng.shuffle(order)
    placed = 0
    for seat in order:
        if placed == n:
            break
        lo, hi = window(seat)
        taken = [e.on for e in seats[seat]]
        d = _pick_date(world, lo, hi, taken)
        if d is None:
            continue
        ref = approval.next(d.year) if approval else None
        seats[seat].append(HeadEvent(d, reason, ref))
        placed += 1
    if placed < n:
        raise RuntimeError(f"could place only {placed} of {n} {reason} events")


Seats = dict[tuple[int, str], list[HeadEvent]]


def plan_head_events(world: World, params) -> tuple[Seats, Seats]:
    """Endings of county and township heads' tenures, with the seed's counts built in."""
    townships = world.townships
    counties = world.counties
    heads = ("party_secretary", "government_head")
    tseats: Seats = {(t.idx, p): [] for t in townships for p in heads}
    cseats: Seats = {(c.idx, p): [] for c in counties for p in heads}
    town_approvals = _Approvals("保组干")
    county_approvals = _Approvals("云组干")
    since16, since19 = D("2016-01-01"), D("2019-01-01")

    def exit_of(seat):
        return townships[seat[0]].exited_on

    listed = [s for s in tseats if townships[s[0]].listed]
    poor_county = [s for s in tseats if counties[townships[s[0]].county].listed]
    poor_unlisted = [s for s in poor_county if not townships[s[0]].listed]
    rich_county = [s for s in tseats if not counties[townships[s[0]].county].listed]

    def after_exit(months: int, lo: dt.date, hi: dt.date):
        return lambda s: (max(lo, add_months(exit_of(s), months)), hi)

    adj = params.head_adjustments
    # adjustments of heads of poor townships (figures 25-28)
    _place(
        world,
        tseats,
        listed,
        after_exit(7, since16, D("2018-12-31")),
        "adjustment",
        adj["pre2019_after_exit"],
    )
    _place(
        world,
        tseats,
        listed,
        lambda s: (since19, min(_LAST_EVENT, add_months(exit_of(s), 5))),
        "adjustment",
        adj["since2019_approved"],
        town_approvals,
    )
    _place(
        world,
        tseats,
        listed,
        lambda s: (D("2016-02-01"), min(D("2018-12-31"), exit_of(s) - dt.timedelta(days=20))),
        "adjustment",
        adj["pre2019_approved"],
        town_approvals,
    )
    _place(
        world,
        tseats,
        listed,
        after_exit(7, since19, _LAST_EVENT),
        "adjustment",
        adj["since2019_after_exit"],
    )
    # promotions of township heads in poor counties (figure 31): after exit for listed ones
    _place(
        world,
        tseats,
        poor_county,
        lambda s: (
            (max(since16, add_months(exit_of(s), 7)) if exit_of(s) else since16),
            _LAST_EVENT,
        ),
        "promotion",
        params.township_head_promotions,
    )
    # ordinary turnover where it does not touch the figures
    _place(world, tseats, poor_unlisted, lambda s: (since16, _LAST_EVENT), "term_end", 8)
    _place(world, tseats, poor_unlisted, lambda s: (since16, _LAST_EVENT), "retirement", 3)
    _place(world, tseats, listed, after_exit(1, since16, _LAST_EVENT), "term_end", 4)
    _place(
        world,
        tseats,
        rich_county,
        lambda s: (since19, _LAST_EVENT),
        "promotion",
        params.rich_township_promotions_since_2019,
    )
    _place(world, tseats, rich_county, lambda s: (since16, D("2018-12-31")), "promotion", 6)
    _place(world, tseats, rich_county, lambda s: (since16, _LAST_EVENT), "adjustment", 6)
    _place(world, tseats, rich_county, lambda s: (since16, _LAST_EVENT), "term_end", 8)

    # county heads (figure 29: one adjustment of a poor county's head, approved)
    listed_c = [s for s in cseats if counties[s[0]].listed]
    rich_c = [s for s in cseats if not counties[s[0]].listed]
    _place(
        world,
        cseats,
        listed_c,
        lambda s: (D("2016-03-01"), counties[s[0]].exited_on - dt.timedelta(days=90)),
        "adjustment",
        1,
        county_approvals,
    )
    _place(
        world,
        cseats,
        listed_c,
        lambda s: (add_months(counties[s[0]].exited_on, 7), _LAST_EVENT),
        "promotion",
        params.county_head_promotions,
    )
    _place(world, cseats, rich_c, lambda s: (D("2016-06-01"), D("2018-06-30")), "promotion", 1)
    _place(world, cseats, rich_c, lambda s: (since16, D("2017-06-30")), "term_end", 1)
    for seats in (tseats, cseats):
        for events in seats.values():
            events.sort(key=lambda e: e.on)
    return tseats, cseats


class _CadreFactory:
    """Writes a cadre's persons row and memberships; tracks the organisation they belong to."""

    def __init__(self, world: World) -> None:
        self.world = world

    def person(
        self,
        county6: str,
        born: tuple[int, int],
        male: float = 0.8,
        member: float = 1.0,
        joined_by: dt.date | None = None,
    ) -> tuple[str, dt.date | None]:
        w = self.world
        rng = w.rng
        pid = w.people.new_id()
        gender = "M" if rng.random() < male else "F"
        birth = w.people.birth(*born)
        joined = None
        if rng.random() < member:
            joined = w.people.joined(birth, latest=joined_by or AS_OF)
        w.people.write(pid, county6, gender, birth, joined=joined)
        return pid, joined

    def career_member(
        self, pid: str, joined: dt.date | None, orgs: list[tuple[str, dt.date | None]]
    ) -> None:
        """Memberships along a career: ``orgs`` is [(org_id, moved_in_on)], first date ignored."""
        if joined is None:
            return
        w = self.world
        # keep only moves after joining, merge moves into the same organisation
        steps: list[tuple[str, dt.date]] = []
        for k, (org, on) in enumerate(orgs):
            start = joined if k == 0 or on is None or on <= joined else on
            start = max(start, w.orgs[org].founded)
            if steps and steps[-1][0] == org:
                continue
            if steps and start <= steps[-1][1]:
                steps[-1] = (org, steps[-1][1])
                continue
            steps.append((org, start))
        for k, (org, start) in enumerate(steps):
            end = steps[k + 1][1] if k + 1 < len(steps) else None
            w.member(pid, org, start, end)


def build_cadres(world: World, params) -> Cadres:
    """Write the posts, persons and memberships of all cadres; return what events need."""
    f = _CadreFactory(world)
    out = Cadres(f)
    tseats, cseats = plan_head_events(world, params)
    _write_heads(world, f, tseats, cseats, out.promoted_poor, out.promoted_19)
    _write_village_cadres(world, f, params, out)
    _write_census(world, f, params)
    _write_seconded(world, f, params)
    return out


def _county_unit(world: World, county: int) -> tuple[str, str]:
    return world.rng.choice(world.organ_units[county])


def _write_heads(world, f, tseats, cseats, promoted_poor, promoted_19) -> None:
    emit = world.emit["posts"]
    rng = world.rng
    since16, since19 = D("2016-01-01"), D("2019-01-01")

    def run_seat(
        region_code: str,
        county_idx: int,
        post: str,
        org: str | None,
        events: list[HeadEvent],
        member_org: str,
        poor: bool,
        level: str,
    ) -> None:
        county = world.counties[county_idx]
        first_event = events[0].on if events else None
        start = rand_date(rng, D("2010-06-01"), D("2015-12-31"))
        if first_event is not None and (first_event - start).days < _GAP_DAYS:
            start = first_event - dt.timedelta(days=_GAP_DAYS + rng.randint(0, 700))
        bounds = (1962, 1978) if level == "county" else (1966, 1986)
        for k in range(len(events) + 1):
            event = events[k] if k < len(events) else None
            pid, joined = f.person(
                county.code6, bounds, male=0.85, joined_by=start - dt.timedelta(days=400)
            )
            end = event.on if event else None
            emit(
                (
                    pid,
                    post,
                    org,
                    region_code,
                    None,
                    start,
                    end,
                    event.reason if event else None,
                    event.approval if event else None,
                )
            )
            orgs: list[tuple[str, dt.date | None]] = [(member_org, None)]
            if event is not None and event.reason != "retirement":
                if event.reason == "promotion":
                    if level == "county":
                        new_region, place = world.city_code, "保山市"
                        new_org = world.city_organs[0]
                    else:
                        new_region, place = county.code, f"{county.name}人民政府"
                        new_org = world.county_organs[county_idx][1]
                    emit((pid, "deputy", None, new_region, place, event.on, None, None, None))
                    if event.on >= since16 and poor:
                        promoted_poor.add(pid)
                    if event.on >= since19:
                        promoted_19.add(pid)
                else:
                    unit, new_org = _county_unit(world, county_idx)
                    emit((pid, "other", None, county.code, unit, event.on, None, None, None))
                orgs.append((new_org, event.on))
            f.career_member(pid, joined, orgs)
            if event is not None:
                start = event.on

    for (ti, post), events in tseats.items():
        t = world.townships[ti]
        org = world.township_committee[ti] if post == "party_secretary" else None
        poor = world.counties[t.county].listed
        run_seat(t.code, t.county, post, org, events, world.township_organ[ti], poor, "township")
    for (ci, post), events in cseats.items():
        c = world.counties[ci]
        org = world.county_committee[ci] if post == "party_secretary" else None
        run_seat(c.code, ci, post, org, events, world.county_organs[ci][0], c.listed, "county")


def write_promotions(
    world: World, params, cadres: Cadres, team_promoted: list[tuple[str, int, dt.date, str]]
) -> None:
    """Other promotions: deputies of poor counties, team members, and cadres of 腾冲 and the city,
    in the numbers that make figures 30-33 exact."""
    rng = world.rng
    f = cadres.factory
    emit = world.emit["posts"]
    promoted_poor = cadres.promoted_poor
    promoted_19 = cadres.promoted_19
    since16, since19 = D("2016-01-01"), D("2019-01-01")

    # work-team members promoted after their stationing (figure 32)
    for pid, county_idx, on, unit in team_promoted:
        county = world.counties[county_idx]
        emit(
            (
                pid,
                "other",
                None,
                county.code,
                unit,
                rand_date(rng, D("2008-01-01"), D("2014-12-31")),
                on,
                "promotion",
                None,
            )
        )
        emit((pid, "deputy", None, county.code, f"{county.name}人民政府", on, None, None, None))
        promoted_poor.add(pid)
        if on >= since19:
            promoted_19.add(pid)

    poor_counties = [c for c in world.counties if c.listed]
    rich_counties = [c for c in world.counties if not c.listed]
    need_poor = params.promoted_poor_counties - len(promoted_poor)
    if need_poor < 0:
        raise RuntimeError("more promotions in poor counties than the seed's figure")
    for _ in range(need_poor):
        county = rng.choice(poor_counties)
        on = rand_date(rng, since16, _LAST_EVENT)
        pid = _promote_one(world, f, emit, county, on, township_deputy=rng.random() < 0.6)
        promoted_poor.add(pid)
        if on >= since19:
            promoted_19.add(pid)

    need_19 = params.promoted_since_2019 - len(promoted_19)
    if need_19 < 0:
        raise RuntimeError("more promotions since 2019 than the seed's figure")
    for _ in range(need_19):
        on = rand_date(rng, since19, _LAST_EVENT)
        if rng.random() < params.city_share_of_other_promotions:
            pid = _promote_city(world, f, emit, on)
        else:
            pid = _promote_one(
                world, f, emit, rng.choice(rich_counties), on, township_deputy=rng.random() < 0.5
            )
        promoted_19.add(pid)


def _promote_one(world, f, emit, county, on: dt.date, township_deputy: bool) -> str:
    rng = world.rng
    start = rand_date(rng, D("2008-01-01"), min(D("2015-12-31"), on - dt.timedelta(days=400)))
    pid, joined = f.person(county.code6, (1968, 1988), male=0.75, joined_by=start)
    if township_deputy:
        t = world.townships[rng.choice(county.townships)]
        emit((pid, "deputy", None, t.code, None, start, on, "promotion", None))
        first_org = world.township_organ[t.idx]
    else:
        unit, first_org = _county_unit(world, county.idx)
        emit((pid, "other", None, county.code, unit, start, on, "promotion", None))
    unit, new_org = _county_unit(world, county.idx)
    emit((pid, "other", None, county.code, unit, on, None, None, None))
    f.career_member(pid, joined, [(first_org, None), (new_org, on)])
    return pid


def _promote_city(world, f, emit, on: dt.date) -> str:
    rng = world.rng
    start = rand_date(rng, D("2008-01-01"), on - dt.timedelta(days=400))
    county6 = rng.choice(world.counties).code6
    pid, joined = f.person(county6, (1968, 1990), male=0.7, joined_by=start)
    unit, org = rng.choice(world.city_units)
    emit((pid, "other", org, world.city_code, unit, start, on, "promotion", None))
    unit2, org2 = rng.choice(world.city_units)
    emit((pid, "other", org2, world.city_code, unit2, on, None, None, None))
    f.career_member(pid, joined, [(org, None), (org2, on)])
    return pid


def _write_village_cadres(world: World, f: _CadreFactory, params, out: Cadres) -> None:
    """Village secretaries and directors (current and previous), and reserve cadres."""
    rng = world.rng
    emit = world.emit["posts"]
    out.village_secretary = [""] * len(world.villages)
    election = (D("2016-10-10"), D("2016-12-20"))
    for v in world.villages:
        county6 = world.counties[v.county].code6
        org = world.village_org[v.idx]
        units = world.village_units[v.idx]
        # current secretary: elected in 2016 or appointed since
        if rng.random() < 0.62:
            start = rand_date(rng, *election)
            prev_reason = "term_end"
        else:
            start = rand_date(rng, D("2017-01-15"), D("2020-09-30"))
            prev_reason = rng.choices(
                ("adjustment", "other", "discipline", "retirement"), weights=(45, 30, 10, 15)
            )[0]
        prev_start = rand_date(rng, D("2008-01-01"), D("2013-12-31"))
        pid, joined = f.person(county6, (1950, 1972), male=0.88)
        emit((pid, "village_secretary", org, v.code, None, prev_start, start, prev_reason, None))
        f.career_member(pid, joined, [(rng.choice(units), None)])
        sec, joined = f.person(county6, (1960, 1990), male=0.85, joined_by=start)
        emit((sec, "village_secretary", org, v.code, None, start, None, None, None))
        f.career_member(sec, joined, [(rng.choice(units), None)])
        out.village_secretary[v.idx] = sec
        out.current_village_cadres.append(sec)
        # director: often the secretary himself (一肩挑)
        if rng.random() < 0.4:
            emit((sec, "village_director", None, v.code, None, start, None, None, None))
        else:
            d_start = rand_date(rng, *election)
            director, joined = f.person(county6, (1958, 1990), male=0.8, member=0.75)
            emit((director, "village_director", None, v.code, None, d_start, None, None, None))
            f.career_member(director, joined, [(rng.choice(units), None)])
            out.current_village_cadres.append(director)

    # reserve cadres: current ones per village, plus some who have since moved on
    parts = _spread(world, params.reserve_cadres)
    ended = _spread(world, params.reserve_cadres_ended)
    for v in world.villages:
        county6 = world.counties[v.county].code6
        units = world.village_units[v.idx]
        youth = world.youth_branch[v.township]
        for k in range(parts[v.idx] + ended[v.idx]):
            current = k < parts[v.idx]
            pid, joined = f.person(county6, (1982, 1998), male=0.62, member=0.55)
            if current:
                start = rand_date(rng, D("2018-03-01"), D("2020-10-31"))
                emit(
                    (
                        pid,
                        "reserve_cadre",
                        world.village_org[v.idx],
                        v.code,
                        None,
                        start,
                        None,
                        None,
                        None,
                    )
                )
                out.reserve_current.append(pid)
                out.current_village_cadres.append(pid)
            else:
                start = rand_date(rng, D("2017-03-01"), D("2018-12-31"))
                end = rand_date(rng, start + dt.timedelta(days=200), D("2020-11-30"))
                emit(
                    (
                        pid,
                        "reserve_cadre",
                        world.village_org[v.idx],
                        v.code,
                        None,
                        start,
                        end,
                        "other",
                        None,
                    )
                )
            orgs: list[tuple[str, dt.date | None]] = [(rng.choice(units), None)]
            youth_founded = world.orgs[youth].founded
            if joined is not None and current and rng.random() < 0.45:
                orgs.append((youth, youth_founded + dt.timedelta(days=rng.randint(0, 60))))
            f.career_member(pid, joined, orgs)


def _spread(world: World, total: int) -> list[int]:
    """``total`` spread over villages and communities, villages weighted up."""
    from generator.world import allocate

    weights = [1.0 if v.level == "village" else 0.6 for v in world.villages]
    return allocate(total, weights, world.rng)


def _write_census(world: World, f: _CadreFactory, params) -> None:
    """Staff of the 2020 poverty census (脱贫攻坚普查), current at the end of 2020."""
    rng = world.rng
    emit = world.emit["posts"]
    for post, n in params.census_staff.items():
        for _ in range(n):
            if post in ("census_chief", "census_auditor") or (
                post == "census_deputy" and rng.random() < 0.5
            ):
                region = world.city_code
                county6 = rng.choice(world.counties).code6
                unit, org = rng.choice(world.city_units)
            elif post in ("census_deputy", "census_instructor"):
                county = rng.choice(world.counties)
                region, county6 = county.code, county.code6
                unit, org = _county_unit(world, county.idx)
            else:
                t = rng.choice(world.townships)
                region, county6 = t.code, world.counties[t.county].code6
                unit, org = _county_unit(world, t.county)
            pid, joined = f.person(county6, (1965, 1996), male=0.6, member=0.75)
            start = rand_date(rng, D("2020-06-15"), D("2020-08-15"))
            emit((pid, post, None, region, None, start, None, None, None))
            f.career_member(pid, joined, [(org, None)])


def _write_seconded(world: World, f: _CadreFactory, params) -> None:
    """Shanghai Minhang ↔ Baoshan secondments (沪滇合作)."""
    rng = world.rng
    emit = world.emit["posts"]
    poor = [c for c in world.counties if c.listed]

    def term(start: dt.date) -> tuple[dt.date | None, str | None]:
        end = add_months(start, rng.choice((12, 18, 24)))
        return (end, "term_end") if end <= AS_OF else (None, None)

    # from Minhang: numbers of 上海市闵行区, party relations kept in Shanghai (no membership)
    for k in range(params.seconded_from_minhang + params.seconded_from_minhang_before_2016):
        before = k >= params.seconded_from_minhang
        start = (
            rand_date(rng, D("2013-06-01"), D("2015-10-31"))
            if before
            else rand_date(rng, D("2016-03-01"), D("2020-08-31"))
        )
        county = rng.choice(poor)
        region = (
            county.code
            if rng.random() < 0.5
            else world.townships[rng.choice(county.townships)].code
        )
        pid, _ = f.person("310112", (1981, 1990), male=0.7)
        end, reason = term(start)
        emit((pid, "seconded_cadre", None, region, "上海市闵行区", start, end, reason, None))
    # from Baoshan to Shanghai: no Baoshan region, the Shanghai unit as place
    units = (
        "上海市闵行区发展和改革委员会",
        "上海市闵行区农业农村委员会",
        "上海市闵行区教育局",
        "上海市闵行区卫生健康委员会",
        "上海市闵行区商务委员会",
        "上海市闵行区人力资源和社会保障局",
        "上海市闵行区合作交流办公室",
        "上海市闵行区七宝镇人民政府",
        "上海市闵行区莘庄镇人民政府",
    )
    for _ in range(params.seconded_to_shanghai):
        county = rng.choice(world.counties)
        start = rand_date(rng, D("2016-03-01"), D("2020-08-31"))
        pid, joined = f.person(county.code6, (1978, 1992), male=0.65)
        unit, org = _county_unit(world, county.idx)
        end, reason = (add_months(start, rng.choice((6, 12))), "term_end")
        if end > AS_OF:
            end, reason = None, None
        emit((pid, "seconded_cadre", None, None, rng.choice(units), start, end, reason, None))
        emit(
            (
                pid,
                "other",
                None,
                county.code,
                unit,
                rand_date(rng, D("2008-01-01"), D("2015-12-31")),
                None,
                None,
                None,
            )
        )
        f.career_member(pid, joined, [(org, None)])


def write_village_events(world: World, params, cadres: Cadres) -> None:
    """Training of village cadres in 2020 (and earlier), awards of village secretaries."""
    rng = world.rng
    emit = world.emit["events"]
    trained = rng.sample(cadres.current_village_cadres, params.trained_2020)
    for pid in trained:
        days = rng.sample(
            range(D("2020-03-01").toordinal(), D("2020-11-30").toordinal()),
            2 if rng.random() < 0.15 else 1,
        )
        for day in sorted(days):
            emit(
                (
                    pid,
                    "training",
                    dt.date.fromordinal(day),
                    "村(社区)干部能力素质和学历水平提升行动培训",
                )
            )
    for pid in rng.sample(cadres.reserve_current, min(len(cadres.reserve_current), 480)):
        emit(
            (pid, "training", rand_date(rng, D("2019-03-01"), D("2019-11-30")), "村级后备力量培训")
        )
    secretaries = rng.sample(
        cadres.village_secretary, params.top_ten_secretaries + params.good_secretaries
    )
    for k, pid in enumerate(secretaries):
        top = k < params.top_ten_secretaries
        emit(
            (
                pid,
                "award",
                rand_date(rng, D("2020-06-20"), D("2020-07-01"))
                if top
                else rand_date(rng, D("2020-09-01"), D("2020-10-31")),
                "十佳支书" if top else "百名好支书",
            )
        )
    for pid in rng.sample(cadres.village_secretary, 120):
        emit((pid, "award", rand_date(rng, D("2019-06-20"), D("2019-07-01")), "优秀共产党员"))
