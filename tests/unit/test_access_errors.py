"""access.errors: one mapping from errors to HTTP problems, and their JSON."""

from __future__ import annotations

import neo4j.exceptions as nex
import pytest
from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound, TooManyRequests

from access.errors import HttpError, json_response, problem_for
from access.principal import Principal
from api.adhoc import Rejected
from core.errors import ConfigError, DatabaseError, EmbeddedNeo4jError, KgError, NotFoundError
from queries.registry import ParamError, RegistryError


def _neo4j(code: str) -> nex.Neo4jError:
    """A Neo4j error with ``code``, as the driver makes it from the server's answer."""
    return nex.Neo4jError._hydrate_neo4j(code=code, message="MATCH (secret) RETURN secret")


@pytest.fixture()
def request_context():
    app = Flask("t")
    with app.test_request_context("/api/entities/530521197003150114", method="POST"):
        yield


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (HttpError(403, "forbidden", "no"), 403, "forbidden"),
        (ParamError("year", "expected a whole number"), 400, "bad_parameter"),
        (Rejected("load_csv", "LOAD CSV is not allowed"), 400, "load_csv"),
        (NotFoundError("x"), 404, "not_found"),
        (DatabaseError("down"), 503, "neo4j_unavailable"),
        (EmbeddedNeo4jError("down"), 503, "neo4j_unavailable"),
        (nex.ServiceUnavailable("down"), 503, "neo4j_unavailable"),
        (_neo4j("Neo.ClientError.Transaction.TransactionTimedOut"), 503, "timeout"),
        (_neo4j("Neo.ClientError.Statement.SyntaxError"), 500, "internal_error"),
        (NotFound(), 404, "not_found"),
        (MethodNotAllowed(["GET"]), 405, "method_not_allowed"),
        (TooManyRequests(), 429, "rate_limited"),
        (ConfigError("bad file"), 500, "internal_error"),
        (RuntimeError("MATCH (secret) RETURN secret"), 500, "internal_error"),
    ],
)
def test_one_mapping(request_context, error, status, code):
    problem = problem_for(error)
    assert (problem.status, problem.code) == (status, code)
    assert "secret" not in problem.message and "MATCH" not in problem.message


def test_headers_travel(request_context):
    assert problem_for(DatabaseError("x")).headers == {"Retry-After": "10"}
    assert problem_for(TooManyRequests()).headers["Retry-After"] == "60"
    assert problem_for(MethodNotAllowed(["GET"])).headers["Allow"] == "GET"
    assert problem_for(HttpError(429, "x", "y", {"Retry-After": "5"})).headers == {
        "Retry-After": "5"
    }


def test_every_deliberate_error_derives_from_kg_error():
    for kind in (HttpError, ParamError, Rejected, RegistryError, NotFoundError):
        assert issubclass(kind, KgError), kind
    assert issubclass(ParamError, ValueError) and issubclass(Rejected, ValueError)


def test_json_masks_the_message_by_role(request_context):
    problem = problem_for(HttpError(400, "bad_parameter", "530521197003150114: no such parameter"))
    viewer = json_response(problem, Principal("t", "viewer", None)).get_json()
    admin = json_response(problem, Principal("t", "admin", None)).get_json()
    nobody = json_response(problem).get_json()
    assert viewer["error"]["message"].startswith("530521********0114")
    assert nobody == viewer
    assert admin["error"] == {
        "code": "bad_parameter",
        "message": "530521197003150114: no such parameter",
    }
