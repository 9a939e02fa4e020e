"""The *check* stage: headers to columns, cells to typed values, the contract's row rules.

This module sees one row at a time and needs no database. Rules that need other rows live in
the stages after it: references in :mod:`loaders.resolve`, parents and cycles in
:mod:`loaders.tree`, duplicates and changes against the graph in :mod:`loaders.state`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from core.contract import FileSpec
from loaders.cells import parser, row_model
from loaders.facts import key_string
from loaders.messages import MESSAGES, column_letter, message, where

__all__ = ["Reject", "HeaderMap", "RowChecker"]


@dataclass
class Reject:
    """One problem found in one row (a row can have several)."""

    source: str
    row: int | None
    column: str | None  # as named in the contract
    letter: str | None  # the Excel column letter
    header: str | None  # the header text as written in the file
    code: str
    ctx: dict[str, Any] = field(default_factory=dict)
    raw: list[Any] | None = None

    def location(self, lang: str) -> str:
        return where(self.source, self.row, self.letter, self.header, lang)

    def text(self, lang: str) -> str:
        return message(self.code, lang, **self.ctx)


class HeaderMap:
    """Where each contract column is in a file, from its header row (English or Chinese)."""

    def __init__(self, spec: FileSpec, header: Iterable[Any]):
        self.spec = spec
        lookup = spec.header_lookup()
        self.index: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        self.unknown: list[str] = []
        for i, cell in enumerate(header):
            text = "" if cell is None else str(cell).strip()
            if not text:
                continue
            name = lookup.get(text.lower())
            if name is None or name in self.index:
                self.unknown.append(text)
                continue
            self.index[name] = i
            self.headers[name] = text
        self.missing_required = [
            c.name for c in spec.columns if c.required and c.name not in self.index
        ]

    def locate(self, column: str) -> tuple[str | None, str]:
        """(Excel letter, header text) of a column; for an absent column, its Chinese name."""
        if column in self.index:
            return column_letter(self.index[column]), self.headers[column]
        return None, self.spec.column(column).zh


class RowChecker:
    """Turns a row's cells into a typed dict, or into the list of what is wrong with it."""

    def __init__(self, spec: FileSpec, headers: HeaderMap, source: str):
        self.spec = spec
        self.headers = headers
        self.source = source
        self._model = row_model(spec.stem)
        self._positions = [(name, i) for name, i in headers.index.items()]
        self._required = [c.name for c in spec.columns if c.required]
        self._defaults = [(c.name, c.default) for c in spec.columns if c.default is not None]
        self._key_readers = [
            (name, headers.index.get(name), parser(spec.column(name).type))
            for name in spec.key_columns
        ]

    def reject(
        self, row: int, column: str | None, code: str, cells: list[Any] | None, **ctx: Any
    ) -> Reject:
        letter, header = self.headers.locate(column) if column else (None, None)
        return Reject(self.source, row, column, letter, header, code, ctx, cells)

    def check(self, row: int, cells: list[Any]) -> tuple[dict[str, Any] | None, list[Reject]]:
        width = len(cells)
        raw = {name: (cells[i] if i < width else None) for name, i in self._positions}
        errors: list[Reject] = []
        try:
            values = self._model.model_validate(raw).__dict__.copy()
        except ValidationError as e:
            values = {}
            for err in e.errors(include_url=False, include_input=False):
                column = str(err["loc"][0]) if err["loc"] else None
                ctx = dict(err.get("ctx") or {})
                code = err["type"]
                if code not in MESSAGES:
                    ctx = {"detail": err["msg"]}
                    code = "bad_value"
                errors.append(self.reject(row, column, code, cells, **ctx))
        bad_columns = {r.column for r in errors}
        for name in self._required:
            if name not in bad_columns and values.get(name, raw.get(name)) is None:
                errors.append(self.reject(row, name, "required", cells))
        if errors:
            return None, errors
        for name, default in self._defaults:
            if values[name] is None:
                values[name] = default
        for start, end in self.spec.intervals:
            if (
                values[start] is not None
                and values[end] is not None
                and values[end] < values[start]
            ):
                _, start_header = self.headers.locate(start)
                _, end_header = self.headers.locate(end)
                errors.append(
                    self.reject(
                        row, end, "end_before_start", cells, start=start_header, end=end_header
                    )
                )
        errors.extend(self._file_rules(row, values, cells))
        if errors:
            return None, errors
        return values, []

    def key_of(self, cells: list[Any]) -> str | None:
        """The key of a row, when its key columns can be read even though the row was
        rejected (a rejected row keeps its fact: a typo never retracts a pairing)."""
        values: dict[str, Any] = {}
        width = len(cells)
        for name, index, read in self._key_readers:
            raw = cells[index] if index is not None and index < width else None
            try:
                values[name] = read(raw)
            except (PydanticCustomError, ValueError):
                return None
        for part in self.spec.key:
            if isinstance(part, str):
                if self.spec.column(part).required and values.get(part) is None:
                    return None
            elif all(values.get(n) is None for n in part):
                return None
        return key_string(self.spec, values)

    def _file_rules(self, row: int, values: dict[str, Any], cells: list[Any]) -> list[Reject]:
        stem = self.spec.stem
        if stem == "enterprise_links":
            targets = [values["household_id"], values["person_id"], values["partner_entity_id"]]
            if sum(t is not None for t in targets) != 1:
                return [self.reject(row, "household_id", "link_target", cells)]
        elif stem == "posts":
            if values["org_id"] is None and values["region_id"] is None and values["place"] is None:
                return [self.reject(row, "org_id", "post_place", cells)]
        return []
