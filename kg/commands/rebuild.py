"""``kg rebuild``: the graph after load N, replayed from the archive into a new KG_HOME."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from core.errors import KgError
from core.settings import Settings
from loaders.rebuild import rebuild as replay

__all__ = ["rebuild"]


@click.command()
@click.option(
    "--to-load",
    "to_load",
    type=click.IntRange(min=1),
    default=None,
    help="Replay loads 1..N (default: every load).",
)
@click.option(
    "--into",
    "into",
    type=click.Path(path_type=Path),
    required=True,
    help="A new, empty folder: it becomes the KG_HOME of the rebuilt graph.",
)
@click.option("--progress/--no-progress", default=None, help="A progress bar per file.")
def rebuild(to_load: int | None, into: Path, progress: bool | None) -> None:
    """Replay loads 1..N from the archive into a new, separate graph under DIR.

    DIR gets its own embedded Neo4j (on a free port, recorded in DIR/bolt_port) and a copy of
    the load history up to N; afterwards `KG_HOME=DIR kg query ...` answers as the graph did
    after load N. Rebuilding to the last load gives the same graph as the live one. Loads that
    did not complete are not replayed. The live graph is not touched.
    """
    try:
        report = replay(Settings.from_env(), into, to_load, progress=progress, echo=click.echo)
    except KgError as e:
        click.echo(f"kg rebuild: {e}", err=True)
        sys.exit(2)
    click.echo(
        f"已重建到第 {report.replayed[-1] if report.replayed else 0} 次导入：{report.into}"
        f"（Neo4j 端口 {report.port}，已停止；用 KG_HOME={report.into} kg query … 查询）"
    )
    sys.exit(1 if any(report.exit_codes.values()) else 0)
