"""The API's parts that need no database: masking, the ad-hoc text checks, the token store,
its settings, the OpenAPI document and `kg token create` without a region."""

from __future__ import annotations

import json
import os
import re
import stat
import threading

import pytest

from access.tokens import TokenStore, hash_token
from api.adhoc import Rejected, check_text
from api.openapi import document
from core.errors import ConfigError
from core.masking import mask, mask_id_number, mask_phone, mask_text
from core.settings import ApiConfig, Settings
from queries.registry import specs
from tests.helpers import run_kg


def test_masks():
    assert mask_id_number("53052119500505061X") == "530521********061X"
    assert mask_phone("13887510001") == "138****0001"
    assert mask_phone("0875-2123456") == "087*****3456"
    assert mask_phone("123") == "***"
    text = "户主530521197003150114，电话13887510001；户 H53050200120100001 区划 530521202201"
    assert mask_text(text) == (
        "户主530521********0114，电话138****0001；户 H53050200120100001 区划 530521202201"
    )
    nested = {
        "id_number": "530521197003150114",
        "rows": [
            {"phone": "13887510001", "properties": {"phone": "0875-1234567"}, "q": "13887510001"}
        ],
        "n": 5,
    }
    assert mask(nested) == {
        "id_number": "530521********0114",
        "rows": [
            {"phone": "138****0001", "properties": {"phone": "087*****4567"}, "q": "138****0001"}
        ],
        "n": 5,
    }


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "empty_query"),
        ("   ", "empty_query"),
        ("RETURN 1; RETURN 2", "several_statements"),
        ("RETURN 1;;", "several_statements"),
        ("LOAD CSV FROM 'x' AS l RETURN l", "load_csv"),
        ("load\n csv from 'x' as l return l", "load_csv"),
        ("MATCH (n) CALL (n) { SET n.x = 1 } IN TRANSACTIONS OF 5 ROWS", "in_transactions"),
        ("CALL { CREATE () } IN 3 CONCURRENT TRANSACTIONS", "in_transactions"),
        ("USING PERIODIC COMMIT LOAD CSV FROM 'x' AS l RETURN l", "load_csv"),
        ("EXPLAIN MATCH (n) RETURN n", "explain"),
        ("profile MATCH (n) RETURN n", "explain"),
        ("RETURN '\x00'", "bad_query"),
        ("RETURN 1" + " " * 20_000, "query_too_long"),
    ],
)
def test_adhoc_text_checks(query, code):
    with pytest.raises(Rejected) as e:
        check_text(query)
    assert e.value.code == code


@pytest.mark.parametrize(
    ("query", "twin", "code"),
    [
        ("RETURN 1;", "RETURN 1; RETURN 2", "several_statements"),
        ("RETURN 'a;b' AS x", "RETURN 'a';b AS x", "several_statements"),
        ("RETURN 'LOAD CSV' AS x // ; LOAD CSV", "RETURN 1 AS x ; LOAD CSV", "several_statements"),
        ("MATCH (`load csv`) RETURN 1", "LOAD CSV FROM 'x' AS l RETURN 1", "load_csv"),
        ("/* IN TRANSACTIONS; */ RETURN 1", "RETURN 1; /* */ RETURN 2", "several_statements"),
        (
            'MATCH (n) WHERE n.name = "it\'s; fine" RETURN n',
            "MATCH (n) WHERE n.name = 'it'; fine' RETURN n",
            "several_statements",
        ),
    ],
)
def test_adhoc_text_checks_leave_strings_and_comments_alone(query, twin, code):
    """The text inside strings, names and comments is not read as Cypher; the same words
    outside them are (the twin is refused)."""
    assert check_text(query) is None
    with pytest.raises(Rejected) as e:
        check_text(twin)
    assert e.value.code == code


def test_token_store(tmp_path):
    path = tmp_path / "api" / "tokens.json"
    store = TokenStore(path)
    assert store.tokens() == [] and store.authenticate("kg_nothing") is None
    record, secret = store.create("analyst", region="530521101000", name="甸阳镇")
    assert re.fullmatch(r"kg_[A-Za-z0-9_-]{43}", secret)
    assert re.fullmatch(r"[0-9a-f]{8}", record.id)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert secret not in text and hash_token(secret) in text
    assert json.loads(text)["tokens"][0]["name"] == "甸阳镇"
    found = store.authenticate(secret)
    assert found is not None and (found.role, found.region) == ("analyst", "530521101000")
    assert store.authenticate(secret + "x") is None
    assert store.authenticate("Bearer " + secret) is None
    other = TokenStore(path)  # another process: sees the revocation through the file
    assert other.authenticate(secret) is not None
    store.revoke(record.id)
    assert other.authenticate(secret) is None
    assert store.revoke(record.id).revoked  # twice is fine
    with pytest.raises(KeyError):
        store.revoke("00000000")
    with pytest.raises(ValueError):
        store.create("root")
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tokens-")]


def test_token_store_concurrent_creates_lose_nothing(tmp_path):
    path = tmp_path / "tokens.json"
    created: list[str] = []

    def make() -> None:
        for _ in range(10):
            created.append(TokenStore(path).create("viewer")[0].id)

    threads = [threading.Thread(target=make) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(t.id for t in TokenStore(path).tokens()) == sorted(created)
    assert len(created) == 40


def test_a_broken_token_file_is_a_config_error(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text("{not json")
    with pytest.raises(ConfigError):
        TokenStore(path).authenticate("kg_x")


def test_api_config_from_env(tmp_path):
    settings = Settings.from_env({"KG_HOME": str(tmp_path)})
    config = ApiConfig.from_env(settings, {})
    assert config.token_file == tmp_path.resolve() / "api" / "tokens.json"
    assert config.audit_log == tmp_path.resolve() / "api" / "audit.log"
    assert (config.rate_limit, config.cypher_timeout, config.cypher_max_rows) == (
        "600/minute",
        10,
        10_000,
    )
    custom = ApiConfig.from_env(
        settings,
        {
            "KG_RATE_LIMIT": "5/second",
            "KG_AUDIT_LOG": str(tmp_path / "a.log"),
            "KG_CYPHER_MAX_ROWS": "50",
        },
    )
    assert (custom.rate_limit, custom.audit_log.name, custom.cypher_max_rows) == (
        "5/second",
        "a.log",
        50,
    )
    assert ApiConfig.from_env(settings, {"KG_RATE_LIMIT": "off"}).rate_limit is None
    for bad in ({"KG_RATE_LIMIT": "lots"}, {"KG_CYPHER_TIMEOUT": "x"}, {"KG_QUERY_TIMEOUT": "0"}):
        with pytest.raises(ConfigError):
            ApiConfig.from_env(settings, bad)


def test_openapi_document_describes_every_query():
    doc = document(specs(), "1")
    assert doc["openapi"] == "3.0.3"
    for name, spec in specs().items():
        op = doc["paths"][f"/api/queries/{name}"]["get"]
        assert op["operationId"] == f"query_{name}"
        params = {p["name"]: p for p in op["parameters"]}
        for p in spec.params:
            assert params[p.name]["required"] == p.required
        assert "scope" not in params
    assert doc["paths"]["/api/queries/one_helps_many/rollup"]
    assert "/api/queries/collective_income_tiers/rollup" not in doc["paths"]
    json.dumps(doc)  # serialisable


def test_kg_token_create_prints_the_token_alone_on_the_last_line(tmp_path):
    env = {**os.environ, "KG_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    done = run_kg("token", "create", "--role", "viewer", "--name", "档案室", env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"kg_[A-Za-z0-9_-]{43}", lines[-1])
    assert "viewer" in lines[0] and "档案室" in lines[0]
    listed = run_kg("token", "list", env=env).stdout
    assert "viewer" in listed and "档案室" in listed and lines[-1] not in listed
    assert run_kg("token", "create", "--role", "root", env=env).returncode == 2
