"""Networks as self-contained HTML pages (``kg viz``), drawn with vis-network.

Data flows one way, one module per step:

* :mod:`viz.views` — the views (helper, household, village, site, org, chain): each runs its
  query ``queries/viz/NAME.cypher`` as of a date and returns a :class:`viz.graph.Graph`;
* :mod:`viz.graph` — the nodes and edges of one network (deduplicated, typed);
* :mod:`viz.style` — colour, shape and legend name of each kind of node and edge;
* :mod:`viz.text` — the label of a node and the tooltips of nodes and edges, HTML-escaped;
* :mod:`viz.layout` — positions computed server-side (radial or layered tree, linear time);
* :mod:`viz.render` — the page: vis-network inlined from ``viz/static``, no external URL.
"""
