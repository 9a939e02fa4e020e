"""Plausible Chinese names for synthetic people, places, organisations and business entities.

Every function takes the caller's :class:`random.Random`, so names are reproducible per seed.
Surnames are weighted towards those common in western Yunnan (杨, 李, 张, 赵, 段, 寸, 字 ...);
given names follow the fashions of the person's birth decade.

>>> import random
>>> rng = random.Random(1)
>>> len(person_name(rng, "M", 1975)) in (2, 3, 4)
True
"""

from __future__ import annotations

import itertools
import random

__all__ = [
    "person_name",
    "PlaceNamer",
    "PRODUCTS",
]

_SURNAMES: tuple[tuple[str, float], ...] = (
    ("李", 9.0),
    ("杨", 8.5),
    ("张", 6.0),
    ("王", 5.0),
    ("赵", 4.2),
    ("段", 3.0),
    ("刘", 3.0),
    ("陈", 3.0),
    ("杜", 2.0),
    ("尹", 2.0),
    ("周", 2.0),
    ("蒋", 1.5),
    ("董", 1.5),
    ("马", 1.5),
    ("何", 1.5),
    ("罗", 1.5),
    ("黄", 1.2),
    ("苏", 1.2),
    ("施", 1.2),
    ("徐", 1.0),
    ("朱", 1.0),
    ("吴", 1.0),
    ("许", 1.0),
    ("郑", 0.8),
    ("孙", 0.8),
    ("胡", 0.8),
    ("高", 0.8),
    ("鲁", 0.7),
    ("寸", 0.7),
    ("字", 0.7),
    ("林", 0.6),
    ("郭", 0.6),
    ("梁", 0.6),
    ("谢", 0.6),
    ("宋", 0.6),
    ("唐", 0.6),
    ("冯", 0.6),
    ("邓", 0.6),
    ("曹", 0.6),
    ("彭", 0.5),
    ("曾", 0.5),
    ("肖", 0.5),
    ("田", 0.5),
    ("潘", 0.5),
    ("袁", 0.5),
    ("余", 0.5),
    ("蔡", 0.4),
    ("龚", 0.4),
    ("毛", 0.4),
    ("熊", 0.4),
    ("姚", 0.4),
    ("范", 0.4),
    ("石", 0.4),
    ("付", 0.4),
    ("白", 0.4),
    ("雷", 0.4),
    ("龙", 0.4),
    ("茶", 0.3),
    ("沈", 0.3),
    ("谭", 0.3),
    ("汪", 0.3),
    ("金", 0.3),
    ("廖", 0.3),
    ("贾", 0.3),
    ("夏", 0.3),
    ("方", 0.3),
    ("邹", 0.3),
    ("孟", 0.3),
    ("秦", 0.3),
    ("邱", 0.3),
    ("江", 0.3),
    ("薛", 0.3),
    ("侯", 0.3),
    ("史", 0.3),
    ("陶", 0.3),
    ("黎", 0.3),
    ("贺", 0.3),
    ("钱", 0.3),
    ("严", 0.3),
    ("武", 0.3),
    ("戴", 0.3),
    ("孔", 0.3),
    ("左", 0.3),
    ("常", 0.3),
    ("普", 0.3),
    ("闪", 0.3),
    ("番", 0.2),
    ("封", 0.2),
    ("线", 0.2),
    ("蒙", 0.2),
    ("刀", 0.2),
    ("岩", 0.2),
    ("郝", 0.2),
    ("顾", 0.2),
    ("莫", 0.2),
    ("向", 0.2),
    ("汤", 0.2),
    ("欧阳", 0.1),
)
_SURNAME_LIST = tuple(s for s, _ in _SURNAMES)
_SURNAME_CUM = tuple(itertools.accumulate(w for _, w in _SURNAMES))

# Given-name characters by gender and era (born before 1965, 1965-1984, 1985 and later).
_GIVEN = {
    (
        "M",
        0,
    ): "国建华明军福德富贵祥林海云龙刚学洪忠春顺清正金良友进开昌元才有兴荣发生永光文成贤寿全仁义礼",
    ("M", 1): "伟强勇平志文成荣兴斌涛杰波辉磊鹏宇浩俊峰超飞晓光红东云龙刚明军华建林海春亮庆新启红",
    ("M", 2): "宇浩俊峰超飞晨阳凯亮睿泽子诚航豪铭瑞嘉博然轩毅宏鑫磊鹏杰辉涛帅旭昊天翔智锐",
    ("F", 0): "秀英兰芳玉珍凤梅琼莲桂琴菊香芬翠仙巧彩润存粉美春华花兰英秀",
    ("F", 1): "丽华琼艳娟萍敏静燕霞红芳玲梅慧英秀丽娜琳春美玉云霞凤兰",
    ("F", 2): "婷雪琳倩佳欣悦怡思雨梦涵萱月婉蕾娜晶媛琪璐颖洁妍丹瑶楠薇茜",
}


def _era(birth_year: int) -> int:
    if birth_year < 1965:
        return 0
    if birth_year < 1985:
        return 1
    return 2


def surname(rng: random.Random) -> str:
    """A surname, weighted by its frequency in western Yunnan."""
    return rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]


def person_name(
    rng: random.Random, gender: str, birth_year: int, family_name: str | None = None
) -> str:
    """A full name: surname (``family_name`` when given) plus a one- or two-character given name."""
    pool = _GIVEN[(gender, _era(birth_year))]
    first = rng.choice(pool)
    if rng.random() < 0.78:
        return (family_name or surname(rng)) + first + rng.choice(pool)
    return (family_name or surname(rng)) + first


# Place-name syllables: western-Yunnan village names (大寨, 龙潭, 勐糯, 瓦房 ...).
_PLACE_FIRST = (
    "大小新老上下中东西南北龙凤马牛羊石松柏竹桃梨杨李黄白红青金银水河江湾坝田山岭坡箐岩沙营寨"
    "哨关街铺桥塘井泉林花茶平安和兴丰盛永富乐团光明阳联合胜利华荣庆福德仁义勐芒蒲瓦邦腊户帕"
    "赧双三九百千万丙辛芦蔡阿摆木"
)
_PLACE_SECOND = "河山坝寨箐坡营哨田湾沟塘铺街桥庄屯岗场甸冲窝地岭水林石头口门园坪溪岩井子家村洼"
_COMMUNITY_FIRST = "正太保易青永昌兰河九隆新和兴安平华阳东南西北中龙城文明德仁荣光上下"
_COMMUNITY_SECOND = "阳保城岫华和兴安平隆昌盛荣光明源泉湖园苑坊街桥门关山河"

#: Products of Baoshan's agriculture, used in cooperative and company names.
PRODUCTS = (
    "咖啡",
    "核桃",
    "烤烟",
    "茶叶",
    "甘蔗",
    "肉牛",
    "生猪",
    "中药材",
    "石斛",
    "蔬菜",
    "蚕桑",
    "芒果",
    "柑橘",
    "澳洲坚果",
    "油茶",
    "草果",
    "魔芋",
    "食用菌",
    "黑山羊",
    "土鸡",
    "花椒",
    "红米",
    "重楼",
    "蜂蜜",
)


class PlaceNamer:
    """Names unique within one namer (use one per county): villages, communities, sites."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def _unique(self, first: str, second: str, suffix: str) -> str:
        rng = self._rng
        for attempt in range(200):
            base = rng.choice(first) + rng.choice(second)
            if attempt > 50:
                base = rng.choice(first) + base
            if base not in self._used:
                self._used.add(base)
                return base + suffix
        raise RuntimeError("could not find a unique place name")  # pragma: no cover

    def village(self) -> str:
        """``大寨村``-style administrative village name."""
        return self._unique(_PLACE_FIRST, _PLACE_SECOND, "村")

    def community(self) -> str:
        """``正阳社区``-style community name."""
        return self._unique(_COMMUNITY_FIRST, _COMMUNITY_SECOND, "社区")

    def reserve(self, base: str) -> None:
        """Mark ``base`` (a name without suffix) as used."""
        self._used.add(base)
