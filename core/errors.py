"""The exceptions of kg.

Every error kg raises on purpose derives from :class:`KgError`::

    KgError
     +-- ConfigError          bad or missing settings (environment, paths)
     +-- DatabaseError        Neo4j unreachable, failed to start, or a write failed
     |    +-- EmbeddedNeo4jError   the embedded Neo4j could not be set up, started or stopped
     +-- DatasetError         a dataset that cannot be read at all (no regions, unreadable file)
"""

from __future__ import annotations

__all__ = ["KgError", "ConfigError", "DatabaseError", "EmbeddedNeo4jError", "DatasetError"]


class KgError(Exception):
    """Root of kg's exceptions."""


class ConfigError(KgError):
    """Bad or missing settings."""


class DatabaseError(KgError):
    """Neo4j is unreachable, failed to start, or a write failed."""


class EmbeddedNeo4jError(DatabaseError):
    """The embedded Neo4j could not be set up, started or stopped."""


class DatasetError(KgError):
    """A dataset that cannot be read at all."""
