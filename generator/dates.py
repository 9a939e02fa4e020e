"""Date helpers for the generator: random dates in ranges, month arithmetic."""

from __future__ import annotations

import datetime as dt
import random

__all__ = ["D", "AS_OF", "add_months", "rand_date", "years_before"]


def D(text: str) -> dt.date:  # noqa: N802 - reads like a literal: D("2020-12-31")
    """The date of an ISO ``YYYY-MM-DD`` string."""
    return dt.date.fromisoformat(text)


#: The date of the seed article's figures (docs/calibration.md).
AS_OF = D("2020-12-31")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the end of the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def rand_date(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A uniformly random date in ``[first, last]`` (``first`` when the range is empty)."""
    a, b = first.toordinal(), last.toordinal()
    if b <= a:
        return first
    return dt.date.fromordinal(rng.randint(a, b))


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
