"""How each kind of node and edge looks, and what the legend calls it (Chinese first).

A node's *category* is its kind in the view, refined by its properties: a household that is
not a registered poor one, and a business entity by its kind (cooperative, company, ...). Each
category has a colour, a vis-network shape that honours ``size`` (dot, square, diamond,
triangle, triangleDown, star, hexagon), a default size, and a glyph for the HTML legend.
"""

from __future__ import annotations

from dataclasses import dataclass

from viz.graph import Node

__all__ = [
    "EDGE_STYLES",
    "NODE_STYLES",
    "EdgeStyle",
    "NodeStyle",
    "category",
    "node_size",
]


@dataclass(frozen=True)
class NodeStyle:
    zh: str
    en: str
    color: str
    shape: str
    size: int

    @property
    def glyph(self) -> str:
        return _GLYPHS[self.shape]


@dataclass(frozen=True)
class EdgeStyle:
    zh: str
    en: str
    color: str
    dashes: bool = False
    width: float = 1.0


_GLYPHS = {
    "dot": "●",
    "square": "■",
    "diamond": "◆",
    "triangle": "▲",
    "triangleDown": "▼",
    "star": "★",
    "hexagon": "⬢",
}

#: in the order of the legend
NODE_STYLES: dict[str, NodeStyle] = {
    "helper": NodeStyle("帮扶人", "Helper", "#e6550d", "star", 14),
    "household": NodeStyle("贫困户", "Poor household", "#3182bd", "square", 14),
    "household_other": NodeStyle(
        "非建档立卡户", "Household not registered as poor", "#9ecae1", "square", 14
    ),
    "member": NodeStyle("家庭成员", "Household member", "#969696", "dot", 8),
    "site": NodeStyle("安置点", "Relocation site", "#756bb1", "hexagon", 30),
    "organization": NodeStyle("党组织", "Party organisation", "#a50f15", "diamond", 20),
    "party_member": NodeStyle(
        "已编入党组织的搬迁党员", "Relocated party member, placed", "#31a354", "dot", 12
    ),
    "unassigned_member": NodeStyle(
        "未编入党组织的搬迁党员",
        "Relocated party member not placed in an organisation",
        "#de2d26",
        "triangle",
        18,
    ),
    "region": NodeStyle("行政区划", "Administrative division", "#8c6d31", "triangleDown", 24),
    "cooperative": NodeStyle("合作社", "Cooperative", "#17becf", "triangle", 22),
    "company": NodeStyle("企业", "Company", "#8c564b", "hexagon", 22),
    "workshop": NodeStyle(
        "扶贫车间", "Poverty-alleviation workshop", "#e7ba52", "triangleDown", 20
    ),
    "family_farm": NodeStyle("家庭农场", "Family farm", "#637939", "square", 18),
    "enterprise": NodeStyle("其他经营主体", "Other business entity", "#7b4173", "dot", 18),
    "work_team": NodeStyle("驻村工作队", "Village work team", "#1b9e77", "square", 18),
    "person": NodeStyle("人员", "Person", "#bcbd22", "dot", 12),
    "cluster": NodeStyle(
        "区划（聚合，点击展开）", "Division (cluster: click to open)", "#d6604d", "dot", 30
    ),
}

EDGE_STYLES: dict[str, EdgeStyle] = {
    "HELPS": EdgeStyle("结对帮扶", "helps", "#e6550d", width=2.0),
    "IN_HOUSEHOLD": EdgeStyle("家庭成员", "member of the household", "#bdbdbd"),
    "PART_OF": EdgeStyle("隶属", "part of", "#8c6d31"),
    "LOCATED_IN": EdgeStyle("位于", "located in", "#8c6d31", dashes=True),
    "AT_SITE": EdgeStyle("设在安置点", "at the site", "#756bb1"),
    "RELOCATED_TO": EdgeStyle("搬迁至", "relocated to", "#756bb1", dashes=True),
    "MEMBER_OF": EdgeStyle("组织关系", "member of", "#31a354", width=1.5),
    "SUBORDINATE_TO": EdgeStyle("上级党组织", "subordinate to", "#a50f15"),
    "LEADS": EdgeStyle("领办", "leads", "#a50f15", dashes=True, width=2.0),
    "LINKS": EdgeStyle("利益联结", "benefit link", "#17becf", width=1.5),
    "SERVES_ON": EdgeStyle("工作队成员", "serves on", "#1b9e77", width=1.5),
    "STATIONED_IN": EdgeStyle("驻村", "stationed in", "#1b9e77", dashes=True),
    "SHARED_HELPERS": EdgeStyle("共同帮扶人", "helpers in common", "#bbbbbb"),
}

_ENTERPRISE_KINDS = ("cooperative", "company", "workshop", "family_farm")
_ORG_SIZES = {"committee": 28, "general_branch": 24, "branch": 20, "temporary_branch": 16}
#: a helper's size grows with the households they help, up to this
MAX_HELPER_SIZE = 50


def category(node: Node) -> str:
    """The legend category of ``node``."""
    if node.kind == "household" and node.props.get("registered_poor") is False:
        return "household_other"
    if node.kind == "enterprise":
        kind = node.props.get("kind")
        return kind if kind in _ENTERPRISE_KINDS else "enterprise"
    return node.kind if node.kind in NODE_STYLES else "person"


def node_size(node: Node, cat: str) -> int:
    """A helper grows with their load (current households); an organisation with its rank."""
    if cat == "helper":
        load = int(node.info.get("load") or 0)
        return min(NODE_STYLES["helper"].size + 4 * load, MAX_HELPER_SIZE)
    if cat == "organization":
        return _ORG_SIZES.get(str(node.props.get("kind")), NODE_STYLES[cat].size)
    return NODE_STYLES[cat].size
