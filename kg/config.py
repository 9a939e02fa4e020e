"""Settings read from the environment, in one place (read in factories, never at import)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings"]


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

    @property
    def embedded(self) -> bool:
        return not self.neo4j_uri

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        from kg.errors import ConfigError

        port_text = env.get("KG_BOLT_PORT", "7687")
        try:
            port = int(port_text)
        except ValueError as e:
            raise ConfigError(f"KG_BOLT_PORT must be a port number, not {port_text!r}") from e
        return cls(
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_username=env.get("NEO4J_USERNAME", "neo4j"),
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
            kg_home=Path(env.get("KG_HOME", ".kg")).resolve(),
            bolt_port=port,
        )
