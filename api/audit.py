"""The audit log: one JSON line per request (``$KG_AUDIT_LOG``, default
``$KG_HOME/api/audit.log``, mode 0600).

Each line is written with a single ``write`` on a file opened with ``O_APPEND``, so lines of
several threads and of several gunicorn workers do not interleave. Parameters are masked
(:mod:`core.masking`) whoever asked.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

__all__ = ["AuditLog"]

log = logging.getLogger("kg.api")


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._warned = False

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, default=str, separators=(",", ":")) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        except OSError as e:  # the request has been answered; say it once, loudly
            if not self._warned:
                log.error("cannot write the audit log %s: %s", self.path, e)
                self._warned = True
