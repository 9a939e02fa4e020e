"""loaders.keyset.KeySet against a dict, on random and adversarial digests."""

from __future__ import annotations

import random

from loaders.keyset import KeySet


def test_behaves_like_a_dict_of_digests():
    rng = random.Random(7)
    digests = [rng.randint(-(2**63), 2**63 - 1) for _ in range(20_000)]
    digests += [0, 1, -1, 2**63 - 1, -(2**63)]  # 0 would look like an empty slot
    digests += digests[:500]  # repeats
    keys = KeySet(10)  # grows many times
    reference: dict[int, int] = {}
    for i, d in enumerate(digests):
        assert keys.setdefault(d, i) == reference.get(d)
        reference.setdefault(d, i)
    assert len(keys) == len(reference)
    for d, v in reference.items():
        assert keys.get(d) == v
    assert keys.get(12345678987654321) is None or 12345678987654321 in reference


def test_put_overwrites_and_digests_sharing_low_bits_do_not_collide():
    keys = KeySet(4)
    clustered = [i << 40 for i in range(1, 2000)]  # identical low bits
    for d in clustered:
        keys.put(d, d >> 40)
    keys.put(clustered[0], -5)
    assert keys.get(clustered[0]) == -5
    assert [keys.get(d) for d in clustered[1:]] == list(range(2, 2000))
    assert len(keys) == len(clustered)
