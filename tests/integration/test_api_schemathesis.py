"""Property-based tests of the API against its own OpenAPI document (schemathesis, WSGI).

With an admin token on the small dataset: every operation, with generated valid and invalid
parameters, answers without a server error, with a documented status and content type and a
body that matches the schema. The graph is the same afterwards.
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.openapi import document
from queries.registry import specs
from tests.integration.api_support import SMALL, Api, counts, load_dataset, make_api

MAX_EXAMPLES = 12


@pytest.fixture(scope="module")
def st_api(driver, settings, tmp_path_factory) -> Api:
    tmp = tmp_path_factory.mktemp("schemathesis")
    load_dataset(driver, settings, SMALL, tmp)
    return make_api(settings, driver, tmp)


@pytest.fixture(scope="module")
def graph_before(st_api, driver, settings):
    return counts(driver, settings)


@pytest.fixture(scope="module")
def api_schema(st_api):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", st_api.app)


def _operations():
    """(path, method, mode) of every operation of the document, built from the code (the
    pytest plugin's lazy schemas need pytest internals that pytest 9 removed)."""
    doc = document(specs(), "test")
    for path, item in doc["paths"].items():
        for method, op in item.items():
            modes = [GenerationMode.POSITIVE]
            if op.get("parameters") or op.get("requestBody"):
                modes.append(GenerationMode.NEGATIVE)
            for mode in modes:
                yield pytest.param(path, method, mode, id=f"{method.upper()} {path} {mode.value}")


@pytest.mark.parametrize(("path", "method", "mode"), list(_operations()))
def test_api_conforms_to_its_schema(api_schema, st_api, graph_before, path, method, mode):
    operation = api_schema[path][method]
    headers = st_api.headers("admin")
    # Any text is a schema-valid query, but most texts are not Cypher (or not read-only): a 400
    # is the right answer there.
    excluded = [positive_data_acceptance] if path == "/api/cypher" else []

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case):
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    check()


def test_graph_unchanged_by_the_generated_requests(st_api, graph_before, driver, settings):
    assert counts(driver, settings) == graph_before


KNOWN = [
    ("/api/entities/{id}", {"id": "P001"}, None),
    ("/api/entities/{id}", {"id": "H001"}, None),
    ("/api/entities/{id}", {"id": "ORG003"}, None),
    ("/api/entities/{id}", {"id": "530521101201"}, None),
    ("/api/entities/{id}", {"id": "AZD001"}, None),
    ("/api/entities/{id}", {"id": "E001"}, None),
    ("/api/entities/{id}", {"id": "T001"}, None),
    ("/api/entities/{id}/trace", {"id": "P007"}, None),
    ("/api/entities/{id}/trace", {"id": "H003"}, None),
    ("/api/search", None, {"q": "杨春华"}),
    ("/api/search", None, {"q": "P00"}),
    ("/api/queries/card", None, {"id": "P001"}),
    ("/api/queries/help_trace", None, {"id": "P007"}),
]


@pytest.mark.parametrize(("path", "path_parameters", "query"), KNOWN)
def test_answers_about_known_entities_conform(api_schema, st_api, path, path_parameters, query):
    """Random ids find nothing (404); these find something, so that 200 bodies are checked."""
    operation = api_schema[path]["get"]
    headers = st_api.headers("admin")
    statuses = []

    @hypothesis.given(case=operation.as_strategy(path_parameters=path_parameters, query=query))
    @hypothesis.settings(
        max_examples=5,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case):
        statuses.append(case.call_and_validate(headers=headers).status_code)

    check()
    assert 200 in statuses
