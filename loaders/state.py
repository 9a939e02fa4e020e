"""The facts of one kind as the graph holds them, and how a file's rows compare with them.

A file is a snapshot of its kind (contract §4). To tell, row by row, whether a fact is added,
changed or unchanged — and which facts the file no longer holds — the loader reads the key and
value digest of every fact of the kind once (one label or type scan, ``state_*.cypher``) into
two sorted arrays of 64-bit digests (16 bytes a fact: memory grows with the kind, not with the
whole graph). Keys new to the graph are remembered in a compact set of digests
(:class:`loaders.keyset.KeySet`, about 30 bytes a key: few on a monthly reload, every row on a
first load).

:class:`KindState` also finds duplicates: the same key twice in one file is loaded once when
the rows are identical, and the later row is rejected when they differ.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from loaders.facts import key_digest
from loaders.keyset import KeySet

__all__ = ["KindState", "Verdict"]

_LOW32 = 0xFFFFFFFF


class Verdict(enum.Enum):
    ADDED = "added"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    #: the same key again in this file, with the same values: loaded once
    REPEATED = "repeated"
    #: the same key again in this file, with other values: the later row is rejected
    CONFLICT = "conflict"


@dataclass
class Admitted:
    verdict: Verdict
    #: for CONFLICT: the row of the first occurrence
    first_row: int = 0


class KindState:
    """The graph's facts of one kind (their key and value digests) and the rows seen so far."""

    def __init__(self, keys: np.ndarray, hashes: np.ndarray, *, expected: int = 0) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.hashes = hashes[order]
        self.size = len(self.keys)
        #: for each fact of the graph, the Excel row that named it in this file (0: none yet)
        self.rows = np.zeros(self.size, dtype=np.int64)
        #: value digests (low 32 bits) and rows of keys new to the graph: packed row << 32 | hash
        self.new = KeySet(max(expected, 1 << 10))
        #: facts of the graph that must not be retracted although no accepted row names them
        #: (their row was rejected but its key could be read)
        self.protected = np.zeros(self.size, dtype=bool)

    @classmethod
    def empty(cls, expected: int = 0) -> KindState:
        """No fact of the kind in the graph; ``expected``: about how many rows will come."""
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), expected=expected)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, int | None]]) -> KindState:
        """From (key string, value digest) pairs as ``state_*.cypher`` returns them."""
        keys: list[int] = []
        hashes: list[int] = []
        for key, value_hash in pairs:
            keys.append(key_digest(key))
            # A fact written without a digest (by an older loader) compares as changed.
            hashes.append(0 if value_hash is None else value_hash)
        return cls(np.array(keys, dtype=np.int64), np.array(hashes, dtype=np.int64))

    def _position(self, digest: int) -> int:
        """Index of ``digest`` among the graph's facts, or -1."""
        if not self.size:
            return -1
        i = int(np.searchsorted(self.keys, digest))
        return i if i < self.size and self.keys[i] == digest else -1

    def admit(self, key: str, value_hash: int, row: int) -> Admitted:
        """Compare one accepted row with the graph and with the rows seen before it."""
        digest = key_digest(key)
        i = self._position(digest)
        if i >= 0:
            first = int(self.rows[i])
            if first:
                # seen before in this file: equal to the graph means equal to that row
                same = int(self.hashes[i]) == value_hash
                return Admitted(Verdict.REPEATED) if same else Admitted(Verdict.CONFLICT, first)
            self.rows[i] = row
            if int(self.hashes[i]) == value_hash:
                return Admitted(Verdict.UNCHANGED)
            # remember the row's own digest for a later repeat of the key
            self.hashes[i] = value_hash
            return Admitted(Verdict.CHANGED)
        packed = self.new.setdefault(digest, (row << 32) | (value_hash & _LOW32))
        if packed is None:
            return Admitted(Verdict.ADDED)
        if packed & _LOW32 == value_hash & _LOW32:
            return Admitted(Verdict.REPEATED)
        return Admitted(Verdict.CONFLICT, packed >> 32)

    def protect(self, key: str) -> None:
        """Keep the graph's fact with this key (its row was rejected, but names it)."""
        i = self._position(key_digest(key))
        if i >= 0:
            self.protected[i] = True

    @property
    def unnamed(self) -> int:
        """How many of the graph's facts no row of the file names (nor protects)."""
        return int(np.count_nonzero((self.rows == 0) & ~self.protected))

    def is_unnamed(self, key: str) -> bool:
        """Whether the graph's fact with this key is neither named nor protected by the file."""
        i = self._position(key_digest(key))
        return i >= 0 and not self.rows[i] and not self.protected[i]
