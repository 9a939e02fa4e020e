"""The explorer's blueprints and what every page shares: the security headers (a strict
Content-Security-Policy: scripts, styles and images from this server only, no inline script),
the one error page, the words of the templates.

Every form is a POST protected by Flask-WTF's CSRF token (checked by this blueprint only:
the API's bearer-token routes are not forms).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, g, render_template, request, send_from_directory
from flask_wtf.csrf import CSRFProtect

from access.errors import Problem, handler, json_response
from access.principal import Principal, masked_for
from web.i18n import fmt_date, fmt_number, word

__all__ = ["VIZ_STATIC", "assets", "bp", "csrf", "error_page", "vis_style_hashes"]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' {styles}; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
VIZ_STATIC = Path(__file__).resolve().parent.parent / "viz" / "static"

bp = Blueprint("web", __name__, template_folder="templates")
assets = Blueprint("web_assets", __name__, static_folder="static", static_url_path="/web/static")
csrf = CSRFProtect()

#: the words of an error whose message is only its status's default
_GENERIC = {
    400: "bad_request",
    401: "sign_in_first",
    403: "forbidden",
    404: "not_found",
    414: "too_long",
    429: "too_many",
    500: "internal",
    503: "unavailable",
}


@functools.cache
def vis_style_hashes() -> str:
    """CSP hashes of the ``<style>`` elements vis-network adds to the page as it loads.

    The standalone build injects its CSS: a helper creates an empty ``<style>`` element and
    appends one constant string to it, once per string. Rather than allow every inline style
    (``'unsafe-inline'``), the page allows exactly those: their SHA-256 (and that of the empty
    element), found by reading the helper's calls in the file served. A new vis-network copy
    is read the same way; the browser tests fail on any CSP violation.
    """
    text = (VIZ_STATIC / "vis-network.min.js").read_text(encoding="utf-8")
    helper = re.search(
        r"function (\w+)\(\w+,\w+\)\{void 0===\w+&&\(\w+=\{\}\);var \w+=\w+\.insertAt;"
        r'[^}]*?createElement\("style"\)',
        text,
    )
    if helper is None:  # pragma: no cover - a vis-network that injects no CSS this way
        return ""
    call = re.compile(
        r"(?<![\w.$])"
        + re.escape(helper.group(1))
        + r"\((\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')\)"
    )
    styles = {""}
    for literal in call.findall(text):
        body = literal[1:-1]
        if literal[0] == "'":
            body = body.replace("\\'", "'").replace('"', '\\"')
        try:
            styles.add(json.loads('"' + body + '"'))
        except ValueError:  # pragma: no cover - not a plain string
            continue
    digests = sorted(
        base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
        for css in styles
    )
    return " ".join(f"'sha256-{d}'" for d in digests)


def _security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP.format(styles=vis_style_hashes())
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


@bp.after_request
def headers(response: Response) -> Response:
    return _security_headers(response)


@assets.after_request
def asset_headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, max-age=3600"
    return _security_headers(response)


@assets.get("/web/vendor/vis-network.min.js")
def vis_network() -> Response:
    return send_from_directory(VIZ_STATIC, "vis-network.min.js", mimetype="text/javascript")


# -- the error page ---------------------------------------------------------------------------


def error_page(problem: Problem, who: Principal | None) -> Response:
    """The explorer's rendering of an error (JSON for its ``.json`` endpoints): the message
    in the page's language when it is only the status's default, masked for the role."""
    lang = g.get("lang", "zh")
    key = _GENERIC.get(problem.status)
    message = word(key, lang) if problem.generic and key else problem.message
    if request.path.endswith(".json"):
        return json_response(Problem(problem.status, problem.code, message, problem.headers), who)
    body = render_template("error.html", status=problem.status, message=masked_for(who, message))
    response = Response(body, status=problem.status, content_type="text/html; charset=utf-8")
    for name, value in problem.headers.items():
        response.headers[name] = value
    return response


bp.register_error_handler(Exception, handler(error_page))


# -- words of the templates -------------------------------------------------------------------


@bp.app_template_global()
def t(key: str, **values: Any) -> str:
    return word(key, g.get("lang", "zh"), **values)


@bp.app_template_filter("num")
def num_filter(value: Any) -> str:
    if value is None:
        return "—"
    return fmt_number(value, g.get("lang", "zh"))


@bp.app_template_filter("day")
def day_filter(value: dt.date) -> str:
    return fmt_date(value, g.get("lang", "zh"))
