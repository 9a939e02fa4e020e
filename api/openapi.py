"""The OpenAPI 3 document of the API, generated from the code: one path per named query with
the parameters of its header (``queries.registry``), so that each is described precisely."""

from __future__ import annotations

from typing import Any

from access.exports import CSV, XLSX
from access.paging import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE
from access.params import MAX_LOAD
from access.request import MAX_URL
from loaders.archive import COUNTS as FILE_COUNTS
from queries.registry import MAX_STRING, Param, QuerySpec
from queries.rollup import COLUMNS as ROLLUP_COLUMNS

__all__ = ["document", "param_schema"]

_ERROR = {"$ref": "#/components/schemas/Error"}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "a parameter is unknown, malformed, out of its range or missing (numbers are "
        "ASCII digits; dates YYYY-MM-DD; booleans true or false)",
        401: "no token, or a token that is unknown or revoked",
        403: "the token's role (or region) does not allow this",
        404: "nothing with this id, or not in the token's region",
        414: f"the path and query string are longer than {MAX_URL} characters",
        429: "too many requests for this token (KG_RATE_LIMIT)",
        500: "an unexpected error (logged; no details are returned)",
        503: "Neo4j is unavailable, or the query took too long",
    }
    return {str(c): _error_response(text[c]) for c in codes}


def param_schema(p: Param) -> dict[str, Any]:
    """The schema of a query's parameter as the API accepts it in a query string."""
    schema = p.json_schema()  # an int's range is its header's (queries/registry.py)
    if p.type == "string":
        schema["maxLength"] = MAX_STRING
    return schema


def _query_parameters(spec: QuerySpec) -> list[dict[str, Any]]:
    out = []
    for p in spec.params:
        default = "" if p.required else f" Default: {p.default}."
        kind = {
            "date": "date, YYYY-MM-DD",
            "int": f"whole number from {p.minimum} to {p.maximum}, ASCII digits",
            "bool": "true or false",
            "string": f"text of at most {MAX_STRING} characters",
        }[p.type]
        out.append(
            {
                "name": p.name,
                "in": "query",
                "required": p.required,
                "description": f"{kind}.{default}",
                "schema": param_schema(p),
            }
        )
    return out


_FORMAT = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "json (default), or a download: csv (UTF-8 with BOM) or xlsx. Downloads "
    "need the analyst or admin role and hold every row (no paging). The Accept header "
    "(text/csv, or the xlsx media type) does the same.",
    "schema": {"type": "string", "enum": ["json", "csv", "xlsx"]},
}
_PAGING = [
    {
        "name": "page",
        "in": "query",
        "required": False,
        "description": "The page of rows (from 1).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    },
    {
        "name": "page_size",
        "in": "query",
        "required": False,
        "description": f"Rows per page (1 to {MAX_PAGE_SIZE}).",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_PAGE_SIZE,
            "default": DEFAULT_PAGE_SIZE,
        },
    },
]


def _params_echo(spec: QuerySpec) -> dict[str, Any]:
    props = {}
    for p in spec.params:
        schema = {k: v for k, v in param_schema(p).items() if k not in ("default",)}
        if p.type == "string":
            schema.pop("maxLength", None)  # echoed back masked, and masking keeps the length
        schema["nullable"] = True
        props[p.name] = schema
    return {"type": "object", "properties": props, "required": [p.name for p in spec.params]}


def _result_schema(
    spec: QuerySpec, columns: list[str], *, paged: bool, summary: bool
) -> dict[str, Any]:
    props: dict[str, Any] = {
        "query": {"type": "string", "enum": [spec.name]},
        "params": _params_echo(spec),
        "columns": {"type": "array", "items": {"type": "string", "enum": columns}},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "required": columns,
                "properties": {c: {} for c in columns},
                "additionalProperties": False,
            },
        },
    }
    required = ["query", "params", "columns", "rows"]
    if summary:
        props["summary"] = {"type": "object"}
    if paged:
        props.update(
            page={"type": "integer", "minimum": 1},
            page_size={"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            total_rows={"type": "integer", "minimum": 0},
            pages={"type": "integer", "minimum": 0},
        )
        required += ["page", "page_size", "total_rows", "pages"]
    return {"type": "object", "required": required, "properties": props}


def _downloads(json_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "application/json": {"schema": json_schema},
        CSV: {"schema": {"type": "string"}},
        XLSX: {"schema": {"type": "string", "format": "binary"}},
    }


def _query_path(spec: QuerySpec) -> dict[str, Any]:
    paged = spec.kind == "worklist"
    params = _query_parameters(spec) + [_FORMAT] + (_PAGING if paged else [])
    schema = _result_schema(spec, list(spec.columns), paged=paged, summary=True)
    return {
        "get": {
            "operationId": f"query_{spec.name}",
            "tags": [
                {"worklist": "worklists", "point": "points", "summary": "summaries"}[spec.kind]
            ],
            "summary": spec.name,
            "description": spec.description,
            "parameters": params,
            "responses": {
                "200": {"description": f"the {spec.kind}", "content": _downloads(schema)},
                **_errors(400, 401, 403, 414, 429, 500, 503),
            },
        }
    }


def _rollup_path(spec: QuerySpec) -> dict[str, Any]:
    schema = _result_schema(spec, list(ROLLUP_COLUMNS), paged=False, summary=True)
    return {
        "get": {
            "operationId": f"rollup_{spec.name}",
            "tags": ["rollups"],
            "summary": f"{spec.name} per county and township",
            "description": "The rows of the worklist counted per county and township (汇总); "
            "summary.total_rows is their total.",
            "parameters": _query_parameters(spec) + [_FORMAT],
            "responses": {
                "200": {"description": "the roll-up", "content": _downloads(schema)},
                **_errors(400, 401, 403, 414, 429, 500, 503),
            },
        }
    }


_BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]


def document(specs: dict[str, QuerySpec], version: str) -> dict[str, Any]:
    """The OpenAPI 3.0 document of the API for the named queries ``specs``."""
    paths: dict[str, Any] = {
        "/api/health": {
            "get": {
                "operationId": "health",
                "tags": ["service"],
                "summary": "Whether the API runs and Neo4j answers (no token needed)",
                "security": [],
                "responses": {
                    "200": {
                        "description": "Neo4j answers",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Health"}}
                        },
                    },
                    "503": {
                        "description": "Neo4j does not answer",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Health"}}
                        },
                    },
                },
            }
        },
        "/api/queries": {
            "get": {
                "operationId": "list_queries",
                "tags": ["service"],
                "summary": "The named queries and their parameters",
                "responses": {
                    "200": {
                        "description": "every named query",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/QueryList"}
                            }
                        },
                    },
                    **_errors(401, 429, 500),
                },
            }
        },
    }
    for spec in specs.values():
        paths[f"/api/queries/{spec.name}"] = _query_path(spec)
        if spec.kind == "worklist" and "region_id" in spec.columns:
            paths[f"/api/queries/{spec.name}/rollup"] = _rollup_path(spec)

    id_param = {
        "name": "id",
        "in": "path",
        "required": True,
        "description": "a person_id, household_id, org_id, region_id, site_id, entity_id or "
        "team_id",
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_STRING},
    }
    if "search" in specs:
        search = specs["search"]
        found = _result_schema(search, list(search.columns), paged=False, summary=False)
        found["properties"]["total_rows"] = {
            "type": "integer",
            "minimum": 0,
            "description": "how many matches there are in all (1,000 or more: the list was "
            "cut); offset and limit choose the page",
        }
        found["required"] = [*found["required"], "total_rows"]
        paths["/api/search"] = {
            "get": {
                "operationId": "search",
                "tags": ["entities"],
                "summary": "Search by name or id",
                "description": search.description,
                "parameters": _query_parameters(search),
                "responses": {
                    "200": {
                        "description": "the matches, best first (persons first for a name)",
                        "content": {"application/json": {"schema": found}},
                    },
                    **_errors(400, 401, 403, 414, 429, 500, 503),
                },
            }
        }
    if "card" in specs:
        paths["/api/entities/{id}"] = {
            "get": {
                "operationId": "entity_card",
                "tags": ["entities"],
                "summary": "The card (档案卡) of an entity",
                "description": specs["card"].description,
                "parameters": [id_param],
                "responses": {
                    "200": {
                        "description": "the entity and its neighbours",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Card"}}
                        },
                    },
                    **_errors(400, 401, 403, 404, 414, 429, 500, 503),
                },
            }
        }
    if "help_trace" in specs:
        trace = specs["help_trace"]
        paths["/api/entities/{id}/trace"] = {
            "get": {
                "operationId": "help_trace",
                "tags": ["entities"],
                "summary": "The help trace (帮扶追溯) of a helper or a household",
                "description": trace.description,
                "parameters": [id_param]
                + [p for p in _query_parameters(trace) if p["name"] != "id"],
                "responses": {
                    "200": {
                        "description": "the pairings",
                        "content": {
                            "application/json": {
                                "schema": _result_schema(
                                    trace, list(trace.columns), paged=False, summary=False
                                )
                            }
                        },
                    },
                    **_errors(400, 401, 403, 404, 414, 429, 500, 503),
                },
            }
        }
    paths["/api/loads"] = {
        "get": {
            "operationId": "loads",
            "tags": ["history"],
            "summary": "The numbered loads: when, what, and per file what each did",
            "parameters": [_FORMAT],
            "responses": {
                "200": {
                    "description": "the loads (or a CSV/xlsx download, a row per load and file)",
                    "content": _downloads({"$ref": "#/components/schemas/Loads"}),
                },
                **_errors(400, 401, 403, 414, 429, 500),
            },
        }
    }
    paths["/api/changes"] = {
        "get": {
            "operationId": "changes",
            "tags": ["history"],
            "summary": "What changed between two loads: facts and worklist rows",
            "description": "Facts added, changed (old and new values) and retracted per kind, "
            "each with its file and row; when `to` directly follows `from`, the rows of each "
            "worklist (as of the day load `to` ran) that appeared or disappeared with it. A "
            "region-bound token sees what lies in its region; values are masked by role.",
            "parameters": [
                {
                    "name": "from",
                    "in": "query",
                    "required": False,
                    "description": "the earlier load (0: the empty graph). Default: to - 1.",
                    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_LOAD},
                },
                {
                    "name": "to",
                    "in": "query",
                    "required": False,
                    "description": "the later load. Default: the last.",
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LOAD},
                },
                _FORMAT,
                *_PAGING,
            ],
            "responses": {
                "200": {
                    "description": "a page of the changes (or every row as CSV/xlsx)",
                    "content": _downloads({"$ref": "#/components/schemas/Changes"}),
                },
                **_errors(400, 401, 403, 404, 414, 429, 500, 503),
            },
        }
    }
    paths["/api/report"] = {
        "get": {
            "operationId": "report",
            "tags": ["report"],
            "summary": "The seed-style figures of the whole city as of a date",
            "description": "Tokens bound to a region get 403: the figures cover the whole city.",
            "parameters": [
                {
                    "name": "as_of",
                    "in": "query",
                    "required": False,
                    "description": "date. Default: today.",
                    "schema": {"type": "string", "format": "date"},
                }
            ],
            "responses": {
                "200": {
                    "description": "the figures",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Report"}}
                    },
                },
                **_errors(400, 401, 403, 414, 429, 500, 503),
            },
        }
    }
    paths["/api/cypher"] = {
        "post": {
            "operationId": "cypher",
            "tags": ["admin"],
            "summary": "Ad-hoc read-only Cypher (admin tokens without a region only)",
            "description": "Checked before it runs (EXPLAIN: read-only, allowed procedures only, "
            "no LOAD CSV, no IN TRANSACTIONS, no commands, one statement), then run in a read "
            "transaction with a timeout and a row cap; see docs/api.md.",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/CypherRequest"}}
                },
            },
            "responses": {
                "200": {
                    "description": "the rows",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/CypherResult"}
                        }
                    },
                },
                **_errors(400, 401, 403, 414, 429, 500, 503),
            },
        }
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "kg API",
            "version": version,
            "description": "The knowledge graph of party organisations, cadres and "
            "poverty-alleviation ledgers: named queries, search, entity cards, help traces and "
            "figures. Every route but /api/health, /api/openapi.json and /api/docs needs a "
            "bearer token (`kg token create`). See docs/api.md for roles, masking and scoping.",
        },
        "servers": [{"url": "/"}],
        "security": _BEARER,
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a token of `kg token create`",
                }
            },
            "schemas": _schemas(),
        },
    }


def _schemas() -> dict[str, Any]:
    string = {"type": "string"}
    return {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": string, "message": string},
                }
            },
        },
        "Loads": {
            "type": "object",
            "required": ["loads"],
            "properties": {
                "loads": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["load", "started_at", "finished_at", "path", "files"],
                        "properties": {
                            "load": {"type": "integer", "minimum": 1},
                            "started_at": string,
                            "finished_at": {"type": "string", "nullable": True},
                            "path": string,
                            "status": {
                                "type": "string",
                                "enum": ["running", "complete", "interrupted", "failed"],
                            },
                            "files": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "object",
                                    "properties": {
                                        "sha256": string,
                                        **{
                                            k: {"type": "integer", "minimum": 0}
                                            for k in FILE_COUNTS
                                        },
                                    },
                                },
                            },
                        },
                    },
                }
            },
        },
        "Changes": {
            "type": "object",
            "required": ["from", "to", "facts", "worklists"],
            "properties": {
                "from": {"type": "integer", "minimum": 0},
                "to": {"type": "integer", "minimum": 1},
                "facts": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["kind", "change", "key", "before", "after", "file", "row"],
                        "properties": {
                            "kind": string,
                            "change": {"type": "string", "enum": ["added", "changed", "retracted"]},
                            "key": {"type": "object"},
                            "before": {"type": "object", "nullable": True},
                            "after": {"type": "object", "nullable": True},
                            "file": {"type": "string", "nullable": True},
                            "row": {"type": "integer", "nullable": True},
                        },
                    },
                },
                "worklists": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "properties": {
                            "appeared": {"type": "array", "items": {"type": "object"}},
                            "disappeared": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                },
                "page": {"type": "integer", "minimum": 1},
                "page_size": {"type": "integer", "minimum": 1},
                "total_rows": {"type": "integer", "minimum": 0},
                "pages": {"type": "integer", "minimum": 0},
            },
        },
        "Health": {
            "type": "object",
            "required": ["status", "neo4j"],
            "properties": {
                "status": {"type": "string", "enum": ["ok", "unavailable"]},
                "neo4j": {"type": "boolean"},
                "version": string,
                "warm": {
                    "type": "object",
                    "nullable": True,
                    "description": "the warm-up of the default date's answers for the graph's "
                    "current load (null while Neo4j does not answer): answers computed, of "
                    "how many (null when none ran for this load), the load number, whether "
                    "it is still running",
                    "required": ["done", "total", "load", "running"],
                    "properties": {
                        "done": {"type": "integer", "nullable": True, "minimum": 0},
                        "total": {"type": "integer", "nullable": True, "minimum": 0},
                        "load": {"type": "integer", "nullable": True},
                        "running": {"type": "boolean"},
                    },
                },
            },
        },
        "QueryList": {
            "type": "object",
            "required": ["queries"],
            "properties": {
                "queries": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "kind", "description", "path", "parameters"],
                        "properties": {
                            "name": string,
                            "kind": {"type": "string", "enum": ["worklist", "point", "summary"]},
                            "description": string,
                            "path": string,
                            "rollup_path": {"type": "string", "nullable": True},
                            "parameters": {"type": "array", "items": {"type": "object"}},
                            "columns": {"type": "array", "items": string},
                        },
                    },
                }
            },
        },
        "Card": {
            "type": "object",
            "required": ["label", "id", "name", "properties", "neighbours"],
            "properties": {
                "label": string,
                "id": string,
                "name": {"type": "string", "nullable": True},
                "properties": {"type": "object"},
                "neighbours": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["relationship", "direction", "label", "count", "items"],
                        "properties": {
                            "relationship": string,
                            "direction": {"type": "string", "enum": ["in", "out"]},
                            "label": {"type": "string", "nullable": True},
                            "count": {"type": "integer", "minimum": 0},
                            "items": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                },
            },
        },
        "Report": {
            "type": "object",
            "required": ["as_of", "figures"],
            "properties": {
                "as_of": {"type": "string", "format": "date"},
                "figures": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["key", "zh", "en", "value", "seed"],
                        "properties": {
                            "key": string,
                            "zh": string,
                            "en": string,
                            "value": {"type": "number", "nullable": True},
                            "seed": {"type": "number", "nullable": True},
                        },
                    },
                },
            },
        },
        "CypherRequest": {
            "type": "object",
            "required": ["query"],
            "additionalProperties": False,
            "properties": {
                "query": {"type": "string", "minLength": 1, "maxLength": 20000},
                "params": {"type": "object"},
            },
        },
        "CypherResult": {
            "type": "object",
            "required": ["columns", "rows", "row_count", "truncated"],
            "properties": {
                "columns": {"type": "array", "items": string},
                "rows": {"type": "array", "items": {"type": "object"}},
                "row_count": {"type": "integer", "minimum": 0},
                "truncated": {"type": "boolean"},
            },
        },
    }
