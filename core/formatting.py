"""ISK, volume and percentage formatting for people, shared by the chat commands, the AI tools and the web panel."""

from __future__ import annotations


def isk(value: float | None) -> str:
    """ISK for people: 4.52, 1,234.50, 12.3M, 1.25B (— when unknown)."""
    if value is None:
        return "—"
    size = abs(value)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if size >= limit:
            return f"{value / limit:,.2f}{suffix}"
    return f"{value:,.2f}"


def units(value: float | None) -> str:
    """A volume with thousands separators (k/M beyond a million)."""
    if value is None:
        return "—"
    return f"{value / 1e6:,.1f}M" if abs(value) >= 1e6 else f"{value:,.0f}"


def percent(value: float | None) -> str:
    """A fraction as a percentage with one decimal."""
    return "—" if value is None else f"{value * 100:.1f}%"
