"""Sign-in throttling per address (:class:`SigninThrottle`), in the store the workers share.

After ``max_failures`` failed sign-ins from one address within ``window`` seconds (default
10 in 10 minutes), that address is refused for ``window`` seconds: the sign-in page answers
429 with ``Retry-After``, right tokens included (otherwise guessing would simply go on). A
successful sign-in clears the address's failures. The address is the client's as Flask sees
it: behind a proxy, run ``kg serve --behind-proxy`` so that it is the client's, not the
proxy's.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

from access.store import SqliteFile

__all__ = ["SigninThrottle"]


class SigninThrottle:
    def __init__(
        self,
        path: Path,
        *,
        max_failures: int = 10,
        window: float = 600,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.file = SqliteFile(path)
        self.max_failures = max_failures
        self.window = window
        self.clock = clock

    def retry_after(self, address: str) -> int | None:
        """Seconds until ``address`` may try again, or None when it may now."""
        now = self.clock()
        with self.file.transaction() as db:
            row = db.execute(
                "SELECT until FROM signin_locks WHERE address = ?", (address,)
            ).fetchone()
            if row is None:
                return None
            if row[0] <= now:
                db.execute("DELETE FROM signin_locks WHERE address = ?", (address,))
                return None
            return max(1, math.ceil(row[0] - now))

    def failed(self, address: str) -> int | None:
        """Count a failed sign-in; the seconds of the refusal if it starts now, else None."""
        now = self.clock()
        with self.file.transaction() as db:
            db.execute("DELETE FROM signin_failures WHERE at < ?", (now - self.window,))
            db.execute("INSERT INTO signin_failures (address, at) VALUES (?, ?)", (address, now))
            (count,) = db.execute(
                "SELECT count(*) FROM signin_failures WHERE address = ?", (address,)
            ).fetchone()
            if count < self.max_failures:
                return None
            db.execute("DELETE FROM signin_failures WHERE address = ?", (address,))
            db.execute(
                "INSERT INTO signin_locks (address, until) VALUES (?, ?) "
                "ON CONFLICT (address) DO UPDATE SET until = excluded.until",
                (address, now + self.window),
            )
            return math.ceil(self.window)

    def succeeded(self, address: str) -> None:
        """Forget the failures of ``address``."""
        with self.file.transaction() as db:
            db.execute("DELETE FROM signin_failures WHERE address = ?", (address,))
