"""``kg load PATH``: load a dataset (a folder of CSV files or an .xlsx workbook)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from core.errors import KgError
from core.settings import Settings, language
from loaders.pipeline import LoadReport
from queries.export import text_table

__all__ = ["load"]

TEXT: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "导入报告：{dataset}",
        "cols": ("文件", "读取", "导入", "拒绝", "重复", "耗时(秒)", "行/秒"),
        "total": "合计",
        "unknown": "{source}：以下列不在数据规范中，已忽略：{columns}",
        "ignored": "以下文件或工作表不是数据规范中的文件，已忽略：{names}",
        "rejects": "被拒绝的行共 {count} 条问题，详见：{path}",
        "first": "前几条问题：",
        "ok": "全部 {count} 行已导入，用时 {seconds:.1f} 秒。",
        "skipped": "未变化，跳过",
        "skipped_note": "标“未变化，跳过”的文件自上次完整导入以来没有改动，未重新导入"
        "（用 --force 强制重新导入）。",
    },
    "en": {
        "title": "Load report: {dataset}",
        "cols": ("file", "read", "loaded", "rejected", "duplicates", "seconds", "rows/s"),
        "total": "total",
        "unknown": "{source}: these columns are not in the contract and were ignored: {columns}",
        "ignored": "not contract files, ignored: {names}",
        "rejects": "{count} problems in rejected rows, written to {path}",
        "first": "First problems:",
        "ok": "All {count} rows loaded in {seconds:.1f} s.",
        "skipped": "unchanged, skipped",
        "skipped_note": "Files marked 'unchanged, skipped' have not changed since they were "
        "last loaded "
        "completely and were not loaded again (--force loads them anyway).",
    },
}


def print_report(
    report: LoadReport, lang: str, first_rejects: list[str], reject_count: int
) -> None:
    t = TEXT[lang]
    click.echo(t["title"].format(dataset=report.dataset))
    rows: list[tuple[object, ...]] = [
        (f.source, t["skipped"], "", "", "", "", "")
        if f.skipped
        else (
            f.source,
            f.read,
            f.loaded,
            f.rejected,
            f.duplicates,
            f"{f.seconds:.1f}",
            f"{f.rows_per_second:,.0f}",
        )
        for f in report.files
    ]
    rows.append(
        (
            t["total"],
            report.read,
            report.loaded,
            report.rejected,
            sum(f.duplicates for f in report.files),
            f"{report.seconds:.1f}",
            f"{report.read / report.seconds if report.seconds else 0:,.0f}",
        )
    )
    click.echo(text_table(t["cols"], rows, right=1))
    for f in report.files:
        if f.unknown_columns:
            click.echo(t["unknown"].format(source=f.source, columns="、".join(f.unknown_columns)))
    if report.ignored:
        click.echo(t["ignored"].format(names="、".join(report.ignored)))
    if any(f.skipped for f in report.files):
        click.echo(t["skipped_note"])
    if reject_count:
        click.echo(t["rejects"].format(count=reject_count, path=report.rejects_path))
        click.echo(t["first"])
        for line in first_rejects[:10]:
            click.echo(f"  {line}")
    else:
        click.echo(t["ok"].format(count=report.loaded, seconds=report.seconds))


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--rejects",
    "rejects_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the rejected rows (CSV for Excel). "
    "Default: $KG_HOME/rejects/<dataset>-<time>.csv.",
)
@click.option(
    "--encoding",
    type=click.Choice(["utf-8", "utf-8-sig", "gb18030", "gbk"]),
    default=None,
    help="Encoding of the CSV files. Default: detected (UTF-8, else GB18030).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 100_000),
    default=5000,
    show_default=True,
    help="Rows written per transaction.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 8),
    default=2,
    show_default=True,
    help="Write transactions running at once.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of the report and reject messages. Default: zh, en when the locale is English.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Print the report as a table or as JSON.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar per file (default: when the terminal is interactive).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Load every file, even those unchanged since they were last loaded completely.",
)
def load(
    path: Path,
    rejects_path: Path | None,
    encoding: str | None,
    batch_size: int,
    workers: int,
    lang: str | None,
    fmt: str,
    progress: bool | None,
    force: bool,
) -> None:
    """Load a dataset into the graph: a folder of CSV files or one .xlsx workbook.

    Files (or sheets) are named by the contract's stems (regions, persons, ...); headers may be
    English or Chinese. Rows that break the contract are rejected with file, row and column
    and written to a reject file; the others load. Loading is idempotent: run it again after
    an interruption or with a corrected file. Files unchanged since they were last loaded
    completely (no rejected row) are skipped; --force loads them anyway.

    Exit codes: 0 every row loaded, 1 some rows rejected, 2 nothing could be loaded.
    """
    from graph.connection import database_name, open_driver
    from loaders.graph_writer import GraphWriter
    from loaders.pipeline import Loader
    from loaders.rejects import RejectSink

    lang = lang or language()
    settings = Settings.from_env()
    if rejects_path is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        rejects_path = settings.kg_home / "rejects" / f"{path.resolve().stem}-{stamp}.csv"
    try:
        driver = open_driver(settings)
        try:
            with RejectSink(rejects_path, lang) as sink:
                loader = Loader(
                    GraphWriter(driver, database_name(settings), workers=workers),
                    sink,
                    batch_size=batch_size,
                    encoding=encoding,
                    progress=progress,
                    force=force,
                )
                report = loader.load(path)
        finally:
            driver.close()
    except KgError as e:
        click.echo(f"kg load: {e}", err=True)
        sys.exit(2)
    if not sink.count:
        report.rejects_path = None
    if fmt == "json":
        click.echo(
            json.dumps(
                {**report.as_dict(), "first_rejects": sink.first}, ensure_ascii=False, indent=2
            )
        )
    else:
        print_report(report, lang, sink.first, sink.count)
    sys.exit(report.exit_code)
