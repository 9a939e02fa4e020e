"""Reading a dataset: a folder of CSV files or one ``.xlsx`` workbook, streamed row by row.

:func:`find_sources` finds the contract files of a dataset: a CSV file or a sheet whose name
is a contract stem or its Chinese name, also with spaces, a year (``贫困户（2020）``,
``2020年人员``) or a suffix such as 台账/信息表 around it. Other sheets (说明, 封面) and files are
listed as ignored. A name that more than one visible sheet (or file) stands for is an error
that lists them (:class:`SourceError`); a hidden sheet is read only when no visible sheet has
the name.

A :class:`Source` yields its header and then ``(row_number, cells)`` pairs where
``row_number`` is the row as Excel shows it and blank rows are skipped. The table is found on
the sheet as clerks lay it out (:mod:`loaders.table`: title rows, multi-row headers, total and
signature rows below, merged cells, full-width text); ``Source.layout`` says what was done.
The header row handed on names the contract columns with the contract's own header texts, so
that :mod:`loaders.check` maps them as it maps a plain header.

Workbooks are read with openpyxl's streaming worksheet parser: cached values of formulas
(a formula without one, or an error value such as ``#N/A``, becomes a
:class:`loaders.cells.Unreadable` that validation rejects); images, charts and drawings are
not read.

Encodings: CSV files are checked as strict UTF-8 (with or without BOM) and read as GB18030
when that fails; generic charset guessers misread short Chinese files, this does not.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from core.contract import SPECS
from core.errors import DatasetError
from loaders.cells import Unreadable
from loaders.messages import message
from loaders.table import Layout, Notice, read_table

__all__ = [
    "Layout",
    "Notice",
    "Source",
    "SourceError",
    "detect_encoding",
    "find_sources",
    "stem_for",
]

_CHUNK = 1 << 20


class SourceError(DatasetError):
    """A dataset whose files cannot be told apart: ``code`` and ``ctx`` are a message of
    :data:`loaders.messages.MESSAGES` (``str()`` is the Chinese text, :meth:`text` either)."""

    def __init__(self, code: str, **ctx: Any):
        self.code = code
        self.ctx = ctx
        super().__init__(message(code, "zh", **ctx))

    def text(self, lang: str) -> str:
        return message(self.code, lang, **self.ctx)


def detect_encoding(path: Path) -> tuple[str, int, str, bool]:
    """Return (``"utf-8-sig"`` or ``"gb18030"``, newline count, SHA-256 of the bytes, whether
    every byte is ASCII)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    digest = hashlib.sha256()
    lines = 0
    ok = True
    ascii_only = True
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            lines += chunk.count(b"\n")
            if ascii_only and not chunk.isascii():
                ascii_only = False
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
    return ("utf-8-sig" if ok else "gb18030"), lines, digest.hexdigest(), ascii_only


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# -- workbooks -----------------------------------------------------------------------------------
class _SheetParser(WorkSheetParser):
    """openpyxl's streaming parser of a worksheet's XML, telling a formula without a cached
    value (``<f>`` and no ``<v>``) and an error value from an empty cell, and ignoring what
    the loader has no use for (conditional formats and extensions, which only warn)."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        value = cell["value"]
        if value is None:
            formula = element.find(FORMULA_TAG)
            # t="str" with an empty <v>: a formula whose saved result is the empty text
            if formula is not None and element.get("t") != "str":
                text = "=" + (formula.text or "")
                cell["value"] = Unreadable("formula_no_value", text, formula=text)
        elif cell["data_type"] == "e":
            cell["value"] = Unreadable("cell_error", str(value), value=str(value))
        elif value.__class__ is str:
            cell["value"] = value.strip() or None
        return cell

    def parse_formatting(self, element: Any) -> None:
        pass

    def parse_extensions(self, element: Any) -> None:
        pass


_MERGE_START = re.compile(rb"<(?:\w+:)?mergeCells[\s>/]")
_MERGE_END = re.compile(rb"</(?:\w+:)?mergeCells>")
_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+)(\d+):([A-Z]+)(\d+)\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _merged_ranges(archive: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges ``(min_col, min_row, max_col, max_row)`` of a worksheet part.

    They are listed after the cells in the XML, and the rows need them as they stream: the
    part is inflated once beforehand and only its ``<mergeCells>`` element is parsed.
    """
    found = bytearray()
    tail = b""
    with archive.open(part) as src:
        while chunk := src.read(_CHUNK):
            data = tail + chunk
            if not found:
                m = _MERGE_START.search(data)
                if m is None:
                    tail = data[-64:]
                    continue
                data = data[m.start() :]
            found += data
            if _MERGE_END.search(found):
                break
            tail = b""
    ranges = []
    for a, b, c, d in _MERGE_CELL.findall(bytes(found)):
        ranges.append((_column_number(a), int(b), _column_number(c), int(d)))
    return ranges


def _open_workbook(path: Path) -> Any:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it does not read (styles, extensions): not the clerk's
            # concern.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise DatasetError(f"{path.name}: not a readable Excel workbook ({e})") from e


def _sheet_rows(wb: Any, ws: Any, label: str) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of the non-blank rows of a read-only worksheet."""
    # The workbook's own read-only rows (ReadOnlyWorksheet) would lose formulas without a
    # value; the parser they use is fed here the same way.
    with wb._archive.open(ws._worksheet_path) as src:
        parser = _SheetParser(
            src,
            wb.shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        parsed = parser.parse()
        while True:
            try:
                number, cells = next(parsed)
            except StopIteration:
                return
            except (ParseError, zipfile.BadZipFile, zlib.error, KeyError, ValueError) as e:
                raise DatasetError(f"{label}: the worksheet cannot be read ({e})") from e
            if not cells:
                continue
            values: list[Any] = [None] * max(c["column"] for c in cells)
            empty = True
            for c in cells:
                value = c["value"]
                if value is not None:
                    values[c["column"] - 1] = value
                    empty = False
            if not empty:
                yield number, values


# -- sources -------------------------------------------------------------------------------------
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
    #: the sheet is hidden in its workbook
    hidden: bool = False
    #: normalise the cells' text (NFKC by column kind); off only to measure what it costs
    normalise: bool = True
    #: a CSV file whose bytes are all ASCII: no cell of it can need normalising
    ascii: bool = False
    #: what the reader found and did, filled in by :meth:`rows` (``loaders.table.Layout``)
    layout: Layout = field(default_factory=Layout)

    def __post_init__(self) -> None:
        self.layout.hidden = self.hidden

    @property
    def label(self) -> str:
        """The name a clerk sees: ``persons.csv`` or ``data.xlsx[persons]``."""
        return f"{self.path.name}[{self.sheet}]" if self.sheet else self.path.name

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cells), one row after the other; the first item is the header row.

        ``layout`` is renewed for each reading: its header fields are set when the header has
        been yielded, the rest when the rows have been read to the end.
        """
        self.layout = Layout(hidden=self.hidden)
        if self.sheet is None:
            return read_table(
                self._csv_rows(),
                self.stem,
                self.layout,
                normalise_cells=self.normalise and not self.ascii,
            )
        return self._workbook_rows()

    def _csv_rows(self) -> Iterator[tuple[int, list[Any]]]:
        encoding = self.encoding or "utf-8-sig"
        try:
            with self.path.open("r", encoding=encoding, errors="strict", newline="") as fh:
                reader = csv.reader(fh)
                for number, cells in enumerate(reader, start=1):
                    # A BOM that survived an explicit --encoding utf-8.
                    if number == 1 and cells and cells[0].startswith("\ufeff"):
                        cells[0] = cells[0][1:]
                    values = [c if c.strip() else None for c in cells]
                    if values.count(None) < len(values):  # not a blank row
                        yield number, values
        except UnicodeDecodeError as e:
            raise DatasetError(
                f"{self.label}: cannot be read as {encoding} ({e.reason} at byte {e.start}). "
                "Try --encoding gb18030 or --encoding utf-8."
            ) from e
        except csv.Error as e:
            raise DatasetError(f"{self.label}: not a readable CSV file ({e})") from e

    def _workbook_rows(self) -> Iterator[tuple[int, list[Any]]]:
        wb = _open_workbook(self.path)
        try:
            ws = wb[self.sheet]
            try:
                merges = _merged_ranges(wb._archive, ws._worksheet_path)
            except (zipfile.BadZipFile, zlib.error, KeyError) as e:
                raise DatasetError(f"{self.label}: the worksheet cannot be read ({e})") from e
            yield from read_table(
                _sheet_rows(wb, ws, self.label),
                self.stem,
                self.layout,
                merges=merges,
                normalise_cells=self.normalise,
            )
        finally:
            wb.close()


# -- names ---------------------------------------------------------------------------------------
_YEAR_BEFORE = re.compile(r"^(?:19|20)\d{2}(?:年度|年)?[-_.]?")
_YEAR_AFTER = re.compile(r"[-_.]?[(\[【]?(?:19|20)\d{2}(?:年度|年)?[)\]】]?$")
_SUFFIXES = ("台账", "信息表", "明细表", "花名册", "名单", "信息", "表")


def _name_key(name: str) -> str:
    key = "".join(unicodedata.normalize("NFKC", name).lower().split())
    key = _YEAR_AFTER.sub("", _YEAR_BEFORE.sub("", key))
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    return key.replace("_", "").replace("-", "")


_NAME_KEYS: dict[str, str] = {}
for _stem, _spec in SPECS.items():
    _NAME_KEYS[_name_key(_stem)] = _stem
    _NAME_KEYS[_name_key(_spec.zh)] = _stem


def stem_for(name: str) -> str | None:
    """The contract stem a file or sheet name stands for (``persons``, ``人员``, `` 人员 ``,
    ``人员（2020）``, ``2020年人员台账``), or None."""
    lowered = name.strip().lower()
    for stem, spec in SPECS.items():
        if lowered == stem or name.strip() == spec.zh:
            return stem
    return _NAME_KEYS.get(_name_key(name))


def _choose(
    dataset: str, candidates: dict[str, list[Source]], ignored: list[str]
) -> dict[str, Source]:
    """One source per stem: the only visible one, else the only hidden one."""
    chosen: dict[str, Source] = {}
    for stem, found in candidates.items():
        visible = [s for s in found if not s.hidden]
        pool = visible or found
        if len(pool) > 1:
            raise SourceError(
                "ambiguous_source",
                dataset=dataset,
                candidates=[s.sheet or s.path.name for s in pool],
                stem=stem,
                zh=SPECS[stem].zh,
            )
        chosen[stem] = pool[0]
        ignored.extend(s.label for s in found if s is not pool[0])
    return chosen


def _csv_source(path: Path, stem: str, encoding: str | None) -> Source:
    detected, lines, digest, ascii_only = detect_encoding(path)
    return Source(
        stem,
        path,
        encoding=encoding or detected,
        total=max(lines - 1, 0),
        digest=digest,
        ascii=ascii_only,
    )


def find_sources(path: Path, encoding: str | None = None) -> tuple[list[Source], list[str]]:
    """The contract files of a dataset, in loading order, and the names that were ignored."""
    if not path.exists():
        raise DatasetError(f"{path}: no such file or folder")
    candidates: dict[str, list[Source]] = {}
    ignored: list[str] = []
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.name.startswith(".") or not child.is_file():
                continue
            stem = stem_for(child.stem) if child.suffix.lower() == ".csv" else None
            if stem is None:
                ignored.append(child.name)
                continue
            candidates.setdefault(stem, []).append(_csv_source(child, stem, encoding))
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        wb = _open_workbook(path)
        digest = file_digest(path)
        try:
            for ws in wb.worksheets:
                stem = stem_for(ws.title)
                if stem is None:
                    ignored.append(f"{path.name}[{ws.title}]")
                    continue
                total = (ws.max_row - 1) if ws.max_row else None
                hidden = ws.sheet_state != "visible"
                source = Source(
                    stem, path, sheet=ws.title, total=total, digest=digest, hidden=hidden
                )
                candidates.setdefault(stem, []).append(source)
            ignored.extend(f"{path.name}[{cs.title}]" for cs in wb.chartsheets)
        finally:
            wb.close()
    elif path.suffix.lower() == ".csv":
        stem = stem_for(path.stem)
        if stem is None:
            raise DatasetError(
                f"{path.name}: the file name must be one of the contract's: {', '.join(SPECS)}"
            )
        candidates[stem] = [_csv_source(path, stem, encoding)]
    else:
        raise DatasetError(f"{path.name}: give a dataset folder of CSV files or one .xlsx workbook")
    chosen = _choose(path.name, candidates, ignored)
    ordered = [chosen[stem] for stem in SPECS if stem in chosen]
    return ordered, ignored
