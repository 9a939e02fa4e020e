"""The ``baoshan`` profile: Baoshan city (保山市), Yunnan, 2014-2020, calibrated to the seed.

:class:`Params` holds every number: the seed's figures (docs/calibration.md) and the choices the
seed does not state (README.md beside this module explains them). :func:`generate_baoshan`
runs the parts in order; each part draws from its own random stream derived from the seed, so
the fixed entities (regions, organisations, cadres, teams ...) are identical at every scale.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

from generator.assessments import write_assessments
from generator.economy import (
    build_enterprises,
    build_entity_branches,
    write_collective_income,
    write_partner_links,
)
from generator.geography import build_regions, build_sites
from generator.organizations import build_organizations
from generator.population import plan_households, write_population
from generator.posts import build_cadres, write_promotions, write_village_events
from generator.sink import CsvSink
from generator.teams import build_teams, write_team_events
from generator.world import World

__all__ = ["Params", "generate_baoshan", "estimate_rows"]


class Params:
    """Numbers of the Baoshan profile. Figures from the seed are marked (seed)."""

    # -- regions ---------------------------------------------------------------------------
    #: poverty-listed counties and their exit (摘帽) dates; 腾冲市 was not listed
    county_exits = MappingProxyType(
        {
            "隆阳区": "2019-04-30",
            "施甸县": "2019-04-30",
            "龙陵县": "2020-05-17",
            "昌宁县": "2018-09-29",
        }
    )
    county_seats = ("兰城街道", "永昌街道", "九隆街道", "甸阳镇", "龙山镇", "田园镇", "腾越镇")
    #: 955 units of 2021 less 5 created in 2021 (county-seat communities split) = 950 (seed)
    units_dropped = MappingProxyType(
        {"兰城街道": 1, "永昌街道": 1, "九隆街道": 1, "田园镇": 1, "腾越镇": 1}
    )
    listed_townships = 35
    township_exit_years = (2016, 2017, 2018, 2019)
    listed_villages = 320
    village_exit_years = ((2015, 5), (2016, 15), (2017, 25), (2018, 30), (2019, 22), (2020, 3))

    # -- relocation sites (seed: 223 sites, 147 site organisations) ----------------------
    sites_per_county = MappingProxyType(
        {"隆阳区": 68, "施甸县": 42, "龙陵县": 38, "昌宁县": 44, "腾冲市": 31}
    )
    site_township_share = 0.2
    planned_households = 15_200
    site_orgs = 147
    migrant_destinations = ("上海", "浙江")

    # -- business entities and collective income ------------------------------------------
    companies_per_county = (25, 50)
    company_new_type_share = 0.4
    coop_led_share = 0.35
    site_workshop_share = 0.45
    village_workshops = 40
    cooperative_branches = 60
    company_branches = 40
    income_floor_2019 = 50_000  # every village >= 50k in 2019 (seed)
    income_high_2019 = 500_000
    income_high_count_2019 = 37  # (seed)
    income_total_2019 = 126_000_000  # (seed)
    income_2020_over_1m = 16
    income_2020_over_500k = 52
    income_2020_over_300k = 105

    # -- cadres (seed figures 25-37) -------------------------------------------------------
    head_adjustments = MappingProxyType(
        {
            "pre2019_after_exit": 2,
            "pre2019_approved": 3,
            "since2019_after_exit": 11,
            "since2019_approved": 7,
        }
    )  # 23 in all, 13 at least six months after exit, 18 since 2019 (seed)
    township_head_promotions = 31  # (seed)
    rich_township_promotions_since_2019 = 12
    county_head_promotions = 2
    promoted_poor_counties = 117  # (seed)
    promoted_since_2019 = 454  # (seed)
    promoted_team_members = 10  # (seed)
    city_share_of_other_promotions = 0.6
    reserve_cadres = 3_199  # (seed)
    reserve_cadres_ended = 320
    census_staff = MappingProxyType(
        {
            "census_chief": 4,
            "census_deputy": 8,
            "census_enumerator": 707,
            "census_instructor": 114,
            "census_auditor": 20,
        }
    )  # (seed)
    seconded_from_minhang = 11  # (seed)
    seconded_from_minhang_before_2016 = 2
    seconded_to_shanghai = 30  # (seed)
    trained_2020 = 665  # (seed)
    top_ten_secretaries = 10  # (seed)
    good_secretaries = 7  # (seed)

    # -- work teams (seed: 413 teams, 1,466 members, 56 phone checks) --------------------
    work_teams = 413
    team_members = 1_466
    teams_with_gap = 5
    team_replacement_share = 0.08
    phone_checks_per_county = (12, 11, 11, 11, 11)

    # -- assessments (seed: 106 weak in 2019, 82 in 2020, 10 top-ten branches) ---------
    weak_2019 = 106
    weak_2020 = 82
    weak_again_2020 = 24
    top_ten_branches = 10
    standardized_share = MappingProxyType({2019: 0.5, 2020: 0.76})

    # -- population at scale 1 (multiplied by --scale) --------------------------------------
    households_industry_linked = 90_866  # (seed)
    persons_industry_linked = 373_043  # (seed)
    new_type_share = 0.966  # (seed)
    households_industry_unlinked = 420
    households_no_industry = 9_000
    households_not_poor_relocated = 2_000
    relocated_households = 14_700
    households_not_exited = 2_480
    poor_party_member_households = 104  # (seed)
    poor_party_members = 109  # (seed)
    relocated_party_members = 2_706  # (seed)
    relocated_double_share = 0.07
    other_household_party_member_rate = 0.012
    village_party_members = 42_000
    organ_party_members = 28_000
    county_poverty_weight = MappingProxyType(
        {"隆阳区": 1.0, "施甸县": 1.2, "龙陵县": 1.2, "昌宁县": 1.1, "腾冲市": 0.7}
    )
    not_exited_county_weight = MappingProxyType(
        {"隆阳区": 1.0, "施甸县": 1.0, "龙陵县": 2.0, "昌宁县": 0.8, "腾冲市": 0.8}
    )
    declared_form_mismatch = 0.02
    pairing_ended_after_exit = 0.05
    pairing_replaced = 0.12
    #: shares of current components: many-to-many, many-to-one, one-to-one (rest one-to-many)
    pairing_shape_shares = (0.004, 0.06, 0.22)
    #: shares of helpers who are village party members (else organ cadres) in components
    #: one-to-one, one-to-many and many-to-one
    village_helper_shares = (0.75, 0.3, 0.6)


def estimate_rows(scale: float) -> int:
    """About how many rows a run writes (for a progress bar's total)."""
    return int(45_000 + 1_030_000 * scale)


def generate_baoshan(
    out: Path,
    scale: float = 1.0,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write the dataset into ``out``; return the number of rows per file.

    ``progress`` is called now and then with the number of rows written so far.
    """
    if not scale > 0:
        raise ValueError("scale must be positive")
    p = Params

    with CsvSink(out) as sink:
        world = World(sink, random.Random(seed), scale)

        def phase(name: str) -> None:
            world.rng = random.Random(f"{seed}:{name}")
            world.people.rng = world.rng
            if progress:
                progress(sink.total)

        phase("regions")
        build_regions(world, p)
        build_sites(world, p)
        phase("organizations")
        build_organizations(world, p)
        phase("enterprises")
        eco = build_enterprises(world, p)
        build_entity_branches(world, eco, p)
        phase("cadres")
        cadres = build_cadres(world, p)
        phase("teams")
        teams = build_teams(world, p, cadres)
        phase("promotions")
        write_promotions(world, p, cadres, teams.promoted)
        phase("events")
        write_team_events(world, p, teams)
        write_village_events(world, p, cadres)
        phase("assessments")
        write_assessments(world, p)
        write_collective_income(world, p)
        phase("plan")
        plan = plan_households(world, p)
        phase("population")
        write_population(
            world, p, plan, eco, cadres.village_secretary, lambda: progress and progress(sink.total)
        )
        phase("partners")
        write_partner_links(world, eco)
        if progress:
            progress(sink.total)
        return dict(sink.counts)
