"""The Python API of the networks, for notebooks and for other layers (``viz.network``,
``viz.to_networkx``, ``viz.clusters``, ``viz.cluster_content``; see :mod:`viz`).

Settings come from the environment as for the ``kg`` command (``core.settings.Settings``:
``NEO4J_URI`` or the embedded Neo4j of ``KG_HOME``), unless a driver is passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
import networkx as nx

from core.settings import Settings, language
from graph.connection import database_name, open_driver
from viz import analytics
from viz import county as clustering
from viz.graph import Graph
from viz.pages import KgNetwork, build, picture
from viz.views import AGGREGATE_NODES, VIEWS, fetch, first_record

__all__ = [
    "AGGREGATE_NODES",
    "cluster_content",
    "clusters",
    "network",
    "render_network",
    "to_networkx",
]


@contextmanager
def _connection(
    driver: neo4j.Driver | None, database: str | None
) -> Iterator[tuple[neo4j.Driver, str]]:
    if driver is not None:
        yield driver, database or "neo4j"
        return
    settings = Settings.from_env()
    with open_driver(settings) as opened:
        yield opened, database or database_name(settings)


def _view(view: str) -> str:
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}")
    return view


def estimated_nodes(
    driver: neo4j.Driver, database: str, region: str, as_of: dt.date, scope: str | None = None
) -> tuple[str | None, int]:
    """The level of ``region`` and about how many nodes its village view has (households,
    their members and about one helper each); UnknownSubject when there is no such region."""
    params = {"id": region, "as_of": as_of, "scope": scope}
    r = first_record(driver, database, "viz/village_size", params, VIEWS["village"], region)
    return r["level"], 2 * int(r["households"] or 0) + int(r["members"] or 0)


def render_network(
    driver: neo4j.Driver,
    database: str,
    view: str,
    subject: str,
    as_of: dt.date,
    *,
    scope: str | None = None,
    lang: str = "zh",
    unmasked: bool = False,
    page: bool = True,
    aggregate: bool | None = None,
    aggregate_nodes: int = AGGREGATE_NODES,
) -> tuple[KgNetwork | None, Graph]:
    """What ``kg viz`` draws: the network (None unless ``page``) and the graph it comes from.

    A page carries the history of its view (every pairing and membership, filtered by date in
    the page); a graph file (``page=False``) the network as of the date. A village view of a
    region is drawn as clusters when ``aggregate`` (None: when it would have over
    ``aggregate_nodes`` nodes)."""
    _view(view)
    if not page:
        return None, fetch(driver, database, view, subject, as_of, scope)
    if view == "village" and aggregate is not False:
        level, size = estimated_nodes(driver, database, subject, as_of, scope)
        if level not in ("village", "community") and (aggregate or size > aggregate_nodes):
            tree = clustering.fetch_tree(driver, database, subject, as_of, scope)
            if not tree.leaf:
                graph = fetch(
                    driver, database, view, subject, as_of, scope, history=True, members=False
                )
                return clustering.build(tree, graph, lang, unmasked), graph
    graph = fetch(driver, database, view, subject, as_of, scope, history=True)
    return build(graph, lang, unmasked), graph


def network(
    view: str,
    id: str,
    as_of: dt.date | str | None = None,
    *,
    unmasked: bool = False,
    lang: str | None = None,
    aggregate: bool | None = None,
    scope: str | None = None,
    driver: neo4j.Driver | None = None,
    database: str | None = None,
) -> KgNetwork:
    """The ``pyvis.network.Network`` of a view, as ``kg viz VIEW ID`` draws it.

    ``view``: helper, household, village, site, org or chain; ``id``: the subject's id;
    ``as_of``: a date or ``YYYY-MM-DD`` (default today). Masked (id and phone numbers) unless
    ``unmasked``; labels in ``lang`` (zh, en; default from the locale, as ``kg``). In Jupyter
    the network shows inline, offline (the page in an iframe); ``net.write_html(path)`` writes
    the page, :func:`to_networkx` turns it into a networkx graph. UnknownSubject (a
    LookupError) when the id names nothing."""
    day = _date(as_of)
    with _connection(driver, database) as (drv, db):
        net, _ = render_network(
            drv,
            db,
            view,
            id,
            day,
            scope=scope,
            lang=lang or language(),
            unmasked=unmasked,
            aggregate=aggregate,
        )
    assert net is not None
    return net


def to_networkx(
    net: Any, *, history: bool = False, unmasked: bool | None = None
) -> nx.MultiDiGraph:
    """A pyvis network as a networkx multi-digraph: its nodes and edges as they are in
    ``net.nodes`` / ``net.edges`` now (one edge per pairing or relationship, ``type`` its
    kind), as of the network's date: what its page draws on that day, household members
    included (``history=True``: also what ended before or starts after, with its dates). For a
    network of :func:`network`, the node and edge attributes are the graph's (as
    :func:`viz.analytics.to_networkx`: ``label``, ``category`` and the properties, masked like
    the network); for any other pyvis network, its own attributes."""
    source: Graph | None = getattr(net, "graph", None)
    as_of = (getattr(net, "kg", None) or {}).get("asOf")
    nodes, edges = list(net.nodes), list(net.edges)
    if as_of and not history:
        shown, drawn = picture(nodes, edges, as_of)
        nodes = [n for n in nodes if n["id"] in shown]
        edges = list(drawn)
    masked_view = not (getattr(net, "unmasked", False) if unmasked is None else unmasked)
    base = analytics.to_networkx(source, unmasked=not masked_view) if source else None
    g = nx.MultiDiGraph()
    if base is not None:
        g.graph.update(base.graph)
    for n in nodes:
        key = n["id"]
        if base is not None and key in base:
            g.add_node(key, **base.nodes[key])
        else:
            attrs = {k: v for k, v in n.items() if k not in ("id", "x", "y") and _plain(v)}
            if "group" in attrs:
                attrs.setdefault("category", attrs["group"])
            g.add_node(key, **attrs)
    props: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    if base is not None:
        for a, b, data in base.edges(data=True):
            props.setdefault((a, b, str(data.get("type"))), []).append(data)
    for e in edges:
        a, b = e["from"], e["to"]
        if a not in g or b not in g:
            continue
        kind = str(e.get("k") or e.get("type") or "")
        found = props.get((a, b, kind))
        if found:
            g.add_edge(a, b, **found.pop(0))
        else:
            attrs = {k: v for k, v in e.items() if k not in ("from", "to", "id", "k") and _plain(v)}
            g.add_edge(a, b, type=kind, **attrs)
    return g


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _date(as_of: dt.date | str | None) -> dt.date:
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, dt.date):
        return as_of
    return dt.date.fromisoformat(as_of)


def clusters(
    view: str,
    id: str,
    as_of: dt.date | str | None = None,
    *,
    scope: str | None = None,
    lang: str | None = None,
    driver: neo4j.Driver | None = None,
    database: str | None = None,
) -> dict[str, Any]:
    """The county-scale view of a region (``view`` must be ``village``): the bubbles of the
    divisions under ``id`` as pyvis node dicts (positions relative to the region's centre,
    ``cluster`` holding their figures), the edges between them (helpers in common), and the
    region's own figures: ``{"root": {...}, "nodes": [...], "edges": [...]}``."""
    if _view(view) != "village":
        raise ValueError("clusters are drawn for the village view of a region")
    day = _date(as_of)
    with _connection(driver, database) as (drv, db):
        tree = clustering.fetch_tree(drv, db, id, day, scope)
    items = clustering.cluster_items(tree, lang or language())
    root = {
        "region_id": tree.region_id,
        "name": tree.name,
        "level": tree.level,
        "households": tree.households,
        "poor": tree.poor,
        "without_helper": tree.without_helper,
        "one_helps_many": tree.one_helps_many,
        "helpers": len(tree.helpers),
        "members": tree.members,
        "radius": tree.radius,
        "share": tree.shares(),
    }
    return {"root": root, **items}


def cluster_content(
    view: str,
    id: str,
    cluster: str,
    as_of: dt.date | str | None = None,
    *,
    scope: str | None = None,
    lang: str | None = None,
    unmasked: bool = False,
    driver: neo4j.Driver | None = None,
    database: str | None = None,
) -> dict[str, Any]:
    """What a bubble of :func:`clusters` opens into: for a division with divisions under it,
    their bubbles; for a village, its households and helpers with every pairing (dated, for the
    history toggle and the slider). Positions relative to the bubble's centre:
    ``{"nodes": [...], "edges": [...]}``. UnknownSubject when ``cluster`` does not lie under
    ``id`` (or the scope)."""
    if _view(view) != "village":
        raise ValueError("clusters are drawn for the village view of a region")
    day = _date(as_of)
    lang = lang or language()
    with _connection(driver, database) as (drv, db):
        tree = clustering.fetch_tree(drv, db, cluster, day, scope, within=id)
        if not tree.leaf:
            return clustering.cluster_items(tree, lang)
        return clustering.village_content(
            drv, db, cluster, day, scope=scope, lang=lang, unmasked=unmasked
        )
