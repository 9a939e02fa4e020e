"""The reject file: one line per problem, as a CSV that Excel opens (UTF-8 with BOM)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from loaders.check import Reject

__all__ = ["RejectSink"]

HEADERS = {
    "zh": ["文件", "行", "列", "列名", "问题", "原始内容"],
    "en": ["file", "row", "column", "header", "problem", "original cells"],
}


class RejectSink:
    """Writes rejects to ``path`` as they come; counts them."""

    def __init__(self, path: Path, lang: str = "zh"):
        self.path = path
        self.lang = lang
        self.count = 0
        self.first: list[str] = []
        self._fh: IO[str] | None = None
        self._writer: Any = None

    def add(self, rejects: Iterable[Reject]) -> None:
        for r in rejects:
            if self._writer is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = self.path.open("w", encoding="utf-8-sig", newline="")
                self._writer = csv.writer(self._fh)
                self._writer.writerow(HEADERS[self.lang])
            raw = "" if r.raw is None else " | ".join("" if c is None else str(c) for c in r.raw)
            self._writer.writerow(
                [r.source, r.row or "", r.letter or "", r.header or "", r.text(self.lang), raw]
            )
            self.count += 1
            if len(self.first) < 20:
                self.first.append(f"{r.location(self.lang)}: {r.text(self.lang)}")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> RejectSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
