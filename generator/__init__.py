"""Synthetic datasets in the data contract (``shared/data-contract.md``).

>>> from generator import PROFILES
>>> PROFILES
('baoshan',)

:func:`generate` writes one CSV file per contract file into a folder; the only profile,
``baoshan``, reproduces the seed article's figures at scale 1 (docs/calibration.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

__all__ = ["PROFILES", "generate", "estimate_rows"]

PROFILES = ("baoshan",)


def generate(
    out: Path,
    profile: str = "baoshan",
    scale: float = 1.0,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write the ``profile`` dataset at ``scale`` into ``out``; return rows written per file."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    from generator.baoshan import generate_baoshan

    return generate_baoshan(Path(out), scale=scale, seed=seed, progress=progress)


def estimate_rows(profile: str, scale: float) -> int:
    """About how many rows ``generate`` writes (for progress bars)."""
    from generator.baoshan import estimate_rows as baoshan_rows

    return baoshan_rows(scale)
