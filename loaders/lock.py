"""One load at a time on a graph: an exclusive lock on ``$KG_HOME/load.lock``.

The lock is the operating system's (``flock``): it is released when the process that holds it
ends, even when it is killed, so a crashed load never blocks the next one. The holder writes who
it is into the file, for the message the next load shows while it waits.

The lock belongs to ``KG_HOME``: loads into one external Neo4j server must share one ``KG_HOME``
(which also holds the load archive).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from core.errors import KgError

__all__ = ["LoadBusy", "load_lock"]


class LoadBusy(KgError):
    """Another load holds the lock and the caller chose not to wait (or waited too long)."""


@contextlib.contextmanager
def load_lock(
    home: Path,
    *,
    wait: float | None = None,
    on_wait: Callable[[str], None] | None = None,
    holder: str = "",
) -> Iterator[None]:
    """Hold the load lock of ``home`` for the ``with`` block.

    ``wait``: seconds to wait for another load to finish (None: as long as it takes, 0: not
    at all). ``on_wait`` is called once with the other holder's description before waiting.
    """
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = home / "load.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(fd, 4096, 0).decode("utf-8", errors="replace").strip()
            if wait == 0:
                raise LoadBusy(other or "another load") from None
            if on_wait is not None:
                on_wait(other or "another load")
            deadline = None if wait is None else time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if deadline is not None and time.monotonic() > deadline:
                        raise LoadBusy(other or "another load") from None
                    time.sleep(0.2)
        os.ftruncate(fd, 0)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        os.pwrite(fd, f"{holder} (pid {os.getpid()}, since {stamp})".strip().encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
