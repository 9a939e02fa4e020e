"""The explorer as office staff read it (issue 14), in headless Chromium at a laptop's width
(1366 px) and a phone's (390 px), on the small dataset plus a few people
(web_support.PEOPLE: two 李伟军 in two villages both named 杨庄村, 王伟 who helps one of them):
no page is wider than the screen; names where codes were; the Excel download in Chinese with
date cells; search by a middle character, by pinyin initials and by surname puts the person
first; a village's network with its family members hidden and its lines explained; the network
first on a phone; a skip link and a focus ring that can be seen.

Marked ``browser`` (skipped without chromium and playwright, as test_web_browser.py); every
request to anything but the test server is blocked and fails the test, as does any console
error. Screenshots go to ``$KG_SCREENSHOTS`` when set (docs/screenshots/ holds those of the
README), else to the test's temporary folder.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import launch
from tests.integration.api_support import SMALL, Api, make_api
from tests.integration.test_web_browser import Session
from tests.integration.web_support import load_with_people, screenshot_folder, serving
from web.i18n import WORKLISTS

pytestmark = pytest.mark.browser

DAY = "2018-12-31"
YANGZHUANG = "530521202202"  # 杨庄村 of 摆榔乡: H101 (李伟军 P101, 张秀兰 P104), helped by 王伟
TOWNSHIP = "530521202000"  # 摆榔乡
SHIDIAN, LONGLING = "530521000000", "530523000000"  # 施甸县 (everyone), 龙陵县 (龙山镇: no one)
WIDTHS = (1366, 390)


@pytest.fixture(scope="module")
def server(driver, settings, tmp_path_factory) -> Iterator[tuple[str, Api]]:
    tmp = tmp_path_factory.mktemp("web-reading")
    load_with_people(driver, settings, SMALL, tmp)
    api = make_api(settings, driver, tmp)
    with serving(api.app) as url:
        yield url, api


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return screenshot_folder(tmp_path_factory)


def session(browser: Any, server: tuple[str, Api], width: int, who: str = "admin") -> Session:
    base, api = server
    return Session(browser, base, api.tokens[who], width=width, height=844 if width < 600 else 800)


def page_width(page: Any) -> int:
    """How wide the page is: wider than the window means it scrolls sideways."""
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_screen(browser, server, shots, width):
    s = session(browser, server, width)
    try:
        page = s.page
        paths = [
            f"/?as_of={DAY}",
            *(f"/web/worklists/{name}?as_of={DAY}" for name in WORKLISTS),
            "/web/worklists/households_without_helper?as_of=2016-12-31",
            "/web/search?q=李",
            f"/web/analytics?as_of={DAY}",
            f"/web/entity/P007?as_of={DAY}",
            f"/web/entity/{YANGZHUANG}?as_of={DAY}",
            f"/web/entity/{TOWNSHIP}?as_of={DAY}",
            "/web/changes",
        ]
        for path in paths:
            assert s.goto(path).status == 200, path
            assert page_width(page) <= width, path
        # the worklist's table is wider than a phone: it scrolls inside its box
        s.goto(f"/web/worklists/one_helps_many?as_of={DAY}")
        box = page.locator(".table-wrap").first
        assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
        tag = "phone" if width < 600 else "laptop"
        for name, path in (
            ("home", f"/?as_of={DAY}"),
            ("worklist", "/web/worklists/households_without_helper?as_of=2016-12-31"),
            ("entity", f"/web/entity/P007?as_of={DAY}"),
            ("village", f"/web/entity/{YANGZHUANG}?as_of={DAY}"),
        ):
            s.goto(path)
            if name in ("entity", "village"):
                s.network_ready()
                page.wait_for_timeout(300)
            page.screenshot(path=str(shots / f"{name}-{tag}.png"), full_page=name != "village")
        s.clean()
    finally:
        s.close()


def test_the_network_comes_first_on_a_phone(browser, server):
    s = session(browser, server, 390)
    try:
        page = s.page
        s.goto(f"/web/entity/P007?as_of={DAY}")
        s.network_ready()
        network = page.locator(".network-panel").bounding_box()
        card = page.locator(".card").bounding_box()
        assert network["y"] < card["y"]
        assert network["y"] < 400  # in the first screen, under the header and title
        s.clean()
    finally:
        s.close()


def test_names_where_codes_were(browser, server):
    s = session(browser, server, 1366)
    try:
        page = s.page
        # as of 2016-12-31 H101 (李伟军's, in 摆榔乡's 杨庄村) has no helper yet
        s.goto("/web/worklists/households_without_helper?as_of=2016-12-31")
        row = page.locator("#worklist tr", has=page.locator("a[href='/web/entity/H101']"))
        text = row.inner_text()
        assert "李伟军" in text and "杨庄村" in text
        village = row.locator(f"a[href='/web/entity/{YANGZHUANG}']")
        assert village.inner_text() == "杨庄村"
        assert "摆榔" in village.get_attribute("title")  # the path tells the two 杨庄村 apart
        s.goto(f"/web/worklists/one_helps_many?as_of={DAY}")
        heads = page.locator("#worklist a[href^='/web/entity/H']").all_inner_texts()
        assert heads == ["杨春华", "段国荣"]  # H001's and H002's heads, not their ids
        s.goto("/web/search?q=李伟军")
        results = page.inner_text("#results")
        assert "杨庄村" in results and "甸阳镇" in results and "摆榔" in results
        s.clean()
    finally:
        s.close()


def test_the_excel_download_is_in_chinese_with_date_cells(browser, server):
    openpyxl = pytest.importorskip("openpyxl")
    s = session(browser, server, 1366)
    try:
        page = s.page
        s.goto("/web/worklists/households_without_helper?as_of=2016-12-31")
        with page.expect_download() as info:
            page.click("a:has-text('Excel (xlsx)')")
        data = Path(info.value.path()).read_bytes()
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert "截至" in str(rows[0][0])  # the title row: the worklist, its date, its scope
        headers = [h for h in rows[1] if h]
        assert "户主" in headers and "所在区划" in headers
        assert all(not str(h).isascii() for h in headers), headers
        cells = [c for row in sheet.iter_rows(min_row=3) for c in row]
        assert any(c.is_date and isinstance(c.value, dt.datetime) for c in cells)
        ids = [c for c in cells if c.value == "H101"]
        assert ids and ids[0].data_type == "s"  # ids stay text
        s.clean()
    finally:
        s.close()


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("秀", ("P002", "P104")),  # 李秀英, 张秀兰: a character in the middle of a name
        ("lwj", ("P101", "P102")),  # 李伟军 by the initials of the pinyin
        ("李", ("P101", "P102", "P002")),  # a surname: persons before 李家寨村
    ],
)
def test_search_puts_the_person_first(browser, server, query, first):
    s = session(browser, server, 390)
    try:
        page = s.page
        s.goto("/web/search")
        page.fill("form.search input[name=q]", query)
        page.press("form.search input[name=q]", "Enter")
        page.wait_for_load_state()
        top = page.locator("#results tbody tr").first
        assert top.get_attribute("data-label") == "Person"
        href = top.locator("a").first.get_attribute("href")
        assert href.rsplit("/", 1)[1] in first
        assert page.locator("#found").count() == 1  # how many were found
        assert page_width(page) <= 390
        s.clean()
    finally:
        s.close()


def test_a_village_network_hides_family_members_and_explains_its_lines(browser, server):
    s = session(browser, server, 1366)
    try:
        page = s.page
        s.goto(f"/web/entity/{YANGZHUANG}?as_of={DAY}")
        s.network_ready()
        assert "村帮扶网络：杨庄村" in page.inner_text("#network-title")
        members = "() => window.kgNodes.get({filter: n => n.group === 'member'})"
        assert page.evaluate(f"{members}.length") >= 1  # 张秀兰 (P104)
        assert page.evaluate(f"{members}.every(n => n.hidden)")
        assert not page.is_checked("#groups input[data-group=member]")
        assert page.locator("#hidden-note").is_visible()
        kinds = page.locator("#kinds li").evaluate_all("ls => ls.map(l => l.dataset.kind)")
        assert "HELPS" in kinds and "LOCATED_IN" not in kinds
        assert "结对帮扶" in page.inner_text("#kinds")
        # no spoke from the village to its households: 王伟 sits beside the household he helps
        edges = page.evaluate("() => window.kgEdges.get().map(e => e.k)")
        assert "LOCATED_IN" not in edges
        page.check("#groups input[data-group=member]")
        assert page.evaluate(f"{members}.every(n => !n.hidden)")
        s.goto(f"/web/entity/{TOWNSHIP}?as_of={DAY}")
        s.network_ready()
        assert "乡镇帮扶网络" in page.inner_text("#network-title")
        s.clean()
    finally:
        s.close()


def test_the_township_list_follows_the_county_at_once(browser, server):
    s = session(browser, server, 390)
    try:
        page = s.page
        s.goto(f"/web/worklists/households_without_helper?as_of=2016-12-31&township={TOWNSHIP}")
        township = "select[name=township]"
        assert page.input_value(township) == TOWNSHIP
        shown = (
            "() => [...document.querySelectorAll('select[name=township] optgroup')]"
            ".filter(g => !g.disabled).map(g => g.dataset.county)"
        )
        assert sorted(page.evaluate(shown)) == sorted([SHIDIAN, LONGLING])
        # another county: its townships only, and the one chosen before is let go
        page.select_option("select[name=county]", LONGLING)
        assert page.evaluate(shown) == [LONGLING]
        assert page.input_value(township) == ""
        page.select_option("select[name=county]", SHIDIAN)
        assert page.evaluate(shown) == [SHIDIAN]
        page.select_option(township, TOWNSHIP)
        # a township outside the county asked for (an old link): said so, the county shown
        s.goto(
            f"/web/worklists/households_without_helper?as_of=2016-12-31"
            f"&county={LONGLING}&township={TOWNSHIP}"
        )
        notice = page.inner_text("#notice")
        assert "不属于" in notice and "龙陵县" in notice and "摆榔" in notice
        assert page.locator("#empty").count() == 1  # no one in 龙陵县
        assert "每个未脱贫的建档立卡户都有帮扶人" in page.inner_text("#empty")
        s.clean()
    finally:
        s.close()


def test_a_skip_link_and_a_focus_ring_that_can_be_seen(browser, server):
    s = session(browser, server, 1366)
    try:
        page = s.page
        s.goto(f"/?as_of={DAY}")
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.className")
        assert focused == "skip"
        box = page.locator("a.skip").bounding_box()
        assert box["y"] >= 0 and box["height"] > 10  # shown while focused
        ring = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        assert ring[0] != "none" and ring[1] >= 2
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
        # the network takes the keyboard's focus too
        s.goto(f"/web/entity/P007?as_of={DAY}")
        s.network_ready()
        page.focus("#network")
        ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert page.evaluate("() => document.activeElement.id") == "network"
        assert ring != "none"
        s.clean()
    finally:
        s.close()
