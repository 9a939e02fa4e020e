"""The named queries: ``/api/queries/NAME`` (worklists paged, every answer also as CSV or
xlsx) and ``/api/queries/NAME/rollup`` (a worklist counted per county and township)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, Response, jsonify, request

from access.context import call
from access.errors import HttpError
from access.exports import table_download
from access.paging import Page, page_of
from access.params import API_PARAMS, output_format, single_args, strict_params
from access.request import note, principal, require
from access.services import services
from queries.registry import QuerySpec
from queries.rollup import rollup
from queries.runner import Result

__all__ = ["answer", "register", "run_named", "run_page"]


def run_named(name: str, raw: Mapping[str, str]) -> Result:
    """The named query ``name`` with the query-string values ``raw``, scoped to the caller's
    region, from the result cache when the graph has not changed; noted for the audit log."""
    found = services()
    note(query=name, params=dict(raw))
    result = found.cache.execute(
        found.driver(),
        found.database,
        name,
        raw,
        scope=principal().scope,
        timeout=found.config.query_timeout,
    )
    note(params=result.to_json(rows=[])["params"])
    return result


def answer(result: Result, fmt: str) -> Response:
    """``result`` as the caller may see it: JSON, or every row as a ``csv``/``xlsx``
    download; masked for the caller's role."""
    who = principal()
    if fmt != "json":
        note(rows=len(result.rows))
        rows = who.masked(result.rows)
        return table_download(who.masked(result.to_json(rows=[])), result.columns, rows, fmt)
    return _json(result, None)


def _json(result: Result, page: Page | None) -> Response:
    """The answer (or the page of it it holds, with ``page``'s numbers) as JSON, masked."""
    body = principal().masked(result.to_json())
    if page is not None:
        body.update(page.to_json())
    note(rows=len(body["rows"]))
    return jsonify(body)


def run_page(name: str, raw: Mapping[str, str], asked: Page) -> tuple[Result, Page]:
    """The page ``asked`` of the worklist ``name`` (only its rows are read when the query
    allows: ``queries.cache.ResultCache.page``), with the worklist's number of rows."""
    found = services()
    note(query=name, params=dict(raw))
    result, total = found.cache.page(
        found.driver(), found.database, name, raw, scope=principal().scope,
        timeout=found.config.query_timeout, skip=asked.skip, limit=asked.page_size,
    )  # fmt: skip
    note(params=result.to_json(rows=[])["params"])
    return result, Page(asked.page, asked.page_size, total)


@require("read")
def query(name: str) -> Response:
    spec = services().specs[name]
    paged = spec.kind == "worklist"
    args = single_args(request.args)
    fmt = output_format(args, request.accept_mimetypes, principal())
    asked = page_of(args, 0) if paged else None  # checked before the query runs
    raw = strict_params(name, args, exclude=API_PARAMS if paged else ("format",))
    if asked is not None and fmt == "json":
        result, page = run_page(name, raw, asked)
        return _json(result, page)
    return answer(run_named(name, raw), fmt)


@require("read")
def query_rollup(name: str) -> Response:
    args = single_args(request.args)
    fmt = output_format(args, request.accept_mimetypes, principal())
    raw = strict_params(name, args, exclude=("format",))
    found = services()
    result = rollup(found.driver(), found.database, run_named(name, raw))
    return answer(result, fmt)


@require("read")
def unknown_query(name: str) -> Response:
    call().query = None
    raise HttpError(404, "not_found", "no named query of this name (see /api/queries)")


def register(bp: Blueprint, known: dict[str, QuerySpec]) -> None:
    for name, spec in known.items():
        bp.add_url_rule(
            f"/api/queries/{name}",
            endpoint=f"query_{name}",
            view_func=query,
            defaults={"name": name},
            methods=["GET"],
        )
        if spec.kind == "worklist" and "region_id" in spec.columns:
            bp.add_url_rule(
                f"/api/queries/{name}/rollup",
                endpoint=f"rollup_{name}",
                view_func=query_rollup,
                defaults={"name": name},
                methods=["GET"],
            )
    bp.add_url_rule("/api/queries/<name>", view_func=unknown_query, methods=["GET"])
