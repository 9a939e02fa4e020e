"""The key that signs the explorer's session cookies.

``KG_SECRET_KEY`` when set (at least 32 characters); else ``$KG_HOME/web/secret_key``,
generated on first use (256 random bits, mode 0600, like the API's tokens). Every gunicorn
worker must sign with the same key, so the file is created atomically: written under a
temporary name, then hard-linked to its name (which fails if another worker was first, and
then that worker's key is read).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from core.errors import ConfigError
from core.settings import Settings

__all__ = ["secret_key", "secret_key_path"]

MIN_LENGTH = 32


def secret_key_path(settings: Settings) -> Path:
    return settings.kg_home / "web" / "secret_key"


def secret_key(settings: Settings, given: str | None = None) -> str:
    """``given`` (``KG_SECRET_KEY``, from :class:`core.settings.WebConfig`), else the key kept
    in ``$KG_HOME/web/secret_key``."""
    if given:
        if len(given) < MIN_LENGTH:
            raise ConfigError(f"KG_SECRET_KEY must be at least {MIN_LENGTH} characters long")
        return given
    path = secret_key_path(settings)
    key = _read(path)
    if key:
        return key
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret-", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_urlsafe(32) + "\n")
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    key = _read(path)
    if not key:
        raise ConfigError(f"{path} is empty: delete it to make a new session key")
    return key


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read the session key in {path}: {e}") from e
