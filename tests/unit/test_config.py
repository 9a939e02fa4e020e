"""core.settings.Settings and the embedded Neo4j's settings, without any database."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import Settings
from graph.connection import database_name, embedded_server, server_uri
from graph.embedded.manager import EmbeddedNeo4j
from graph.status import quote_name


def test_defaults_mean_embedded_under_dot_kg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    settings = Settings.from_env({})

    assert settings.embedded
    assert settings.neo4j_uri is None
    assert settings.neo4j_username == "neo4j"
    assert settings.neo4j_password is None
    assert settings.neo4j_database == "neo4j"
    assert settings.kg_home == (tmp_path / ".kg").resolve()
    assert settings.bolt_port == 7687
    assert database_name(settings) == "neo4j"
    assert server_uri(settings) == "bolt://127.0.0.1:7687"


def test_external_server() -> None:
    settings = Settings.from_env(
        {
            "NEO4J_URI": "neo4j://db.example:7687",
            "NEO4J_USERNAME": "kg",
            "NEO4J_PASSWORD": "secret",
            "NEO4J_DATABASE": "poverty",
        }
    )

    assert not settings.embedded
    assert (settings.neo4j_username, settings.neo4j_password) == ("kg", "secret")
    assert database_name(settings) == "poverty"
    assert server_uri(settings) == "neo4j://db.example:7687"


def test_empty_uri_means_embedded(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"NEO4J_URI": "", "KG_HOME": str(tmp_path), "KG_BOLT_PORT": "7999"}
    )

    assert settings.embedded
    assert settings.kg_home == tmp_path.resolve()
    assert server_uri(settings) == "bolt://127.0.0.1:7999"


def test_bad_port_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="KG_BOLT_PORT"):
        Settings.from_env({"KG_BOLT_PORT": "seven"})


def test_embedded_layout(tmp_path: Path) -> None:
    server = EmbeddedNeo4j(tmp_path, 7999)

    assert server.uri == "bolt://127.0.0.1:7999"
    assert server.neo4j_home == tmp_path.resolve() / "neo4j"
    assert server.password_file == tmp_path.resolve() / "neo4j" / "password"
    assert server.log_file == tmp_path.resolve() / "logs" / "neo4j.log"
    assert server.pid_file == tmp_path.resolve() / "neo4j.pid"
    assert not server.is_running()
    server.stop()  # a no-op when not running


def test_memory_settings(tmp_path: Path) -> None:
    command = embedded_server(Settings.from_env({"KG_HOME": str(tmp_path)})).command()
    assert "-Xmx3g" in command and command[-1] == "2g"

    env = {"KG_HOME": str(tmp_path), "KG_NEO4J_HEAP": "1500m", "KG_NEO4J_PAGECACHE": "512m"}
    command = embedded_server(Settings.from_env({**env, "KG_BOLT_PORT": "7999"})).command()
    assert "-Xmx1500m" in command and command[-1] == "512m"
    assert command[-3:-1] == [str(tmp_path.resolve() / "neo4j"), "7999"]


@pytest.mark.parametrize(
    ("variable", "value"), [("KG_NEO4J_HEAP", "lots"), ("KG_NEO4J_PAGECACHE", "-2g")]
)
def test_bad_memory_setting_is_a_config_error(tmp_path: Path, variable: str, value: str) -> None:
    server = embedded_server(Settings.from_env({"KG_HOME": str(tmp_path), variable: value}))
    with pytest.raises(ConfigError, match=variable):
        server.command()


def test_bolt_port_recorded_in_kg_home(tmp_path: Path) -> None:
    (tmp_path / "bolt_port").write_text("7711\n", encoding="ascii")
    assert Settings.from_env({"KG_HOME": str(tmp_path)}).bolt_port == 7711
    assert Settings.from_env({"KG_HOME": str(tmp_path), "KG_BOLT_PORT": "7712"}).bolt_port == 7712
    (tmp_path / "bolt_port").write_text("many\n", encoding="ascii")
    with pytest.raises(ConfigError, match="bolt_port"):
        Settings.from_env({"KG_HOME": str(tmp_path)})


def test_names_are_quoted_safely() -> None:
    assert quote_name("Person") == "`Person`"
    assert quote_name("a`b") == "`a``b`"
    assert quote_name("x` RETURN 1 //") == "`x`` RETURN 1 //`"


def test_access_settings_from_env(tmp_path: Path) -> None:
    from core.settings import ApiConfig, WebConfig

    settings = Settings.from_env({"KG_HOME": str(tmp_path)})
    api = ApiConfig.from_env(settings, {})
    assert api.session_file == tmp_path.resolve() / "api" / "sessions.sqlite3"
    assert (api.audit_max_bytes, api.audit_keep) == (50 * 2**20, 10)
    assert (api.rate_limit_storage, api.result_store) == ("memory://", True)
    assert ApiConfig.from_env(settings, {"KG_RESULT_STORE": "off"}).result_store is False
    for bad in ("bogus://x", "not a uri"):
        with pytest.raises(ConfigError, match="KG_RATE_LIMIT_STORAGE"):
            ApiConfig.from_env(settings, {"KG_RATE_LIMIT_STORAGE": bad})
    custom = ApiConfig.from_env(settings, {"KG_AUDIT_LOG_MAX_MB": "1", "KG_AUDIT_LOG_KEEP": "3"})
    assert (custom.audit_max_bytes, custom.audit_keep) == (2**20, 3)
    web = WebConfig.from_env({})
    assert (web.session_idle, web.session_max) == (1800, 12 * 3600)
    assert (web.signin_max_failures, web.signin_lock) == (10, 600)
    web = WebConfig.from_env(
        {
            "KG_SESSION_IDLE_MINUTES": "5",
            "KG_SESSION_MAX_HOURS": "1",
            "KG_SIGNIN_MAX_FAILURES": "3",
            "KG_SIGNIN_LOCK_MINUTES": "2",
        }
    )
    assert (web.session_idle, web.session_max, web.signin_max_failures, web.signin_lock) == (
        300,
        3600,
        3,
        120,
    )
    for bad in ({"KG_SESSION_IDLE_MINUTES": "0"}, {"KG_SIGNIN_MAX_FAILURES": "x"}):
        with pytest.raises(ConfigError):
            WebConfig.from_env(bad)


def test_warm_up_switch(tmp_path: Path) -> None:
    home = str(tmp_path)
    assert Settings.from_env({"KG_HOME": home}).warm is True
    for off in ("off", "0", "False", " no "):
        assert Settings.from_env({"KG_HOME": home, "KG_WARM": off}).warm is False
    assert Settings.from_env({"KG_HOME": home, "KG_WARM": "ON"}).warm is True
    with pytest.raises(ConfigError, match="KG_WARM"):
        Settings.from_env({"KG_HOME": home, "KG_WARM": "sometimes"})
