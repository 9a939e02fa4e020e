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

from tests.browser import HOSTILE, hover_node, launch
from tests.viz_graphs import help_network
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
