"""``kg load PATH``: load a dataset (a folder of CSV files or an .xlsx workbook)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click
import neo4j.exceptions as nex

from core.contract import SPECS
from core.errors import KgError
from core.settings import Settings, language
from graph.connection import database_name, driver_on_first_use, embedded_server, open_driver
from graph.embedded.importer import BulkImport
from loaders.lock import LoadBusy
from loaders.pipeline import BULK_ROWS, GUARD_MIN, GUARD_SHARE, Loader, LoadOptions
from loaders.readers import SourceError
from loaders.rejects import RejectSink
from loaders.report import FileReport, LoadReport
from loaders.write import GraphWriter
from queries.export import text_table
from queries.watch import WorklistWatch

__all__ = ["load", "print_report"]

TEXT: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "导入报告：{dataset}（第 {load} 次导入）",
        "title_dry": "导入报告：{dataset}（试导入，不写入任何数据）",
        "title_export": "导入报告：{dataset}（写出 Neo4j 导入工具的文件，不写入图谱）",
        "cols": ("文件", "读取", "导入", "拒绝", "新增", "修改", "删除", "未变", "耗时(秒)"),
        "total": "合计",
        "unknown": "{source}：以下列不在数据规范中，已忽略：{columns}",
        "ignored": "以下文件或工作表不是数据规范中的文件，已忽略：{names}",
        "rejects": "被拒绝的行共 {count} 条问题，详见：{path}",
        "first": "前几条问题：",
        "ok": "全部 {count} 行已导入，用时 {seconds:.1f} 秒。",
        "ok_dry": "试导入完成：全部 {count} 行都可以导入，图谱没有任何改动。",
        "skipped": "未变化，跳过",
        "blocked": "未导入",
        "unreadable": "无法读取",
        "skipped_note": "标“未变化，跳过”的文件自上次完整导入以来没有改动，未重新导入"
        "（用 --force 强制重新导入）。",
        "guard": "{source}：这份文件会删除图谱中的 {n} 项{kind}（共 {total} 项{where}），"
        "{why}，为防止误删，整个文件没有导入。请核对是否导出不全或选错了文件；"
        "如果确实要删除，请加 --allow-retract 重新导入；如果文件只含新增和更正，请加 --partial。",
        "guard_all": "即全部",
        "guard_share": f"超过 {GUARD_SHARE:.0%} 且多于 {GUARD_MIN} 项",
        "in_region": "（区划 {region} 内）",
        "kept": "{source}：{n} 项已不在文件中，但仍被其他数据引用，未删除（详见问题清单）。",
        "dry_retract": "{source}：正式导入时将删除 {n} 项（不在文件中的数据）。",
        "interrupted": "第 {loads} 次导入曾中断（进程被终止）；已记为“中断”，本次导入会补齐。",
        "recovered": "上次首次导入在批量导入阶段中断，数据库不完整；"
        "已清除不完整的数据，本次从头导入。",
        "imported": "图谱原为空，已用 Neo4j 批量导入工具（neo4j-admin database import）写入，"
        "导入工具用时 {seconds:.1f} 秒。",
        "exported": "已检查数据并写出 Neo4j 导入工具的文件：{path}（在服务器上运行其中的 "
        "import.sh）；图谱没有任何改动。",
        "worklists": "与导入前相比（截至 {day}）：",
        "worklist_line": "  {name}：新增 {appeared} 行，消失 {disappeared} 行",
        "busy": "另一个导入正在进行：{other}；等它结束后再开始……",
        "busy_no_wait": "另一个导入正在进行：{other}。请等它结束后再导入"
        "（或去掉 --no-wait 以等待）。",
    },
    "en": {
        "title": "Load report: {dataset} (load {load})",
        "title_dry": "Load report: {dataset} (dry run: nothing is written)",
        "title_export": "Load report: {dataset} (written as Neo4j importer input, not loaded)",
        "cols": (
            "file",
            "read",
            "loaded",
            "rejected",
            "added",
            "changed",
            "retracted",
            "unchanged",
            "seconds",
        ),
        "total": "total",
        "unknown": "{source}: these columns are not in the contract and were ignored: {columns}",
        "ignored": "not contract files, ignored: {names}",
        "rejects": "{count} problems in rejected rows, written to {path}",
        "first": "First problems:",
        "ok": "All {count} rows loaded in {seconds:.1f} s.",
        "ok_dry": "Dry run done: all {count} rows can be loaded; the graph was not changed.",
        "skipped": "unchanged, skipped",
        "blocked": "not loaded",
        "unreadable": "unreadable",
        "skipped_note": "Files marked 'unchanged, skipped' have not changed since they were "
        "last loaded completely and were not loaded again (--force loads them anyway).",
        "guard": "{source}: this file would retract {n} {kind} from the graph (of {total}{where}), "
        "{why}; to prevent a mistaken deletion the file was not loaded. Check that the export "
        "is complete and is the right file; to retract them, load it again with "
        "--allow-retract; if the file holds additions and corrections only, use --partial.",
        "guard_all": "that is all of them",
        "guard_share": f"more than {GUARD_SHARE:.0%} and more than {GUARD_MIN}",
        "in_region": " in region {region}",
        "kept": "{source}: {n} facts are no longer in the file but others still refer to them: "
        "kept (see the problems).",
        "dry_retract": "{source}: a real load would retract {n} facts the file no longer holds.",
        "interrupted": "Load {loads} had been interrupted (killed); it is recorded as such, and "
        "this load completes its work.",
        "recovered": "The last first load was interrupted during the batch import; the "
        "incomplete database was cleared and this load started the import again.",
        "imported": "The graph was empty: written by Neo4j's batch importer "
        "(neo4j-admin database import), which took {seconds:.1f} s.",
        "exported": "Checked and written as the input of Neo4j's importer: {path} (run its "
        "import.sh on the server); the graph was not changed.",
        "worklists": "Compared with before the load (as of {day}):",
        "worklist_line": "  {name}: {appeared} rows appeared, {disappeared} disappeared",
        "busy": "Another load is running: {other}; waiting for it to end...",
        "busy_no_wait": "Another load is running: {other}. Load again when it has ended "
        "(or drop --no-wait to wait for it).",
    },
}


def _row(f: FileReport, t: dict[str, Any]) -> tuple[object, ...]:
    if f.status in ("skipped", "blocked", "unreadable") and not f.read:
        return (f.source, t[f.status], "", "", "", "", "", f.unchanged or "", "")
    loaded: object = t["blocked"] if f.status == "blocked" else f.loaded
    return (
        f.source,
        f.read,
        loaded,
        f.rejected,
        f.added,
        f.changed,
        f.retracted,
        f.unchanged,
        f"{f.seconds:.1f}",
    )


def print_report(
    report: LoadReport, lang: str, first_rejects: list[str], reject_count: int
) -> None:
    t = TEXT[lang]
    if report.dry_run:
        click.echo(t["title_dry"].format(dataset=report.dataset))
    elif report.exported_to is not None:
        click.echo(t["title_export"].format(dataset=report.dataset))
    else:
        click.echo(t["title"].format(load=report.load, dataset=report.dataset))
    if report.interrupted:
        click.echo(t["interrupted"].format(loads="、".join(map(str, report.interrupted))))
    if report.recovered_import:
        click.echo(t["recovered"])
    rows = [_row(f, t) for f in report.files]
    rows.append(
        (
            t["total"],
            report.read,
            report.loaded,
            report.rejected,
            report.total("added"),
            report.total("changed"),
            report.total("retracted"),
            report.total("unchanged"),
            f"{report.seconds:.1f}",
        )
    )
    click.echo(text_table(t["cols"], rows, right=1))
    for f in report.files:
        if f.unknown_columns:
            click.echo(t["unknown"].format(source=f.source, columns="、".join(f.unknown_columns)))
        for notice in f.layout:
            line = notice.text(lang)
            click.echo(f"{f.source}：{line}" if lang == "zh" else f"{f.source}: {line}")
        if f.blocked:
            everything = f.blocked["would_retract"] == f.blocked["facts"]
            region = f.blocked.get("region")
            click.echo(
                t["guard"].format(
                    source=f.source,
                    n=f.blocked["would_retract"],
                    total=f.blocked["facts"],
                    kind=_kind(f.stem, lang),
                    where=t["in_region"].format(region=region) if region else "",
                    why=t["guard_all"] if everything else t["guard_share"],
                )
            )
        if f.kept:
            click.echo(t["kept"].format(source=f.source, n=f.kept))
        if report.dry_run and f.retracted:
            click.echo(t["dry_retract"].format(source=f.source, n=f.retracted))
    if report.ignored:
        click.echo(t["ignored"].format(names="、".join(report.ignored)))
    if report.imported_seconds is not None:
        click.echo(t["imported"].format(seconds=report.imported_seconds))
    if report.exported_to:
        click.echo(t["exported"].format(path=report.exported_to))
    if any(f.skipped for f in report.files):
        click.echo(t["skipped_note"])
    changed = {n: c for n, c in report.worklists.items() if c["appeared"] or c["disappeared"]}
    if changed:
        click.echo(t["worklists"].format(day=dt.date.today().isoformat()))
        for name, c in changed.items():
            click.echo(t["worklist_line"].format(name=name, **c))
    if reject_count:
        click.echo(t["rejects"].format(count=reject_count, path=report.rejects_path))
        click.echo(t["first"])
        for line in first_rejects[:10]:
            click.echo(f"  {line}")
    elif report.exit_code == 0 and not report.exported_to:
        key = "ok_dry" if report.dry_run else "ok"
        click.echo(t[key].format(count=report.loaded, seconds=report.seconds))


def _kind(stem: str, lang: str) -> str:
    return stem if lang == "en" else SPECS[stem].zh


def _load(
    settings: Settings,
    sink: RejectSink,
    path: Path,
    options: LoadOptions,
    workers: int,
    progress: bool | None,
    wait: bool,
    t: dict[str, Any],
) -> LoadReport:
    """Load into the configured graph; into an empty embedded one with Neo4j's importer."""
    bulk = BulkImport(embedded_server(settings)) if settings.embedded else None
    # The embedded Neo4j starts when the load first needs it: a first load through the
    # importer into a home without a store starts it once, on the imported store.
    driver = driver_on_first_use(settings) if bulk is not None else open_driver(settings)
    try:
        database = database_name(settings)
        loader = Loader(
            GraphWriter(driver, database, workers=workers),
            sink,
            home=settings.kg_home,
            options=options,
            progress=progress,
            observer=WorklistWatch(driver, database),
            wait=None if wait else 0,
            on_wait=lambda other: click.echo(t["busy"].format(other=other), err=True),
            bulk=bulk,
        )
        return loader.load(path)
    finally:
        driver.close()


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--partial",
    is_flag=True,
    help="The files hold additions and corrections only: nothing they lack is retracted.",
)
@click.option(
    "--region",
    metavar="CODE",
    default=None,
    help="The files are complete only within this county or township: only facts that lie in "
    "it (by the API's region rule) can be retracted.",
)
@click.option(
    "--allow-retract",
    is_flag=True,
    help=f"Load a file even when it would retract all the facts of its kind, or more than "
    f"{GUARD_SHARE:.0%} of them and more than {GUARD_MIN} (the guard stops such a file).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read, find the tables, check and compare with the graph exactly as a load would, "
    "and report what it would add, change and retract; write nothing.",
)
@click.option(
    "--bulk-import",
    "bulk",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help=f"Into an empty embedded graph, load with Neo4j's batch importer (neo4j-admin "
    f"database import) instead of transactions: auto from {BULK_ROWS:,} rows on (below, "
    "stopping and starting Neo4j costs more than it saves), always, or never.",
)
@click.option(
    "--import-csv",
    "import_csv",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Check the dataset and write it as the input of Neo4j's own importer "
    "(neo4j-admin database import full) into this folder, with import.sh, to seed a server or "
    "cluster; nothing is loaded and no database is needed. The dataset must hold every id it "
    "refers to.",
)
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
    help="Load every file, even those unchanged since they were last loaded completely, and "
    "write every row again, unchanged ones too (after an upgrade of kg that writes facts "
    "differently); unchanged rows are still counted as unchanged.",
)
@click.option(
    "--warm/--no-warm",
    default=None,
    help="After the load, compute the default date's answers (home page, worklists, "
    "analytics, report; KG_WEB_AS_OF, else today) into the result store, with a progress bar. "
    "Default: on (KG_WARM=off turns it off).",
)
@click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="When another load is running on this graph: wait for it to end, or stop at once "
    "(exit code 2).",
)
def load(
    path: Path,
    partial: bool,
    region: str | None,
    allow_retract: bool,
    dry_run: bool,
    rejects_path: Path | None,
    encoding: str | None,
    batch_size: int,
    workers: int,
    lang: str | None,
    fmt: str,
    progress: bool | None,
    force: bool,
    warm: bool | None,
    wait: bool,
    bulk: str,
    import_csv: Path | None,
) -> None:
    """Load a dataset into the graph: a folder of CSV files or one .xlsx workbook.

    Files (or sheets) are named by the contract's stems (regions, persons, ...); headers may be
    English or Chinese. Each file is the complete list of its kind (a snapshot): rows new to the
    graph are added, changed rows update it, and what the file no longer holds is retracted
    (unless --partial, or outside --region). A file that would retract too much is not loaded
    (see --allow-retract). Rows that break the contract are rejected with file, row and column
    and written to a reject file; a rejected row keeps the fact it names. Every load is
    numbered and archived under $KG_HOME (kg loads, kg changes, kg rebuild). Files unchanged
    since they were last loaded completely are skipped; --force loads them anyway.

    Exit codes: 0 every row loaded; 1 some rows rejected, or a file stopped by the guard, or
    facts kept because others refer to them; 2 nothing could be loaded.
    """
    lang = lang or language()
    t = TEXT[lang]
    settings = Settings.from_env()
    if rejects_path is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        rejects_path = settings.kg_home / "rejects" / f"{path.resolve().stem}-{stamp}.csv"
    if import_csv is not None and (dry_run or partial or region):
        raise click.UsageError("--import-csv cannot be used with --dry-run, --partial or --region")
    options = LoadOptions(
        partial=partial,
        region=region.strip() if region else None,
        allow_retract=allow_retract,
        force=force,
        dry_run=dry_run,
        encoding=encoding,
        batch_size=batch_size,
        export_to=import_csv,
        bulk=bulk,
    )
    try:
        with RejectSink(rejects_path, lang) as sink:
            if import_csv is not None:
                report = Loader(
                    GraphWriter.offline(database_name(settings)), sink,
                    home=settings.kg_home, options=options, progress=progress,
                ).load(path)  # fmt: skip
                report.exported_to = str(import_csv.resolve())
            else:
                report = _load(settings, sink, path, options, workers, progress, wait, t)
    except LoadBusy as e:
        click.echo(f"kg load: {t['busy_no_wait'].format(other=e)}", err=True)
        sys.exit(2)
    except SourceError as e:
        click.echo(f"kg load: {e.text(lang)}", err=True)
        sys.exit(2)
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
    if warm is None:
        warm = settings.warm
    if warm and not dry_run and import_csv is None and report.exit_code != 2:
        # imported here: the warm-up needs networkx and the app's answers, which the other
        # kg commands (all imported at start) should not pay for
        from kg.warmup import after_load

        try:
            after_load(settings, lang, progress)
        except (KgError, nex.Neo4jError, nex.DriverError, OSError) as e:
            click.echo(f"kg load: {e}", err=True)  # the load itself is done: same exit code
    sys.exit(report.exit_code)
