"""``kg rebuild``: the graph as it was after load N, replayed from the archive into a new home.

Loads 1..N are replayed in order from the files they archived, with their own options, numbers
and days, into a separate ``KG_HOME`` with an embedded Neo4j of its own (on a free port, written
to ``DIR/bolt_port`` so that ``KG_HOME=DIR kg query ...`` finds it). The new home gets a copy of
the archive's records up to N, so ``kg loads`` and ``kg changes`` answer there as they did then.
Rebuilding to the last load gives the same graph as the live one: this is both the
disaster-recovery path and how to answer "what did the graph say after load N".

Loads that did not complete (interrupted or failed) are not replayed: what they wrote before
they stopped was converged on by the load after them, which is. The first load replayed goes
into an empty graph, so through Neo4j's batch importer, like any first load (the new home's
Neo4j is started when the replay first needs it: after the import, on the imported store).
"""

from __future__ import annotations

import datetime as dt
import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from core.settings import PORT_FILE, Settings
from graph.connection import driver_on_first_use, embedded_server
from graph.embedded.importer import BulkImport
from loaders.archive import Archive, ArchiveError, LoadRecord
from loaders.pipeline import Loader, LoadOptions
from loaders.rejects import RejectSink
from loaders.write import GraphWriter

__all__ = ["RebuildReport", "rebuild"]


@dataclass
class RebuildReport:
    into: Path
    port: int
    replayed: list[int] = field(default_factory=list)
    #: loads not replayed, with their status (interrupted, failed)
    skipped: dict[int, str] = field(default_factory=dict)
    exit_codes: dict[int, int] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dataset(archive: Archive, record: LoadRecord, folder: Path) -> Path:
    """Restore the files of a load into ``folder``; the path to load (folder or workbook)."""
    sheets = {s["name"] for s in record.sources.values() if s.get("sheet")}
    if sheets:
        name = sorted(sheets)[0]
        info = next(s for s in record.sources.values() if s["name"] == name)
        archive.restore(info["sha256"], folder / name)
        return folder / name
    for info in record.sources.values():
        archive.restore(info["sha256"], folder / info["name"])
    return folder


def rebuild(
    live: Settings,
    into: Path,
    to_load: int | None = None,
    *,
    progress: bool | None = False,
    echo: Callable[[str], None] = lambda _: None,
) -> RebuildReport:
    """Replay loads 1..``to_load`` (default: the last) of ``live``'s archive into ``into``."""
    archive = Archive(live.kg_home)
    numbers = archive.numbers()
    if not numbers:
        raise ArchiveError(f"{live.kg_home}: 还没有任何导入记录，无从重建 (no load to replay)")
    last = numbers[-1]
    upto = last if to_load is None else to_load
    if not 1 <= upto <= last:
        raise ArchiveError(f"--to-load {upto}: 只有第 1 至 {last} 次导入 (loads are 1..{last})")
    into = into.resolve()
    if into == live.kg_home.resolve():
        raise ArchiveError(f"{into}: 不能重建到当前的 KG_HOME (the live graph's own home)")
    if into.exists() and any(into.iterdir()):
        raise ArchiveError(f"{into}: 目标文件夹不是空的；请指定一个新文件夹 (not empty)")
    into.mkdir(parents=True, exist_ok=True, mode=0o700)
    port = _free_port()
    (into / PORT_FILE).write_text(f"{port}\n", encoding="ascii")
    target = replace(live, neo4j_uri=None, kg_home=into, bolt_port=port)
    report = RebuildReport(into, port)
    archive.copy_to(Archive(into), upto)
    server = embedded_server(target)
    # the first load replayed goes into an empty graph: through Neo4j's batch importer
    importer = BulkImport(server)
    try:
        with driver_on_first_use(target) as driver:
            for record in archive.records():
                if record.load > upto:
                    break
                if record.status != "complete":
                    report.skipped[record.load] = record.status
                    echo(f"第 {record.load} 次导入未完成（{record.status}），不重放")
                    continue
                echo(f"重放第 {record.load} 次导入：{record.path}")
                options = LoadOptions(**record.options)
                with tempfile.TemporaryDirectory(prefix="kg-rebuild-") as tmp:
                    path = _dataset(archive, record, Path(tmp))
                    rejects = into / "rejects" / f"rebuild-load-{record.load}.csv"
                    with RejectSink(rejects) as sink:
                        loader = Loader(
                            GraphWriter(driver, target.neo4j_database),
                            sink,
                            home=into,
                            options=replace(options, day=dt.date.fromisoformat(record.day)),
                            progress=progress,
                            bulk=importer,
                        )
                        loader.replaying = record
                        done = loader.load(path)
                report.replayed.append(record.load)
                report.exit_codes[record.load] = done.exit_code
    finally:
        server.stop()
    return report
