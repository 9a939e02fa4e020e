"""The explorer in headless Chromium against a real server (the Flask app under werkzeug's
threaded server, on a free port): every page loads, the network holds the expected nodes,
search → entity → expand works, a hostile name stays text, a township's viewer cannot reach
another township's pages.

Marked ``browser``; skipped when Debian's ``chromium`` or the ``playwright`` package is missing
(``make test`` installs chromium). Every request to anything but the test server is blocked and
recorded, and fails the test, as does any console error (a Content-Security-Policy violation
included) or dialog. Screenshots go to ``$KG_SCREENSHOTS`` when set (docs/screenshots/ holds
those of the README), else to the test's temporary folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import hover_node, launch
from tests.integration.api_support import SMALL, Api, make_api
from tests.integration.web_support import (
    HOSTILE,
    load_with_hostile,
    screenshot_folder,
    serving,
)
from web.i18n import WORKLISTS

pytestmark = pytest.mark.browser

TOWN_A = "530521101000"  # 甸阳镇: H001, H003
TOWN_B = "530521202000"  # 摆榔乡: H002
DAY = "2018-12-31"
#: P007's help network as of DAY: P007, H001 (P001-P003), H002 (P004, P005, P009)
P007_NODES = 9


@pytest.fixture(scope="module")
def server(driver, settings, tmp_path_factory) -> Iterator[tuple[str, Api]]:
    tmp = tmp_path_factory.mktemp("web-browser")
    load_with_hostile(driver, settings, SMALL, tmp)
    api = make_api(settings, driver, tmp, regions={"town_a": TOWN_A})
    with serving(api.app) as url:
        yield url, api


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return screenshot_folder(tmp_path_factory)


class Session:
    """A browser context signed in with one token; records foreign requests, errors and
    dialogs of every page it opens."""

    def __init__(
        self,
        browser: Any,
        base: str,
        secret: str,
        lang: str = "zh",
        *,
        width: int = 1280,
        height: int = 800,
    ) -> None:
        self.base = base
        self.seen: dict[str, list[str]] = {"foreign": [], "errors": [], "dialogs": []}
        self.context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="zh-CN" if lang == "zh" else "en-US",
            accept_downloads=True,
        )
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.seen["errors"].append(m.text))
        self.page.on("pageerror", lambda e: self.seen["errors"].append(str(e)))
        self.page.on("dialog", lambda d: (self.seen["dialogs"].append(d.message), d.dismiss()))
        self.page.goto(f"{base}/web/signin?lang={lang}")
        self.page.fill("#token", secret)
        # the home page after sign-in computes the report the first time: slow on a busy machine
        with self.page.expect_navigation(timeout=120_000):
            self.page.click("form[action='/web/signin'] button[type=submit]", no_wait_after=True)
        self.page.wait_for_load_state()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url == self.base or url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.seen["foreign"].append(url)
            route.abort()

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state()
        return response

    def network_ready(self) -> int:
        self.page.wait_for_selector("body[data-kg-ready]", timeout=30_000)
        return int(self.page.evaluate("() => window.kgNodes.length"))

    def clean(self) -> None:
        assert self.seen == {"foreign": [], "errors": [], "dialogs": []}

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def admin(browser, server) -> Iterator[Session]:
    base, api = server
    session = Session(browser, base, api.tokens["admin"])
    yield session
    session.close()


def test_every_page_loads(admin, shots):
    page = admin.page
    assert page.url.endswith("/")
    response = admin.goto(f"/?as_of={DAY}")
    assert response.status == 200
    assert page.locator("table.figures tbody tr").count() > 10
    page.screenshot(path=str(shots / "home.png"), full_page=True)
    for name in WORKLISTS:
        response = admin.goto(f"/web/worklists/{name}?as_of={DAY}")
        assert response.status == 200, name
        assert page.locator("#total").count() == 1, name
    admin.goto(f"/web/worklists/one_helps_many?as_of={DAY}")
    page.screenshot(path=str(shots / "worklist.png"), full_page=True)
    response = admin.goto("/web/search?q=张建华")
    assert response.status == 200 and page.locator("#results a[href='/web/entity/P007']").count()
    response = admin.goto(f"/web/entity/P007?as_of={DAY}")
    assert response.status == 200
    assert admin.network_ready() == P007_NODES
    assert page.evaluate("() => window.kgTiming.firstPaint > 0")
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / "entity.png"))
    response = admin.goto(f"/web/analytics?as_of={DAY}")
    assert response.status == 200
    assert page.locator("#histogram rect.bar").count() == 1  # one helper, of 2 households
    page.screenshot(path=str(shots / "analytics.png"), full_page=True)
    for entity_id in ("H001", "ORG002", "AZD001", "530521101201", "E001", "T001"):
        admin.goto(f"/web/entity/{entity_id}?as_of={DAY}")
        assert admin.network_ready() > 1, entity_id
    admin.clean()


def test_search_entity_expand_and_filter(admin):
    page = admin.page
    admin.goto(f"/?as_of={DAY}")
    page.fill("form.search input[name=q]", "张建华")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_load_state()
    page.click("#results a[href='/web/entity/P007']")
    page.wait_for_load_state()
    assert admin.network_ready() == P007_NODES
    assert page.inner_text("#hops") == "1"
    page.click("#expand-all")
    page.wait_for_function(f"() => window.kgNodes.length > {P007_NODES}", timeout=15_000)
    keys = set(page.evaluate("() => window.kgNodes.getIds()"))
    # H001's village and site, P007's organisation, H002's village, E001 (H001 is a member)
    assert {"r:530521101201", "s:AZD001", "o:ORG002", "r:530521202201", "e:E001"} <= keys
    assert page.inner_text("#hops") == "2"
    # filter by type: hide the households
    households = page.evaluate(
        "() => window.kgNodes.get({filter: n => n.group === 'household'}).length"
    )
    assert households == 2
    page.uncheck("#groups input[data-group=household]")
    hidden = page.evaluate("() => window.kgNodes.get({filter: n => n.hidden === true}).length")
    assert hidden == households
    page.check("#groups input[data-group=household]")
    assert page.evaluate("() => window.kgNodes.get({filter: n => n.hidden}).length") == 0
    # a second expansion of a single node (double-click) adds its neighbours
    before = page.evaluate("() => window.kgNodes.length")
    added = page.evaluate("() => window.kgExpand(['o:ORG002'])")
    assert added >= 1 and page.evaluate("() => window.kgNodes.length") == before + added
    admin.clean()


def test_a_hostile_name_is_text(admin):
    page = admin.page
    admin.goto(f"/web/entity/H002?as_of={DAY}")
    admin.network_ready()
    assert HOSTILE in page.inner_text(".card")
    assert page.locator("img").count() == 0
    # hover P009: the tooltip shows the name as text, with no element in it
    assert HOSTILE in hover_node(page, "p:P009")
    assert page.locator("#tip img").count() == 0
    admin.goto("/web/search?q=P009")
    assert HOSTILE in page.inner_text("#results")
    admin.goto(f"/web/entity/P009?as_of={DAY}")
    assert HOSTILE in page.inner_text("#entity-name")
    admin.network_ready()
    assert page.locator("img").count() == 0
    page.wait_for_timeout(200)
    admin.clean()


def test_a_township_viewer_cannot_reach_another_township(browser, server):
    base, api = server
    viewer = Session(browser, base, api.tokens["town_a"], lang="en")
    try:
        page = viewer.page
        assert viewer.goto("/web/entity/H002").status == 404
        assert viewer.goto("/web/entity/P005").status == 404
        assert viewer.goto(f"/web/worklists/one_helps_many?township={TOWN_B}").status == 403
        for name in WORKLISTS:
            assert viewer.goto(f"/web/worklists/{name}?as_of=2015-06-30").status == 200
            body = page.inner_text("main")
            assert "H002" not in body and "P005" not in body, name
        viewer.goto("/web/worklists/households_without_helper?as_of=2015-06-30")
        assert "H003" in page.inner_text("#worklist")
        assert viewer.goto(f"/web/entity/H001?as_of={DAY}").status == 200
        viewer.network_ready()
        assert "h:H002" not in set(page.evaluate("() => window.kgNodes.getIds()"))
        # the refusals above are the only errors the browser saw
        errors = viewer.seen["errors"]
        assert all("status of 403" in e or "status of 404" in e for e in errors), errors
        assert viewer.seen["foreign"] == [] and viewer.seen["dialogs"] == []
    finally:
        viewer.close()


def test_sign_out_ends_the_session_even_for_a_saved_cookie(browser, server):
    base, api = server
    viewer = Session(browser, base, api.tokens["admin"])
    try:
        page = viewer.page
        assert viewer.goto("/web/search?q=P007").status == 200
        saved = viewer.context.cookies()
        assert any(c["name"] == "kg_session" for c in saved)
        page.click("form[action='/web/signout'] button[type=submit]")
        page.wait_for_load_state()
        assert page.url.startswith(base + "/web/signin")
        viewer.context.add_cookies(saved)  # the cookie from before, sent again
        viewer.goto("/web/search?q=P007")
        assert page.url.startswith(base + "/web/signin?next=")
        assert page.locator("#token").count() == 1
        viewer.clean()
    finally:
        viewer.close()


def test_next_pointing_elsewhere_stays_on_the_site(browser, server):
    base, api = server
    visitor = Session(browser, base, api.tokens["viewer"])
    try:
        page = visitor.page
        page.click("form[action='/web/signout'] button[type=submit]")
        page.wait_for_load_state()
        for target in ("/%09/evil.example", "/%5Cevil.example", "//evil.example"):
            visitor.goto(f"/web/signin?next={target}")
            page.fill("#token", api.tokens["viewer"])
            page.click("form[action='/web/signin'] button[type=submit]")
            page.wait_for_load_state()
            assert page.url == base + "/", target
            page.click("form[action='/web/signout'] button[type=submit]")
            page.wait_for_load_state()
        assert visitor.seen["foreign"] == []
        visitor.clean()
    finally:
        visitor.close()
