"""Loading a dataset: a one-way pipeline of stages, file after file, then the retractions.

For each contract file of the dataset, in contract order (every reference points to a file
before it)::

    read (loaders.readers)  →  check (loaders.check)  →  resolve (loaders.resolve)
        →  compare with the graph (loaders.state)  →  write (loaders.write)  →  record (archive)

A file is a snapshot of its kind (contract §4): rows new to the graph are *added*, rows whose key
is in the graph with other values *change* it, the others are *unchanged* (nothing is written);
facts of the kind that the file no longer holds are *retracted* once every file has been written,
in the reverse order (pairings before the persons they name), and a fact that another fact still
refers to is kept and reported. Before a file of a kind the graph already holds is written, the
guard counts what it would retract: all of the kind, or more than 20 % and more than 5 facts,
and the file is not loaded (``allow_retract`` lets it through). ``partial`` retracts nothing;
``region`` retracts only facts that lie in that division.

Every load holds the load lock, is numbered, recorded and archived (:mod:`loaders.archive`);
every fact it writes carries its provenance (file, Excel row, load). A row is written whole or
rejected whole; a batch of retractions is one transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import pickle
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, Protocol

from tqdm import tqdm

from core.contract import SPECS, FileSpec
from core.errors import DatasetError
from core.vocabulary import LEVEL_RANK
from graph.embedded.importer import BulkImport
from loaders.archive import Archive, ChangeLog, LoadRecord, now
from loaders.bulk import ImportFiles, import_readme
from loaders.changes import expanded, row_ranges
from loaders.check import HeaderMap, Reject, RowChecker
from loaders.derive import derived
from loaders.facts import key_dict, key_string, plain, value_digest
from loaders.lock import load_lock
from loaders.readers import Source, find_sources
from loaders.rejects import RejectSink
from loaders.report import FileReport, LoadReport
from loaders.resolve import Pending, Resolver
from loaders.state import KindState, Verdict
from loaders.table import Notice
from loaders.tree import plan_tree
from loaders.write import CYPHER, GraphWriter

__all__ = [
    "BULK_ROWS",
    "GUARD_MIN",
    "GUARD_SHARE",
    "LoadOptions",
    "Loader",
    "Observer",
    "fingerprint",
    "loader_version",
    "touched_by",
]

#: the guard: a file that would retract more than this share of its kind...
GUARD_SHARE = 0.20
#: ...and more than this many facts (or all of them) is not loaded without allow_retract
GUARD_MIN = 5
#: from this many rows on, a first load goes through Neo4j's batch importer (bulk="auto")
BULK_ROWS = 200_000


@dataclass(frozen=True)
class LoadOptions:
    """How to load (``kg load``'s options)."""

    #: the files hold additions and corrections only: retract nothing
    partial: bool = False
    #: the files are complete only within this county or township
    region: str | None = None
    #: let a file through the guard
    allow_retract: bool = False
    #: load files even when unchanged since their last complete load
    force: bool = False
    #: read, check and compare as a load would; write nothing
    dry_run: bool = False
    encoding: str | None = None
    batch_size: int = 5000
    #: the day the worklists are compared as of (default: the day the load runs)
    day: dt.date | None = None
    #: write the checked dataset as neo4j-admin import input into this folder; load nothing
    export_to: Path | None = None
    #: a load into an empty embedded graph through Neo4j's batch importer: "auto" (from
    #: BULK_ROWS rows on; below, restarting Neo4j costs more than the transactions), "always",
    #: "never"
    bulk: str = "auto"

    def recorded(self) -> dict[str, Any]:
        """The options a replay needs (``kg rebuild``)."""
        return {
            "partial": self.partial,
            "region": self.region,
            "allow_retract": self.allow_retract,
            "force": self.force,
            "encoding": self.encoding,
            "batch_size": self.batch_size,
            "bulk": self.bulk,
        }


class Observer(Protocol):
    """Watches the worklists a load changes (``queries.watch.WorklistWatch``): the loader takes
    a snapshot before writing and one after, and records the rows that appeared and
    disappeared. Rows must be JSON values, compared as a whole."""

    names: tuple[str, ...]

    def snapshot(self, day: dt.date, touched: set[str]) -> dict[str, list[dict[str, Any]]]:
        """The rows of the worklists that read any label or type in ``touched``."""
        ...


@functools.cache
def loader_version() -> str:
    """A digest of what decides how rows become graph: the contract, cells, keys, the Cypher."""
    digest = hashlib.sha256()
    core_dir = Path(__file__).parent.parent / "core"
    here = Path(__file__).parent
    for path in [
        core_dir / "contract.py",
        core_dir / "vocabulary.py",
        here / "cells.py",
        here / "facts.py",
        here / "readers.py",
        here / "table.py",
        *sorted((here / "cypher").rglob("*.cypher")),
    ]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(source: Source) -> str:
    """Identifies a file's content as loaded by this version of the loader."""
    text = "|".join(
        [loader_version(), source.stem, source.sheet or "", source.encoding or "", source.digest]
    )
    return hashlib.sha256(text.encode()).hexdigest()


_IDENTIFIER = re.compile(r":\s*([A-Z][A-Za-z_]*)")


@functools.cache
def touched_by(stem: str) -> frozenset[str]:
    """The labels and relationship types a file's write query names (and so may change)."""
    spec = SPECS[stem]
    text = CYPHER.text(f"write/{stem}")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return frozenset(_IDENTIFIER.findall(code)) | {spec.element}


class _Sink(Protocol):
    """Where a file's added and changed rows go: written at once, or spooled for the guard."""

    def __call__(self, batch: list[tuple[Verdict, Pending]]) -> None: ...

    def barrier(self) -> None: ...


class _Spool:
    """Rows waiting for the guard's verdict, kept on disk (pickled batches) not in memory."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="kg-load-")
        self.batches = 0

    def __call__(self, batch: list[tuple[Verdict, Pending]]) -> None:
        if batch:
            pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self.batches += 1

    def barrier(self) -> None:
        """What comes after must be written after what came before (a tree's generations)."""
        pickle.dump(None, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.batches += 1

    def replay(self, sink: _Sink) -> None:
        self._file.seek(0)
        for _ in range(self.batches):
            batch = pickle.load(self._file)
            if batch is None:
                sink.barrier()
            else:
                sink(batch)

    def close(self) -> None:
        self._file.close()


@dataclass
class _Retraction:
    spec: FileSpec
    source: str
    keys: list[str]
    report: FileReport


class Loader:
    """Loads datasets into one graph (through one :class:`GraphWriter`), under ``home``.

    ``bulk`` (the embedded Neo4j's :class:`graph.embedded.importer.BulkImport`): a load into
    an empty graph goes through Neo4j's batch importer instead of transactions — the same
    checks, rejects, report, provenance and history, then the schema. When the embedded Neo4j
    does not run and has no store, the graph is known to be empty: nothing is read from it,
    and the writer's driver is first used (so Neo4j first started) after the import.
    """

    def __init__(
        self,
        writer: GraphWriter,
        rejects: RejectSink,
        *,
        home: Path,
        options: LoadOptions | None = None,
        progress: bool | None = None,
        observer: Observer | None = None,
        wait: float | None = None,
        on_wait: Callable[[str], None] | None = None,
        bulk: BulkImport | None = None,
        **legacy: Any,
    ) -> None:
        options = options or LoadOptions()
        if legacy:  # batch_size=, encoding=, force= as keywords, as before LoadOptions
            options = replace(options, **legacy)
        self.writer = writer
        self.rejects = rejects
        self.home = Path(home)
        self.archive = Archive(self.home)
        self.options = options
        self.progress = progress
        self.observer = observer
        self.wait = wait
        self.on_wait = on_wait
        self.bulk = bulk
        #: set by kg rebuild: replay this record (its number, day and options) exactly
        self.replaying: LoadRecord | None = None
        self._kept: BaseException | None = None

    # -- the whole dataset -------------------------------------------------------------------
    def load(self, path: Path) -> LoadReport:
        with load_lock(self.home, wait=self.wait, on_wait=self.on_wait, holder=f"kg load {path}"):
            return self._load_locked(Path(path))

    def _load_locked(self, path: Path) -> LoadReport:
        started = time.perf_counter()
        options = self.options
        export = options.export_to is not None
        #: nothing goes into the graph or the history
        dry = options.dry_run or export
        # A batch import killed half-way left a store Neo4j must not open: cleared first,
        # under the lock (a load waiting for another's import must not clear its store)
        recovered = self.bulk.recover() if self.bulk is not None and not dry else False
        #: the embedded graph is empty, known without asking Neo4j (it is not running and has no
        #: store): nothing is read from it, and a load through the importer starts Neo4j only
        #: on the imported store
        empty = not export and self.bulk is not None and self.bulk.known_empty()
        interrupted = [] if dry or self.replaying else self.archive.mark_interrupted()
        for number in interrupted:
            self._reconcile(number, empty)
        sources, ignored = find_sources(path, options.encoding)
        if not any(s.stem == "regions" for s in sources):
            raise DatasetError(
                f"{path}: the dataset has no regions file (regions.csv or a sheet named regions); "
                "it is the one file every dataset must have"
            )
        if not export and not empty:
            self.writer.ensure_schema()
        if options.region is not None:
            self._check_region(options.region, empty)
        _, held = (None, {}) if export or empty else self.writer.read_state()
        marks = {s.stem: fingerprint(s) for s in sources}
        to_load = [s for s in sources if options.force or held.get(s.stem) != marks[s.stem]]
        day = options.day or dt.date.today()
        report = LoadReport(
            str(path),
            dry_run=options.dry_run,
            ignored=ignored,
            interrupted=interrupted,
            rejects_path=str(self.rejects.path),
            recovered_import=recovered,
        )
        rows = sum(s.total or 0 for s in to_load)
        bulk = (
            self.bulk is not None
            and not dry
            and options.bulk != "never"
            and (options.bulk == "always" or rows >= BULK_ROWS)
            and (empty or self.writer.node_count() == 0)
        )
        if empty and not bulk and not dry:
            # written by transactions after all: Neo4j starts now (its first use)
            self.writer.ensure_schema()
            empty = False
        record: LoadRecord | None = None
        keeper: threading.Thread | None = None
        self._kept = None
        if not dry:
            number = self.replaying.load if self.replaying else self.archive.next_number()
            report.load = number
            record = LoadRecord(
                load=number,
                started_at=self.replaying.started_at if self.replaying else now(),
                path=self.replaying.path if self.replaying else str(path.resolve()),
                day=day.isoformat(),
                options=options.recorded(),
                sources={
                    s.stem: {
                        "name": s.path.name,
                        "sheet": s.sheet,
                        "encoding": s.encoding,
                        "sha256": s.digest,
                    }
                    for s in sources
                },
            )
            if not self.replaying:
                self.archive.save(record)
                # the files are compressed into the archive beside the load (xz releases the GIL)
                keeper = threading.Thread(
                    target=self._keep, args=(sources,), name="kg-archive", daemon=True
                )
                keeper.start()
            # Files about to load are no longer complete in the graph until they are (a graph
            # known to be empty holds none: its first state is written after the import).
            pending = {s.stem for s in to_load}
            if not empty:
                self.writer.write_state(number, {k: v for k, v in held.items() if k not in pending})
        touched: set[str] = set()
        for s in to_load:
            touched |= touched_by(s.stem)
        watch = self.observer if (self.observer and not dry and not self.replaying) else None
        log = self.archive.change_log(record.load) if record and not self.replaying else None
        staging = Path(tempfile.mkdtemp(prefix="import-", dir=self.home)) if bulk else None
        target = options.export_to if export else staging
        files = ImportFiles(target) if target is not None else None
        run = _Run(self, report, log, dry, files, offline=export or empty)
        if watch is not None:
            # the worklists as they were, taken just before the first write (none: no change)
            run.watch_before = lambda: {} if bulk else watch.snapshot(day, touched)
        try:
            for source in sources:
                if source in to_load:
                    run.load_file(source)
                else:
                    run.skip_file(source)
            run.retract_all()
            if files is not None:
                nodes, relationships = files.close()
                if export:
                    import_readme(target, nodes, relationships)  # type: ignore[arg-type]
                else:
                    assert self.bulk is not None
                    report.imported_seconds = self.bulk.run(nodes, relationships)
                    self.writer.forget_bookmarks()
                    self.writer.ensure_schema()
            if record is not None:
                for f in report.files:
                    if (
                        f.status == "loaded"
                        and not f.rejected
                        and not f.kept
                        and not (options.partial or options.region)
                    ):
                        held[f.stem] = marks[f.stem]
                    elif f.status != "skipped":
                        held.pop(f.stem, None)
                self.writer.write_state(report.load or 0, held)
            if watch is not None and record is not None:
                before = run.before if run.before is not None else {}
                after = watch.snapshot(day, touched) if run.before is not None else {}
                diff = _worklist_changes(watch.names, before, after)
                self.archive.save_worklists(record.load, diff)
                report.worklists = {
                    name: {k: len(v) for k, v in change.items()} for name, change in diff.items()
                }
        except BaseException:
            if record is not None and not self.replaying:
                record.status = "failed"
                record.finished_at = now()
                record.files = {f.stem: f.counts() for f in report.files}
                self.archive.save(record)
            raise
        finally:
            if log is not None:
                log.close()
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
        if keeper is not None:
            keeper.join()
            if self._kept is not None:
                raise self._kept
        report.seconds = time.perf_counter() - started
        report.retried_transactions = self.writer.retries
        if record is not None and not self.replaying:
            record.status = "complete"
            record.finished_at = now()
            record.exit_code = report.exit_code
            record.files = {f.stem: f.counts() for f in report.files}
            self.archive.save(record)
        return report

    def _keep(self, sources: list[Source]) -> None:
        try:
            for source in sources:
                self.archive.keep(source.path, source.digest)
        except BaseException as e:  # handed to the load's thread, which raises it
            self._kept = e

    def _reconcile(self, load: int, empty: bool) -> None:
        """Keep of an interrupted load's change list what the graph confirms: facts it added
        or changed carry its number, facts it retracted are gone (each batch is logged before
        its transaction, so the list may name a batch that never committed). ``empty``: the
        graph is known to be empty (an import interrupted before it ended, then cleared)."""
        entries = list(expanded(self.archive, load))
        confirmed: list[dict[str, Any]] = []
        for i in range(0, len(entries), 5000):
            chunk = entries[i : i + 5000]
            found: dict[str, dict[str, dict[str, Any]]] = {}
            for kind in {e["kind"] for e in chunk}:
                spec = SPECS[kind]
                keys = [key_string(spec, e["key"]) for e in chunk if e["kind"] == kind]
                found[kind] = {} if empty else self.writer.values(spec, keys)
            for e in chunk:
                fact = found[e["kind"]].get(key_string(SPECS[e["kind"]], e["key"]))
                if e["change"] in ("added", "changed"):
                    ok = fact is not None and fact["load"] == load
                elif e["change"] == "retracted":
                    ok = fact is None
                else:
                    ok = True
                if ok:
                    confirmed.append(e)
        self.archive.rewrite_changes(load, confirmed)

    def _check_region(self, region: str, empty: bool) -> None:
        found = {} if empty else self.writer.lookup("regions", [region])
        if region not in found:
            raise DatasetError(
                f"--region {region}: 图谱中没有这个区划代码 (no such region in the graph)"
            )
        if found[region] not in ("county", "township"):
            raise DatasetError(
                f"--region {region}: 只能是县或乡镇的区划代码 (must be a county or township, "
                f"not a {found[region]})"
            )


def _worklist_changes(
    names: Iterable[str],
    before: Mapping[str, list[dict[str, Any]]],
    after: Mapping[str, list[dict[str, Any]]],
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Per worklist, the rows that appeared and disappeared (rows compared as a whole)."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name in names:
        old = {json.dumps(r, sort_keys=True, default=str): r for r in before.get(name, [])}
        new = {json.dumps(r, sort_keys=True, default=str): r for r in after.get(name, [])}
        out[name] = {
            "appeared": [new[k] for k in new if k not in old],
            "disappeared": [old[k] for k in old if k not in new],
        }
    return out


def _plain_values(spec: FileSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """A fact's values as JSON values (neo4j and Python dates as ISO text)."""
    out = {}
    for column in spec.column_names:
        value = values.get(column)
        iso = getattr(value, "iso_format", None)  # neo4j.time.Date
        out[column] = iso() if iso is not None else plain(value)
    return out


class _Run:
    """One load's work, file by file (phase 1), then the retractions (phase 2)."""

    def __init__(
        self,
        loader: Loader,
        report: LoadReport,
        log: ChangeLog | None,
        dry: bool,
        files: ImportFiles | None = None,
        *,
        offline: bool = False,
    ):
        #: the importer's input being written (first loads into an empty graph, --import-csv)
        self.files = files
        self.loader = loader
        self.writer = loader.writer
        self.options = loader.options
        self.report = report
        self.log = log
        self.dry = dry
        #: the worklists before this load wrote anything (taken by :meth:`wrote`)
        self.before: dict[str, list[dict[str, Any]]] | None = None
        self.watch_before: Callable[[], dict[str, list[dict[str, Any]]]] | None = None
        #: no database is read: --import-csv (the dataset must stand on its own), or a graph
        #: known to be empty (what the dataset refers to is in it, or nowhere)
        self.offline = offline
        self.resolver = Resolver(self.writer.lookup if not self.offline else lambda _, __: {})
        self.retractions: list[_Retraction] = []
        self._in_region: dict[str, set[str]] = {}

    # -- one file ----------------------------------------------------------------------------
    def skip_file(self, source: Source) -> None:
        spec = SPECS[source.stem]
        fr = FileReport(spec.stem, source.label, sha256=source.digest, status="skipped")
        fr.unchanged = 0 if self.offline else self.writer.count(spec)
        self.report.files.append(fr)

    def load_file(self, source: Source) -> None:
        spec = SPECS[source.stem]
        fr = FileReport(spec.stem, source.label, sha256=source.digest)
        self.report.files.append(fr)
        started = time.perf_counter()
        rows = source.rows()
        try:
            _, header = next(rows)
        except StopIteration:
            header = []
        headers = HeaderMap(spec, header)
        fr.unknown_columns = headers.unknown
        checker = RowChecker(spec, headers, source.label)
        bar = tqdm(
            total=source.total,
            desc=source.label,
            unit="行",
            disable=not self.loader.progress if self.loader.progress is not None else None,
            leave=False,
        )
        try:
            blocking = source.layout.blocking
            if blocking is not None or (headers.missing_required and header):
                self._reject_all(spec, checker, headers, rows, fr, bar, blocking)
                fr.status = "unreadable"
                return
            total = 0 if self.offline else self.writer.count(spec)
            state = (
                KindState.from_pairs((k, h) for k, h, _ in self.writer.facts(spec, total=total))
                if total
                else KindState.empty(source.total or 0)
            )
            # A kind the graph does not hold yet cannot lose anything: write as the rows come.
            streaming = total == 0 and (not self.dry or self.files is not None)
            spool = None if streaming else _Spool()
            try:
                sink: _Sink
                if self.files is not None:
                    sink = _FileSink(self, spec, fr)
                elif spool is None:
                    sink = self._writer_sink(spec, fr)
                else:
                    sink = spool
                if spec.parent_column:
                    self._tree(spec, checker, rows, fr, bar, state, sink)
                else:
                    self._stream(spec, checker, rows, fr, bar, state, sink)
                if spool is not None:
                    self._after_read(spec, source, fr, state, total, spool)
            finally:
                if spool is not None:
                    spool.close()
        finally:
            bar.close()
            # The next file refers to this one's nodes: everything is committed before it starts.
            self.writer.drain()
            fr.seconds = time.perf_counter() - started
            fr.layout = source.layout.notices()

    def _reject_all(
        self,
        spec: FileSpec,
        checker: RowChecker,
        headers: HeaderMap,
        rows: Iterable[tuple[int, list[Any]]],
        fr: FileReport,
        bar: tqdm,
        blocking: Notice | None,
    ) -> None:
        """A file whose table cannot be read: every row rejected with why; nothing retracted."""
        if blocking is not None:
            code, ctx = blocking.code, blocking.ctx
        else:
            code = "missing_column"
            ctx = {
                "columns": "、".join(
                    f"{spec.column(c).zh}（{c}）" for c in headers.missing_required
                )
            }
        for number, cells in rows:
            fr.read += 1
            fr.rejected += 1
            self.loader.rejects.add([checker.reject(number, None, code, cells, **ctx)])
            bar.update()

    def _checked(
        self,
        spec: FileSpec,
        checker: RowChecker,
        rows: Iterable[tuple[int, list[Any]]],
        fr: FileReport,
        bar: tqdm,
        state: KindState,
    ) -> Iterator[Pending]:
        """Rows that pass the row rules; the others are rejected (keeping their fact)."""
        for number, cells in rows:
            fr.read += 1
            bar.update()
            values, errors = checker.check(number, cells)
            if values is None:
                self._reject(fr, checker, cells, errors, state)
                continue
            yield Pending(
                number, values, cells, key_string(spec, values), value_digest(spec, values)
            )

    def _reject(
        self,
        fr: FileReport,
        checker: RowChecker,
        cells: list[Any],
        errors: list[Reject],
        state: KindState,
    ) -> None:
        fr.rejected += 1
        self.loader.rejects.add(errors)
        key = checker.key_of(cells)
        if key is not None:
            state.protect(key)

    def _written(self) -> tuple[Verdict, ...]:
        """The rows written: added and changed; with ``force`` unchanged ones too (rewritten
        as this version of kg writes them, e.g. after an upgrade), not counted as changes."""
        if self.options.force:
            return (Verdict.ADDED, Verdict.CHANGED, Verdict.UNCHANGED)
        return (Verdict.ADDED, Verdict.CHANGED)

    def _admit(
        self,
        spec: FileSpec,
        checker: RowChecker,
        fr: FileReport,
        state: KindState,
        p: Pending,
    ) -> Verdict | None:
        """Compare an accepted row with the graph; None when it is a conflicting duplicate."""
        admitted = state.admit(p.key, p.digest, p.row)
        if admitted.verdict is Verdict.CONFLICT:
            fr.rejected += 1
            self.loader.rejects.add(
                [
                    checker.reject(
                        p.row,
                        spec.key_columns[0],
                        "duplicate_conflict",
                        p.cells,
                        first_row=admitted.first_row,
                    )
                ]
            )
            return None
        fr.loaded += 1
        if admitted.verdict is Verdict.REPEATED:
            fr.duplicates += 1
        elif admitted.verdict is Verdict.UNCHANGED:
            fr.unchanged += 1
        return admitted.verdict

    def _stream(
        self,
        spec: FileSpec,
        checker: RowChecker,
        rows: Iterable[tuple[int, list[Any]]],
        fr: FileReport,
        bar: tqdm,
        state: KindState,
        sink: _Sink,
    ) -> None:
        batch: list[Pending] = []
        size = self.options.batch_size
        written = self._written()
        unresolved: set[str] = set()  # keys of rows rejected for their references

        def flush() -> None:
            # Compared with the graph first: an unchanged row's references were resolved when
            # it was written, and what it names cannot have gone since (a fact others refer
            # to is never retracted), so only added and changed rows are looked up.
            fresh: list[tuple[Verdict, Pending]] = []
            repeats: list[Pending] = []
            for p in batch:
                verdict = self._admit(spec, checker, fr, state, p)
                if verdict in written:
                    fresh.append((verdict, p))
                elif verdict is Verdict.REPEATED:
                    repeats.append(p)
            _, rejects = self.resolver.resolve(spec, checker, [p for _, p in fresh])
            for _, p in fresh:
                if p.row in rejects:
                    # counted as loaded by _admit: now a reject that keeps its fact
                    fr.loaded -= 1
                    fr.rejected += 1
                    self.loader.rejects.add(rejects[p.row])
                    unresolved.add(p.key)
            # an identical repeat of a row whose references failed shares its fate
            twins = [p for p in repeats if p.key in unresolved]
            if twins:
                _, twin_rejects = self.resolver.resolve(spec, checker, twins)
                for p in twins:
                    if p.row in twin_rejects:
                        fr.loaded -= 1
                        fr.duplicates -= 1
                        fr.rejected += 1
                        self.loader.rejects.add(twin_rejects[p.row])
            sink([(v, p) for v, p in fresh if p.row not in rejects])

        for pending in self._checked(spec, checker, rows, fr, bar, state):
            batch.append(pending)
            if len(batch) >= size:
                flush()
                batch = []
        if batch:
            flush()

    def _tree(
        self,
        spec: FileSpec,
        checker: RowChecker,
        rows: Iterable[tuple[int, list[Any]]],
        fr: FileReport,
        bar: tqdm,
        state: KindState,
        sink: _Sink,
    ) -> None:
        """Regions and organizations: hold the file, reject cycles, write parents first."""
        written = self._written()
        parent = spec.parent_column
        id_column = spec.id_column
        assert parent and id_column
        held: dict[str, tuple[Verdict, Pending]] = {}
        for p in self._checked(spec, checker, rows, fr, bar, state):
            verdict = self._admit(spec, checker, fr, state, p)
            if verdict is not None and verdict is not Verdict.REPEATED:
                held[p.values[id_column]] = (verdict, p)
        bad: dict[str, list[Reject]] = {}
        if spec.stem == "regions" and held:
            top = min(LEVEL_RANK[p.values["level"]] for _, p in held.values())
            for rid, (_, p) in held.items():
                if p.values[parent] is None and LEVEL_RANK[p.values["level"]] > top:
                    bad[rid] = [checker.reject(p.row, parent, "missing_parent", p.cells)]
        parents = {rid: p.values[parent] for rid, (_, p) in held.items()}
        plan = plan_tree(parents, bad)
        for rid, cycle in plan.cycles.items():
            p = held[rid][1]
            text = " → ".join(cycle)
            bad.setdefault(rid, []).append(
                checker.reject(p.row, parent, "cycle", p.cells, path=text)
            )
        level = "level" if spec.stem == "regions" else None
        own = {
            rid: (p.values[level] if level else None)
            for rid, (_, p) in held.items()
            if rid not in bad and rid not in plan.orphans
        }
        candidates = [p for rid, (_, p) in held.items() if rid not in bad]
        _, ref_rejects = self.resolver.resolve(spec, checker, candidates, own=own)
        by_row = {p.row: rid for rid, (_, p) in held.items()}
        for row, errors in ref_rejects.items():
            bad.setdefault(by_row[row], []).extend(errors)
        plan = plan_tree(parents, bad)  # orphans of every rejected row, and the final order
        for rid, up in plan.orphans.items():
            if rid not in bad:
                p = held[rid][1]
                bad[rid] = [
                    checker.reject(p.row, parent, "dangling", p.cells, target=spec.stem, value=up)
                ]
        for rid, errors in bad.items():
            verdict, p = held[rid]
            fr.rejected += 1
            fr.loaded -= 1
            if verdict is Verdict.UNCHANGED:
                fr.unchanged -= 1
            self.loader.rejects.add(errors)
        if self.dry:
            self.resolver.accept(
                spec.stem,
                ((rid, p.values.get("level")) for rid, (_, p) in held.items() if rid not in bad),
            )
        for generation in plan.generations:
            chosen = [held[rid] for rid in generation if held[rid][0] in written]
            for i in range(0, len(chosen), self.options.batch_size):
                sink(chosen[i : i + self.options.batch_size])
            if chosen:
                sink.barrier()  # parents are committed before their children's batch

    # -- guard, then the writes of a kind the graph already holds -----------------------------
    def _after_read(
        self,
        spec: FileSpec,
        source: Source,
        fr: FileReport,
        state: KindState,
        total: int,
        spool: _Spool,
    ) -> None:
        candidates: list[str] = []
        in_scope = total
        if not self.options.partial and state.unnamed:
            candidates, in_scope = self._candidates(spec, state)
        share_too_big = len(candidates) > GUARD_SHARE * in_scope and len(candidates) > GUARD_MIN
        everything = bool(candidates) and len(candidates) == in_scope
        if (share_too_big or everything) and not self.options.allow_retract:
            fr.status = "blocked"
            fr.blocked = {
                "would_retract": len(candidates),
                "facts": in_scope,
                "region": self.options.region,
            }
            fr.loaded = 0
            fr.unchanged = 0
            fr.duplicates = 0
            return
        spool.replay(self._writer_sink(spec, fr))
        if self.dry:
            fr.retracted = len(candidates)
        elif candidates:
            self.retractions.append(_Retraction(spec, source.label, candidates, fr))

    def _candidates(self, spec: FileSpec, state: KindState) -> tuple[list[str], int]:
        """Facts of the kind that the file no longer holds (within the region, if given), and
        how many facts of the kind lie in scope."""
        region = self.options.region
        if region is None:
            facts = self.writer.facts(spec, total=state.size)
            keys = [k for k, _, _ in facts if state.is_unnamed(k)]
            return keys, state.size
        places = [self._entities_in(spec.target(a) or spec.stem) for a in spec.anchors]
        keys = []
        in_scope = 0
        for key, _, anchors in self.writer.facts(spec, anchors=True, total=state.size):
            if any(v is not None and v in places[i] for i, v in enumerate(anchors)):
                in_scope += 1
                if state.is_unnamed(key):
                    keys.append(key)
        return keys, in_scope

    def _entities_in(self, stem: str) -> set[str]:
        if stem not in self._in_region:
            assert self.options.region is not None
            self._in_region[stem] = self.writer.in_region(stem, self.options.region)
        return self._in_region[stem]

    def _writer_sink(self, spec: FileSpec, fr: FileReport) -> _WriteSink:
        return _WriteSink(self, spec, fr)

    def write_batch(
        self, spec: FileSpec, fr: FileReport, batch: list[tuple[Verdict, Pending]]
    ) -> None:
        """Write a batch of added and changed rows, and record them in the change log."""
        if not batch:
            return
        added = [p for v, p in batch if v is Verdict.ADDED]
        changed = [p for v, p in batch if v is Verdict.CHANGED]
        fr.added += len(added)
        fr.changed += len(changed)
        if self.dry:
            if spec.id_column:
                self.resolver.accept(
                    spec.stem, ((p.values[spec.id_column], p.values.get("level")) for p in added)
                )
            return
        self.wrote()
        entries: list[dict[str, Any]] = []
        if changed:
            keys = [p.key for p in changed]
            before = self.writer.values(spec, keys)
            regions = self._regions(
                spec, [b["values"] for b in before.values()] + [p.values for p in changed]
            )
            for key, p in zip(keys, changed, strict=True):
                old = before.get(key)
                entries.append(
                    {
                        "kind": spec.stem,
                        "change": "changed",
                        "key": key_dict(spec, p.values),
                        "before": _plain_values(spec, old["values"]) if old else None,
                        "after": _plain_values(spec, p.values),
                        "file": fr.source,
                        "row": p.row,
                        "regions": sorted(
                            set(self._places(spec, regions, [old["values"]] if old else []))
                            | set(self._places(spec, regions, [p.values]))
                        ),
                    }
                )
        if added:
            # the rows, not the facts: their keys and values are in the archived file
            entries.append(
                {
                    "kind": spec.stem,
                    "change": "added",
                    "file": fr.source,
                    "rows": row_ranges(p.row for p in added),
                }
            )
        rows = [self._params(spec, p, fr.source) for _, p in batch]
        if spec.lock_order:
            rows.sort(key=lambda r: tuple(r[c] or "" for c in spec.lock_order))
        # Logged before the write is queued: the next load keeps what the graph confirms.
        if self.log is not None:
            self.log.add(entries)
        self.writer.write(spec.stem, rows)

    def wrote(self) -> None:
        """Called before anything is written: the worklists' snapshot of before the load."""
        if self.before is None and self.watch_before is not None:
            self.before = self.watch_before()

    def import_batch(
        self, spec: FileSpec, fr: FileReport, batch: list[tuple[Verdict, Pending]]
    ) -> None:
        """Rows of a graph that has none of them yet, into the importer's files."""
        assert self.files is not None
        if not batch:
            return
        self.wrote()
        fr.added += len(batch)
        if spec.id_column:  # later files refer to these: nothing is in the graph to look up
            self.resolver.accept(
                spec.stem, ((p.values[spec.id_column], p.values.get("level")) for _, p in batch)
            )
        if self.log is not None:
            self.log.add(
                [
                    {
                        "kind": spec.stem,
                        "change": "added",
                        "file": fr.source,
                        "rows": row_ranges(p.row for _, p in batch),
                    }
                ]
            )
        self.files.add(spec, [self._params(spec, p, fr.source) for _, p in batch])

    def _params(self, spec: FileSpec, p: Pending, source: str) -> dict[str, Any]:
        """A row as the write query takes it: values (dates as ISO strings: sending temporal
        values costs the driver twice as much per row), key, digest, owner and provenance."""
        params = dict(p.values)
        for name in spec.date_columns:
            if params[name] is not None:
                params[name] = params[name].isoformat()
        params.update(derived(spec.stem, p.values))
        params["key"] = p.key
        params["hash"] = p.digest
        params["owner"] = f"{spec.stem}:{p.key}"
        params["prov"] = {
            "source_file": source,
            "source_row": p.row,
            # --import-csv seeds a graph whose first recorded load will be number 1
            "source_load": self.report.load if self.report.load is not None else 1,
        }
        return params

    # -- where facts lie (for changes seen by region-bound readers) ---------------------------
    def _regions(
        self, spec: FileSpec, values: list[Mapping[str, Any]]
    ) -> dict[str, dict[str, list[str]]]:
        """target stem → {entity id: its divisions}, for the anchors of these facts."""
        wanted: dict[str, set[str]] = {}
        for v in values:
            for column in spec.anchors:
                if v.get(column) is not None:
                    wanted.setdefault(spec.target(column) or spec.stem, set()).add(v[column])
        return {t: self.writer.regions_of(t, sorted(ids)) for t, ids in wanted.items()}

    @staticmethod
    def _places(
        spec: FileSpec,
        regions: Mapping[str, Mapping[str, list[str]]],
        values: list[Mapping[str, Any]],
    ) -> list[str]:
        out: list[str] = []
        for v in values:
            for column in spec.anchors:
                target = spec.target(column) or spec.stem
                out.extend(regions.get(target, {}).get(v.get(column) or "", []))
        return sorted(set(out))

    # -- phase 2: retractions, last file first ------------------------------------------------
    def retract_all(self) -> None:
        for item in reversed(self.retractions):
            self._retract(item)

    def _retract(self, item: _Retraction) -> None:
        spec, fr = item.spec, item.report
        self.wrote()
        size = max(1, min(self.options.batch_size, 2000))
        for i in range(0, len(item.keys), size):
            keys = item.keys[i : i + size]
            before = self.writer.values(spec, keys)
            regions = self._regions(spec, [b["values"] for b in before.values()])
            # Logged before the transaction (a load killed right after it commits leaves no
            # retraction unrecorded); the next load keeps only what the graph confirms.
            if self.log is not None:
                self.log.add(
                    {
                        "kind": spec.stem,
                        "change": "retracted",
                        "key": key_dict(spec, before[k]["values"]),
                        "before": _plain_values(spec, before[k]["values"]),
                        "file": before[k]["file"],
                        "row": before[k]["row"],
                        "from_load": before[k]["load"],
                        "regions": self._places(spec, regions, [before[k]["values"]]),
                    }
                    for k in keys
                    if k in before
                )
            remaining = list(keys)
            done: set[str] = set()
            # Facts of one file may refer to each other (a region and its parent): retract
            # what nothing refers to, again until nothing more can go.
            while remaining:
                gone = self.writer.retract(spec, remaining)
                if not gone:
                    break
                done |= gone
                remaining = [k for k in remaining if k not in gone]
            fr.retracted += len(done)
            if remaining:
                fr.kept += len(remaining)
                if self.log is not None:
                    self.log.add(
                        {"kind": spec.stem, "change": "kept", "key": key_dict(spec, v["values"])}
                        for k, v in before.items()
                        if k in remaining
                    )
                referrers = self.writer.referrers(spec, remaining)
                self.loader.rejects.add(
                    Reject(
                        fr.source,
                        None,
                        None,
                        None,
                        None,
                        "still_referenced",
                        {
                            "key": key,
                            "file": referrers.get(key, {}).get("file") or "?",
                            "row": referrers.get(key, {}).get("row") or "?",
                        },
                    )
                    for key in remaining
                )


class _FileSink:
    """Writes a file's batches as the importer's input (no transaction; a barrier is moot)."""

    def __init__(self, run: _Run, spec: FileSpec, fr: FileReport) -> None:
        self.run, self.spec, self.fr = run, spec, fr

    def __call__(self, batch: list[tuple[Verdict, Pending]]) -> None:
        self.run.import_batch(self.spec, self.fr, batch)

    def barrier(self) -> None:
        pass


class _WriteSink:
    """Writes a file's batches as they come (a barrier waits for what was queued)."""

    def __init__(self, run: _Run, spec: FileSpec, fr: FileReport) -> None:
        self.run, self.spec, self.fr = run, spec, fr

    def __call__(self, batch: list[tuple[Verdict, Pending]]) -> None:
        self.run.write_batch(self.spec, self.fr, batch)

    def barrier(self) -> None:
        self.run.writer.drain()
