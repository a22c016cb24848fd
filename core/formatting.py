"""ISK, volumes, percentages and data ages for people: shared by the chat commands, AI tools and web panel."""

from __future__ import annotations

from datetime import datetime


def isk(value: float | None) -> str:
    """ISK for people: 4.52, 1,234.50, 12.3M, 1.25B (— when unknown)."""
    if value is None:
        return "—"
    size = abs(value)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if size >= limit:
            return f"{value / limit:,.2f}{suffix}"
    return f"{value:,.2f}"


def exact_isk(amount: float) -> str:
    """ISK to the cent with thousands separators, as alerts quote a threshold and a price: 1,234,567.89."""
    return f"{amount:,.2f}"


def short_isk(value: float) -> str:
    """ISK in a few characters: 950, 12.3k, 555.9M, 1.2B."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.1f}{suffix}"
    return f"{value:,.0f}"


def units(value: float | None) -> str:
    """A volume with thousands separators (k/M beyond a million)."""
    if value is None:
        return "—"
    return f"{value / 1e6:,.1f}M" if abs(value) >= 1e6 else f"{value:,.0f}"


def percent(value: float | None) -> str:
    """A fraction as a percentage with one decimal."""
    return "—" if value is None else f"{value * 100:.1f}%"


def age_text(as_of: datetime | None, now: datetime) -> str:
    """How old the data is, in words: "2 min old", "3 h old", "no market data yet"."""
    if as_of is None:
        return "no market data yet"
    minutes = max(0, int((now - as_of).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min old"
    return f"{minutes // 60} h old" if minutes < 48 * 60 else f"{minutes // 1440} days old"


def data_age(as_of: datetime, now: datetime) -> str:
    """How old the snapshot is, in words: "data 3 min old"."""
    seconds = max(0.0, (now - as_of).total_seconds())
    if seconds < 60:
        return "data under 1 min old"
    if seconds < 120 * 60:
        return f"data {int(seconds // 60)} min old"
    if seconds < 48 * 3600:
        return f"data {int(seconds // 3600)} h old"
    return f"data {int(seconds // 86400)} days old"
