"""Bearer tokens of the API: created by ``kg token create``, kept hashed in a JSON file.

A token is ``kg_`` + 43 URL-safe characters of :func:`secrets.token_urlsafe` (256 bits). The
file keeps only its SHA-256 (a fast hash is right for a random 256-bit secret: nothing to
brute-force, and the API checks a token on every request), with a short public ``id``, the
role, the region it is bound to, its name, when it was created and when it was revoked::

    {"tokens": [{"id": "3f9a1c2e", "name": "施甸县组织部", "role": "analyst",
                 "region": "530521000000", "created": "2026-01-05T09:12:44+00:00",
                 "revoked": null, "sha256": "..."}]}

The file (``$KG_HOME/api/tokens.json``) is written atomically (a temporary file renamed over
it) with mode 0600, under a lock so that two ``kg token`` commands do not lose each other's
change. A running API re-reads it when it changes, so a revoked token stops working at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError

__all__ = ["ROLES", "Token", "TokenStore", "hash_token", "reference"]

#: from least to most rights (see docs/api.md)
ROLES = ("viewer", "analyst", "admin")
PREFIX = "kg_"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def reference(secret: str) -> str:
    """What the audit log names an unknown secret by: ``sha256:`` and the first 12 hex digits
    of its hash (enough to tell attempts apart, nothing to sign in with)."""
    return "sha256:" + hash_token(secret)[:12]


@dataclass(frozen=True)
class Token:
    id: str
    name: str | None
    role: str
    region: str | None
    created: str
    revoked: str | None
    sha256: str

    @property
    def active(self) -> bool:
        return self.revoked is None

    def public(self) -> dict[str, Any]:
        """Everything but the hash."""
        out = asdict(self)
        del out["sha256"]
        return out


class TokenStore:
    """The tokens of one file. Thread-safe; re-reads the file when it changed on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._by_hash: dict[str, Token] = {}

    # -- reading ---------------------------------------------------------------------------

    def _read(self) -> list[Token]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as e:
            raise ConfigError(f"cannot read the API tokens in {self.path}: {e}") from e
        try:
            data = json.loads(text)
            return [Token(**item) for item in data.get("tokens", [])]
        except (ValueError, TypeError, AttributeError) as e:
            raise ConfigError(f"{self.path} is not a token file of kg: {e}") from e

    def tokens(self) -> list[Token]:
        """Every token, revoked ones too, oldest first."""
        return self._read()

    def authenticate(self, secret: str) -> Token | None:
        """The active token whose secret this is, or None."""
        if not secret.startswith(PREFIX) or len(secret) > 200:
            return None
        self._refresh()
        token = self._by_hash.get(hash_token(secret))
        return token if token is not None and token.active else None

    def find(self, secret: str) -> Token | None:
        """The token whose secret this is, revoked or not (for the audit log), or None."""
        if len(secret) > 200:
            return None
        self._refresh()
        return self._by_hash.get(hash_token(secret))

    def describe(self, secret: str) -> str:
        """The public id of the token whose secret this is (revoked too), else its
        :func:`reference`."""
        token = self.find(secret)
        return token.id if token is not None else reference(secret)

    def get(self, token_id: str) -> Token | None:
        """The active token whose public id this is, or None (the explorer's session keeps the
        id, not the secret, and looks the token up on every request: a revoked token signs
        its sessions out)."""
        self._refresh()
        with self._lock:
            for token in self._by_hash.values():
                if token.id == token_id:
                    return token if token.active else None
        return None

    def _refresh(self) -> None:
        try:
            st = self.path.stat()
            stamp: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            stamp = None
        with self._lock:
            if stamp == self._stamp and (stamp is not None or not self._by_hash):
                return
            tokens = self._read() if stamp is not None else []
            self._by_hash = {t.sha256: t for t in tokens}
            self._stamp = stamp

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _write(self, tokens: list[Token]) -> None:
        data = {"tokens": [asdict(t) for t in tokens]}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens-", suffix=".tmp")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=2)
                f.write("\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def create(
        self, role: str, region: str | None = None, name: str | None = None
    ) -> tuple[Token, str]:
        """A new token: (its record, the secret to hand out, shown only now)."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        secret = PREFIX + secrets.token_urlsafe(32)
        with self._locked():
            tokens = self._read()
            ids = {t.id for t in tokens}
            token_id = secrets.token_hex(4)
            while token_id in ids:
                token_id = secrets.token_hex(4)
            token = Token(
                id=token_id,
                name=name,
                role=role,
                region=region,
                created=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                revoked=None,
                sha256=hash_token(secret),
            )
            self._write([*tokens, token])
        return token, secret

    def revoke(self, token_id: str) -> Token:
        """Revoke the token ``token_id`` (KeyError when there is none); revoking twice is fine."""
        with self._locked():
            tokens = self._read()
            for i, t in enumerate(tokens):
                if t.id == token_id:
                    if t.revoked is None:
                        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
                        tokens[i] = Token(**{**asdict(t), "revoked": now})
                        self._write(tokens)
                    return tokens[i]
        raise KeyError(token_id)
