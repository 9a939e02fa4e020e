"""The named queries: ``/api/queries/NAME`` (worklists paged, every answer also as CSV or
xlsx) and ``/api/queries/NAME/rollup`` (a worklist counted per county and township)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, Response, jsonify, request

from access.context import call
from access.errors import HttpError
from access.exports import table_download
from access.paging import page_of
from access.params import API_PARAMS, output_format, single_args, strict_params
from access.request import note, principal, require
from access.services import services
from queries.registry import QuerySpec
from queries.rollup import rollup
from queries.runner import Result

__all__ = ["answer", "register", "run_named"]


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


def answer(result: Result, fmt: str, *, args: Mapping[str, str], paged: bool) -> Response:
    """``result`` as the caller may see it: JSON (a page of it when ``paged``), or every row
    as a ``csv``/``xlsx`` download; masked for the caller's role."""
    who = principal()
    if fmt != "json":
        note(rows=len(result.rows))
        rows = who.masked(result.rows)
        return table_download(who.masked(result.to_json(rows=[])), result.columns, rows, fmt)
    rows = result.rows
    page = None
    if paged:  # the page is cut first: masking every row of a long worklist costs
        page = page_of(args, len(rows))
        rows = page.cut(rows)
    body = who.masked(result.to_json(rows=rows))
    if page is not None:
        body.update(page.to_json())
    note(rows=len(body["rows"]))
    return jsonify(body)


@require("read")
def query(name: str) -> Response:
    spec = services().specs[name]
    paged = spec.kind == "worklist"
    args = single_args(request.args)
    fmt = output_format(args, request.accept_mimetypes, principal())
    if paged:  # checked before the query runs
        page_of(args, 0)
    raw = strict_params(name, args, exclude=API_PARAMS if paged else ("format",))
    return answer(run_named(name, raw), fmt, args=args, paged=paged)


@require("read")
def query_rollup(name: str) -> Response:
    args = single_args(request.args)
    fmt = output_format(args, request.accept_mimetypes, principal())
    raw = strict_params(name, args, exclude=("format",))
    found = services()
    result = rollup(found.driver(), found.database, run_named(name, raw))
    return answer(result, fmt, args=args, paged=False)


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
