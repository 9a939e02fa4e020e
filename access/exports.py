"""Downloads, the API's and the explorer's alike: an answer as CSV (UTF-8 with a BOM, for
Excel) or xlsx, named after its query and date; and any other attachment."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Response

from queries.export import to_csv, to_xlsx

__all__ = ["CSV", "FORMATS", "XLSX", "attachment", "table_download"]

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the table formats a download may take
FORMATS = ("csv", "xlsx")


def attachment(body: bytes, content_type: str, filename: str) -> Response:
    """``body`` as a file to save as ``filename`` (reduced to letters, digits, ``.-_``)."""
    safe = re.sub(r"[^\w.-]+", "_", filename)
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


def table_download(
    answer: Mapping[str, Any], columns: Sequence[str], rows: Sequence[dict[str, Any]], fmt: str
) -> Response:
    """The rows of ``answer`` (a named query's JSON: ``query``, ``params``), already masked
    for the caller, as a ``csv`` or ``xlsx`` attachment ``QUERY[-AS_OF|-YEAR].FMT``."""
    stem = str(answer["query"])
    params = answer.get("params") or {}
    for key in ("as_of", "year"):
        if params.get(key) is not None:
            stem += f"-{params[key]}"
    if fmt == "csv":
        body = ("\ufeff" + to_csv(list(columns), list(rows))).encode("utf-8")
        return attachment(body, CSV + "; charset=utf-8", f"{stem}.csv")
    book = to_xlsx([(str(answer["query"]), list(columns), list(rows))])
    return attachment(book, XLSX, f"{stem}.xlsx")
