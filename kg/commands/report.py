"""``kg report``: the seed-style figures computed from the graph as of a date."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from kg.config import Settings
from kg.errors import KgError
from loaders.messages import language

__all__ = ["report"]


def _format(value: object, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@click.command()
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date the figures are computed for (YYYY-MM-DD). Default: today.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json"]),
    default="md",
    show_default=True,
    help="A Markdown table or JSON.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of the figure names. Default: zh, en when the locale is English.",
)
def report(as_of: dt.datetime | None, fmt: str, lang: str | None) -> None:
    """The figures of the Baoshan review (work teams, relocation, weak organisations, collective
    income, industry coverage, cadres, ...) computed from the graph as of a date, beside the
    values the seed article states for the end of 2020."""
    from graph.connection import database_name, open_driver
    from queries.report import compute

    lang = lang or language()
    day = as_of.date() if as_of else dt.date.today()
    settings = Settings.from_env()
    try:
        with open_driver(settings) as driver:
            figures = compute(driver, database_name(settings), day)
    except KgError as e:
        click.echo(f"kg report: {e}", err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "as_of": day.isoformat(),
                    "figures": [
                        {
                            "key": f.key,
                            "name": f.zh if lang == "zh" else f.en,
                            "value": f.value,
                            "seed": f.seed,
                        }
                        for f in figures
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if lang == "zh":
        click.echo(
            f"# 抓党建促脱贫攻坚主要指标（截至 {day.year} 年 {day.month} 月 {day.day} 日）\n"
        )
        click.echo("| 指标 | 数值 | 保山 2020 年报道 |")
    else:
        click.echo(
            f"# Party building and poverty alleviation: key figures as of {day.isoformat()}\n"
        )
        click.echo("| figure | value | Baoshan 2020 review |")
    click.echo("|---|---:|---:|")
    for f in figures:
        name = f.zh if lang == "zh" else f.en
        click.echo(f"| {name} | {_format(f.value, lang)} | {_format(f.seed, lang)} |")
