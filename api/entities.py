"""``/api/search``, the entity card ``/api/entities/ID`` and its help trace
``/api/entities/ID/trace``."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from access.errors import HttpError
from access.params import single_args, strict_params
from access.request import note, principal, require
from api.named import answer, run_named

__all__ = ["entity", "register", "search", "trace"]


@require("read")
def search() -> Response:
    """The matches, best first, one page of them (``offset``, ``limit``), and ``total_rows``:
    how many there are in all (1,000 or more when the list was cut)."""
    raw = strict_params("search", single_args(request.args))
    result = run_named("search", raw)
    if result.rows:
        total = int(result.rows[0]["total"])
    elif raw.get("offset", "0") != "0":  # a page past the end: count from the first page
        first = run_named("search", {**raw, "offset": "0", "limit": "1"}).rows
        total = int(first[0]["total"]) if first else 0
    else:
        total = 0
    who = principal()
    body = who.masked(result.to_json())
    body["total_rows"] = total
    note(query="search", params=result.to_json(rows=[])["params"], rows=len(body["rows"]))
    return jsonify(body)


@require("read")
def entity(entity_id: str) -> Response:
    if single_args(request.args):
        raise HttpError(400, "bad_parameter", "the entity card takes no parameters")
    result = run_named("card", {"id": entity_id})
    note(rows=len(result.rows))
    if not result.rows:
        raise HttpError(404, "not_found", "no entity with this id (in the token's region)")
    return jsonify(principal().masked(result.to_json()["rows"][0]))


@require("read")
def trace(entity_id: str) -> Response:
    raw = strict_params("help_trace", single_args(request.args))
    if "id" in raw:
        raise HttpError(400, "bad_parameter", "id: it is the path's")
    result = run_named("help_trace", {**raw, "id": entity_id})
    return answer(result, "json")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/search", view_func=search, methods=["GET"])
    bp.add_url_rule("/api/entities/<entity_id>", view_func=entity, methods=["GET"])
    bp.add_url_rule("/api/entities/<entity_id>/trace", view_func=trace, methods=["GET"])
