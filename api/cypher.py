"""``POST /api/cypher``: ad-hoc read-only Cypher for admin tokens without a region (the
checks are :mod:`api.adhoc`'s)."""

from __future__ import annotations

from typing import Any

import neo4j.exceptions as nex
from flask import Blueprint, Response, jsonify, request

from access.context import call
from access.errors import HttpError, timed_out
from access.request import note, principal, require
from access.services import services
from api.adhoc import Rejected, run_adhoc

__all__ = ["cypher", "register"]


def _body() -> tuple[str, dict[str, Any]]:
    """The request's ``{"query": "...", "params": {...}}`` (400 otherwise)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise HttpError(400, "bad_request", 'send JSON {"query": "...", "params": {...}}')
    unknown = set(body) - {"query", "params"}
    if unknown:
        raise HttpError(400, "bad_request", f"unknown fields: {', '.join(sorted(unknown))}")
    query, params = body.get("query"), body.get("params", {})
    if not isinstance(query, str) or not query.strip():
        raise HttpError(400, "bad_request", "query: a Cypher text is required")
    if not isinstance(params, dict):
        raise HttpError(400, "bad_request", "params: must be an object")
    return query, params


def _refusal(e: nex.ClientError, timeout: float) -> HttpError:
    """What Neo4j's refusal of an ad-hoc query tells the admin."""
    code = e.code or ""
    if timed_out(e):
        return HttpError(400, "timeout", f"the query ran longer than {timeout:g} s")
    if "AccessMode" in code or "Forbidden" in code:
        return HttpError(400, "not_read_only", "only reads are allowed")
    first = (e.message or "").strip().splitlines()
    reason = first[0] if first else "Neo4j refused the query"
    return HttpError(400, "cypher_error", f"{code.rsplit('.', 1)[-1]}: {reason}")


@require("cypher")
def cypher() -> Response:
    if principal().scope is not None:
        raise HttpError(
            403,
            "whole_city_only",
            "ad-hoc Cypher cannot be limited to a region: it needs an admin token without one",
        )
    query, params = _body()
    note(query="cypher", params=params)
    call().cypher = query
    found = services()
    timeout = found.config.cypher_timeout
    try:
        result = run_adhoc(
            found.driver(),
            found.database,
            query,
            params,
            timeout=timeout,
            max_rows=found.config.cypher_max_rows,
        )
    except (Rejected, nex.ServiceUnavailable, nex.SessionExpired):
        raise  # 400 with the check's code and reason; 503 (access.errors)
    except nex.ClientError as e:
        raise _refusal(e, timeout) from None
    except (TypeError, ValueError, OverflowError) as e:
        raise HttpError(400, "bad_parameter", f"params: cannot be sent to Neo4j ({e})") from None
    note(rows=len(result.rows))
    return jsonify(result.to_json())


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/cypher", view_func=cypher, methods=["POST"])
