"""What the explorer's tests share: the small dataset with a hostile name, signing in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import neo4j

from core.settings import Settings
from tests.browser import HOSTILE  # a name that must show as text, never as an element
from tests.integration.api_support import load_dataset

_ROW = f"P009,{HOSTILE},,F,1990-01-01,,H002,child,false,,\n"


def load_with_hostile(driver: neo4j.Driver, settings: Settings, path: Path, tmp: Path) -> None:
    """The dataset ``path`` (everything else deleted) plus P009 named :data:`HOSTILE`, a
    member of H002."""
    copy = tmp / "dataset"
    shutil.copytree(path, copy, dirs_exist_ok=True)
    persons = copy / "persons.csv"
    text = persons.read_text(encoding="utf-8")
    persons.write_text(text.rstrip("\n") + "\n" + _ROW, encoding="utf-8")
    load_dataset(driver, settings, copy, tmp)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def signin(client: Any, secret: str, next_path: str | None = None) -> Any:
    """Sign ``client`` (a Flask test client) in with the API token ``secret``."""
    page = client.get("/web/signin").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "token": secret}
    if next_path is not None:
        data["next"] = next_path
    return client.post("/web/signin", data=data)
