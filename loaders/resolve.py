"""The *resolve* stage: every reference a row makes must name an entity, at the right level.

A reference (``core.contract.Reference``) resolves when its id is in the graph (written by an
earlier file of this load, or by an earlier load) or was accepted earlier in this run without
being written yet (a dry run writes nothing; a file's own rows for its parents). Region
references also check the level (a household lies in a village or community).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from core.contract import FileSpec
from loaders.check import Reject, RowChecker

__all__ = ["Pending", "Resolver"]

#: (target stem, ids) → {id: region level or None} of the ids found in the graph
Lookup = Callable[[str, list[str]], dict[str, str | None]]


@dataclass(slots=True)
class Pending:
    """A row that passed the row rules: its Excel row, typed values and raw cells, and its key
    and value digest (``loaders.facts``), computed once."""

    row: int
    values: dict[str, Any]
    cells: list[Any]
    key: str
    digest: int


class Resolver:
    """Resolves references against the graph (``lookup``) and what this run accepted."""

    def __init__(self, lookup: Lookup) -> None:
        self._lookup = lookup
        #: target stem → {id: level}: accepted in this run but not (yet) in the graph
        self.accepted: dict[str, dict[str, str | None]] = {}

    def accept(self, stem: str, ids: Iterable[tuple[str, str | None]]) -> None:
        """Ids of ``stem`` that count as present although they are not in the graph."""
        self.accepted.setdefault(stem, {}).update(ids)

    def resolve(
        self,
        spec: FileSpec,
        checker: RowChecker,
        batch: list[Pending],
        *,
        own: dict[str, str | None] | None = None,
    ) -> tuple[list[Pending], dict[int, list[Reject]]]:
        """Split ``batch`` into rows whose references all resolve and rejects (by row).

        ``own`` are ids of this file known to be written before the row (a tree file's
        parents), with their levels.
        """
        found: dict[str, dict[str, str | None]] = {}
        for ref in spec.references:
            known = self.accepted.get(ref.target, {})
            mine = own if own is not None and ref.target == spec.stem else {}
            wanted = {
                v
                for p in batch
                if (v := p.values[ref.column]) is not None and v not in known and v not in mine
            }
            table = found.setdefault(ref.target, {})
            table.update({v: known[v] for p in batch if (v := p.values[ref.column]) in known})
            table.update({v: mine[v] for p in batch if (v := p.values[ref.column]) in mine})
            missing = sorted(wanted - table.keys())
            if missing:
                table.update(self._lookup(ref.target, missing))
        ok: list[Pending] = []
        rejects: dict[int, list[Reject]] = {}
        for p in batch:
            errors = []
            for ref in spec.references:
                value = p.values[ref.column]
                if value is None:
                    continue
                table = found[ref.target]
                if value not in table:
                    errors.append(
                        checker.reject(
                            p.row, ref.column, "dangling", p.cells, target=ref.target, value=value
                        )
                    )
                    continue
                level = table[value]
                if ref.levels and level not in ref.levels:
                    errors.append(
                        checker.reject(
                            p.row,
                            ref.column,
                            "wrong_level",
                            p.cells,
                            value=value,
                            level=level,
                            expected=ref.levels,
                        )
                    )
            if errors:
                rejects[p.row] = errors
            else:
                ok.append(p)
        return ok, rejects
