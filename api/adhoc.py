"""Ad-hoc Cypher for admins (``POST /api/cypher``), read-only by the application's own checks.

A query runs only if all of these pass, in this order; the first that fails rejects it with
a reason (:class:`Rejected`) and nothing has run:

1. the text (strings and comments removed): one statement (no ``;`` followed by more), no
   ``LOAD CSV``, no ``IN TRANSACTIONS`` / ``PERIODIC COMMIT``, no ``EXPLAIN``/``PROFILE``;
2. ``EXPLAIN`` of it, in a read transaction: Neo4j plans it without running it. Its
   ``query_type`` must be ``r`` (read only: not ``w``, ``rw`` or ``s``, schema and admin
   commands); no operator may be a procedure call outside :data:`ALLOWED_PROCEDURES`, a
   ``LoadCSV``, a transaction batch (``TransactionForeach``/``TransactionApply``), or a command
   (``Show…``, ``Terminate…``, ``Create…``/``Drop…``, ``AdministrationCommand``: ``SHOW
   TRANSACTIONS`` and ``TERMINATE TRANSACTIONS`` plan as reads), and every operator must run
   on the configured database (a ``USE`` of another database is refused).

Then it runs in a read transaction (``session.execute_read``; Neo4j itself refuses writes in
one) with a timeout, and at most ``max_rows`` rows are returned (``truncated`` says there
were more).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import neo4j
import neo4j.graph
import neo4j.spatial
import neo4j.time

from core.errors import InputError

__all__ = ["ALLOWED_PROCEDURES", "AdhocResult", "Rejected", "check_text", "run_adhoc"]

#: procedures an ad-hoc query may call: they read the schema or the full-text index
ALLOWED_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
    }
)
MAX_QUERY_LENGTH = 20_000

_FORBIDDEN_OPERATORS = re.compile(
    r"^(LoadCSV|TransactionForeach|TransactionApply|AdministrationCommand|SystemProcedureCall"
    r"|Show\w*|Terminate\w*|Create\w*|Drop\w*|Alter\w*|Rename\w*|Grant\w*|Deny\w*|Revoke\w*"
    r"|Start\w*|Stop\w*|Enable\w*|Deallocate\w*|Reallocate\w*|DoNothingIf\w*|Ensure\w*"
    r"|Assert\w*)$"
)
_PROCEDURE_NAME = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*\(")


class Rejected(InputError, ValueError):
    """An ad-hoc query that may not run; ``reason`` says why (no Cypher text in it)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _code_only(text: str) -> str:
    """The query with string literals, quoted names and comments replaced by spaces."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" and c != "`" else 1
            if c == "`":
                out.append(" x ")  # a quoted name is a name
            else:
                out.append(" '' ")
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            out.append(" ")
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def check_text(query: str) -> None:
    """The checks on the text (step 1); raises :class:`Rejected`."""
    if not query.strip():
        raise Rejected("empty_query", "the query is empty")
    if len(query) > MAX_QUERY_LENGTH:
        raise Rejected("query_too_long", f"the query is longer than {MAX_QUERY_LENGTH} characters")
    if "\x00" in query:
        raise Rejected("bad_query", "the query contains a NUL character")
    code = _code_only(query)
    head, sep, rest = code.partition(";")
    if sep and (rest.strip() or ";" in rest):
        raise Rejected("several_statements", "only one statement may be sent")
    upper = " ".join(code.upper().split())
    if re.search(r"\bLOAD\s+CSV\b", upper):
        raise Rejected("load_csv", "LOAD CSV is not allowed")
    if re.search(r"\bIN\s+(\w+\s+)?(CONCURRENT\s+)?TRANSACTIONS\b", upper) or re.search(
        r"\bPERIODIC\s+COMMIT\b", upper
    ):
        raise Rejected("in_transactions", "CALL { ... } IN TRANSACTIONS is not allowed")
    if re.match(r"\s*(EXPLAIN|PROFILE)\b", upper):
        raise Rejected("explain", "send the query without EXPLAIN or PROFILE")


def _operators(plan: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(operator, database, details) of every operator of a plan."""
    name = str(plan.get("operatorType", ""))
    operator, _, database = name.partition("@")
    args = plan.get("args") or plan.get("arguments") or {}
    yield operator, database, str(args.get("Details") or "")
    for child in plan.get("children", []) or []:
        yield from _operators(child)


def check_plan(summary: neo4j.ResultSummary, database: str) -> None:
    """The checks on the ``EXPLAIN`` (step 2); raises :class:`Rejected`."""
    if summary.query_type != "r":
        what = {"w": "writes", "rw": "writes", "s": "changes the schema or the system"}
        raise Rejected(
            "not_read_only",
            f"the query {what.get(str(summary.query_type), 'is not read-only')}: only reads "
            "are allowed",
        )
    if summary.database not in (None, database):
        raise Rejected("other_database", "queries run on the kg database only")
    for operator, db, details in _operators(summary.plan or {}):
        if db and db != database:
            raise Rejected("other_database", "queries run on the kg database only")
        if operator == "ProcedureCall":
            m = _PROCEDURE_NAME.match(details)
            procedure = m.group(1) if m else "?"
            if procedure not in ALLOWED_PROCEDURES:
                raise Rejected(
                    "procedure_not_allowed",
                    f"the procedure {procedure} is not allowed; allowed: "
                    + ", ".join(sorted(ALLOWED_PROCEDURES)),
                )
        elif _FORBIDDEN_OPERATORS.match(operator):
            raise Rejected(
                "command_not_allowed",
                f"the query plans a {operator} operation: only read queries are allowed",
            )


def to_json(value: Any) -> Any:
    """A value returned by Neo4j as JSON."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, neo4j.graph.Node):
        return {
            "element_id": value.element_id,
            "labels": sorted(value.labels),
            "properties": to_json(dict(value)),
        }
    if isinstance(value, neo4j.graph.Relationship):
        return {
            "element_id": value.element_id,
            "type": value.type,
            "start": value.start_node.element_id if value.start_node else None,
            "end": value.end_node.element_id if value.end_node else None,
            "properties": to_json(dict(value)),
        }
    if isinstance(value, neo4j.graph.Path):
        return {
            "nodes": [to_json(n) for n in value.nodes],
            "relationships": [to_json(r) for r in value.relationships],
        }
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time):
        return value.iso_format()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, neo4j.spatial.Point):
        return {"srid": value.srid, "coordinates": list(value)}
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    return str(value)


@dataclass
class AdhocResult:
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "rows": self.rows,
            "row_count": len(self.rows),
            "truncated": self.truncated,
        }


def run_adhoc(
    driver: neo4j.Driver,
    database: str,
    query: str,
    params: Mapping[str, Any],
    *,
    timeout: float,
    max_rows: int,
) -> AdhocResult:
    """Check ``query`` (:class:`Rejected` when it may not run), then run it read-only.

    Neo4j's own errors (syntax, timeout, unavailable) propagate as ``neo4j.exceptions``.
    """
    check_text(query)
    params = dict(params)

    def explain(tx: neo4j.ManagedTransaction) -> neo4j.ResultSummary:
        return tx.run("EXPLAIN " + query, params).consume()

    def work(tx: neo4j.ManagedTransaction) -> AdhocResult:
        result = tx.run(query, params)
        columns = list(result.keys())
        rows: list[dict[str, Any]] = []
        truncated = False
        for record in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append({k: to_json(record[k]) for k in columns})
        return AdhocResult(columns, rows, truncated)

    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        summary = session.execute_read(neo4j.unit_of_work(timeout=timeout)(explain))
        check_plan(summary, database)
        return session.execute_read(neo4j.unit_of_work(timeout=timeout)(work))
