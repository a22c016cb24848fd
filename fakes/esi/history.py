"""Deterministic market history rows and CCP's global /markets/prices list."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from .catalog import KIND_VOLUME, PLEX, PLEX_REGION, TypeInfo, unit
from .data import tick_round

HISTORY_DAYS = 400
PLEX_REGIONAL_END = date(2025, 7, 6)  # regional PLEX markets closed on 2025-07-07
_REGION_SCALE = {10000002: 1.0, PLEX_REGION: 4.0}


def history_rows(info: TypeInfo, region_id: int, seed: int, today: date) -> list[dict[str, Any]]:
    """~400 daily rows ending yesterday; a day's row only depends on (seed, region, type, date)."""
    tid = info.type_id
    scale = _REGION_SCALE.get(region_id, 0.2)
    phase1, phase2 = unit(seed, tid, 11) * 2 * math.pi, unit(seed, tid, 12) * 2 * math.pi
    trend = (unit(seed, tid, 13) - 0.5) * 0.3  # +-15 % drift over the year
    daily_volume = KIND_VOLUME[info.kind] * 8.0 * scale
    rows: list[dict[str, Any]] = []
    for back in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=back)
        if tid == PLEX and region_id != PLEX_REGION and day > PLEX_REGIONAL_END:
            break
        n = day.toordinal()
        noise = unit(seed, region_id, tid, n)
        if info.kind == "ship" and noise < 0.04:
            continue  # thin markets skip days without trades
        wave = 0.06 * math.sin(n / 37.0 + phase1) + 0.03 * math.sin(n / 9.0 + phase2)
        avg = info.base_price * math.exp(wave - trend * back / HISTORY_DAYS + (noise - 0.5) * 0.03)
        spread = 0.01 + 0.04 * unit(seed, tid, n, 2)
        volume = max(1, int(daily_volume * (0.4 + 1.2 * unit(seed, region_id, tid, n, 3))))
        rows.append(
            {
                "average": round(avg, 2),
                "date": day.isoformat(),
                "highest": tick_round(avg * (1 + spread)),
                "lowest": tick_round(avg * (1 - spread)),
                "order_count": max(1, int(volume / KIND_VOLUME[info.kind] * (0.5 + unit(n, tid, 4)))),
                "volume": volume,
            }
        )
    return rows


def market_prices(infos: Iterable[TypeInfo], seed: int) -> list[dict[str, Any]]:
    """/markets/prices rows; like the real API, some lack adjusted_price, average_price or both."""
    out: list[dict[str, Any]] = []
    for info in infos:
        r = unit(seed, info.type_id, 21)
        row: dict[str, Any] = {"type_id": info.type_id}
        if not 0.0 <= r < 0.08 and not 0.12 <= r < 0.14:
            row["adjusted_price"] = round(info.base_price * (0.9 + 0.2 * unit(seed, info.type_id, 22)), 2)
        if not 0.08 <= r < 0.14:
            row["average_price"] = round(info.base_price * (0.95 + 0.1 * unit(seed, info.type_id, 23)), 2)
        out.append(row)
    return out
