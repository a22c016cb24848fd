"""Deterministic, realistic order books: generation of a region's orders and their evolution."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from .catalog import CATALOG, HUBS, KIND_VOLUME, PLEX, PLEX_REGION, TypeInfo, type_info

Order = dict[str, Any]
DAY = 86_400
JUMPS = ("1", "2", "3", "4", "5", "10", "20", "30", "40")
BUY_RANGES = ("station",) * 8 + ("region",) * 3 + ("solarsystem",) * 3 + JUMPS
DURATIONS = (90, 90, 90, 30, 30, 14, 7, 3, 1)


def tick_round(price: float) -> float:
    """Round `price` onto EVE's 4-significant-digit tick grid (0.01 ISK floor)."""
    if price < 0.01:
        return 0.01
    digits = min(2, 3 - math.floor(math.log10(price)))
    return round(price, digits)


_DAYS: dict[int, str] = {}


def iso(ts: int) -> str:
    """ISO 8601 UTC timestamp with a Z suffix, as ESI writes `issued` (fast: day prefixes cached)."""
    day, sec = divmod(ts, DAY)
    prefix = _DAYS.get(day)
    if prefix is None:
        prefix = _DAYS[day] = datetime.fromtimestamp(day * DAY, UTC).strftime("%Y-%m-%dT")
    return f"{prefix}{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}Z"


def locations(region_id: int) -> list[tuple[int, int | None]]:
    """(location_id, system_id) pairs of a region: the hub first, then 5 stations and 2 structures."""
    system, station = HUBS.get(region_id, (30_040_000 + region_id % 10_000, 60_040_000 + region_id % 10_000))
    if region_id == PLEX_REGION:  # the global PLEX market: spread over the five hubs
        return [(st, sy) for sy, st in HUBS.values()]
    base = (region_id % 1000) * 10
    others: list[tuple[int, int | None]] = [(60_050_000 + base + k, 30_050_000 + base + k) for k in range(5)]
    structures: list[tuple[int, int | None]] = [(1_040_000_000_000 + base + k, None) for k in range(2)]
    return [(station, system), *others, *structures]


class BookGenerator:
    """Makes orders for one region; every draw comes from the caller's seeded `random.Random`."""

    def __init__(self, region_id: int, type_ids: Sequence[int], seed: int, anchor: int) -> None:
        """Prepare type weights and locations; `anchor` (epoch s) is the newest possible `issued`."""
        self.region_id = region_id
        if region_id == PLEX_REGION:
            type_ids = [PLEX]
        elif PLEX in type_ids:
            type_ids = [t for t in type_ids if t != PLEX]  # PLEX trades only in the global market
        self.infos: list[TypeInfo] = [type_info(t, seed) for t in type_ids]
        rng = random.Random(f"weights:{seed}:{region_id}")
        # heavy-tailed popularity, capped; well-known catalogue types trade more
        weights = [min(rng.paretovariate(1.1), 60.0) * (8.0 if i.type_id in CATALOG else 1.0) for i in self.infos]
        self.cum = [sum(weights[: i + 1]) for i in range(len(weights))] if len(weights) < 200 else _cum(weights)
        self.locs = locations(region_id)
        self.anchor = anchor
        # each region prices a type a little differently (hauling has something to find), and each type has its
        # own buy/sell gap, from tight commodities to wide niche items (station trading has something to find)
        regional = random.Random(f"regional:{seed}:{region_id}")
        gaps = random.Random(f"gap:{seed}")
        self.factor = {i.type_id: 1.0 if region_id == PLEX_REGION else regional.uniform(0.92, 1.08) for i in self.infos}
        self.gap = {i.type_id: gaps.choice((0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2)) for i in self.infos}
        slot = (region_id // 1_000_000 - 10) * 1000 + region_id % 1000  # 10000002 -> 2, 19000001 -> 9001
        self.next_id = 6_000_000_000 + slot * 50_000_000

    def make(self, rng: random.Random, n: int, newest: int | None = None, span: int = 90 * DAY) -> list[Order]:
        """Generate `n` orders issued within `span` seconds before `newest` (default: the anchor)."""
        newest = self.anchor if newest is None else newest
        picks = rng.choices(self.infos, cum_weights=self.cum, k=n)
        rnd, locs, nloc = rng.random, self.locs, len(self.locs)
        out: list[Order] = []
        for info in picks:
            r = rnd()
            buy = r < 0.42
            u = rnd()
            loc, system = locs[0] if u < 0.8 else locs[1 + int((u - 0.8) * 5 * (nloc - 1))]
            price = self.price(info, buy, rng)
            vol = max(1, int(KIND_VOLUME[info.kind] * rng.lognormvariate(0.0, 1.0)))
            remain = vol if rnd() < 0.35 else 1 + int(rnd() * vol)
            self.next_id += 1 + int(rnd() * 20)
            duration = DURATIONS[int(rnd() * len(DURATIONS))]
            order: Order = {
                "duration": duration,
                "is_buy_order": buy,
                "issued": iso(newest - int(rnd() * min(span, duration * DAY))),
                "location_id": loc,
                "min_volume": 1 if not buy or rnd() < 0.95 else max(1, remain // 10),
                "order_id": self.next_id,
                "price": price,
                "range": BUY_RANGES[int(rnd() * len(BUY_RANGES))] if buy else "region",
                "system_id": system,
                "type_id": info.type_id,
                "volume_remain": remain,
                "volume_total": vol,
            }
            if system is None:
                del order["system_id"]
            out.append(order)
        return out

    def price(self, info: TypeInfo, buy: bool, rng: random.Random) -> float:
        """A tick-rounded price: sells above, buys below the regional base by the type's gap, rare outliers."""
        r = rng.random()
        base = info.base_price * self.factor.get(info.type_id, 1.0)
        half_gap = self.gap.get(info.type_id, 0.02) / 2
        if buy:
            if r < 0.004:
                return 0.01
            return tick_round(base * (1 - half_gap - abs(rng.gauss(0.0, 0.04))))
        if r < 0.004:
            return tick_round(info.base_price * 100.0)
        return tick_round(base * (1 + half_gap + abs(rng.gauss(0.0, 0.04))))

    def evolve(self, orders: list[Order], rng: random.Random, now: int, churn: float = 0.03) -> list[Order]:
        """The next snapshot: some orders filled or cancelled, some repriced, as many new ones."""
        out: list[Order] = []
        gone = 0
        rnd = rng.random
        for order in orders:
            r = rnd()
            if r < churn:
                gone += 1
            elif r < churn * 4:
                changed = dict(order)
                if rnd() < 0.5:
                    changed["volume_remain"] = max(1, int(order["volume_remain"] * rnd()))
                else:
                    step = 1 - 0.01 * rnd() if not order["is_buy_order"] else 1 + 0.01 * rnd()
                    changed["price"] = tick_round(order["price"] * step)
                    changed["issued"] = iso(now - int(rnd() * 300))
                out.append(changed)
            else:
                out.append(order)
        out.extend(self.make(rng, gone, newest=now, span=300))
        return out


def _cum(weights: list[float]) -> list[float]:
    """Cumulative sums of `weights`."""
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out
