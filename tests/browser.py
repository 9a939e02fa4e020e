"""Headless Chromium for the browser tests (Debian's ``chromium``, driven by Playwright).

``make test`` installs chromium (the Makefile's browser-tool target) and sets
``KG_REQUIRE_BROWSER=1``: there (and so in CI, which runs ``make test``) a browser test
*fails* when chromium or playwright is missing. A bare ``pytest`` run without them skips the
browser tests instead. Started with the flags that keep it from reaching the network on its
own.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

__all__ = ["ARGS", "CHROMIUM", "HOSTILE", "click_node", "hover_node", "launch", "node_point"]

CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
#: a name that would run script if a page put it into HTML unescaped
HOSTILE = "<img src=x onerror=alert(1)>"


@contextmanager
def launch() -> Iterator[Any]:
    """A headless Chromium (a Playwright Browser), closed at the end."""
    missing = None
    if CHROMIUM is None:
        missing = "Debian's chromium is not installed (make test installs it)"
    else:
        try:
            sync_api = importlib.import_module("playwright.sync_api")
        except ImportError:
            missing = "the playwright package is not installed (make setup installs it)"
    if missing is not None:
        # the test environment's switch (set by make test), not a setting of kg's
        if os.environ.get("KG_REQUIRE_BROWSER") == "1":
            pytest.fail(missing + "; KG_REQUIRE_BROWSER=1 says the browser tests must run")
        pytest.skip(missing)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def hover_node(page: Any, node_id: str) -> str:
    """Move the mouse over a node of the page's network and return the tooltip's text."""
    x, y = page.evaluate(
        """(id) => { const n = window.kgNetwork;
                     const p = n.canvasToDOM(n.getPosition(id));
                     const r = document.getElementById('network').getBoundingClientRect();
                     return [p.x + r.left, p.y + r.top]; }""",
        node_id,
    )
    page.mouse.move(x, y)
    page.wait_for_selector("#tip", state="visible", timeout=5_000)
    return str(page.inner_text("#tip"))


def node_point(page: Any, node_id: str) -> tuple[float, float]:
    """Where a node of the page's network is on the screen."""
    x, y = page.evaluate(
        """(id) => { const n = window.kgNetwork;
                     const p = n.canvasToDOM(n.getPosition(id));
                     const r = document.getElementById('network').getBoundingClientRect();
                     return [p.x + r.left, p.y + r.top]; }""",
        node_id,
    )
    return float(x), float(y)


def click_node(page: Any, node_id: str) -> None:
    """Click a node of the page's network with the mouse."""
    x, y = node_point(page, node_id)
    page.mouse.click(x, y)
