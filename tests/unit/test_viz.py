"""The viz package without a database: masking, escaping, layouts, the self-contained page."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from pathlib import Path

import pytest

import viz
from core.masking import mask_id_number, mask_phone, mask_text
from tests.viz_graphs import help_network, page_data
from viz.graph import Edge, Graph, Node
from viz.layout import layered, radial
from viz.render import PHYSICS_MAX_NODES, render_html, vis_data
from viz.style import NODE_STYLES, category, node_size
from viz.text import node_tooltip

HOSTILE = "<img src=x onerror=alert(1)>"
ID_NUMBER = "530521197003150114"
PHONE = "13887510001"
# an attribute loading something from elsewhere: src=, href=, srcset=, url(...) in CSS
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|srcset|action)\s*=\s*["']?|url\(\s*["']?)\s*(?:https?:)?//""", re.I
)


def _small(name: str = "杨春华") -> Graph:
    helper = Node("p:P007", "helper", {"person_id": "P007", "name": "张建华"}, {"load": 2})
    household = Node("h:H001", "household", {"household_id": "H001", "registered_poor": True})
    member = Node(
        "p:P001",
        "member",
        {"person_id": "P001", "name": name, "id_number": ID_NUMBER, "phone": PHONE},
    )
    edges = [
        Edge("p:P007", "h:H001", "HELPS", {"start_on": dt.date(2016, 1, 1), "measures": name}),
        Edge("p:P001", "h:H001", "IN_HOUSEHOLD", {}),
    ]
    return Graph(
        "helper", "P007", "p:P007", dt.date(2017, 1, 1), [helper, household, member], edges
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ID_NUMBER, "530521********0114"),
        ("53052119500505061X", "530521********061X"),
        ("1234567890", "**********"),
        ("", ""),
    ],
)
def test_mask_id_number(value, expected):
    assert mask_id_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(PHONE, "138****0001"), ("0875-2123456", "087*****3456"), ("1234567", "*******")],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


def test_mask_text_masks_numbers_standing_on_their_own():
    text = f"联系 {PHONE}，身份证 {ID_NUMBER}；户 H53050200120100001"
    assert mask_text(text) == "联系 138****0001，身份证 530521********0114；户 H53050200120100001"


def test_free_text_of_a_pairing_is_masked_in_its_tooltip():
    graph = _small(f"电话{PHONE}")
    page = render_html(graph)
    assert PHONE not in page and "138****0001" in page
    assert PHONE in render_html(graph, unmasked=True)


def test_graph_keeps_the_first_node_of_a_key_and_drops_dangling_edges():
    graph = Graph.from_rows(
        "site",
        "AZD001",
        "s:AZD001",
        dt.date(2019, 1, 1),
        [
            {"key": "s:AZD001", "kind": "site", "props": {"name": "x"}},
            {"key": "o:ORG004", "kind": "organization", "props": {}},
            {"key": "o:ORG004", "kind": "organization", "props": {}},
            {"key": "p:P001", "kind": "unassigned_member", "props": {}, "category": None},
        ],
        [
            {"from": "o:ORG004", "to": "s:AZD001", "kind": "AT_SITE", "props": {}},
            {"from": "p:P001", "to": "h:H404", "kind": "IN_HOUSEHOLD", "props": {}},
        ],
    )
    assert [n.key for n in graph.nodes] == ["s:AZD001", "o:ORG004", "p:P001"]
    assert [e.kind for e in graph.edges] == ["AT_SITE"]
    assert graph.nodes[2].info == {}  # null values are not information


def test_tooltip_escapes_and_masks():
    graph = _small(HOSTILE)
    member = graph.nodes[2]
    tip = node_tooltip(member, "member", "zh")
    assert "<img" not in tip and "&lt;img src=x onerror=alert(1)&gt;" in tip
    assert "530521********0114" in tip and ID_NUMBER not in tip
    assert "138****0001" in tip and PHONE not in tip
    assert set(re.findall(r"<[^>]*>", tip)) == {"<br>"}  # no markup but line breaks
    full = node_tooltip(member, "member", "zh", unmasked=True)
    assert ID_NUMBER in full and PHONE in full
    assert "身份证号" in tip and "id number" in node_tooltip(member, "member", "en")


def test_page_is_self_contained_utf8_and_escaped():
    page = render_html(_small(HOSTILE))
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert not EXTERNAL.findall(page)
    assert "<link" not in page and not re.search(r"<script[^>]*\bsrc\s*=", page)
    assert "default-src 'none'" in page  # the browser may load nothing
    # the hostile name never appears as markup: escaped in tooltips, \u003c in the JSON
    assert HOSTILE not in page
    data = page_data(page)
    member = next(n for n in data["nodes"] if n["id"] == "p:P001")
    assert member["label"] == HOSTILE  # drawn on a canvas, as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in member["title"]
    helps = next(e for e in data["edges"] if e["k"] == "HELPS")
    assert "&lt;img" in helps["title"] and "<img" not in helps["title"]
    assert "vis.Network" in page and "@version 10.1.5" in page


def test_page_masks_personal_data_unless_asked():
    masked = render_html(_small())
    assert ID_NUMBER not in masked and PHONE not in masked
    assert "530521********0114" in masked and "138****0001" in masked
    unmasked = render_html(_small(), unmasked=True)
    assert ID_NUMBER in unmasked and PHONE in unmasked
    assert "未脱敏" in unmasked


def test_legend_chinese_first_english_on_request():
    zh = render_html(_small())
    assert '<html lang="zh-CN">' in zh
    for name in ("帮扶人", "贫困户", "家庭成员", "结对帮扶"):
        assert name in zh
    assert "帮扶网络：张建华（P007）" in zh and "截至 2017-01-01" in zh
    en = render_html(_small(), lang="en")
    assert '<html lang="en">' in en
    for name in ("Helper", "Poor household", "Household member", "helps"):
        assert name in en
    assert "帮扶人" not in en


def test_helper_size_grows_with_load():
    small = Node("p:A", "helper", {}, {"load": 1})
    busy = Node("p:B", "helper", {}, {"load": 5})
    assert node_size(small, "helper") < node_size(busy, "helper") <= 50
    data = vis_data(_small())
    assert data["nodes"][0]["size"] == node_size(_small().nodes[0], "helper")


def test_categories():
    assert category(Node("h:1", "household", {"registered_poor": False})) == "household_other"
    assert category(Node("e:1", "enterprise", {"kind": "cooperative"})) == "cooperative"
    assert category(Node("e:2", "enterprise", {"kind": "company"})) == "company"
    assert category(Node("e:3", "enterprise", {"kind": "other"})) == "enterprise"
    assert NODE_STYLES["unassigned_member"].zh == "未编入党组织的搬迁党员"


def test_small_network_runs_physics_from_the_server_layout():
    data = vis_data(_small())  # the explorer's
    assert data["options"]["physics"]["enabled"] is True
    assert all("x" in n and "y" in n for n in data["nodes"])
    site = _small()
    site.view = "site"
    options = page_data(render_html(site))["options"]
    assert (
        options["physics"]["enabled"] is True and options["physics"]["solver"] == "forceAtlas2Based"
    )


def test_help_networks_are_laid_out_by_the_server_and_still():
    data = page_data(render_html(_small()))
    assert data["options"]["physics"]["enabled"] is False  # the slider must not move them
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_large_network_has_positions_and_no_physics():
    graph = help_network(10_000)
    assert len(graph.nodes) >= 10_000
    page = render_html(graph)
    data = page_data(page)
    assert len(data["nodes"]) == len(graph.nodes) > PHYSICS_MAX_NODES
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["edges"]["smooth"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) > 0.95 * len(data["nodes"])
    assert "节点较多" in page
    assert not EXTERNAL.findall(page)


def _tree(n: int) -> tuple[list[str], list[tuple[str, str]]]:
    keys = [f"n{i}" for i in range(n)]
    return keys, [(f"n{i}", f"n{(i - 1) // 3}") for i in range(1, n)]  # a ternary tree


def _apart(pos: dict[str, tuple[float, float]]) -> float:
    """The smallest distance between two positions."""
    points = list(pos.values())
    return min(math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1 :])


def test_radial_layout_puts_subtrees_on_circles_and_leaves_around_their_parent():
    keys, edges = _tree(40)  # n1-n3 at depth 1, n4-n12 at depth 2, n13-n39 leaves
    pos = radial(keys + ["lonely"], edges, "n0", ring=100, gap=40)
    assert set(pos) == set(keys) | {"lonely"}  # another component hangs under the root
    assert pos["n0"] == (0.0, 0.0)
    r = {k: round(math.dist((0, 0), p)) for k, p in pos.items()}
    assert round(math.dist(pos["lonely"], pos["n0"])) == 40  # a leaf of the root
    assert r["n1"] == r["n2"] == r["n3"] >= 100
    assert r["n4"] == r["n12"] > r["n1"]
    for leaf in ("n13", "n14", "n15"):  # the leaves of n4
        assert round(math.dist(pos[leaf], pos["n4"])) == 40
    assert _apart(pos) > 20


def test_layered_layout_centres_parents_over_children():
    keys, edges = _tree(13)  # n1-n3 with 3 leaves each
    pos = layered(keys, edges, "n0", level=100, gap=10)
    assert pos["n0"] == (0.0, 0.0)
    assert {pos[k][1] for k in ("n1", "n2", "n3")} == {100.0}
    assert {pos[k][1] for k in ("n4", "n5", "n6")} == {200.0}
    assert pos["n1"][0] == (pos["n4"][0] + pos["n6"][0]) / 2
    assert pos["n1"][0] < pos["n2"][0] < pos["n3"][0]
    assert _apart(pos) >= 10


def test_layered_layout_puts_many_leaves_in_rows():
    keys = ["root"] + [f"b{i}" for i in range(20)]
    pos = layered(keys, [(k, "root") for k in keys[1:]], "root", level=100, gap=10, per_row=6)
    assert len({y for _, y in pos.values()}) == 1 + 4  # the root, 4 rows of leaves
    assert max(x for x, _ in pos.values()) == 25.0  # 6 columns, 10 apart, centred
    assert _apart(pos) >= 10


def test_layouts_of_nothing():
    assert radial([], [], "x") == {} and layered([], [], "x") == {}
    assert radial(["a"], [("a", "a")], "a") == {"a": (0.0, 0.0)}


def test_vendored_vis_network_is_the_documented_one():
    static = Path(viz.__file__).parent / "static"
    digest = hashlib.sha256((static / "vis-network.min.js").read_bytes()).hexdigest()
    readme = (static / "README.md").read_text(encoding="utf-8")
    assert digest in readme and "10.1.5" in readme
    assert (static / "LICENSE-vis-network-MIT").is_file()
