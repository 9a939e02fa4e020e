"""The audit log: one JSON line per request (``$KG_AUDIT_LOG``, default
``$KG_HOME/api/audit.log``, mode 0600), the API's and the explorer's alike.

* **Masked before it is written**: the whole record goes through :func:`core.masking.mask`
  (paths, parameters, strings and numbers, Cypher text, error messages): the log never holds
  a full id number or phone, whoever asked. Long strings are cut (a 100 kB search is logged
  as its first 500 characters and its length).
* **Appended whole**: each line is one ``write`` on a file opened with ``O_APPEND``, so the
  lines of several threads and gunicorn workers do not interleave.
* **Rotated by size**: past ``max_bytes`` the file becomes ``audit.log.1`` (``.1`` becomes
  ``.2``, …, ``keep`` files are kept), under a lock file, so that two workers do not both
  rotate (``KG_AUDIT_LOG_MAX_MB``, ``KG_AUDIT_LOG_KEEP``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.masking import mask

__all__ = ["MAX_TEXT", "AuditLog", "clip"]

log = logging.getLogger("kg.access")

#: strings longer than this are cut in the log
MAX_TEXT = 500
#: characters that end a line for some readers (str.splitlines) but that JSON leaves as they
#: are: written escaped, so that a record is always one line
_LINE_BREAKS = {ord(c): f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"}


def clip(value: Any, limit: int = MAX_TEXT) -> Any:
    """``value`` with every string longer than ``limit`` cut, saying how long it was."""
    if isinstance(value, str):
        return value if len(value) <= limit else f"{value[:limit]}…({len(value)} characters)"
    if isinstance(value, dict):
        return {clip(k, 100): clip(v, limit) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clip(v, limit) for v in value[:100]]
    return value


class AuditLog:
    def __init__(self, path: Path, max_bytes: int = 50 * 2**20, keep: int = 10) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.keep = keep
        self._warned = False
        self._private = False

    def write(self, record: dict[str, Any]) -> None:
        """Append ``record``, masked and clipped (a failure is logged once, never raised: the
        request has been answered)."""
        cypher = record.get("cypher")
        masked = mask(clip({k: v for k, v in record.items() if k != "cypher"}))
        if cypher is not None:
            masked["cypher"] = mask(clip(str(cypher), 2000))
        line = json.dumps(masked, ensure_ascii=False, default=str, separators=(",", ":"))
        line = line.translate(_LINE_BREAKS) + "\n"
        data = line.encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._rotate_if_full(len(data))
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                if not self._private:  # a log created before 0600 was the rule
                    os.fchmod(fd, 0o600)
                    self._private = True
                os.write(fd, data)
            finally:
                os.close(fd)
        except OSError as e:
            if not self._warned:
                log.error("cannot write the audit log %s: %s", self.path, e)
                self._warned = True

    def files(self) -> list[Path]:
        """The log and its rotated files that exist, newest first."""
        paths = [self.path] + [self._numbered(i) for i in range(1, self.keep + 1)]
        return [p for p in paths if p.exists()]

    def _numbered(self, i: int) -> Path:
        return self.path.with_name(f"{self.path.name}.{i}")

    def _size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def _rotate_if_full(self, incoming: int) -> None:
        if self._size() + incoming <= self.max_bytes or self._size() == 0:
            return
        with self._locked():
            if self._size() + incoming <= self.max_bytes:  # another worker was first
                return
            for i in range(self.keep - 1, 0, -1):
                with contextlib.suppress(FileNotFoundError):
                    os.replace(self._numbered(i), self._numbered(i + 1))
            with contextlib.suppress(FileNotFoundError):
                os.replace(self.path, self._numbered(1))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)
