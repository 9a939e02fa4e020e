"""The explorer: HTML pages over the graph, served by ``kg serve`` beside the API.

Flask blueprints (``web`` for the pages, ``web_assets`` for the static files) with Jinja
templates (``web/templates``, autoescaped) and local static files (``web/static``;
vis-network from ``viz/static``): the home page with the key figures, search, entity pages
with their card and network, the worklists with filters and downloads, and network analytics.

=============  =============================================================================
module         what it holds
=============  =============================================================================
``blueprint``  the blueprints, the security headers, the error page (one renderer of the
               access layer's ``Problem``), template helpers
``auth``       sign-in with an API token into a server-side session (``access.sessions``),
               throttled per address; sign-out; ``signed_in``
``views``      the pages
``history``    the 变更记录 page: loads and what changed between two (contract §4)
``i18n``       the words of the pages, Chinese first
``secret``     the key that signs the session cookie
=============  =============================================================================

Every query gets the signed-in token's region as its scope and every answer is masked for
its role, as in the API (both through ``access/``); nothing here imports ``api/``.
See docs/explorer.md. :func:`register` is called by the app factory, :func:`kg.app.create_app`.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter

from access.services import Services
from web import auth, history, views
from web.blueprint import assets, bp, csrf
from web.secret import secret_key

__all__ = ["register"]

# the modules whose routes the blueprint holds (imported for that)
_ROUTES = (auth, history, views)


def register(app: Flask, found: Services, limiter: Limiter) -> None:
    """Mount the explorer on ``app`` (``/`` and ``/web/...``): its session cookie and key,
    CSRF protection of its forms, its blueprints; static files are not rate-limited."""
    app.secret_key = secret_key(found.settings, found.web.secret_key)
    app.session_interface = auth.SessionInterface()
    app.config.update(
        SESSION_COOKIE_NAME="kg_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=found.web.secure_cookies,
        # CSRF is checked by the explorer on its own forms, not on the API's JSON routes
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,
    )
    csrf.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(assets)
    limiter.exempt(assets)
