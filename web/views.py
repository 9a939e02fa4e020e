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
from access.exports import attachment, reader_download
from access.paging import EXPLORER_PAGE_SIZE
from access.params import DATE
from access.present import heading, id_column, ids_of, region_text
from access.request import note
from access.services import services
from core.masking import mask_text
from queries.names import Names, lookup
from queries.registry import get
from queries.runner import Result, execute, run
from viz.analytics import FORMATS, export, write
from viz.neighbours import LABEL_PREFIX, MAX_KEYS, fetch_neighbours, page_data
from viz.render import render_html, vis_items
from viz.style import NODE_STYLES
from viz.text import node_label
from viz.views import LEVEL_TITLES, VIEWS, UnknownSubject, fetch, title
from web import i18n
from web.auth import signed_in, who
from web.blueprint import bp
from web.i18n import EMPTY, WORKLISTS, fmt_value, word
from web.provenance import source_words

__all__ = ["EXPAND_LIMIT", "MAX_NODES", "PAGE_SIZE", "SEARCH_PAGE"]

#: rows per worklist page
PAGE_SIZE = EXPLORER_PAGE_SIZE
#: results per search page (the search query considers 1,000 matches of each kind)
SEARCH_PAGE = 50
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
        "source_words": source_words,
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


def _run_worklist(name: str, raw: Mapping[str, str], scope: str | None) -> Any:
    st = services()
    note(query=name, params=dict(raw))
    return st.cache.execute(
        st.driver(), st.database, name, raw, scope=scope, timeout=st.config.query_timeout
    )


def _worklist_page(
    name: str, raw: Mapping[str, str], scope: str | None, page: int
) -> tuple[Result, int]:
    """Page ``page`` of the worklist in its own order, and its number of rows."""
    st = services()
    note(query=name, params=dict(raw))
    return st.cache.page(
        st.driver(), st.database, name, raw, scope=scope, timeout=st.config.query_timeout,
        skip=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE,
    )  # fmt: skip


@bp.get("/")
@signed_in
def home() -> str:
    day = _as_of()
    st = services()
    figures, counts = warm.home(
        st.cache, st.driver(), st.database, day, _scope(), timeout=st.config.query_timeout
    )
    note(query="home", params={"as_of": day.isoformat()})
    return render_template("home.html", day=day, figures=figures, counts=counts)


# -- search and entities ----------------------------------------------------------------------


@bp.get("/web/search")
@signed_in
def search() -> str:

    q = (request.args.get("q") or "").strip()[:200]
    rows: list[dict[str, Any]] = []
    text = request.args.get("page", "1")
    page = int(text) if _PAGE.fullmatch(text) and 1 <= int(text) <= 20 else 1
    total = 0
    if q:
        st = services()
        note(query="search", params={"q": q, "page": page})
        result = execute(
            st.driver(),
            st.database,
            "search",
            {"q": q, "limit": str(SEARCH_PAGE), "offset": str((page - 1) * SEARCH_PAGE)},
            scope=_scope(),
            timeout=st.config.query_timeout,
        )
        rows = _masked(result.to_json()["rows"])
        total = int(rows[0]["total"]) if rows else 0
        note(rows=len(rows))
    pages = max(1, min(math.ceil(total / SEARCH_PAGE), 1000 // SEARCH_PAGE))
    # the search box and "nothing found for …" echo the text as stored data is shown
    return render_template(
        "search.html",
        q=_masked(q),
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        first=(page - 1) * SEARCH_PAGE + 1,
        cut=total >= 1000,
    )


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


#: the unit a count of neighbours is said in (当前 6 户), by label
_UNITS = {"Household": "户", "Person": "人", "Organization": "个", "Region": "个"}


def _dated_counts(card: dict[str, Any], day: dt.date) -> None:
    """Give each group of the card's neighbours whose relationships have dates (pairings,
    memberships) ``counted``: the current ones on ``day``, and those ended or not yet begun
    (当前 6 户，另有已结束 3 户). Only when every item of the group is listed (else the count
    stays as it is)."""
    date = day.isoformat()
    for group in card["neighbours"]:
        items = group["items"]
        if group["count"] > len(items):
            continue
        dates = [item.get("relationship_properties") or {} for item in items]
        if not any("start_on" in d or "end_on" in d for d in dates):
            continue
        now = ended = later = 0
        for d in dates:
            since = str(d.get("start_on") or "")[:10]
            until = str(d.get("end_on") or "")[:10]
            if since and since > date:
                later += 1
            elif until and until <= date:
                ended += 1
            else:
                now += 1
        if not (ended or later):
            continue
        unit = _UNITS.get(group["label"], "") if g.lang == "zh" else ""
        text = word("current_ended", g.lang, now=now, ended=ended, unit=unit)
        if not ended:
            text = word("current_only", g.lang, now=now, unit=unit)
        if later:
            text += word("current_later", g.lang, later=later, unit=unit)
        group["counted"] = re.sub(r" +(，|$)", r"\1", text)


def _household_heads(card: dict[str, Any]) -> None:
    """Households named by their head (户主), on the card and in its lists of neighbours."""
    ids = {
        item["id"]
        for grp in card["neighbours"]
        if grp["label"] == "Household"
        for item in grp["items"]
        if not item.get("name")
    }
    if card["label"] == "Household" and not card.get("name"):
        ids.add(card["id"])
    if not ids:
        return
    st = services()
    names = lookup(st.driver(), st.database, {"household": ids}, _scope())
    if card["label"] == "Household" and not card.get("name"):
        card["name"] = names.name("household", card["id"])
    for grp in card["neighbours"]:
        if grp["label"] == "Household":
            for item in grp["items"]:
                item["name"] = item.get("name") or names.name("household", item["id"])


def _view_names(card: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """The views' names for this entity: a region's help network by its level (村 / 乡镇 /
    县)."""
    names = dict(VIEW_NAMES)
    level = card["properties"].get("level") if card["label"] == "Region" else None
    if level in LEVEL_TITLES:
        names["village"] = LEVEL_TITLES[level]
    return names


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
    network_title = None
    if graph.view in VIEWS:
        root = graph.root_node
        network_title = title(graph, g.lang, node_label(root, g.lang) if root else None)
        if not unmasked:
            network_title = mask_text(network_title)
    big_region = card["label"] == "Region" and card["properties"].get("level") in (
        "county",
        "city",
    )
    shown = _masked(card)
    _dated_counts(shown, day)
    _household_heads(shown)
    return render_template(
        "entity.html",
        card=shown,
        day=day,
        view=view,
        views=views,
        view_names=_view_names(card),
        network_title=network_title,
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
    known = {r["region_id"]: r for r in rows}
    names = {r["region_id"]: r["name"] for r in rows}
    county = request.args.get("county") or None
    township = request.args.get("township") or None
    for chosen, level in ((county, "county"), (township, "township")):
        if chosen is None:
            continue
        found = known.get(chosen)
        if found is None or found["level"] != level:
            # not a division of that level at all: say so (it is no question of rights)
            abort(400, word(f"not_a_{level}", g.lang, id=chosen[:40]))
        if chosen not in allowed:
            abort(403, word("out_of_scope", g.lang))
    notice = None
    if county and township and allowed[township]["parent_id"] != county:
        # the county was changed and the township kept: the township is not in it
        notice = word(
            "township_not_in_county",
            g.lang,
            township=names.get(township, township),
            county=names.get(county, county),
        )
        township = None
    scope = township or county or _scope()
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in townships:  # every township: the page's script shows those of the county chosen
        groups.setdefault(r["parent_id"] or "", []).append(r)
    form = {
        "counties": counties,
        "township_groups": [(k, names.get(k, k), v) for k, v in groups.items()],
        "county": county,
        "township": township,
        "notice": notice,
    }
    return scope, form


def _cell(column: str, value: Any, query: str, names: Names) -> dict[str, Any]:
    """How a cell is shown: its text, and for ids links to entity pages named as a reader
    knows them (a division by its name, its path on hover; a household by its head), the code
    beside the name."""
    lang = g.lang
    if column in ID_COLUMNS and value:
        ids = value if isinstance(value, list) else [value]
        spec = id_column(query, column)
        links = []
        for v in map(str, ids):
            label, hint = v, ""
            if spec is not None and spec.kind == "region":
                # the name; the divisions above it in a second line (two 杨庄村 told apart
                # on a phone too), the code on hover
                path = names.path(v)
                if path:
                    label, hint, above = path[-1], f"{region_text(names, v)}（{v}）", path[:-1]
                    links.append(
                        {
                            "text": label,
                            "code": " ".join(above),
                            "below": True,
                            "title": hint,
                            "href": url_for("web.entity", entity_id=v),
                        }
                    )
                    continue
            elif spec is not None and not spec.companions:
                label = names.name(spec.kind, v) or v
            links.append(
                {
                    "text": label,
                    "code": v if label != v else "",
                    "title": hint,
                    "href": url_for("web.entity", entity_id=v),
                }
            )
        return {"links": links}
    return {"text": fmt_value(column, value, lang, context=query)}


def _header(query: str, column: str) -> str:
    spec = id_column(query, column)
    if spec is not None and spec.header[0] and not spec.companions:
        return spec.header[0 if g.lang == "zh" else 1]
    return i18n.column_name(query, column, g.lang)


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
        return _download(name, result, fmt, raw, scope)
    text = request.args.get("page", "1")
    page = int(text) if _PAGE.fullmatch(text) and 1 <= int(text) <= 100_000 else 1
    sort = request.args.get("sort") or None
    if sort not in spec.columns:
        sort = None
    descending = request.args.get("order") == "desc"
    if sort:  # sorted as a reader sorts (numbers, list lengths, empty cells last): every row
        result = _run_worklist(name, raw, scope)
        total = len(result.rows)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(page, pages)
        ordered = _sorted(result.rows, sort, descending)
        shown_rows = ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    else:  # in the worklist's own order: only the page is read
        result, total = _worklist_page(name, raw, scope, page)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        if page > pages:
            page = pages
            result, total = _worklist_page(name, raw, scope, page)
        shown_rows = result.rows
    st = services()
    names = lookup(st.driver(), st.database, ids_of(name, result.columns, shown_rows), _scope())
    rows = _masked(result.to_json(rows=shown_rows))["rows"]
    note(rows=len(rows))
    columns = [c for c in result.columns if getattr(id_column(name, c), "shown", True)]
    table = [[_cell(c, row.get(c), name, names) for c in columns] for row in rows]
    headers = [
        {
            "column": c,
            "text": _header(name, c),
            "sort": ("descending" if descending else "ascending") if c == sort else None,
        }
        for c in columns
    ]
    args = _link_args(form, day, extra)
    sort_args = {"sort": sort, "order": "desc" if descending else "asc"} if sort else {}
    return render_template(
        "worklist.html",
        sort=sort,
        descending=descending,
        page_args={**args, **sort_args},
        page_numbers=_page_numbers(page, pages),
        empty=EMPTY.get(name),
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


def _sort_key(value: Any) -> tuple[int, Any]:
    """Rows in the order of a column's values: numbers as numbers, lists by their length,
    text by its characters; empty cells last."""
    if value is None or value == "":
        return (3, "")
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, list | tuple):
        return (1, len(value))
    return (2, str(value))


def _sorted(rows: list[Any], column: str, descending: bool) -> list[Any]:
    full = [r for r in rows if r.get(column) not in (None, "")]
    empty = [r for r in rows if r.get(column) in (None, "")]
    keyed = sorted(full, key=lambda r: _sort_key(r.get(column)), reverse=descending)
    return keyed + empty  # empty cells last both ways


def _page_numbers(page: int, pages: int) -> list[int | None]:
    """The page numbers a pager shows: the first, the last, two either side of this one,
    None for a gap."""
    wanted = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    out: list[int | None] = []
    for n in wanted:
        if out and out[-1] is not None and n - int(out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


def _link_args(form: dict[str, Any], day: dt.date, extra: dict[str, Any] | None = None) -> dict:
    """The query-string arguments that keep a page's filters in its links (pages, exports)."""
    values = {"county": form["county"], "township": form["township"], "as_of": day.isoformat()}
    return {k: v for k, v in {**values, **(extra or {})}.items() if v}


def _download(
    name: str, result: Result, fmt: str, params: Mapping[str, str], scope: str | None
) -> Response:
    """Every row, masked for the role, for a reader (access.exports.reader_download): headers
    and values in the page's language, names beside the codes, a title row (the worklist,
    its date, the divisions it covers, when it was exported), dates as date cells."""
    body_json = _masked(result.to_json())
    st = services()
    wanted = ids_of(name, result.columns, result.rows)
    if scope:
        wanted.setdefault("region", set()).add(scope)
    names = lookup(st.driver(), st.database, wanted, _scope())
    covered = region_text(names, scope) if scope else word("whole_city", g.lang)
    titles = WORKLISTS[name]
    return reader_download(
        body_json,
        result.columns,
        body_json["rows"],
        fmt,
        names=names,
        lang=g.lang,
        title=titles[0] if g.lang == "zh" else titles[1],
        heading=heading(name, params, covered, g.lang, dt.datetime.now()),
    )


# -- analytics --------------------------------------------------------------------------------


def _help_network(day: dt.date, scope: str | None) -> Any:

    st = services()
    return warm.help_network(st.cache, st.driver(), st.database, day, scope)


@bp.get("/web/analytics")
@signed_in
def analytics() -> str:

    day = _as_of()
    scope, form = _filters()
    st = services()
    note(query="pairing_patterns", params=warm.page_params("pairing_patterns", day))
    patterns = warm.patterns_figures(
        st.cache, st.driver(), st.database, day, scope, timeout=st.config.query_timeout
    )
    central = warm.central(st.cache, st.driver(), st.database, day, scope)
    hist = patterns["hist"]
    top = max((n for _, n in hist), default=0)
    args = _link_args(form, day)
    note(query="analytics")
    return render_template(
        "analytics.html",
        day=day,
        form=form,
        summary=patterns["summary"],
        shapes=patterns["shapes"],
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
