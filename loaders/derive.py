"""Properties the loader derives from a row, beside the contract's columns.

A person's name in pinyin, whole and as initials (李伟军 → ``liweijun``, ``lwj``), computed
once when the row is loaded (pypinyin), so that the explorer's search finds 李伟军 by "li",
"liwei" or "lwj" from the full-text index. Derived properties are not part of a fact's values:
they follow its name and change only with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pypinyin import lazy_pinyin

__all__ = ["DERIVED", "derived", "person_names"]

_LETTERS = re.compile(r"[^a-z]")


def person_names(values: Mapping[str, Any]) -> dict[str, Any]:
    name = values.get("name") or ""
    syllables = [_LETTERS.sub("", s.lower()) for s in lazy_pinyin(name)]
    syllables = [s for s in syllables if s]
    if not syllables:
        return {"name_pinyin": None, "name_initials": None}
    return {"name_pinyin": "".join(syllables), "name_initials": "".join(s[0] for s in syllables)}


#: stem → (the derived property names, the function that computes them from a row)
DERIVED: dict[str, tuple[tuple[str, ...], Callable[[Mapping[str, Any]], dict[str, Any]]]] = {
    "persons": (("name_pinyin", "name_initials"), person_names),
}


def derived(stem: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The derived properties of a row of ``stem`` (none for most files)."""
    found = DERIVED.get(stem)
    return found[1](values) if found else {}
