"""The exceptions of kg.

Every error kg raises on purpose derives from :class:`KgError`. Some are defined on the floor
that raises them (named here with their module); each layer maps the tree once: the command
line (``kg/cli.py``) to a one-line message and an exit code (:attr:`KgError.exit_code`), the
HTTP layer (``access/errors.py``) to a JSON error (API) or an error page (explorer)::

    KgError                       exit 1; HTTP 500 unless a subclass says otherwise
     +-- ConfigError              bad or missing settings (environment, paths)        exit 2
     +-- DatabaseError            Neo4j unreachable, failed to start, a write failed  exit 2, 503
     |    +-- EmbeddedNeo4jError  the embedded Neo4j could not be set up, started or stopped
     +-- DatasetError             a dataset that cannot be read at all (no regions, unreadable file)
     +-- RegistryError            queries/registry.py: a query file whose header is missing or
     |                            does not match its text (found at start-up)
     +-- InputError               bad input from a user                                exit 2, 400
     |    +-- ParamError          queries/registry.py: a parameter unknown, malformed, out of range
     |    +-- Rejected            api/adhoc.py: an ad-hoc Cypher query that may not run
     +-- NotFoundError            nothing with this id (or not in the caller's scope)  404
     |    +-- UnknownSubject      viz/views.py: no entity to draw a network of
     +-- HttpError                access/errors.py: a refusal with its own status and code (401,
                                  403, 404, 413, 414, 429, ...), raised by the API and the explorer

``UnknownSubject`` is still a ``LookupError`` only (viz/ is another helper's): ``access.errors``
maps it to 404 by name until it derives from :class:`NotFoundError`.
"""

from __future__ import annotations

__all__ = [
    "KgError",
    "ConfigError",
    "DatabaseError",
    "EmbeddedNeo4jError",
    "DatasetError",
    "InputError",
    "NotFoundError",
]


class KgError(Exception):
    """Root of kg's exceptions."""

    #: the exit code of a ``kg`` command that fails with this error
    exit_code = 1


class ConfigError(KgError):
    """Bad or missing settings."""

    exit_code = 2


class DatabaseError(KgError):
    """Neo4j is unreachable, failed to start, or a write failed."""

    exit_code = 2


class EmbeddedNeo4jError(DatabaseError):
    """The embedded Neo4j could not be set up, started or stopped."""


class DatasetError(KgError):
    """A dataset that cannot be read at all."""


class InputError(KgError):
    """Bad input from a user (a parameter, a request): answered with 400."""

    exit_code = 2


class NotFoundError(KgError):
    """Nothing with this id, or nothing the caller may see: answered with 404."""
