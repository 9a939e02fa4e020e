"""Properties the loader derives from a row, beside the contract's columns.

A person's name in pinyin, whole and as initials (李伟军 → ``liweijun``, ``lwj``), computed
once when the row is loaded (pypinyin), so that the explorer's search finds 李伟军 by "li",
"liwei" or "lwj" from the full-text index. Derived properties are not part of a fact's values:
they follow its name and change only with it.

The pinyin is pypinyin's ``lazy_pinyin(name)`` exactly, computed as it does (the name cut into
words, each word converted), with the conversion of each word kept (a county's names are made
of a few hundred words: 490,208 names of the scale-1 dataset of 346) and the last names
converted kept too: ~46 → ~6 µs a person.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from itertools import chain
from typing import Any

from pypinyin import Style
from pypinyin.converter import UltimateConverter
from pypinyin.core import Pinyin

__all__ = ["DERIVED", "derived", "person_names"]

_LETTERS = re.compile(r"[^a-z]")

#: what ``pypinyin.lazy_pinyin`` builds on every call with its default options
_CONVERTER = UltimateConverter()
_PINYIN = Pinyin(_CONVERTER)


@functools.lru_cache(maxsize=65_536)
def _word(word: str) -> tuple[str, ...]:
    """The syllables of one word of a name, as letters a-z (empty ones dropped)."""
    pinyin = _CONVERTER.convert(word, Style.NORMAL, False, "default", strict=True)
    letters = (_LETTERS.sub("", s.lower()) for s in chain(*pinyin))
    return tuple(s for s in letters if s)


@functools.lru_cache(maxsize=65_536)
def _name(name: str) -> tuple[str | None, str | None]:
    syllables = [s for word in _PINYIN.seg(name) for s in _word(word)]
    if not syllables:
        return None, None
    return "".join(syllables), "".join(s[0] for s in syllables)


def person_names(values: Mapping[str, Any]) -> dict[str, Any]:
    whole, initials = _name(values.get("name") or "")
    return {"name_pinyin": whole, "name_initials": initials}


#: stem → (the derived property names, the function that computes them from a row)
DERIVED: dict[str, tuple[tuple[str, ...], Callable[[Mapping[str, Any]], dict[str, Any]]]] = {
    "persons": (("name_pinyin", "name_initials"), person_names),
}


def derived(stem: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The derived properties of a row of ``stem`` (none for most files)."""
    found = DERIVED.get(stem)
    return found[1](values) if found else {}
