"""The small SQLite file the explorer's sessions and sign-in failures live in
(``$KG_HOME/api/sessions.sqlite3``, mode 0600, its folder 0700).

SQLite because every gunicorn worker must see the same sessions and the same count of
failed sign-ins, and it needs no server: writers take the file's lock in turn
(write-ahead log, a busy timeout of 10 s). A connection is opened per operation, so a store
object is safe to share between threads and survives gunicorn's fork.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from core.errors import ConfigError

__all__ = ["SCHEMA", "SqliteFile"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    sid_hash   TEXT PRIMARY KEY,
    public_id  TEXT NOT NULL,
    token_id   TEXT NOT NULL,
    address    TEXT,
    created    REAL NOT NULL,
    last_seen  REAL NOT NULL,
    ended      REAL,
    end_reason TEXT
);
CREATE INDEX IF NOT EXISTS sessions_by_token ON sessions (token_id);
CREATE TABLE IF NOT EXISTS signin_failures (
    address TEXT NOT NULL,
    at      REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS signin_failures_by_address ON signin_failures (address, at);
CREATE TABLE IF NOT EXISTS signin_locks (
    address TEXT PRIMARY KEY,
    until   REAL NOT NULL
);
"""


class SqliteFile:
    """One SQLite file with :data:`SCHEMA`, created private on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False
        self._lock = threading.Lock()

    def _prepare(self) -> None:
        with self._lock:
            if self._ready and self.path.exists():
                return
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                os.fchmod(fd, 0o600)
            finally:
                os.close(fd)
            with contextlib.closing(self._open()) as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(SCHEMA)
            self._ready = True

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 10000")
        return db

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A connection inside ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on error)."""
        try:
            self._prepare()
            db = self._open()
        except sqlite3.Error as e:
            raise ConfigError(f"cannot open the session store {self.path}: {e}") from e
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()
