"""The files and columns of the data contract, in order: taken from the loaders' declaration
(``loaders/contract.py``) so that the generator and the loader cannot disagree.

The generator writes every file with exactly these English headers, in this column order.
"""

from __future__ import annotations

from core.contract import SPECS

__all__ = ["FILES"]

FILES: dict[str, tuple[str, ...]] = {stem: spec.column_names for stem, spec in SPECS.items()}
