"""The explorer: HTML pages over the graph, served by ``kg serve`` beside the API.

A Flask blueprint (:mod:`web.views`) with Jinja templates (``web/templates``, autoescaped)
and local static files (``web/static``; vis-network from ``viz/static``): the home page with
the key figures, search, entity pages with their card and network, the worklists with filters
and downloads, and network analytics. Sign-in takes one of the API's tokens and keeps its id
in a signed session cookie; every query gets the token's region as its scope and every answer
is masked for its role, as in the API. See docs/explorer.md.

:func:`register_web` is called by :func:`api.create_app`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

__all__ = ["register_web"]


def register_web(app: Flask, settings: Any, *, cache: Any, limiter: Any) -> None:
    """Mount the explorer on the API's ``app`` (``/`` and ``/web/...``): its session key, CSRF
    protection of its forms, its blueprints; ``cache`` is the API's result cache and
    ``limiter`` its rate limiter (static files are exempt)."""
    from web.views import register

    register(app, settings, cache=cache, limiter=limiter)
