"""``/api/health`` (no token), ``/api/openapi.json`` (no token) and ``/api/queries``."""

from __future__ import annotations

import neo4j.exceptions as nex
from flask import Blueprint, Response, jsonify

from access import warm
from access.request import require
from access.services import services
from api.openapi import document, param_schema
from core.errors import KgError

__all__ = ["health", "list_queries", "openapi", "register"]


def health() -> Response:
    """Whether Neo4j answers: 200, else 503 (never rate-limited); and the warm-up's progress
    (access/warm.py), kept in the graph so that every worker and host tells the same."""
    found = services()
    up = found.graph.answers()
    progress = None
    if up:
        try:
            progress = warm.progress(found.driver(), found.database)
        except (KgError, nex.DriverError, nex.Neo4jError, OSError):
            progress = None
    response = jsonify(
        {
            "status": "ok" if up else "unavailable",
            "neo4j": up,
            "version": found.version,
            "warm": progress,
        }
    )
    response.status_code = 200 if up else 503
    return response


def openapi() -> Response:
    found = services()
    return jsonify(document(found.specs, found.version))


@require("read")
def list_queries() -> Response:
    out = []
    for spec in services().specs.values():
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


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/health", view_func=health, methods=["GET"])
    bp.add_url_rule("/api/openapi.json", view_func=openapi, methods=["GET"])
    bp.add_url_rule("/api/queries", view_func=list_queries, methods=["GET"])
