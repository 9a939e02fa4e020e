"""viz.analytics without a database: exports that Gephi and networkx read back, masking,
centrality (exact and k-sampled), the load histogram and component shapes."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import random

import networkx as nx
import pytest

from tests.viz_graphs import help_network
from viz.analytics import (
    EXACT_MAX_NODES,
    build_help_graph,
    centrality,
    component_sizes,
    export,
    load_histogram,
    to_networkx,
    write,
)
from viz.betweenness import betweenness
from viz.graph import Edge, Graph, Node

HOSTILE = "<img src=x onerror=alert(1)>"


def _small() -> Graph:
    helper = Node("p:P007", "helper", {"person_id": "P007", "name": "张建华"}, {"load": 1})
    household = Node(
        "h:H001",
        "household",
        {"household_id": "H001", "registered_on": dt.date(2014, 6, 1), "size": 3},
    )
    member = Node(
        "p:P001",
        "member",
        {"person_id": "P001", "name": HOSTILE, "id_number": "530521197003150114",
         "phone": "13887510001", "tags": ["a", None, "b"]},
    )  # fmt: skip
    edges = [
        Edge("p:P007", "h:H001", "HELPS", {"start_on": dt.date(2016, 1, 1), "end_on": None}),
        Edge("p:P001", "h:H001", "IN_HOUSEHOLD", {}),
        Edge("p:P007", "h:H001", "HELPS", {"start_on": dt.date(2012, 1, 1)}),
    ]
    return Graph(
        "helper", "P007", "p:P007", dt.date(2017, 1, 1), [helper, household, member], edges
    )


def test_to_networkx_keeps_attributes_masked():
    g = to_networkx(_small())
    assert g.graph == {"view": "helper", "subject": "P007", "as_of": "2017-01-01"}
    assert g.nodes["p:P001"]["id_number"] == "530521********0114"
    assert g.nodes["p:P001"]["phone"] == "138****0001"
    assert g.nodes["p:P001"]["label"] == HOSTILE and g.nodes["p:P001"]["tags"] == "a、b"
    assert g.nodes["h:H001"]["registered_on"] == "2014-06-01"
    assert g.nodes["p:P007"]["category"] == "helper" and g.nodes["p:P007"]["load"] == 1
    assert g.number_of_edges("p:P007", "h:H001") == 2  # a multigraph: both pairings kept
    assert "end_on" not in g.edges["p:P007", "h:H001", 0]
    assert to_networkx(_small(), unmasked=True).nodes["p:P001"]["id_number"].endswith("150114")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_exports_read_back(fmt):
    body = export(_small(), fmt)
    assert b"530521197003150114" not in body
    if fmt == "graphml":
        g = nx.read_graphml(io.BytesIO(body), force_multigraph=True)
    elif fmt == "gexf":
        g = nx.read_gexf(io.BytesIO(body))
    else:
        g = nx.node_link_graph(json.loads(body), edges="edges")
    assert set(g.nodes) == {"p:P007", "h:H001", "p:P001"}
    assert g.number_of_edges() == 3
    assert g.nodes["p:P001"]["label"] == HOSTILE
    with pytest.raises(ValueError):
        export(_small(), "dot")


def test_a_large_network_exports(tmp_path):
    graph = help_network(3_000)
    g = nx.read_gexf(io.BytesIO(export(graph, "gexf")))
    assert g.number_of_nodes() == len(graph.nodes)


def _rows(pairs, memberships=(), tree=()):
    rows = [
        {"kind": "HELPS", "source": p, "source_name": p, "target": h, "target_name": h}
        for p, h in pairs
    ]
    rows += [
        {"kind": "MEMBER_OF", "source": p, "source_name": p, "target": o, "target_name": o}
        for p, o in memberships
    ]
    rows += [
        {"kind": "SUBORDINATE_TO", "source": a, "source_name": a, "target": b, "target_name": b}
        for a, b in tree
    ]
    return rows


def test_help_graph_and_exact_centrality():
    rows = _rows(
        [("p:A", "h:1"), ("p:A", "h:2"), ("p:B", "h:3")],
        memberships=[("p:A", "o:X"), ("p:B", "o:Y"), ("p:Z", "o:Y")],  # Z helps no one
        tree=[("o:X", "o:TOP"), ("o:Y", "o:TOP")],
    )
    g = build_help_graph(rows)
    assert "p:Z" not in g and g.nodes["o:X"]["kind"] == "organization"
    top = centrality(g)
    assert top["exact"] is True and top["samples"] is None
    assert top["organization"][0].key == "o:TOP"
    assert [c.key for c in top["helper"]] == ["p:A", "p:B"]
    assert top["helper_by_degree"][0].degree == 3  # two households and an organisation
    gexf = nx.read_gexf(io.BytesIO(write(g, "gexf", masked=True)))
    assert gexf.nodes["p:A"]["label"] == "p:A"


def test_centrality_is_sampled_on_a_large_graph():
    pairs = [(f"p:{i // 3}", f"h:{i}") for i in range(EXACT_MAX_NODES * 2)]
    memberships = [(f"p:{i}", f"o:{i % 50}") for i in range(EXACT_MAX_NODES * 2 // 3)]
    tree = [(f"o:{i}", "o:TOP") for i in range(50)]
    g = build_help_graph(_rows(pairs, memberships, tree))
    top = centrality(g)
    assert top["exact"] is False and top["samples"] == 64
    assert top["organization"][0].key == "o:TOP"


def test_load_histogram_and_component_sizes():
    rows = [
        {"helper_id": "A", "component": 1, "component_class": "one_to_many",
         "component_helpers": 1, "component_households": 2},
        {"helper_id": "A", "component": 1, "component_class": "one_to_many",
         "component_helpers": 1, "component_households": 2},
        {"helper_id": "B", "component": 2, "component_class": "one_to_one",
         "component_helpers": 1, "component_households": 1},
        {"helper_id": "C", "component": 3, "component_class": "one_to_one",
         "component_helpers": 1, "component_households": 1},
    ]  # fmt: skip
    assert load_histogram(rows) == [(1, 2), (2, 1)]
    assert component_sizes(rows) == [("one_to_one", 1, 1, 2), ("one_to_many", 1, 2, 1)]


def test_help_graph_names_households_by_their_head():
    rows = [
        {"kind": "HELPS", "source": "p:P007", "source_name": "张建华", "target": "h:H001",
         "target_name": "杨春华"},
        {"kind": "HELPS", "source": "p:P007", "source_name": "张建华", "target": "h:H002",
         "target_name": None},
    ]  # fmt: skip
    g = build_help_graph(rows)
    assert g.nodes["h:H001"]["label"] == "杨春华（H001）"
    assert g.nodes["h:H002"]["label"] == "H002"  # no head in the ledger


# -- betweenness with the leaves folded in (viz/betweenness.py) --------------------------------


def _random_graph_with_leaves(seed: int) -> nx.Graph:
    rng = random.Random(seed)
    n = rng.randint(3, 60)
    g = nx.gnm_random_graph(n, rng.randint(0, 2 * n), seed=seed)
    for i in range(rng.randint(0, n)):  # leaves, some on the same node, some on leaves
        g.add_edge(rng.randrange(n + i), n + i)
    g.add_edge("lone", "edge")
    g.add_node("alone")
    return g


@pytest.mark.parametrize("seed", range(30))
def test_folded_betweenness_is_networkx_betweenness(seed):
    g = _random_graph_with_leaves(seed)
    for k in (None, 1, 2, 7, len(g)):
        expected = nx.betweenness_centrality(g, k=k, seed=seed, normalized=True)
        found = betweenness(g, k=k, seed=seed)
        assert found.keys() == expected.keys()
        for v, value in expected.items():
            if math.isnan(value):
                assert math.isnan(found[v])
            else:
                assert found[v] == pytest.approx(value, rel=1e-9, abs=1e-12), (k, v)


def test_folded_betweenness_of_a_star_and_a_path():
    star = nx.star_graph(5)  # the centre lies on every path between two leaves
    assert betweenness(star) == {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0, 5: 0.0}
    path = nx.path_graph(4)
    assert betweenness(path) == pytest.approx({0: 0.0, 1: 2 / 3, 2: 2 / 3, 3: 0.0})
    with pytest.raises(ValueError):
        betweenness(nx.DiGraph(path))
