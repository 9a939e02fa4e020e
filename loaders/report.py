"""What a load did, per file and in all: the numbers of the load report and of ``kg loads``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loaders.table import Notice

__all__ = ["FileReport", "LoadReport"]


@dataclass
class FileReport:
    stem: str
    source: str
    sha256: str = ""
    read: int = 0
    #: rows accepted: added, changed, unchanged or repeated
    loaded: int = 0
    rejected: int = 0
    duplicates: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    #: facts of the kind the file no longer holds, taken out of the graph
    retracted: int = 0
    #: facts the file no longer holds but that other facts still refer to: kept
    kept: int = 0
    seconds: float = 0.0
    unknown_columns: list[str] = field(default_factory=list)
    #: loaded | skipped (unchanged since its last complete load) | blocked (by the guard) |
    #: unreadable (a required column is missing)
    status: str = "loaded"
    #: for a blocked file: {"would_retract": n, "facts": total, "region": code or None}
    blocked: dict[str, Any] | None = None
    #: what the reader did to find the table (rows skipped above and below, cells normalised),
    #: and what it found wrong with it (loaders.table.Notice)
    layout: list[Notice] = field(default_factory=list)

    @property
    def skipped(self) -> bool:
        return self.status == "skipped"

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def counts(self) -> dict[str, Any]:
        """The file's entry in the load record (contract §4)."""
        return {
            "sha256": self.sha256,
            "read": self.read,
            "loaded": self.loaded,
            "rejected": self.rejected,
            "added": self.added,
            "changed": self.changed,
            "retracted": self.retracted,
            "unchanged": self.unchanged,
            "source": self.source,
            "status": self.status,
        }


@dataclass
class LoadReport:
    dataset: str
    #: the load's number (None for a dry run)
    load: int | None = None
    dry_run: bool = False
    files: list[FileReport] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    rejects_path: str | None = None
    seconds: float = 0.0
    #: earlier loads found interrupted (and recorded so) when this one started
    interrupted: list[int] = field(default_factory=list)
    #: worklist → {"appeared": n, "disappeared": n} (rows as of the load's day)
    worklists: dict[str, dict[str, int]] = field(default_factory=dict)
    #: seconds Neo4j's batch importer took (a first load into an empty graph), else None
    imported_seconds: float | None = None
    #: an interrupted batch import was cleared before this load (it starts again)
    recovered_import: bool = False
    #: --import-csv: the folder the importer's input was written to
    exported_to: str | None = None
    #: write transactions the driver ran again after a transient error (a deadlock): 0
    retried_transactions: int = 0

    def total(self, name: str) -> int:
        return sum(int(getattr(f, name)) for f in self.files)

    @property
    def read(self) -> int:
        return self.total("read")

    @property
    def loaded(self) -> int:
        return self.total("loaded")

    @property
    def rejected(self) -> int:
        return self.total("rejected")

    @property
    def exit_code(self) -> int:
        """0: every row loaded; 1: some rows rejected, a file blocked by the guard or facts
        kept because others refer to them; 2: nothing could be loaded."""
        if self.read and not self.loaded and not any(f.status == "blocked" for f in self.files):
            return 2
        if self.rejected or any(f.status == "blocked" or f.kept for f in self.files):
            return 1
        return 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "load": self.load,
            "dry_run": self.dry_run,
            "read": self.read,
            "loaded": self.loaded,
            "rejected": self.rejected,
            "added": self.total("added"),
            "changed": self.total("changed"),
            "retracted": self.total("retracted"),
            "unchanged": self.total("unchanged"),
            "seconds": round(self.seconds, 3),
            "rejects_file": self.rejects_path,
            "ignored": self.ignored,
            "interrupted_loads": self.interrupted,
            "worklists": self.worklists,
            "imported_seconds": self.imported_seconds,
            "recovered_import": self.recovered_import,
            "exported_to": self.exported_to,
            "retried_transactions": self.retried_transactions,
            "files": [
                {
                    "file": f.stem,
                    "source": f.source,
                    "status": f.status,
                    "read": f.read,
                    "loaded": f.loaded,
                    "rejected": f.rejected,
                    "duplicates": f.duplicates,
                    "added": f.added,
                    "changed": f.changed,
                    "unchanged": f.unchanged,
                    "retracted": f.retracted,
                    "kept": f.kept,
                    "blocked": f.blocked,
                    "seconds": round(f.seconds, 3),
                    "rows_per_second": round(f.rows_per_second, 1),
                    "unknown_columns": f.unknown_columns,
                    "layout": [
                        {"code": n.code, "level": n.level, "row": n.row, "message": n.text("zh")}
                        for n in f.layout
                    ],
                    "skipped_unchanged": f.skipped,
                }
                for f in self.files
            ],
        }
