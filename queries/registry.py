"""The named queries users run (``kg query``, the API): their headers parsed into specs.

A named query is a top-level ``queries/NAME.cypher`` file (sub-folders hold the loader's and
the report's own queries). Its header is ``//`` comment lines before the first line of Cypher::

    // What it answers, in a sentence or a paragraph.
    //
    // Kind: worklist               (worklist | point | summary)
    // Post: pairing_patterns       (optional: a Python step in queries.post, see there)
    // Parameters:
    //   as_of: date = today        (type: date | int | string | bool; no default = required)
    //   since: date = 2016-01-01
    //   limit: int 1..100 = 20     (an int declares its range LOW..HIGH, which the API enforces)
    // Columns: person_id, name, household_ids (list)
    // Unstable: component         (optional: columns left out when rows of two loads are
    //                              compared, e.g. ordinals renumbered by any change)
    // Count: count/pairing_patterns (optional: a query file answering the number of rows as
    //                              ``total``, for a worklist whose rows a post step makes)

Every named query also receives ``$scope``: the region id a token is bound to, or null. It is
set by the caller from who is asking (``kg query`` runs unscoped; the API passes the token's
region) and is never a request parameter; every named query must use it to filter its rows.

:func:`specs` parses and checks every file once (at import of the API and of ``kg query``): a
missing header, an unknown type, a bad default, a ``$parameter`` the header does not declare
or a declared one the text never uses is an error at start-up, not at the first request.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from core.errors import InputError, KgError
from queries import QUERY_DIR, cypher

__all__ = [
    "KINDS",
    "Param",
    "ParamError",
    "QuerySpec",
    "RegistryError",
    "RESERVED",
    "get",
    "specs",
]

KINDS = ("worklist", "point", "summary")
TYPES = ("date", "int", "string", "bool")
#: parameters set by the caller from who is asking, never from a request
RESERVED = ("scope",)
MAX_STRING = 200

_PARAM = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*):\s*(?P<type>[a-z]+)"
    r"(?:\s+(?P<low>-?[0-9]+)\.\.(?P<high>-?[0-9]+))?(?:\s*=\s*(?P<default>.+?))?$"
)
#: a whole number as users may type it: ASCII digits only (not full-width or Arabic-Indic ones)
_INT = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)
_USED = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否"}


class RegistryError(KgError):
    """A query file whose header is missing or does not match its text."""


class ParamError(InputError, ValueError):
    """A parameter value that cannot be used: unknown name, bad type, out of range, missing."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class Param:
    name: str
    type: Literal["date", "int", "string", "bool"]
    #: the default as the header writes it (``today``, ``the current year``, a literal,
    #: ``null``), or None when the parameter is required
    default: str | None
    #: the range of an int (both ends included), from the header's ``LOW..HIGH``: what the
    #: API accepts and documents (:meth:`in_range`)
    minimum: int | None = None
    maximum: int | None = None

    @property
    def required(self) -> bool:
        return self.default is None

    def default_value(self, today: dt.date | None = None) -> Any:
        """The default for a run on ``today`` (None when required or ``null``)."""
        today = today or dt.date.today()
        if self.default is None or self.default == "null":
            return None
        if self.default == "today":
            return today
        if self.default == "the current year":
            return today.year
        return self.parse(self.default)

    def parse(self, raw: Any) -> Any:
        """A value of this parameter's type from text (command line, query string) or JSON."""
        if raw is None:
            return None
        if self.type == "date":
            if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
                return raw
            try:
                return dt.date.fromisoformat(str(raw).strip())
            except ValueError:
                raise ParamError(self.name, "expected a date YYYY-MM-DD") from None
        if self.type == "int":
            if isinstance(raw, bool):
                raise ParamError(self.name, "expected a whole number")
            if isinstance(raw, int):
                return raw
            text = str(raw).strip()
            if not _INT.fullmatch(text):
                raise ParamError(self.name, "expected a whole number")
            return int(text)
        if self.type == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ParamError(self.name, "expected true or false")
        text = str(raw)
        if len(text) > MAX_STRING:
            raise ParamError(self.name, f"longer than {MAX_STRING} characters")
        return text

    def in_range(self, value: int) -> bool:
        """Whether ``value`` lies in the header's range (the API and the explorer refuse
        values outside it; ``kg query`` and the Cypher itself clamp them)."""
        low = self.minimum if self.minimum is not None else value
        high = self.maximum if self.maximum is not None else value
        return low <= value <= high

    def json_schema(self) -> dict[str, Any]:
        """The parameter's JSON schema (as OpenAPI puts it in a query-string parameter)."""
        schema: dict[str, Any]
        if self.type == "date":
            schema = {"type": "string", "format": "date"}
        elif self.type == "int":
            schema = {"type": "integer"}
            if self.minimum is not None:
                schema["minimum"] = self.minimum
            if self.maximum is not None:
                schema["maximum"] = self.maximum
        elif self.type == "bool":
            schema = {"type": "boolean"}
        else:
            schema = {"type": "string", "maxLength": MAX_STRING}
        if self.default not in (None, "null", "today", "the current year"):
            schema["default"] = self.default_value()
            if isinstance(schema["default"], dt.date):
                schema["default"] = schema["default"].isoformat()
        return schema


@dataclass(frozen=True)
class QuerySpec:
    name: str
    description: str
    kind: Literal["worklist", "point", "summary"]
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    #: the name of a function in queries.post that turns the Cypher rows into the result
    post: str | None
    text: str
    #: columns left out when the rows of two loads are compared (kg changes)
    unstable: tuple[str, ...] = ()
    #: a query file answering the number of rows (``total``) without computing them
    count: str | None = None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ParamError(name, f"{self.name} has no parameter {name!r}")

    def bind(self, raw: Mapping[str, Any], today: dt.date | None = None) -> dict[str, Any]:
        """Checked, typed parameters: ``raw`` values parsed, defaults filled in.

        Raises ParamError for an unknown or reserved name, a bad value or a missing required
        parameter. The reserved ``scope`` is not bound here: the caller adds it.
        """
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key in RESERVED:
                raise ParamError(key, "is set from the caller's access, not as a parameter")
            values[key] = self.param(key).parse(value)
        for p in self.params:
            if p.name not in values or values[p.name] is None:
                if p.required and values.get(p.name) is None:
                    raise ParamError(p.name, "is required")
                values[p.name] = p.default_value(today)
        return values


def _parse(name: str, text: str) -> QuerySpec:
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        header.append(line[2:].strip())
    description: list[str] = []
    fields: dict[str, str] = {}
    params: list[Param] = []
    column_text: list[str] = []
    section = "description"
    for line in header:
        field = re.match(r"^(Kind|Post|Parameters|Columns|Unstable|Count):\s*(.*)$", line)
        if field:
            section = field.group(1)
            fields[section] = field.group(2)
            if section == "Columns":
                column_text.append(field.group(2))
            continue
        if section == "description":
            description.append(line)
        elif section == "Parameters" and line:
            m = _PARAM.match(line)
            if not m:
                raise RegistryError(f"{name}: cannot read the parameter line {line!r}")
            if m["type"] not in TYPES:
                raise RegistryError(f"{name}: parameter {m['name']} has unknown type {m['type']}")
            if m["name"] in RESERVED:
                raise RegistryError(f"{name}: {m['name']} is reserved")
            if (m["type"] == "int") != (m["low"] is not None):
                raise RegistryError(
                    f"{name}: parameter {m['name']}: an int declares its range (int LOW..HIGH), "
                    "and only an int does"
                )
            low = int(m["low"]) if m["low"] is not None else None
            high = int(m["high"]) if m["high"] is not None else None
            if low is not None and high is not None and low > high:
                raise RegistryError(f"{name}: parameter {m['name']}: empty range {low}..{high}")
            params.append(
                Param(m["name"], m["type"], m["default"], low, high)  # type: ignore[arg-type]
            )
        elif section == "Columns" and line:
            column_text.append(line)
    columns = _columns(" ".join(column_text))
    kind = fields.get("Kind", "")
    if kind not in KINDS:
        raise RegistryError(f"{name}: the header needs 'Kind:' one of {', '.join(KINDS)}")
    if not columns:
        raise RegistryError(f"{name}: the header needs 'Columns:'")
    desc = " ".join(" ".join(description).split())
    if not desc:
        raise RegistryError(f"{name}: the header needs a description")
    spec = QuerySpec(
        name=name,
        description=desc,
        kind=kind,  # type: ignore[arg-type]
        params=tuple(params),
        columns=tuple(columns),
        post=fields.get("Post") or None,
        text=text,
        unstable=tuple(_columns(fields.get("Unstable", ""))),
        count=fields.get("Count") or None,
    )
    _check(spec)
    return spec


def _columns(text: str) -> list[str]:
    """Column names of a ``Columns:`` line; ``(notes)`` after a name are dropped."""
    text = re.sub(r"\([^)]*\)", "", text)
    return [c.strip() for c in text.split(",") if c.strip()]


def _check(spec: QuerySpec) -> None:
    body = "\n".join(line for line in spec.text.splitlines() if not line.lstrip().startswith("//"))
    used = set(_USED.findall(body))
    declared = {p.name for p in spec.params}
    if "scope" not in used:
        raise RegistryError(f"{spec.name}: a named query must filter by $scope")
    if used - declared - set(RESERVED):
        raise RegistryError(
            f"{spec.name}: uses undeclared parameters {sorted(used - declared - set(RESERVED))}"
        )
    if declared - used:
        raise RegistryError(f"{spec.name}: declares unused parameters {sorted(declared - used)}")
    for p in spec.params:
        try:
            p.default_value()
        except ParamError as e:
            raise RegistryError(f"{spec.name}: bad default for {e}") from None
    if set(spec.unstable) - set(spec.columns):
        raise RegistryError(f"{spec.name}: Unstable names columns it does not have")
    if spec.count:
        try:
            counting = cypher(spec.count)
        except KeyError:
            raise RegistryError(f"{spec.name}: no count query {spec.count!r}") from None
        body = "\n".join(
            line for line in counting.splitlines() if not line.lstrip().startswith("//")
        )
        if set(_USED.findall(body)) - declared - set(RESERVED):
            raise RegistryError(f"{spec.name}: its count query uses undeclared parameters")
    if spec.post:
        from queries import post

        if spec.post not in post.STEPS:
            raise RegistryError(f"{spec.name}: no post-processing step {spec.post!r}")


@functools.cache
def specs() -> dict[str, QuerySpec]:
    """Every named query by name, parsed and checked (RegistryError on the first bad file)."""
    names = sorted(p.stem for p in QUERY_DIR.glob("*.cypher"))
    return {n: _parse(n, cypher(n)) for n in names}


def get(name: str) -> QuerySpec:
    """The named query ``name`` (KeyError when there is none)."""
    try:
        return specs()[name]
    except KeyError:
        raise KeyError(f"no named query {name!r}") from None
