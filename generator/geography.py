"""Regions (city, counties, townships, villages and communities), poverty listing, sites.

Counties and townships carry their real 2020 codes and names (``data/baoshan_townships_2020.csv``);
villages and communities get real-style codes (township code + ``0xx`` for communities, ``2xx``
for villages) and generated names. Which units were listed as poor, when they exited, and the
relocation sites follow :class:`generator.baoshan.Params`.
"""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources

from generator.dates import D, rand_date
from generator.names import PlaceNamer
from generator.sink import F, T
from generator.world import County, Site, Township, Village, World, allocate

__all__ = ["build_regions", "build_sites", "read_townships"]


def read_townships() -> list[dict[str, str]]:
    """The rows of the packaged ``baoshan_townships_2020.csv``."""
    text = (
        resources.files("generator")
        .joinpath("data/baoshan_townships_2020.csv")
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(text.splitlines()))


def _kind(name: str) -> str:
    if name.endswith("街道"):
        return "street"
    if name.endswith("镇"):
        return "town"
    return "township"


def _communities(rng, township: Township, units: int, county_seat: bool) -> int:
    """How many of a township's village-level units are communities."""
    if township.kind == "street":
        return max(1, min(units, round(units * rng.uniform(0.55, 0.8))))
    if township.kind == "town":
        return min(units - 1, (rng.randint(4, 9) if county_seat else rng.randint(1, 2)))
    return 1 if rng.random() < 0.2 else 0


def build_regions(world: World, params) -> None:
    """Make and write all regions; mark poverty listing and exits."""
    rng = world.rng
    emit = world.emit["regions"]
    rows = read_townships()
    emit((world.city_code, "保山市", "city", None, F, None))

    by_county: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_county.setdefault(row["county_code"], []).append(row)
    for code6, trows in by_county.items():
        county = County(len(world.counties), code6, code6 + "000000", trows[0]["county_name"])
        exit_text = params.county_exits.get(county.name)
        if exit_text:
            county.listed, county.exited_on = True, D(exit_text)
        world.counties.append(county)
        for trow in trows:
            units = int(trow["village_units_2021"]) - params.units_dropped.get(
                trow["township_name"], 0
            )
            t = Township(
                len(world.townships),
                trow["township_code"],
                trow["township_name"],
                county.idx,
                _kind(trow["township_name"]),
                units,
            )
            world.townships.append(t)
            county.townships.append(t.idx)

    _list_townships(world, params)
    for county in world.counties:
        namer = PlaceNamer(rng)
        emit(
            (
                county.code,
                county.name,
                "county",
                world.city_code,
                T if county.listed else F,
                county.exited_on,
            )
        )
        for ti in county.townships:
            t = world.townships[ti]
            namer.reserve(t.name[:2])
            emit((t.code, t.name, "township", county.code, T if t.listed else F, t.exited_on))
            seat = t.name in params.county_seats
            n_comm = _communities(rng, t, t.units_2021, seat)
            prefix = t.code[:9]
            for k in range(t.units_2021):
                if k < n_comm:
                    code, level, name = f"{prefix}{k + 1:03d}", "community", namer.community()
                else:
                    code, level, name = (
                        f"{prefix}{200 + k - n_comm + 1:03d}",
                        "village",
                        namer.village(),
                    )
                v = Village(len(world.villages), code, name, level, t.idx, county.idx)
                world.villages.append(v)
                t.villages.append(v.idx)
    _list_villages(world, params)
    for v in world.villages:
        emit(
            (
                v.code,
                v.name,
                v.level,
                world.townships[v.township].code,
                T if v.listed else F,
                v.exited_on,
            )
        )


def _year_end(rng, year: int) -> dt.date:
    """An exit date as announced at a year-end assessment (mid to late December)."""
    return dt.date(year, 12, rng.randint(12, 28))


def _list_townships(world: World, params) -> None:
    """Poverty-listed townships: all 乡 and a share of 镇 of the listed counties."""
    rng = world.rng
    candidates = []
    for county in world.counties:
        if not county.listed:
            continue
        for ti in county.townships:
            t = world.townships[ti]
            if t.kind == "township":
                candidates.append((0, rng.random(), ti))
            elif t.kind == "town" and t.name not in params.county_seats:
                candidates.append((1, rng.random(), ti))
    candidates.sort()
    for _, _, ti in candidates[: params.listed_townships]:
        t = world.townships[ti]
        county = world.counties[t.county]
        assert county.exited_on is not None
        years = [
            y
            for y in params.township_exit_years
            if y < county.exited_on.year
            or (y == county.exited_on.year and dt.date(y, 12, 31) < county.exited_on)
        ]
        if not years:  # the county exited early in the year: its townships exited the year before
            years = [county.exited_on.year - 1]
        t.listed = True
        t.exited_on = _year_end(rng, rng.choice(years))


def _list_villages(world: World, params) -> None:
    """Poverty-listed villages (never communities), weighted to listed townships."""
    rng = world.rng
    keyed = []
    for v in world.villages:
        if v.level != "village":
            continue
        t = world.townships[v.township]
        county = world.counties[v.county]
        w = 3.0 if t.listed else (1.0 if county.listed else 0.5)
        keyed.append((rng.random() ** (1.0 / w), v.idx))
    keyed.sort(reverse=True)
    years, weights = zip(*params.village_exit_years, strict=True)
    for _, vi in keyed[: params.listed_villages]:
        v = world.villages[vi]
        t = world.townships[v.township]
        v.listed = True
        year = rng.choices(years, weights=weights)[0]
        if t.listed and t.exited_on is not None and year > t.exited_on.year:
            year = t.exited_on.year
        if year == 2020:
            v.exited_on = rand_date(rng, D("2020-10-20"), D("2020-11-20"))
        else:
            v.exited_on = _year_end(rng, year)
        if t.exited_on is not None and v.exited_on > t.exited_on:
            v.exited_on = t.exited_on


def build_sites(world: World, params) -> None:
    """The relocation sites: 223 at scale 1 and every scale; sizes, places and opening dates."""
    rng = world.rng
    counts = params.sites_per_county
    for county in world.counties:
        n = counts[county.name]
        namer = PlaceNamer(rng)
        towns = [world.townships[ti] for ti in county.townships]
        seat_towns = [t for t in towns if t.kind == "street" or t.name in params.county_seats]
        poor_towns = [t for t in towns if t.listed] or towns
        for k in range(n):
            big = k < max(1, round(n * params.site_township_share))
            if big:
                t = rng.choice(seat_towns if rng.random() < 0.5 else towns)
                region, village = t.code, None
                planned = rng.randint(180, 900)
            else:
                t = rng.choice(poor_towns if rng.random() < 0.7 else towns)
                v = world.villages[rng.choice(t.villages)]
                region, village = v.code, v.idx
                planned = int(rng.lognormvariate(3.6, 0.7)) + 8
                planned = min(planned, 260)
            base = namer.village()[:-1]
            style = rng.random()
            if big:
                name = f"{t.name}{base}易地扶贫搬迁集中安置区"
            elif style < 0.6:
                name = f"{base}易地扶贫搬迁安置点"
            elif style < 0.85:
                name = f"{base}新村安置点"
            else:
                name = f"{base}幸福家园安置点"
            site = Site(
                len(world.sites),
                f"AZ{county.code6}{k + 1:03d}",
                name,
                region,
                t.idx,
                county.idx,
                village,
                rand_date(rng, D("2016-05-01"), D("2019-10-31")),
                planned,
            )
            world.sites.append(site)
    # planned households scaled to the profile's total
    parts = allocate(params.planned_households, [s.planned for s in world.sites], rng)
    for site, planned in zip(world.sites, parts, strict=True):
        site.planned = max(8, planned)
    emit = world.emit["relocation_sites"]
    for s in world.sites:
        emit((s.site_id, s.name, s.region, s.opened_on, s.planned))
