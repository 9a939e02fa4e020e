"""Downloads, the API's and the explorer's alike: an answer as CSV (UTF-8 with a BOM, for
Excel) or xlsx, named after its query and date; and any other attachment.

Two shapes of table:

* :func:`table_download` — the query's own columns and values (``person_id``,
  ``not_transferred``, ISO dates), as ``kg query`` writes them: what the API sends a program
  that asks for ``format=csv|xlsx`` without ``lang``;
* :func:`reader_download` — for people (the explorer's worklist downloads; the API does not
  offer it yet): headers and values in the reader's language (:func:`access.present.
  export_table`: 户主 before 户编号, 所在区划 as 保山市 施甸县 摆榔乡 杨庄村 before 区划代码,
  组织关系未转入 for ``not_transferred``, 是/否); in xlsx a title row (the worklist, its date,
  the region it covers, when it was exported), a bold header row kept in view and filtered,
  dates as real date cells, ids and codes as text cells (never 5.30521E+11), columns as wide
  as their text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Response

from access.present import export_table
from queries.export import _safe, to_csv, to_xlsx, width
from queries.names import Names

__all__ = ["CSV", "FORMATS", "XLSX", "attachment", "reader_download", "table_download"]

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the table formats a download may take
FORMATS = ("csv", "xlsx")
#: the widest column of a reader's workbook, in characters
MAX_WIDTH = 48


def attachment(
    body: bytes, content_type: str, filename: str, display_name: str | None = None
) -> Response:
    """``body`` as a file to save as ``filename`` (reduced to letters, digits, ``.-_``);
    ``display_name`` (any text, e.g. Chinese) is offered too, as RFC 6266's ``filename*``."""
    safe = re.sub(r"[^A-Za-z0-9.-]+", "_", filename)
    response = Response(body, content_type=content_type)
    disposition = f'attachment; filename="{safe}"'
    if display_name:
        disposition += "; filename*=UTF-8''" + urllib.parse.quote(display_name, safe="")
    response.headers["Content-Disposition"] = disposition
    return response


def _stem(answer: Mapping[str, Any]) -> str:
    stem = str(answer["query"])
    params = answer.get("params") or {}
    for key in ("as_of", "year"):
        if params.get(key) is not None:
            value = params[key]
            stem += f"-{value.isoformat() if isinstance(value, dt.date) else value}"
    return stem


def table_download(
    answer: Mapping[str, Any], columns: Sequence[str], rows: Sequence[dict[str, Any]], fmt: str
) -> Response:
    """The rows of ``answer`` (a named query's JSON: ``query``, ``params``), already masked
    for the caller, as a ``csv`` or ``xlsx`` attachment ``QUERY[-AS_OF|-YEAR].FMT``."""
    stem = _stem(answer)
    if fmt == "csv":
        body = ("\ufeff" + to_csv(list(columns), list(rows))).encode("utf-8")
        return attachment(body, CSV + "; charset=utf-8", f"{stem}.csv")
    book = to_xlsx([(str(answer["query"]), list(columns), list(rows))])
    return attachment(book, XLSX, f"{stem}.xlsx")


def reader_download(
    answer: Mapping[str, Any],
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    fmt: str,
    *,
    names: Names,
    lang: str,
    title: str,
    heading: str,
) -> Response:
    """The rows of ``answer`` (already masked for the caller, dates as dates) as a reader's
    ``csv`` or ``xlsx`` attachment: see the module's doc. ``title`` names the worklist (the
    sheet's name and the file offered), ``heading`` is the title row's text."""
    query = str(answer["query"])
    headers, table, kinds = export_table(query, columns, rows, names, lang)
    stem = _stem(answer)
    shown = _stem({**answer, "query": title})
    if fmt == "csv":
        body = ("\ufeff" + _csv(headers, table)).encode("utf-8")
        return attachment(body, CSV + "; charset=utf-8", f"{stem}.csv", f"{shown}.csv")
    book = reader_xlsx(title, heading, headers, table, kinds)
    return attachment(book, XLSX, f"{stem}.xlsx", f"{shown}.xlsx")


def _csv(headers: Sequence[str], table: Sequence[Sequence[Any]]) -> str:
    """CSV text: dates ISO, text made safe from formula injection (as queries.export)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for line in table:
        writer.writerow(
            [
                ""
                if v is None
                else v.isoformat()
                if isinstance(v, dt.date)
                else _safe(v)
                if isinstance(v, str)
                else v
                for v in line
            ]
        )
    return out.getvalue()


def reader_xlsx(
    title: str,
    heading: str,
    headers: Sequence[str],
    table: Sequence[Sequence[Any]],
    kinds: Sequence[str],
) -> bytes:
    """The workbook of :func:`reader_download`: one sheet named ``title``; row 1 ``heading``,
    row 2 the headers (bold, shaded, kept in view when scrolling, with filters), then the rows;
    dates as date cells (``yyyy-mm-dd``), text columns as text cells, widths set."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "sheet")
    widths = [width(h) for h in headers]
    for line in table:
        for i, value in enumerate(line):
            if value is None:
                continue
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            widths[i] = max(widths[i], width(text))
    for i, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(w, MAX_WIDTH) + 2
    last = get_column_letter(max(1, len(headers)))
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{last}{len(table) + 2}"

    caption = WriteOnlyCell(sheet, value=_safe(heading))
    caption.font = Font(bold=True, size=13)
    sheet.append([caption])
    bold, shade = Font(bold=True), PatternFill("solid", fgColor="F3F3F3")
    wrap = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=_safe(h))
        cell.font, cell.fill, cell.alignment = bold, shade, wrap
        header_cells.append(cell)
    sheet.append(header_cells)
    dates = [k == "date" for k in kinds]
    texts = [k == "text" for k in kinds]
    for line in table:
        out: list[Any] = []
        for i, value in enumerate(line):
            if value is None:
                out.append(None)
            elif dates[i] and isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            elif texts[i]:
                cell = WriteOnlyCell(sheet, value=_safe(str(value)))
                cell.number_format = "@"
                out.append(cell)
            elif isinstance(value, str):
                out.append(_safe(value))
            else:
                out.append(value)
        sheet.append(out)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
