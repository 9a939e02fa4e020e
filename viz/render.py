"""A network as one self-contained HTML page: vis-network inlined, no external URL.

pyvis's template loads bootstrap, vis-network and tom-select from CDNs, and its
``add_node``/``add_edge`` check for duplicates in lists (quadratic). Here the node and edge
lists are built directly as dicts and serialised once; vis-network comes from the copy in
``viz/static`` (see the README there); the page's Content-Security-Policy forbids loading
anything at all, so a page opened offline (or on an intranet) looks the same.

Up to :data:`PHYSICS_MAX_NODES` nodes the browser runs a short force simulation starting from
the server's radial layout and then freezes it; above, physics is off and the server's layout
(:mod:`viz.layout`) is the picture. Organisation trees always use the layered layout.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from core.masking import mask_text
from viz.graph import Graph
from viz.layout import layered, radial
from viz.style import EDGE_STYLES, NODE_STYLES, category, node_size
from viz.text import edge_label, edge_tooltip, node_label, node_tooltip
from viz.views import VIEWS

__all__ = ["PHYSICS_MAX_NODES", "edge_kinds", "render_html", "vis_data", "vis_items", "write_html"]

HERE = Path(__file__).parent
#: above this many nodes the browser gets fixed positions and no physics
PHYSICS_MAX_NODES = 2000
_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# In a <script> element, "</script" would end it; U+2028/2029 end a line in older JavaScript.
# (str.replace, one character at a time, is several times faster than str.translate here.)
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)

_WORDS = {
    "zh": {
        "as_of": "截至 {date}",
        "counts": "节点 {nodes} 个 · 关系 {edges} 条",
        "nodes": "节点",
        "edges": "关系",
        "masked": "身份证号、联系电话已脱敏",
        "unmasked": "本页含未脱敏的身份证号和联系电话，请妥善保管，勿外传",
        "fixed": "节点较多：已关闭物理模拟，按树形结构预先布局",
        "find": "查找姓名或编号，回车定位",
        "empty": "（无）",
    },
    "en": {
        "as_of": "as of {date}",
        "counts": "{nodes} nodes · {edges} edges",
        "nodes": "Nodes",
        "edges": "Edges",
        "masked": "id and phone numbers are masked",
        "unmasked": "this page shows unmasked id and phone numbers: keep it safe",
        "fixed": "large network: physics off, laid out as a tree",
        "find": "find a name or id, Enter",
        "empty": "(none)",
    },
}


@functools.cache
def _vis_js() -> str:
    text = (HERE / "static" / "vis-network.min.js").read_text(encoding="utf-8")
    # never let the library's text end the <script> element it is inlined in
    return text.replace("</script", "<\\/script")


@functools.cache
def _template() -> str:
    return (HERE / "page.html").read_text(encoding="utf-8")


def vis_items(graph: Graph, lang: str = "zh", unmasked: bool = False) -> dict[str, Any]:
    """vis-network nodes and edges of ``graph`` (labels, groups, tooltips; no positions)."""
    nodes = []
    for node in graph.nodes:
        cat = category(node)
        label = node_label(node)
        item: dict[str, Any] = {
            "id": node.key,
            "label": label if unmasked else mask_text(label),
            "group": cat,
            "tip": node_tooltip(node, cat, lang, unmasked),
        }
        size = node_size(node, cat)
        if size != NODE_STYLES[cat].size:
            item["size"] = size
        nodes.append(item)
    edges = []
    for edge in graph.edges:
        edge_item = {"from": edge.source, "to": edge.target, "k": edge.kind}
        if edge.props:
            edge_item["tip"] = edge_tooltip(edge, lang, unmasked)
        if edge.kind == "LINKS":
            edge_item["label"] = edge_label(edge, lang)
        edges.append(edge_item)
    return {"nodes": nodes, "edges": edges}


def edge_kinds(lang: str, counts: Mapping[str, int] | None = None) -> dict[str, Any]:
    """How the page draws each kind of relationship, with how many it holds."""
    return {
        k: {
            "color": s.color,
            "dashes": s.dashes,
            "width": s.width,
            "tip": html.escape(s.zh if lang == "zh" else s.en),
            "count": (counts or {}).get(k, 0),
        }
        for k, s in EDGE_STYLES.items()
    }


def vis_data(graph: Graph, lang: str = "zh", unmasked: bool = False) -> dict[str, Any]:
    """The nodes, edges and options vis-network draws (plain dicts, JSON-ready).

    A view's graph is laid out as its view says; any other graph (a neighbourhood) radially
    around its root.
    """
    view = VIEWS.get(graph.view)
    layered_tree = view is not None and view.layout == "layered"
    keys = [n.key for n in graph.nodes]
    pairs = [(e.source, e.target) for e in graph.edges]
    positions = (layered if layered_tree else radial)(keys, pairs, graph.root)
    physics = not layered_tree and len(keys) <= PHYSICS_MAX_NODES
    items = vis_items(graph, lang, unmasked)
    for item in items["nodes"]:
        item["x"], item["y"] = positions[item["id"]]
    groups = Counter(item["group"] for item in items["nodes"])
    kinds = Counter(edge.kind for edge in graph.edges)
    return {
        "big": len(keys) > PHYSICS_MAX_NODES,
        **items,
        "groups": dict(groups),
        "edgeKinds": edge_kinds(lang, kinds),
        "options": _options(groups, physics, len(keys)),
    }


def _options(groups: Counter[str], physics: bool, n: int) -> dict[str, Any]:
    big = n > PHYSICS_MAX_NODES
    return {
        "groups": {
            cat: {
                "shape": NODE_STYLES[cat].shape,
                "size": NODE_STYLES[cat].size,
                "color": {
                    "background": NODE_STYLES[cat].color,
                    "border": NODE_STYLES[cat].color,
                    "highlight": {"background": "#ffd700", "border": NODE_STYLES[cat].color},
                    "hover": {"background": NODE_STYLES[cat].color, "border": "#000"},
                },
            }
            for cat in groups
        },
        "nodes": {"font": {"size": 12, "face": _FONT}, "borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "smooth": {"enabled": True, "type": "continuous"} if physics else False,
            "font": {"size": 10, "face": _FONT, "align": "middle"},
        },
        "physics": (
            {
                "enabled": True,
                "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"springLength": 80, "avoidOverlap": 0.3},
                "stabilization": {"enabled": True, "iterations": 300, "fit": True},
            }
            if physics
            else {"enabled": False}
        ),
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 100,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
        },
    }


def render_html(graph: Graph, lang: str = "zh", unmasked: bool = False) -> str:
    """The page for ``graph``: legend and labels in ``lang`` (zh or en)."""
    words = _WORDS[lang]
    data = vis_data(graph, lang, unmasked)
    view = VIEWS[graph.view]
    root = graph.root_node
    label = node_label(root) if root else graph.subject
    if lang == "zh":
        title = f"{view.title_zh}：{label}"
        if label != graph.subject:
            title += f"（{graph.subject}）"
    else:
        title = f"{view.title_en[:1].upper()}{view.title_en[1:]}: {label}"
        if label != graph.subject:
            title += f" ({graph.subject})"
    meta = " · ".join(
        (
            words["as_of"].format(date=graph.as_of.isoformat()),
            words["counts"].format(nodes=len(data["nodes"]), edges=len(data["edges"])),
        )
    )
    notes = [f'<span class="note">{html.escape(words["masked"])}</span>']
    if unmasked:
        notes = [f'<span class="warn">{html.escape(words["unmasked"])}</span>']
    if not data["options"]["physics"]["enabled"] and len(data["nodes"]) > PHYSICS_MAX_NODES:
        notes.append(f'<span class="note">{html.escape(words["fixed"])}</span>')
    values = {
        "lang": "zh-CN" if lang == "zh" else "en",
        "title": html.escape(title),
        "meta": html.escape(meta),
        "notes": "\n  ".join(notes),
        "find": html.escape(words["find"]),
        "legend": _legend(data, lang),
        "data": _script_json(data),
        "vis_js": _vis_js(),
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _template())


def _script_json(value: Any) -> str:
    """JSON that cannot end the <script> element it sits in."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _JSON_ESCAPES:
        text = text.replace(char, escaped)
    return text


def _legend(data: dict[str, Any], lang: str) -> str:
    words = _WORDS[lang]
    groups: dict[str, int] = data["groups"]
    items = []
    for cat, style in NODE_STYLES.items():
        if cat not in groups:
            continue
        name = style.zh if lang == "zh" else style.en
        items.append(
            f'<li data-category="{cat}"><span class="glyph" style="color:{style.color}">'
            f'{style.glyph}</span>{html.escape(name)}<span class="count">{groups[cat]}</span></li>'
        )
    lines = []
    for kind, edge in EDGE_STYLES.items():
        count = data["edgeKinds"][kind]["count"]
        if not count:
            continue
        name = edge.zh if lang == "zh" else edge.en
        border = "dashed" if edge.dashes else "solid"
        lines.append(
            f'<li data-kind="{kind}"><span class="line" style="border-top-color:{edge.color};'
            f'border-top-style:{border}"></span>{html.escape(name)}'
            f'<span class="count">{count}</span></li>'
        )
    empty = f"<li>{html.escape(words['empty'])}</li>"
    return (
        f"<h2>{html.escape(words['nodes'])}</h2><ul>{''.join(items) or empty}</ul>"
        f"<h2>{html.escape(words['edges'])}</h2><ul>{''.join(lines) or empty}</ul>"
    )


def write_html(graph: Graph, path: Path, lang: str = "zh", unmasked: bool = False) -> None:
    """Write the page to ``path`` in UTF-8."""
    path.write_text(render_html(graph, lang, unmasked), encoding="utf-8")
