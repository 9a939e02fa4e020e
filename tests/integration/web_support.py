"""What the explorer's tests share: the small dataset with a hostile name (and, for the
search and the pages read by names, a few more people and villages), signing in."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
from werkzeug.serving import make_server

from core.settings import Settings
from tests.browser import HOSTILE  # a name that must show as text, never as an element
from tests.helpers import free_port
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


#: rows added by :func:`load_with_people`: two villages named 杨庄村 (one per township), a
#: 李家寨村, two 李伟军 (heads of a household in each 杨庄村), 王伟 who helps one of them; and a
#: second county with a township (龙陵县, 龙山镇: no one in them), for the filters
PEOPLE = {
    "regions.csv": (
        "530521202202,杨庄村,village,530521202000,true,\n"
        "530521101202,杨庄村,village,530521101000,true,\n"
        "530521101203,李家寨村,village,530521101000,false,\n"
        "530523000000,龙陵县,county,530500000000,true,\n"
        "530523101000,龙山镇,township,530523000000,true,\n"
    ),
    "households.csv": (
        "H101,530521202202,2,true,2016-05-01,illness,,false,,\n"
        "H102,530521101202,1,true,2017-03-01,disability,,false,,\n"
    ),
    "persons.csv": (
        "P101,李伟军,,M,1975-04-02,,H101,head,true,2001-07-01,full\n"
        "P104,张秀兰,,F,1977-01-09,,H101,spouse,false,,\n"
        "P102,李伟军,,M,1988-10-20,,H102,head,false,,\n"
        "P103,王伟,,M,1983-06-06,13988520103,,,true,2010-07-01,full\n"
    ),
    "pairings.csv": "P103,H101,2017-01-01,,one_to_one,产业帮扶\n",
    "memberships.csv": "P103,ORG006,2010-07-01,\nP101,ORG006,2001-07-01,\n",
}


def load_with_people(driver: neo4j.Driver, settings: Settings, path: Path, tmp: Path) -> None:
    """:func:`load_with_hostile`, plus the rows of :data:`PEOPLE`."""
    copy = tmp / "dataset"
    shutil.copytree(path, copy, dirs_exist_ok=True)
    for name, rows in {**PEOPLE, "persons.csv": PEOPLE["persons.csv"] + _ROW}.items():
        file = copy / name
        text = file.read_text(encoding="utf-8")
        file.write_text(text.rstrip("\n") + "\n" + rows, encoding="utf-8")
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


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` served on 127.0.0.1 (a free port) in a thread, for a browser; yields its URL."""
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()
        thread.join(10)
        httpd.server_close()


def screenshot_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests save screenshots: ``KG_SCREENSHOTS``, else a temporary folder."""
    folder = os.environ.get("KG_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path
