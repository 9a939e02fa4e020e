"""Finding the table on a sheet as clerks lay it out: the header, where the table ends, merged
cells, and the cells' text normalised by column kind.

Pure functions on rows already read — ``(row number, cells)`` pairs with blank rows left out,
row numbers as Excel shows them — shared by CSV files and worksheets (:mod:`loaders.readers`);
nothing here reads a file or needs a database.

* **Header** (:func:`find_header`): among the first :data:`HEADER_SEARCH` rows, the row that
  names the most contract columns, in English or Chinese (``core.contract``'s
  ``header_lookup()``, matched leniently: full-width text, spaces and line breaks inside a
  header, a ``*`` or ``（必填）`` mark, a unit such as ``（元）``). A cell left empty in it takes
  the contract column named straight above it, up to two rows up: the group labels of a two-
  or three-row header, whose merged cells leave the lower rows empty. Rows above the header
  are skipped (titles, blank rows, group labels). Two rows naming as many columns in different
  places make the header ambiguous; none naming any column means there is no header.
* **End** (:func:`row_kind`): a total row (合计, 小计, 总计 in its first cell), a signature or
  note row (填表人, 审核人, 制表人, 填表日期, 注：, 说明, ...) ends the table when nothing but such
  rows (and blank rows) follow; what lies below is ignored and reported, never rejected. Such a
  row with data below it is skipped and reported with its row number.
* **Merged cells** (:class:`MergedFill`): a value merged down over several rows (the same
  village for consecutive households) is filled into each of them.
* **Normalised cells**: the text of every column whose kind is in ``loaders.cells.NFKC_KINDS``
  (ids, codes, enumerations, numbers, dates) goes through ``loaders.cells.normalise``; the
  cells it changed are counted. Names and free text are left as typed.

:func:`read_table` does all of it in one pass and records what it did in a :class:`Layout`.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from core.contract import SPECS
from loaders.cells import NFKC_KINDS, normalise
from loaders.messages import message

__all__ = [
    "HEADER_SEARCH",
    "Header",
    "HeaderSearch",
    "Layout",
    "MergedFill",
    "Notice",
    "find_header",
    "header_key",
    "header_lookup",
    "read_table",
    "row_kind",
]

#: how many (non-blank) rows at the top of a sheet are looked at for the header
HEADER_SEARCH = 20
#: how many rows above the header row may hold the upper part of a multi-row header
HEADER_DEPTH = 2

Row = tuple[int, list[Any]]
_ASCII_SPACE = " \t\r\n"
#: what a header cell names: (contract column, the header text handed on for it)
Named = tuple[str, str] | None


# -- what the reader did -------------------------------------------------------------------------
@dataclass
class Notice:
    """One thing the reader tells the clerk about a file: a message code of
    :data:`loaders.messages.MESSAGES` with its context.

    ``level``: ``"info"`` (what was done, e.g. rows skipped above the header), ``"warning"``
    (worth checking, e.g. a total row inside the table), ``"file"`` (the file cannot be read:
    every row of it is to be rejected with this message).
    """

    code: str
    ctx: dict[str, Any] = field(default_factory=dict)
    row: int | None = None
    level: str = "info"

    def text(self, lang: str) -> str:
        return message(self.code, lang, **self.ctx)


@dataclass
class Layout:
    """What the reader found on a sheet and did with it (``Source.layout``).

    The header fields, ``skipped_above`` and a ``"file"``-level problem are set once the header
    row has been yielded; the rest is complete when the rows have been read to the end
    (``complete``).
    """

    #: the sheet is hidden in the workbook (it was read all the same)
    hidden: bool = False
    #: the rows of the header, top to bottom (several for a multi-row header); the last one is
    #: the header row; empty when no header was found
    header_rows: tuple[int, ...] = ()
    #: non-blank rows above the header, skipped (titles, notes, group labels)
    skipped_above: list[int] = field(default_factory=list)
    #: non-blank rows below the end of the table, ignored (totals, signatures, notes)
    ignored_below: list[int] = field(default_factory=list)
    #: the kinds of those rows in the order first met: ``total``, ``signature``, ``note``
    ignored_kinds: list[str] = field(default_factory=list)
    #: total, signature or note rows with data below them: skipped (and in ``problems``)
    inside_table: list[int] = field(default_factory=list)
    #: cells whose text Unicode normalisation changed (full-width digits or letters,
    #: ideographic spaces); the values handed on are the normalised ones
    normalised: int = 0
    #: cells that took the value of a cell merged down over several rows
    filled: int = 0
    #: what is wrong with the layout: ``no_header`` and ``ambiguous_header`` (level ``file``),
    #: ``total_in_table`` (level ``warning``, with its row)
    problems: list[Notice] = field(default_factory=list)
    #: the rows have been read to the end
    complete: bool = False

    @property
    def blocking(self) -> Notice | None:
        """The problem that makes the whole file unreadable, if any."""
        return next((p for p in self.problems if p.level == "file"), None)

    def notices(self) -> list[Notice]:
        """Everything worth a line of the load report, problems included, in reading order."""
        out: list[Notice] = []
        if self.hidden:
            out.append(Notice("layout_hidden_sheet"))
        if self.skipped_above:
            out.append(
                Notice(
                    "layout_skipped_above",
                    {"count": len(self.skipped_above), "rows": list(self.skipped_above)},
                )
            )
        if len(self.header_rows) > 1:
            out.append(Notice("layout_header_rows", {"rows": list(self.header_rows)}))
        out.extend(self.problems)
        if self.ignored_below:
            out.append(
                Notice(
                    "layout_ignored_below",
                    {
                        "count": len(self.ignored_below),
                        "rows": list(self.ignored_below),
                        "kinds": list(self.ignored_kinds),
                    },
                )
            )
        if self.normalised:
            out.append(Notice("layout_normalised", {"count": self.normalised}))
        if self.filled:
            out.append(Notice("layout_filled", {"count": self.filled}))
        return out


# -- the header ----------------------------------------------------------------------------------
#: marks around a header text that do not change the column it names (after NFKC)
_HEADER_MARKS = ("(必填)", "(选填)", "(元)", "(人)", "(户)")


def header_key(text: str) -> str:
    """A header text as compared with the contract's: NFKC, lower case, without spaces, line
    breaks, underscores, ``*`` marks or a mark in brackets (``（必填）``, ``（元）``)."""
    key = unicodedata.normalize("NFKC", text).lower()
    key = "".join(key.split()).replace("_", "").strip("*")
    for mark in _HEADER_MARKS:
        if key.endswith(mark):
            key = key[: -len(mark)].strip("*")
            break
    return key


@functools.cache
def header_lookup(stem: str) -> dict[str, tuple[str, str]]:
    """:func:`header_key` of every header the file ``stem`` accepts → (column name, the header
    text handed on for it: the column's English name or its Chinese alias, as matched)."""
    spec = SPECS[stem]
    out: dict[str, tuple[str, str]] = {}
    for text, name in spec.header_lookup().items():
        column = spec.column(name)
        canonical = column.name if text == column.name.lower() else column.zh
        out.setdefault(header_key(text), (name, canonical))
    return out


def _names(cells: Sequence[Any], lookup: dict[str, tuple[str, str]]) -> list[Named]:
    out: list[Named] = []
    for cell in cells:
        if cell is None:
            out.append(None)
            continue
        text = str(cell)
        out.append(lookup.get(header_key(text)) if text.strip() else None)
    return out


@dataclass(frozen=True)
class Header:
    """The header found: ``cells`` are handed on as the file's header row."""

    #: the rows of the header, top to bottom; the last is the header row
    rows: tuple[int, ...]
    #: one per column: the contract's header text for the columns it names (the English name or
    #: the Chinese alias), the text as written for the others (None for an empty cell)
    cells: list[Any]
    #: contract column → position (the first column naming it)
    columns: dict[str, int]

    @property
    def row(self) -> int:
        return self.rows[-1]


@dataclass(frozen=True)
class HeaderSearch:
    """The outcome of :func:`find_header`."""

    #: the header, when exactly one was found
    header: Header | None
    #: index of the header row in the rows searched (the table starts after it); -1 for none
    index: int
    #: the row numbers looked at
    tried: tuple[int, ...]
    #: rows that name as many columns as each other but in other places (ambiguous header)
    ambiguous: tuple[int, ...] = ()
    #: how many contract columns the best row names
    named: int = 0


@dataclass
class _Candidate:
    index: int
    rows: tuple[int, ...]
    named: list[Named]
    columns: dict[str, int]


def _candidate(rows: Sequence[Row], names: list[list[Named]], k: int) -> _Candidate | None:
    """Row ``k`` as the header row, with what it takes from the rows straight above it."""
    own = names[k]
    if not any(own):
        return None
    named = list(own)
    width = max(len(rows[j][1]) for j in range(max(0, k - HEADER_DEPTH), k + 1))
    named.extend([None] * (width - len(named)))
    # a column stays open for the rows above while every row below it is empty there
    open_ = [i >= len(rows[k][1]) or _empty(rows[k][1][i]) for i in range(width)]
    top = k
    j = k
    while j > 0 and k - j < HEADER_DEPTH and rows[j - 1][0] == rows[j][0] - 1:
        j -= 1
        cells = rows[j][1]
        for i, name in enumerate(names[j]):
            if open_[i] and named[i] is None and name is not None:
                named[i] = name
                top = j
        for i in range(width):
            if i < len(cells) and not _empty(cells[i]):
                open_[i] = False
    columns: dict[str, int] = {}
    for i, name in enumerate(named):
        if name is not None and name[0] not in columns:
            columns[name[0]] = i
    return _Candidate(k, tuple(rows[j][0] for j in range(top, k + 1)), named, columns)


def _empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def find_header(rows: Sequence[Row], stem: str) -> HeaderSearch:
    """The header of a file ``stem`` among ``rows`` (the first :data:`HEADER_SEARCH` are
    looked at): the row naming the most contract columns, with the upper rows of a multi-row
    header. Rows naming as many columns in the same places one after the other (a Chinese and
    an English header row) are one header; in other places, the header is ambiguous."""
    rows = rows[:HEADER_SEARCH]
    lookup = header_lookup(stem)
    names = [_names(cells, lookup) for _, cells in rows]
    tried = tuple(number for number, _ in rows)
    found = [c for k in range(len(rows)) if (c := _candidate(rows, names, k)) is not None]
    if not found:
        return HeaderSearch(None, -1, tried)
    best = max(len(c.columns) for c in found)
    tops = [c for c in found if len(c.columns) == best]
    if any(c.columns != tops[0].columns for c in tops):
        return HeaderSearch(None, -1, tried, tuple(rows[c.index][0] for c in tops), best)
    # The first run of such rows, one straight after the other, is the header; the header row
    # is its last.
    run = [tops[0]]
    for c in tops[1:]:
        if c.index == run[-1].index + 1 and rows[c.index][0] == rows[run[-1].index][0] + 1:
            run.append(c)
        else:
            break
    last = run[-1]
    header_rows = tuple(sorted({n for c in run for n in c.rows}))
    # The header rows from the header row up: an empty cell takes the text straight above it
    # (a header cell merged down, such as 序号 over two rows), contract column or not.
    band = [rows[k][1] for k in range(last.index, last.index - len(last.rows), -1)]
    header_cells: list[Any] = []
    for i, name in enumerate(last.named):
        if name is not None:
            header_cells.append(name[1])
            continue
        text = None
        for cells in band:
            if i < len(cells) and not _empty(cells[i]):
                text = cells[i].strip() if isinstance(cells[i], str) else cells[i]
                break
        header_cells.append(text)
    header = Header(header_rows, header_cells, dict(last.columns))
    return HeaderSearch(header, last.index, tried, (), best)


# -- the end of the table ------------------------------------------------------------------------
_TOTALS = ("合计", "小计", "总计", "共计")
_SIGNATURES = (
    "填表人",
    "审核人",
    "制表人",
    "填报人",
    "统计人",
    "经办人",
    "负责人",
    "单位负责人",
    "联系人",
    "填表日期",
    "填报日期",
    "制表日期",
    "审核日期",
    "填报单位",
    "签字",
    "签名",
    "盖章",
    "(盖章)",
)
_NOTES = ("注:", "注1", "说明:", "备注:", "附注", "以下空白", "以下无数据")
#: first characters of the signature and note marks (a cheap test before the real one)
_MARK_STARTS = frozenset(m[0] for m in _SIGNATURES + _NOTES) | {"（", "说"}


def row_kind(cells: Sequence[Any]) -> str | None:
    """``"total"``, ``"signature"`` or ``"note"`` for a row that is no data row of the table
    (judged by its first non-empty cell), None for the others."""
    for cell in cells:
        if cell is None:
            continue
        if cell.__class__ is not str:
            return None
        if not cell or ("计" not in cell and cell[0] not in _MARK_STARTS):
            return None
        text = "".join(normalise(cell).split())
        if any(mark in text for mark in _TOTALS):
            return "total"
        if text.startswith(_SIGNATURES):
            return "signature"
        if text.startswith(_NOTES) or text == "说明":
            return "note"
        return None
    return None


# -- merged cells --------------------------------------------------------------------------------
class MergedFill:
    """Fills each row a merged range spans with the value of its top cell (vertical merges
    only: a value merged across columns stays in its first column).

    ``ranges`` are Excel's ``(min_col, min_row, max_col, max_row)``, 1-based; only those whose
    top row is at or below ``first_row`` are used (a merge inside the header is not data).
    """

    def __init__(self, ranges: Iterable[tuple[int, int, int, int]], first_row: int = 1):
        self._ranges = sorted(
            (r for r in ranges if r[3] > r[1] and r[1] >= first_row), key=lambda r: r[1]
        )
        self._next = 0
        #: column position → (last row of the range, value)
        self._active: dict[int, tuple[int, Any]] = {}
        self.filled = 0

    def __bool__(self) -> bool:
        return bool(self._ranges)

    def __call__(self, number: int, cells: list[Any]) -> None:
        ranges = self._ranges
        while self._next < len(ranges) and ranges[self._next][1] <= number:
            min_col, min_row, _, max_row = ranges[self._next]
            self._next += 1
            if min_row == number:
                col = min_col - 1
                value = cells[col] if col < len(cells) else None
                if value is not None:
                    self._active[col] = (max_row, value)
        if not self._active:
            return
        for col, (max_row, value) in list(self._active.items()):
            if number > max_row:
                del self._active[col]
                continue
            if col >= len(cells):
                cells.extend([None] * (col + 1 - len(cells)))
            if cells[col] is None:
                cells[col] = value
                self.filled += 1


# -- the whole table -----------------------------------------------------------------------------
def _columns_looked_for(stem: str) -> list[str]:
    return [f"{c.zh}（{c.name}）" for c in SPECS[stem].columns]


def read_table(
    rows: Iterable[Row],
    stem: str,
    layout: Layout,
    *,
    merges: Iterable[tuple[int, int, int, int]] = (),
    normalise_cells: bool = True,
) -> Iterator[Row]:
    """The table of a file ``stem`` in ``rows`` (blank rows left out): its header row first,
    then its data rows, filled and normalised, in one pass; ``layout`` records what was done.

    Without a header, the first row is handed on as the header and the others as they are (a
    ``no_header`` problem); with an ambiguous one, an empty header and the rows after the
    first candidate (``ambiguous_header``): validation then rejects every row, so nothing is
    lost. ``normalise_cells=False`` leaves the text as it is (to measure what normalising
    costs).
    """
    it = iter(rows)
    first = list(islice(it, HEADER_SEARCH))
    if not first:
        layout.complete = True
        return
    search = find_header(first, stem)
    header = search.header
    if header is None:
        if search.ambiguous:
            layout.problems.append(
                Notice(
                    "ambiguous_header",
                    {"rows": list(search.ambiguous), "count": search.named},
                    row=search.ambiguous[0],
                    level="file",
                )
            )
            start = _index(first, search.ambiguous[0])
            width = max(len(cells) for _, cells in first)
            layout.header_rows = (search.ambiguous[0],)
            layout.skipped_above = [n for n, _ in first[:start]]
            yield search.ambiguous[0], [None] * width
            rest: Iterable[Row] = chain(first[start + 1 :], it)
        else:
            layout.problems.append(
                Notice(
                    "no_header",
                    {"rows": list(search.tried), "columns": _columns_looked_for(stem)},
                    level="file",
                )
            )
            yield first[0]
            rest = chain(first[1:], it)
        yield from rest
        layout.complete = True
        return

    layout.header_rows = header.rows
    top = _index(first, header.rows[0])
    layout.skipped_above = [n for n, _ in first[:top]]
    yield header.row, header.cells

    spec = SPECS[stem]
    plan = (
        sorted(i for name, i in header.columns.items() if spec.column(name).type.kind in NFKC_KINDS)
        if normalise_cells
        else []
    )
    need = plan[-1] + 1 if plan else 0
    fill = MergedFill(merges, header.row + 1)
    filling = bool(fill)
    normalised = 0
    held: list[tuple[int, str]] = []
    for number, cells in chain(first[search.index + 1 :], it):
        if filling:
            fill(number, cells)
        head = cells[0] if cells else None
        if head is None or (
            head.__class__ is str and ("计" in head or (head and head[0] in _MARK_STARTS))
        ):
            kind = row_kind(cells)
            if kind is not None:
                held.append((number, kind))
                continue
        if held:
            # Total, signature or note rows with data below them: inside the table.
            for row, _ in held:
                layout.inside_table.append(row)
                layout.problems.append(
                    Notice("total_in_table", {"row": row}, row=row, level="warning")
                )
            held = []
        if plan:
            if len(cells) < need:
                cells.extend([None] * (need - len(cells)))
            # The hot path: text (or None) cells, nearly all ASCII, left as they are.
            try:
                for i in plan:
                    value = cells[i]
                    if value and not value.isascii():
                        normalised += _normalise_cell(cells, i, value)
            except AttributeError:  # a number, date or unreadable cell of a workbook
                for i in plan:
                    value = cells[i]
                    if value.__class__ is str and not value.isascii():
                        normalised += _normalise_cell(cells, i, value)
        yield number, cells
    for row, kind in held:
        layout.ignored_below.append(row)
        if kind not in layout.ignored_kinds:
            layout.ignored_kinds.append(kind)
    layout.normalised = normalised
    layout.filled = fill.filled
    layout.complete = True


def _normalise_cell(cells: list[Any], i: int, value: str) -> int:
    """Normalise ``cells[i]`` in place; 1 when that did more than trim ASCII spaces."""
    text = unicodedata.normalize("NFKC", value).strip()
    if text == value:
        return 0
    cells[i] = text or None
    return 0 if text == value.strip(_ASCII_SPACE) else 1


def _index(rows: Sequence[Row], number: int) -> int:
    return next(k for k, (n, _) in enumerate(rows) if n == number)
