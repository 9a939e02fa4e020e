"""What the API tests share: loading a dataset, building an app with its own tokens and audit
log, counting the graph, walking JSON answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import neo4j
from flask import Flask
from flask.testing import FlaskClient

from access.tokens import TokenStore
from core.settings import ApiConfig, Settings
from graph.wipe import empty_database
from kg.app import create_app
from loaders.pipeline import Loader
from loaders.rejects import RejectSink
from loaders.write import GraphWriter

SMALL = Path(__file__).parent.parent / "data" / "small"
#: the audit log of every app the tests make (scanned for unmasked personal data at the end
#: of the session: conftest.py's audit_scan)
AUDIT_LOGS: list[Path] = []


def load_dataset(driver: neo4j.Driver, settings: Settings, path: Path, tmp: Path) -> None:
    """Empty the database, load ``path`` (every row must load) and wait for the full-text index."""
    empty_database(driver, settings.neo4j_database)
    with RejectSink(tmp / "rejects.csv") as sink:
        Loader(
            GraphWriter(driver, settings.neo4j_database), sink, home=tmp / "home", progress=False
        ).load(path)
    assert sink.count == 0, sink.first
    with driver.session(database=settings.neo4j_database) as session:
        session.run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()").consume()


#: the result store (queries/answers.py): the one thing reads write, left out of counts()
STORE_LABELS = ("Answer", "AnswerWarm")
STORE_KEYS = ("version", "digest", "body", "written", "done", "total", "running", "updated")


def counts(driver: neo4j.Driver, settings: Settings) -> dict[str, Any]:
    """Nodes, relationships, labels, indexes and constraints: what a write would change (the
    result store's answers, which reads keep, left out)."""
    db = settings.neo4j_database
    nodes = driver.execute_query(
        "MATCH (n) WHERE NOT (n:Answer OR n:AnswerWarm) RETURN count(n) AS c", database_=db
    ).records[0]["c"]
    rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c", database_=db).records[0][
        "c"
    ]
    labels = driver.execute_query(
        "CALL db.labels() YIELD label RETURN collect(label) AS l", database_=db
    ).records[0]["l"]
    indexes = driver.execute_query(
        "SHOW INDEXES YIELD name RETURN collect(name) AS n", database_=db
    ).records[0]["n"]
    constraints = driver.execute_query(
        "SHOW CONSTRAINTS YIELD name RETURN collect(name) AS n", database_=db
    ).records[0]["n"]
    props = driver.execute_query(
        "MATCH (n:Person) WHERE n.x IS NOT NULL OR n.y IS NOT NULL OR n.z IS NOT NULL "
        "RETURN count(n) AS c",
        database_=db,
    ).records[0]["c"]
    return {
        "nodes": nodes,
        "relationships": rels,
        "labels": sorted(set(labels) - set(STORE_LABELS)),
        "indexes": sorted(indexes),
        "constraints": sorted(constraints),
        "marked_persons": props,
    }


@dataclass
class Api:
    """A test app with one token per role (and per region asked for)."""

    app: Flask
    client: FlaskClient
    tokens: dict[str, str]
    config: ApiConfig

    def headers(self, who: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}

    def get(self, path: str, who: str | None = "admin", **kwargs: Any) -> Any:
        headers = {**self.headers(who), **kwargs.pop("headers", {})}
        return self.client.get(path, headers=headers, **kwargs)

    def post(self, path: str, who: str | None = "admin", **kwargs: Any) -> Any:
        headers = {**self.headers(who), **kwargs.pop("headers", {})}
        return self.client.post(path, headers=headers, **kwargs)


def make_api(
    settings: Settings,
    driver: neo4j.Driver | None,
    tmp: Path,
    *,
    regions: dict[str, str] | None = None,
    rate_limit: str | None = None,
) -> Api:
    """An app whose tokens and audit log live under ``tmp``; tokens ``admin``, ``analyst``,
    ``viewer`` and one viewer per ``regions`` item (name → region id)."""
    config = replace(
        ApiConfig.from_env(settings, {}),
        token_file=tmp / "tokens.json",
        audit_log=tmp / "audit.log",
        rate_limit=rate_limit,
    )
    store = TokenStore(config.token_file)
    tokens = {role: store.create(role, name=role)[1] for role in ("admin", "analyst", "viewer")}
    for name, region in (regions or {}).items():
        role = "admin" if name.startswith("admin") else "viewer"
        tokens[name] = store.create(role, region=region, name=name)[1]
    AUDIT_LOGS.append(config.audit_log)
    app = create_app(settings, config=config, driver=driver)
    return Api(app, app.test_client(), tokens, config)


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value (keys too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def body_text(response: Any) -> str:
    """The text of an answer: JSON as text, CSV decoded, xlsx cells joined."""
    ctype = response.headers.get("Content-Type", "")
    if "spreadsheetml" in ctype:
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.data), read_only=True)
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells.extend("" if c is None else str(c) for c in row)
        return "\n".join(cells)
    text = response.get_data(as_text=True)
    if "json" in ctype:
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text
