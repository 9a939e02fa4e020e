"""Cell types of the data contract, as pydantic annotated types.

Each type accepts what a ledger exported from Excel holds (numbers typed into code columns,
Excel date cells, 是/否 booleans, Chinese enumeration aliases) and raises a
:class:`pydantic_core.PydanticCustomError` whose ``type`` is a message code of
:mod:`loaders.messages`, so that the reject file speaks the clerk's language.

Empty cells arrive as ``None`` (the readers turn blank strings into ``None``). The readers
also normalise the text of every column whose kind is in :data:`NFKC_KINDS` with
:func:`normalise` (Unicode NFKC: full-width digits and letters, ideographic spaces; then
trimmed) and count the cells it changed: the parsers here see ``５３０５２１`` as ``530521``.
Names and free text (kind ``text``) are only trimmed. A cell the workbook holds no value for
(a formula without a saved result, an error value such as ``#N/A``) arrives as
:class:`Unreadable` and is rejected with its own message, whatever the column.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, create_model
from pydantic_core import PydanticCustomError
from stdnum.cn import ric

from core.contract import SPECS, Cell
from loaders.messages import MESSAGES, message

__all__ = [
    "NFKC_KINDS",
    "Unreadable",
    "normalise",
    "Bool",
    "Date",
    "Enum",
    "IdNumber",
    "Int",
    "Key",
    "NonNegative",
    "Text",
    "Year",
    "parse_bool",
    "parse_date",
    "parse_key",
    "annotation",
    "parser",
    "row_model",
]


#: the kinds of cell whose text the readers normalise with :func:`normalise`
NFKC_KINDS = frozenset({"key", "enum", "date", "bool", "int", "non_negative", "year", "id_number"})


def normalise(text: str) -> str:
    """Text as the clerk meant it: Unicode NFKC (``Ｈ００１``, ``５３０５２１``, an ideographic
    space ``\u3000`` → ``H001``, ``530521``, a space), then trimmed. ASCII text, the common case,
    is only trimmed (NFKC leaves it as it is)."""
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


class Unreadable:
    """A cell the workbook holds no value for: ``code`` is the message code
    (``formula_no_value``: a formula whose result was never saved, as in a file written by a
    program rather than by Excel; ``cell_error``: an error value such as ``#N/A``)."""

    __slots__ = ("code", "ctx", "raw")

    def __init__(self, code: str, raw: str, **ctx: Any):
        self.code = code
        self.raw = raw
        self.ctx = ctx

    def __str__(self) -> str:
        return self.raw

    def __repr__(self) -> str:
        return f"Unreadable({self.code!r}, {self.raw!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unreadable) and (self.code, self.raw) == (other.code, other.raw)

    def __hash__(self) -> int:
        return hash((self.code, self.raw))


def _fail(code: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(code, code, ctx)


def _unreadable(value: Unreadable) -> PydanticCustomError:
    # The message template is the Chinese text: validation that does not know the code yet
    # shows it as the detail of a ``bad_value`` message.
    if value.code in MESSAGES:
        return PydanticCustomError(value.code, message(value.code, "zh", **value.ctx), value.ctx)
    return _fail(value.code, **value.ctx)


def parse_key(value: Any) -> str | None:
    """An id or code cell: text, or an integral Excel number standing for its digits."""
    if value is None:
        return None
    if value.__class__ is str:
        return value.strip() or None
    if isinstance(value, bool):
        raise _fail("bad_id")
    if isinstance(value, float):
        if not value.is_integer():
            raise _fail("bad_id")
        value = int(value)
    if isinstance(value, Unreadable):
        raise _unreadable(value)
    text = str(value).strip()
    return text or None


def parse_text(value: Any) -> str | None:
    if value is None:
        return None
    if value.__class__ is str:
        return value.strip() or None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Unreadable):
        raise _unreadable(value)
    text = str(value).strip()
    return text or None


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),  # 20190601
)
_MIDNIGHT = re.compile(r"(?:\s+0?0:00(?::00)?|T00:00(?::00)?)$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
#: Excel date serials read in a date column: 10000 (1927-05-18) to 73050 (2099-12-31); a
#: smaller number (a year typed alone, 2019) is not taken for a date
_SERIALS = (10_000, 73_050)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _ymd(year: str, month: str, day: str, text: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise _fail("bad_date", value=text) from None


def _serial_date(number: float, text: str) -> dt.date:
    if _SERIALS[0] <= number <= _SERIALS[1]:
        return _EXCEL_EPOCH + dt.timedelta(days=int(number))
    if number.is_integer() and 19_000_101 <= number <= 21_001_231:  # 20190601 typed as a number
        digits = str(int(number))
        return _ymd(digits[:4], digits[4:6], digits[6:], text)
    raise _fail("bad_date", value=text)


def parse_date(value: Any) -> dt.date | None:
    """``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY.MM.DD``, ``YYYY年M月D日``, ``YYYYMMDD``, an Excel
    date cell, or an Excel date serial (``43617``: 2019-06-01) in a number or text cell."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial_date(float(value), str(value))
    if isinstance(value, Unreadable):
        raise _unreadable(value)
    text = str(value).strip()
    if not text:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # ISO, the common case
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _fail("bad_date", value=text) from None
    # Excel and some exports write a midnight time after the date.
    if len(text) > 10:
        text = _MIDNIGHT.sub("", text)
    if _SERIAL.match(text):
        return _serial_date(float(text), text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            return _ymd(m[1], m[2], m[3], text)
    raise _fail("bad_date", value=text)


_TRUE = {"true", "1", "是", "y", "yes", "t", "√", "有"}
_FALSE = {"false", "0", "否", "n", "no", "f", "×", "无"}


def parse_bool(value: Any) -> bool | None:
    """true/false, 1/0, 是/否, Y/N, 有/无 (any case, spaces anywhere ignored)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, Unreadable):
        raise _unreadable(value)
    text = str(value).strip().lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    squeezed = "".join(text.split())  # 是 否 typed with a stray space inside: " 是　"
    if squeezed in _TRUE:
        return True
    if squeezed in _FALSE:
        return False
    raise _fail("bad_bool", value=str(value))


def _number_text(value: Any, units: tuple[str, ...] = ()) -> str:
    """The text of a number cell without thousands separators, spaces or a trailing unit."""
    if isinstance(value, Unreadable):
        raise _unreadable(value)
    text = str(value).strip()
    if "," in text:
        text = text.replace(",", "")
    if " " in text:
        text = text.replace(" ", "")
    for unit in units:
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    return text


def parse_int(value: Any, units: tuple[str, ...] = ()) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _fail("bad_int", value=str(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _fail("bad_int", value=str(value))
    text = _number_text(value, units)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise _fail("bad_int", value=text) from None
    if not number.is_integer():
        raise _fail("bad_int", value=text)
    return int(number)


def parse_non_negative(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _fail("bad_number", value=str(value))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _number_text(value, ("元",))
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise _fail("bad_number", value=text) from None
    if number < 0 or number != number:
        raise _fail("negative_number", value=str(value))
    return number


def parse_year(value: Any) -> int | None:
    """A year: 2020, or 2020年, 2020年度."""
    year = parse_int(value, ("年度", "年"))
    if year is not None and not 1949 <= year <= 2100:
        raise _fail("bad_year", value=str(value))
    return year


def parse_id_number(value: Any) -> str | None:
    """An 18-character resident id number (GB 11643) with a valid check digit and birth date.

    A number cell has already lost digits in Excel (it keeps 15 significant digits), so it is
    rejected with a message saying to format the column as text.
    """
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _fail("id_number_as_number")
    if isinstance(value, Unreadable):
        raise _unreadable(value)
    # Faster than ric.compact() (which normalises Unicode): ledgers hold plain digits, at most
    # with spaces or hyphens typed in.
    text = str(value).strip().replace(" ", "").replace("-", "").upper()
    if not text:
        return None
    if len(text) != 18 or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise _fail("bad_id_number_format", value=text)
    if ric.calc_check_digit(text) != text[17]:
        raise _fail("bad_id_number_check", value=text)
    # the birth date as ric.get_birth_date() reads it, without its compact() (~10 µs a row)
    try:
        dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise _fail("bad_id_number_birth", value=text) from None
    return text


def enum_parser(values: Mapping[str, tuple[str, ...]]) -> Callable[[Any], str | None]:
    """A parser for an enumeration: English values with their Chinese aliases."""
    lookup: dict[str, str] = {}
    for english, aliases in values.items():
        for spelling in (english, *aliases):
            lookup[spelling.lower()] = english
            # the readers hand over NFKC text: 县（区、市） arrives as 县(区、市)
            lookup[normalise(spelling).lower()] = english
    allowed = "、".join(f"{e}（{a[0]}）" if a else e for e, a in values.items())

    def parse(value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, Unreadable):
            raise _unreadable(value)
        text = str(value).strip()
        if not text:
            return None
        try:
            return lookup[text.lower()]
        except KeyError:
            raise _fail("bad_enum", value=text, allowed=allowed) from None

    return parse


Key = Annotated[str | None, BeforeValidator(parse_key)]
Text = Annotated[str | None, BeforeValidator(parse_text)]
Date = Annotated[dt.date | None, BeforeValidator(parse_date)]
Bool = Annotated[bool | None, BeforeValidator(parse_bool)]
Int = Annotated[int | None, BeforeValidator(parse_int)]
NonNegative = Annotated[float | None, BeforeValidator(parse_non_negative)]
Year = Annotated[int | None, BeforeValidator(parse_year)]
IdNumber = Annotated[str | None, BeforeValidator(parse_id_number)]


def Enum(values: Mapping[str, tuple[str, ...]]) -> Any:  # noqa: N802 - reads like a type
    """An enumeration type: ``Enum({"male": ("男",)})``."""
    return Annotated[str | None, BeforeValidator(enum_parser(values))]


_TYPES: dict[str, Any] = {
    "key": Key,
    "text": Text,
    "date": Date,
    "bool": Bool,
    "int": Int,
    "non_negative": NonNegative,
    "year": Year,
    "id_number": IdNumber,
}


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "key": parse_key,
    "text": parse_text,
    "date": parse_date,
    "bool": parse_bool,
    "int": parse_int,
    "non_negative": parse_non_negative,
    "year": parse_year,
    "id_number": parse_id_number,
}


def parser(cell: Cell) -> Callable[[Any], Any]:
    """The function that reads one cell of this kind (raises PydanticCustomError when bad)."""
    if cell.kind == "enum":
        assert cell.values is not None
        return _enum_parser_cached(cell.values)
    return _PARSERS[cell.kind]


_enum_cache: dict[int, Callable[[Any], str | None]] = {}


def _enum_parser_cached(values: Mapping[str, tuple[str, ...]]) -> Callable[[Any], str | None]:
    found = _enum_cache.get(id(values))
    if found is None:
        found = _enum_cache[id(values)] = enum_parser(values)
    return found


def annotation(cell: Cell) -> Any:
    """The pydantic type that reads a cell of this kind."""
    if cell.kind == "enum":
        assert cell.values is not None
        return Enum(cell.values)
    return _TYPES[cell.kind]


@functools.cache
def row_model(stem: str) -> type[BaseModel]:
    """The pydantic model that reads a row of the file ``stem`` (one field per column)."""
    spec = SPECS[stem]
    definitions: dict[str, Any] = {c.name: (annotation(c.type), None) for c in spec.columns}
    return create_model(
        f"{stem.title().replace('_', '')}Row",
        __config__=ConfigDict(extra="ignore"),
        **definitions,
    )
