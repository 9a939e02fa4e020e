"""vis-network items of a graph: one dict per node (label, category, escaped and masked
tooltip, size) and per edge (kind, tooltip, label), and how each kind of edge is drawn. Shared by
the ``kg viz`` pages (:mod:`viz.pages`) and the explorer's networks (``viz.render``)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from core.masking import mask_text
from viz.graph import Graph
from viz.style import EDGE_STYLES, NODE_STYLES, category, node_size
from viz.text import edge_label, edge_tooltip, node_label, node_tooltip

__all__ = ["PHYSICS_MAX_NODES", "edge_kinds", "vis_items"]

#: above this many nodes the browser gets fixed positions and no physics
PHYSICS_MAX_NODES = 2000


def vis_items(graph: Graph, lang: str = "zh", unmasked: bool = False) -> dict[str, Any]:
    """vis-network nodes and edges of ``graph`` (labels, groups, tooltips; no positions)."""
    nodes = []
    for node in graph.nodes:
        cat = category(node)
        label = node_label(node, lang)
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
            "name": s.zh if lang == "zh" else s.en,
            "count": (counts or {}).get(k, 0),
        }
        for k, s in EDGE_STYLES.items()
    }
