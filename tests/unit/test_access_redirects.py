"""access.redirects: a corpus of known open-redirect bypasses all land on the home page."""

from __future__ import annotations

import pytest

from access.redirects import safe_target

BYPASSES = [
    "/\t/evil.example",
    "/%09/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%0d%0a/evil.example",
    "\r\nLocation: //evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%5Cevil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%252F%252Fevil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,x",
    "http://evil.example/",
    "https:evil.example",
    " /web/search",
    "  //evil.example",
    "\x00/evil",
    "/\u202e/evil.example",
    "/\u2028/evil.example",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", BYPASSES)
def test_every_bypass_lands_on_the_home_page(target):
    assert safe_target(target, "/") == "/"


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/web/search?q=x",
        "/web/search?q=%E6%9D%A8%E6%98%A5%E5%8D%8E",
        "/web/search?q=a%20b",
        "/web/entity/P001?as_of=2018-12-31&view=neighbours",
        "/web/worklists/one_helps_many?township=530521101000",
    ],
)
def test_paths_of_the_site_are_kept(target):
    assert safe_target(target, "/home") == target


def test_none_is_home():
    assert safe_target(None, "/home") == "/home"
