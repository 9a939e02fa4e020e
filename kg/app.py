"""The app factory: :func:`create_app` builds the Flask application of ``kg serve``, the API
(``api/``) and the explorer (``web/``) as blueprints on one app, over the access layer.

It lives here, on the top floor beside the command line, because it is what composes the
floors below: it imports ``api`` and ``web`` (which never import each other, nor this) and
``access``; nothing below imports it. ``kg serve`` builds one app per gunicorn worker.

What the factory wires, in order: the settings (read from the environment here, never at
import), the shared services (:class:`access.services.Services`), the rate limiter, the hooks
every request passes (URL length, audit log, headers: :func:`access.request.install`), the
JSON error answers (:func:`access.errors.register_json`; the explorer renders the same
problems as pages), the two blueprints, and Werkzeug's ProxyFix when behind a proxy.
"""

from __future__ import annotations

import neo4j
from flask import Flask, request
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

import api
import web
from access.errors import register_json
from access.request import authenticate_bearer, install
from access.services import Services
from api.service import health
from core.settings import ApiConfig, Settings, WebConfig

__all__ = ["create_app"]

#: the largest request body answered (ad-hoc Cypher is the only one): 413 beyond
MAX_CONTENT_LENGTH = 1024 * 1024


def _rate_key() -> str:
    """The rate limit's bucket: the bearer token, else the client's address."""
    who = authenticate_bearer()
    return f"token:{who.token_id}" if who else f"ip:{request.remote_addr or '-'}"


def _limiter(app: Flask, config: ApiConfig) -> Limiter:
    return Limiter(
        _rate_key,
        app=app,
        application_limits=[config.rate_limit] if config.rate_limit else [],
        storage_uri=config.rate_limit_storage,
        enabled=config.rate_limit is not None,
        headers_enabled=False,
    )


def create_app(
    settings: Settings | None = None,
    *,
    config: ApiConfig | None = None,
    web_config: WebConfig | None = None,
    driver: neo4j.Driver | None = None,
    behind_proxy: bool = False,
) -> Flask:
    """The API and the explorer on one app.

    ``settings``, ``config`` and ``web_config`` default to the environment's
    (``Settings.from_env``, ``ApiConfig.from_env``, ``WebConfig.from_env``); ``driver`` to one
    opened on the first request. ``behind_proxy``: trust one proxy's ``X-Forwarded-For``,
    ``-Proto`` and ``-Host`` (Werkzeug's ProxyFix), so that the client's address is throttled
    and logged and the session cookie is ``Secure`` when the client used HTTPS.
    """
    settings = settings or Settings.from_env()
    config = config or ApiConfig.from_env(settings)
    web_config = web_config or WebConfig.from_env()
    found = Services.build(settings, config, web_config, driver)

    app = Flask("kg", static_folder=None)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config["MAX_CONTENT_LENGTH"] = MAX_CONTENT_LENGTH
    app.extensions["kg"] = found

    limiter = _limiter(app, config)
    install(app)
    register_json(app)
    app.register_blueprint(api.blueprint(found.specs))
    limiter.exempt(health)
    web.register(app, found, limiter)
    if behind_proxy:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=1, x_proto=1, x_host=1
        )
    return app
