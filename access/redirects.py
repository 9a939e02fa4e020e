"""Where a redirect may go: a path on this site, nothing else (``next`` after sign-in).

A target is accepted only if, read the way browsers read a ``Location``, it stays on this
origin: it starts with one ``/``, holds no control, format or space characters (a tab or a
newline would be dropped on the way into the header, turning ``/\\t/evil.example`` into
``//evil.example``), no backslash (browsers read ``/\\`` as ``//``), no scheme or host, and
none of these once percent-decoded (``/%2F%2Fevil.example``). Anything else is the home page.
"""

from __future__ import annotations

import unicodedata
import urllib.parse

__all__ = ["safe_target"]


def _clean(text: str, *, raw: bool) -> bool:
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return False
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            return False
        if raw and ch.isspace():  # decoded, a space in a search text (%20) is fine
            return False
    parts = urllib.parse.urlsplit(text)
    return not parts.scheme and not parts.netloc


def safe_target(target: str | None, home: str = "/") -> str:
    """``target`` if it is a path on this site, else ``home``."""
    if not target or len(target) > 2000 or not _clean(target, raw=True):
        return home
    text = target
    for _ in range(3):  # %252F%252F is %2F%2F once decoded, // twice
        decoded = urllib.parse.unquote(text)
        if decoded == text:
            return target
        if not _clean(decoded, raw=False):
            return home
        text = decoded
    return home
