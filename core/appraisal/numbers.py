"""Numbers as the EVE client prints them in any language: 1,000 / 1.000 / 1 000 (NBSP, thin space) / 1'000."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_GROUPED = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})*$", re.ASCII)


def parse_quantity(text: str) -> int | None:
    """A whole quantity ("1,000", "1.000", "1 000", "1'000", "12x", "x12"), or None when it is not one."""
    cleaned = _SPACES.sub("", text.strip().lower()).removeprefix("x").removesuffix("x")
    if not cleaned:
        return None
    if cleaned.isdecimal() and cleaned.isascii():
        return int(cleaned)
    if _GROUPED.match(cleaned):  # one kind of separator, in groups of three: thousands
        return int(re.sub(r"[.,]", "", cleaned))
    return None


def parse_decimal(text: str) -> float | None:
    """An ISK or m3 amount: thousands separators of any kind and a decimal comma or point ("1.234,56" too)."""
    cleaned = _SPACES.sub("", text.strip().lower()).removesuffix("isk").removesuffix("m3").strip()
    if not cleaned:
        return None
    last_dot, last_comma = cleaned.rfind("."), cleaned.rfind(",")
    decimal_at = max(last_dot, last_comma)
    if decimal_at >= 0 and len(cleaned) - decimal_at - 1 == 3 and cleaned.count(cleaned[decimal_at]) >= 1:
        whole = parse_quantity(cleaned)
        if whole is not None and (last_dot < 0 or last_comma < 0):
            return float(whole)  # "1,000" or "1.000": a grouped integer, not a decimal
    if decimal_at >= 0:
        head, tail = cleaned[:decimal_at], cleaned[decimal_at + 1 :]
        head = re.sub(r"[.,]", "", head)
        cleaned = f"{head}.{tail}"
    try:
        return float(cleaned)
    except ValueError:
        return None
