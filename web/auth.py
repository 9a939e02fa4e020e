"""Signing in to the explorer (docs/explorer.md).

The sign-in form takes one of the API's tokens. A right one starts a **server-side session**
(:mod:`access.sessions`, shared by every gunicorn worker): a new random id, kept in the
session cookie (signed with :func:`web.secret.secret_key`, HttpOnly, SameSite=Lax, ``Secure``
on HTTPS), is all the cookie holds of it. Every request looks the session and its token up
again: a session signed out, timed out (idle or absolute) or of a revoked token is refused
(302 to the sign-in page), whatever cookie comes back. Failed sign-ins are counted per address
(:mod:`access.throttle`): past the limit, 429 with ``Retry-After``.

``next`` (where to go after signing in) is accepted only as a path on this site
(:func:`access.redirects.safe_target`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, TypeVar

from flask import (
    Flask,
    Response,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface

from access.context import call
from access.errors import HttpError
from access.principal import Principal, masked_for
from access.redirects import safe_target
from access.request import authenticate_session
from access.services import services
from web import i18n
from web.blueprint import bp, csrf
from web.i18n import word

__all__ = ["SessionInterface", "signed_in", "who"]

F = TypeVar("F", bound=Callable[..., Any])


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked ``Secure`` on every HTTPS request (as the request says
    it came, through ``kg serve --behind-proxy`` when a proxy ends TLS), not only when
    ``KG_SECURE_COOKIES`` asks for it always."""

    def get_cookie_secure(self, app: Flask) -> bool:
        configured = super().get_cookie_secure(app)
        return configured or (has_request_context() and request.is_secure)


def who() -> Principal:
    """The signed-in principal of this page (pages are wrapped by :func:`signed_in`)."""
    principal = call().principal
    if principal is None:  # pragma: no cover - every page view is wrapped by signed_in
        raise HttpError(401, "unauthorized", word("sign_in_first", g.lang))
    return principal


@bp.before_request
def identify() -> None:
    """The page's language, and who is signed in (from the server-side session)."""
    lang = request.args.get("lang")
    if lang in i18n.LANGS:
        session["lang"] = lang
    g.lang = session.get("lang", "zh") if session.get("lang") in i18n.LANGS else "zh"
    sid = session.get("sid")
    if isinstance(sid, str) and authenticate_session(sid) is None:
        session.pop("sid", None)
    if request.method == "POST":
        csrf.protect()


def signed_in(view: F) -> F:
    """A page for signed-in users: others are sent to sign in (401 for ``.json``)."""

    @functools.wraps(view)
    def inner(*args: Any, **kwargs: Any) -> Any:
        if call().principal is None:
            if request.path.endswith(".json"):
                raise HttpError(401, "unauthorized", word("sign_in_first", g.lang))
            return redirect(url_for("web.signin", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return inner  # type: ignore[return-value]


def _keep_lang() -> None:
    """A new session (and CSRF token), keeping only the language."""
    lang = session.get("lang")
    session.clear()
    if lang in i18n.LANGS:
        session["lang"] = lang


def _throttled(seconds: int) -> HttpError:
    minutes = max(1, math.ceil(seconds / 60))
    return HttpError(
        429,
        "signin_throttled",
        word("signin_throttled", g.lang, minutes=minutes),
        {"Retry-After": str(seconds)},
    )


@bp.route("/web/signin", methods=["GET", "POST"])
def signin() -> Any:
    error = None
    target = safe_target(request.values.get("next"), url_for("web.home"))
    state = call()
    state.query = "signin"
    if request.method == "POST":
        found = services()
        address = request.remote_addr or "-"
        wait = found.throttle.retry_after(address)
        if wait is not None:
            raise _throttled(wait)
        secret = (request.form.get("token") or "").strip()
        token = found.tokens.authenticate(secret) if secret else None
        if token is not None:
            found.throttle.succeeded(address)
            old = session.get("sid")
            if isinstance(old, str):
                found.sessions.end(old, "rotated")
            _keep_lang()
            sid, record = found.sessions.create(token.id, address)
            session["sid"] = sid
            state.principal = Principal.from_token(token, session_id=record.public_id)
            return redirect(target)
        state.credential = found.tokens.describe(secret) if secret else None
        wait = found.throttle.failed(address)
        if wait is not None:
            raise _throttled(wait)
        error = word("bad_token", g.lang)
    body = render_template("signin.html", error=error, next=masked_for(None, target))
    return Response(body, status=401 if error else 200, content_type="text/html; charset=utf-8")


@bp.post("/web/signout")
def signout() -> Any:
    sid = session.get("sid")
    if isinstance(sid, str):
        services().sessions.end(sid, "signout")
    _keep_lang()
    return redirect(url_for("web.signin"))
