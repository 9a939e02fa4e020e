"""loaders.facts: row keys of contract §4, their text in the graph, value digests."""

from __future__ import annotations

import datetime as dt

from core.contract import SPECS
from loaders.facts import key_dict, key_string, value_digest


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
