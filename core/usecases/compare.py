"""/compare's use case: an item at the five hubs and the caller's tracked structure markets, each with its data age."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.catalog import CatalogItem
from core.chat.model import Footer
from core.formatting import isk
from core.market.hubs import HUBS, PLEX_TYPE_ID
from core.market.model import Quote, SnapshotMeta
from core.market.structures import StructureMarket
from core.usecases.market_data import missing_data, missing_text, never_ingested, region_snapshots
from core.usecases.market_services import MarketServices, orders_source, sources_data
from core.usecases.prices import PLEX_MARKET, PLEX_NOTE, PriceQuote, price_quote, quote_data


@dataclass(frozen=True)
class HubComparison:
    """/compare's answer: the item's quote at each hub that trades it, then at each of the caller's structure markets
    that does (PLEX: its one global quote instead)."""

    item: CatalogItem
    quotes: tuple[tuple[str, Quote], ...]  # (hub name, quote), hubs without a quote left out
    footer: Footer
    regions: tuple[int, ...] = ()  # the hubs' regions
    missing: tuple[int, ...] = ()  # of those, the ones never ingested (asked when no hub has a quote)
    plex: PriceQuote | None = None
    structures: tuple[tuple[str, Quote], ...] = ()  # (structure name, quote) of the caller's structure markets

    @property
    def title(self) -> str:
        """ "Tritanium at the hubs" (PLEX: its /price title)."""
        if self.plex is not None:
            return self.plex.title
        return f"{self.item.name} at the hubs{' and your structures' if self.structures else ''}"

    @property
    def rows(self) -> tuple[tuple[str, Quote], ...]:
        """Every market with a quote: the hubs, then the structures."""
        return self.quotes + self.structures

    @property
    def buy_at(self) -> tuple[float, str] | None:
        """The cheapest best sell and its market."""
        return min(((q.best_sell, name) for name, q in self.rows if q.best_sell is not None), default=None)

    @property
    def sell_at(self) -> tuple[float, str] | None:
        """The dearest best buy and its market."""
        return max(((q.best_buy, name) for name, q in self.rows if q.best_buy is not None), default=None)

    @property
    def no_market_data(self) -> bool:
        """No market has a quote because no hub's region was ever ingested."""
        return not self.rows and bool(self.missing) and len(self.missing) == len(self.regions)

    def text(self, console: bool) -> str:
        """Where to buy and where to sell, or why no hub has a quote ("buy in Jita at 4.50 · sell in Amarr at 5.10")."""
        if self.plex is not None:
            return PLEX_NOTE
        if not self.rows:
            if self.no_market_data:
                return missing_text(self.missing, console)
            if self.missing:
                return f"No hub with market data trades it right now. {missing_text(self.missing, console)}"
            return "No hub trades it right now."
        cheapest, dearest = self.buy_at, self.sell_at
        return " · ".join(
            part
            for part in (
                f"buy in {cheapest[1]} at {isk(cheapest[0])}" if cheapest else "",
                f"sell in {dearest[1]} at {isk(dearest[0])}" if dearest else "",
            )
            if part
        )

    def as_data(self) -> dict[str, Any]:
        """The machine-readable form (README documents these keys; {} when no market trades it)."""
        if self.plex is not None:
            return self.plex.as_data()
        if not self.rows:
            return missing_data(self.missing) if self.no_market_data else {}
        cheapest, dearest = self.buy_at, self.sell_at
        data = {
            "type_id": self.item.type_id,
            "name": self.item.name,
            "hubs": {name: quote_data(self.item, q) for name, q in self.quotes},
            "buy_at": cheapest[1] if cheapest else None,
            "sell_at": dearest[1] if dearest else None,
            "sources": sources_data(self.footer),
        }
        if self.structures:
            data["structures"] = {name: quote_data(self.item, q) for name, q in self.structures}
        return data


async def compare_hubs(
    services: MarketServices, item: CatalogItem, structures: Sequence[StructureMarket] = ()
) -> HubComparison:
    """The item's quote at the five hubs side by side, then at `structures` (PLEX: its global market's)."""
    if item.type_id == PLEX_TYPE_ID:
        plex = await price_quote(services, item, PLEX_MARKET)
        return HubComparison(item, (), plex.footer, plex=plex)
    markets = [(hub.name, hub.region_id, hub.station_id) for hub in HUBS]
    markets += [(s.name, s.market_id, s.structure_id) for s in structures]
    quotes = await asyncio.gather(
        *(services.reader.quote(region_id, station_id, item.type_id) for _, region_id, station_id in markets)
    )
    # a market without a quote still read its orders: the footer gives that snapshot's age too
    snapshots = await region_snapshots(services, [m[1] for m, q in zip(markets, quotes, strict=True) if not q])
    sources = [
        orders_source(region_id, quote.as_of if quote else _last_modified(snapshots.get(region_id)), name)
        for (name, region_id, _), quote in zip(markets, quotes, strict=True)
    ]
    named = [(name, quote) for (name, _, _), quote in zip(markets, quotes, strict=True)]
    hubs = tuple((name, quote) for name, quote in named[: len(HUBS)] if quote is not None)
    own = tuple((name, quote) for name, quote in named[len(HUBS) :] if quote is not None)
    found = hubs + own
    if not found:
        regions = tuple(hub.region_id for hub in HUBS)
        missing = never_ingested({r: snapshots.get(r) for r in regions if r in snapshots})
        return HubComparison(item, (), services.footer(None, sources), regions, missing)
    as_of = min(q.as_of for _, q in found)
    return HubComparison(item, hubs, services.footer(as_of, sources), structures=own)


def _last_modified(meta: SnapshotMeta | None) -> datetime | None:
    """When a market's order snapshot was current (None: never ingested or unknown)."""
    return meta.last_modified if meta is not None else None
