"""A compact set of 64-bit key digests with a 64-bit value each, for the keys of one file.

A file's rows must be checked for repeated keys as they stream by (an identical repeat is
loaded once, a conflicting one rejected). A Python ``dict`` of ints costs about 100 bytes an
entry — 500 MB for the 4.9 million persons of a scale-10 dataset — so the keys new to the graph
are kept here instead: open addressing over two numpy arrays, 16 bytes a slot, at most 70 %
full (23 to 46 bytes a key), sized from the file's row count and growing by doubling.
"""

from __future__ import annotations

import numpy as np

__all__ = ["KeySet"]

_EMPTY = np.int64(0)
#: stands for the digest 0 (a real digest of 0 would otherwise look like an empty slot)
_ZERO = np.int64(-0x7FFFFFFFFFFFFFFF)


class KeySet:
    """digest → value (both signed 64-bit); ``get`` returns None for an absent digest."""

    def __init__(self, capacity: int = 1 << 12) -> None:
        size = 1
        while size * 7 < capacity * 10:
            size <<= 1
        self._keys = np.zeros(size, dtype=np.int64)
        self._values = np.zeros(size, dtype=np.int64)
        self._mask = size - 1
        self.count = 0

    def __len__(self) -> int:
        return self.count

    @staticmethod
    def _stored(digest: int) -> int:
        return int(_ZERO) if digest == 0 else digest

    def _slot(self, digest: int) -> int:
        keys = self._keys
        mask = self._mask
        # Fibonacci hashing spreads digests that share their low bits
        i = ((digest * 0x9E3779B97F4A7C15) >> 17) & mask
        while True:
            k = keys[i]
            if k == _EMPTY or k == digest:
                return i
            i = (i + 1) & mask

    def get(self, digest: int) -> int | None:
        stored = self._stored(digest)
        i = self._slot(stored)
        return int(self._values[i]) if self._keys[i] == stored else None

    def put(self, digest: int, value: int) -> None:
        stored = self._stored(digest)
        i = self._slot(stored)
        if self._keys[i] != stored:
            if (self.count + 1) * 10 > len(self._keys) * 7:
                self._grow()
                i = self._slot(stored)
            self._keys[i] = stored
            self.count += 1
        self._values[i] = value

    def setdefault(self, digest: int, value: int) -> int | None:
        """The value of ``digest`` if present; else store ``value`` and return None (one
        probe for both)."""
        stored = self._stored(digest)
        i = self._slot(stored)
        if self._keys[i] == stored:
            return int(self._values[i])
        if (self.count + 1) * 10 > len(self._keys) * 7:
            self._grow()
            i = self._slot(stored)
        self._keys[i] = stored
        self._values[i] = value
        self.count += 1
        return None

    def _grow(self) -> None:
        keys, values = self._keys, self._values
        used = keys != _EMPTY
        self._keys = np.zeros(len(keys) * 2, dtype=np.int64)
        self._values = np.zeros(len(keys) * 2, dtype=np.int64)
        self._mask = len(self._keys) - 1
        self.count = 0
        for key, value in zip(keys[used].tolist(), values[used].tolist(), strict=True):
            i = self._slot(key)
            self._keys[i] = key
            self._values[i] = value
            self.count += 1
