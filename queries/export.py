"""A named query's answer as a table: cells as text, CSV for Excel, an xlsx workbook.

Shared by ``kg query``, ``kg report`` and the API's downloads, so a worklist reads the same
wherever it comes from: lists joined with 、 (as Chinese ledgers list ids), maps as JSON,
dates ``YYYY-MM-DD``, booleans true/false, no value as an empty cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["cell", "text_table", "to_csv", "to_xlsx", "width"]


def cell(value: Any) -> str:
    """One value as the text of a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return "、".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def text_table(header: Sequence[str], rows: Sequence[Sequence[Any]], right: int = 0) -> str:
    """Aligned columns for a terminal; the columns from ``right`` on are right-aligned."""
    table = [[cell(c) for c in header], *[[cell(c) for c in row] for row in rows]]
    widths = [max(width(r[i]) for r in table) for i in range(len(header))]
    lines = []
    for r in table:
        cells = [
            " " * (widths[i] - width(c)) + c
            if right and i >= right
            else c + " " * (widths[i] - width(c))
            for i, c in enumerate(r)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def to_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """CSV text; write it with encoding ``utf-8-sig`` so that Excel reads the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text(row.get(c)) for c in columns])
    return out.getvalue()


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[dict[str, Any]]]]) -> bytes:
    """A workbook with one sheet per (title, columns, rows); numbers and dates stay typed."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title[:31])
        widths = [width(c) for c in columns]
        lines = []
        for row in rows:
            values = [_typed(row.get(c)) for c in columns]
            widths = [max(w, min(width(cell(v)), 60)) for w, v in zip(widths, values, strict=True)]
            lines.append(values)
        for i, w in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = w + 2
        sheet.append(list(columns))
        for values in lines:
            sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _typed(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    return _safe(cell(value))


def _text(value: Any) -> str:
    """A CSV cell: numbers as they are, text made safe from formula injection."""
    if isinstance(value, str | list | dict):
        return _safe(cell(value))
    return cell(value)


def _safe(text: str) -> str:
    """Text that Excel will not run as a formula (CSV/formula injection): a leading = + - @
    gets a quote. Ids and names never start so; a free-text field might."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text
