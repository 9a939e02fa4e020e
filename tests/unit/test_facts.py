"""loaders.facts: row keys of contract §4, their text in the graph, value digests."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from core.contract import SPECS
from loaders.check import HeaderMap, RowChecker
from loaders.facts import key_dict, key_string, value_digest
from loaders.readers import find_sources


def test_keys_of_the_contract():
    pairing = {"helper_id": "Q1", "household_id": "H1", "start_on": dt.date(2016, 1, 1)}
    assert key_string(SPECS["pairings"], pairing) == "Q1|H1|2016-01-01"
    assert key_dict(SPECS["pairings"], pairing) == {
        "helper_id": "Q1", "household_id": "H1", "start_on": "2016-01-01",
    }  # fmt: skip
    assert key_string(SPECS["persons"], {"person_id": "P1", "name": "x"}) == "P1"
    member = {"person_id": "P1", "team_id": "T1", "role": "leader", "start_on": dt.date(2019, 1, 1)}
    assert key_string(SPECS["team_members"], member) == "P1|T1|leader|2019-01-01"


def test_alternative_key_parts_take_the_first_given():
    post = {
        "person_id": "P1", "post": "party_secretary", "org_id": None, "region_id": "530521",
        "place": "上海", "start_on": dt.date(2018, 1, 1),
    }  # fmt: skip
    assert key_string(SPECS["posts"], post) == "P1|party_secretary|530521|2018-01-01"
    assert "region_id" in key_dict(SPECS["posts"], post)
    assert "place" not in key_dict(SPECS["posts"], post)
    link = {"entity_id": "E1", "person_id": "P9", "link": "leader", "start_on": None}
    assert key_dict(SPECS["enterprise_links"], link) == {
        "entity_id": "E1", "person_id": "P9", "link": "leader", "start_on": None,
    }  # fmt: skip


def test_value_digest_follows_every_column():
    spec = SPECS["pairings"]
    row = {"helper_id": "Q1", "household_id": "H1", "start_on": dt.date(2016, 1, 1)}
    same = value_digest(spec, row)
    assert value_digest(spec, dict(row)) == same
    assert value_digest(spec, {**row, "measures": "就业帮扶"}) != same
    assert -(2**63) <= same < 2**63


# Digests as the graph keeps them (``fact_hash``), computed by the loader of 2026-12-02: a
# different digest would make every row of an existing graph look changed after an upgrade.
PINNED_ROWS = {
    "persons": {
        "person_id": "P000001", "name": "李伟军", "id_number": "53052119700315011X",
        "gender": "male", "birth_date": dt.date(1970, 3, 15), "phone": "13800000000",
        "household_id": "H0001", "relation": "head", "party_member": True,
        "party_joined_on": dt.date(1995, 7, 1), "party_status": "regular",
    },
    "pairings": {
        "helper_id": "Q1", "household_id": "H1", "start_on": dt.date(2016, 1, 1), "end_on": None,
        "declared_form": "one_to_one", "measures": '产业帮扶、"就业"\n培训',
    },
    "collective_income": {"region_id": "530521101201", "year": 2019, "income_yuan": 62000.5},
    "posts": {
        "person_id": "P1", "post": "party_secretary", "org_id": None, "region_id": "530521",
        "place": "上海", "start_on": dt.date(2018, 1, 1), "end_on": None, "end_reason": None,
        "approval_ref": None,
    },
    "regions": {
        "region_id": "530521", "name": "施甸县", "level": "county", "parent_id": "530500",
        "poverty_listed": False, "exited_on": None,
    },
    "households": {
        "household_id": "H0001", "region_id": "530521101201", "size": 4,
        "registered_poor": True, "registered_on": dt.date(2014, 5, 1), "poverty_cause": None,
        "exited_on": dt.date(2019, 12, 31), "industry_conditions": None,
        "relocation_site_id": None, "relocated_on": None,
    },
}  # fmt: skip
PINNED = {
    "persons": ("P000001", 771408773348293212),
    "pairings": ("Q1|H1|2016-01-01", -3192636009591251214),
    "collective_income": ("530521101201|2019", -919882328539968757),
    "posts": ("P1|party_secretary|530521|2018-01-01", 2492539259297789930),
    "regions": ("530521", 5798921620728113863),
    "households": ("H0001", -3840768660128736035),
}


def test_digests_and_keys_are_those_existing_graphs_hold():
    for stem, values in PINNED_ROWS.items():
        spec = SPECS[stem]
        assert (key_string(spec, values), value_digest(spec, values)) == PINNED[stem], stem
    # a column missing from the row counts as empty
    partial = {"helper_id": "Q1", "household_id": "H1"}
    assert value_digest(SPECS["pairings"], partial) == 7115355764905072822


def test_digests_of_the_small_fixture_are_those_existing_graphs_hold():
    """Every accepted row of tests/data/small, typed by the checker: key and digest, pinned
    (if the fixture itself is edited on purpose, recompute the pin with the old loader)."""
    sources, _ = find_sources(Path(__file__).parent.parent / "data" / "small")
    lines = hashlib.sha256()
    count = 0
    for source in sources:
        spec = SPECS[source.stem]
        rows = source.rows()
        _, header = next(rows)
        checker = RowChecker(spec, HeaderMap(spec, header), source.label)
        for number, cells in rows:
            values, _ = checker.check(number, cells)
            if values is None:
                continue
            count += 1
            text = f"{source.stem} {key_string(spec, values)} {value_digest(spec, values)}\n"
            lines.update(text.encode())
    assert count == 54
    assert lines.hexdigest() == "283d4be2e1ef30f721b901136aacaff111c2b7e35b896c4534b87d98e0e9dd0d"
