"""The API's settings, read from the environment by :func:`api.create_app` (never at import)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.config import Settings
from kg.errors import ConfigError

__all__ = ["ApiConfig", "audit_log_path", "token_file_path"]


def token_file_path(settings: Settings) -> Path:
    """Where the API's tokens are kept: ``$KG_HOME/api/tokens.json``."""
    return settings.kg_home / "api" / "tokens.json"


def audit_log_path(settings: Settings, env: Mapping[str, str] | None = None) -> Path:
    """The audit log: ``$KG_AUDIT_LOG``, default ``$KG_HOME/api/audit.log``."""
    env = os.environ if env is None else env
    if env.get("KG_AUDIT_LOG"):
        return Path(env["KG_AUDIT_LOG"]).resolve()
    return settings.kg_home / "api" / "audit.log"


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
    """What the API needs beyond :class:`kg.config.Settings`.

    ========================  ==============================  =================================
    variable                  default                         meaning
    ========================  ==============================  =================================
    ``KG_AUDIT_LOG``          ``$KG_HOME/api/audit.log``      JSON lines, one per request
    ``KG_RATE_LIMIT``         ``600/minute``                  per token (per IP without one);
                                                              ``off`` switches it off
    ``KG_QUERY_TIMEOUT``      ``60``                          seconds for a named query
    ``KG_CYPHER_TIMEOUT``     ``10``                          seconds for an ad-hoc query
    ``KG_CYPHER_MAX_ROWS``    ``10000``                       rows an ad-hoc query returns
    ``KG_RESULT_CACHE``       ``32``                          worklist answers kept for paging
                                                              (queries/cache.py); 0: none
    ========================  ==============================  =================================
    """

    token_file: Path
    audit_log: Path
    rate_limit: str | None
    query_timeout: float
    cypher_timeout: float
    cypher_max_rows: int
    result_cache: int = 32

    @classmethod
    def from_env(cls, settings: Settings, env: Mapping[str, str] | None = None) -> ApiConfig:
        env = os.environ if env is None else env
        rate = env.get("KG_RATE_LIMIT", "600/minute").strip()
        if rate.lower() in ("off", "none", "0"):
            rate_limit: str | None = None
        else:
            from limits import parse_many

            try:
                parse_many(rate)
            except ValueError:
                raise ConfigError(
                    f"KG_RATE_LIMIT must be like '600/minute' or '10/second;600/hour', not {rate!r}"
                ) from None
            rate_limit = rate
        return cls(
            token_file=token_file_path(settings),
            audit_log=audit_log_path(settings, env),
            rate_limit=rate_limit,
            query_timeout=_number(env, "KG_QUERY_TIMEOUT", 60, 1, 3600),
            cypher_timeout=_number(env, "KG_CYPHER_TIMEOUT", 10, 0.1, 600),
            cypher_max_rows=int(_number(env, "KG_CYPHER_MAX_ROWS", 10_000, 1, 1_000_000)),
            result_cache=int(_number(env, "KG_RESULT_CACHE", 32, 0, 10_000)),
        )
