"""Where a fact came from, said in words on the explorer (contract §4's provenance).

The card carries ``"provenance": {"file", "row", "load"}`` for the entity and for each of its
relationships; a page says it as 来源：pairings.csv 第 12 行，第 3 次导入.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["source_words"]


def source_words(origin: Mapping[str, Any] | None, lang: str) -> str:
    """``origin`` ({"file", "row", "load"}, any of them missing) in words; "" when unknown."""
    if not origin or not origin.get("file"):
        return ""
    file, row, load = origin.get("file"), origin.get("row"), origin.get("load")
    if lang == "zh":
        parts = [f"来源：{file}"]
        if row is not None:
            parts.append(f" 第 {row} 行")
        if load is not None:
            parts.append(f"，第 {load} 次导入")
        return "".join(parts)
    parts = [f"source: {file}"]
    if row is not None:
        parts.append(f" row {row}")
    if load is not None:
        parts.append(f", load {load}")
    return "".join(parts)
