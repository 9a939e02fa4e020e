"""The Flask application: :func:`create_app` (see docs/api.md for the endpoints and the rules).

Every answer is JSON (errors too: ``{"error": {"code", "message"}}``, never a stack trace or
Cypher text) except the CSV/xlsx downloads and the docs page. Neo4j is reached through one
driver per process, opened on the first request that needs it (so the API starts, and says
503, while Neo4j is down) and kept: the driver reconnects by itself when Neo4j is back.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from importlib import metadata
from typing import Any, TypeVar

import neo4j
import neo4j.exceptions as nex
from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from api.audit import AuditLog
from api.openapi import API_PARAMS, CSV, DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, XLSX
from api.tokens import Token, TokenStore
from core.errors import DatabaseError, KgError
from core.masking import mask
from core.settings import ApiConfig, Settings
from queries.cache import ResultCache
from queries.runner import Result

__all__ = ["ApiError", "Graph", "create_app"]

log = logging.getLogger("kg.api")

F = TypeVar("F", bound=Callable[..., Any])

#: driver settings for a service: fail fast (and answer 503) rather than retry for 30 s
DRIVER_OPTIONS = {
    "max_transaction_retry_time": 2.0,
    "connection_timeout": 5.0,
    "connection_acquisition_timeout": 10.0,
    "liveness_check_timeout": 30.0,
}
#: who may do what (docs/api.md): rights[role]
RIGHTS = {
    "viewer": frozenset({"read"}),
    "analyst": frozenset({"read", "export"}),
    "admin": frozenset({"read", "export", "unmasked", "cypher"}),
}
_STRICT = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "int": re.compile(r"-?\d{1,18}"),
    "bool": re.compile(r"true|false"),
}


class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message"}}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class Graph:
    """The process's Neo4j driver, opened on first use (not at start) and then kept."""

    def __init__(self, settings: Settings, driver: neo4j.Driver | None = None) -> None:
        self.settings = settings
        self.database = settings.neo4j_database
        self._driver = driver
        self._owned = driver is None
        self._lock = threading.Lock()

    def driver(self) -> neo4j.Driver:
        if self._driver is None:
            with self._lock:
                if self._driver is None:
                    from graph.connection import open_driver

                    # The API does not start the embedded Neo4j (``kg serve`` does, once):
                    # while it is down, requests get 503 and it is picked up when it is back.
                    self._driver = open_driver(self.settings, start=False, options=DRIVER_OPTIONS)
        return self._driver

    def answers(self) -> bool:
        try:
            self.driver().execute_query(
                "RETURN 1",
                database_=self.database,
                routing_="r",
                result_transformer_=neo4j.Result.consume,
            )
            return True
        except (KgError, nex.DriverError, nex.Neo4jError, OSError):
            return False

    def close(self) -> None:
        with self._lock:
            if self._driver is not None and self._owned:
                self._driver.close()
                self._driver = None


# -- helpers used by the views ----------------------------------------------------------------


def _token() -> Token:
    token: Token | None = g.get("token")
    if token is None:  # pragma: no cover - every view is wrapped by _require
        raise ApiError(401, "unauthorized", "a bearer token is required")
    return token


def _masked(value: Any) -> Any:
    """``value`` masked unless the token may see personal data."""
    return value if "unmasked" in RIGHTS[_token().role] else mask(value)


def _single_args(exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """The query string as a dict; a parameter given twice is an error."""
    out: dict[str, str] = {}
    for key, values in request.args.lists():
        if len(values) > 1:
            raise ApiError(400, "bad_parameter", f"{key}: given {len(values)} times")
        if key not in exclude:
            out[key] = values[0]
    return out


def _int_arg(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = args.get(name)
    if text is None:
        return default
    if not re.fullmatch(r"\d{1,9}", text) or not low <= int(text) <= high:
        raise ApiError(
            400, "bad_parameter", f"{name}: expected a whole number from {low} to {high}"
        )
    return int(text)


def _output_format(args: Mapping[str, str]) -> str:
    fmt = args.get("format")
    if fmt is None:
        best = request.accept_mimetypes.best_match(["application/json", CSV, XLSX])
        fmt = {CSV: "csv", XLSX: "xlsx"}.get(best or "", "json")
    if fmt not in ("json", "csv", "xlsx"):
        raise ApiError(400, "bad_parameter", "format: expected json, csv or xlsx")
    if fmt != "json" and "export" not in RIGHTS[_token().role]:
        raise ApiError(403, "export_forbidden", "downloads need the analyst or admin role")
    return fmt


def _strict_params(name: str, raw: Mapping[str, str]) -> dict[str, str]:
    """Query-string values checked against the query's types strictly (dates YYYY-MM-DD,
    booleans true/false) before the registry parses them; ``scope`` is refused."""
    from queries.registry import RESERVED, get

    spec = get(name)
    for key, value in raw.items():
        if key in RESERVED:
            raise ApiError(
                400, "bad_parameter", f"{key}: is set from the token's region, not a parameter"
            )
        known = {p.name: p for p in spec.params}
        if key not in known:
            raise ApiError(400, "bad_parameter", f"{key}: {name} has no such parameter")
        pattern = _STRICT.get(known[key].type)
        if pattern is not None and not pattern.fullmatch(value):
            expected = {"date": "a date YYYY-MM-DD", "int": "a whole number"}
            raise ApiError(
                400,
                "bad_parameter",
                f"{key}: expected {expected.get(known[key].type, 'true or false')}",
            )
    return dict(raw)


def download(
    result_json: dict[str, Any], columns: list[str], rows: list[dict[str, Any]], fmt: str
) -> Response:
    """A whole answer as a CSV (UTF-8 with a BOM, for Excel) or xlsx attachment named after the
    query and its date; the API's and the explorer's downloads alike. Rows already masked."""
    from queries.export import to_csv, to_xlsx

    stem = result_json["query"]
    params = result_json["params"]
    for key in ("as_of", "year"):
        if params.get(key) is not None:
            stem += f"-{params[key]}"
    if fmt == "csv":
        body: bytes = ("\ufeff" + to_csv(columns, rows)).encode("utf-8")
        content_type = CSV + "; charset=utf-8"
    else:
        body = to_xlsx([(result_json["query"], columns, rows)])
        content_type = XLSX
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _error(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


# -- the application --------------------------------------------------------------------------


def create_app(
    settings: Settings | None = None,
    *,
    config: ApiConfig | None = None,
    driver: neo4j.Driver | None = None,
) -> Flask:
    """The API. ``settings`` and ``config`` default to the environment's (``Settings.from_env``,
    ``ApiConfig.from_env``); ``driver`` to one opened on the first request."""
    from flask_limiter import Limiter

    from queries.registry import specs

    settings = settings or Settings.from_env()
    config = config or ApiConfig.from_env(settings)
    known = specs()  # a broken query file stops the start, not the first request
    try:
        version = metadata.version("kg")
    except metadata.PackageNotFoundError:  # pragma: no cover
        version = "0"

    app = Flask("kg.api")
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    graph = Graph(settings, driver)
    tokens = TokenStore(config.token_file)
    audit = AuditLog(config.audit_log)
    cache = ResultCache(config.result_cache)
    app.extensions["kg"] = {"graph": graph, "tokens": tokens, "config": config}

    def bearer() -> Token | None:
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            return None
        return tokens.authenticate(secret.strip())

    def rate_key() -> str:
        token = g.get("token") or bearer()
        return f"token:{token.id}" if token else f"ip:{request.remote_addr or '-'}"

    limiter = Limiter(
        rate_key,
        app=app,
        application_limits=[config.rate_limit] if config.rate_limit else [],
        storage_uri="memory://",
        enabled=config.rate_limit is not None,
        headers_enabled=False,
    )

    def require(right: str) -> Callable[[F], F]:
        def wrap(view: F) -> F:
            @functools.wraps(view)
            def inner(*args: Any, **kwargs: Any) -> Any:
                token = bearer()
                if token is None:
                    raise ApiError(
                        401,
                        "unauthorized",
                        "a valid bearer token is required (Authorization: Bearer <token>; "
                        "kg token create makes one)",
                    )
                g.token = token
                if right not in RIGHTS[token.role]:
                    raise ApiError(403, "forbidden", f"the role {token.role} may not do this")
                return view(*args, **kwargs)

            return inner  # type: ignore[return-value]

        return wrap

    def db() -> neo4j.Driver:
        return graph.driver()

    def run_named(name: str, raw: Mapping[str, str]) -> Any:
        from queries.registry import ParamError

        g.query_name = name
        g.query_params = dict(raw)
        try:
            result = cache.execute(
                db(),
                graph.database,
                name,
                raw,
                scope=_token().region,
                timeout=config.query_timeout,
            )
        except ParamError as e:
            raise ApiError(400, "bad_parameter", f"{e.param}: {e.message}") from None
        g.query_params = result.to_json(rows=[])["params"]
        return result

    # -- hooks -----------------------------------------------------------------------------

    @app.before_request
    def started() -> None:
        g.started = time.monotonic()

    @app.after_request
    def audited(response: Response) -> Response:
        token: Token | None = g.get("token")
        params = g.get("query_params")
        if params is None and request.args:
            params = request.args.to_dict(flat=True)
        record = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "token_id": token.id if token else None,
            "role": token.role if token else None,
            "region": token.region if token else None,
            "remote_addr": request.remote_addr,
            "method": request.method,
            "path": request.path,
            "query": g.get("query_name"),
            "params": mask(params) if params else None,
            "status": response.status_code,
            "rows": g.get("rows"),
            "duration_ms": round(1000 * (time.monotonic() - g.get("started", time.monotonic())), 1),
        }
        if g.get("cypher") is not None:
            record["cypher"] = mask(g.cypher[:2000])
        audit.write(record)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    # -- errors ----------------------------------------------------------------------------

    @app.errorhandler(ApiError)
    def api_error(e: ApiError) -> Response:
        response = _error(e.status, e.code, e.message)
        if e.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="kg"'
        return response

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Response:
        status = e.code or 500
        codes = {
            400: "bad_request",
            404: "not_found",
            405: "method_not_allowed",
            413: "too_large",
            415: "unsupported_media_type",
            429: "rate_limited",
        }
        messages = {
            404: "no such endpoint (see /api/docs)",
            405: f"{request.method} is not allowed here",
            429: "too many requests: slow down (limit per token, KG_RATE_LIMIT)",
        }
        response = _error(
            status,
            codes.get(status, "http_error"),
            messages.get(status, e.description or e.name),
        )
        for key, value in e.get_headers():
            if key.lower() in ("allow", "retry-after"):
                response.headers[key] = value
        if status == 429:
            limit = getattr(e, "limit", None)
            if limit is not None and "Retry-After" not in response.headers:
                response.headers["Retry-After"] = "60"
        return response

    def unavailable(_: Exception) -> Response:
        response = _error(503, "neo4j_unavailable", "Neo4j is not answering; try again shortly")
        response.headers["Retry-After"] = "10"
        return response

    for exc in (nex.ServiceUnavailable, nex.SessionExpired, nex.TransientError, DatabaseError):
        app.register_error_handler(exc, unavailable)

    @app.errorhandler(nex.ClientError)
    def client_error(e: nex.ClientError) -> Response:
        if "TransactionTimedOut" in (e.code or "") or "Terminated" in (e.code or ""):
            return _error(503, "timeout", "the query took too long and was stopped")
        log.error("Neo4j refused a named query: %s", e.code)
        return _error(500, "internal_error", "the query failed (logged)")

    @app.errorhandler(Exception)
    def unexpected(e: Exception) -> Response:
        if isinstance(e, HTTPException):  # pragma: no cover - handled above
            return http_error(e)
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _error(500, "internal_error", "an unexpected error (logged)")

    # -- public routes ---------------------------------------------------------------------

    @app.get("/api/health")
    @limiter.exempt
    def health() -> Response:
        up = graph.answers()
        response = jsonify(
            {"status": "ok" if up else "unavailable", "neo4j": up, "version": version}
        )
        response.status_code = 200 if up else 503
        return response

    @app.get("/api/openapi.json")
    def openapi() -> Response:
        from api.openapi import document

        return jsonify(document(known, version))

    from api.docs import register_docs

    register_docs(app)

    from web import register_web  # the explorer's pages: / and /web/... (docs/explorer.md)

    register_web(app, settings, cache=cache, limiter=limiter)

    # -- queries ---------------------------------------------------------------------------

    @app.get("/api/queries")
    @require("read")
    def list_queries() -> Response:
        from api.openapi import param_schema

        out = []
        for spec in known.values():
            rollup = spec.kind == "worklist" and "region_id" in spec.columns
            out.append(
                {
                    "name": spec.name,
                    "kind": spec.kind,
                    "description": spec.description,
                    "path": f"/api/queries/{spec.name}",
                    "rollup_path": f"/api/queries/{spec.name}/rollup" if rollup else None,
                    "parameters": [
                        {
                            "name": p.name,
                            "required": p.required,
                            "default": p.default,
                            "schema": param_schema(p),
                        }
                        for p in spec.params
                    ],
                    "columns": list(spec.columns),
                }
            )
        return jsonify({"queries": out})

    def answer(result: Result, fmt: str, *, paged: bool, args: Mapping[str, str]) -> Response:
        if fmt != "json":
            g.rows = len(result.rows)
            rows = _masked(result.rows)
            return download(_masked(result.to_json(rows=[])), list(result.columns), rows, fmt)
        total = len(result.rows)
        rows = result.rows
        if paged:  # the page is cut first: masking every row of a long worklist costs
            page = _int_arg(args, "page", 1, 1, MAX_PAGE)
            size = _int_arg(args, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
            rows = rows[(page - 1) * size : page * size]
        body = _masked(result.to_json(rows=rows))
        if paged:
            body.update(page=page, page_size=size, total_rows=total, pages=math.ceil(total / size))
        g.rows = len(body["rows"])
        return jsonify(body)

    def query_view(name: str) -> Callable[[], Response]:
        spec = known[name]
        paged = spec.kind == "worklist"

        def view() -> Response:
            args = _single_args()
            fmt = _output_format(args)
            if paged:  # checked before the query runs
                _int_arg(args, "page", 1, 1, MAX_PAGE)
                _int_arg(args, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
            exclude = API_PARAMS if paged else ("format",)
            raw = _strict_params(name, {k: v for k, v in args.items() if k not in exclude})
            return answer(run_named(name, raw), fmt, paged=paged, args=args)

        return view

    def rollup_view(name: str) -> Callable[[], Response]:
        def view() -> Response:
            from queries.rollup import rollup

            args = _single_args()
            fmt = _output_format(args)
            raw = _strict_params(name, {k: v for k, v in args.items() if k != "format"})
            result = rollup(db(), graph.database, run_named(name, raw))
            return answer(result, fmt, paged=False, args=args)

        return view

    for name, spec in known.items():
        app.add_url_rule(
            f"/api/queries/{name}",
            endpoint=f"query_{name}",
            view_func=require("read")(query_view(name)),
            methods=["GET"],
        )
        if spec.kind == "worklist" and "region_id" in spec.columns:
            app.add_url_rule(
                f"/api/queries/{name}/rollup",
                endpoint=f"rollup_{name}",
                view_func=require("read")(rollup_view(name)),
                methods=["GET"],
            )

    @app.get("/api/queries/<name>")
    @require("read")
    def unknown_query(name: str) -> Response:
        raise ApiError(404, "not_found", "no named query of this name (see /api/queries)")

    # -- entities --------------------------------------------------------------------------

    @app.get("/api/search")
    @require("read")
    def search() -> Response:
        raw = _strict_params("search", _single_args())
        return answer(run_named("search", raw), "json", paged=False, args={})

    @app.get("/api/entities/<entity_id>")
    @require("read")
    def entity(entity_id: str) -> Response:
        if _single_args():
            raise ApiError(400, "bad_parameter", "the entity card takes no parameters")
        result = run_named("card", {"id": entity_id})
        if not result.rows:
            g.rows = 0
            raise ApiError(404, "not_found", "no entity with this id (in the token's region)")
        g.rows = 1
        return jsonify(_masked(result.to_json()["rows"][0]))

    @app.get("/api/entities/<entity_id>/trace")
    @require("read")
    def trace(entity_id: str) -> Response:
        raw = _strict_params("help_trace", _single_args())
        if "id" in raw:
            raise ApiError(400, "bad_parameter", "id: it is the path's")
        return answer(
            run_named("help_trace", {**raw, "id": entity_id}), "json", paged=False, args={}
        )

    # -- report ----------------------------------------------------------------------------

    @app.get("/api/report")
    @require("read")
    def report() -> Response:
        from queries.report import compute

        args = _single_args()
        if set(args) - {"as_of"}:
            raise ApiError(400, "bad_parameter", "the report takes only as_of")
        day = dt.date.today()
        if "as_of" in args:
            if not _STRICT["date"].fullmatch(args["as_of"]):
                raise ApiError(400, "bad_parameter", "as_of: expected a date YYYY-MM-DD")
            try:
                day = dt.date.fromisoformat(args["as_of"])
            except ValueError:
                raise ApiError(400, "bad_parameter", "as_of: not a date") from None
        if _token().region is not None:
            raise ApiError(
                403,
                "whole_city_only",
                "the report covers the whole city; this token is bound to a region",
            )
        g.query_name = "report"
        g.query_params = {"as_of": day.isoformat()}
        figures = compute(db(), graph.database, day)
        g.rows = len(figures)
        return jsonify(
            {
                "as_of": day.isoformat(),
                "figures": [
                    {"key": f.key, "zh": f.zh, "en": f.en, "value": f.value, "seed": f.seed}
                    for f in figures
                ],
            }
        )

    # -- ad-hoc Cypher ---------------------------------------------------------------------

    @app.post("/api/cypher")
    @require("cypher")
    def cypher() -> Response:
        from api.adhoc import Rejected, run_adhoc

        if _token().region is not None:
            raise ApiError(
                403,
                "whole_city_only",
                "ad-hoc Cypher cannot be limited to a region: it needs an admin token without one",
            )
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise ApiError(400, "bad_request", 'send JSON {"query": "...", "params": {...}}')
        unknown = set(body) - {"query", "params"}
        if unknown:
            raise ApiError(400, "bad_request", f"unknown fields: {', '.join(sorted(unknown))}")
        query, params = body.get("query"), body.get("params", {})
        if not isinstance(query, str) or not query.strip():
            raise ApiError(400, "bad_request", "query: a Cypher text is required")
        if not isinstance(params, dict):
            raise ApiError(400, "bad_request", "params: must be an object")
        g.query_name = "cypher"
        g.cypher = query
        g.query_params = params
        try:
            result = run_adhoc(
                db(),
                graph.database,
                query,
                params,
                timeout=config.cypher_timeout,
                max_rows=config.cypher_max_rows,
            )
        except Rejected as e:
            raise ApiError(400, e.code, e.reason) from None
        except (nex.ServiceUnavailable, nex.SessionExpired, DatabaseError):
            raise
        except nex.ClientError as e:
            code = e.code or ""
            if "TransactionTimedOut" in code or "Terminated" in code:
                raise ApiError(
                    400, "timeout", f"the query ran longer than {config.cypher_timeout:g} s"
                ) from None
            if "AccessMode" in code or "Forbidden" in code:
                raise ApiError(400, "not_read_only", "only reads are allowed") from None
            first = (e.message or "").strip().splitlines()
            reason = first[0] if first else "Neo4j refused the query"
            raise ApiError(400, "cypher_error", f"{code.rsplit('.', 1)[-1]}: {reason}") from None
        except (TypeError, ValueError, OverflowError) as e:
            raise ApiError(400, "bad_parameter", f"params: cannot be sent to Neo4j ({e})") from None
        g.rows = len(result.rows)
        return jsonify(result.to_json())

    return app
