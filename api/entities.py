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
    raw = strict_params("search", single_args(request.args))
    return answer(run_named("search", raw), "json", args={}, paged=False)


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
    return answer(result, "json", args={}, paged=False)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/search", view_func=search, methods=["GET"])
    bp.add_url_rule("/api/entities/<entity_id>", view_func=entity, methods=["GET"])
    bp.add_url_rule("/api/entities/<entity_id>/trace", view_func=trace, methods=["GET"])
