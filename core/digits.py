"""Whole numbers from untrusted text: ASCII digits only, and not too many of them.

str.isdigit() also takes "²" (which int() refuses) and "٣" (which int() reads as 3), and int() refuses more than
4,300 digits: checking isdigit() before int() is not enough for a URL, a form field or a button's payload.
"""

from __future__ import annotations

MAX_DIGITS = 19  # every 64-bit id fits


def whole_number(text: str, *, max_digits: int = MAX_DIGITS) -> int | None:
    """The value of `text` when it is 1..max_digits ASCII digits, else None."""
    if not 0 < len(text) <= max_digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)
