"""CsvSink: the 15 contract files open for streaming, with row counters for progress."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from generator.contract import FILES

__all__ = ["CsvSink", "T", "F"]

#: Boolean cells as the contract writes them.
T, F = "true", "false"


class CsvSink:
    """Writes rows to ``<out>/<file>.csv`` (UTF-8, ``\\n`` line ends, English headers).

    ``emitter(name)`` returns a fast ``emit(row)`` callable for one file; ``None`` cells are
    written empty and ``datetime.date`` cells as ``YYYY-MM-DD``. Booleans must be passed as
    :data:`T` / :data:`F`.
    """

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.counts: dict[str, int] = {name: 0 for name in FILES}
        self._files = {}
        self._writers = {}
        for name, columns in FILES.items():
            fh = (out / f"{name}.csv").open("w", encoding="utf-8", newline="", buffering=1 << 20)
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            self._files[name] = fh
            self._writers[name] = writer

    def emitter(self, name: str) -> Callable[[Sequence[Any]], None]:
        writerow = self._writers[name].writerow
        counts = self.counts
        width = len(FILES[name])

        def emit(row: Sequence[Any]) -> None:
            if len(row) != width:  # a programming error, never data-dependent
                raise ValueError(f"{name}: {len(row)} cells for {width} columns: {row!r}")
            counts[name] += 1
            writerow(row)

        return emit

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()

    def __enter__(self) -> CsvSink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
