"""What one request carries through the layers (:class:`Call`, in ``flask.g``): who asked,
and what the audit log will say about it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from flask import g

from access.principal import Principal

__all__ = ["Call", "call"]


@dataclass
class Call:
    started: float = field(default_factory=time.monotonic)
    #: the signed-in caller (bearer token or explorer session), None until known
    principal: Principal | None = None
    #: the credential presented when it was refused: a revoked token's or an ended session's
    #: token id, or ``sha256:…`` of an unknown secret (access.tokens.reference)
    credential: str | None = None
    #: the named query (or page) run, its parameters as bound, the rows answered
    query: str | None = None
    params: dict[str, Any] | None = None
    rows: int | None = None
    #: the text of an ad-hoc Cypher query
    cypher: str | None = None
    #: (code, message) of the error answered
    error: tuple[str, str] | None = None


def call() -> Call:
    """This request's :class:`Call` (made on first use)."""
    state: Call | None = g.get("kg_call")
    if state is None:
        state = Call()
        g.kg_call = state
    return state
