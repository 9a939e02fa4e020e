"""The state shared by the parts of a generation run: random stream, output, tables, people.

A :class:`World` holds the regions, sites and organisations once they are made, the emitters of
the 15 files and a :class:`People` factory that writes persons rows with valid id numbers.
Nothing here knows the Baoshan figures: those live in :mod:`generator.baoshan`.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.dates import AS_OF, D, rand_date, years_before
from generator.idnumber import IdNumberIssuer
from generator.names import person_name, surname
from generator.sink import CsvSink, F, T

__all__ = [
    "County",
    "Township",
    "Village",
    "Site",
    "Org",
    "People",
    "World",
    "allocate",
    "scaled",
]

#: Probationary members are those admitted within the year before the as-of date.
PROBATION_SINCE = D("2020-01-01")


def scaled(value: float, scale: float) -> int:
    """``value * scale`` rounded half up (the calibration's rule for scaled figures)."""
    return int(math.floor(value * scale + 0.5))


def allocate(
    total: int,
    weights: Sequence[float],
    rng: random.Random,
    caps: Sequence[int] | None = None,
) -> list[int]:
    """Split ``total`` into integer parts proportional to ``weights`` (largest remainder).

    Ties are broken at random; ``caps`` bounds each part (what a part cannot take goes to the
    others). Raises ``ValueError`` when the caps cannot hold ``total``.
    """
    n = len(weights)
    parts = [0] * n
    if caps is not None and sum(caps) < total:
        raise ValueError(f"cannot allocate {total} into parts capped at {sum(caps)}")
    remaining = total
    active = [i for i in range(n) if weights[i] > 0 and (caps is None or caps[i] > 0)]
    while remaining > 0:
        if not active:
            # only zero-weight parts can take the rest: spread evenly over those with room
            active = [i for i in range(n) if caps is None or parts[i] < caps[i]]
            weights = [1.0] * n
        wsum = sum(weights[i] for i in active)
        quotas = {i: remaining * weights[i] / wsum for i in active}
        given = 0
        fractions = []
        for i in active:
            room = remaining if caps is None else caps[i] - parts[i]
            whole = min(int(quotas[i]), room)
            parts[i] += whole
            given += whole
            fractions.append((quotas[i] - int(quotas[i]), rng.random(), i))
        left = remaining - given
        fractions.sort(reverse=True)
        for _, _, i in fractions:
            if left == 0:
                break
            if caps is None or parts[i] < caps[i]:
                parts[i] += 1
                left -= 1
        remaining = left
        active = [i for i in active if caps is None or parts[i] < caps[i]]
    return parts


@dataclass
class County:
    idx: int
    code6: str
    code: str
    name: str
    listed: bool = False
    exited_on: dt.date | None = None
    townships: list[int] = field(default_factory=list)


@dataclass
class Township:
    idx: int
    code: str
    name: str
    county: int
    kind: str  # street 街道 | town 镇 | township 乡
    units_2021: int
    listed: bool = False
    exited_on: dt.date | None = None
    villages: list[int] = field(default_factory=list)


@dataclass
class Village:
    idx: int
    code: str
    name: str
    level: str  # village | community
    township: int
    county: int
    listed: bool = False
    exited_on: dt.date | None = None


@dataclass
class Site:
    idx: int
    site_id: str
    name: str
    region: str
    township: int
    county: int
    village: int | None
    opened_on: dt.date
    planned: int
    org_id: str | None = None
    org_founded: dt.date | None = None
    #: org whose region is the site's region, used when the site has no organisation
    local_org_id: str | None = None


@dataclass
class Org:
    org_id: str
    name: str
    kind: str
    parent: str | None
    region: str | None
    site: str | None
    setting: str
    founded: dt.date
    dissolved: dt.date | None = None


class People:
    """Makes person ids and writes persons rows.

    Person ids are ``P`` + 9 digits, allocated in order of need; a row may be written later
    than its id was allocated (helpers are chosen before their rows are written).
    """

    def __init__(self, rng: random.Random, emit: Callable[[Sequence[Any]], None]) -> None:
        self.rng = rng
        self.emit = emit
        self.ids = IdNumberIssuer()
        self._next = 1
        self.party_members = 0

    def new_id(self) -> str:
        pid = f"P{self._next:09d}"
        self._next += 1
        return pid

    def phone(self) -> str:
        rng = self.rng
        prefix = rng.choice(
            (
                "139",
                "138",
                "137",
                "136",
                "135",
                "158",
                "159",
                "150",
                "151",
                "152",
                "187",
                "188",
                "182",
                "183",
                "133",
                "153",
                "180",
                "181",
                "189",
                "177",
                "130",
                "131",
                "132",
                "155",
                "156",
                "185",
                "186",
            )
        )
        return f"{prefix}{rng.randint(0, 99_999_999):08d}"

    def birth(self, first_year: int, last_year: int) -> dt.date:
        return rand_date(self.rng, dt.date(first_year, 1, 1), dt.date(last_year, 12, 31))

    def joined(
        self, birth: dt.date, latest: dt.date = AS_OF, earliest: dt.date | None = None
    ) -> dt.date:
        """A plausible party admission date: from age 18 (or ``earliest``) to ``latest``.

        Admissions are skewed towards the person's twenties and thirties.
        """
        first = years_before(birth, -18)
        if earliest is not None and earliest > first:
            first = earliest
        last = min(latest, AS_OF)
        if last <= first:
            return first if first <= AS_OF else AS_OF
        span = last.toordinal() - first.toordinal()
        u = self.rng.random() ** 1.8  # skew towards the start of the range
        return dt.date.fromordinal(first.toordinal() + int(u * span))

    def write(
        self,
        pid: str,
        county6: str,
        gender: str,
        birth: dt.date,
        *,
        name: str | None = None,
        household: str | None = None,
        relation: str | None = None,
        joined: dt.date | None = None,
        phone: bool = True,
    ) -> None:
        """Write one persons row (``joined`` set = party member)."""
        if name is None:
            name = person_name(self.rng, gender, birth.year)
        status = None
        if joined is not None:
            self.party_members += 1
            status = "probationary" if joined >= PROBATION_SINCE else "full"
        self.emit(
            (
                pid,
                name,
                self.ids.issue(county6, birth, gender),
                gender,
                birth,
                self.phone() if phone else None,
                household,
                relation,
                T if joined is not None else F,
                joined,
                status,
            )
        )

    def surname(self) -> str:
        return surname(self.rng)


class World:
    """Everything a part of the generator needs: rng, scale, emitters and the fixed tables."""

    def __init__(self, sink: CsvSink, rng: random.Random, scale: float) -> None:
        self.sink = sink
        self.rng = rng
        self.scale = scale
        self.emit = {name: sink.emitter(name) for name in sink.counts}
        self.people = People(rng, self.emit["persons"])
        self.counties: list[County] = []
        self.townships: list[Township] = []
        self.villages: list[Village] = []
        self.sites: list[Site] = []
        self.orgs: dict[str, Org] = {}
        self.city_code = "530500000000"
        self._org_serial: dict[str, int] = {}
        # organisation lookups filled by generator.organizations
        self.city_committee = ""
        self.city_organs: list[str] = []
        self.county_committee: list[str] = []
        self.county_organs: list[list[str]] = []
        self.township_committee: list[str] = []
        self.township_organ: list[str] = []
        self.youth_branch: list[str] = []
        self.village_org: list[str] = []
        self.village_units: list[list[str]] = []  # orgs members of a village belong to
        self.organ_units: list[list[tuple[str, str]]] = []  # per county: (unit name, org id)
        self.city_units: list[tuple[str, str]] = []

    # -- helpers -------------------------------------------------------------------------
    def new_org_id(self, region: str) -> str:
        n = self._org_serial.get(region, 0) + 1
        self._org_serial[region] = n
        return f"O{region}{n:03d}"

    def add_org(self, org: Org) -> Org:
        self.orgs[org.org_id] = org
        self.emit["organizations"](
            (
                org.org_id,
                org.name,
                org.kind,
                org.parent,
                org.region,
                org.site,
                org.setting,
                org.founded,
                org.dissolved,
            )
        )
        return org

    def member(self, pid: str, org_id: str, start: dt.date, end: dt.date | None = None) -> None:
        """A membership row; starts no earlier than the organisation's founding."""
        founded = self.orgs[org_id].founded
        if start < founded:
            start = founded
        if end is not None and end <= start:
            raise ValueError(f"membership of {pid} in {org_id} ends {end} before {start}")
        self.emit["memberships"]((pid, org_id, start, end))

    def county6_of_region(self, region: str) -> str:
        if region == self.city_code:
            return self.rng.choice(self.counties).code6
        return region[:6]
