"""``/api/report``: the seed-style figures of the whole city as of a date."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, jsonify, request

from access import warm
from access.errors import HttpError
from access.params import parse_date, single_args
from access.request import note, principal, require
from access.services import services

__all__ = ["register", "report"]


@require("read")
def report() -> Response:
    args = single_args(request.args)
    if set(args) - {"as_of"}:
        raise HttpError(400, "bad_parameter", "the report takes only as_of")
    day = parse_date(args["as_of"]) if "as_of" in args else dt.date.today()
    if principal().scope is not None:
        raise HttpError(
            403,
            "whole_city_only",
            "the report covers the whole city; this token is bound to a region",
        )
    note(query="report", params={"as_of": day.isoformat()})
    found = services()
    figures = warm.figures(found.cache, found.driver(), found.database, day)
    note(rows=len(figures))
    return jsonify(
        {
            "as_of": day.isoformat(),
            "figures": [
                {"key": f.key, "zh": f.zh, "en": f.en, "value": f.value, "seed": f.seed}
                for f in figures
            ],
        }
    )


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/report", view_func=report, methods=["GET"])
