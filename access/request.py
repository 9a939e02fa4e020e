"""The request's side of access: who is asking (a bearer token, :func:`authenticate_bearer`;
an explorer session, :func:`authenticate_session`), what they may do (:func:`require`), and
the hooks every request passes (:func:`install`): the length of its URL, the audit log line,
the headers every answer carries.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, request

from access.context import Call, call
from access.errors import HttpError
from access.principal import Principal
from access.services import services

__all__ = [
    "MAX_URL",
    "authenticate_bearer",
    "authenticate_session",
    "install",
    "note",
    "principal",
    "require",
]

F = TypeVar("F", bound=Callable[..., Any])

#: the longest path and query string answered (a longer one: 414, audited)
MAX_URL = 8 * 1024


def principal() -> Principal:
    """The signed-in caller of this request (401 when there is none)."""
    who = call().principal
    if who is None:
        raise HttpError(401, "unauthorized", "a valid bearer token is required")
    return who


def authenticate_bearer() -> Principal | None:
    """The principal of the request's ``Authorization: Bearer`` token, or None. A refused
    token is noted for the audit log by its public id (revoked) or hash prefix (unknown)."""
    state = call()
    if state.principal is not None:
        return state.principal
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        return None
    tokens = services().tokens
    token = tokens.authenticate(secret)
    if token is None:
        state.credential = tokens.describe(secret)
        return None
    state.principal = Principal.from_token(token)
    return state.principal


def authenticate_session(sid: str) -> Principal | None:
    """The principal of the explorer session ``sid`` (from its cookie), or None when the
    session has ended, timed out or never was, or its token is revoked (the session is ended
    then). A refused session is noted for the audit log by its token's id."""
    state = call()
    found = services()
    record = found.sessions.check(sid)
    if record is None:
        return None
    token = found.tokens.get(record.token_id) if record.active else None
    if token is None:
        if record.active:  # its token was revoked: end it for every worker
            found.sessions.end(sid, "revoked")
        state.credential = record.token_id
        return None
    state.principal = Principal.from_token(token, session_id=record.public_id)
    return state.principal


def require(right: str) -> Callable[[F], F]:
    """A view for bearer tokens with ``right`` (401 without a valid token, 403 without the
    right)."""

    def wrap(view: F) -> F:
        @functools.wraps(view)
        def inner(*args: Any, **kwargs: Any) -> Any:
            who = authenticate_bearer()
            if who is None:
                raise HttpError(
                    401,
                    "unauthorized",
                    "a valid bearer token is required (Authorization: Bearer <token>; "
                    "kg token create makes one)",
                    {"WWW-Authenticate": 'Bearer realm="kg"'},
                )
            if not who.may(right):
                raise HttpError(403, "forbidden", f"the role {who.role} may not do this")
            return view(*args, **kwargs)

        return inner  # type: ignore[return-value]

    return wrap


def note(
    query: str | None = None, params: dict[str, Any] | None = None, rows: int | None = None
) -> None:
    """Say what the request ran, for the audit log (None leaves a field as it was)."""
    state = call()
    if query is not None:
        state.query = query
    if params is not None:
        state.params = params
    if rows is not None:
        state.rows = rows


def audit_record(state: Call, response: Response) -> dict[str, Any]:
    """The audit log's line for this request (masked by the log when written)."""
    who = state.principal
    params: Any = state.params
    if params is None and request.args:
        params = request.args.to_dict(flat=True)
    record: dict[str, Any] = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "token_id": who.token_id if who else state.credential,
        "role": who.role if who else None,
        "region": who.region if who else None,
        "session": who.session_id if who else None,
        "remote_addr": request.remote_addr,
        "method": request.method,
        "path": request.path,
        "query": state.query,
        "params": params or None,
        "status": response.status_code,
        "rows": state.rows,
        "duration_ms": round(1000 * (time.monotonic() - state.started), 1),
    }
    if state.error is not None and response.status_code >= 400:
        record["error"] = {"code": state.error[0], "message": state.error[1]}
    if state.cypher is not None:
        record["cypher"] = state.cypher
    return record


def _started() -> None:
    call()
    if len(request.full_path) > MAX_URL:
        raise HttpError(
            414,
            "uri_too_long",
            f"the path and query string are longer than {MAX_URL} characters",
        )


def _audited(response: Response) -> Response:
    services().audit.write(audit_record(call(), response))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def install(app: Flask) -> None:
    """Every request of ``app``: its URL's length checked, one audit log line, safe headers."""
    app.before_request(_started)
    app.after_request(_audited)
