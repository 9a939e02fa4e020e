"""Cypher kept in ``.cypher`` files, read by name: where a file's text becomes a query.

A :class:`CypherFiles` serves one folder (``queries/`` for the named queries, ``loaders/cypher/``
for the loader's writes); sub-folders are namespaces (``write/persons``). This is injection-safe
because the text comes only from files shipped in the package, chosen by a name that must match
an existing file; every value from a user or a dataset travels as a query parameter.

Labels and relationship types cannot be parameters (and Neo4j 5.26 plans dynamic labels as a scan
of every node). A *template* file names its label or type ``__KIND__`` and the property holding
the key ``__KEY__``; :meth:`CypherFiles.template` fills them in from the contract's declaration
only (``core.contract.FileSpec.element`` / ``key_property``), checked against a strict pattern.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

__all__ = ["CypherFiles"]

_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class CypherFiles:
    """The ``.cypher`` files under ``root``, by name (``"write/persons"``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @functools.cache  # noqa: B019 - a handful of long-lived instances, one per folder
    def text(self, name: str) -> str:
        """The text of the query ``name``; KeyError when there is no such file."""
        if not _NAME.match(name):
            raise KeyError(f"not a query name: {name!r}")
        path = self.root / f"{name}.cypher"
        if not path.is_file():
            raise KeyError(f"no query named {name!r}")
        return path.read_text(encoding="utf-8")

    def template(self, name: str, *, kind: str, key: str = "fact_key") -> str:
        """A template's text with its label or type (``kind``) and key property filled in.

        ``kind`` and ``key`` come from the contract's declaration, never from a user; they
        must be plain identifiers.
        """
        for value in (kind, key):
            if not _IDENTIFIER.match(value):
                raise ValueError(f"not an identifier: {value!r}")
        return self.text(name).replace("__KIND__", kind).replace("__KEY__", key)

    def names(self) -> list[str]:
        """Every query name under the folder, sorted."""
        return sorted(
            p.relative_to(self.root).with_suffix("").as_posix() for p in self.root.rglob("*.cypher")
        )
