"""The pyvis network of a view, and the self-contained page it renders to.

:func:`build` turns a :class:`viz.graph.Graph` into a :class:`KgNetwork`, a
``pyvis.network.Network`` whose ``nodes`` and ``edges`` are filled in one pass (pyvis's own
``add_node``/``add_edge`` look for duplicates in lists: quadratic) with the positions of the
server's layout, the category of each node (pyvis's ``group``), escaped and masked tooltips
(``title``, built by :mod:`viz.text` with :mod:`core.masking`) and the dates of each dated
relationship (``s``: since, ``u``: until, ISO). Its options are pyvis's own options object
(physics, edges, interaction set on it; groups, nodes and layout added), so pyvis's methods
(``toggle_physics``, ``force_atlas_2based``, ...) still work on it.

:meth:`KgNetwork.generate_html` renders it through pyvis (``get_network_data``) with kg's own
Jinja template (``viz/page.html``) instead of pyvis's: vis-network inlined from ``viz/static``,
a Content-Security-Policy that lets the page load nothing at all, a legend with a checkbox per
kind of node, the 历史 toggle (ended pairings and memberships dashed with their dates), the year
slider, zh-CN or English. In Jupyter the network shows inline (``_repr_html_``: the page in an
``<iframe srcdoc>``, offline too).

What is drawn as of a date follows one rule, in the page's script (``viz/static/page.js``) and
in :func:`picture` (the counts the page and ``kg viz`` print): a relationship without dates is
always there; a dated one when ``s <= date < u`` (ended, ``u <= date``, only with 历史 on,
dashed); a node marked ``dep`` (helpers, household members, organisations of ended
memberships) only when one of its relationships is drawn to a node that is not ``dep``; other
nodes when ``s`` (a household's registration) is empty or ``<= date``; a kind of node switched
off in the legend never (household members are off by default in village views).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from pyvis.network import Network

from core.masking import mask_text
from viz.graph import Edge, Graph
from viz.items import PHYSICS_MAX_NODES, edge_kinds, vis_items
from viz.layout import Positions, grouped, layered, radial
from viz.style import EDGE_STYLES, NODE_STYLES
from viz.text import node_label
from viz.views import VIEWS, title

__all__ = [
    "FONT",
    "HISTORY_VIEWS",
    "SLIDER_VIEWS",
    "SLIDER_YEARS",
    "UNDRAWN",
    "KgNetwork",
    "build",
    "layout",
    "picture",
    "script_json",
]

HERE = Path(__file__).parent
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
#: views whose pages carry every pairing (and membership) whatever its dates: the 历史 toggle
HISTORY_VIEWS = ("helper", "household", "village", "site")
#: views whose pages replay the years with a slider
SLIDER_VIEWS = ("helper", "household", "village")
#: the years of the slider (each one as of 31 December), widened to the page's date
SLIDER_YEARS = (2014, 2020)
#: the server lays these views out and the browser runs no physics: the picture stays still
#: while the slider and the toggles change what is drawn
_STILL_VIEWS = ("helper", "household", "village", "clusters")
#: relationships the village view does not draw: the layout groups households by village and
#: villages by township, under their labels (no hub joined to every household)
UNDRAWN = {"village": ("LOCATED_IN", "PART_OF")}
#: node-iterations of force simulation a page may spend settling its network
STABILIZE_BUDGET = 100_000
STABILIZE_MIN = 30
#: nodes drawn only through one of their relationships (see the module's doc)
_DEPENDENT = ("helper", "member")

# In a <script> element, "</script" would end it; U+2028/2029 end a line in older JavaScript.
# (str.replace, one character at a time, is several times faster than str.translate here.)
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "as_of": "截至 {date}",
        "counts": "节点 {nodes} 个 · 关系 {edges} 条",
        "nodes": "节点",
        "edges": "关系",
        "masked": "身份证号、联系电话已脱敏",
        "unmasked": "本页含未脱敏的身份证号和联系电话，请妥善保管，勿外传",
        "fixed": "节点较多：按帮扶关系分组预先布局",
        "find": "查找姓名或编号，回车定位",
        "empty": "（无）",
        "history": "历史",
        "history_tip": "显示已结束的帮扶关系和组织关系（虚线，标注起止日期）",
        "ended": "已结束（历史，虚线）",
        "year": "年份",
        "reset": "回到 {date}",
        "from_to": "{start} 至 {end}",
        "show": "显示",
        "members_hidden": "家庭成员默认隐藏，可在图例中勾选显示",
        "clusters": "村（社区）较多：按区划聚合显示，点击圆圈展开其中的户和帮扶人",
        "colour_by": "着色",
        "share_without": "无帮扶人的贫困户占比",
        "share_many": "由一帮多帮扶人帮扶的户占比",
        "opened": "已展开",
        "close": "收起",
        "cluster": "区划（聚合）",
        "shared": "共同帮扶人",
    },
    "en": {
        "as_of": "as of {date}",
        "counts": "{nodes} nodes · {edges} edges",
        "nodes": "Nodes",
        "edges": "Edges",
        "masked": "id and phone numbers are masked",
        "unmasked": "this page shows unmasked id and phone numbers: keep it safe",
        "fixed": "large network: laid out in groups by helper",
        "find": "find a name or id, Enter",
        "empty": "(none)",
        "history": "History",
        "history_tip": "show ended pairings and memberships (dashed, with their dates)",
        "ended": "ended (history, dashed)",
        "year": "Year",
        "reset": "back to {date}",
        "from_to": "{start} – {end}",
        "show": "show",
        "members_hidden": "household members are hidden: tick them in the legend",
        "clusters": "many villages: drawn as clusters by division; click one to open it",
        "colour_by": "Colour",
        "share_without": "share of poor households without a helper",
        "share_many": "share of households helped by a one-helps-many helper",
        "opened": "Opened",
        "close": "close",
        "cluster": "Division (cluster)",
        "shared": "helpers in common",
    },
}


@functools.cache
def _static(name: str) -> str:
    text = (HERE / "static" / name).read_text(encoding="utf-8")
    # never let the file's text end the <script> element it is inlined in
    return text.replace("</script", "<\\/script")


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def script_json(value: Any) -> str:
    """JSON that cannot end the <script> element it sits in."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _script_safe(text)


def _script_safe(text: str) -> str:
    for char, escaped in _JSON_ESCAPES:
        text = text.replace(char, escaped)
    return text


class KgNetwork(Network):  # type: ignore[misc]
    """A pyvis network that renders as kg's self-contained page.

    Besides pyvis's attributes: ``kg`` (what the page shows around the network: title, legend,
    words, the date, the toggles), ``contents`` (the county-scale view's clusters: their
    content by cluster id, embedded in the page and drawn only when opened), ``graph`` (the
    :class:`viz.graph.Graph` it was built from, for :func:`viz.to_networkx`) and ``unmasked``.
    """

    def __init__(self, lang: str = "zh", height: str = "100%", width: str = "100%") -> None:
        super().__init__(height=height, width=width, directed=True, cdn_resources="in_line")
        # kg's template instead of pyvis's (which loads bootstrap and tom-select from CDNs)
        self.templateEnv = _environment()
        self.template_dir = str(HERE)
        self.path = "page.html"
        self.lang = lang
        self.kg: dict[str, Any] = {}
        self.contents: dict[str, Any] = {}
        self.graph: Graph | None = None
        self.unmasked = False

    def set_items(self, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
        """Fill pyvis's node and edge lists (and its index of node ids) in one pass."""
        self.nodes = nodes
        self.edges = edges
        self.node_ids = [n["id"] for n in nodes]
        self.node_map = {n["id"]: n for n in nodes}

    def generate_html(
        self, name: str = "index.html", local: bool = True, notebook: bool = False
    ) -> str:
        """The page (pyvis's ``generate_html``, with kg's template and data)."""
        nodes, edges, heading, height, width, options = self.get_network_data()
        data = (
            '{"nodes":'
            + script_json(nodes)
            + ',"edges":'
            + script_json(edges)
            + ',"options":'
            + _script_safe(options if isinstance(options, str) else json.dumps(options))
            + ',"kg":'
            + script_json(self.kg)
            + "}"
        )
        contents = [
            (key, Markup(value if isinstance(value, str) else script_json(value)))
            for key, value in self.contents.items()
        ]
        template = self.templateEnv.get_template(self.path)
        self.html = template.render(
            kg=self.kg,
            heading=heading,
            height=height,
            width=width,
            data=Markup(data),
            contents=contents,
            vis_js=Markup(_static("vis-network.min.js")),
            page_js=Markup(_static("page.js")),
        )
        return str(self.html)

    def write_html(
        self, name: str, local: bool = True, notebook: bool = False, open_browser: bool = False
    ) -> None:
        """Write the page to ``name`` in UTF-8 (pyvis's would use the locale's encoding and copy
        its CDN-loading lib folder beside it)."""
        self.html = self.generate_html()
        Path(name).write_text(self.html, encoding="utf-8")
        if open_browser:
            import webbrowser  # only when asked to open one

            webbrowser.open(Path(name).resolve().as_uri())

    def _repr_html_(self) -> str:
        """Jupyter shows the page inline, offline: in an iframe whose document is the page."""
        page = html.escape(self.generate_html(), quote=True)
        return (
            f'<iframe srcdoc="{page}" style="width:100%;height:640px;border:1px solid #ddd" '
            'sandbox="allow-scripts"></iframe>'
        )


def _iso(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    return None


def _physics_options(net: KgNetwork, physics: bool, n: int) -> None:
    """pyvis's options object, set for kg's pages."""
    options = net.options
    options.physics.enabled = physics
    if physics:
        # vis-network's defaults but a shorter spring and some overlap avoidance
        net.force_atlas_2based(
            gravity=-50,
            central_gravity=0.01,
            spring_length=80,
            spring_strength=0.08,
            damping=0.4,
            overlap=0.3,
        )
        # The simulation starts from the server's layout, so it only needs to settle it: fewer
        # iterations as the network grows keep a page interactive within about 2 s (about
        # 12 ms an iteration at 2,000 nodes on 2 cores, before any drawing).
        stabilization = options.physics.stabilization
        stabilization.iterations = max(STABILIZE_MIN, min(300, STABILIZE_BUDGET // max(n, 1)))
        stabilization.fit = True
    else:
        options.physics.stabilization.enabled = False
    options.edges.smooth.enabled = physics
    options.edges.smooth.type = "continuous"
    options.edges.color.inherit = False
    options.edges.arrows = {"to": {"enabled": True, "scaleFactor": 0.4}}
    options.edges.font = {"size": 10, "face": FONT, "align": "horizontal", "background": "#fff"}
    big = n > PHYSICS_MAX_NODES
    interaction = options.interaction
    interaction.hover = True
    interaction.tooltipDelay = 100
    interaction.hideEdgesOnDrag = big
    interaction.hideEdgesOnZoom = big


def _group_options(cats: Iterable[str]) -> dict[str, Any]:
    out = {}
    for cat in cats:
        style = NODE_STYLES[cat]
        out[cat] = {
            "shape": style.shape,
            "size": style.size,
            "color": {
                "background": style.color,
                "border": style.color,
                "highlight": {"background": "#ffd700", "border": style.color},
                "hover": {"background": style.color, "border": "#000"},
            },
        }
    return out


def layout(graph: Graph, drawn: Sequence[Edge], compact: bool = False) -> Positions:
    """Where the nodes of ``graph`` go (``drawn``: its edges drawn): layered for trees, grouped
    by helper for village views (``compact``: a cluster's content), else radial."""
    view = VIEWS.get(graph.view)
    keys = [n.key for n in graph.nodes]
    if view is not None and view.layout == "layered":
        return layered(keys, [(e.source, e.target) for e in graph.edges], graph.root)
    if graph.view == "village":
        block_of = {e.source: e.target for e in graph.edges if e.kind == "LOCATED_IN"}
        parent_of = {e.source: e.target for e in graph.edges if e.kind == "PART_OF"}
        pairs = [(e.source, e.target) for e in graph.edges if e.kind in ("HELPS", "IN_HOUSEHOLD")]
        if compact:  # a cluster's content, in its bubble: square, groups closer
            return grouped(
                keys, pairs, graph.root, block_of=block_of, parent_of=parent_of, pad=40, aspect=1
            )
        return grouped(keys, pairs, graph.root, block_of=block_of, parent_of=parent_of)
    return radial(keys, [(e.source, e.target) for e in drawn], graph.root)


def page_items(
    graph: Graph, lang: str = "zh", unmasked: bool = False, *, compact: bool = False
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The pyvis node and edge dicts of ``graph``: positions, categories (``group``), tooltips
    (``title``), dates (``s``, ``u``) and ``dep`` (see the module's doc)."""
    undrawn = UNDRAWN.get(graph.view, ())
    drawn = [e for e in graph.edges if e.kind not in undrawn]
    positions = layout(graph, drawn, compact)
    items = vis_items(
        Graph(graph.view, graph.subject, graph.root, graph.as_of, graph.nodes, drawn),
        lang,
        unmasked,
    )
    nodes = items["nodes"]
    for item, node in zip(nodes, graph.nodes, strict=True):
        item["title"] = item.pop("tip")
        item["x"], item["y"] = positions[item["id"]]
        if node.kind in _DEPENDENT and node.key != graph.root:
            item["dep"] = 1
        elif graph.view == "village" and node.kind == "household":
            since = _iso(node.props.get("registered_on"))
            if since:
                item["s"] = since
    edges = items["edges"]
    ended_only: dict[str, bool] = {}
    for i, (item, edge) in enumerate(zip(edges, drawn, strict=True)):
        item["id"] = i
        if "tip" in item:
            item["title"] = item.pop("tip")
        since, until = _iso(edge.props.get("start_on")), _iso(edge.props.get("end_on"))
        if since:
            item["s"] = since
        if until:
            item["u"] = until
        if edge.kind == "MEMBER_OF":
            ended = bool(until and until <= graph.as_of.isoformat())
            ended_only[edge.target] = ended_only.get(edge.target, True) and ended
    if ended_only:
        # an organisation reached only through ended memberships is drawn with them
        others = {e.target for e in drawn if e.kind != "MEMBER_OF"} | {
            e.source for e in drawn if e.kind != "MEMBER_OF"
        }
        for item in nodes:
            key = item["id"]
            if ended_only.get(key) and key not in others and key != graph.root:
                item["dep"] = 1
    return nodes, edges


def _edge_on(edge: Mapping[str, Any], date: str, history: bool) -> str | None:
    since, until = edge.get("s"), edge.get("u")
    if since is not None and since > date:
        return None
    if until is not None and until <= date:
        return "ended" if history else None
    return "now"


def picture(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    date: str,
    *,
    history: bool = False,
    hidden: Iterable[str] = (),
) -> tuple[set[Any], list[Mapping[str, Any]]]:
    """The nodes (ids) and edges drawn on ``date`` (ISO), as the page's script decides."""
    off = set(hidden)
    by_id = {n["id"]: n for n in nodes}
    shown = {
        n["id"]
        for n in nodes
        if not n.get("dep")
        and (n.get("group") or n.get("cat")) not in off
        and (n.get("s") or "") <= date
    }
    live = [e for e in edges if _edge_on(e, date, history)]
    for e in live:
        a, b = by_id.get(e["from"]), by_id.get(e["to"])
        if a is None or b is None:
            continue
        if a.get("dep") and not b.get("dep") and b["id"] in shown and a.get("group") not in off:
            shown.add(a["id"])
        if b.get("dep") and not a.get("dep") and a["id"] in shown and b.get("group") not in off:
            shown.add(b["id"])
    return shown, [e for e in live if e["from"] in shown and e["to"] in shown]


def slider_years(as_of: dt.date) -> tuple[int, int]:
    return min(SLIDER_YEARS[0], as_of.year), max(SLIDER_YEARS[1], as_of.year)


def words(lang: str) -> dict[str, str]:
    return WORDS[lang]


def legend(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    lang: str,
    hidden: Iterable[str] = (),
) -> dict[str, Any]:
    """The legend's entries: each kind of node and of edge the page holds, with its count."""
    off = set(hidden)
    groups = Counter(n.get("group") or n.get("cat") for n in nodes)
    kinds = Counter(e.get("k") for e in edges)
    return {
        "nodes": [
            {
                "cat": cat,
                "glyph": style.glyph,
                "color": style.color,
                "name": style.zh if lang == "zh" else style.en,
                "count": groups[cat],
                "on": cat not in off,
            }
            for cat, style in NODE_STYLES.items()
            if groups.get(cat)
        ],
        "edges": [
            {
                "kind": kind,
                "color": style.color,
                "dashed": style.dashes,
                "name": style.zh if lang == "zh" else style.en,
                "count": kinds[kind],
            }
            for kind, style in EDGE_STYLES.items()
            if kinds.get(kind)
        ],
        "ended": any(e.get("u") for e in edges),
    }


def page_meta(
    net: KgNetwork,
    *,
    view: str,
    root: str,
    as_of: dt.date,
    heading: str,
    lang: str,
    unmasked: bool,
    hidden: Sequence[str],
    history: bool,
    slider: bool,
    notes: Sequence[str] = (),
) -> None:
    """What the page shows around the network (``net.kg``)."""
    w = WORDS[lang]
    shown, drawn = picture(net.nodes, net.edges, as_of.isoformat(), hidden=hidden)
    note_list = (
        [{"text": w["unmasked"], "warn": True}]
        if unmasked
        else [{"text": w["masked"], "warn": False}]
    )
    note_list += [{"text": text, "warn": False} for text in notes]
    low, high = slider_years(as_of)
    net.heading = heading
    net.kg = {
        "lang": lang,
        "htmlLang": "zh-CN" if lang == "zh" else "en",
        "view": view,
        "root": root,
        "title": heading,
        "asOf": as_of.isoformat(),
        "asOfText": w["as_of"].format(date=as_of.isoformat()),
        "counts": w["counts"].format(nodes=f"{len(shown):,}", edges=f"{len(drawn):,}"),
        "notes": note_list,
        "legend": legend(net.nodes, net.edges, lang, hidden),
        "kinds": edge_kinds(lang, Counter(str(e.get("k")) for e in net.edges)),
        "hide": list(hidden),
        "history": history,
        "slider": {"min": low, "max": high} if slider else None,
        "big": len(net.nodes) > PHYSICS_MAX_NODES,
        "clusters": None,
        "words": w,
    }


def build(graph: Graph, lang: str = "zh", unmasked: bool = False) -> KgNetwork:
    """The pyvis network of ``graph``, masked unless ``unmasked``, in ``lang`` (zh or en)."""
    nodes, edges = page_items(graph, lang, unmasked)
    net = KgNetwork(lang)
    net.set_items(nodes, edges)
    net.graph = graph
    net.unmasked = unmasked
    still = graph.view in _STILL_VIEWS
    physics = not still and VIEWS.get(graph.view, VIEWS["helper"]).layout != "layered"
    physics = physics and len(nodes) <= PHYSICS_MAX_NODES
    _physics_options(net, physics, len(nodes))
    options = net.options
    options.groups = _group_options(NODE_STYLES)
    options.nodes = {"font": {"size": 12, "face": FONT}, "borderWidth": 1}
    options.layout = {"improvedLayout": False}
    root = graph.root_node
    heading = title(graph, lang, node_label(root, lang) if root else None)
    if not unmasked:
        heading = mask_text(heading)
    hidden = ["member"] if graph.view == "village" else []
    notes = []
    if hidden and any(n.get("group") == "member" for n in nodes):
        notes.append(WORDS[lang]["members_hidden"])
    if len(nodes) > PHYSICS_MAX_NODES and graph.view == "village":
        notes.append(WORDS[lang]["fixed"])
    page_meta(
        net,
        view=graph.view,
        root=graph.root,
        as_of=graph.as_of,
        heading=heading,
        lang=lang,
        unmasked=unmasked,
        hidden=hidden,
        history=graph.view in HISTORY_VIEWS,
        slider=graph.view in SLIDER_VIEWS,
        notes=notes,
    )
    return net
