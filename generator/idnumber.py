"""Synthetic 18-digit resident identity numbers (居民身份证号码, GB 11643-1999).

Layout: 6-digit address code, 8-digit birth date ``YYYYMMDD``, 3-digit order code (odd for men,
even for women) and an ISO 7064 MOD 11-2 check character (``0``-``9`` or ``X``).

The address code is the code of the person's county *as it was when the number was first
issued*, which is what real numbers carry and what ``stdnum.cn.ric.is_valid`` checks against
its table of historical codes: 隆阳区 is 530502 since 2000, 533001 (保山市, county level) from
1983 to 2000 and 533021 (保山县) before; 腾冲 is 533023 before 2000, 530522 (腾冲县) until 2015
and 530581 (腾冲市) since. :func:`address_code` picks the code valid in the birth year.

>>> check_digit("11010519491231002")
'X'
"""

from __future__ import annotations

import datetime as dt

__all__ = ["check_digit", "address_code", "IdNumberIssuer", "COUNTY_CODE_HISTORY"]

_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))

#: county code of today -> [(first valid year, last valid year, code)], from GB/T 2260.
COUNTY_CODE_HISTORY: dict[str, tuple[tuple[int, int, str], ...]] = {
    "530502": ((0, 1982, "533021"), (1983, 1999, "533001"), (2000, 9999, "530502")),
    "530521": ((0, 1999, "533022"), (2000, 9999, "530521")),
    "530523": ((0, 1999, "533024"), (2000, 9999, "530523")),
    "530524": ((0, 1999, "533025"), (2000, 9999, "530524")),
    "530581": ((0, 1999, "533023"), (2000, 2014, "530522"), (2015, 9999, "530581")),
    # 上海市闵行区 (for cadres seconded from Minhang): valid since 1981.
    "310112": ((1981, 9999, "310112"),),
}


def check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def address_code(county_code: str, birth_year: int) -> str:
    """The address code a person of ``county_code`` born in ``birth_year`` carries."""
    for first, last, code in COUNTY_CODE_HISTORY[county_code]:
        if first <= birth_year <= last:
            return code
    raise ValueError(f"no address code for {county_code} in {birth_year}")


class IdNumberIssuer:
    """Issues unique numbers: order codes count up per (address code, birth date, gender).

    The n-th person of a key gets slot ``(n * 37 + offset) % 499 + 1`` and order code
    ``2 * slot`` (women) or ``2 * slot - 1`` (men): unique for up to 499 people of one gender
    born on one day in one county, never ``000``, and not visibly sequential. No set of issued
    numbers is kept, so memory stays small at any scale.
    """

    def __init__(self) -> None:
        self._counts: dict[int, int] = {}

    def issue(self, county_code: str, birth_date: dt.date, gender: str) -> str:
        code = address_code(county_code, birth_date.year)
        male = gender == "M"
        key = (int(code) * 800_000 + birth_date.toordinal()) * 2 + male
        n = self._counts.get(key, 0)
        if n >= 499:
            raise OverflowError(f"more than 499 order codes for {code} {birth_date} {gender}")
        self._counts[key] = n + 1
        slot = (n * 37 + key * 2654435761) % 499 + 1
        order = slot * 2 - (1 if male else 0)
        first17 = f"{code}{birth_date:%Y%m%d}{order:03d}"
        return first17 + check_digit(first17)
