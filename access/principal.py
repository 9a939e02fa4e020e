"""Who is asking: a :class:`Principal` (a token's id, role and region scope) and its rights.

A principal comes from a bearer token (the API) or from an explorer session signed in with
one (``access.request``); both see the same: every query runs with ``scope=principal.scope``,
every answer goes through :meth:`Principal.masked`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from access.tokens import ROLES, Token
from core.masking import mask

__all__ = ["RIGHTS", "ROLES", "Principal", "masked_for"]

#: who may do what (docs/api.md): RIGHTS[role]
RIGHTS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read"}),
    "analyst": frozenset({"read", "export"}),
    "admin": frozenset({"read", "export", "unmasked", "cypher"}),
}


@dataclass(frozen=True)
class Principal:
    """A signed-in caller."""

    #: the token's public id (``kg token list``)
    token_id: str
    role: str
    #: the region the token is bound to (a county or township), None for the whole city
    region: str | None
    name: str | None = None
    #: the public id of the explorer session, None for a bearer token
    session_id: str | None = None

    @classmethod
    def from_token(cls, token: Token, session_id: str | None = None) -> Principal:
        return cls(token.id, token.role, token.region, token.name, session_id)

    @property
    def rights(self) -> frozenset[str]:
        return RIGHTS[self.role]

    def may(self, right: str) -> bool:
        return right in self.rights

    @property
    def scope(self) -> str | None:
        """The region every query of this principal is restricted to."""
        return self.region

    def masked(self, value: Any) -> Any:
        """``value`` with id numbers and phones masked, unless this role may see them."""
        return value if self.may("unmasked") else mask(value)


def masked_for(principal: Principal | None, value: Any) -> Any:
    """``value`` masked for ``principal``; for nobody (not signed in), always masked."""
    return principal.masked(value) if principal is not None else mask(value)
