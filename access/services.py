"""What one app shares between its requests (:class:`Services`, ``app.extensions["kg"]``):
the settings, the Neo4j driver (:class:`Graph`, opened on first use), the tokens, the
explorer's sessions and sign-in throttle, the audit log and the result cache."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import metadata

import neo4j
import neo4j.exceptions as nex
from flask import Flask, current_app

from access.audit import AuditLog
from access.sessions import SessionStore
from access.throttle import SigninThrottle
from access.tokens import TokenStore
from core.errors import KgError
from core.settings import ApiConfig, Settings, WebConfig
from graph.connection import open_driver
from queries.cache import ResultCache
from queries.registry import QuerySpec, specs

__all__ = ["DRIVER_OPTIONS", "Graph", "Services", "services"]

#: driver settings for a service: fail fast (and answer 503) rather than retry for 30 s
DRIVER_OPTIONS = {
    "max_transaction_retry_time": 2.0,
    "connection_timeout": 5.0,
    "connection_acquisition_timeout": 10.0,
    "liveness_check_timeout": 30.0,
}


class Graph:
    """The process's Neo4j driver, opened on first use (not at start) and then kept: the app
    starts, and answers 503, while Neo4j is down, and the driver reconnects by itself."""

    def __init__(self, settings: Settings, driver: neo4j.Driver | None = None) -> None:
        self.settings = settings
        self.database = settings.neo4j_database
        self._driver = driver
        self._owned = driver is None
        self._lock = threading.Lock()

    def driver(self) -> neo4j.Driver:
        if self._driver is None:
            with self._lock:
                if self._driver is None:
                    # The app does not start the embedded Neo4j (``kg serve`` does, once):
                    # while it is down, requests get 503 and it is picked up when it is back.
                    self._driver = open_driver(self.settings, start=False, options=DRIVER_OPTIONS)
        return self._driver

    def answers(self) -> bool:
        try:
            self.driver().execute_query(
                "RETURN 1",
                database_=self.database,
                routing_="r",
                result_transformer_=neo4j.Result.consume,
            )
            return True
        except (KgError, nex.DriverError, nex.Neo4jError, OSError):
            return False

    def close(self) -> None:
        with self._lock:
            if self._driver is not None and self._owned:
                self._driver.close()
                self._driver = None


@dataclass
class Services:
    settings: Settings
    config: ApiConfig
    web: WebConfig
    graph: Graph
    tokens: TokenStore
    sessions: SessionStore
    throttle: SigninThrottle
    audit: AuditLog
    cache: ResultCache
    #: the named queries, parsed and checked at start (a broken file stops the start)
    specs: dict[str, QuerySpec]
    version: str

    @classmethod
    def build(
        cls,
        settings: Settings,
        config: ApiConfig,
        web: WebConfig,
        driver: neo4j.Driver | None = None,
    ) -> Services:
        try:
            version = metadata.version("kg")
        except metadata.PackageNotFoundError:  # pragma: no cover - not installed
            version = "0"
        return cls(
            settings=settings,
            config=config,
            web=web,
            graph=Graph(settings, driver),
            tokens=TokenStore(config.token_file),
            sessions=SessionStore(
                config.session_file, idle=web.session_idle, max_age=web.session_max
            ),
            throttle=SigninThrottle(
                config.session_file,
                max_failures=web.signin_max_failures,
                window=web.signin_lock,
            ),
            audit=AuditLog(config.audit_log, config.audit_max_bytes, config.audit_keep),
            cache=ResultCache(config.result_cache, persist=config.result_store, background=True),
            specs=specs(),
            version=version,
        )

    def driver(self) -> neo4j.Driver:
        return self.graph.driver()

    @property
    def database(self) -> str:
        return self.graph.database


def services(app: Flask | None = None) -> Services:
    """The services of ``app`` (default: the current one)."""
    found: Services = (app or current_app).extensions["kg"]
    return found
