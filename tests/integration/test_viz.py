"""The viz views on the hand-checked small dataset (tests/data/small), as of dates, and
``kg viz`` end to end.

Counts by hand from the CSV files: P007 helps H001 (3 members: P001-P003) and H002 (2 members:
P004, P005) from 2016-01-01; P008 helps H003 (member P006) from 2016-03-01 until 2018-01-01
(half-open: ended on that day). H001 relocated to AZD001 on 2018-06-01; its party member P001
stayed in the village branch ORG003 until 2019-03-01, then in the site's ORG004 (founded
2018-09-01). ORG005 was founded on 2019-06-01. E001 (cooperative, led by ORG003) links H001
(member) and P001 (leader) from 2017-01-01, and partner E002 from 2017-06-01.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from graph.wipe import empty_database
from loaders.pipeline import Loader
from loaders.rejects import RejectSink
from loaders.write import GraphWriter
from tests.helpers import run_kg
from tests.viz_graphs import page_data
from viz.render import render_html
from viz.views import UnknownSubject, fetch

SMALL = Path(__file__).parent.parent / "data" / "small"
D = dt.date.fromisoformat
TOWNSHIP = "530521101000"  # 甸阳镇: 大竹园村 (H001) and 长城社区 (H003)
OTHER_TOWNSHIP = "530521202000"  # 摆榔乡: 鸡茨田村 (H002)
EXTERNAL = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def small(driver, settings, tmp_path_factory):
    """The small dataset, loaded once for this module (the views only read)."""
    from graph.connection import database_name

    database = database_name(settings)
    empty_database(driver, database)
    rejects = tmp_path_factory.mktemp("viz") / "rejects.csv"
    with RejectSink(rejects) as sink:
        Loader(
            GraphWriter(driver, database), sink, home=rejects.parent / "home", progress=False
        ).load(SMALL)
    assert sink.count == 0

    def view(name: str, subject: str, as_of: str, scope: str | None = None):
        return fetch(driver, database, name, subject, D(as_of), scope)

    view.driver, view.settings, view.database = driver, settings, database  # type: ignore[attr-defined]
    return view


def _shape(graph):
    kinds: dict[str, int] = {}
    for e in graph.edges:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    return len(graph.nodes), len(graph.edges), kinds


@pytest.mark.parametrize(
    ("subject", "as_of", "scope", "nodes", "edges"),
    [
        ("P007", "2015-12-31", None, 1, 0),  # before the pairings
        ("P007", "2017-01-01", None, 8, 7),  # 2 households + 5 members; 2 HELPS + 5 IN_HOUSEHOLD
        ("P007", "2017-01-01", OTHER_TOWNSHIP, 4, 3),  # only H002 lies in 摆榔乡
        ("P008", "2017-12-31", None, 3, 2),  # H003 and P006
        ("P008", "2018-01-01", None, 1, 0),  # the pairing ended that day
    ],
)
def test_helper(small, subject, as_of, scope, nodes, edges):
    graph = small("helper", subject, as_of, scope)
    assert _shape(graph)[:2] == (nodes, edges)
    assert graph.nodes[0].key == f"p:{subject}" and graph.nodes[0].kind == "helper"


def test_helper_load_counts_all_current_households(small):
    graph = small("helper", "P007", "2017-01-01", OTHER_TOWNSHIP)
    assert graph.nodes[0].info["load"] == 2  # H001 too, though out of the scope's view


@pytest.mark.parametrize(
    ("subject", "as_of", "nodes", "edges"),
    [
        ("H001", "2015-12-31", 4, 3),  # the household and its 3 members
        ("H001", "2017-01-01", 5, 4),  # + helper P007
        ("H003", "2017-06-30", 3, 2),  # P008 and P006
        ("H003", "2018-01-01", 2, 1),  # pairing ended
    ],
)
def test_household(small, subject, as_of, nodes, edges):
    assert _shape(small("household", subject, as_of))[:2] == (nodes, edges)


@pytest.mark.parametrize(
    ("subject", "as_of", "nodes", "edges", "kinds"),
    [
        # 大竹园村: H001, helper P007, members P001-P003
        (
            "530521101201",
            "2017-01-01",
            6,
            5,
            {"LOCATED_IN": 1, "HELPS": 1, "IN_HOUSEHOLD": 3},
        ),
        # 甸阳镇: 2 villages, H001 + H003, helpers P007 + P008, 4 members
        (
            TOWNSHIP,
            "2017-01-01",
            11,
            10,
            {"PART_OF": 2, "LOCATED_IN": 2, "HELPS": 2, "IN_HOUSEHOLD": 4},
        ),
        # P008's pairing with H003 ended on 2018-01-01
        (
            TOWNSHIP,
            "2018-01-01",
            10,
            9,
            {"PART_OF": 2, "LOCATED_IN": 2, "HELPS": 1, "IN_HOUSEHOLD": 4},
        ),
        # before H003 was registered (2015-03-01) and before any pairing
        (TOWNSHIP, "2014-12-31", 6, 5, {"PART_OF": 1, "LOCATED_IN": 1, "IN_HOUSEHOLD": 3}),
    ],
)
def test_village(small, subject, as_of, nodes, edges, kinds):
    assert _shape(small("village", subject, as_of)) == (nodes, edges, kinds)


@pytest.mark.parametrize(
    ("as_of", "nodes", "edges", "unassigned"),
    [
        ("2018-05-31", 1, 0, []),  # nobody relocated yet
        ("2018-07-01", 3, 2, ["P001"]),  # H001 and P001; ORG004 not founded yet
        ("2018-10-01", 4, 3, ["P001"]),  # + ORG004; P001 still in the village branch
        ("2019-03-01", 4, 4, []),  # P001 transferred to ORG004 that day: + MEMBER_OF
    ],
)
def test_site(small, as_of, nodes, edges, unassigned):
    graph = small("site", "AZD001", as_of)
    assert _shape(graph)[:2] == (nodes, edges)
    assert [n.props["person_id"] for n in graph.nodes if n.kind == "unassigned_member"] == (
        unassigned
    )
    if unassigned:
        member = next(n for n in graph.nodes if n.kind == "unassigned_member")
        assert member.info["category"] == "not_transferred"
        assert member.info["current_orgs"] == ["ORG003 中共大竹园村支部委员会"]


def test_site_marks_unassigned_members_in_the_page(small):
    page = render_html(small("site", "AZD001", "2018-10-01"))
    assert "未编入党组织的搬迁党员" in page and "组织关系未转入" in page
    page = render_html(small("site", "AZD001", "2019-06-01"))
    assert "未编入党组织的搬迁党员" not in page and "已编入党组织的搬迁党员" in page


@pytest.mark.parametrize(
    ("subject", "as_of", "nodes", "edges"),
    [
        ("ORG001", "2018-01-01", 4, 3),  # ORG001, ORG002, ORG003, ORG006
        ("ORG001", "2019-01-01", 5, 4),  # + ORG004 (founded 2018-09-01)
        ("ORG001", "2020-01-01", 6, 5),  # + ORG005 (founded 2019-06-01)
        ("ORG002", "2020-01-01", 4, 3),
    ],
)
def test_org(small, subject, as_of, nodes, edges):
    assert _shape(small("org", subject, as_of))[:2] == (nodes, edges)


def test_org_counts_current_members(small):
    graph = small("org", "ORG002", "2019-06-01")
    members = {n.props["org_id"]: n.info["members"] for n in graph.nodes}
    assert members == {"ORG002": 2, "ORG003": 1, "ORG004": 1, "ORG005": 0}


@pytest.mark.parametrize(
    ("subject", "as_of", "scope", "nodes", "edges"),
    [
        ("ORG003", "2016-12-31", None, 2, 1),  # ORG003 leads E001; no link yet
        ("ORG003", "2017-03-01", None, 4, 3),  # + H001 (member), P001 (leader)
        ("ORG003", "2018-01-01", None, 5, 4),  # + E002 (partner from 2017-06-01)
        ("ORG001", "2018-01-01", None, 7, 6),  # + ORG002, ORG001 on the way down
        ("ORG002", "2018-01-01", TOWNSHIP, 6, 5),
        ("ORG003", "2018-01-01", "530521101201", 4, 3),  # E002 lies in the township, not here
    ],
)
def test_chain(small, subject, as_of, scope, nodes, edges):
    assert _shape(small("chain", subject, as_of, scope))[:2] == (nodes, edges)


@pytest.mark.parametrize(
    ("view", "subject", "scope"),
    [
        ("helper", "P404", None),
        ("household", "H404", None),
        ("village", "000000000000", None),
        ("site", "AZD404", None),
        ("org", "ORG404", None),
        ("chain", "ORG404", None),
        ("household", "H001", OTHER_TOWNSHIP),  # exists, but outside the scope
        ("org", "ORG001", TOWNSHIP),  # the county committee is not under the township
        ("site", "AZD001", OTHER_TOWNSHIP),
    ],
)
def test_unknown_or_out_of_scope(small, view, subject, scope):
    with pytest.raises(UnknownSubject):
        small(view, subject, "2019-01-01", scope)


def test_hostile_name_is_escaped_and_ids_masked(small, driver, settings):
    hostile = "<img src=x onerror=alert(1)>"
    with driver.session(database=settings.neo4j_database) as session:
        old = session.run(
            "MATCH (p:Person {person_id: 'P001'}) WITH p, p.name AS old SET p.name = $name "
            "RETURN old",
            name=hostile,
        ).single()["old"]
    try:
        page = render_html(small("household", "H001", "2017-01-01"))
    finally:
        with driver.session(database=settings.neo4j_database) as session:
            session.run("MATCH (p:Person {person_id: 'P001'}) SET p.name = $old", old=old)
    assert hostile not in page
    tip = next(n["title"] for n in page_data(page)["nodes"] if n["id"] == "p:P001")
    assert "&lt;img src=x onerror=alert(1)&gt;" in tip
    assert "530521197003150114" not in page and "530521********0114" in page
    assert "13887510001" not in page and "138****0001" in page
    assert not EXTERNAL.findall(page)


def test_kg_viz_writes_a_page(small, kg_env, tmp_path):
    out = tmp_path / "site.html"
    result = run_kg("viz", "site", "AZD001", "--as-of", "2018-10-01", "-o", str(out), env=kg_env)
    assert result.returncode == 0, result.stderr
    assert "4 个节点" in result.stdout
    page = out.read_bytes().decode("utf-8")
    assert '<meta charset="utf-8">' in page and "幸福家园安置点" in page
    assert not EXTERNAL.findall(page)
    result = run_kg(
        "viz", "helper", "P007", "--as-of", "2017-01-01", "--lang", "en", "--unmasked",
        "-o", str(out), env=kg_env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "Helper" in page and "530521197003150114" in page


def test_kg_viz_unknown_id_and_database_errors(small, kg_env, tmp_path):
    result = run_kg("viz", "helper", "P404", "-o", str(tmp_path / "x.html"), env=kg_env)
    assert result.returncode == 1
    assert "P404" in result.stderr
    assert not (tmp_path / "x.html").exists()
    env = {**kg_env, "NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "x"}
    result = run_kg("viz", "org", "ORG001", "-o", str(tmp_path / "y.html"), env=env)
    assert result.returncode == 2
    assert "kg viz org" in result.stderr


def test_kg_viz_writes_graphml_gexf_and_json(small, kg_env, tmp_path):
    import json

    import networkx as nx

    for fmt, read in (
        ("graphml", nx.read_graphml),
        ("gexf", nx.read_gexf),
        ("json", lambda p: nx.node_link_graph(json.loads(p.read_text("utf-8")), edges="edges")),
    ):
        out = tmp_path / f"helper.{fmt}"
        result = run_kg(
            "viz", "helper", "P007", "--as-of", "2017-01-01", "--format", fmt,
            "-o", str(out), env=kg_env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        g = read(out)
        assert g.number_of_nodes() == 8 and g.number_of_edges() == 7, fmt
        assert g.nodes["p:P007"]["label"] == "张建华" and g.nodes["p:P007"]["category"] == "helper"
        assert g.nodes["p:P001"]["id_number"] == "530521********0114", fmt  # masked by default
    result = run_kg(
        "viz", "household", "H001", "--as-of", "2017-01-01", "--format", "gexf", env=kg_env,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "viz-household-H001-2017-01-01.gexf").is_file()


def test_neighbours_and_help_graph_queries(small, driver, settings):
    from graph.connection import database_name
    from viz.analytics import centrality, help_graph
    from viz.neighbours import fetch_neighbours

    db = database_name(settings)
    graph = fetch_neighbours(driver, db, ["p:P001", "t:T001"], D("2018-12-31"))
    keys = {n.key for n in graph.nodes}
    # P001: household H001, organisation ORG003 (until 2019-03-01), E001 (leader); T001:
    # its village and P008 (P007 left it on 2018-10-01)
    assert {"h:H001", "o:ORG003", "e:E001", "r:530521101201", "p:P008"} <= keys
    assert "p:P007" not in keys
    kinds = {(e.source, e.target): e.kind for e in graph.edges}
    assert kinds[("p:P001", "h:H001")] == "IN_HOUSEHOLD"
    assert kinds[("p:P008", "t:T001")] == "SERVES_ON"
    scoped = fetch_neighbours(driver, db, ["p:P007"], D("2018-12-31"), scope=OTHER_TOWNSHIP)
    assert "h:H001" not in {n.key for n in scoped.nodes}
    assert "h:H002" in {n.key for n in scoped.nodes}
    with pytest.raises(ValueError):
        fetch_neighbours(driver, db, ["p:P001'})"], D("2018-12-31"))
    g = help_graph(driver, db, D("2017-01-01"))
    assert {n for n, d in g.nodes(data=True) if d["kind"] == "helper"} == {"p:P007", "p:P008"}
    assert g.has_edge("p:P007", "o:ORG002") and g.has_edge("o:ORG002", "o:ORG001")
    top = centrality(g)
    assert top["exact"] and top["organization"][0].key == "o:ORG002"
    bare = help_graph(driver, db, D("2017-01-01"), names=False)  # as the centrality reads it
    assert set(bare.edges) == set(g.edges) and centrality(bare) == top
    named = {n: d["name"] for n, d in g.nodes(data=True) if d["kind"] == "household"}
    assert any(name != n[2:] for n, name in named.items()), "households named by their head"
    assert all(d["name"] == n[2:] for n, d in bare.nodes(data=True) if d["kind"] == "household")
    g = help_graph(driver, db, D("2017-01-01"), scope=OTHER_TOWNSHIP)
    assert set(g.nodes) >= {"p:P007", "h:H002"} and "h:H001" not in g


# -- pyvis networks, history, heads, clusters, the Python API ---------------------------------


def test_households_are_named_by_their_head(small):
    graph = small("helper", "P007", "2017-01-01")
    from viz.text import node_label

    labels = {n.key: node_label(n) for n in graph.nodes if n.kind == "household"}
    assert labels == {"h:H001": "杨春华（H001）", "h:H002": "段国荣（H002）"}
    page = render_html(graph)
    assert "杨春华（H001）" in page


def test_history_brings_ended_pairings_with_their_dates(small):
    from viz.pages import build, picture

    assert _shape(small("household", "H003", "2018-06-01"))[:2] == (2, 1)
    graph = fetch_history(small, "household", "H003", "2018-06-01")
    helps = [e for e in graph.edges if e.kind == "HELPS"]
    assert [(e.source, e.props["end_on"]) for e in helps] == [("p:P008", D("2018-01-01"))]
    net = build(graph)
    assert len(picture(net.nodes, net.edges, "2018-06-01")[0]) == 2  # H003 and P006
    assert len(picture(net.nodes, net.edges, "2018-06-01", history=True)[0]) == 3
    assert len(picture(net.nodes, net.edges, "2017-06-30")[0]) == 3  # the slider's 2017
    # a relocated member's ended membership (P001 left ORG003 on 2019-03-01)
    site = fetch_history(small, "site", "AZD001", "2019-06-01")
    ended = [e for e in site.edges if e.kind == "MEMBER_OF" and e.props.get("end_on")]
    assert [(e.source, e.target) for e in ended] == [("p:P001", "o:ORG003")]
    net = build(site)
    org = next(n for n in net.nodes if n["id"] == "o:ORG003")
    assert org.get("dep") == 1  # drawn with its ended membership, under 历史
    assert "o:ORG003" not in picture(net.nodes, net.edges, "2019-06-01")[0]
    assert "o:ORG003" in picture(net.nodes, net.edges, "2019-06-01", history=True)[0]


def fetch_history(small, view, subject, as_of):
    from graph.connection import database_name
    from viz.views import fetch as fetch_view

    driver, settings = small.driver, small.settings
    return fetch_view(driver, database_name(settings), view, subject, D(as_of), history=True)


def test_clusters_count_as_the_worklists(small):
    import viz
    from queries.runner import run

    driver, db = small.driver, small.database
    county = viz.clusters("village", "530521000000", "2015-06-30", driver=driver, database=db)
    _, rows = run(driver, db, "households_without_helper", {"as_of": D("2015-06-30")})
    assert county["root"]["without_helper"] == len(rows) == 3
    county = viz.clusters("village", "530521000000", "2017-01-01", driver=driver, database=db)
    assert county["root"]["households"] == 3 and county["root"]["helpers"] == 2
    by_id = {n["cluster"]["key"]: n["cluster"] for n in county["nodes"]}
    assert set(by_id) == {TOWNSHIP, OTHER_TOWNSHIP}
    assert by_id[TOWNSHIP]["households"] == 2
    # H001 is helped by P007, who helps two households (一帮多); H003 by P008, who helps one
    assert by_id[TOWNSHIP]["share"] == {"without": 0.0, "many": 0.5}
    assert by_id[OTHER_TOWNSHIP]["share"] == {"without": 0.0, "many": 1.0}
    shared = [e["title"] for e in county["edges"]]
    assert shared == ["共同帮扶人：1"]  # P007 helps in both townships
    inside = viz.cluster_content(
        "village", "530521000000", TOWNSHIP, "2017-01-01", driver=driver, database=db
    )
    assert {n["cluster"]["name"] for n in inside["nodes"]} == {"大竹园村", "长城社区"}
    village = viz.cluster_content(
        "village", "530521000000", "530521101201", "2017-01-01", driver=driver, database=db
    )
    labels = {n["id"]: n["label"] for n in village["nodes"]}
    assert labels == {"h:H001": "杨春华（H001）", "p:P007": "张建华"}
    assert [(e["from"], e["to"], e["s"]) for e in village["edges"]] == [
        ("p:P007", "h:H001", "2016-01-01")
    ]
    for region, cluster, scope in (
        (TOWNSHIP, "530521202201", None),  # not under the region
        ("530521000000", "530521202201", TOWNSHIP),  # outside the scope
        ("530521000000", "000000000000", None),
    ):
        with pytest.raises(UnknownSubject):
            viz.cluster_content(
                "village", region, cluster, "2017-01-01", scope=scope, driver=driver, database=db
            )


def test_viz_network_reads_the_settings_like_kg(small):
    import viz
    from viz.pages import KgNetwork

    net = viz.network("household", "H001", "2017-01-01")  # KG_HOME from the environment
    assert isinstance(net, KgNetwork)
    assert {n["id"] for n in net.nodes} >= {"h:H001", "p:P007", "p:P001"}
    assert "530521197003150114" not in net.generate_html()
    g = viz.to_networkx(net)
    assert g.nodes["h:H001"]["label"] == "杨春华（H001）"
    assert g.nodes["p:P001"]["id_number"] == "530521********0114"
    full = viz.to_networkx(viz.network("household", "H001", "2017-01-01", unmasked=True))
    assert full.nodes["p:P001"]["id_number"] == "530521197003150114"
    with pytest.raises(UnknownSubject):
        viz.network("helper", "P404", "2017-01-01")


def test_kg_viz_titles_and_aggregates_a_county(small, kg_env, tmp_path):
    out = tmp_path / "township.html"
    result = run_kg("viz", "village", TOWNSHIP, "--as-of", "2017-01-01", "-o", str(out), env=kg_env)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "乡镇帮扶网络：甸阳镇（530521101000）" in page
    assert not re.search(r"<script id=\"kg-c-\d", page)  # drawn whole
    out = tmp_path / "county.html"
    result = run_kg(
        "viz", "village", "530521000000", "--as-of", "2017-01-01", "--aggregate", "-o", str(out),
        env=kg_env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "2 个节点" in result.stdout  # the two townships' bubbles
    page = out.read_text(encoding="utf-8")
    assert "县（区）帮扶网络（按区划聚合）：施甸县" in page
    for region in (TOWNSHIP, OTHER_TOWNSHIP, "530521101201", "530521101001", "530521202201"):
        assert f'id="kg-c-{region}"' in page
    assert not EXTERNAL.findall(page) and "530521197003150114" not in page
    result = run_kg(
        "viz", "village", "530521101201", "--as-of", "2017-01-01", "--format", "graphml",
        "-o", str(tmp_path / "v.graphml"), env=kg_env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    import networkx as nx

    assert nx.read_graphml(tmp_path / "v.graphml").nodes["h:H001"]["label"] == "杨春华（H001）"
