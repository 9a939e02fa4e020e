"""Neo4j's own batch importer run against the embedded store (``neo4j-admin database import``).

The importer (``neo4j-import-tool``, among the jars ``make setup`` fetches) writes a new store
from CSV files offline, an order of magnitude faster than transactions. It needs the database
stopped: :meth:`BulkImport.run` stops the embedded Neo4j if it runs, imports into its ``neo4j``
database (the ``system`` database, with the password, is left alone), and starts it on the new
store. A first load into a home where Neo4j never ran (:meth:`EmbeddedNeo4j.known_empty`) does
not start it before: the first start is on the imported store.

A marker file (``$KG_HOME/neo4j/import.pending``) is written before the importer starts and
removed once Neo4j runs on the new store. While it exists the store may be half written:
:meth:`EmbeddedNeo4j.start` refuses to start on it, and :meth:`BulkImport.recover` — called by
the next ``kg load`` — deletes the half-written database (it was empty before the import, so
nothing is lost) so the import can start again from scratch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from core.errors import EmbeddedNeo4jError
from graph.embedded.manager import JVM_UMASK, LIB_DIR, EmbeddedNeo4j, ensure_built

__all__ = ["BulkImport", "import_command"]

MAIN = "org.neo4j.cli.AdminTool"


def import_command(
    nodes: Sequence[tuple[str, Path]],
    relationships: Sequence[tuple[str, Path]],
    *,
    database: str = "neo4j",
    program: Sequence[str] = ("neo4j-admin",),
    report_file: Path | None = None,
) -> list[str]:
    """The ``neo4j-admin database import full`` command line for these files.

    ``nodes``: (labels, file), ``relationships``: (type, file); ``program`` is ``neo4j-admin``
    of a Neo4j installation, or the Java command line of the embedded one; ``report_file``:
    where the importer reports bad entries (by default ``import.report`` in the current
    directory).
    """
    return [
        *program,
        "database",
        "import",
        "full",
        *[f"--nodes={labels}={path}" for labels, path in nodes],
        *[f"--relationships={kind}={path}" for kind, path in relationships],
        "--ignore-empty-strings=true",
        "--multiline-fields=true",
        "--overwrite-destination=true",
        "--skip-duplicate-nodes=false",
        "--skip-bad-relationships=false",
        *([f"--report-file={report_file}"] if report_file is not None else []),
        database,
    ]


class BulkImport:
    """Runs the importer for the embedded Neo4j ``server`` (which it stops and restarts)."""

    def __init__(self, server: EmbeddedNeo4j) -> None:
        self.server = server
        self.marker = server.import_marker
        self.conf_dir = server.home / "import-conf"
        self.log_file = server.home / "logs" / "import.log"

    def recover(self) -> bool:
        """If an import was interrupted, delete the half-written database; True if it did."""
        if not self.marker.exists():
            return False
        self.server.stop()
        data = self.server.neo4j_home / "data"
        for folder in (self.server.store, data / "transactions" / "neo4j"):
            shutil.rmtree(folder, ignore_errors=True)
        self.marker.unlink(missing_ok=True)
        return True

    def known_empty(self) -> bool:
        """Whether the graph is known to be empty without starting Neo4j (see
        :meth:`EmbeddedNeo4j.known_empty`)."""
        return self.server.known_empty()

    def run(
        self,
        nodes: Sequence[tuple[str, Path]],
        relationships: Sequence[tuple[str, Path]],
        *,
        heap: str | None = None,
    ) -> float:
        """Import the files into a new store; return the seconds the importer took."""
        ensure_built()
        self.conf_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = self.server.neo4j_home / "data"
        (self.conf_dir / "neo4j.conf").write_text(
            f"server.directories.data={data}\n", encoding="utf-8"
        )
        java = [
            shutil.which("java") or "java",
            f"-Xmx{heap or self.server.heap}",
            "-cp",
            str(LIB_DIR / "*"),
            MAIN,
        ]
        # the importer's report beside its log, not in the directory kg was started from
        report = self.log_file.with_name("import.report")
        command = import_command(nodes, relationships, program=java, report_file=report)
        env = {
            **os.environ,
            "NEO4J_HOME": str(self.server.neo4j_home),
            "NEO4J_CONF": str(self.conf_dir),
        }
        self.server.stop()
        # a home where Neo4j never ran has no Neo4j home yet
        self.server.neo4j_home.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.marker.write_text(f"import started {time.strftime('%Y-%m-%dT%H:%M:%S')}\n")
        self.log_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        started = time.perf_counter()
        with self.log_file.open("wb") as log:
            done = subprocess.run(
                command, env=env, cwd=self.conf_dir, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, check=False, umask=JVM_UMASK,
            )  # fmt: skip
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            tail = self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
            raise EmbeddedNeo4jError(
                f"Neo4j's importer failed (exit code {done.returncode}); the database was empty "
                f"and stays so after `kg load` starts again. Last lines of {self.log_file}:\n"
                + "\n".join(tail)
            )
        self.server.start(allow_pending_import=True)
        self.marker.unlink(missing_ok=True)
        return seconds
