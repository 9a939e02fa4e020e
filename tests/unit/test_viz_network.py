"""The pyvis networks of kg viz without a database: pyvis's own objects filled in one pass, the
date rule of the history toggle and the slider, households named by their head, the layout
grouped by helper, the county-scale clusters, the notebook display, escaping and masking."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re

import networkx as nx
import pytest
from pyvis.network import Network
from pyvis.options import Options

import viz
from tests.viz_clusters import COUNTY, TOWNSHIPS, county
from tests.viz_graphs import help_network, page_data
from tests.viz_graphs import household_with_history as _household
from viz.county import build as build_clusters
from viz.county import cluster_items, content_items
from viz.graph import Graph, Node
from viz.layout import grouped, pack_circles
from viz.pages import KgNetwork, build, picture
from viz.render import render_html, vis_data
from viz.text import node_label, node_tooltip
from viz.views import title

HOSTILE = "<img src=x onerror=alert(1)>"
ID_NUMBER = "530521197003150114"
PHONE = "13887510001"
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|srcset|action)\s*=\s*["']?|url\(\s*["']?)\s*(?:https?:)?//""", re.I
)
D = dt.date


def test_the_network_is_pyvis_filled_in_one_pass():
    net = build(help_network(2_000))
    assert isinstance(net, Network) and isinstance(net.options, Options)
    assert len(net.nodes) == len(net.node_ids) == len(net.node_map) > 2_000
    assert net.get_node(net.node_ids[5]) is net.nodes[5]
    nodes, edges, *_, options = net.get_network_data()  # pyvis's own
    assert json.loads(options)["physics"]["enabled"] is False
    net.toggle_physics(True)  # pyvis's methods still work on the options
    assert json.loads(net.get_network_data()[-1])["physics"]["enabled"] is True
    assert all(set(e) >= {"from", "to", "k", "id"} for e in edges)


def test_a_household_is_named_by_its_head():
    graph = _household()
    house = graph.nodes[0]
    assert node_label(house) == "杨春华（H001）"
    assert node_label(house, "en") == "杨春华 (H001)"
    assert node_label(Node("h:H9", "household", {"household_id": "H9"})) == "H9"
    data = page_data(render_html(graph))
    label = next(n["label"] for n in data["nodes"] if n["id"] == "h:H001")
    assert label == "杨春华（H001）"
    g = viz.to_networkx(build(graph))
    assert g.nodes["h:H001"]["label"] == "杨春华（H001）"


def test_a_hostile_head_is_text_everywhere():
    page = render_html(_household(HOSTILE))
    assert HOSTILE not in page
    data = page_data(page)
    house = next(n for n in data["nodes"] if n["id"] == "h:H001")
    assert house["label"] == f"{HOSTILE}（H001）"  # drawn on a canvas, as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in house["title"]
    assert "<img" not in house["title"]
    assert set(re.findall(r"<[^>]*>", house["title"])) <= {"<br>"}
    # the title of a household page names the head too, escaped in the page's <title>
    heading = title(_household(HOSTILE), "zh", node_label(_household(HOSTILE).nodes[0]))
    assert heading == f"帮扶关系：{HOSTILE}（H001）"
    assert "<title>帮扶关系：&lt;img src=x onerror=alert(1)&gt;（H001）</title>" in page


def test_dates_decide_what_is_drawn():
    net = build(_household())
    data = page_data(net.generate_html())
    helps = {e["from"]: e for e in data["edges"] if e["k"] == "HELPS"}
    assert helps["p:P008"]["s"] == "2016-01-01" and helps["p:P008"]["u"] == "2018-01-01"
    assert "u" not in helps["p:P007"]
    deps = {n["id"] for n in data["nodes"] if n.get("dep")}
    assert deps == {"p:P007", "p:P008", "p:P001"}  # helpers and members hang on their edges

    def shown(date: str, history: bool = False) -> set[str]:
        nodes, _ = picture(net.nodes, net.edges, date, history=history)
        return nodes

    assert shown("2018-12-31") == {"h:H001", "p:P007", "p:P001"}
    assert shown("2018-12-31", history=True) == {"h:H001", "p:P007", "p:P008", "p:P001"}
    assert shown("2017-06-30") == {"h:H001", "p:P008", "p:P001"}  # before P007 started
    assert shown("2015-12-31", history=True) == {"h:H001", "p:P001"}
    _, drawn = picture(net.nodes, net.edges, "2018-12-31", hidden=["member"])
    assert {e["k"] for e in drawn} == {"HELPS"}
    assert net.kg["counts"] == "节点 3 个 · 关系 2 条"  # as of the page's date
    assert net.kg["history"] and net.kg["slider"] == {"min": 2014, "max": 2020}


def test_village_pages_hide_members_and_draw_no_hub():
    graph = help_network(2_000)
    data = page_data(render_html(graph))
    kinds = {e["k"] for e in data["edges"]}
    assert "LOCATED_IN" not in kinds and "PART_OF" not in kinds  # no spoke to every household
    assert data["kg"]["hide"] == ["member"]
    assert "家庭成员默认隐藏" in render_html(graph)
    box = re.search(r'<input type="checkbox" data-group="member"[^>]*>', render_html(graph))
    assert box is not None and "checked" not in box.group(0)


def test_grouped_layout_puts_each_helper_beside_its_households():
    graph = help_network(2_000)
    net = build(graph)
    pos = {n["id"]: (n["x"], n["y"]) for n in net.nodes}
    helps = [e for e in graph.edges if e.kind == "HELPS"]
    # a helper is close to the households it helps (most of them: a second helper may sit
    # in another group), far closer than the network is wide
    width = max(x for x, _ in pos.values()) - min(x for x, _ in pos.values())
    near = [math.dist(pos[e.source], pos[e.target]) < 0.1 * width for e in helps]
    assert sum(near) > 0.9 * len(near)
    # every village's label sits above its own households
    for village in (n for n in graph.nodes if n.props.get("level") == "village"):
        mine = [
            pos[n.key]
            for n in graph.nodes
            if n.props.get("region_id") == village.key[2:] and n.kind == "household"
        ]
        assert all(y > pos[village.key][1] for _, y in mine)
    assert len(set(pos.values())) > 0.95 * len(pos)


def test_the_explorers_village_network_is_grouped_by_helper_with_members_off():
    graph = help_network(2_000)
    data = vis_data(graph)  # what the explorer's entity page draws
    kinds = {e["k"] for e in data["edges"]}
    assert "LOCATED_IN" not in kinds and "PART_OF" not in kinds  # no spoke to every household
    assert data["hide"] == ["member"] and data["groups"]["member"] > 0
    assert data["options"]["physics"] == {"enabled": False}  # the groups stay where they are
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    width = max(x for x, _ in pos.values()) - min(x for x, _ in pos.values())
    helps = [e for e in graph.edges if e.kind == "HELPS"]
    near = [math.dist(pos[e.source], pos[e.target]) < 0.1 * width for e in helps]
    assert sum(near) > 0.9 * len(near)
    # every kind of line drawn has a name for the legend
    assert all(data["edgeKinds"][k]["name"] for k in kinds)
    assert data["edgeKinds"]["HELPS"]["name"] == "结对帮扶"
    # another view keeps its members on
    helper = Graph("helper", "P1", "p:P1", graph.as_of, graph.nodes[:3], [])
    assert vis_data(helper)["hide"] == []


def test_grouped_layout_of_small_inputs():
    assert grouped([], [], "r", block_of={}, parent_of={}) == {}
    pos = grouped(["r", "h"], [], "r", block_of={"h": "r"}, parent_of={})
    assert set(pos) == {"r", "h"} and pos["r"][1] < pos["h"][1]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 10, 60])
def test_packed_circles_do_not_overlap(n):
    rng = random.Random(n)
    radii = [rng.uniform(5, 120) for _ in range(n)]
    centres, enclosing = pack_circles(radii)
    assert len(centres) == n
    for i in range(n):
        assert math.hypot(*centres[i]) + radii[i] <= enclosing + 0.5
        for j in range(i):
            assert math.dist(centres[i], centres[j]) >= radii[i] + radii[j] - 0.5


def test_clusters_roll_up_and_nest():
    tree, view, rows = county()
    assert tree.region_id == COUNTY and [c.region_id for c in tree.children] == list(TOWNSHIPS)
    assert tree.households == sum(r["households"] for r in rows["villages"])
    assert tree.helpers == {p for r in rows["villages"] for p in r["helpers"]}
    for parent in tree.walk():
        for child in parent.children:  # each bubble lies inside its parent's
            assert math.hypot(child.x, child.y) + child.radius <= parent.radius + 1
    items = cluster_items(tree)
    assert [n["id"] for n in items["nodes"]] == [f"c:{t}" for t in TOWNSHIPS]
    shared = len(tree.children[0].helpers & tree.children[1].helpers)
    assert [e["title"] for e in items["edges"]] == ([f"共同帮扶人：{shared:,}"] if shared else [])
    share = items["nodes"][0]["cluster"]["share"]
    c = tree.children[0]
    assert share["without"] == round(c.without_helper / c.poor, 4)


def test_a_village_opens_into_its_households_and_helpers():
    tree, view, _ = county()
    village = tree.children[0].children[0]
    content = content_items(view, village.region_id)
    kinds = {n["group"] for n in content["nodes"]}
    assert kinds <= {"household", "helper"} and "household" in kinds
    households = [n for n in content["nodes"] if n["group"] == "household"]
    assert len(households) == village.households
    assert {e["k"] for e in content["edges"]} == {"HELPS"}
    xs = [n["x"] for n in content["nodes"]]
    assert abs(max(xs) + min(xs)) < 1  # centred on the bubble


def test_county_page_embeds_the_contents_and_escapes_them():
    tree, view, _ = county(village_name=HOSTILE)
    net = build_clusters(tree, view)
    page = net.generate_html()
    assert HOSTILE not in page and not EXTERNAL.findall(page)
    data = page_data(page)
    assert {n["id"] for n in data["nodes"]} == {f"c:{t}" for t in TOWNSHIPS}
    assert all(n["cat"] == "cluster" and n["size"] > 0 for n in data["nodes"])
    scripts = re.findall(r'<script id="kg-c-(\d+)" type="application/json">(.*?)</script>', page)
    assert {k for k, _ in scripts} == {c.region_id for c in tree.walk() if c is not tree}
    township = json.loads(dict(scripts)[next(iter(TOWNSHIPS))])
    bubble = next(n for n in township["nodes"] if n["cluster"]["name"] == HOSTILE)
    assert "&lt;img" in bubble["title"] and "<img" not in bubble["title"]
    assert "县（区）帮扶网络（按区划聚合）：施甸县" in page
    assert 'id="colour-by"' in page and 'id="history"' in page and 'id="year"' in page
    masked = json.loads(next(v for k, v in scripts if k == tree.children[0].children[0].region_id))
    assert masked["nodes"]  # a village's content


def test_tooltips_and_labels_masked_unless_asked():
    graph = _household(f"杨春华{PHONE}")
    masked = render_html(graph)
    assert PHONE not in masked and "138****0001" in masked and ID_NUMBER not in masked
    unmasked = render_html(graph, unmasked=True)
    assert PHONE in unmasked and ID_NUMBER in unmasked and "未脱敏" in unmasked
    assert ID_NUMBER not in node_tooltip(graph.nodes[3], "member", "en")


def test_titles_say_the_level():
    for level, expected in (
        ("village", "村帮扶网络：华门村（530521202201）"),
        ("township", "乡镇帮扶网络：华门村（530521202201）"),
        ("county", "县（区）帮扶网络：华门村（530521202201）"),
    ):
        root = Node("r:530521202201", "region", {"name": "华门村", "level": level})
        graph = Graph("village", "530521202201", root.key, D(2019, 1, 1), [root], [])
        assert title(graph, "zh", node_label(root)) == expected
    root = Node("r:1", "region", {"name": "X", "level": "township"})
    assert title(Graph("village", "1", "r:1", D(2019, 1, 1), [root], []), "en", "X") == (
        "Township help network: X (1)"
    )


def test_jupyter_shows_the_page_inline_and_offline():
    shown = build(_household())._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and "sandbox=" in shown
    assert "&lt;!DOCTYPE html&gt;" in shown and not EXTERNAL.findall(shown)


def test_write_html_writes_utf8(tmp_path):
    net = build(_household())
    net.write_html(str(tmp_path / "h.html"))
    assert "杨春华（H001）" in (tmp_path / "h.html").read_text(encoding="utf-8")
    assert not (tmp_path / "lib").exists()  # pyvis would copy its CDN-loading lib folder


def test_to_networkx_keeps_what_the_network_holds():
    net = build(_household())
    g = viz.to_networkx(net)  # as of the network's date: P008's pairing had ended
    assert isinstance(g, nx.MultiDiGraph) and set(g) == {"h:H001", "p:P007", "p:P001"}
    assert g.nodes["p:P001"]["id_number"] == "530521********0114"  # masked like the page
    assert {d["type"] for *_, d in g.edges(data=True)} == {"HELPS", "IN_HOUSEHOLD"}
    g = viz.to_networkx(net, history=True)
    ended = [d for *_, d in g.edges(data=True) if d.get("end_on")]
    assert g.number_of_nodes() == 4 and ended and ended[0]["end_on"] == "2018-01-01"
    net.nodes = [n for n in net.nodes if n["id"] != "p:P008"]  # what the net holds now
    assert "p:P008" not in viz.to_networkx(net, history=True)
    plain = Network()
    plain.add_node("a", label="A", group="x")
    plain.add_node("b", label="B")
    plain.add_edge("a", "b", title="t")
    g = viz.to_networkx(plain)
    assert g.nodes["a"]["label"] == "A" and g.nodes["a"]["category"] == "x"
    assert g.number_of_edges() == 1


def test_the_page_is_kgs_template_not_pyvis():
    page = build(_household()).generate_html()
    assert 'name="generator" content="kg viz (pyvis)"' in page
    assert "default-src 'none'" in page
    assert "<link" not in page and not re.search(r"<script[^>]*\bsrc\s*=", page)
    assert "@version 10.1.5" in page  # vis-network inlined
    assert isinstance(build(_household()), KgNetwork)
