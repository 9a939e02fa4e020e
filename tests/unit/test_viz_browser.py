"""Pages of ``kg viz`` opened in headless Chromium: they draw, load nothing from elsewhere and
show a hostile name as text.

Marked ``browser``; skipped when Debian's ``chromium`` or the ``playwright`` package is missing
(``make test`` installs chromium, as it does docker-compose). Every request but the page's own
file is blocked and recorded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.browser import HOSTILE, click_node, hover_node, launch
from tests.viz_clusters import TOWNSHIPS, county
from tests.viz_graphs import help_network, household_with_history
from viz.county import build as build_clusters
from viz.graph import Edge, Graph, Node
from viz.render import render_html

pytestmark = pytest.mark.browser


def _hostile() -> Graph:
    helper = Node("p:P007", "helper", {"person_id": "P007", "name": "张建华"}, {"load": 1})
    household = Node("h:H001", "household", {"household_id": "H001", "registered_poor": True})
    member = Node("p:P001", "member", {"person_id": "P001", "name": HOSTILE})
    edges = [
        Edge("p:P007", "h:H001", "HELPS", {"start_on": dt.date(2016, 1, 1)}),
        Edge("p:P001", "h:H001", "IN_HOUSEHOLD", {}),
    ]
    return Graph(
        "helper", "P007", "p:P007", dt.date(2017, 1, 1), [helper, household, member], edges
    )


@pytest.fixture(scope="module")
def browser():
    with launch() as b:
        yield b


def _open(browser, path: Path):
    """The page, its recorded foreign requests, console errors and dialogs."""
    seen: dict[str, list[str]] = {"foreign": [], "errors": [], "dialogs": []}
    page = browser.new_page(viewport={"width": 1000, "height": 700})

    def route(r):
        if r.request.url == path.as_uri():
            r.continue_()
        else:
            seen["foreign"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-kg-ready]", timeout=30_000)
    return page, seen


def _drawn(page) -> int:
    """How many pixels of the network's canvas are not blank."""
    return page.evaluate(
        """() => {
          const c = document.querySelector('#network canvas');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) n++; }
          return n;
        }"""
    )


def test_small_page_draws_and_shows_a_hostile_name_as_text(browser, tmp_path):
    path = tmp_path / "helper.html"
    path.write_text(render_html(_hostile()), encoding="utf-8")
    page, seen = _open(browser, path)
    page.wait_for_timeout(500)
    assert _drawn(page) > 500
    assert "帮扶人" in page.inner_text("#legend")
    # hover the member: the tooltip shows the name as text, with no element in it
    assert HOSTILE in hover_node(page, "p:P001")
    assert page.locator("#tip img").count() == 0
    assert seen == {"foreign": [], "errors": [], "dialogs": []}
    page.close()


def test_large_page_draws_without_physics(browser, tmp_path):
    path = tmp_path / "village.html"
    path.write_text(render_html(help_network(3_000)), encoding="utf-8")
    page, seen = _open(browser, path)
    assert page.evaluate("() => window.kgNetwork.physics.physicsEnabled") is False
    assert _drawn(page) > 500
    assert seen == {"foreign": [], "errors": [], "dialogs": []}
    page.close()


def _shown(page) -> dict:
    return page.evaluate("() => window.kgShown")


def _visible(page) -> set[str]:
    return set(page.evaluate("() => window.kgNodes.getIds({filter: n => !n.hidden})"))


def test_county_view_is_drawn_as_clusters_that_open_on_a_click(browser, tmp_path):
    tree, view, _ = county(village_name=HOSTILE)
    path = tmp_path / "county.html"
    path.write_text(build_clusters(tree, view).generate_html(), encoding="utf-8")
    page, seen = _open(browser, path)
    townships = [f"c:{t}" for t in TOWNSHIPS]
    assert _visible(page) == set(townships)
    assert _drawn(page) > 5_000  # bubbles, not dots
    tip = hover_node(page, townships[0])
    assert "甲镇" in tip and "户数" in tip
    # a click opens the township into its villages
    click_node(page, townships[0])
    page.wait_for_function("() => window.kgShown.nodes > 2", timeout=10_000)
    villages = {f"c:{c.region_id}" for c in tree.children[0].children}
    assert villages <= _visible(page) and townships[0] not in _visible(page)
    assert "甲镇" in page.inner_text("#opened")
    # the hostile village name is a label on the canvas and text in its tooltip
    hostile = f"c:{tree.children[0].children[0].region_id}"
    assert HOSTILE in hover_node(page, hostile)
    assert page.locator("#tip img").count() == 0
    # a village opens into its households and helpers
    page.mouse.move(5, 5)
    click_node(page, hostile)
    page.wait_for_function(
        "() => window.kgNodes.get({filter: n => n.cat === 'household' && !n.hidden}).length > 0",
        timeout=10_000,
    )
    households = page.evaluate(
        "() => window.kgNodes.get({filter: n => n.cat === 'household' && !n.hidden}).length"
    )
    assert households == tree.children[0].children[0].households
    assert page.evaluate("() => window.kgTiming.lastOpen") > 0
    # closing the township closes its villages too
    page.click(f"#opened button[data-close='{townships[0]}']")
    assert _visible(page) == set(townships)
    # the colours follow the chosen share
    before = page.evaluate(f"() => window.kgNodes.get('{townships[0]}').color.background")
    page.select_option("#colour-by", "many")
    after = page.evaluate(f"() => window.kgNodes.get('{townships[0]}').color.background")
    assert before != after
    assert seen == {"foreign": [], "errors": [], "dialogs": []}
    page.close()


def test_history_toggle_draws_ended_pairings_dashed_with_dates(browser, tmp_path):
    path = tmp_path / "household.html"
    path.write_text(render_html(household_with_history()), encoding="utf-8")
    page, seen = _open(browser, path)
    assert _visible(page) == {"h:H001", "p:P007", "p:P001"}  # P008's pairing ended in 2018
    ended = "() => window.kgEdges.get({filter: e => e.from === 'p:P008'})[0]"
    assert page.evaluate(ended)["hidden"] is True
    page.check("#history")
    assert "p:P008" in _visible(page)
    edge = page.evaluate(ended)
    assert edge["hidden"] is False and edge["dashes"] == [6, 4]
    assert edge["label"] == "2016-01-01 至 2018-01-01"
    assert "已结束" in page.inner_text("#legend")
    page.uncheck("#history")
    assert "p:P008" not in _visible(page)
    assert seen == {"foreign": [], "errors": [], "dialogs": []}
    page.close()


def test_year_slider_replays_a_village(browser, tmp_path):
    graph = help_network(600)
    late = [n for n in graph.nodes if n.kind == "household"][-3:]
    for n in late:
        n.props["registered_on"] = dt.date(2017, 5, 1)
    path = tmp_path / "village.html"
    path.write_text(render_html(graph), encoding="utf-8")
    page, seen = _open(browser, path)
    now = _shown(page)
    assert now["date"] == "2019-12-31"
    # members are off by default; the legend turns them on
    assert not any(k.startswith("p:P") and k in _visible(page) for k in _members(graph))
    page.check("#groups input[data-group=member]")
    assert set(_members(graph)) <= _visible(page)
    page.uncheck("#groups input[data-group=member]")
    slider = page.locator("#year")
    slider.fill("2015")  # before every pairing (2016): no helper, no HELPS
    assert _shown(page)["date"] == "2015-12-31"
    assert "截至 2015-12-31" in page.inner_text("#year-text")
    visible = _visible(page)
    assert not any(n.key in visible for n in graph.nodes if n.kind == "helper")
    assert {n.key for n in late}.isdisjoint(visible)  # registered in 2017
    slider.fill("2017")
    visible = _visible(page)
    assert {n.key for n in late} <= visible
    assert any(n.key in visible for n in graph.nodes if n.kind == "helper")
    page.click("#year-reset")
    assert _shown(page) == now
    assert seen == {"foreign": [], "errors": [], "dialogs": []}
    page.close()


def _members(graph: Graph) -> list[str]:
    return [n.key for n in graph.nodes if n.kind == "member"]
