"""Loading a dataset into the graph: files in contract order, rows validated, written in batches.

For each file: read rows (:mod:`loaders.readers`), check each row (:mod:`loaders.validate`),
drop identical duplicates and reject conflicting ones, resolve references against the dataset
and then the graph, and write the surviving rows with the file's ``queries/load/<stem>.cypher``
in ``UNWIND`` batches, one transaction per batch. Files that refer to themselves (regions,
organizations) are held whole so that cycles can be found and parents written first.

A row is written whole or rejected whole; ids ``MERGE``, so a re-run of an interrupted or
changed load converges on the same graph.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from core.contract import LOAD_ORDER, SPECS, FileSpec
from core.errors import DatasetError
from loaders.facts import key_string
from loaders.graph_writer import GraphWriter
from loaders.readers import Source, find_sources
from loaders.rejects import RejectSink
from loaders.validate import HeaderMap, Reject, RowChecker

__all__ = ["FileReport", "LoadReport", "Loader"]

from core.vocabulary import LEVEL_RANK  # noqa: E402

_LOW32 = 0xFFFFFFFF
_Rows = Iterable[tuple[int, list[Any]]]


@dataclass
class FileReport:
    stem: str
    source: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    unknown_columns: list[str] = field(default_factory=list)
    #: unchanged since the last complete load of it: not read again
    skipped: bool = False

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


@dataclass
class LoadReport:
    dataset: str
    files: list[FileReport] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    rejects_path: str | None = None
    seconds: float = 0.0

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    @property
    def exit_code(self) -> int:
        """0: every row loaded; 1: some rows rejected; 2: nothing could be loaded."""
        if self.read and not self.loaded:
            return 2
        return 1 if self.rejected else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "read": self.read,
            "loaded": self.loaded,
            "rejected": self.rejected,
            "seconds": round(self.seconds, 3),
            "rejects_file": self.rejects_path,
            "ignored": self.ignored,
            "files": [
                {
                    "file": f.stem,
                    "source": f.source,
                    "read": f.read,
                    "loaded": f.loaded,
                    "rejected": f.rejected,
                    "duplicates": f.duplicates,
                    "seconds": round(f.seconds, 3),
                    "rows_per_second": round(f.rows_per_second, 1),
                    "unknown_columns": f.unknown_columns,
                    "skipped_unchanged": f.skipped,
                }
                for f in self.files
            ],
        }


@dataclass
class _Pending:
    row: int
    values: dict[str, Any]
    cells: list[Any]


@functools.cache
def loader_version() -> str:
    """A digest of what decides how rows become graph: the contract and the load Cypher."""
    from queries import QUERY_DIR

    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in [
        here.parent / "core" / "contract.py",
        here / "cells.py",
        here / "readers.py",
        here / "table.py",
        *sorted((QUERY_DIR / "load").rglob("*.cypher")),
    ]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(source: Source) -> str:
    """Identifies a file's content as loaded by this version of the loader."""
    text = "|".join(
        [loader_version(), source.stem, source.sheet or "", source.encoding or "", source.digest]
    )
    return hashlib.sha256(text.encode()).hexdigest()


class Loader:
    """Loads datasets through one :class:`GraphWriter`; keeps the ids it has seen per file."""

    def __init__(
        self,
        writer: GraphWriter,
        rejects: RejectSink,
        *,
        batch_size: int = 5000,
        encoding: str | None = None,
        progress: bool | None = None,
        force: bool = False,
    ):
        self.force = force
        self.writer = writer
        self.rejects = rejects
        self.batch_size = batch_size
        self.encoding = encoding
        self.progress = progress
        #: id → (row << 32 | value hash) for every accepted row of the node files
        self.ids: dict[str, dict[str, int]] = {s: {} for s in LOAD_ORDER if SPECS[s].id_column}
        #: region levels of the dataset's regions
        self.region_level: dict[str, str] = {}
        #: ids found in the graph (not in the dataset), with the level for regions
        self.in_graph: dict[str, dict[str, str | None]] = {s: {} for s in self.ids}

    # -- the whole dataset -------------------------------------------------------------------
    def load(self, path: Path) -> LoadReport:
        started = time.perf_counter()
        sources, ignored = find_sources(path, self.encoding)
        if not any(s.stem == "regions" for s in sources):
            raise DatasetError(
                f"{path}: the dataset has no regions file (regions.csv or a sheet named regions); "
                "it is the one file every dataset must have"
            )
        report = LoadReport(str(path), ignored=ignored, rejects_path=str(self.rejects.path))
        self.writer.ensure_schema()
        # Files unchanged since a load that wrote them completely are skipped (unless forced).
        # The state is emptied first, so that an interrupted load leaves nothing to skip.
        previous = set() if self.force else self.writer.read_state()
        self.writer.write_state([])
        complete: list[str] = []
        for source in sources:
            mark = fingerprint(source)
            if mark in previous:
                report.files.append(FileReport(source.stem, source.label, skipped=True))
                complete.append(mark)
                continue
            file_report = self._load_source(source)
            report.files.append(file_report)
            if not file_report.rejected:
                complete.append(mark)
        self.writer.write_state(complete)
        report.seconds = time.perf_counter() - started
        return report

    # -- one file ----------------------------------------------------------------------------
    def _load_source(self, source: Source) -> FileReport:
        spec = SPECS[source.stem]
        report = FileReport(spec.stem, source.label)
        started = time.perf_counter()
        rows = source.rows()
        try:
            _, header = next(rows)
        except StopIteration:
            report.seconds = time.perf_counter() - started
            return report
        headers = HeaderMap(spec, header)
        report.unknown_columns = headers.unknown
        checker = RowChecker(spec, headers, source.label)
        bar = tqdm(
            total=source.total,
            desc=source.label,
            unit="行",
            disable=not self.progress if self.progress is not None else None,
            leave=False,
        )
        try:
            if headers.missing_required:
                self._reject_all(spec, checker, headers, rows, report, bar)
            elif spec.parent_column:
                self._load_tree(spec, checker, rows, report, bar)
            else:
                self._load_stream(spec, checker, rows, report, bar)
        finally:
            bar.close()
            # The next file refers to this one's nodes: everything is committed before it starts.
            self.writer.drain()
        report.seconds = time.perf_counter() - started
        return report

    def _reject_all(
        self,
        spec: FileSpec,
        checker: RowChecker,
        headers: HeaderMap,
        rows: _Rows,
        report: FileReport,
        bar: tqdm,
    ) -> None:
        missing = "、".join(f"{spec.column(c).zh}（{c}）" for c in headers.missing_required)
        for number, cells in rows:
            report.read += 1
            report.rejected += 1
            error = checker.reject(number, None, "missing_column", cells, columns=missing)
            self.rejects.add([error])
            bar.update()

    def _checked(
        self,
        spec: FileSpec,
        checker: RowChecker,
        rows: _Rows,
        report: FileReport,
        bar: tqdm,
    ) -> Iterator[_Pending]:
        """Rows that pass the row rules and are not duplicates; rejects the others."""
        id_column = spec.id_column
        ids = self.ids.get(spec.stem)
        seen: dict[int, int] = {}
        columns = spec.column_names
        for number, cells in rows:
            report.read += 1
            bar.update()
            values, errors = checker.check(number, cells)
            if values is None:
                report.rejected += 1
                self.rejects.add(errors)
                continue
            digest = hash(tuple(values[c] for c in columns)) & _LOW32
            if id_column is not None and ids is not None:
                key: Any = values[id_column]
                previous = ids.get(key)
            else:
                key = key_string(spec, values)
                previous = seen.get(key)
            if previous is not None:
                if previous & _LOW32 != digest:
                    report.rejected += 1
                    self.rejects.add(
                        [
                            checker.reject(
                                number,
                                spec.key_columns[0],
                                "duplicate_conflict",
                                cells,
                                first_row=previous >> 32,
                            )
                        ]
                    )
                    continue
                # An identical repeat goes the way of its twin (written again: MERGE is idempotent).
                report.duplicates += 1
                yield _Pending(number, values, cells)
                continue
            packed = (number << 32) | digest
            if ids is not None:
                ids[key] = packed
                if spec.stem == "regions":
                    self.region_level[key] = values["level"]
            else:
                seen[key] = packed
            yield _Pending(number, values, cells)

    def _load_stream(
        self, spec: FileSpec, checker: RowChecker, rows: _Rows, report: FileReport, bar: tqdm
    ) -> None:
        batch: list[_Pending] = []
        for pending in self._checked(spec, checker, rows, report, bar):
            batch.append(pending)
            if len(batch) >= self.batch_size:
                self._flush(spec, checker, batch, report)
                batch = []
        if batch:
            self._flush(spec, checker, batch, report)

    def _load_tree(
        self, spec: FileSpec, checker: RowChecker, rows: _Rows, report: FileReport, bar: tqdm
    ) -> None:
        """Regions and organizations: hold the file, reject cycles, write parents first."""
        held = list(self._checked(spec, checker, rows, report, bar))
        parent = spec.parent_column
        id_column = spec.id_column
        assert parent and id_column
        bad: dict[int, list[Reject]] = {}
        if spec.stem == "regions" and held:
            top = min(LEVEL_RANK[p.values["level"]] for p in held)
            for p in held:
                if p.values[parent] is None and LEVEL_RANK[p.values["level"]] > top:
                    bad[p.row] = [checker.reject(p.row, parent, "missing_parent", p.cells)]
        by_id = {p.values[id_column]: p for p in held}
        # Cycles among the file's own rows.
        state: dict[str, int] = {}
        for start in by_id:
            path: list[str] = []
            node: str | None = start
            while node is not None and node in by_id and state.get(node, 0) == 0:
                state[node] = 1
                path.append(node)
                node = by_id[node].values[parent]
            if node is not None and state.get(node) == 1 and node in path:
                cycle = path[path.index(node) :]
                text = " → ".join([*cycle, node])
                for member in cycle:
                    p = by_id[member]
                    bad.setdefault(p.row, []).append(
                        checker.reject(p.row, parent, "cycle", p.cells, path=text)
                    )
            for member in path:
                state[member] = 2
        # References (the file's own ids count as known); then cascade rejections to children.
        survivors, ref_rejects = self._resolve(spec, checker, [p for p in held if p.row not in bad])
        for r in ref_rejects:
            bad.setdefault(r.row or 0, []).append(r)
        alive = {p.values[id_column] for p in survivors}
        changed = True
        while changed:
            changed = False
            for p in survivors:
                ref = p.values[parent]
                if p.row not in bad and ref is not None and ref in by_id and ref not in alive:
                    bad[p.row] = [
                        checker.reject(
                            p.row, parent, "dangling", p.cells, target=spec.stem, value=ref
                        )
                    ]
                    alive.discard(p.values[id_column])
                    changed = True
        for row_errors in bad.values():
            self.rejects.add(row_errors)
        report.rejected += len(bad)
        for p in held:
            if p.row in bad:
                self.ids[spec.stem].pop(p.values[id_column], None)
        ok = [p for p in survivors if p.row not in bad]
        depth: dict[str, int] = {}

        def depth_of(node: str | None) -> int:
            chain: list[str] = []
            while node is not None and node in by_id and node not in depth and node not in chain:
                chain.append(node)
                node = by_id[node].values[parent]
            level = depth.get(node, -1) if node is not None else -1
            for member in reversed(chain):
                level += 1
                depth[member] = level
            return level

        ok.sort(key=lambda p: depth_of(p.values[id_column]))
        for i in range(0, len(ok), self.batch_size):
            batch = ok[i : i + self.batch_size]
            self.writer.write(spec.stem, [self._params(spec, p.values) for p in batch])
            self.writer.drain()  # parents are committed before their children's batch
            report.loaded += len(batch)

    # -- references and writing --------------------------------------------------------------
    def _flush(
        self, spec: FileSpec, checker: RowChecker, batch: list[_Pending], report: FileReport
    ) -> None:
        ok, rejects = self._resolve(spec, checker, batch)
        if rejects:
            rejected_rows = {r.row for r in rejects}
            by_row: dict[int | None, list[Reject]] = {}
            for r in rejects:
                by_row.setdefault(r.row, []).append(r)
            for errors in by_row.values():
                self.rejects.add(errors)
            report.rejected += len(rejected_rows)
            if spec.id_column:
                for p in batch:
                    if p.row in rejected_rows:
                        self.ids[spec.stem].pop(p.values[spec.id_column], None)
        if ok:
            if spec.lock_order:
                ok.sort(key=lambda p: tuple(p.values[c] or "" for c in spec.lock_order))
            self.writer.write(spec.stem, [self._params(spec, p.values) for p in ok])
            report.loaded += len(ok)

    def _resolve(
        self, spec: FileSpec, checker: RowChecker, batch: list[_Pending]
    ) -> tuple[list[_Pending], list[Reject]]:
        """Split a batch into rows whose references all resolve and rejects for the others."""
        unknown: dict[str, set[str]] = {}
        for ref in spec.references:
            known = self.ids[ref.target]
            graph = self.in_graph[ref.target]
            for p in batch:
                value = p.values[ref.column]
                if value is not None and value not in known and value not in graph:
                    unknown.setdefault(ref.target, set()).add(value)
        for target, values in unknown.items():
            self.in_graph[target].update(self.writer.lookup(target, sorted(values)))
        ok: list[_Pending] = []
        rejects: list[Reject] = []
        for p in batch:
            errors = []
            for ref in spec.references:
                value = p.values[ref.column]
                if value is None:
                    continue
                if value in self.ids[ref.target]:
                    level = self.region_level.get(value) if ref.levels else None
                elif value in self.in_graph[ref.target]:
                    level = self.in_graph[ref.target][value]
                else:
                    errors.append(
                        checker.reject(
                            p.row, ref.column, "dangling", p.cells, target=ref.target, value=value
                        )
                    )
                    continue
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
                rejects.extend(errors)
            else:
                ok.append(p)
        return ok, rejects

    @staticmethod
    def _params(spec: FileSpec, values: dict[str, Any]) -> dict[str, Any]:
        """A row as the load query takes it: dates as ISO strings (``date()`` in Cypher turns
        them back: sending temporal values costs the driver twice as much per row)."""
        params = (
            {**values, "row_key": key_string(spec, values)}
            if spec.id_column is None
            else dict(values)
        )
        for name in spec.date_columns:
            if params[name] is not None:
                params[name] = params[name].isoformat()
        return params
