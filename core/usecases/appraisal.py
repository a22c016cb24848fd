"""The appraisal use case: parse a paste, price every item at a hub, keep a shareable copy, as a plain result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from core.appraisal.model import ParseResult
from core.appraisal.parse import PasteTooLarge, parse_paste
from core.appraisal.pricing import AppraisedItem, Totals, appraise
from core.catalog import Catalog, Location
from core.chat.model import Footer, SourceAge
from core.chat.params import ArgumentError
from core.market.hubs import PLEX_REGION_ID, PLEX_TYPE_ID
from core.market.model import Quote, SnapshotMeta
from core.ports import StoreUnavailable
from core.usecases.market_data import missing_data, missing_text, never_ingested, region_snapshots
from core.usecases.market_services import MarketServices, orders_source, sources_data, station_of
from core.usecases.prices import plex_quote

SHOWN_ITEMS = 15
AVERAGES_SOURCE = "CCP average prices"
NOTHING = "Nothing in that paste is an item I know."


def appraisal_data(
    items: Sequence[AppraisedItem], totals: Totals, unparsed: list[dict[str, Any]], formats: list[str], location_id: int
) -> dict[str, Any]:
    """The machine-readable appraisal (the CLI prints exactly this with --json)."""
    return {
        "location_id": location_id,
        "formats": formats,
        "items": [
            {
                "type_id": i.type_id,
                "name": i.name,
                "quantity": i.quantity,
                "buy": i.buy,
                "sell": i.sell,
                "split": i.split,
                "total_buy": i.total_buy,
                "total_sell": i.total_sell,
                "total_split": i.total_split,
                "volume_m3": i.volume_m3,
                "price_source": i.price_source,
                "blueprint_copy": i.blueprint_copy,
                "buy_fill": i.buy_fill,
                "sell_fill": i.sell_fill,
                "buy_price_source": i.buy_price_source,
                "sell_price_source": i.sell_price_source,
            }
            for i in items
        ],
        "totals": {
            "buy": totals.buy,
            "sell": totals.sell,
            "split": totals.split,
            "volume_m3": totals.volume_m3,
            "quantity": totals.quantity,
        },
        "unparsed": unparsed,
    }


async def price_parsed(
    services: MarketServices, region_id: int, station_id: int, parsed: ParseResult
) -> tuple[list[AppraisedItem], Totals, dict[int, Quote]]:
    """Price parsed items at a station (PLEX on its global market, CCP's average for thin ones); also the quotes."""
    type_ids = sorted({item.item.type_id for item in parsed.items})
    quotes = await services.reader.quotes(region_id, station_id, type_ids)
    books = await services.reader.fillable_books(region_id, station_id, type_ids)  # what a player can fill there
    if PLEX_TYPE_ID in type_ids and (plex := await plex_quote(services)) is not None:
        quotes[PLEX_TYPE_ID] = plex  # PLEX has one global market, not a price per hub
        books[PLEX_TYPE_ID] = await services.reader.region_book(PLEX_REGION_ID, PLEX_TYPE_ID)
    averages = await services.averages.averages(type_ids) if services.averages and type_ids else {}
    items, totals = appraise(parsed, quotes, averages, books)
    return items, totals, quotes


@dataclass(frozen=True)
class Appraisal:
    """/appraise's answer: the priced items and totals, the lines nobody could read, and the permalink if shared."""

    place: Location
    station_id: int
    items: tuple[AppraisedItem, ...]
    totals: Totals
    unparsed: tuple[Mapping[str, Any], ...]  # {"line", "text", "reason"}
    formats: tuple[str, ...]
    quotes: Mapping[int, Quote]
    footer: Footer
    missing: tuple[int, ...] = ()  # the hub's region when never ingested (asked when no item had a quote)
    url: str | None = None  # the shared copy's permalink

    @property
    def title(self) -> str:
        """ "Appraisal at Jita IV - Moon 4 - Caldari Navy Assembly Plant"."""
        return f"Appraisal at {self.place.name}"

    @property
    def thin(self) -> bool:
        """Some item was priced at CCP's average (a thin market)."""
        return any(i.price_source == "ccp_average" for i in self.items)

    @property
    def no_market_data(self) -> bool:
        """Nothing was priced because the hub's region was never ingested."""
        return bool(self.items) and bool(self.missing) and not self.thin

    def text(self, console: bool) -> str:
        """The notes beside the figures: items left out, thin markets, missing data, unreadable lines."""
        if not self.items:
            return NOTHING + unparsed_text(self.unparsed)
        if self.no_market_data:
            return missing_text(self.missing, console)
        notes = [missing_text(self.missing, console)] if self.missing else []
        if len(self.items) > SHOWN_ITEMS:
            notes.append(f"{len(self.items) - SHOWN_ITEMS} more types in the data.")
        if self.thin:
            notes.append("* thin market: CCP's average price.")
        return (" ".join(notes) + unparsed_text(self.unparsed)).strip()

    def as_data(self) -> dict[str, Any]:
        """The machine-readable appraisal (README documents these keys), with id and url when shared."""
        unparsed = [dict(u) for u in self.unparsed]
        data = appraisal_data(self.items, self.totals, unparsed, list(self.formats), self.station_id)
        if self.footer.sources:
            data["sources"] = sources_data(self.footer)
        if self.no_market_data:
            return data | missing_data(self.missing)
        return {"id": self.url.rsplit("/", 1)[-1], "url": self.url} | data if self.url else data


async def appraisal_of(services: MarketServices, catalog: Catalog, paste: str, place: Location) -> Appraisal:
    """Parse the paste, price every item at the place's hub and store a shareable copy (ArgumentError: too large)."""
    try:
        parsed = parse_paste(
            paste, catalog, services.parsers, suggest=catalog.suggest, max_bytes=services.appraisal_max_bytes
        )
    except PasteTooLarge as exc:
        raise ArgumentError(f"paste: {exc}") from None
    region_id, station_id = station_of(place)
    items, totals, quotes = await price_parsed(services, region_id, station_id, parsed)
    unparsed = tuple({"line": u.line, "text": u.text, "reason": u.reason} for u in parsed.unparsed)
    result = Appraisal(
        place, station_id, tuple(items), totals, unparsed, tuple(parsed.formats), quotes, services.footer(None)
    )
    if not items:
        return result
    snapshots = await region_snapshots(services, [region_id]) if not quotes else {}
    result = replace(result, missing=never_ingested(snapshots))
    oldest = min((q.as_of for q in quotes.values()), default=None)
    result = replace(result, footer=services.footer(oldest, await _sources(services, result, region_id, snapshots)))
    if result.no_market_data:
        return result  # nothing priced: the missing market data is the answer
    url = await _share(services, place.name, oldest, result.as_data())
    return replace(result, url=url)


async def _sources(
    services: MarketServices, result: Appraisal, region_id: int, snapshots: Mapping[int, SnapshotMeta | None]
) -> list[SourceAge]:
    """The appraisal's sources and their ages: the region's orders (oldest quote priced, else its snapshot) unless
    the paste held only PLEX, PLEX's market when it held PLEX, and CCP's average prices when a thin market fell
    back on them."""
    sources = []
    if any(item.type_id != PLEX_TYPE_ID for item in result.items):
        hub_quotes = [quote.as_of for type_id, quote in result.quotes.items() if type_id != PLEX_TYPE_ID]
        if not hub_quotes and region_id not in snapshots:
            snapshots = await region_snapshots(services, [region_id])
        meta = snapshots.get(region_id)
        sources.append(orders_source(region_id, min(hub_quotes, default=meta.last_modified if meta else None)))
    if (plex := result.quotes.get(PLEX_TYPE_ID)) is not None:
        sources.append(orders_source(PLEX_REGION_ID, plex.as_of))
    if result.thin and services.averages is not None:
        sources.append(SourceAge(AVERAGES_SOURCE, await services.averages.fetched_at(), "average_prices"))
    return sources


async def _share(services: MarketServices, hub: str, priced_at: datetime | None, data: dict[str, Any]) -> str | None:
    """Store the appraisal and return its permalink, when the panel has a PUBLIC_URL (None while the store is down)."""
    if services.appraisals is None or not services.panel_url:
        return None
    try:
        stored = await services.appraisals.save(hub, priced_at, data)
    except StoreUnavailable:
        return None
    return f"{services.panel_url.rstrip('/')}/a/{stored.id}"


def unparsed_text(unparsed: Sequence[Mapping[str, Any]]) -> str:
    """The lines nobody could read, ten at most, after a blank line ("" when none)."""
    if not unparsed:
        return ""
    shown = "\n".join(f"line {u['line']}: {u['text'][:80]} ({u['reason']})" for u in unparsed[:10])
    more = f"\n… and {len(unparsed) - 10} more" if len(unparsed) > 10 else ""
    return f"\n\nLines I could not read:\n{shown}{more}"
