"""Reading a dataset: a folder of CSV files or one ``.xlsx`` workbook, streamed row by row.

A source yields its header and then ``(row_number, cells)`` pairs where ``row_number`` is the
row as Excel shows it (the header is row 1) and blank rows are skipped. Nothing here knows
the contract's columns: :mod:`loaders.check` maps the headers.

Encodings: CSV files are checked as strict UTF-8 (with or without BOM) and read as GB18030
when that fails; generic charset guessers misread short Chinese files, this does not.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.contract import SPECS
from core.errors import DatasetError

__all__ = ["Source", "find_sources", "detect_encoding"]

_CHUNK = 1 << 20


def detect_encoding(path: Path) -> tuple[str, int, str]:
    """Return (``"utf-8-sig"`` or ``"gb18030"``, newline count, SHA-256 of the bytes)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    digest = hashlib.sha256()
    lines = 0
    ok = True
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            lines += chunk.count(b"\n")
            if ok:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    ok = False
        if ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                ok = False
    return ("utf-8-sig" if ok else "gb18030"), lines, digest.hexdigest()


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _blank(cells: list[Any] | tuple[Any, ...]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


@dataclass
class Source:
    """One contract file within a dataset: a CSV file or a worksheet."""

    stem: str
    path: Path
    sheet: str | None = None
    encoding: str | None = None
    #: an estimate of the data rows, for the progress bar
    total: int | None = None
    #: SHA-256 of the file's bytes (of the whole workbook for a sheet)
    digest: str = ""

    @property
    def label(self) -> str:
        """The name a clerk sees: ``persons.csv`` or ``data.xlsx[persons]``."""
        return f"{self.path.name}[{self.sheet}]" if self.sheet else self.path.name

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Yield (row number, cells); the first item is the header row."""
        if self.sheet is None:
            yield from self._csv_rows()
        else:
            yield from self._sheet_rows()

    def _csv_rows(self) -> Iterator[tuple[int, list[Any]]]:
        encoding = self.encoding or "utf-8-sig"
        try:
            with self.path.open("r", encoding=encoding, errors="strict", newline="") as fh:
                # A GB18030 file may start with a UTF-8 BOM-like sequence: not an issue, but
                # strip a BOM that survived an explicit --encoding utf-8.
                reader = csv.reader(fh)
                for number, cells in enumerate(reader, start=1):
                    if number == 1 and cells and cells[0].startswith("\ufeff"):
                        cells[0] = cells[0][1:]
                    if _blank(cells):
                        continue
                    yield number, [c if c.strip() else None for c in cells]
        except UnicodeDecodeError as e:
            raise DatasetError(
                f"{self.label}: cannot be read as {encoding} ({e.reason} at byte {e.start}). "
                "Try --encoding gb18030 or --encoding utf-8."
            ) from e
        except csv.Error as e:
            raise DatasetError(f"{self.label}: not a readable CSV file ({e})") from e

    def _sheet_rows(self) -> Iterator[tuple[int, list[Any]]]:
        import openpyxl

        wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        try:
            ws = wb[self.sheet]
            for row in ws.iter_rows():
                cells = [c.value for c in row]
                if _blank(cells):
                    continue
                number = next((c.row for c in row if getattr(c, "row", None)), None)
                if number is None:
                    continue
                yield number, [c.strip() if isinstance(c, str) else c for c in cells]
        finally:
            wb.close()


def _stem_for(name: str) -> str | None:
    lowered = name.strip().lower()
    for stem, spec in SPECS.items():
        if lowered == stem or name.strip() == spec.zh:
            return stem
    return None


def find_sources(path: Path, encoding: str | None = None) -> tuple[list[Source], list[str]]:
    """The contract files of a dataset, in loading order, and the names that were ignored."""
    if not path.exists():
        raise DatasetError(f"{path}: no such file or folder")
    sources: dict[str, Source] = {}
    ignored: list[str] = []
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.suffix.lower() != ".csv" or child.name.startswith("."):
                if child.is_file() and not child.name.startswith("."):
                    ignored.append(child.name)
                continue
            stem = _stem_for(child.stem)
            if stem is None:
                ignored.append(child.name)
                continue
            if stem in sources:
                raise DatasetError(
                    f"{path}: {sources[stem].label} 和 {child.name} 都是“{SPECS[stem].zh}”"
                    f"（{stem}）文件，请只保留一个 (two files of the same kind)"
                )
            detected, lines, digest = detect_encoding(child)
            sources[stem] = Source(
                stem, child, encoding=encoding or detected, total=max(lines - 1, 0), digest=digest
            )
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True)
        except Exception as e:  # openpyxl raises many kinds for a damaged file
            raise DatasetError(f"{path.name}: not a readable Excel workbook ({e})") from e
        digest = file_digest(path)
        try:
            for ws in wb.worksheets:
                stem = _stem_for(ws.title)
                if stem is None:
                    ignored.append(f"{path.name}[{ws.title}]")
                    continue
                if stem in sources:
                    raise DatasetError(
                        f"{path.name}: 工作表 {sources[stem].sheet} 和 {ws.title} 都是"
                        f"“{SPECS[stem].zh}”（{stem}），请只保留一个 (two sheets of the same kind)"
                    )
                total = (ws.max_row - 1) if ws.max_row else None
                sources[stem] = Source(stem, path, sheet=ws.title, total=total, digest=digest)
        finally:
            wb.close()
    elif path.suffix.lower() == ".csv":
        stem = _stem_for(path.stem)
        if stem is None:
            raise DatasetError(
                f"{path.name}: the file name must be one of the contract's: {', '.join(SPECS)}"
            )
        detected, lines, digest = detect_encoding(path)
        sources[stem] = Source(
            stem, path, encoding=encoding or detected, total=max(lines - 1, 0), digest=digest
        )
    else:
        raise DatasetError(f"{path.name}: give a dataset folder of CSV files or one .xlsx workbook")
    ordered = [sources[stem] for stem in SPECS if stem in sources]
    return ordered, ignored
