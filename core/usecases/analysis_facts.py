"""The facts block: our own numbers about an item at a place (quotes, depth, fees, 30-day history, snapshot time)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.catalog import ALIASES, CatalogItem, Location
from core.market.fees import TradeSkills, broker_fee_rate, sales_tax_rate, station_trade_margin
from core.market.history_stats import history_stats
from core.market.hubs import PLEX_REGION_ID, PLEX_TYPE_ID
from core.usecases.market_services import MarketServices, station_of
from core.usecases.prices import plex_quote

THIN_ORDERS = 3  # fewer orders than this on a side: a thin book
FAR_FROM_MEDIAN = 0.25  # best sell this far (fraction) from the 30-day median: a price to distrust
WIDE_SPREAD = 0.20


@dataclass(frozen=True)
class ItemFacts:
    """What our data says about one item at one place; None where the data has no answer."""

    type_id: int
    item: str
    place: str
    region_id: int
    location_id: int
    best_sell: float | None
    best_buy: float | None
    sell_volume: int
    buy_volume: int
    sell_orders: int
    buy_orders: int
    sell_depth_5pct: int
    buy_depth_5pct: int
    spread: float | None
    spread_pct: float | None
    sales_tax_rate: float
    broker_fee_rate: float
    station_trade_profit_per_unit: float | None  # buy order one tick up, sell order one tick down, after all fees
    station_trade_margin: float | None
    median_5d: float | None
    median_30d: float | None
    trend_7d_pct: float | None
    volatility_30d: float | None
    avg_daily_volume_30d: float | None
    history_days: int
    quote_as_of: datetime | None
    snapshot_at: datetime | None
    risks: tuple[str, ...] = field(default_factory=tuple)

    @property
    def snapshot_version(self) -> str:
        """Which market snapshot these facts come from (part of the answer cache key)."""
        stamp = self.snapshot_at or self.quote_as_of
        return f"{self.region_id}@{stamp.isoformat() if stamp else 'none'}"

    def as_dict(self) -> dict[str, Any]:
        """The facts as plain JSON-ready values (datetimes as ISO strings)."""
        data = asdict(self)
        for key in ("quote_as_of", "snapshot_at"):
            data[key] = data[key].isoformat() if data[key] else None
        data["risks"] = list(self.risks)
        return data


def facts_block(facts: list[ItemFacts], *, skills: TradeSkills, extra: dict[str, Any] | None = None) -> str:
    """The facts as the model reads them: one JSON document with the caller's fee settings."""
    document: dict[str, Any] = {
        "fee_settings": {"accounting": skills.accounting, "broker_relations": skills.broker_relations},
        "items": [item.as_dict() for item in facts],
    }
    return json.dumps(document | (extra or {}), indent=1, sort_keys=False)


def history_region_of(item: CatalogItem, place: Location) -> int:
    """The region whose history the facts of `item` at `place` use (PLEX: the global market's; a structure: its
    system's region)."""
    return PLEX_REGION_ID if item.type_id == PLEX_TYPE_ID else place.history_region


async def item_facts(services: MarketServices, item: CatalogItem, place: Location, skills: TradeSkills) -> ItemFacts:
    """Compute the facts of `item` at `place` from the reader (PLEX: the global PLEX market)."""
    reader, today = services.reader, services.clock().date()
    if item.type_id == PLEX_TYPE_ID:
        region_id, location_id, place_name = PLEX_REGION_ID, PLEX_REGION_ID, "Global PLEX Market"
        quote = await plex_quote(services)
    else:
        (region_id, location_id), place_name = station_of(place), place.name
        quote = await reader.quote(region_id, location_id, item.type_id)
    meta = await reader.snapshot(region_id)
    stats = history_stats(
        await reader.history(history_region_of(item, place), item.type_id, today - timedelta(days=40)), today
    )
    sell, buy = (quote.best_sell, quote.best_buy) if quote else (None, None)
    spread = sell - buy if sell is not None and buy is not None else None
    profit = margin = None
    if sell is not None and buy is not None:
        try:
            trade = station_trade_margin(buy, sell, skills, services.fees)
            profit, margin = trade.profit, trade.margin_on_cost
        except ValueError:  # no tick below a 0.01 ISK sell order
            pass
    facts = ItemFacts(
        type_id=item.type_id,
        item=item.name,
        place=place_name,
        region_id=region_id,
        location_id=location_id,
        best_sell=sell,
        best_buy=buy,
        sell_volume=quote.sell_volume if quote else 0,
        buy_volume=quote.buy_volume if quote else 0,
        sell_orders=quote.sell_orders if quote else 0,
        buy_orders=quote.buy_orders if quote else 0,
        sell_depth_5pct=quote.sell_depth if quote else 0,
        buy_depth_5pct=quote.buy_depth if quote else 0,
        spread=spread,
        spread_pct=spread / sell if spread is not None and sell else None,
        sales_tax_rate=sales_tax_rate(skills, services.fees),
        broker_fee_rate=broker_fee_rate(skills, services.fees),
        station_trade_profit_per_unit=profit,
        station_trade_margin=margin,
        median_5d=stats.median_5d if stats else None,
        median_30d=stats.median_30d if stats else None,
        trend_7d_pct=stats.trend_7d_pct if stats else None,
        volatility_30d=stats.volatility_30d if stats else None,
        avg_daily_volume_30d=stats.avg_volume_30d if stats else None,
        history_days=stats.days_of_data if stats else 0,
        quote_as_of=quote.as_of if quote else None,
        snapshot_at=(meta.last_modified if meta else None) or (quote.as_of if quote else None),
    )
    return _with_risks(facts)


def _with_risks(facts: ItemFacts) -> ItemFacts:
    """Add the risks our numbers show: no or thin books, wide spreads, prices far from the 30-day median."""
    risks = []
    if facts.best_sell is None and facts.best_buy is None:
        risks.append("nobody trades it here right now")
    elif min(facts.sell_orders, facts.buy_orders) < THIN_ORDERS:
        risks.append(f"thin book: {facts.sell_orders} sell / {facts.buy_orders} buy orders")
    if facts.spread_pct is not None and facts.spread_pct > WIDE_SPREAD:
        risks.append(f"wide spread: {facts.spread_pct * 100:.0f}% of the best sell")
    if facts.best_sell is not None and facts.median_30d:
        off = facts.best_sell / facts.median_30d - 1
        if abs(off) > FAR_FROM_MEDIAN:
            risks.append(f"best sell {off * 100:+.0f}% from the 30-day median: possible manipulation or news")
    if facts.history_days == 0:
        risks.append("no price history")
    elif facts.avg_daily_volume_30d is not None and facts.avg_daily_volume_30d < 1:
        risks.append("under one unit traded per day (30-day average)")
    return ItemFacts(**{**facts.__dict__, "risks": tuple(risks)})


def mentioned_items(catalog: object, text: str, limit: int = 3) -> list[CatalogItem]:
    """Items a question names exactly (or by alias): "is PLEX cheap?" -> PLEX; longest names first, no fuzzing."""
    exact = getattr(catalog, "exact", None)
    if exact is None:
        return []
    words = [word.strip("?!.,:;()\"'") for word in text.split()]
    found: dict[int, CatalogItem] = {}
    start = 0
    while start < len(words) and len(found) < limit:
        for size in range(min(6, len(words) - start), 0, -1):
            phrase = " ".join(words[start : start + size])
            hit = exact(phrase) or exact(ALIASES.get(phrase.lower(), "")) if phrase else None
            if hit is not None:
                found.setdefault(hit.type_id, hit)
                start += size
                break
        else:
            start += 1
    return list(found.values())
