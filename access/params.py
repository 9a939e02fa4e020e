"""Query-string parameters, read strictly (the API's; the explorer reads its forms with the
same rules): one value per name, numbers in ASCII digits only and within their range, dates
``YYYY-MM-DD``, booleans ``true``/``false``; anything else is a 400 that says what is
expected (and never echoes the value)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from werkzeug.datastructures import MIMEAccept, MultiDict

from access.errors import HttpError
from access.exports import CSV, XLSX
from access.principal import Principal
from queries.registry import RESERVED, get

__all__ = [
    "MAX_LOAD",
    "API_PARAMS",
    "DATE",
    "output_format",
    "parse_date",
    "single_args",
    "strict_params",
    "whole_number",
]

#: query-string parameters of the API itself, beside those of a query
API_PARAMS = ("format", "page", "page_size")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
#: the largest load number a request may name (``from``, ``to``)
MAX_LOAD = 999_999_999  # whole_number reads at most 9 digits
_STRICT = {
    "date": (DATE, "a date YYYY-MM-DD"),
    "int": (re.compile(r"-?[0-9]{1,18}", re.ASCII), "a whole number"),
    "bool": (re.compile(r"true|false"), "true or false"),
}


def _bad(message: str) -> HttpError:
    return HttpError(400, "bad_parameter", message)


def single_args(args: MultiDict[str, str]) -> dict[str, str]:
    """The query string as a dict; a parameter given twice is an error."""
    out: dict[str, str] = {}
    for key, values in args.lists():
        if len(values) > 1:
            raise _bad(f"{key}: given {len(values)} times")
        out[key] = values[0]
    return out


def whole_number(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """``args[name]`` as a whole number from ``low`` to ``high`` (ASCII digits), else
    ``default`` when absent."""
    text = args.get(name)
    if text is None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", text, re.ASCII) or not low <= int(text) <= high:
        raise _bad(f"{name}: expected a whole number from {low} to {high}")
    return int(text)


def parse_date(text: str, name: str = "as_of") -> dt.date:
    """``text`` as a date written ``YYYY-MM-DD``."""
    if not DATE.fullmatch(text):
        raise _bad(f"{name}: expected a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _bad(f"{name}: not a date") from None


def strict_params(
    name: str, raw: Mapping[str, str], exclude: tuple[str, ...] = ()
) -> dict[str, str]:
    """The parameters of the named query ``name`` in ``raw`` (but ``exclude``), checked
    against its header strictly before the registry parses them: numbers within the header's
    range; ``scope`` is refused."""
    spec = get(name)
    known = {p.name: p for p in spec.params}
    out: dict[str, str] = {}
    for key, value in raw.items():
        if key in exclude:
            continue
        if key in RESERVED:
            raise _bad(f"{key}: is set from the token's region, not a parameter")
        if key not in known:
            raise _bad(f"{key}: {name} has no such parameter")
        param = known[key]
        strict = _STRICT.get(param.type)
        if strict is not None and not strict[0].fullmatch(value):
            raise _bad(f"{key}: expected {strict[1]}")
        if param.type == "int" and not param.in_range(int(value)):
            raise _bad(f"{key}: expected a whole number from {param.minimum} to {param.maximum}")
        out[key] = value
    return out


def output_format(args: Mapping[str, str], accept: MIMEAccept, who: Principal) -> str:
    """``json``, ``csv`` or ``xlsx``: ``format``, else the Accept header; downloads need the
    ``export`` right."""
    fmt = args.get("format")
    if fmt is None:
        best = accept.best_match(["application/json", CSV, XLSX])
        fmt = {CSV: "csv", XLSX: "xlsx"}.get(best or "", "json")
    if fmt not in ("json", "csv", "xlsx"):
        raise _bad("format: expected json, csv or xlsx")
    if fmt != "json" and not who.may("export"):
        raise HttpError(403, "export_forbidden", "downloads need the analyst or admin role")
    return fmt
