"""``/api/docs``: Swagger UI on the API's OpenAPI document, every asset served from here.

The files come from the ``swagger-ui-bundle`` package (Swagger UI's own distribution); the
page and its start-up script are ours, so nothing is fetched from a CDN and the Content
Security Policy can say ``'self'`` only.
"""

from __future__ import annotations

import functools

from flask import Blueprint, Response
from swagger_ui_bundle import swagger_ui_path
from werkzeug.exceptions import NotFound

__all__ = ["register"]

#: the Swagger UI files the page needs (nothing else of the package is served)
ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "favicon-32x32.png": "image/png",
    "favicon-16x16.png": "image/png",
}

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <title>kg API</title>
  <link rel="stylesheet" type="text/css" href="/api/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="/api/docs/favicon-16x16.png" sizes="16x16">
  <style>body { margin: 0; }</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
  <script src="/api/docs/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
  <script src="/api/docs/init.js" charset="UTF-8"></script>
</body>
</html>
"""

INIT = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
};
"""

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
)


def docs() -> Response:
    response = Response(PAGE, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CSP
    return response


def docs_init() -> Response:
    return Response(INIT, mimetype="text/javascript")


def docs_asset(asset: str) -> Response:
    if asset not in ASSETS:
        raise NotFound()
    response = Response(_read(asset), mimetype=ASSETS[asset])
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@functools.cache
def _read(asset: str) -> bytes:
    return (swagger_ui_path / asset).read_bytes()


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/docs", view_func=docs, methods=["GET"])
    bp.add_url_rule("/api/docs/init.js", view_func=docs_init, methods=["GET"])
    bp.add_url_rule("/api/docs/<asset>", view_func=docs_asset, methods=["GET"])
