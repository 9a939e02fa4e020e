"""The explorer's pages (docs/explorer.md): home, search, entities and their networks,
worklists with filters and downloads, network analytics.

Every page is for a signed-in principal (:func:`web.auth.signed_in`): every query runs with
``scope=principal.scope``, every value shown (the search box and the links too) goes through
``principal.masked`` unless the role may see personal data, downloads need the ``export``
right; the same rules as the API, from the same access layer.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

from flask import Response, abort, g, jsonify, render_template, request, session, url_for

from access import warm
from access.context import call
from access.errors import HttpError
from access.exports import FORMATS as TABLE_FORMATS
from access.exports import attachment, table_download
from access.params import DATE
from access.request import note
from access.services import services
from queries.registry import get
from queries.runner import Result, execute, run
from viz.analytics import (
    FORMATS,
    component_sizes,
    export,
    load_histogram,
    write,
)
from viz.neighbours import LABEL_PREFIX, MAX_KEYS, fetch_neighbours, page_data
from viz.render import render_html, vis_items
from viz.style import NODE_STYLES
from viz.views import UnknownSubject, fetch
from web import i18n
from web.auth import signed_in, who
from web.blueprint import bp
from web.i18n import WORKLISTS, fmt_value, word

__all__ = ["EXPAND_LIMIT", "MAX_NODES", "PAGE_SIZE"]

#: rows per worklist page
PAGE_SIZE = 50
#: a network with more nodes is not drawn in a page (kg viz can still write it)
MAX_NODES = 20_000
#: neighbours per node when a node is expanded
EXPAND_LIMIT = 200

_YEAR = re.compile(r"[0-9]{4}", re.ASCII)
_PAGE = re.compile(r"[0-9]{1,6}", re.ASCII)


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


def _masked(value: Any) -> Any:
    return who().masked(value)


def _may(right: str) -> bool:
    return who().may(right)


def _scope() -> str | None:
    return who().scope


def _as_of() -> dt.date:
    """The date asked for (``as_of``, kept in the session for the next pages), else the last
    one asked for, else ``KG_WEB_AS_OF``, else today."""
    text = request.args.get("as_of")
    if text:
        day = _parse_date(text)
        session["as_of"] = day.isoformat()
        return day
    kept = session.get("as_of")
    if isinstance(kept, str) and DATE.fullmatch(kept):
        return dt.date.fromisoformat(kept)
    return services().web.default_as_of or dt.date.today()


def _parse_date(text: str) -> dt.date:
    if not DATE.fullmatch(text):
        abort(400, word("bad_date", g.lang))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        abort(400, word("bad_date", g.lang))


@bp.app_template_global()
def lang_url(lang: str) -> str:
    """This page in ``lang``: its arguments kept, masked for the role (a search for an id
    number is not echoed into the link in full)."""
    params: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict(flat=True)}
    principal = call().principal
    params = principal.masked(params) if principal is not None else {}
    params["lang"] = lang
    return url_for(request.endpoint or "web.home", **params)


@bp.context_processor
def common() -> dict[str, Any]:
    token = call().principal
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


# -- home -------------------------------------------------------------------------------------


def _worklist_params(name: str, day: dt.date) -> dict[str, str]:
    return warm.home_params(name, day)


def _run_worklist(name: str, raw: Mapping[str, str], scope: str | None) -> Any:
    st = services()
    note(query=name, params=dict(raw))
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
        st = services()
        figures = warm.figures(st.cache, st.driver(), st.database, day)
    counts = {
        name: len(_run_worklist(name, _worklist_params(name, day), scope).rows)
        for name in WORKLISTS
    }
    note(query="home", params={"as_of": day.isoformat()})
    return render_template("home.html", day=day, figures=figures, counts=counts)


# -- search and entities ----------------------------------------------------------------------


@bp.get("/web/search")
@signed_in
def search() -> str:

    q = (request.args.get("q") or "").strip()[:200]
    rows: list[dict[str, Any]] = []
    if q:
        st = services()
        note(query="search", params={"q": q})
        result = execute(
            st.driver(),
            st.database,
            "search",
            {"q": q, "limit": "50"},
            scope=_scope(),
            timeout=st.config.query_timeout,
        )
        rows = _masked(result.to_json()["rows"])
        note(rows=len(rows))
    # the search box and "nothing found for …" echo the text as stored data is shown
    return render_template("search.html", q=_masked(q), rows=rows)


def _card(entity_id: str) -> dict[str, Any]:

    st = services()
    note(query="card", params={"id": entity_id})
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
    note(rows=1)
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

    st = services()
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

    day = _as_of()
    card = _card(entity_id)
    view, views = _choose_view(card)
    graph = _network(card, view, day)
    unmasked = _may("unmasked")
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
        can_export=_may("export"),
        unmasked=unmasked,
    )


@bp.get("/web/entity/<entity_id>/network.<fmt>")
@signed_in
def network_file(entity_id: str, fmt: str) -> Response:

    if fmt not in (*FORMATS, "html"):
        abort(404)
    if not _may("export"):
        abort(403, word("no_export", g.lang))
    day = _as_of()
    card = _card(entity_id)
    view, _ = _choose_view(card)
    graph = _network(card, view, day)
    unmasked = _may("unmasked")
    if fmt == "html":
        if graph.view == "neighbours":
            abort(404)
        body = render_html(graph, g.lang, unmasked).encode("utf-8")
        content_type = "text/html; charset=utf-8"
    else:
        body = export(graph, fmt, unmasked)
        content_type = FORMATS[fmt][1] + ("; charset=utf-8" if fmt == "json" else "")
    note(rows=len(graph.nodes))
    return attachment(body, content_type, f"{graph.view}-{entity_id}-{day.isoformat()}.{fmt}")


@bp.get("/web/expand.json")
@signed_in
def expand() -> Response:

    keys = request.args.getlist("key")
    if not keys or len(keys) > MAX_KEYS:
        raise HttpError(400, "bad_parameter", f"key: give 1 to {MAX_KEYS} node keys")
    day = _as_of()
    st = services()
    note(query="expand", params={"keys": keys[:20], "as_of": day.isoformat()})
    try:
        graph = fetch_neighbours(
            st.driver(), st.database, keys, day, scope=_scope(), limit=EXPAND_LIMIT
        )
    except ValueError as e:
        raise HttpError(400, "bad_parameter", str(e)) from None
    note(rows=len(graph.nodes))
    return jsonify(vis_items(graph, g.lang, _may("unmasked")))


# -- worklists --------------------------------------------------------------------------------


def _regions() -> list[dict[str, Any]]:
    """Counties and townships, each with ``in_scope`` for the signed-in token (per request)."""
    cached = g.get("regions")
    if cached is not None:
        return list(cached)

    st = services()
    principal = call().principal
    scope = principal.scope if principal is not None else None
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
            if not _YEAR.fullmatch(text) or not p.in_range(int(text)):
                abort(400, word("bad_number", g.lang, name="year", low=p.minimum, high=p.maximum))
            raw["year"] = extra["year"] = text
        elif p.name == "since" and request.args.get("since"):
            raw["since"] = extra["since"] = _parse_date(request.args["since"]).isoformat()
    fmt = request.args.get("format")
    if fmt is not None:
        if fmt not in TABLE_FORMATS:
            abort(400, "format: csv or xlsx")
        if not _may("export"):
            abort(403, word("no_export", g.lang))
        result = _run_worklist(name, raw, scope)
        note(rows=len(result.rows))
        return _download(result, fmt)
    result = _run_worklist(name, raw, scope)
    total = len(result.rows)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    text = request.args.get("page", "1")
    page = int(text) if _PAGE.fullmatch(text) and 1 <= int(text) <= 100_000 else 1
    rows = _masked(result.to_json(rows=result.rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]))[
        "rows"
    ]
    note(rows=len(rows))
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
        can_export=_may("export"),
    )


def _link_args(form: dict[str, Any], day: dt.date, extra: dict[str, Any] | None = None) -> dict:
    """The query-string arguments that keep a page's filters in its links (pages, exports)."""
    values = {"county": form["county"], "township": form["township"], "as_of": day.isoformat()}
    return {k: v for k, v in {**values, **(extra or {})}.items() if v}


def _download(result: Result, fmt: str) -> Response:
    """As the API's downloads: every row, masked for the role."""
    body_json = _masked(result.to_json())
    return table_download(body_json, result.columns, body_json["rows"], fmt)


# -- analytics --------------------------------------------------------------------------------


def _help_network(day: dt.date, scope: str | None) -> Any:

    st = services()
    return warm.help_network(st.cache, st.driver(), st.database, day, scope)


@bp.get("/web/analytics")
@signed_in
def analytics() -> str:

    day = _as_of()
    scope, form = _filters()
    patterns = _run_worklist("pairing_patterns", {"as_of": day.isoformat()}, scope)
    st = services()
    central = warm.central(st.cache, st.driver(), st.database, day, scope)
    hist = load_histogram(patterns.rows)
    top = max((n for _, n in hist), default=0)
    args = _link_args(form, day)
    note(query="analytics")
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
        can_export=_may("export"),
    )


def _central_rows(central: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in central.items():
        if isinstance(value, list):
            out[key] = _masked(value)
        else:
            out[key] = value
    return out


@bp.get("/web/analytics/help-network.<fmt>")
@signed_in
def help_network_file(fmt: str) -> Response:

    if fmt not in FORMATS:
        abort(404)
    if not _may("export"):
        abort(403, word("no_export", g.lang))
    day = _as_of()
    scope, _ = _filters()
    graph = _help_network(day, scope)
    note(rows=graph.number_of_nodes())
    body = write(graph, fmt, masked=not _may("unmasked"))
    content_type = FORMATS[fmt][1] + ("; charset=utf-8" if fmt == "json" else "")
    return attachment(body, content_type, f"help-network-{day.isoformat()}.{fmt}")
