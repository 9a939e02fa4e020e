"""``kg loads``: the numbered history of the loads into this graph (contract §4)."""

from __future__ import annotations

import json
import sys

import click

from core.errors import KgError
from core.settings import Settings, language
from loaders.archive import Archive
from queries.export import text_table

__all__ = ["loads"]

HEADERS = {
    "zh": ("次", "开始", "结束", "状态", "文件", "读取", "拒绝", "新增", "修改", "删除", "路径"),
    "en": (
        "load",
        "started",
        "finished",
        "status",
        "files",
        "read",
        "rejected",
        "added",
        "changed",
        "retracted",
        "path",
    ),
}
STATUS = {
    "zh": {"complete": "完成", "running": "进行中", "interrupted": "中断", "failed": "失败"},
    "en": {},
}


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table"]),
    default="table",
    show_default=True,
    help='JSON: a list of {"load", "started_at", "finished_at", "path", "status", "files": '
    '{stem: {"sha256", "read", "loaded", "rejected", "added", "changed", "retracted", '
    '"unchanged"}}}; or a table.',
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Table language.")
def loads(fmt: str, lang: str | None) -> None:
    """List the loads into this graph: number, when, what, and what each did per file.

    Read from the archive under $KG_HOME/archive, which keeps every loaded file.
    """
    lang = lang or language()
    try:
        records = Archive(Settings.from_env().kg_home).records()
    except KgError as e:
        click.echo(f"kg loads: {e}", err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(json.dumps([r.public() for r in records], ensure_ascii=False, indent=2))
        return
    rows = []
    for r in records:
        files = r.files.values()
        rows.append(
            (
                r.load,
                r.started_at.replace("T", " ")[:19],
                (r.finished_at or "").replace("T", " ")[:19],
                STATUS[lang].get(r.status, r.status),
                len(r.files),
                sum(f.get("read", 0) for f in files),
                sum(f.get("rejected", 0) for f in files),
                sum(f.get("added", 0) for f in files),
                sum(f.get("changed", 0) for f in files),
                sum(f.get("retracted", 0) for f in files),
                r.path,
            )
        )
    if not rows:
        click.echo("还没有任何导入记录。" if lang == "zh" else "No load has been recorded yet.")
        return
    click.echo(text_table(HEADERS[lang], rows, right=0))
