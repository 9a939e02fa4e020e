"""Networks as pyvis networks and self-contained HTML pages (``kg viz``), drawn with vis-network.

The Python API (for notebooks, and for the API and explorer layers above)::

    import viz
    net = viz.network("village", "530521202201", "2018-12-31")   # a pyvis.network.Network
    net                                                          # shows inline in Jupyter
    g = viz.to_networkx(net)                                     # for networkx
    viz.clusters("village", "530521000000")                      # a county's bubbles
    viz.cluster_content("village", "530521000000", "530521202000")  # what one opens into

Data flows one way, one module per step:

* :mod:`viz.views` — the views (helper, household, village, site, org, chain): each runs its
  query ``queries/viz/NAME.cypher`` as of a date and returns a :class:`viz.graph.Graph`;
* :mod:`viz.graph` — the nodes and edges of one network (deduplicated, typed);
* :mod:`viz.style` — colour, shape and legend name of each kind of node and edge;
* :mod:`viz.text` — the label of a node (a household by its head) and the tooltips, escaped;
* :mod:`viz.layout` — positions computed server-side (radial, layered, grouped by helper,
  packed circles; linear or near-linear time);
* :mod:`viz.items` — vis-network items of a graph (shared with the explorer);
* :mod:`viz.pages` — the pyvis network of a view and its page (kg's template, vis-network
  inlined, no external URL, the 历史 toggle and the year slider);
* :mod:`viz.county` — the county-scale view: divisions as clusters opened by a click;
* :mod:`viz.render` — what the explorer draws (``vis_data``) and ``render_html``;
* :mod:`viz.public` — the functions above, with settings from the environment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["cluster_content", "clusters", "network", "to_networkx"]

if TYPE_CHECKING:
    from viz.public import cluster_content, clusters, network, to_networkx


def __getattr__(name: str) -> Any:
    # Loaded on first use, not at import: viz.public imports pyvis (and with it IPython) and the
    # driver, which the modules of this package used on their own (viz.graph, ...) do not need.
    if name in __all__:
        from viz import public

        return getattr(public, name)
    raise AttributeError(f"module 'viz' has no attribute {name!r}")
