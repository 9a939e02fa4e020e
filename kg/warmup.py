"""The warm-up of the result store (access/warm.py) from the command line: after ``kg load``
in the same process (a progress bar), and at ``kg serve`` start in a background process.

The background process is started with multiprocessing's *spawn* method (a fresh
interpreter, nothing inherited from gunicorn's master but the settings), so that it shares no
lock or socket with the workers gunicorn forks; its lines go to ``kg serve``'s log (stderr),
and its progress to the graph, where ``/api/health`` reads it on every worker.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sys
from multiprocessing.process import BaseProcess

import click
from tqdm import tqdm

from access import warm
from core.settings import Settings, WebConfig
from graph.connection import database_name, open_driver

__all__ = ["TEXT", "after_load", "default_day", "start_background"]

TEXT = {
    "zh": {
        "bar": "预先计算 {day} 的结果",
        "done": "已预先计算 {day} 的 {done}/{total} 项结果（首页、工作清单、分析、报告）。",
    },
    "en": {
        "bar": "warming the answers of {day}",
        "done": "Computed {done}/{total} answers of {day} in advance (home page, worklists, "
        "analytics, report).",
    },
}


def default_day() -> dt.date:
    """The explorer's default date: ``KG_WEB_AS_OF``, else today."""
    return WebConfig.from_env().default_as_of or dt.date.today()


def after_load(settings: Settings, lang: str, progress: bool | None) -> None:
    """Compute the default date's answers now (``kg load``), with a progress bar on stderr
    when ``progress`` (default: when stderr is a terminal)."""
    day = default_day()
    show = sys.stderr.isatty() if progress is None else progress
    t = TEXT[lang]
    with open_driver(settings) as driver:
        bar = tqdm(total=None, desc=t["bar"].format(day=day), disable=not show, file=sys.stderr)

        def step(done: int, total: int, name: str) -> None:
            bar.total = total
            bar.set_postfix_str(name)
            bar.update(1)

        try:
            done, total = warm.warm(driver, database_name(settings), day, step=step)
        finally:
            bar.close()
    if total:
        click.echo(t["done"].format(day=day.isoformat(), done=done, total=total), err=True)


def _run(settings: Settings, day: dt.date) -> None:  # the background process
    def echo(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        with open_driver(settings) as driver:
            warm.start(driver, database_name(settings), day, echo=echo).join()
    except Exception as exc:  # noqa: BLE001 - the server keeps serving without a warm-up
        echo(f"kg serve: warm-up stopped: {exc}")


def start_background(settings: Settings) -> BaseProcess:
    """Start the warm-up in a background process (ended with ``kg serve``)."""
    process = multiprocessing.get_context("spawn").Process(
        target=_run, args=(settings, default_day()), name="kg-warm", daemon=True
    )
    process.start()
    return process
