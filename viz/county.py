"""The county-scale view: a region's help network drawn as clusters.

A county (or a township, or a city) whose village view would be too large to draw whole is drawn
as bubbles, one per division under it (the townships of a county, the villages of a township),
each sized by its households (area in proportion) and coloured by the share of its poor
households without a helper, or of its households helped by a one-helps-many helper; a click
opens a bubble into the divisions under it, and a village into its households and helpers
(grouped by helper, as :func:`viz.layout.grouped` lays out a village).

* :func:`fetch_tree` runs ``queries/viz/clusters.cypher`` (figures per village) and rolls the
  figures up the region tree (:class:`Cluster`), then lays the tree out bottom-up: a village's
  bubble has the radius its content needs, the villages of a township are packed inside its
  bubble (:func:`viz.layout.pack_circles`), and so on. Each bubble's position is relative to its
  parent's centre and depends only on what lies under it, so the page and an API answering one
  cluster at a time place it alike.
* :func:`cluster_items` — the bubbles under a cluster (pyvis node dicts, positions relative to
  its centre) and the edges between them: the helpers two divisions have in common.
* :func:`village_content` — a village's households and helpers (pyvis node and edge dicts,
  positions relative to the bubble's centre, every pairing with its dates).
* :func:`build` — the whole page (:class:`viz.pages.KgNetwork`): the bubbles under the root,
  and the content of every bubble embedded, drawn only when opened.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import neo4j

from core.masking import mask_text
from viz.graph import Edge, Graph, Node
from viz.items import edge_kinds
from viz.layout import pack_circles
from viz.pages import (
    WORDS,
    KgNetwork,
    _group_options,
    _physics_options,
    legend,
    page_items,
    page_meta,
)
from viz.style import NODE_STYLES
from viz.views import LEVEL_TITLES, VIEWS, fetch, first_record

__all__ = [
    "Cluster",
    "build",
    "cluster_items",
    "content_items",
    "fetch_tree",
    "village_content",
]

#: a village's bubble: radius = SPACING * sqrt(households + helpers) + MARGIN (the room its
#: content takes when opened, laid out by helper)
SPACING = 80.0
MARGIN = 60.0
#: room between the bubbles packed in a parent's
PADDING = 40.0
_LEVEL_ZH = {
    "city": "市",
    "county": "县（区）",
    "township": "乡镇",
    "village": "村",
    "community": "社区",
}


@dataclass
class Cluster:
    region_id: str
    name: str
    level: str
    parent_id: str | None
    households: int = 0
    poor: int = 0
    without_helper: int = 0
    one_helps_many: int = 0
    members: int = 0
    helpers: set[str] = field(default_factory=set)
    children: list[Cluster] = field(default_factory=list)
    #: the bubble's radius and its centre relative to its parent's
    radius: float = 0.0
    x: float = 0.0
    y: float = 0.0

    @property
    def key(self) -> str:
        return "c:" + self.region_id

    @property
    def leaf(self) -> bool:
        return not self.children

    def shares(self) -> dict[str, float]:
        return {
            "without": round(self.without_helper / self.poor, 4) if self.poor else 0.0,
            "many": round(self.one_helps_many / self.households, 4) if self.households else 0.0,
        }

    def walk(self) -> Iterable[Cluster]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, region_id: str) -> Cluster | None:
        for c in self.walk():
            if c.region_id == region_id:
                return c
        return None


def tree_from_rows(
    root_id: str, regions: Iterable[Mapping[str, Any]], villages: Iterable[Mapping[str, Any]]
) -> Cluster:
    """The region tree under ``root_id`` with the villages' figures rolled up, laid out; regions
    without households are left out."""
    clusters = {
        r["region_id"]: Cluster(
            r["region_id"],
            r.get("name") or r["region_id"],
            r.get("level") or "",
            r.get("parent_id"),
        )
        for r in regions
    }
    for v in villages:
        c = clusters.get(v["region_id"])
        if c is None:
            continue
        c.households += int(v["households"] or 0)
        c.poor += int(v["poor"] or 0)
        c.without_helper += int(v["without_helper"] or 0)
        c.one_helps_many += int(v["one_helps_many"] or 0)
        c.members += int(v["members"] or 0)
        c.helpers.update(v["helpers"] or [])
    root = clusters[root_id]
    for c in clusters.values():
        if c.parent_id is not None and c.parent_id in clusters and c is not root:
            clusters[c.parent_id].children.append(c)
    _roll_up(root)
    _lay_out(root)
    return root


def _roll_up(c: Cluster) -> None:
    c.children = [child for child in sorted(c.children, key=lambda k: k.region_id)]
    for child in c.children:
        _roll_up(child)
    c.children = [child for child in c.children if child.households]
    for child in c.children:
        c.households += child.households
        c.poor += child.poor
        c.without_helper += child.without_helper
        c.one_helps_many += child.one_helps_many
        c.members += child.members
        c.helpers |= child.helpers


def _lay_out(c: Cluster) -> None:
    if c.leaf:
        c.radius = round(SPACING * math.sqrt(c.households + len(c.helpers)) + MARGIN, 1)
        return
    for child in c.children:
        _lay_out(child)
    order = sorted(c.children, key=lambda k: (-k.radius, k.region_id))
    centres, enclosing = pack_circles([k.radius + PADDING / 2 for k in order])
    for k, (x, y) in zip(order, centres, strict=True):
        k.x, k.y = x, y
    c.radius = round(enclosing + PADDING, 1)


def fetch_tree(
    driver: neo4j.Driver,
    database: str,
    region_id: str,
    as_of: dt.date,
    scope: str | None = None,
    within: str | None = None,
) -> Cluster:
    """The laid-out cluster tree of ``region_id`` as of ``as_of``; UnknownSubject when it does
    not exist or lies outside ``scope`` (or outside ``within``: the view's region)."""
    view = VIEWS["village"]
    for outer in (scope, within):
        if outer is not None and outer != region_id:
            params = {"id": region_id, "as_of": as_of, "scope": outer}
            first_record(driver, database, "viz/village_size", params, view, region_id)
    params = {"id": region_id, "as_of": as_of, "scope": scope}
    record = first_record(driver, database, "viz/clusters", params, view, region_id)
    return tree_from_rows(region_id, record["regions"], record["villages"])


def _tooltip(c: Cluster, lang: str) -> str:
    """Escaped HTML: the division's name and figures."""
    share = c.shares()
    if lang == "zh":
        opens = "点击展开其中的户和帮扶人" if c.leaf else "点击展开其中的下级区划"
        lines = [
            f"{_LEVEL_ZH.get(c.level, '区划')}：{c.name}（{c.region_id}）",
            f"户数：{c.households:,}",
            f"未脱贫的建档立卡户：{c.poor:,}",
            f"其中无帮扶人：{c.without_helper:,}（{share['without']:.1%}）",
            f"由一帮多帮扶人帮扶的户：{c.one_helps_many:,}（{share['many']:.1%}）",
            f"帮扶人：{len(c.helpers):,}",
            f"家庭成员：{c.members:,}",
            opens,
        ]
    else:
        opens = "click to open its households and helpers" if c.leaf else "click to open it"
        lines = [
            f"{c.level or 'division'}: {c.name} ({c.region_id})",
            f"households: {c.households:,}",
            f"poor households not exited: {c.poor:,}",
            f"of them without a helper: {c.without_helper:,} ({share['without']:.1%})",
            f"helped by a one-helps-many helper: {c.one_helps_many:,} ({share['many']:.1%})",
            f"helpers: {len(c.helpers):,}",
            f"household members: {c.members:,}",
            opens,
        ]
    text = "\n".join(mask_text(line) for line in lines)
    return html.escape(text, quote=True).replace("\n", "<br>")


def _bubble(c: Cluster, lang: str) -> dict[str, Any]:
    households = f"{c.households:,} 户" if lang == "zh" else f"{c.households:,} households"
    font = max(12, round(c.radius / 4))
    return {
        "id": c.key,
        "label": f"{mask_text(c.name)}\n{households}",
        # not a vis-network group: a group's options would win over the bubble's own colour
        "cat": "cluster",
        "shape": "dot",
        "size": c.radius,
        "x": c.x,
        "y": c.y,
        # the label inside the bubble (vis-network puts a dot's label under it)
        "font": {"size": font, "vadjust": -round(c.radius + 1.3 * font), "multi": False},
        "borderWidth": 2,
        "title": _tooltip(c, lang),
        "cluster": {
            "key": c.region_id,
            "name": mask_text(c.name),
            "level": c.level,
            "leaf": c.leaf,
            "households": c.households,
            "share": c.shares(),
        },
    }


def cluster_items(c: Cluster, lang: str = "zh") -> dict[str, list[dict[str, Any]]]:
    """The bubbles under ``c`` (positions relative to its centre) and the edges between them:
    how many helpers two of them have in common."""
    nodes = [_bubble(child, lang) for child in c.children]
    edges = []
    kids = c.children
    for i, a in enumerate(kids):
        for b in kids[i + 1 :]:
            shared = len(a.helpers & b.helpers)
            if not shared:
                continue
            tip = (
                f"{WORDS[lang]['shared']}：{shared:,}"
                if lang == "zh"
                else f"{WORDS[lang]['shared']}: {shared:,}"
            )
            edges.append(
                {
                    "id": f"{a.key}|{b.key}",
                    "from": a.key,
                    "to": b.key,
                    "k": "SHARED_HELPERS",
                    "title": tip,
                    "width": round(min(12.0, 1 + math.log2(shared)), 1),
                }
            )
    return {"nodes": nodes, "edges": edges}


def content_items(
    graph: Graph, village: str, lang: str = "zh", unmasked: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """A village's households and helpers from a village view without members (``graph``,
    which may hold more villages): pyvis items laid out by helper, centred on (0, 0)."""
    keep: set[str] = set()
    for n in graph.nodes:
        if n.kind == "household" and n.props.get("region_id") == village:
            keep.add(n.key)
    helps = [e for e in graph.edges if e.kind == "HELPS" and e.target in keep]
    keep.update(e.source for e in helps)
    nodes = [n for n in graph.nodes if n.key in keep]
    sub = Graph("village", village, "r:" + village, graph.as_of, nodes, helps)
    items, edges = page_items(sub, lang, unmasked, compact=True)
    if items:
        xs = [item["x"] for item in items]
        ys = [item["y"] for item in items]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        for item in items:
            item["x"], item["y"] = round(item["x"] - cx, 1), round(item["y"] - cy, 1)
    for e in edges:
        e["id"] = f"{e['from']}|{e['to']}|{e.get('s', '')}"
    return {"nodes": items, "edges": edges}


def _by_village(graph: Graph) -> dict[str, list[Node]]:
    out: dict[str, list[Node]] = {}
    for n in graph.nodes:
        if n.kind == "household":
            out.setdefault(str(n.props.get("region_id")), []).append(n)
    return out


def village_content(
    driver: neo4j.Driver,
    database: str,
    village: str,
    as_of: dt.date,
    *,
    scope: str | None = None,
    lang: str = "zh",
    unmasked: bool = False,
) -> dict[str, list[dict[str, Any]]]:
    """What a village's bubble opens into (see :func:`content_items`)."""
    graph = fetch(driver, database, "village", village, as_of, scope, history=True, members=False)
    return content_items(graph, village, lang, unmasked)


def _contents(c: Cluster, graph: Graph, lang: str, unmasked: bool) -> dict[str, Any]:
    """The content of every bubble under ``c``, by region id."""
    out: dict[str, Any] = {}
    split = _split(graph)
    for k in c.walk():
        if k is c:
            continue
        if k.leaf:
            out[k.region_id] = content_items(
                split.get(k.region_id, graph), k.region_id, lang, unmasked
            )
        else:
            out[k.region_id] = cluster_items(k, lang)
    return out


def _split(graph: Graph) -> dict[str, Graph]:
    """The graph cut into one graph per village (its households, their helpers and pairings),
    so that each village's content is worked out from its own part (linear overall)."""
    villages = _by_village(graph)
    home: dict[str, str] = {}
    for vid, hs in villages.items():
        for h in hs:
            home[h.key] = vid
    helps: dict[str, list[Edge]] = {}
    helpers: dict[str, set[str]] = {}
    for e in graph.edges:
        if e.kind == "HELPS" and e.target in home:
            vid = home[e.target]
            helps.setdefault(vid, []).append(e)
            helpers.setdefault(vid, set()).add(e.source)
    by_key = {n.key: n for n in graph.nodes}
    out = {}
    for vid, hs in villages.items():
        nodes = hs + [by_key[k] for k in sorted(helpers.get(vid, ())) if k in by_key]
        out[vid] = Graph("village", vid, "r:" + vid, graph.as_of, nodes, helps.get(vid, []))
    return out


def build(
    tree: Cluster,
    graph: Graph,
    lang: str = "zh",
    unmasked: bool = False,
) -> KgNetwork:
    """The county-scale page: the bubbles under ``tree``'s root and the content of each
    (``graph``: the root's village view without members, with history)."""
    top = cluster_items(tree, lang)
    net = KgNetwork(lang)
    net.set_items(top["nodes"], top["edges"])
    net.graph = graph
    net.unmasked = unmasked
    net.contents = _contents(tree, graph, lang, unmasked)
    _physics_options(net, False, len(top["nodes"]))
    options = net.options
    # no group options for the bubbles: vis-network would let them override the size of a
    # bubble added after the network was drawn (an opened township's villages)
    options.groups = _group_options(cat for cat in NODE_STYLES if cat != "cluster")
    options.nodes = {"font": {"size": 14}, "borderWidth": 1}
    options.layout = {"improvedLayout": False}
    zh_name, en_name = LEVEL_TITLES.get(tree.level, LEVEL_TITLES["county"])
    if lang == "zh":
        heading = f"{zh_name}（按区划聚合）：{tree.name}（{tree.region_id}）"
    else:
        heading = f"{en_name[:1].upper()}{en_name[1:]} (clustered): {tree.name} ({tree.region_id})"
    page_meta(
        net,
        view="clusters",
        root="r:" + tree.region_id,
        as_of=graph.as_of,
        heading=heading,
        lang=lang,
        unmasked=unmasked,
        hidden=[],
        history=True,
        slider=True,
        notes=[WORDS[lang]["clusters"]],
    )
    every = [c for c in tree.walk() if c is not tree]
    net.kg["clusters"] = {
        "max": {
            "without": max((c.shares()["without"] for c in every), default=0.0),
            "many": max((c.shares()["many"] for c in every), default=0.0),
        },
        "households": tree.households,
    }
    # the legend names what the contents hold too (counted as they are opened)
    inside_nodes = list(top["nodes"])
    inside_edges = list(top["edges"])
    for content in net.contents.values():
        inside_nodes += content["nodes"]
        inside_edges += content["edges"]
    net.kg["legend"] = legend(inside_nodes, inside_edges, lang)
    net.kg["kinds"] = edge_kinds(lang)
    return net
