"""The ledgers over time (contract §4): ``/api/loads`` (the load history) and ``/api/changes``
(what changed between two loads: facts and worklist rows, paged, or CSV/xlsx).

Both read the load archive under ``$KG_HOME`` (``loaders/archive.py``), which the API and the
loader share. A region-bound token sees only the changes that lie in its region; values are
masked for the caller's role like every answer (id numbers, phones).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from access.errors import HttpError
from access.exports import table_download
from access.paging import page_of
from access.params import MAX_LOAD, output_format, single_args, whole_number
from access.request import note, principal, require
from access.services import services
from loaders.archive import COUNTS, Archive
from loaders.changes import COLUMNS, ChangesError, NoSuchLoad, between, flat_rows, public, scoped
from loaders.write import GraphWriter

__all__ = ["register"]

LOAD_COLUMNS = ("load", "started_at", "finished_at", "status", "path")
LOADS_PARAMS = ("format",)
CHANGES_PARAMS = ("from", "to", "page", "page_size", "format")


def _known(args: dict[str, str], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        raise HttpError(400, "bad_parameter", f"unknown parameter {unknown[0]!r}")


def _archive() -> Archive:
    return Archive(services().settings.kg_home)


@require("read")
def loads() -> Response:
    """Every load: number, when, path, status and per file what it did."""
    args = single_args(request.args)
    _known(args, LOADS_PARAMS)
    fmt = output_format(args, request.accept_mimetypes, principal())
    records = [r.public() for r in _archive().records()]
    note(rows=len(records))
    if fmt == "json":
        return jsonify({"loads": records})
    columns = [*LOAD_COLUMNS, "file", "sha256", *COUNTS]
    rows = [
        {**{k: r[k] for k in LOAD_COLUMNS}, "file": stem, **counts}
        for r in records
        for stem, counts in r["files"].items()
    ]
    return table_download({"query": "loads", "params": {}}, columns, rows, fmt)


@require("read")
def changes() -> Response:
    """Facts added, changed and retracted between loads ``from`` and ``to`` (default: the last
    two), and for consecutive loads the worklist rows that appeared or disappeared."""
    args = single_args(request.args)
    _known(args, CHANGES_PARAMS)
    fmt = output_format(args, request.accept_mimetypes, principal())
    start = whole_number(args, "from", -1, 0, MAX_LOAD) if "from" in args else None
    end = whole_number(args, "to", -1, 1, MAX_LOAD) if "to" in args else None
    if fmt == "json":
        page_of(args, 0)  # a bad page is refused before anything is read
    try:
        answer = between(_archive(), start, end)
    except NoSuchLoad as e:
        raise HttpError(404, "not_found", str(e)) from e
    except ChangesError as e:
        raise HttpError(400, "bad_parameter", str(e)) from e
    who = principal()
    if who.scope is not None:
        found = services()
        answer = scoped(answer, who.scope, GraphWriter(found.driver(), found.database))
    params = {"from": answer["from"], "to": answer["to"]}
    note(params=params)
    if fmt != "json":
        rows = who.masked(flat_rows(answer))
        note(rows=len(rows))
        return table_download({"query": "changes", "params": params}, COLUMNS, rows, fmt)
    facts = [public(f) for f in answer["facts"]]
    page = page_of(args, len(facts))
    body = who.masked({**params, "facts": page.cut(facts), "worklists": answer["worklists"]})
    body.update(page.to_json())
    note(rows=len(body["facts"]))
    return jsonify(body)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/loads", view_func=loads, methods=["GET"])
    bp.add_url_rule("/api/changes", view_func=changes, methods=["GET"])
