"""Pages of a worklist: the sizes the API accepts, and one page cut from the rows."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from access.params import whole_number

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "EXPLORER_PAGE_SIZE",
    "MAX_PAGE",
    "MAX_PAGE_SIZE",
    "Page",
    "page_of",
]

T = TypeVar("T")

#: rows of a worklist page: the API's default, and the explorer's (the warm-up keeps the first
#: page of each size)
DEFAULT_PAGE_SIZE = 100
EXPLORER_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page:
    page: int
    page_size: int
    total_rows: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total_rows / self.page_size)

    @property
    def skip(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.page_size

    def cut(self, rows: Sequence[T]) -> list[T]:
        return list(rows[self.skip : self.skip + self.page_size])

    def to_json(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "page_size": self.page_size,
            "total_rows": self.total_rows,
            "pages": self.pages,
        }


def page_of(
    args: Mapping[str, str], total_rows: int, default_size: int = DEFAULT_PAGE_SIZE
) -> Page:
    """The page ``args`` ask for (``page``, ``page_size``; 400 when out of range)."""
    page = whole_number(args, "page", 1, 1, MAX_PAGE)
    size = whole_number(args, "page_size", default_size, 1, MAX_PAGE_SIZE)
    return Page(page, size, total_rows)
