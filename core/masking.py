"""Masking of personal data (身份证号, 联系电话): in what the API returns and logs, and in the
tooltips of the network pages (viz/). One module, so both mask alike.

Two layers, applied to a whole response (rows, card properties, nested maps and lists, the
parameters echoed back, CSV and xlsx downloads):

* by key: the value of a key ``id_number`` keeps its first 6 and last 4 characters
  (``530521********123X``); of a key ``phone`` its first 3 and last 4 (``138****5678``);
* by pattern, in every other string: an 18-character resident id number or an 11-digit
  mobile number standing on its own (not inside a longer run of letters and digits, so ids
  such as ``H53050200120100001`` are left alone) is masked the same way. This catches a
  search text ``q`` that is an id number, or a phone written into free text (帮扶措施);
* keys too (a query-string parameter named by an id number), by pattern;
* numbers too: a whole number whose digits read as an id number or a mobile number (say a
  ``limit`` typed as one, echoed back or written to the audit log) becomes its masked text.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["mask", "mask_id_number", "mask_phone", "mask_text"]

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d)\d{4}(\d{4})(?![0-9A-Za-z])")


def _keep(value: str, head: int, tail: int) -> str:
    """The ends kept, one ``*`` per character between (the length stays visible); a value too
    short to keep both ends is masked whole."""
    value = value.strip()
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    """``530521197003150114`` → ``530521********0114``."""
    return _keep(value, 6, 4)


def mask_phone(value: str) -> str:
    """``13887510001`` → ``138****0001``."""
    return _keep(value, 3, 4)


def mask_text(text: str) -> str:
    """Id numbers and mobile numbers inside free text, masked."""
    if len(text) < 11:  # too short to hold either (most names)
        return text
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 8 + m.group(2)[-4:], text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


def mask(value: Any) -> Any:
    """A copy of ``value`` (JSON-like: dicts, lists, strings, numbers, dates) with personal
    data masked."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            key = mask_text(k) if isinstance(k, str) else k  # a parameter named by an id number
            if k == "id_number" and isinstance(v, str):
                out[key] = mask_id_number(v)
            elif k == "phone" and isinstance(v, str):
                out[key] = mask_phone(v)
            else:
                out[key] = mask(v)
        return out
    if isinstance(value, list | tuple):
        return [mask(v) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10**10:
        text = str(value)  # 17179869184.0 reads as a phone as much as 17179869184 does
        masked = mask_text(text)
        return value if masked == text else masked
    return value
