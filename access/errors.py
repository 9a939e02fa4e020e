"""Errors → HTTP, in one mapping: :func:`problem_for` turns any exception into a
:class:`Problem` (status, code, message, headers). The API renders it as JSON
(:func:`json_response`, ``{"error": {"code", "message"}}``), the explorer as its error page
(``web/``); both from the same Problem, so a status means the same on both.

====================================================  ======  ==============================
exception                                             status  code
====================================================  ======  ==============================
:class:`HttpError`                                    its own (401, 403, 404, 414, 429, …)
:class:`core.errors.InputError` (``ParamError``,      400     ``bad_parameter``, or the
``Rejected``)                                                 error's own ``code``
:class:`core.errors.NotFoundError`, ``UnknownSubject``  404     ``not_found``
:class:`core.errors.DatabaseError`, Neo4j unavailable   503     ``neo4j_unavailable``
Neo4j ``ClientError``: the transaction timed out        503     ``timeout``
Neo4j ``ClientError``: any other                        500     ``internal_error`` (logged)
Werkzeug's ``HTTPException``                          its own ``not_found``, ``rate_limited``, …
anything else                                         500     ``internal_error`` (logged)
====================================================  ======  ==============================

No message holds a stack trace or Cypher text; messages are masked for the caller's role
(:func:`access.principal.masked_for`), so an echoed id number stays masked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import neo4j.exceptions as nex
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from access.context import call
from access.principal import Principal, masked_for
from core.errors import DatabaseError, InputError, KgError, NotFoundError
from core.masking import mask

__all__ = [
    "HttpError",
    "Problem",
    "handler",
    "json_response",
    "problem_for",
    "register_json",
    "timed_out",
]

log = logging.getLogger("kg.access")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    429: "rate_limited",
}
#: what the API says for Werkzeug's own errors (the explorer words them in its language)
_HTTP_MESSAGES = {
    404: "no such endpoint (see /api/docs)",
    429: "too many requests: slow down (limit per token, KG_RATE_LIMIT)",
}


class HttpError(KgError):
    """A refusal answered with ``status``, ``code`` and ``message`` (and ``headers``)."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class Problem:
    status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)
    #: True when ``message`` is only the default for the status (a page may word it itself)
    generic: bool = False


def problem_for(e: BaseException) -> Problem:
    """The Problem of ``e``; unexpected errors are logged here (once, path masked)."""
    if isinstance(e, HttpError):
        return Problem(e.status, e.code, e.message, e.headers)
    if isinstance(e, InputError):
        code = getattr(e, "code", None)
        reason = getattr(e, "reason", None)
        return Problem(400, code if isinstance(code, str) else "bad_parameter", reason or str(e))
    if isinstance(e, NotFoundError):
        return Problem(404, "not_found", "nothing with this id (in the token's region)", {}, True)
    if isinstance(e, DatabaseError | nex.ServiceUnavailable | nex.SessionExpired):
        return _unavailable()
    if isinstance(e, nex.TransientError):
        return _unavailable()
    if isinstance(e, nex.ClientError):
        if timed_out(e):
            return Problem(503, "timeout", "the query took too long and was stopped", {}, True)
        log.error("Neo4j refused a query: %s", e.code)
        return Problem(500, "internal_error", "the query failed (logged)", {}, True)
    if isinstance(e, HTTPException):
        return _http(e)
    log.error(
        "unexpected error on %s %s",
        request.method,
        mask(request.path),
        exc_info=(type(e), e, e.__traceback__),
    )
    return Problem(500, "internal_error", "an unexpected error (logged)", {}, True)


def timed_out(e: nex.Neo4jError) -> bool:
    """Whether Neo4j stopped the transaction (its timeout, or terminated)."""
    code = e.code or ""
    return "TransactionTimedOut" in code or "Terminated" in code


def _unavailable() -> Problem:
    return Problem(
        503,
        "neo4j_unavailable",
        "Neo4j is not answering; try again shortly",
        {"Retry-After": "10"},
        True,
    )


def _http(e: HTTPException) -> Problem:
    status = e.code or 500
    description = e.description if isinstance(e.description, str) else ""
    generic = not description or description == type(e).description
    if status in _HTTP_MESSAGES:
        message = _HTTP_MESSAGES[status]
    elif status == 405:
        message = f"{request.method} is not allowed here"
    else:
        message = description or e.name
    headers = {
        key: value for key, value in e.get_headers() if key.lower() in ("allow", "retry-after")
    }
    if status == 429 and "Retry-After" not in headers:
        headers["Retry-After"] = "60"
    return Problem(status, _HTTP_CODES.get(status, "http_error"), message, headers, generic)


def json_response(problem: Problem, principal: Principal | None = None) -> Response:
    """The API's answer: ``{"error": {"code", "message"}}``, the message masked by role."""
    response = jsonify(
        {"error": {"code": problem.code, "message": masked_for(principal, problem.message)}}
    )
    response.status_code = problem.status
    for key, value in problem.headers.items():
        response.headers[key] = value
    return response


Renderer = Callable[[Problem, Principal | None], Response]


def handler(render: Renderer) -> Callable[[Exception], Response]:
    """An error handler: the Problem of the error, noted for the audit log, rendered."""

    def handle(e: Exception) -> Response:
        problem = problem_for(e)
        state = call()
        state.error = (problem.code, problem.message)
        return render(problem, state.principal)

    return handle


def register_json(app: Flask) -> None:
    """Answer every error of ``app`` outside the explorer's pages as JSON (the explorer's
    blueprint has its own handler, rendering the same :class:`Problem` as a page)."""
    app.register_error_handler(Exception, handler(json_response))
