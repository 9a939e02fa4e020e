"""What changed between two loads (``kg changes``), from the archive alone.

Each load records the facts it added, changed (with their old and new values) and retracted
(with their old values). Between loads A and B (A < B), the changes of loads A+1..B are folded
per fact: a fact added and then retracted in between is no change; one changed and changed back
neither. Added facts are not stored twice: a load records the rows it added (as ranges of row
numbers), and their keys and values are read back from the archived file (:func:`expanded`).
When B directly follows A, the worklist rows that appeared and disappeared with load B (as of
the day it ran) come from its record too.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from core.contract import LOAD_ORDER, SPECS
from core.errors import KgError
from loaders.archive import Archive, ArchiveError
from loaders.check import HeaderMap, RowChecker
from loaders.facts import key_dict, plain
from loaders.readers import find_sources
from loaders.write import GraphWriter

__all__ = [
    "COLUMNS",
    "ChangesError",
    "NoSuchLoad",
    "between",
    "expanded",
    "flat_rows",
    "public",
    "row_ranges",
    "scoped",
    "values_at",
]


class ChangesError(KgError):
    """The loads asked for do not exist or are not in order."""


class NoSuchLoad(ChangesError):
    """No load has been recorded yet, or the one asked for is beyond the last."""


def _resolve_range(archive: Archive, start: int | None, end: int | None) -> tuple[int, int]:
    numbers = archive.numbers()
    if not numbers:
        raise NoSuchLoad("还没有任何导入记录（no load has been recorded yet）")
    last = numbers[-1]
    end = last if end is None else end
    start = end - 1 if start is None else start
    if max(start, end) > last:
        raise NoSuchLoad(
            f"没有第 {max(start, end)} 次导入：共 {last} 次（loads are numbered 1..{last}）"
        )
    if not 0 <= start < end <= last:
        raise ChangesError(
            f"--from {start} --to {end}: 需要 0 ≤ from < to ≤ {last}（共 {last} 次导入；"
            f"loads are numbered 1..{last}, from may be 0 for the empty graph）"
        )
    return start, end


def between(archive: Archive, start: int | None = None, end: int | None = None) -> dict[str, Any]:
    """``{"from", "to", "facts": [...], "worklists": {...}}`` (contract §4); each fact also
    carries ``regions`` (where it lies, when the load recorded it) for region-bound readers."""
    start, end = _resolve_range(archive, start, end)
    net: dict[tuple[str, str], dict[str, Any]] = {}
    for load in range(start + 1, end + 1):
        #: the net fact before this load touched it (a "kept" entry undoes the load's retraction)
        prior: dict[tuple[str, str], dict[str, Any] | None] = {}
        for entry in expanded(archive, load):
            ident = (entry["kind"], json.dumps(entry["key"], sort_keys=True, ensure_ascii=False))
            current = net.get(ident)
            prior.setdefault(ident, current)
            if entry["change"] == "kept":
                restored = prior[ident]
                if restored is None:
                    net.pop(ident, None)
                else:
                    net[ident] = restored
                continue
            before = current["before"] if current else entry.get("before")
            if entry["change"] == "added":
                after: Any = entry["after"]
                if current is None:
                    before = None
            elif entry["change"] == "changed":
                after = entry["after"]
            else:
                after = None
            regions = set(entry.get("regions") or [])
            if current:
                regions |= set(current["regions"])
            net[ident] = {
                "kind": entry["kind"],
                "key": entry["key"],
                "before": before,
                "after": after,
                "file": entry["file"],
                "row": entry["row"],
                "regions": sorted(regions),
            }
    facts = []
    for fact in net.values():
        before, after = fact["before"], fact["after"]
        if before is None and after is None or before == after:
            continue
        change = "added" if before is None else "retracted" if after is None else "changed"
        facts.append({"kind": fact["kind"], "change": change, **fact})
    order = {stem: i for i, stem in enumerate(LOAD_ORDER)}
    rank = {"added": 0, "changed": 1, "retracted": 2}
    facts.sort(
        key=lambda f: (order[f["kind"]], rank[f["change"]], json.dumps(f["key"], sort_keys=True))
    )
    worklists: dict[str, Any] = {}
    if end == start + 1:
        worklists = archive.worklists(end) or {}
    return {"from": start, "to": end, "facts": facts, "worklists": worklists}


def expanded(archive: Archive, load: int) -> Iterator[dict[str, Any]]:
    """The change list of ``load``, with each range of added rows as one entry per fact:
    ``{"kind", "change": "added", "key", "after", "file", "row"}``, read back from the file the
    load archived."""
    for entry in archive.changes(load):
        if entry["change"] != "added" or "rows" not in entry:
            yield entry
            continue
        wanted = {n for first, last in entry["rows"] for n in range(first, last + 1)}
        spec = SPECS[entry["kind"]]
        found = values_at(archive, load, entry["kind"], wanted)
        for row in sorted(found):
            yield {
                "kind": entry["kind"],
                "change": "added",
                "key": key_dict(spec, found[row]),
                "after": found[row],
                "file": entry["file"],
                "row": row,
            }


def row_ranges(rows: Iterable[int]) -> list[list[int]]:
    """Row numbers as ``[[first, last], ...]`` runs of consecutive rows."""
    out: list[list[int]] = []
    for row in sorted(rows):
        if out and row == out[-1][1] + 1:
            out[-1][1] = row
        else:
            out.append([row, row])
    return out


def values_at(archive: Archive, load: int, kind: str, rows: set[int]) -> dict[int, dict[str, Any]]:
    """The checked values of some rows of the file of ``kind`` that load ``load`` read."""
    record = archive.record(load)
    source_info = record.sources.get(kind)
    if source_info is None:
        raise ArchiveError(f"load {load} read no {kind} file")
    spec = SPECS[kind]
    with tempfile.TemporaryDirectory(prefix="kg-changes-") as tmp:
        path = Path(tmp) / source_info["name"]
        archive.restore(source_info["sha256"], path)
        sources, _ = find_sources(path, source_info.get("encoding"))
        source = next((s for s in sources if s.stem == kind), None)
        if source is None:
            raise ArchiveError(f"the archived file of load {load} holds no {kind}")
        out: dict[int, dict[str, Any]] = {}
        it = source.rows()
        try:
            _, header = next(it)
        except StopIteration:
            return out
        checker = RowChecker(spec, HeaderMap(spec, header), source.label)
        for number, cells in it:
            if number in rows:
                values, _ = checker.check(number, cells)
                if values is not None:
                    out[number] = {c: plain(values.get(c)) for c in spec.column_names}
    return out


#: the columns of a change as a table row (CSV, xlsx, the explorer's table)
COLUMNS = ("kind", "change", "key", "before", "after", "file", "row")


def public(fact: dict[str, Any]) -> dict[str, Any]:
    """A fact change as the contract's JSON shows it (without where it lies)."""
    return {k: fact.get(k) for k in COLUMNS}


def flat_rows(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The facts, then the worklist rows, as rows of :data:`COLUMNS` (key, before and after as
    JSON text; a worklist row as ``kind`` ``worklist:NAME``, ``appeared``/``disappeared``)."""
    rows: list[dict[str, Any]] = []
    for fact in answer["facts"]:
        rows.append(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
                for k, v in public(fact).items()
            }
        )
    for name, change in answer["worklists"].items():
        for what in ("appeared", "disappeared"):
            side = "after" if what == "appeared" else "before"
            for row in change[what]:
                rows.append(
                    {"kind": f"worklist:{name}", "change": what,
                     side: json.dumps(row, ensure_ascii=False)}
                )  # fmt: skip
    return rows


def scoped(answer: dict[str, Any], region: str, writer: GraphWriter) -> dict[str, Any]:
    """Only what lies in ``region`` (the API's scope rule): a fact where the load recorded it,
    or, for an added fact, where the entities its row names lie now; a worklist row where its
    ``region_id`` is."""
    under = writer.in_region("regions", region)
    unplaced = [f for f in answer["facts"] if not f.get("regions")]
    wanted: dict[str, set[str]] = {}
    for fact in unplaced:
        spec = SPECS[fact["kind"]]
        values = fact.get("after") or fact.get("before") or {}
        for column in spec.anchors:
            if values.get(column) is not None:
                wanted.setdefault(spec.target(column) or spec.stem, set()).add(values[column])
    places = {stem: writer.regions_of(stem, sorted(ids)) for stem, ids in wanted.items()}
    for fact in unplaced:
        spec = SPECS[fact["kind"]]
        values = fact.get("after") or fact.get("before") or {}
        found: set[str] = set()
        for column in spec.anchors:
            target = spec.target(column) or spec.stem
            found |= set(places.get(target, {}).get(values.get(column) or "", []))
        fact["regions"] = sorted(found)
    facts = [f for f in answer["facts"] if set(f["regions"]) & under]
    worklists = {
        name: {what: [r for r in rows if r.get("region_id") in under] for what, rows in w.items()}
        for name, w in answer["worklists"].items()
    }
    return {**answer, "facts": facts, "worklists": worklists}
