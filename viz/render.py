"""What the explorer draws with vis-network, and the ``kg viz`` page of a graph.

* :func:`vis_data` — the nodes, edges and options of a graph as plain dicts (the explorer's
  entity pages; see :mod:`viz.neighbours`): up to :data:`PHYSICS_MAX_NODES` nodes the browser
  runs a short force simulation from the server's radial layout, above the server's layout is
  the picture; organisation trees use the layered layout; village views the kg viz page's
  (grouped by helper, no physics), with household members off (``hide``).
* :func:`vis_items` and :func:`edge_kinds` (from :mod:`viz.items`): the items alone.
* :func:`render_html` / :func:`write_html` — the self-contained page of ``kg viz``, now a pyvis
  network rendered by :mod:`viz.pages` (kg's own template, vis-network inlined, nothing
  loaded from outside).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from viz.graph import Graph
from viz.items import PHYSICS_MAX_NODES, edge_kinds, vis_items
from viz.layout import layered, radial
from viz.pages import FONT as _FONT
from viz.pages import UNDRAWN, build, layout
from viz.style import NODE_STYLES
from viz.views import VIEWS

__all__ = ["PHYSICS_MAX_NODES", "edge_kinds", "render_html", "vis_data", "vis_items", "write_html"]


def vis_data(graph: Graph, lang: str = "zh", unmasked: bool = False) -> dict[str, Any]:
    """The nodes, edges and options vis-network draws (plain dicts, JSON-ready).

    A view's graph is laid out as its view says; any other graph (a neighbourhood) radially
    around its root.
    """
    view = VIEWS.get(graph.view)
    layered_tree = view is not None and view.layout == "layered"
    keys = [n.key for n in graph.nodes]
    undrawn = UNDRAWN.get(graph.view, ())
    if undrawn:
        # a village view as the kg viz page draws it: grouped by helper (each helper beside
        # the households it helps), villages under their labels, no hub joined to every
        # household, and no physics to pull the groups apart
        drawn = [e for e in graph.edges if e.kind not in undrawn]
        positions = layout(graph, drawn)  # the undrawn edges say which village is whose
        graph = Graph(graph.view, graph.subject, graph.root, graph.as_of, graph.nodes, drawn)
        physics = False
    else:
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
        # categories off when the page opens (household members in village views)
        "hide": ["member"] if graph.view == "village" and groups.get("member") else [],
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
            # arrow keys pan, + and - zoom while the network has the keyboard's focus
            "keyboard": {"enabled": True, "bindToWindow": False},
        },
    }


def render_html(graph: Graph, lang: str = "zh", unmasked: bool = False) -> str:
    """The ``kg viz`` page for ``graph`` (legend and labels in ``lang``, zh or en): the pyvis
    network of :func:`viz.pages.build`, rendered with kg's template."""
    return build(graph, lang, unmasked).generate_html()


def write_html(graph: Graph, path: Path, lang: str = "zh", unmasked: bool = False) -> None:
    """Write the page to ``path`` in UTF-8."""
    path.write_text(render_html(graph, lang, unmasked), encoding="utf-8")
