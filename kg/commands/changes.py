"""``kg changes``: what changed between two loads (contract §4), from the archive."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from core.contract import SPECS
from core.errors import KgError
from core.settings import Settings, language
from loaders.archive import Archive
from loaders.changes import COLUMNS, between, flat_rows, public
from queries.export import text_table, to_csv

__all__ = ["changes"]

CHANGE_WORDS = {
    "zh": {"added": "新增", "changed": "修改", "retracted": "删除"},
    "en": {"added": "added", "changed": "changed", "retracted": "retracted"},
}


def _table(answer: dict[str, Any], lang: str) -> str:
    words = CHANGE_WORDS[lang]
    counts = Counter((f["kind"], f["change"]) for f in answer["facts"])
    lines = [
        (
            f"第 {answer['from']} 次 → 第 {answer['to']} 次导入"
            if lang == "zh"
            else f"load {answer['from']} → load {answer['to']}"
        )
    ]
    header = ("类别", *words.values()) if lang == "zh" else ("kind", *words.values())
    rows = [
        (SPECS[stem].zh if lang == "zh" else stem, *(counts[(stem, c)] for c in words))
        for stem in SPECS
        if any(counts[(stem, c)] for c in words)
    ]
    lines.append(
        text_table(header, rows, right=1)
        if rows
        else ("（没有变化）" if lang == "zh" else "(no change)")
    )
    for f in answer["facts"][:50]:
        key = ", ".join(f"{k}={v}" for k, v in f["key"].items())
        where = f"{f['file']}:{f['row']}" if f.get("row") else f.get("file") or ""
        lines.append(f"  {words[f['change']]} {f['kind']} [{key}] {where}")
    if len(answer["facts"]) > 50:
        more = len(answer["facts"]) - 50
        lines.append(
            f"  …… 另有 {more} 项（用 --format json 或 csv 查看全部）"
            if lang == "zh"
            else f"  ... {more} more (--format json or csv lists them all)"
        )
    for name, change in answer["worklists"].items():
        if change["appeared"] or change["disappeared"]:
            lines.append(
                f"{name}：新增 {len(change['appeared'])} 行，消失 {len(change['disappeared'])} 行"
                if lang == "zh"
                else f"{name}: {len(change['appeared'])} appeared, {len(change['disappeared'])} "
                "disappeared"
            )
    return "\n".join(lines)


@click.command()
@click.option(
    "--from",
    "start",
    type=click.IntRange(min=0),
    default=None,
    help="The earlier load (0: the empty graph). Default: the one before --to.",
)
@click.option(
    "--to",
    "end",
    type=click.IntRange(min=1),
    default=None,
    help="The later load. Default: the last.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "table"]),
    default="table",
    show_default=True,
    help='JSON {"from", "to", "facts": [{"kind", "change", "key", "before", "after", "file", '
    '"row"}], "worklists": {NAME: {"appeared", "disappeared"}}}; CSV (UTF-8 with BOM) of the '
    "facts and worklist rows; or a summary table.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file instead of the terminal.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Table language.")
def changes(
    start: int | None, end: int | None, fmt: str, output: Path | None, lang: str | None
) -> None:
    """What changed between two loads: facts added, changed (old and new values) and retracted
    per kind, each with its file and row; and, when the second load directly follows the first,
    the rows of each worklist that appeared or disappeared with it (as of the day it ran).

    Default: the last two loads.
    """
    lang = lang or language()
    try:
        answer = between(Archive(Settings.from_env().kg_home), start, end)
    except KgError as e:
        click.echo(f"kg changes: {e}", err=True)
        sys.exit(2)
    if fmt == "json":
        text = json.dumps(
            {**answer, "facts": [public(f) for f in answer["facts"]]},
            ensure_ascii=False,
            indent=2,
        )
    elif fmt == "csv":
        text = to_csv(COLUMNS, flat_rows(answer))
    else:
        text = _table(answer, lang)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8-sig" if fmt == "csv" else "utf-8")
