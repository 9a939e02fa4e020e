"""The explorer's pages (docs/explorer.md).

Who is asking: the session cookie (signed with :func:`web.secret.secret_key`, HttpOnly,
SameSite=Lax) holds the public id of the API token that signed in; every request looks the
token up again (a revoked token signs its sessions out) and sets ``g.token``, so that the API's
audit log names it. Rights, region scope and masking are the API's (``api.app.RIGHTS``): every
query runs with ``scope=token.region``, every value shown goes through :func:`core.masking.mask`
unless the role may see personal data, downloads need the ``export`` right.

Every form is a POST protected by Flask-WTF's CSRF token (checked in this blueprint only: the
API's bearer-token routes are not forms). Pages send a strict Content-Security-Policy: scripts,
styles and images from this server only, no inline script.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import logging
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import neo4j
import neo4j.exceptions as nex
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from core.errors import DatabaseError
from core.masking import mask
from core.settings import WebConfig
from web import i18n
from web.i18n import WORKLISTS, fmt_date, fmt_number, fmt_value, word
from web.secret import secret_key

__all__ = ["MAX_NODES", "PAGE_SIZE", "bp", "register"]

log = logging.getLogger("kg.web")

F = TypeVar("F", bound=Callable[..., Any])

#: rows per worklist page
PAGE_SIZE = 50
#: a network with more nodes is not drawn in a page (kg viz can still write it)
MAX_NODES = 20_000
#: a session is signed out this long after signing in
SESSION_HOURS = 12
#: neighbours per node when a node is expanded
EXPAND_LIMIT = 200

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' {styles}; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")
VIZ_STATIC = Path(__file__).resolve().parent.parent / "viz" / "static"

bp = Blueprint("web", __name__, template_folder="templates")
assets = Blueprint("web_assets", __name__, static_folder="static", static_url_path="/web/static")
csrf = CSRFProtect()

#: the network views offered per label of entity: (view, default)
ENTITY_VIEWS: dict[str, tuple[str, ...]] = {
    "Person": ("helper", "neighbours"),
    "Household": ("household", "neighbours"),
    "Region": ("village", "neighbours"),
    "RelocationSite": ("site", "neighbours"),
    "Organization": ("org", "chain", "neighbours"),
    "Enterprise": ("neighbours",),
    "WorkTeam": ("neighbours",),
}
VIEW_NAMES = {
    "helper": ("帮扶网络", "help network"),
    "household": ("帮扶关系", "helpers"),
    "village": ("村帮扶网络", "village help network"),
    "site": ("安置点党员与组织", "relocation site"),
    "org": ("党组织体系", "organisation tree"),
    "chain": ("产业链", "industry chain"),
    "neighbours": ("直接关联", "direct neighbours"),
}
#: worklist columns holding entity ids (linked to their pages)
ID_COLUMNS = frozenset(
    {
        "helper_id",
        "household_id",
        "person_id",
        "site_id",
        "region_id",
        "unit_id",
        "township_id",
        "org_id",
        "household_ids",
        "current_org_ids",
    }
)


@dataclasses.dataclass
class State:
    """What the pages share, per app."""

    settings: Any
    graph: Any
    tokens: Any
    config: Any
    cache: Any
    default_as_of: dt.date | None
    memo: OrderedDict[tuple[Any, ...], Any] = dataclasses.field(default_factory=OrderedDict)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def driver(self) -> neo4j.Driver:
        driver: neo4j.Driver = self.graph.driver()
        return driver

    @property
    def database(self) -> str:
        return str(self.graph.database)

    def remembered(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """``make()`` kept per ``key`` and data version (a reload is seen at once), the last
        16 answers (the report, analytics: seconds of work at scale 1)."""
        from queries.runner import run

        version = run(self.driver(), self.database, "support/data_version")[1][0]["version"]
        full = (*key, version)
        with self.lock:
            if full in self.memo:
                self.memo.move_to_end(full)
                return self.memo[full]
        value = make()
        with self.lock:
            self.memo[full] = value
            while len(self.memo) > 16:
                self.memo.popitem(last=False)
        return value


def register(app: Flask, settings: Any, *, cache: Any, limiter: Any) -> None:
    kg = app.extensions["kg"]
    web = WebConfig.from_env()
    app.extensions["kg_web"] = State(
        settings, kg["graph"], kg["tokens"], kg["config"], cache, web.default_as_of
    )
    app.secret_key = secret_key(settings, web.secret_key)
    app.config.update(
        SESSION_COOKIE_NAME="kg_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=web.secure_cookies,
        # CSRF is checked by this blueprint on its own forms, not on the API's JSON routes
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,
    )
    csrf.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(assets)
    limiter.exempt(assets)


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


def state() -> State:
    st: State = current_app.extensions["kg_web"]
    return st


# -- who, language, date ----------------------------------------------------------------------


@bp.before_request
def identify() -> None:
    lang = request.args.get("lang")
    if lang in i18n.LANGS:
        session["lang"] = lang
    g.lang = session.get("lang", "zh") if session.get("lang") in i18n.LANGS else "zh"
    g.token = None
    token_id = session.get("tid")
    if isinstance(token_id, str):
        token = state().tokens.get(token_id)
        at = session.get("at")
        fresh = isinstance(at, int) and time.time() - at < SESSION_HOURS * 3600
        if token is None or not fresh:
            session.pop("tid", None)
            session.pop("at", None)
        else:
            g.token = token
    if request.method == "POST":
        csrf.protect()


@bp.after_request
def headers(response: Response) -> Response:
    return _security_headers(response)


@assets.after_request
def asset_headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, max-age=3600"
    return _security_headers(response)


def _security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP.format(styles=vis_style_hashes())
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


@assets.get("/web/vendor/vis-network.min.js")
def vis_network() -> Response:
    return send_from_directory(VIZ_STATIC, "vis-network.min.js", mimetype="text/javascript")


def signed_in(view: F) -> F:
    @functools.wraps(view)
    def inner(*args: Any, **kwargs: Any) -> Any:
        if g.token is None:
            if request.path.endswith(".json"):
                return _json_error(401, "sign in first")
            return redirect(url_for("web.signin", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return inner  # type: ignore[return-value]


def _rights() -> frozenset[str]:
    from api.app import RIGHTS

    return RIGHTS[g.token.role]


def _masked(value: Any) -> Any:
    return value if "unmasked" in _rights() else mask(value)


def _scope() -> str | None:
    region: str | None = g.token.region
    return region


def _as_of() -> dt.date:
    """The date asked for (``as_of``, kept in the session for the next pages), else the last
    one asked for, else ``KG_WEB_AS_OF``, else today."""
    text = request.args.get("as_of")
    if text:
        day = _parse_date(text)
        session["as_of"] = day.isoformat()
        return day
    kept = session.get("as_of")
    if isinstance(kept, str) and _DATE.fullmatch(kept):
        return dt.date.fromisoformat(kept)
    return state().default_as_of or dt.date.today()


def _parse_date(text: str) -> dt.date:
    if not _DATE.fullmatch(text):
        abort(400, word("bad_date", g.lang))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        abort(400, word("bad_date", g.lang))


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("web.home")


@bp.app_template_global()
def t(key: str, **values: Any) -> str:
    return word(key, g.get("lang", "zh"), **values)


@bp.app_template_global()
def lang_url(lang: str) -> str:
    params: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict(flat=True)}
    params["lang"] = lang
    return url_for(request.endpoint or "web.home", **params)


@bp.app_template_filter("num")
def num_filter(value: Any) -> str:
    if value is None:
        return "—"
    return fmt_number(value, g.get("lang", "zh"))


@bp.app_template_filter("day")
def day_filter(value: dt.date) -> str:
    return fmt_date(value, g.get("lang", "zh"))


@bp.context_processor
def common() -> dict[str, Any]:
    token = g.get("token")
    return {
        "lang": g.get("lang", "zh"),
        "token": token,
        "worklists": WORKLISTS,
        "region_name": _region_name(token.region) if token is not None and token.region else None,
        "label_name": i18n.label_name,
        "relationship_name": i18n.relationship_name,
        "prop_name": i18n.prop_name,
        "ordered_props": i18n.ordered_props,
        "fmt_value": fmt_value,
    }


def _region_name(region_id: str) -> str:
    for row in _regions():
        if row["region_id"] == region_id:
            return (
                f"{row['name']}（{region_id}）"
                if g.lang == "zh"
                else f"{row['name']} ({region_id})"
            )
    return region_id


# -- errors -----------------------------------------------------------------------------------


def _json_error(status: int, message: str) -> Response:
    response = jsonify({"error": {"code": str(status), "message": message}})
    response.status_code = status
    return response


def _error_page(status: int, message: str) -> Response:
    if request.path.endswith(".json"):
        return _json_error(status, message)
    body = render_template("error.html", status=status, message=message)
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    return response


@bp.errorhandler(HTTPException)
def http_error(e: HTTPException) -> Response:
    status = e.code or 500
    lang = g.get("lang", "zh")
    default = {
        400: word("bad_request", lang),
        403: word("forbidden", lang),
        404: word("not_found", lang),
    }
    description = e.description if isinstance(e.description, str) else ""
    generic = type(e).description
    message = description if description and description != generic else ""
    response = _error_page(status, message or default.get(status, e.name))
    for key, value in e.get_headers():
        if key.lower() in ("allow", "retry-after"):
            response.headers[key] = value
    return response


def _unavailable(_: Exception) -> Response:
    response = _error_page(503, word("unavailable", g.get("lang", "zh")))
    response.headers["Retry-After"] = "10"
    return response


for _exc in (nex.ServiceUnavailable, nex.SessionExpired, nex.TransientError, DatabaseError):
    bp.register_error_handler(_exc, _unavailable)


@bp.errorhandler(nex.ClientError)
def client_error(e: nex.ClientError) -> Response:
    if "TransactionTimedOut" in (e.code or "") or "Terminated" in (e.code or ""):
        return _unavailable(e)
    log.error("Neo4j refused a query of the explorer: %s", e.code)
    return _error_page(500, word("internal", g.get("lang", "zh")))


@bp.errorhandler(Exception)
def unexpected(e: Exception) -> Response:
    if isinstance(e, HTTPException):  # pragma: no cover - handled above
        return http_error(e)
    log.exception("unexpected error on %s %s", request.method, request.path)
    return _error_page(500, word("internal", g.get("lang", "zh")))


# -- sign-in ----------------------------------------------------------------------------------


@bp.route("/web/signin", methods=["GET", "POST"])
def signin() -> Any:
    error = None
    target = _safe_next(request.values.get("next"))
    if request.method == "POST":
        secret = (request.form.get("token") or "").strip()
        token = state().tokens.authenticate(secret) if secret else None
        if token is not None:
            lang = session.get("lang")
            session.clear()  # a new session (and CSRF token) for the signed-in user
            if lang in i18n.LANGS:
                session["lang"] = lang
            session["tid"] = token.id
            session["at"] = int(time.time())
            g.token = token
            return redirect(target)
        error = word("bad_token", g.lang)
    body = render_template("signin.html", error=error, next=target)
    return Response(body, status=401 if error else 200, content_type="text/html; charset=utf-8")


@bp.post("/web/signout")
def signout() -> Any:
    lang = session.get("lang")
    session.clear()
    if lang in i18n.LANGS:
        session["lang"] = lang
    return redirect(url_for("web.signin"))


# -- home -------------------------------------------------------------------------------------


def _worklist_params(name: str, day: dt.date) -> dict[str, str]:
    if name == "weak_organizations":
        return {"year": str(day.year)}
    return {"as_of": day.isoformat()}


def _run_worklist(name: str, raw: Mapping[str, str], scope: str | None) -> Any:
    st = state()
    g.query_name = name
    g.query_params = dict(raw)
    return st.cache.execute(
        st.driver(), st.database, name, raw, scope=scope, timeout=st.config.query_timeout
    )


@bp.get("/")
@signed_in
def home() -> str:
    day = _as_of()
    scope = _scope()
    figures = None
    if scope is None:
        from queries.report import compute

        st = state()
        figures = st.remembered(("report", day), lambda: compute(st.driver(), st.database, day))
    counts = {
        name: len(_run_worklist(name, _worklist_params(name, day), scope).rows)
        for name in WORKLISTS
    }
    g.query_name = "home"
    g.query_params = {"as_of": day.isoformat()}
    return render_template("home.html", day=day, figures=figures, counts=counts)


# -- search and entities ----------------------------------------------------------------------


@bp.get("/web/search")
@signed_in
def search() -> str:
    from queries.runner import execute

    q = (request.args.get("q") or "").strip()[:200]
    rows: list[dict[str, Any]] = []
    if q:
        st = state()
        g.query_name = "search"
        g.query_params = mask({"q": q})
        result = execute(
            st.driver(),
            st.database,
            "search",
            {"q": q, "limit": "50"},
            scope=_scope(),
            timeout=st.config.query_timeout,
        )
        rows = _masked(result.to_json()["rows"])
        g.rows = len(rows)
    return render_template("search.html", q=q, rows=rows)


def _card(entity_id: str) -> dict[str, Any]:
    from queries.runner import execute

    st = state()
    g.query_name = "card"
    g.query_params = {"id": entity_id}
    result = execute(
        st.driver(),
        st.database,
        "card",
        {"id": entity_id},
        scope=_scope(),
        timeout=st.config.query_timeout,
    )
    if not result.rows:
        abort(404)
    g.rows = 1
    card: dict[str, Any] = result.to_json()["rows"][0]
    return card


def _choose_view(card: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    label = card["label"]
    views = ENTITY_VIEWS.get(label, ("neighbours",))
    asked = request.args.get("view")
    if asked in views:
        return asked, views
    if label == "Region" and card["properties"].get("level") in ("county", "city"):
        return "neighbours", views
    return views[0], views


def _network(card: Mapping[str, Any], view: str, day: dt.date) -> Any:
    """The graph of ``view`` for the entity of ``card`` (a person who helps no one: their
    direct neighbours)."""
    from viz.neighbours import LABEL_PREFIX, fetch_neighbours
    from viz.views import UnknownSubject, fetch

    st = state()
    key = LABEL_PREFIX.get(card["label"], "") + card["id"]
    if view != "neighbours":
        try:
            graph = fetch(st.driver(), st.database, view, card["id"], day, _scope())
            if not (view == "helper" and len(graph.nodes) == 1):
                return graph
        except UnknownSubject:
            pass
    return fetch_neighbours(
        st.driver(), st.database, [key], day, scope=_scope(), limit=500, root=key
    )


@bp.get("/web/entity/<entity_id>")
@signed_in
def entity(entity_id: str) -> str:
    from viz.neighbours import page_data
    from viz.style import NODE_STYLES

    day = _as_of()
    card = _card(entity_id)
    view, views = _choose_view(card)
    graph = _network(card, view, day)
    unmasked = "unmasked" in _rights()
    too_big = len(graph.nodes) > MAX_NODES
    data = None
    if not too_big:
        data = page_data(graph, g.lang, unmasked)
        data["expandUrl"] = url_for("web.expand", as_of=day.isoformat())
        data["root"] = graph.root
        data["groupNames"] = {
            cat: style.zh if g.lang == "zh" else style.en for cat, style in NODE_STYLES.items()
        }
    big_region = card["label"] == "Region" and card["properties"].get("level") in (
        "county",
        "city",
    )
    return render_template(
        "entity.html",
        card=_masked(card),
        day=day,
        view=view,
        views=views,
        view_names=VIEW_NAMES,
        graph_view=graph.view,
        data=data,
        nodes=len(graph.nodes),
        edges=len(graph.edges),
        too_big=too_big,
        max_nodes=MAX_NODES,
        big_region=big_region and view == "neighbours",
        can_export="export" in _rights(),
        unmasked=unmasked,
    )


@bp.get("/web/entity/<entity_id>/network.<fmt>")
@signed_in
def network_file(entity_id: str, fmt: str) -> Response:
    from viz.analytics import FORMATS, export
    from viz.render import render_html

    if fmt not in (*FORMATS, "html"):
        abort(404)
    if "export" not in _rights():
        abort(403, word("no_export", g.lang))
    day = _as_of()
    card = _card(entity_id)
    view, _ = _choose_view(card)
    graph = _network(card, view, day)
    unmasked = "unmasked" in _rights()
    if fmt == "html":
        if graph.view == "neighbours":
            abort(404)
        body = render_html(graph, g.lang, unmasked).encode("utf-8")
        content_type = "text/html; charset=utf-8"
    else:
        body = export(graph, fmt, unmasked)
        content_type = FORMATS[fmt][1] + ("; charset=utf-8" if fmt == "json" else "")
    g.rows = len(graph.nodes)
    safe = re.sub(r"[^\w.-]+", "_", entity_id)
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{graph.view}-{safe}-{day.isoformat()}.{fmt}"'
    )
    return response


@bp.get("/web/expand.json")
@signed_in
def expand() -> Response:
    from viz.neighbours import MAX_KEYS, fetch_neighbours
    from viz.render import vis_items

    keys = request.args.getlist("key")
    if not keys or len(keys) > MAX_KEYS:
        return _json_error(400, f"key: give 1 to {MAX_KEYS} node keys")
    day = _as_of()
    st = state()
    g.query_name = "expand"
    g.query_params = {"keys": keys[:20], "as_of": day.isoformat()}
    try:
        graph = fetch_neighbours(
            st.driver(), st.database, keys, day, scope=_scope(), limit=EXPAND_LIMIT
        )
    except ValueError as e:
        return _json_error(400, str(e))
    g.rows = len(graph.nodes)
    return jsonify(vis_items(graph, g.lang, "unmasked" in _rights()))


# -- worklists --------------------------------------------------------------------------------


def _regions() -> list[dict[str, Any]]:
    """Counties and townships, each with ``in_scope`` for the signed-in token (per request)."""
    cached = g.get("regions")
    if cached is not None:
        return list(cached)
    from queries.runner import run

    st = state()
    scope = g.token.region if g.get("token") is not None else None
    _, rows = run(st.driver(), st.database, "web/regions", {"scope": scope})
    g.regions = rows
    return rows


def _filters() -> tuple[str | None, dict[str, Any]]:
    """The scope the county and township filters ask for, checked against the token's; and
    what the filter form shows."""
    rows = _regions()
    allowed = {r["region_id"]: r for r in rows if r["in_scope"]}
    counties = [r for r in rows if r["level"] == "county" and r["in_scope"]]
    townships = [r for r in rows if r["level"] == "township" and r["in_scope"]]
    county = request.args.get("county") or None
    township = request.args.get("township") or None
    for chosen, level in ((county, "county"), (township, "township")):
        if chosen is not None and (chosen not in allowed or allowed[chosen]["level"] != level):
            abort(403, word("out_of_scope", g.lang))
    if county and township and allowed[township]["parent_id"] != county:
        township = None  # the county was changed: its townships are those to choose from
    scope = township or county or _scope()
    names = {r["region_id"]: r["name"] for r in rows}
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in townships:
        if county is None or r["parent_id"] == county:
            groups.setdefault(r["parent_id"] or "", []).append(r)
    form = {
        "counties": counties,
        "township_groups": [(names.get(k, k), v) for k, v in groups.items()],
        "county": county,
        "township": township,
    }
    return scope, form


def _cell(column: str, value: Any, query: str) -> dict[str, Any]:
    """How a cell is shown: its text, and links to entity pages for ids."""
    lang = g.lang
    if column in ID_COLUMNS and value:
        ids = value if isinstance(value, list) else [value]
        return {"links": [(str(v), url_for("web.entity", entity_id=str(v))) for v in ids]}
    return {"text": fmt_value(column, value, lang, context=query)}


@bp.get("/web/worklists/<name>")
@signed_in
def worklist(name: str) -> Any:
    from queries.registry import get

    if name not in WORKLISTS:
        abort(404)
    spec = get(name)
    day = _as_of()
    scope, form = _filters()
    raw: dict[str, str] = {}
    extra: dict[str, str] = {}
    for p in spec.params:
        if p.name == "as_of":
            raw["as_of"] = day.isoformat()
        elif p.name == "year":
            text = request.args.get("year") or str(day.year)
            if not _YEAR.fullmatch(text):
                abort(400, "year: YYYY")
            raw["year"] = extra["year"] = text
        elif p.name == "since" and request.args.get("since"):
            raw["since"] = extra["since"] = _parse_date(request.args["since"]).isoformat()
    fmt = request.args.get("format")
    if fmt is not None:
        if fmt not in ("csv", "xlsx"):
            abort(400, "format: csv or xlsx")
        if "export" not in _rights():
            abort(403, word("no_export", g.lang))
        result = _run_worklist(name, raw, scope)
        g.rows = len(result.rows)
        return _download(result, fmt)
    result = _run_worklist(name, raw, scope)
    total = len(result.rows)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    text = request.args.get("page", "1")
    page = int(text) if text.isdigit() and 1 <= int(text) <= 100_000 else 1
    rows = _masked(result.to_json(rows=result.rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]))[
        "rows"
    ]
    g.rows = len(rows)
    table = [[_cell(c, row.get(c), name) for c in result.columns] for row in rows]
    headers = [i18n.column_name(name, c, g.lang) for c in result.columns]
    args = _link_args(form, day, extra)
    return render_template(
        "worklist.html",
        name=name,
        day=day,
        params=spec.params,
        extra=extra,
        form=form,
        headers=headers,
        table=table,
        total=total,
        page=page,
        pages=pages,
        args=args,
        summary=result.summary,
        can_export="export" in _rights(),
    )


def _link_args(form: dict[str, Any], day: dt.date, extra: dict[str, Any] | None = None) -> dict:
    """The query-string arguments that keep a page's filters in its links (pages, exports)."""
    values = {"county": form["county"], "township": form["township"], "as_of": day.isoformat()}
    return {k: v for k, v in {**values, **(extra or {})}.items() if v}


def _download(result: Any, fmt: str) -> Response:
    """As the API's downloads: every row, masked for the role."""
    from api.app import download

    body_json = _masked(result.to_json())
    return download(body_json, list(result.columns), body_json["rows"], fmt)


# -- analytics --------------------------------------------------------------------------------


def _help_network(day: dt.date, scope: str | None) -> Any:
    from viz.analytics import help_graph

    st = state()
    return st.remembered(
        ("help_graph", day, scope), lambda: help_graph(st.driver(), st.database, day, scope)
    )


@bp.get("/web/analytics")
@signed_in
def analytics() -> str:
    from viz.analytics import centrality, component_sizes, load_histogram

    day = _as_of()
    scope, form = _filters()
    st = state()
    patterns = _run_worklist("pairing_patterns", {"as_of": day.isoformat()}, scope)
    graph = _help_network(day, scope)
    central = st.remembered(("centrality", day, scope), lambda: centrality(graph))
    hist = load_histogram(patterns.rows)
    top = max((n for _, n in hist), default=0)
    args = _link_args(form, day)
    g.query_name = "analytics"
    return render_template(
        "analytics.html",
        day=day,
        form=form,
        summary=patterns.summary,
        shapes=component_sizes(patterns.rows)[:15],
        hist=hist,
        hist_top=top,
        central=_central_rows(central),
        args=args,
        can_export="export" in _rights(),
    )


def _central_rows(central: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in central.items():
        if isinstance(value, list):
            out[key] = _masked([dataclasses.asdict(c) for c in value])
        else:
            out[key] = value
    return out


@bp.get("/web/analytics/help-network.<fmt>")
@signed_in
def help_network_file(fmt: str) -> Response:
    from viz.analytics import FORMATS, write

    if fmt not in FORMATS:
        abort(404)
    if "export" not in _rights():
        abort(403, word("no_export", g.lang))
    day = _as_of()
    scope, _ = _filters()
    graph = _help_network(day, scope)
    g.rows = graph.number_of_nodes()
    body = write(graph, fmt, masked="unmasked" not in _rights())
    response = Response(
        body, content_type=FORMATS[fmt][1] + ("; charset=utf-8" if fmt == "json" else "")
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="help-network-{day.isoformat()}.{fmt}"'
    )
    return response
