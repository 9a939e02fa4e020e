"""Settings read from the environment, in this one module (read in factories, never at import).

===========================================  ==================================================
variable                                     meaning
===========================================  ==================================================
``NEO4J_URI``, ``NEO4J_USERNAME``,           a Neo4j server instead of the embedded one
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``
``KG_HOME`` (``./.kg``)                      the embedded Neo4j's store, the load archive,
                                             tokens, reject files
``KG_BOLT_PORT`` (``7687``, or the port      the embedded Neo4j's Bolt port on 127.0.0.1
recorded in ``$KG_HOME/bolt_port``)
``KG_NEO4J_HEAP``, ``KG_NEO4J_PAGECACHE``    the embedded Neo4j's memory (``3g``, ``2g``)
``KG_WARM`` (``on``)                         whether ``kg load`` and ``kg serve`` compute the
                                             default date's answers in advance (their
                                             ``--warm/--no-warm`` decide when given)
``LANG``, ``LC_ALL``, ``LC_MESSAGES``        ``en…`` switches messages and reports to English
``KG_AUDIT_LOG``, ``KG_RATE_LIMIT``, ...     the API's (:class:`ApiConfig`)
``KG_SECRET_KEY``, ``KG_SESSION_...``, ...   the explorer's (:class:`WebConfig`)
===========================================  ==================================================
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.errors import ConfigError

__all__ = ["PORT_FILE", "ApiConfig", "Settings", "WebConfig", "language"]

#: a file in KG_HOME naming the Bolt port of its embedded Neo4j (written by ``kg rebuild``, so
#: that ``KG_HOME=DIR kg query`` reaches the rebuilt graph while the live one holds 7687)
PORT_FILE = "bolt_port"


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def language(env: Mapping[str, str] | None = None) -> str:
    """``"en"`` when the locale asks for English (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else
    ``"zh"``."""
    env = _env(env)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def _port(text: str, source: str) -> int:
    try:
        port = int(text)
    except ValueError as e:
        raise ConfigError(f"{source} must be a port number, not {text!r}") from e
    if not 0 < port < 65536:
        raise ConfigError(f"{source} must be a port number, not {text!r}")
    return port


@dataclass(frozen=True)
class Settings:
    """Where the graph lives.

    ``neo4j_uri`` set means an external server; unset means the embedded Neo4j under ``kg_home``
    listening on 127.0.0.1:``bolt_port``.
    """

    neo4j_uri: str | None
    neo4j_username: str
    neo4j_password: str | None
    neo4j_database: str
    kg_home: Path
    bolt_port: int
    #: the embedded Neo4j's heap and page cache as given (None: the defaults)
    neo4j_heap: str | None = None
    neo4j_page_cache: str | None = None
    #: kg load and kg serve warm the result store unless told not to (KG_WARM)
    warm: bool = True

    @property
    def embedded(self) -> bool:
        return not self.neo4j_uri

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = _env(env)
        home = Path(env.get("KG_HOME", ".kg")).resolve()
        if env.get("KG_BOLT_PORT"):
            port = _port(env["KG_BOLT_PORT"], "KG_BOLT_PORT")
        else:
            recorded = home / PORT_FILE
            try:
                text = recorded.read_text(encoding="ascii").strip()
            except FileNotFoundError:
                text = ""
            except OSError as e:
                raise ConfigError(f"cannot read {recorded}: {e}") from e
            port = _port(text, str(recorded)) if text else 7687
        return cls(
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_username=env.get("NEO4J_USERNAME", "neo4j"),
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
            kg_home=home,
            bolt_port=port,
            neo4j_heap=(env.get("KG_NEO4J_HEAP") or "").strip() or None,
            neo4j_page_cache=(env.get("KG_NEO4J_PAGECACHE") or "").strip() or None,
            warm=_switch(env, "KG_WARM", True),
        )


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    """An on/off variable: on, off, 1, 0, true, false, yes, no (any case); unset: ``default``."""
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("on", "1", "true", "yes"):
        return True
    if raw in ("off", "0", "false", "no"):
        return False
    raise ConfigError(f"{name} must be on or off, not {raw!r}")


def _number(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {text!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low:g} and {high:g}, not {text}")
    return value


@dataclass(frozen=True)
class ApiConfig:
    """What the API (and the access layer under it) needs beyond :class:`Settings`.

    ==========================  ============================  =================================
    variable                    default                       meaning
    ==========================  ============================  =================================
    ``KG_AUDIT_LOG``            ``$KG_HOME/api/audit.log``    JSON lines, one per request
    ``KG_AUDIT_LOG_MAX_MB``     ``50``                        the log is rotated past this size
    ``KG_AUDIT_LOG_KEEP``       ``10``                        rotated files kept (audit.log.1..N)
    ``KG_RATE_LIMIT``           ``600/minute``                per token (per IP without one);
                                                              ``off`` switches it off
    ``KG_RATE_LIMIT_STORAGE``   ``memory://``                 where the rate limit counts
                                                              (Flask-Limiter's storage URI):
                                                              memory is per worker process; a
                                                              shared one, e.g. ``redis://...``
                                                              (needs the redis package), is
                                                              shared by every worker and host
    ``KG_QUERY_TIMEOUT``        ``60``                        seconds for a named query
    ``KG_CYPHER_TIMEOUT``       ``10``                        seconds for an ad-hoc query
    ``KG_CYPHER_MAX_ROWS``      ``10000``                     rows an ad-hoc query returns
    ``KG_RESULT_CACHE``         ``32``                        worklist answers kept for paging
                                                              in each process, in front of
                                                              the result store; 0: none
    ``KG_RESULT_STORE``         ``on``                        keep answers in the graph
                                                              database (queries/answers.py),
                                                              shared by every worker and
                                                              host; ``off``: per process only
    ==========================  ============================  =================================

    The tokens (``tokens.json``) and the explorer's sessions and sign-in failures
    (``sessions.sqlite3``) are kept side by side in ``$KG_HOME/api/``.
    """

    token_file: Path
    audit_log: Path
    rate_limit: str | None
    query_timeout: float
    cypher_timeout: float
    cypher_max_rows: int
    result_cache: int = 32
    result_store: bool = True
    rate_limit_storage: str = "memory://"
    audit_max_bytes: int = 50 * 1024 * 1024
    audit_keep: int = 10

    @staticmethod
    def token_file_path(settings: Settings) -> Path:
        """Where the API's tokens are kept: ``$KG_HOME/api/tokens.json``."""
        return settings.kg_home / "api" / "tokens.json"

    @property
    def session_file(self) -> Path:
        """The explorer's sessions and sign-in failures, shared by every worker process:
        ``sessions.sqlite3`` beside the tokens."""
        return self.token_file.with_name("sessions.sqlite3")

    @classmethod
    def from_env(cls, settings: Settings, env: Mapping[str, str] | None = None) -> ApiConfig:
        env = _env(env)
        rate = env.get("KG_RATE_LIMIT", "600/minute").strip()
        if rate.lower() in ("off", "none", "0"):
            rate_limit: str | None = None
        else:
            # flask-limiter's parser, imported here: of all kg's commands only the API needs it
            from limits import parse_many

            try:
                parse_many(rate)
            except ValueError:
                raise ConfigError(
                    f"KG_RATE_LIMIT must be like '600/minute' or '10/second;600/hour', not {rate!r}"
                ) from None
            rate_limit = rate
        storage = env.get("KG_RATE_LIMIT_STORAGE", "").strip() or "memory://"
        if rate_limit is not None:
            from limits.errors import ConfigurationError
            from limits.storage import storage_from_string

            try:  # the scheme known and its client installed (no connection is made)
                storage_from_string(storage)
            except (ConfigurationError, ValueError) as exc:
                raise ConfigError(
                    f"KG_RATE_LIMIT_STORAGE must be a storage URI Flask-Limiter can use "
                    f"(memory://, redis://host:6379, memcached://host:11211), not {storage!r}: "
                    f"{exc}"
                ) from None
        audit = env.get("KG_AUDIT_LOG")
        return cls(
            token_file=cls.token_file_path(settings),
            audit_log=Path(audit).resolve() if audit else settings.kg_home / "api" / "audit.log",
            rate_limit=rate_limit,
            query_timeout=_number(env, "KG_QUERY_TIMEOUT", 60, 1, 3600),
            cypher_timeout=_number(env, "KG_CYPHER_TIMEOUT", 10, 0.1, 600),
            cypher_max_rows=int(_number(env, "KG_CYPHER_MAX_ROWS", 10_000, 1, 1_000_000)),
            result_cache=int(_number(env, "KG_RESULT_CACHE", 32, 0, 10_000)),
            rate_limit_storage=storage,
            result_store=_switch(env, "KG_RESULT_STORE", True),
            audit_max_bytes=int(_number(env, "KG_AUDIT_LOG_MAX_MB", 50, 0.001, 100_000) * 2**20),
            audit_keep=int(_number(env, "KG_AUDIT_LOG_KEEP", 10, 1, 1000)),
        )


@dataclass(frozen=True)
class WebConfig:
    """The explorer's settings.

    ================================  ==========  ============================================
    variable                          default     meaning
    ================================  ==========  ============================================
    ``KG_SECRET_KEY``                 (a file)    signs the session cookie (at least 32
                                                  characters; default: a key kept in
                                                  ``$KG_HOME/web/secret_key``)
    ``KG_WEB_AS_OF``                  today       the default as-of date
    ``KG_SECURE_COOKIES``             off         always mark the cookie ``Secure`` (it is
                                                  marked on every HTTPS request anyway)
    ``KG_SESSION_IDLE_MINUTES``       ``30``      a session unused this long is ended
    ``KG_SESSION_MAX_HOURS``          ``12``      a session is ended this long after sign-in
    ``KG_SIGNIN_MAX_FAILURES``        ``10``      failed sign-ins per address within the
                                                  window before sign-in is refused (429)
    ``KG_SIGNIN_LOCK_MINUTES``        ``10``      the window, and how long the refusal lasts
    ================================  ==========  ============================================
    """

    secret_key: str | None
    default_as_of: dt.date | None
    secure_cookies: bool
    session_idle: float = 30 * 60.0
    session_max: float = 12 * 3600.0
    signin_max_failures: int = 10
    signin_lock: float = 10 * 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WebConfig:
        env = _env(env)
        default = env.get("KG_WEB_AS_OF", "").strip()
        try:
            as_of = dt.date.fromisoformat(default) if default else None
        except ValueError:
            raise ConfigError(f"KG_WEB_AS_OF must be a date YYYY-MM-DD, not {default!r}") from None
        return cls(
            secret_key=env.get("KG_SECRET_KEY", "").strip() or None,
            default_as_of=as_of,
            secure_cookies=env.get("KG_SECURE_COOKIES", "").lower() in ("1", "true"),
            session_idle=_number(env, "KG_SESSION_IDLE_MINUTES", 30, 1, 7 * 24 * 60) * 60,
            session_max=_number(env, "KG_SESSION_MAX_HOURS", 12, 0.1, 24 * 30) * 3600,
            signin_max_failures=int(_number(env, "KG_SIGNIN_MAX_FAILURES", 10, 1, 1000)),
            signin_lock=_number(env, "KG_SIGNIN_LOCK_MINUTES", 10, 1, 24 * 60) * 60,
        )
