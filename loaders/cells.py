"""Cell types of the data contract, as pydantic annotated types.

Each type accepts what a ledger exported from Excel holds (numbers typed into code columns,
Excel date cells, 是/否 booleans, Chinese enumeration aliases) and raises a
:class:`pydantic_core.PydanticCustomError` whose ``type`` is a message code of
:mod:`loaders.messages`, so that the reject file speaks the clerk's language.

Empty cells arrive as ``None`` (the readers turn blank strings into ``None``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, create_model
from pydantic_core import PydanticCustomError
from stdnum.cn import ric

from core.contract import SPECS, Cell

__all__ = [
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


def _fail(code: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(code, code, ctx)


def parse_key(value: Any) -> str | None:
    """An id or code cell: text, or an integral Excel number standing for its digits."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _fail("bad_id")
    if isinstance(value, float):
        if not value.is_integer():
            raise _fail("bad_id")
        value = int(value)
    text = str(value).strip()
    return text or None


def parse_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def parse_date(value: Any) -> dt.date | None:
    """``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY.MM.DD``, ``YYYY年M月D日`` or an Excel date cell."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    # Excel and some exports write a midnight time after the date.
    text = re.sub(r"[ T]00:00(:00)?$", "", text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise _fail("bad_date", value=text) from None
    raise _fail("bad_date", value=text)


_TRUE = {"true", "1", "是", "y", "yes", "t", "√"}
_FALSE = {"false", "0", "否", "n", "no", "f", "×"}


def parse_bool(value: Any) -> bool | None:
    """true/false, 1/0, 是/否, Y/N (any case)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _fail("bad_bool", value=str(value))


def parse_int(value: Any) -> int | None:
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
    text = str(value).strip().replace(",", "")
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
        text = str(value).strip().replace(",", "")
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
    year = parse_int(value)
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
    # Faster than ric.compact() (which normalises Unicode): ledgers hold plain digits, at most
    # with spaces or hyphens typed in.
    text = str(value).strip().replace(" ", "").replace("-", "").upper()
    if not text:
        return None
    if len(text) != 18 or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise _fail("bad_id_number_format", value=text)
    if ric.calc_check_digit(text) != text[17]:
        raise _fail("bad_id_number_check", value=text)
    try:
        ric.get_birth_date(text)
    except Exception:
        raise _fail("bad_id_number_birth", value=text) from None
    return text


def enum_parser(values: Mapping[str, tuple[str, ...]]) -> Callable[[Any], str | None]:
    """A parser for an enumeration: English values with their Chinese aliases."""
    lookup: dict[str, str] = {}
    for english, aliases in values.items():
        lookup[english.lower()] = english
        for alias in aliases:
            lookup[alias.lower()] = english
    allowed = "、".join(f"{e}（{a[0]}）" if a else e for e, a in values.items())

    def parse(value: Any) -> str | None:
        if value is None:
            return None
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
