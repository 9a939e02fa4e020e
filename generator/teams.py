"""Village work teams (驻村工作队), their members, and phone spot checks of members.

Every poverty-listed village has a team from its arrival (2015-2016) on; most teams were rotated
in March-April 2018 (the old team ends the day the new one starts), a few with a gap over the
new year 2019. Team ids are ``T`` + the village code + a 2-digit rotation number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.dates import D, rand_date
from generator.posts import Cadres
from generator.world import World, allocate

__all__ = ["Teams", "build_teams"]


@dataclass
class _Person:
    pid: str
    unit: str
    county: int  # county of the unit (for promotions)
    county_unit: bool
    party_member: bool


@dataclass
class _TeamPlan:
    village: int
    arrived: dt.date
    rotate: bool
    gap_end: dt.date | None = None
    gap_start: dt.date | None = None


@dataclass
class Teams:
    #: (person id, county index, promotion date, unit): old-team members promoted later
    promoted: list[tuple[str, int, dt.date, str]] = field(default_factory=list)
    current_by_county: list[list[str]] = field(default_factory=list)
    current: int = 0


def build_teams(world: World, params, cadres: Cadres) -> Teams:
    rng = world.rng
    f = cadres.factory
    out = Teams(current_by_county=[[] for _ in world.counties])
    emit_team = world.emit["work_teams"]
    emit_member = world.emit["team_members"]

    listed = [v for v in world.villages if v.listed]
    others = []
    for v in world.villages:
        if v.listed or v.level != "village":
            continue
        t = world.townships[v.township]
        w = 3.0 if t.listed else (2.0 if world.counties[v.county].listed else 1.0)
        others.append((rng.random() ** (1.0 / w), v.idx))
    others.sort(reverse=True)
    n_extra = params.work_teams - len(listed)
    if n_extra < 0:
        raise ValueError("more poverty-listed villages than work teams")
    team_villages = sorted([v.idx for v in listed] + [vi for _, vi in others[:n_extra]])

    # composition of the current teams: exact distinct persons
    n = len(team_villages)
    # one first secretary and one leader per team (the same person would need two rows with
    # one start date), the rest members
    members_total = params.team_members - 2 * n
    members = allocate(members_total, [1.0] * n, rng)

    rotated_listed: list[int] = []
    plan: list[_TeamPlan] = []
    for k, vi in enumerate(team_villages):
        v = world.villages[vi]
        if v.listed:
            t0 = rand_date(rng, D("2015-03-01"), D("2016-04-30"))
        else:
            t0 = rand_date(rng, D("2016-03-01"), D("2018-02-28"))
        rotate = t0 < D("2017-06-30") and rng.random() < 0.65
        if rotate and v.listed:
            rotated_listed.append(k)
        plan.append(_TeamPlan(vi, t0, rotate))
    for k in rng.sample(rotated_listed, min(params.teams_with_gap, len(rotated_listed))):
        plan[k].gap_end = rand_date(rng, D("2018-12-05"), D("2018-12-20"))
        plan[k].gap_start = rand_date(rng, D("2019-01-08"), D("2019-01-25"))

    def new_person(unit: str, county: int, county_unit: bool, leader: bool) -> _Person:
        county6 = world.counties[county].code6
        pid, joined = f.person(county6, (1968, 1995), male=0.78, member=1.0 if leader else 0.85)
        org = unit_orgs[unit]
        f.career_member(pid, joined, [(org, None)])
        return _Person(pid, unit, county, county_unit, joined is not None)

    unit_orgs = {name: org for units in world.organ_units for name, org in units}
    unit_orgs.update(dict(world.city_units))
    candidates_promotion: list[tuple[_Person, dt.date]] = []

    for k, tp in enumerate(plan):
        v = world.villages[tp.village]
        t0 = tp.arrived
        t = world.townships[v.township]
        if rng.random() < 0.7:
            unit, _ = rng.choice(world.organ_units[v.county])
            unit_county, county_unit = v.county, True
        else:
            unit, _ = rng.choice(world.city_units)
            unit_county, county_unit = rng.randrange(len(world.counties)), False
        name = f"{unit}驻{t.name}{v.name}工作队"
        old: list[_Person] = []
        if tp.rotate:
            old_end = tp.gap_end or rand_date(rng, D("2018-03-01"), D("2018-04-20"))
            start = tp.gap_start or old_end
            emit_team((f"T{v.code}01", name, v.code, unit, t0, old_end))
            fs = new_person(unit, unit_county, county_unit, True)
            emit_member((fs.pid, f"T{v.code}01", "first_secretary", t0, old_end))
            leader = new_person(unit, unit_county, county_unit, True)
            emit_member((leader.pid, f"T{v.code}01", "leader", t0, old_end))
            old = [fs, leader]
            for _ in range(rng.randint(1, 3)):
                m = new_person(unit, unit_county, county_unit, False)
                emit_member((m.pid, f"T{v.code}01", "member", t0, old_end))
                old.append(m)
            team_id = f"T{v.code}02"
        else:
            start, team_id = t0, f"T{v.code}01"
        emit_team((team_id, name, v.code, unit, start, None))
        out.current += 1

        continuing = [p for p in old if rng.random() < 0.2]
        for p in old:
            if p not in continuing and p.county_unit and world.counties[p.county].listed:
                candidates_promotion.append((p, start))

        roles = ["first_secretary", "leader"] + ["member"] * members[k]
        for role in roles:
            leader_like = role != "member"
            fit = [p for p in continuing if p.party_member or not leader_like]
            if fit and rng.random() < 0.5:
                person = fit[-1]
                continuing.remove(person)
            else:
                person = new_person(unit, unit_county, county_unit, leader_like)
            since = start
            if rng.random() < params.team_replacement_share:
                replaced = rand_date(rng, start + dt.timedelta(days=180), D("2020-10-31"))
                predecessor = new_person(unit, unit_county, county_unit, leader_like)
                emit_member((predecessor.pid, team_id, role, start, replaced))
                since = replaced
            emit_member((person.pid, team_id, role, since, None))
            out.current_by_county[v.county].append(person.pid)

    # old-team members promoted after their stationing (figure 32)
    for p, ended in rng.sample(candidates_promotion, params.promoted_team_members):
        on = rand_date(rng, ended + dt.timedelta(days=60), D("2020-12-15"))
        out.promoted.append((p.pid, p.county, on, p.unit))
    return out


def write_team_events(world: World, params, teams: Teams) -> None:
    """Phone spot checks of team members in 2020 (figure 36) and talks (谈心谈话)."""
    rng = world.rng
    emit = world.emit["events"]
    for county, n in zip(world.counties, params.phone_checks_per_county, strict=True):
        for pid in rng.sample(teams.current_by_county[county.idx], n):
            emit(
                (
                    pid,
                    "phone_check",
                    rand_date(rng, D("2020-02-20"), D("2020-06-30")),
                    "返岗、传达学习上级文件、谈心谈话、近期工作情况电话抽查",
                )
            )
    everyone = [pid for pids in teams.current_by_county for pid in pids]
    for pid in rng.sample(everyone, min(len(everyone), 240)):
        emit((pid, "other", rand_date(rng, D("2020-01-10"), D("2020-12-10")), "谈心谈话"))
