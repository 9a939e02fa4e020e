"""The load archive under ``$KG_HOME/archive``: every loaded file, every load's record.

Nothing a ledger said is lost (contract §4): each file a load reads is kept compressed, once per
content, and each load leaves a record — when it ran, on what, with which options, what it did
per file — plus the list of facts it added, changed and retracted and the worklist rows that
appeared or disappeared with it. ``kg loads``, ``kg changes`` and ``kg rebuild`` read only this
folder (and ``kg changes`` the graph for where facts lie)::

    archive/files/<sha256>.xz           the bytes of a loaded file (a CSV file or a workbook), xz
    archive/loads/000001.json           the record of load 1 (see :class:`LoadRecord`)
    archive/loads/000001.changes.jsonl.gz   its facts added / changed / retracted, a line each
    archive/loads/000001.worklists.json.gz  worklist rows that appeared / disappeared with it

Records are written atomically (a temporary file renamed); folders are 0700 and files 0600,
since the ledgers hold personal data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import json
import lzma
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from core.errors import KgError

__all__ = ["Archive", "ArchiveError", "ChangeLog", "LoadRecord"]

COUNTS = ("read", "loaded", "rejected", "added", "changed", "retracted", "unchanged")


class ArchiveError(KgError):
    """The archive is missing a file or record it should hold, or cannot be written."""


def now() -> str:
    """The current time as the records write it (ISO 8601, seconds, with the offset)."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class LoadRecord:
    """What ``kg loads`` lists for a load, and what ``kg rebuild`` needs to replay it."""

    load: int
    started_at: str
    path: str
    day: str
    options: dict[str, Any]
    finished_at: str | None = None
    #: running | complete | interrupted | failed
    status: str = "running"
    exit_code: int | None = None
    #: stem → {"sha256", "read", "loaded", "rejected", "added", "changed", "retracted",
    #: "unchanged", "source", "status"}
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: stem → {"name", "sheet", "encoding", "sha256"}: the archived file to replay it from
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    note: str | None = None

    def public(self) -> dict[str, Any]:
        """The record as ``kg loads --format json`` and ``/api/loads`` show it."""
        return {
            "load": self.load,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "path": self.path,
            "status": self.status,
            "files": {
                stem: {k: f.get(k) for k in ("sha256", *COUNTS)} for stem, f in self.files.items()
            },
        }


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        path.chmod(0o700)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class ChangeLog:
    """The facts a load changed, appended as it commits them (JSON lines, gzip)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._raw: IO[bytes] | None = None
        self._fh: gzip.GzipFile | None = None

    def add(self, entries: Iterable[dict[str, Any]]) -> None:
        lines = [json.dumps(e, ensure_ascii=False, default=str) for e in entries]
        if not lines:
            return
        if self._fh is None:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._raw = os.fdopen(fd, "ab")
            self._fh = gzip.GzipFile(fileobj=self._raw, mode="ab", compresslevel=6)
        self._fh.write(("\n".join(lines) + "\n").encode("utf-8"))
        self._fh.flush()  # a sync flush: what is committed is readable if the load dies
        self.count += len(lines)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self._raw is not None:
            self._raw.close()
            self._raw = None


class Archive:
    """The archive of one ``KG_HOME``."""

    def __init__(self, home: Path) -> None:
        self.root = Path(home) / "archive"
        self.files_dir = self.root / "files"
        self.loads_dir = self.root / "loads"

    def ensure(self) -> None:
        for folder in (self.root, self.files_dir, self.loads_dir):
            _private_dir(folder)

    # -- files -----------------------------------------------------------------------------
    def blob(self, sha256: str) -> Path:
        return self.files_dir / f"{sha256}.xz"

    def keep(self, path: Path, sha256: str) -> None:
        """Keep the file's bytes (whose SHA-256 is ``sha256``), unless already kept."""
        target = self.blob(sha256)
        if target.exists():
            return
        self.ensure()
        fd, tmp = tempfile.mkstemp(dir=self.files_dir, prefix=".keep-", suffix=".tmp")
        digest = hashlib.sha256()
        try:
            os.fchmod(fd, 0o600)
            # xz at its fastest preset: ledgers (ids, id numbers, phones) shrink to about a
            # quarter, 10 % smaller than gzip's best, in about twice gzip's time.
            with (
                os.fdopen(fd, "wb") as raw,
                lzma.LZMAFile(raw, mode="wb", preset=1) as out,
                path.open("rb") as src,
            ):
                while chunk := src.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha256:
                raise ArchiveError(f"{path} changed while it was being loaded; load it again")
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def restore(self, sha256: str, target: Path) -> None:
        """Write the kept bytes of ``sha256`` to ``target``."""
        source = self.blob(sha256)
        if not source.exists():
            raise ArchiveError(f"the archive has no file {sha256} ({source} is missing)")
        with lzma.open(source, "rb") as src, target.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)

    # -- records ---------------------------------------------------------------------------
    def _record_path(self, load: int) -> Path:
        return self.loads_dir / f"{load:06d}.json"

    def changes_path(self, load: int) -> Path:
        return self.loads_dir / f"{load:06d}.changes.jsonl.gz"

    def worklists_path(self, load: int) -> Path:
        return self.loads_dir / f"{load:06d}.worklists.json.gz"

    def numbers(self) -> list[int]:
        if not self.loads_dir.is_dir():
            return []
        found = []
        for p in self.loads_dir.glob("[0-9]*.json"):
            with contextlib.suppress(ValueError):
                found.append(int(p.stem))
        return sorted(found)

    def next_number(self) -> int:
        numbers = self.numbers()
        return numbers[-1] + 1 if numbers else 1

    def save(self, record: LoadRecord) -> None:
        self.ensure()
        text = json.dumps(asdict(record), ensure_ascii=False, indent=1, sort_keys=True)
        _write_atomic(self._record_path(record.load), text.encode("utf-8"))

    def record(self, load: int) -> LoadRecord:
        path = self._record_path(load)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ArchiveError(f"there is no load {load} (no {path})") from None
        except (OSError, ValueError) as e:
            raise ArchiveError(f"the record of load {load} cannot be read ({path}): {e}") from e
        return LoadRecord(**data)

    def records(self) -> list[LoadRecord]:
        return [self.record(n) for n in self.numbers()]

    def change_log(self, load: int) -> ChangeLog:
        self.ensure()
        return ChangeLog(self.changes_path(load))

    def changes(self, load: int) -> Iterator[dict[str, Any]]:
        """The fact changes load ``load`` recorded (those of an interrupted load up to where it
        stopped)."""
        path = self.changes_path(load)
        if not path.exists():
            return
        with gzip.open(path, "rt", encoding="utf-8") as f:
            try:
                for line in f:
                    if line.strip():
                        yield json.loads(line)
            except (EOFError, gzip.BadGzipFile, ValueError):
                return  # the tail written when a load was killed

    def rewrite_changes(self, load: int, entries: Iterable[dict[str, Any]]) -> None:
        """Replace the change list of ``load`` (after checking an interrupted load's list
        against the graph)."""
        lines = "".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in entries)
        _write_atomic(self.changes_path(load), gzip.compress(lines.encode("utf-8"), mtime=0))

    def save_worklists(self, load: int, worklists: dict[str, Any]) -> None:
        self.ensure()
        data = json.dumps(worklists, ensure_ascii=False, default=str).encode("utf-8")
        _write_atomic(self.worklists_path(load), gzip.compress(data, mtime=0))

    def worklists(self, load: int) -> dict[str, Any] | None:
        path = self.worklists_path(load)
        if not path.exists():
            return None
        return json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))

    def mark_interrupted(self) -> list[int]:
        """Records still ``running`` (their load died: killed, or the machine stopped) become
        ``interrupted``. Call with the load lock held. Returns their numbers."""
        marked = []
        for record in self.records():
            if record.status == "running":
                record.status = "interrupted"
                record.note = (
                    "the load stopped before it ended (killed or the machine stopped); what it "
                    "wrote before is in the graph, and its list of changes ends where it stopped"
                )
                self.save(record)
                marked.append(record.load)
        return marked

    def copy_to(self, other: Archive, upto: int) -> None:
        """Copy the records of loads 1..``upto`` and the files they read into ``other``."""
        other.ensure()
        for n in self.numbers():
            if n > upto:
                break
            record = self.record(n)
            other.save(record)
            for path in (self.changes_path(n), self.worklists_path(n)):
                if path.exists():
                    shutil.copy2(path, other.loads_dir / path.name)
            for source in record.sources.values():
                blob = self.blob(source["sha256"])
                if blob.exists() and not other.blob(source["sha256"]).exists():
                    shutil.copy2(blob, other.blob(source["sha256"]))
