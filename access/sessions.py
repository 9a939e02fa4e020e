"""The explorer's sessions, kept on the server (:class:`SessionStore`).

The signed cookie holds a random session id (256 bits); the store keeps only its SHA-256,
with the token it signed in with, when it began and when it was last used. A session ends,
for every worker at once, when

* its user signs out (``signout``), or signs in again (``rotated``: a new id each sign-in);
* its token is revoked (``revoked``: ``kg token revoke`` ends them, and every request checks
  the token anyway);
* it has not been used for ``idle`` seconds (``idle``, default 30 minutes) or began more than
  ``max_age`` seconds ago (``expired``, default 12 hours).

An ended session stays ended: its cookie, replayed, is refused. Records older than
``max_age`` past their end are deleted as new sessions begin. ``last_seen`` is written at
most once a minute (a tenth of ``idle`` if that is shorter), so the idle timeout is exact to
that.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from access.store import SqliteFile

__all__ = ["SessionRecord", "SessionStore"]


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SessionRecord:
    #: the session's public id (the first 12 hex digits of its hash), for logs and listings
    public_id: str
    token_id: str
    address: str | None
    created: float
    last_seen: float
    ended: float | None
    end_reason: str | None

    @property
    def active(self) -> bool:
        return self.ended is None


class SessionStore:
    """Sessions in the SQLite file ``path``; times from ``clock`` (seconds, ``time.time``)."""

    def __init__(
        self,
        path: Path,
        *,
        idle: float = 30 * 60,
        max_age: float = 12 * 3600,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.file = SqliteFile(path)
        self.idle = idle
        self.max_age = max_age
        self.clock = clock

    @property
    def path(self) -> Path:
        return self.file.path

    def create(self, token_id: str, address: str | None = None) -> tuple[str, SessionRecord]:
        """A new session of ``token_id``: (the id for the cookie, its record)."""
        sid = secrets.token_urlsafe(32)
        digest = _hash(sid)
        now = self.clock()
        record = SessionRecord(digest[:12], token_id, address, now, now, None, None)
        with self.file.transaction() as db:
            db.execute(
                "DELETE FROM sessions WHERE ended IS NOT NULL AND ended < ?",
                (now - self.max_age,),
            )
            db.execute(
                "DELETE FROM sessions WHERE ended IS NULL AND created < ?",
                (now - 2 * self.max_age,),
            )
            db.execute(
                "INSERT INTO sessions (sid_hash, public_id, token_id, address, created, "
                "last_seen) VALUES (?, ?, ?, ?, ?, ?)",
                (digest, record.public_id, token_id, address, now, now),
            )
        return sid, record

    def check(self, sid: str) -> SessionRecord | None:
        """The session of the cookie's ``sid``, ended now if it timed out (see ``active``);
        None when there is no such session. Marks it used."""
        digest = _hash(sid)
        now = self.clock()
        with self.file.transaction() as db:
            row = db.execute(
                "SELECT public_id, token_id, address, created, last_seen, ended, end_reason "
                "FROM sessions WHERE sid_hash = ?",
                (digest,),
            ).fetchone()
            if row is None:
                return None
            record = SessionRecord(*row)
            if record.ended is not None:
                return record
            reason = None
            if now - record.created > self.max_age:
                reason = "expired"
            elif now - record.last_seen > self.idle:
                reason = "idle"
            if reason is not None:
                db.execute(
                    "UPDATE sessions SET ended = ?, end_reason = ? WHERE sid_hash = ?",
                    (now, reason, digest),
                )
                return dataclasses.replace(record, ended=now, end_reason=reason)
            if now - record.last_seen >= min(60.0, self.idle / 10):
                db.execute("UPDATE sessions SET last_seen = ? WHERE sid_hash = ?", (now, digest))
                return dataclasses.replace(record, last_seen=now)
            return record

    def end(self, sid: str, reason: str = "signout") -> None:
        """End the session of ``sid`` (nothing happens if it has ended already)."""
        with self.file.transaction() as db:
            db.execute(
                "UPDATE sessions SET ended = ?, end_reason = ? WHERE sid_hash = ? "
                "AND ended IS NULL",
                (self.clock(), reason, _hash(sid)),
            )

    def end_token(self, token_id: str, reason: str = "revoked") -> int:
        """End every session of ``token_id``; how many were active."""
        with self.file.transaction() as db:
            cursor = db.execute(
                "UPDATE sessions SET ended = ?, end_reason = ? WHERE token_id = ? "
                "AND ended IS NULL",
                (self.clock(), reason, token_id),
            )
            return int(cursor.rowcount)

    def active(self) -> list[SessionRecord]:
        """The sessions not ended and not timed out, oldest first."""
        now = self.clock()
        with self.file.transaction() as db:
            rows = db.execute(
                "SELECT public_id, token_id, address, created, last_seen, ended, end_reason "
                "FROM sessions WHERE ended IS NULL AND created >= ? AND last_seen >= ? "
                "ORDER BY created",
                (now - self.max_age, now - self.idle),
            ).fetchall()
        return [SessionRecord(*row) for row in rows]
