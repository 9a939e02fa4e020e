"""loaders.derive: a person's name in pinyin, exactly pypinyin's ``lazy_pinyin`` of the name."""

from __future__ import annotations

import random
import re

from pypinyin import lazy_pinyin

from generator.names import person_name
from loaders.derive import derived, person_names

_LETTERS = re.compile(r"[^a-z]")

# polyphonic surnames and words, compound surnames, phrases of the dictionary, letters, digits,
# separators, a character outside the basic plane, nothing at all
TRICKY = [
    "", "单雄信", "曾国藩", "解缙", "仇英", "朴树", "区庄", "查良镛", "尉迟恭", "长孙无忌",
    "万俟卨", "单于", "乐嘉", "覃", "重庆", "银行", "行长", "李行", "朝阳", "吕律", "绿色", "女",
    "阿卜杜·热合曼", "Tom李", "李 伟", "李2伟", "李-伟", "\u3000李", "ÉMILE", "o'neil", "𠀀", "〇",
]  # fmt: skip


def _expected(name: str) -> dict[str, str | None]:
    """What the loader wrote before the conversion was cached: lazy_pinyin, letters only."""
    syllables = [_LETTERS.sub("", s.lower()) for s in lazy_pinyin(name)]
    syllables = [s for s in syllables if s]
    if not syllables:
        return {"name_pinyin": None, "name_initials": None}
    return {"name_pinyin": "".join(syllables), "name_initials": "".join(s[0] for s in syllables)}


def test_pinyin_of_a_name():
    assert person_names({"name": "李伟军"}) == {"name_pinyin": "liweijun", "name_initials": "lwj"}
    assert person_names({"name": None}) == {"name_pinyin": None, "name_initials": None}
    zhang = {"name_pinyin": "zhanggang", "name_initials": "zg"}
    assert derived("persons", {"name": "张刚"}) == zhang
    assert derived("pairings", {"name": "张刚"}) == {}


def test_the_same_as_lazy_pinyin_for_every_name():
    rng = random.Random(7)
    names = TRICKY + [
        person_name(rng, rng.choice("MF"), rng.randrange(1930, 2020)) for _ in range(5000)
    ]
    for _ in range(2):  # converted, then from the caches
        for name in names:
            assert person_names({"name": name}) == _expected(name), name
