"""``kg report``: the seed-style figures computed from the graph as of a date."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from core.errors import KgError
from core.settings import Settings, language
from graph.connection import database_name, open_driver
from queries.export import to_xlsx
from queries.report import Figure, compute

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
    type=click.Choice(["md", "json", "xlsx"]),
    default="md",
    show_default=True,
    help="A Markdown table, JSON, or an Excel workbook (written to --output).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file. Default: standard output; for xlsx, report-<date>.xlsx.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of the figure names. Default: zh, en when the locale is English.",
)
def report(as_of: dt.datetime | None, fmt: str, output: Path | None, lang: str | None) -> None:
    """The figures of the Baoshan review (work teams, relocation, weak organisations, collective
    income, industry coverage, cadres, ...) computed from the graph as of a date, beside the
    values the seed article states for the end of 2020."""
    lang = lang or language()
    day = as_of.date() if as_of else dt.date.today()
    settings = Settings.from_env()
    try:
        with open_driver(settings) as driver:
            figures = compute(driver, database_name(settings), day)
    except KgError as e:
        click.echo(f"kg report: {e}", err=True)
        sys.exit(2)
    if fmt == "xlsx":
        _write_xlsx(figures, day, lang, output or Path(f"report-{day.isoformat()}.xlsx"))
        return
    lines: list[str] = []
    if fmt == "json":
        lines.append(
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
    else:
        lines.append(f"# {_title(day, lang)}\n")
        lines.append(
            "| 指标 | 数值 | 保山 2020 年报道 |"
            if lang == "zh"
            else "| figure | value | Baoshan 2020 review |"
        )
        lines.append("|---|---:|---:|")
        for f in figures:
            name = f.zh if lang == "zh" else f.en
            lines.append(f"| {name} | {_format(f.value, lang)} | {_format(f.seed, lang)} |")
    text = "\n".join(lines) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"kg report: written to {output}", err=True)
    else:
        click.echo(text, nl=False)


def _title(day: dt.date, lang: str) -> str:
    if lang == "zh":
        return f"抓党建促脱贫攻坚主要指标（截至 {day.year} 年 {day.month} 月 {day.day} 日）"
    return f"Party building and poverty alleviation: key figures as of {day.isoformat()}"


def _write_xlsx(figures: list[Figure], day: dt.date, lang: str, path: Path) -> None:
    columns = (
        ["指标", "数值", "保山 2020 年报道", "key"]
        if lang == "zh"
        else ["figure", "value", "Baoshan 2020 review", "key"]
    )
    rows = [
        dict(zip(columns, (f.zh if lang == "zh" else f.en, f.value, f.seed, f.key), strict=True))
        for f in figures
    ]
    title = f"截至{day.isoformat()}" if lang == "zh" else f"as of {day.isoformat()}"
    path.write_bytes(to_xlsx([(title, columns, rows)]))
    click.echo(f"kg report: {_title(day, lang)} written to {path}", err=True)
