"""The result store's encoding (queries/answers.py): what goes in comes out, and a body that
does not check is refused (the store's database side is in tests/integration)."""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from dataclasses import dataclass

import pytest

from queries.answers import StoreError, decode, encode, key_of
from queries.report import Figure
from queries.runner import Result


def test_values_survive_the_round_trip() -> None:
    value = {
        "day": dt.date(2020, 12, 31),
        "at": dt.datetime(2020, 12, 31, 8, 30, tzinfo=dt.UTC),
        "nested": {"a": [1, 2.5, None, True, "文字", {"b": dt.date(2016, 1, 1)}]},
        "figures": [Figure("counties", "县", "counties", 5, 5)],
        "result": Result("q", {"as_of": dt.date(2020, 1, 1)}, ["a"], [{"a": [1, "x"]}], {"n": 1}),
    }
    body, digest = encode(value)
    assert decode(body, digest) == value
    assert isinstance(decode(body, digest)["result"], Result)
    assert decode(*encode({"pair": (1, 2)})) == {"pair": [1, 2]}  # a tuple comes back a list


def test_a_body_that_does_not_check_is_refused() -> None:
    body, digest = encode([1, 2, 3])
    with pytest.raises(StoreError):
        decode(body + b"\0", digest)
    with pytest.raises(StoreError):
        decode(body, "0" * 64)
    for junk in (
        zlib.compress(b"{not json"),
        b"not zlib",
        zlib.compress(b'{"$c": "Nope", "f": {}}'),
    ):
        with pytest.raises(StoreError):
            decode(junk, hashlib.sha256(junk).hexdigest())


def test_only_registered_dataclasses_are_stored() -> None:
    @dataclass
    class Unknown:
        x: int

    with pytest.raises(TypeError):
        encode(Unknown(1))
    with pytest.raises(TypeError):
        encode({"s": {1, 2}})


def test_keys_differ_by_name_parameters_and_scope() -> None:
    base = ("query", "one_helps_many", None, (("as_of", dt.date(2020, 12, 31)),))
    keys = {
        key_of(base),
        key_of(("query", "pairing_patterns", *base[2:])),
        key_of(("query", "one_helps_many", "530521", base[3])),
        key_of(("query", "one_helps_many", None, (("as_of", dt.date(2020, 12, 30)),))),
    }
    assert len(keys) == 4 and key_of(base) == key_of(tuple(base))
