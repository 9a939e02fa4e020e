"""The HTTP API of kg: a Flask blueprint of JSON endpoints under ``/api`` (docs/api.md),
registered with the explorer's by the app factory :func:`kg.app.create_app`; ``kg serve``
runs it under gunicorn.

=============  =============================================================================
module         endpoints
=============  =============================================================================
``service``    ``/api/health``, ``/api/openapi.json``, ``/api/queries``
``docs``       ``/api/docs``: Swagger UI, served locally
``named``      ``/api/queries/NAME`` (paged, CSV/xlsx) and ``/api/queries/NAME/rollup``
``entities``   ``/api/search``, ``/api/entities/ID``, ``/api/entities/ID/trace``
``report``     ``/api/report``
``history``    ``/api/loads``, ``/api/changes``: the load history and what changed (§4)
``cypher``     ``POST /api/cypher``: ad-hoc read-only Cypher for admins (checked by ``adhoc``)
=============  =============================================================================

Who is asking, masking, errors, downloads and the audit log are the access layer's
(``access/``); nothing here imports the explorer (``web/``), nor it this.
"""

from __future__ import annotations

from flask import Blueprint

from api import cypher, docs, entities, history, named, report, service
from queries.registry import QuerySpec

__all__ = ["blueprint"]


def blueprint(known: dict[str, QuerySpec]) -> Blueprint:
    """The API's blueprint, with one route per named query of ``known`` (a new blueprint per
    app: the routes depend on the query files)."""
    bp = Blueprint("api", __name__)
    service.register(bp)
    docs.register(bp)
    named.register(bp, known)
    entities.register(bp)
    report.register(bp)
    history.register(bp)
    cypher.register(bp)
    return bp
