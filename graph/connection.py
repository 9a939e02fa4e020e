"""The one place that opens a ``neo4j.Driver`` for kg (external server or embedded Neo4j)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, cast

import neo4j
from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

from core.errors import ConfigError, DatabaseError
from core.settings import Settings
from graph.embedded.manager import EmbeddedNeo4j

__all__ = ["database_name", "driver_on_first_use", "embedded_server", "open_driver", "server_uri"]


def database_name(settings: Settings) -> str:
    """The Neo4j database kg reads and writes (``NEO4J_DATABASE``, default ``neo4j``)."""
    return settings.neo4j_database


def embedded_server(settings: Settings) -> EmbeddedNeo4j:
    """The embedded Neo4j of ``settings`` (whether or not it is running)."""
    return EmbeddedNeo4j(
        settings.kg_home,
        settings.bolt_port,
        heap=settings.neo4j_heap,
        page_cache=settings.neo4j_page_cache,
    )


def server_uri(settings: Settings) -> str:
    """The Bolt URI kg connects to."""
    if settings.neo4j_uri:
        return settings.neo4j_uri
    return embedded_server(settings).uri


def open_driver(
    settings: Settings, *, start: bool = True, options: Mapping[str, Any] | None = None
) -> neo4j.Driver:
    """A connected driver: to ``NEO4J_URI`` if set, else to the embedded Neo4j.

    The embedded Neo4j is started on demand when ``start`` (else it must be running). The
    connection is verified; the caller closes the driver (``with open_driver(s) as driver:``).
    ``options`` are more driver settings (e.g. the API's shorter ``max_transaction_retry_time``).

    Raises :class:`core.errors.DatabaseError` (or its subclass ``EmbeddedNeo4jError``) when the
    database cannot be started or reached, :class:`core.errors.ConfigError` for a bad URI.
    """
    auth: tuple[str, str] | None
    if settings.embedded:
        server = embedded_server(settings)
        if start:
            server.start()
        elif not server.is_running():
            raise DatabaseError(
                f"the embedded Neo4j of {settings.kg_home} is not running; start it with "
                "`kg db start`"
            )
        elif server.running_port() not in (None, server.port):
            raise DatabaseError(
                f"the embedded Neo4j of {settings.kg_home} runs on port "
                f"{server.running_port()}, not KG_BOLT_PORT={server.port}; set KG_BOLT_PORT "
                "to that port, or restart it (`kg db stop`, `kg db start`)"
            )
        uri = server.uri
        auth = (server.username, server.password())
        what_next = (
            f"see `kg db status` and {server.log_file}; `kg db stop` then `kg db start` restarts it"
        )
        bad_auth = (
            f"the password in {server.password_file} was refused; `kg db stop` then "
            "`kg db start` applies it again"
        )
    else:
        uri = settings.neo4j_uri or ""
        auth = (
            (settings.neo4j_username, settings.neo4j_password)
            if settings.neo4j_password is not None
            else None
        )
        what_next = (
            "check that the server is up and that NEO4J_URI is right, or unset NEO4J_URI to "
            "use the embedded Neo4j"
        )
        bad_auth = "check NEO4J_USERNAME and NEO4J_PASSWORD"

    try:
        # Notifications (e.g. "label does not exist" on an empty graph) are for query authors,
        # not for the people running kg: the queries are tested, so they are switched off.
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=auth,
            user_agent="kg",
            notifications_min_severity="OFF",
            **dict(options or {}),
        )
    except (ConfigurationError, ValueError) as e:
        raise ConfigError(f"cannot use NEO4J_URI={uri!r}: {e}") from e
    try:
        driver.verify_connectivity()
    except ServiceUnavailable as e:
        driver.close()
        raise DatabaseError(f"Neo4j at {uri} is unreachable ({e}); {what_next}") from e
    except AuthError as e:
        driver.close()
        raise DatabaseError(f"Neo4j at {uri} refused the login: {bad_auth}") from e
    except BaseException:
        driver.close()
        raise
    return driver


class _OnFirstUse:
    """A driver that :func:`open_driver` opens (starting the embedded Neo4j) when it is first
    used; closing it before that opens nothing."""

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None) -> None:
        self._settings = settings
        self._options = options
        self._driver: neo4j.Driver | None = None
        self._lock = threading.Lock()

    def _opened(self) -> neo4j.Driver:
        with self._lock:
            if self._driver is None:
                self._driver = open_driver(self._settings, options=self._options)
            return self._driver

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy, pickle...: not the driver's
            raise AttributeError(name)
        return getattr(self._opened(), name)

    def close(self) -> None:
        with self._lock:
            if self._driver is not None:
                self._driver.close()
                self._driver = None

    def __enter__(self) -> _OnFirstUse:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def driver_on_first_use(
    settings: Settings, *, options: Mapping[str, Any] | None = None
) -> neo4j.Driver:
    """Like :func:`open_driver`, but the driver is opened (and the embedded Neo4j started) only
    when first used: a first load into an empty embedded graph does not start Neo4j before
    Neo4j's importer writes the store (``kg load``, ``kg rebuild``). The caller closes it."""
    return cast(neo4j.Driver, _OnFirstUse(settings, options))
