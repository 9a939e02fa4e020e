"""access.principal: rights by role and masking by role."""

from __future__ import annotations

from access.principal import RIGHTS, Principal, masked_for
from access.tokens import ROLES, Token

CARD = {"id_number": "530521197003150114", "phone": "13887510001", "q": 13887510001}


def test_rights_grow_with_the_role():
    assert set(RIGHTS) == set(ROLES)
    assert RIGHTS["viewer"] < RIGHTS["analyst"] < RIGHTS["admin"]
    assert Principal("t", "analyst", None).may("export")
    assert not Principal("t", "analyst", None).may("unmasked")


def test_masking_by_role():
    token = Token("ab12cd34", "n", "viewer", "530521101000", "2026-01-01", None, "h")
    viewer = Principal.from_token(token, session_id="s1")
    assert (viewer.token_id, viewer.scope, viewer.session_id) == ("ab12cd34", "530521101000", "s1")
    assert viewer.masked(CARD) == {
        "id_number": "530521********0114",
        "phone": "138****0001",
        "q": "138****0001",
    }
    assert Principal("t", "admin", None).masked(CARD) == CARD
    assert masked_for(None, CARD) == viewer.masked(CARD)
    assert viewer.masked([17179869184.0, -13887510001, 1.5e20]) == [
        "171****9184.0",
        "-138****0001",
        1.5e20,
    ]
    assert viewer.masked({"count": 5, "year": 2019, "income": 692000}) == {
        "count": 5,
        "year": 2019,
        "income": 692000,
    }
