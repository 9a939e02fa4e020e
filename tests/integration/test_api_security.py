"""Security of the API on a generated dataset (Baoshan profile, scale 0.01, seed 1):

* an injection corpus through every parameter of every endpoint: no 5xx, graph unchanged;
* a write corpus on the ad-hoc Cypher endpoint: every one refused before it runs (graph,
  labels, property keys, schema and users unchanged), while reads are accepted;
* a scope matrix: a token of township A asks for every id of township B (that is not also
  related to A) on every endpoint and gets nothing of B;
* a masking scan: no full id number or phone in any answer (downloads too) for analysts and
  viewers.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

import pytest

from core.masking import mask_id_number, mask_phone
from queries.registry import specs
from tests.helpers import run_kg
from tests.integration.api_support import (
    STORE_KEYS,
    Api,
    body_text,
    counts,
    load_dataset,
    make_api,
    strings,
)

AS_OF = "2020-12-31"


@pytest.fixture(scope="module")
def generated(tmp_path_factory, kg_env, driver, settings):
    out = tmp_path_factory.mktemp("generated")
    done = run_kg(
        "generate",
        "--profile",
        "baoshan",
        "--scale",
        "0.01",
        "--seed",
        "1",
        "--out",
        str(out),
        env=kg_env,
    )
    assert done.returncode == 0, done.stderr
    load_dataset(driver, settings, out, out)
    return driver


def _two_townships(driver, settings) -> tuple[str, str]:
    """The two townships of one county with the most households."""
    records = driver.execute_query(
        """
        MATCH (t:Region {level: 'township'})-[:PART_OF]->(c:Region)
        MATCH (h:Household)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(t)
        WITH c, t, count(h) AS households ORDER BY households DESC, t.region_id
        WITH c, collect(t.region_id) AS towns, sum(households) AS total
        WHERE size(towns) >= 2
        RETURN towns[0] AS a, towns[1] AS b ORDER BY total DESC LIMIT 1
        """,
        database_=settings.neo4j_database,
    ).records
    return records[0]["a"], records[0]["b"]


@pytest.fixture(scope="module")
def towns(generated, settings) -> tuple[str, str]:
    return _two_townships(generated, settings)


@pytest.fixture(scope="module")
def api(generated, settings, towns, tmp_path_factory) -> Api:
    a, b = towns
    return make_api(
        settings,
        generated,
        tmp_path_factory.mktemp("security-api"),
        regions={"town_a": a, "town_b": b},
    )


# -- every parameter of every endpoint -----------------------------------------------------------


def _endpoints() -> list[tuple[str, list[str], dict[str, str]]]:
    """(path, its query-string parameters, a valid value for each) of every GET endpoint."""
    valid = {
        "as_of": AS_OF,
        "since": "2016-01-01",
        "year": "2019",
        "q": "张",
        "limit": "5",
        "id": "P000000001",
        "history": "true",
        "format": "json",
        "page": "1",
        "page_size": "10",
    }
    out = []
    for name, spec in specs().items():
        params = [p.name for p in spec.params] + ["format"]
        if spec.kind == "worklist":
            params += ["page", "page_size"]
        out.append((f"/api/queries/{name}", params, valid))
        if spec.kind == "worklist" and "region_id" in spec.columns:
            out.append((f"/api/queries/{name}/rollup", params[:-2], valid))
    out.append(("/api/search", ["q", "limit"], valid))
    out.append(("/api/entities/{id}", [], valid))
    out.append(("/api/entities/{id}/trace", ["as_of", "history"], valid))
    out.append(("/api/report", ["as_of"], valid))
    return out


INJECTIONS = [
    "'",
    '"',
    "`",
    "\u0060) RETURN 1 //",
    "'}) DETACH DELETE n //",
    '"}) DETACH DELETE n //',
    "` DETACH DELETE n //",
    '" OR 1=1 //',
    "' OR '1'='1",
    "1 OR 1=1",
    "*:*",
    "*",
    "AND",
    "a AND b OR c NOT d",
    "name:张* OR id:[0 TO 9]",
    "\\",
    "$scope",
    "{scope}",
    "530521000000",
    "1; MATCH (n) DETACH DELETE n",
    "2020-12-31' OR true //",
    "-1",
    "99999999999999999999999",
    "null",
    "%00",
    "\x00",
    "a\x00b",
    "مرحبا\u202eabc",
    "\u202e\u2066漢字\u2069",
    "😀👨‍👩‍👧",
    "<script>alert(1)</script>",
    "../../../etc/passwd",
    "x" * 5000,
    "張" * 300,
]


def _url(path: str, params: dict[str, str]) -> str:
    if "{id}" in path:
        path = path.replace("{id}", urllib.parse.quote(params.pop("id"), safe=""))
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


def test_injection_corpus_through_every_parameter(api, generated, settings):
    before = counts(generated, settings)
    statuses: dict[int, int] = {}
    for path, names, valid in _endpoints():
        slots = names + (["id"] if "{id}" in path else [])
        for name in slots:
            for value in INJECTIONS:
                params = {n: valid[n] for n in names if n in ("as_of", "q", "id")}
                if "{id}" in path:
                    params["id"] = valid["id"]
                params[name] = value
                response = api.get(_url(path, params))
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                assert response.status_code < 500, (path, name, value, response.get_data()[:300])
                if response.status_code >= 400:
                    assert set(response.json["error"]) == {"code", "message"}
    for value in INJECTIONS:  # values of an ad-hoc query's parameters are data, never Cypher
        response = api.post(
            "/api/cypher",
            json={
                "query": "MATCH (p:Person {person_id: $id}) RETURN p.name AS name",
                "params": {"id": value},
            },
        )
        assert response.status_code == 200 and response.json["rows"] == []
    for value in INJECTIONS[:12]:  # and in the token
        assert (
            api.client.get("/api/queries", headers={"Authorization": f"Bearer {value}"}).status_code
            == 401
        )
    assert counts(generated, settings) == before
    assert statuses.get(200, 0) > 100 and statuses.get(400, 0) > 100, statuses


# -- the ad-hoc endpoint is read-only ------------------------------------------------------------

WRITES = [
    "CREATE (n:Hacked) RETURN n",
    "CREATE (a:Hacked)-[:HACKED]->(b:Hacked)",
    "MERGE (n:Person {person_id: 'P000000001'}) SET n.x = 1",
    "MERGE (n:Hacked {id: 1})",
    "MATCH (n:Person) SET n.x = 1",
    "MATCH (p:Person {person_id: 'P000000001'}) SET p += {x: 1}",
    "MATCH (p:Person {person_id: 'P000000001'}) SET p:Hacked",
    "MATCH (n:Person) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH ()-[r]->() DELETE r",
    "MATCH (n:Person) REMOVE n.name",
    "MATCH (n:Person) REMOVE n:Person",
    "MATCH (a:Person), (b:Household) WITH a, b LIMIT 1 CREATE (a)-[:HACKED]->(b)",
    "UNWIND [1, 2] AS x MERGE (:Hacked {x: x})",
    "CALL db.createLabel('Hacked')",
    "CALL db.createProperty('hacked')",
    "CALL db.createRelationshipType('HACKED')",
    "CALL `db`.`createLabel`('Hacked')",
    "WITH 1 AS x CALL db.createLabel('Hacked') RETURN x",
    "CALL { CALL db.createLabel('Hacked') } RETURN 1",
    "CALL dbms.security.createUser('eve', 'secretsecret', false)",
    "CALL dbms.security.changePassword('secretsecret')",
    "CALL tx.setMetaData({app: 'hacked'})",
    "CALL db.clearQueryCaches()",
    "CALL db.checkpoint()",
    "CALL dbms.listConfig()",
    "CALL db.awaitIndexes()",
    "CALL db.index.fulltext.drop('kg_search')",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "load csv with headers from 'http://127.0.0.1:1/x.csv' as l return l",
    "MATCH (n) RETURN count(n); MATCH (n) DETACH DELETE n",
    "RETURN 1; CREATE (:Hacked)",
    "RETURN ';' AS x; CREATE (:Hacked)",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
    "CALL { MATCH (n:Person) SET n.x = 1 } IN TRANSACTIONS",
    "UNWIND range(1, 3) AS i CALL (i) { CREATE (:Hacked {i: i}) } IN 2 CONCURRENT TRANSACTIONS",
    "CREATE INDEX hacked FOR (n:Person) ON (n.x)",
    "CREATE TEXT INDEX hacked_text FOR (n:Person) ON (n.name)",
    "CREATE CONSTRAINT hacked FOR (n:Hacked) REQUIRE n.id IS UNIQUE",
    "DROP INDEX kg_search",
    "DROP CONSTRAINT person_id IF EXISTS",
    "CREATE USER eve SET PASSWORD 'secretsecret'",
    "ALTER USER neo4j SET PASSWORD 'secretsecret'",
    "CREATE DATABASE hacked",
    "DROP DATABASE neo4j",
    "STOP DATABASE neo4j",
    "CREATE ROLE hacker",
    "GRANT ROLE admin TO eve",
    "SHOW USERS",
    "SHOW TRANSACTIONS",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "USE system SHOW DATABASES",
    "USE system CALL dbms.components() YIELD name RETURN name",
    "MATCH (n:Person) WITH collect(n)[..3] AS ns FOREACH (x IN ns | SET x.x = 1)",
    "FOREACH (i IN [1] | CREATE (:Hacked))",
    "OPTIONAL MATCH (n:Nope) CALL (n) { CREATE (:Hacked) } RETURN 1 AS one",
    "EXPLAIN CREATE (n:Hacked)",
    "PROFILE CREATE (n:Hacked)",
    "CYPHER runtime=slotted CREATE (n:Hacked)",
    "/* a comment */ CREATE (n:Hacked)",
    "// a comment\nCREATE (n:Hacked)",
    "MATCH (n) WHERE n.name = ';' CREATE (:Hacked)",
    "MATCH (n:Person {person_id: 'P000000001'}) SET n.x = 1 RETURN n",
]
READS = [
    ("MATCH (n:Person) RETURN count(n) AS persons", ["persons"]),
    ("CALL db.labels() YIELD label RETURN label ORDER BY label", ["label"]),
    ("CALL db.relationshipTypes()", ["relationshipType"]),
    ("CALL db.propertyKeys()", ["propertyKey"]),
    ("CALL db.schema.visualization()", ["nodes", "relationships"]),
    (
        "CALL db.index.fulltext.queryNodes('kg_search', 'p00000000*') YIELD node, score "
        "RETURN node.name AS name, score LIMIT 3",
        ["name", "score"],
    ),
    ("MATCH p = (:Person)-[:HELPS]->(:Household) RETURN p LIMIT 2", ["p"]),
    ("MATCH (n:Region) WHERE n.name <> 'CREATE (:X)' RETURN n LIMIT 1", ["n"]),
    ("RETURN 'MATCH (n) DETACH DELETE n; CREATE (:X)' AS text // LOAD CSV", ["text"]),
]


def _state(driver, settings) -> dict[str, Any]:
    state = counts(driver, settings)
    db = settings.neo4j_database
    state["property_keys"] = sorted(
        set(
            driver.execute_query(
                "CALL db.propertyKeys() YIELD propertyKey RETURN collect(propertyKey) AS k",
                database_=db,
            ).records[0]["k"]
        )
        - set(STORE_KEYS)
    )
    state["relationship_types"] = sorted(
        driver.execute_query(
            "CALL db.relationshipTypes() YIELD relationshipType "
            "RETURN collect(relationshipType) AS t",
            database_=db,
        ).records[0]["t"]
    )
    state["users"] = sorted(
        r["user"]
        for r in driver.execute_query(
            "SHOW USERS YIELD user RETURN user", database_="system"
        ).records
    )
    state["databases"] = sorted(
        r["name"]
        for r in driver.execute_query(
            "SHOW DATABASES YIELD name RETURN name", database_="system"
        ).records
    )
    return state


@pytest.mark.parametrize("query", WRITES)
def test_writes_are_refused_before_they_run(api, generated, settings, query):
    before = _state(generated, settings)
    response = api.post("/api/cypher", json={"query": query})
    assert response.status_code == 400, response.json
    error = response.json["error"]
    assert error["code"] not in ("internal_error",) and error["message"]
    assert _state(generated, settings) == before


@pytest.mark.parametrize(("query", "columns"), READS)
def test_reads_are_accepted(api, query, columns):
    response = api.post("/api/cypher", json={"query": query})
    assert response.status_code == 200, response.json
    assert response.json["columns"] == columns and response.json["rows"]


# -- the scope matrix ----------------------------------------------------------------------------

LIES_IN = """EXISTS {
  (n)-[:IN_HOUSEHOLD|MEMBER_OF|HELPS|SERVES_ON|HOLDS*0..1]->()
     -[:LOCATED_IN|STATIONED_IN|IN_REGION*0..1]->(:Region)
     -[:PART_OF*0..]->(:Region {region_id: $town})
}"""
ENTITY = "n:Person|Household|Organization|Region|RelocationSite|Enterprise|WorkTeam"
KEY = (
    "coalesce(n.person_id, n.household_id, n.org_id, n.site_id, n.entity_id, n.team_id, "
    "n.region_id)"
)


def _only_in_b(driver, settings, a: str, b: str) -> dict[str, list[tuple[str, str | None]]]:
    """(id, name) per label of the entities of township B not related to township A: neither
    lying in A (as the queries read it) nor one relationship away from something that does."""
    records = driver.execute_query(
        f"""
        MATCH (n) WHERE ({ENTITY}) AND {LIES_IN.replace("$town", "$b")}
        AND NOT {LIES_IN.replace("$town", "$a")}
        AND NOT EXISTS {{
          MATCH (n)--(m) WHERE {LIES_IN.replace("(n)", "(m)").replace("$town", "$a")}
        }}
        RETURN [l IN labels(n) WHERE l <> 'PartyMember'][0] AS label, {KEY} AS id,
               n.name AS name
        ORDER BY label, id
        """,
        {"a": a, "b": b},
        database_=settings.neo4j_database,
    ).records
    out: dict[str, list[tuple[str, str | None]]] = {}
    for r in records:
        out.setdefault(r["label"], []).append((r["id"], r["name"]))
    return out


def _leaks(body: Any, forbidden: set[str]) -> set[str]:
    """The forbidden ids in an answer, but for the parameters it echoes (the asker's own)."""
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k != "params"}
    return {s for s in strings(body) if s in forbidden}


def test_scope_matrix_township_a_sees_nothing_of_township_b(api, generated, settings, towns):
    a, b = towns
    only_b = _only_in_b(generated, settings, a, b)
    assert {"Person", "Household", "Organization", "Region"} <= set(only_b), only_b.keys()
    forbidden = {i for items in only_b.values() for i, _ in items}
    sample = only_b
    leaks: list[tuple[str, set[str]]] = []

    def check(path: str) -> Any:
        response = api.get(path, who="town_a")
        assert response.status_code in (200, 404), (path, response.status_code)
        body = response.json
        found = _leaks(body, forbidden)
        if found:
            leaks.append((path, found))
        return response

    for label, items in sample.items():
        for entity_id, name in items:
            quoted = urllib.parse.quote(entity_id, safe="")
            assert check(f"/api/entities/{quoted}").status_code == 404, (label, entity_id)
            trace = check(f"/api/entities/{quoted}/trace?as_of={AS_OF}&history=true")
            assert trace.json["rows"] == []
            check("/api/search?" + urllib.parse.urlencode({"q": entity_id, "limit": 100}))
            if name:
                check("/api/search?" + urllib.parse.urlencode({"q": name, "limit": 100}))
    for name, spec in specs().items():
        if spec.kind == "point":
            continue
        for as_of in ("2016-06-30", "2018-12-31", AS_OF):
            params = (
                {"as_of": as_of}
                if any(p.name == "as_of" for p in spec.params)
                else {"year": as_of[:4]}
            )
            if spec.kind == "worklist":
                params["page_size"] = "1000"
            check(f"/api/queries/{name}?" + urllib.parse.urlencode(params))
            if spec.kind == "worklist" and "region_id" in spec.columns:
                check(
                    f"/api/queries/{name}/rollup?"
                    + urllib.parse.urlencode({k: v for k, v in params.items() if k != "page_size"})
                )
    # B's own token does see B (the matrix is not empty because nothing is visible at all)
    seen = api.get(f"/api/entities/{sample['Household'][0][0]}", who="town_b")
    assert seen.status_code == 200
    assert not leaks, json.dumps([(p, sorted(f)[:5]) for p, f in leaks[:10]], ensure_ascii=False)


def test_one_helps_many_names_no_division_outside_the_scope(api, generated, settings, towns):
    a, b = towns
    outside = {
        r["id"]
        for r in generated.execute_query(
            "MATCH (r:Region) WHERE NOT EXISTS { (r)-[:PART_OF*0..]->(:Region {region_id: $a}) } "
            "RETURN r.region_id AS id",
            {"a": a},
            database_=settings.neo4j_database,
        ).records
    }
    body = api.get(f"/api/queries/one_helps_many?as_of={AS_OF}&page_size=1000", who="town_a").json
    assert not {r["region_id"] for r in body["rows"]} & outside
    rollup = api.get(f"/api/queries/one_helps_many/rollup?as_of={AS_OF}", who="town_a").json
    assert {r["township_id"] for r in rollup["rows"]} <= {a}


# -- masking -------------------------------------------------------------------------------------

ID_OR_PHONE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9X]|1[3-9]\d{9})(?![0-9A-Za-z])")
MASKED = re.compile(r"\d{6}\*{8}\d{3}[0-9X]|1[3-9]\d\*{4}\d{4}")


def test_no_full_id_number_or_phone_for_analysts_and_viewers(api, generated, settings):
    records = generated.execute_query(
        "MATCH (p:Person) RETURN p.person_id AS id, p.name AS name, p.id_number AS id_number, "
        "p.phone AS phone ORDER BY p.phone IS NULL, p.person_id",
        database_=settings.neo4j_database,
    ).records
    secrets_ = {r["id_number"] for r in records if r["id_number"]}
    secrets_ |= {r["phone"] for r in records if r["phone"]}
    people = [r for r in records if r["phone"] and r["id_number"]][:25]
    helpers = [
        r["id"]
        for r in generated.execute_query(
            "MATCH (p:Person)-[:HELPS]->() RETURN DISTINCT p.person_id AS id ORDER BY id LIMIT 10",
            database_=settings.neo4j_database,
        ).records
    ]

    paths = []
    for name, spec in specs().items():
        if spec.kind == "point":
            continue
        for fmt in ("json", "csv", "xlsx"):
            paths.append(f"/api/queries/{name}?format={fmt}")
    for person in people:
        paths += [
            f"/api/entities/{person['id']}",
            "/api/search?" + urllib.parse.urlencode({"q": person["id_number"]}),
            "/api/search?" + urllib.parse.urlencode({"q": person["phone"]}),
            "/api/search?" + urllib.parse.urlencode({"q": person["name"]}),
            "/api/queries/search?format=csv&" + urllib.parse.urlencode({"q": person["id_number"]}),
            "/api/queries/card?format=xlsx&" + urllib.parse.urlencode({"id": person["id"]}),
            "/api/queries/card?format=csv&" + urllib.parse.urlencode({"id": person["id"]}),
        ]
    for helper in helpers:
        paths.append(f"/api/entities/{helper}/trace?as_of={AS_OF}&history=true")
        paths.append(f"/api/queries/help_trace?format=csv&id={helper}&as_of={AS_OF}")

    admin_text = body_text(api.get(f"/api/entities/{people[0]['id']}"))
    assert people[0]["id_number"] in admin_text  # the scan would see them

    scanned = 0
    masked_seen = 0
    for who in ("analyst", "viewer"):
        for path in paths:
            response = api.get(path, who=who)
            if who == "viewer" and "format=" in path and "format=json" not in path:
                assert response.status_code == 403
                continue
            # every path asks for something that exists: a 404 would scan nothing
            assert response.status_code == 200, (who, path, response.status_code)
            text = body_text(response)
            found = {m for m in ID_OR_PHONE.findall(text) if m in secrets_}
            assert not found, (who, path, sorted(found)[:3])
            masked_seen += len(MASKED.findall(text))
            scanned += 1
        for person in people:  # each card shows the person's numbers, masked
            text = body_text(api.get(f"/api/entities/{person['id']}", who=who))
            assert mask_id_number(person["id_number"]) in text, (who, person["id"])
            assert mask_phone(person["phone"]) in text, (who, person["id"])
            search = api.get(
                "/api/search?" + urllib.parse.urlencode({"q": person["id_number"]}), who=who
            ).json
            assert search["params"]["q"] == mask_id_number(person["id_number"])
    assert scanned > 200
    assert masked_seen > 4 * len(people), masked_seen
    log = api.config.audit_log.read_text(encoding="utf-8")
    assert not {m for m in ID_OR_PHONE.findall(log) if m in secrets_}
    assert MASKED.search(log)  # the searches for id numbers are logged, masked
