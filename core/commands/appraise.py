"""/appraise: value anything a player pastes at a hub, and say exactly which lines could not be read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from core.appraisal.model import ParseResult, PasteParser
from core.appraisal.parse import PasteTooLarge, parse_paste, size_problem
from core.appraisal.pricing import AppraisedItem, Totals, appraise
from core.catalog import Catalog, Location
from core.chat.model import Field, Reply, Table
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.commands.no_data import missing_market_data
from core.formatting import isk, units
from core.market.hubs import PLEX_REGION_ID, PLEX_TYPE_ID
from core.market.model import Quote
from core.ports import StoreUnavailable
from core.usecases.market_services import MarketServices, market_services, place_or_default, station_of
from core.usecases.prices import plex_quote

SHOWN_ITEMS = 15
SOURCE_MARK = {"hub": "", "ccp_average": " *", "none": " ?", "blueprint_copy": " (copy)"}


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


async def appraise_paste(ctx: CommandContext, paste: str, where: Location | None = None) -> Reply:
    """/appraise: parse the paste, price every item at the hub, list the lines nobody could read."""
    services, place = market_services(ctx), place_or_default(ctx, where)
    catalog = ctx.catalog
    if not isinstance(catalog, Catalog):
        raise RuntimeError("/appraise needs the catalog")
    parsers: Sequence[PasteParser] = services.parsers
    try:
        parsed = parse_paste(paste, catalog, parsers, suggest=catalog.suggest, max_bytes=services.appraisal_max_bytes)
    except PasteTooLarge as exc:
        raise ArgumentError(f"paste: {exc}") from None
    region_id, station_id = station_of(place)
    items, totals, quotes = await price_parsed(services, region_id, station_id, parsed)
    unparsed = [{"line": u.line, "text": u.text, "reason": u.reason} for u in parsed.unparsed]
    data = appraisal_data(items, totals, unparsed, parsed.formats, station_id)
    title = f"Appraisal at {place.name}"
    if not items:
        text = "Nothing in that paste is an item I know." + _unparsed_text(unparsed)
        return Reply(title=title, text=text, data=data, is_error=False, footer=services.footer(None))
    rows = [
        [f"{i.name}{SOURCE_MARK[i.price_source]}", units(i.quantity), isk(i.sell), isk(i.total_sell)]
        for i in items[:SHOWN_ITEMS]
    ]
    fields = [
        Field("Sell value", isk(totals.sell)),
        Field("Buy value", isk(totals.buy)),
        Field("Split", isk(totals.split)),
        Field("Volume", f"{totals.volume_m3:,.2f} m3"),
        Field("Items", f"{totals.quantity:,} in {len(items)} types"),
    ]
    notes = []
    if len(items) > SHOWN_ITEMS:
        notes.append(f"{len(items) - SHOWN_ITEMS} more types in the data.")
    if any(i.price_source == "ccp_average" for i in items):
        notes.append("* thin market: CCP's average price.")
    if not quotes and (empty := await missing_market_data(ctx, [region_id], title=title, data=data)):
        if not any(i.price_source == "ccp_average" for i in items):
            return empty  # nothing priced: the missing market data is the answer
        notes.insert(0, empty.text)
    text = " ".join(notes) + _unparsed_text(unparsed)
    oldest = min((q.as_of for q in quotes.values()), default=None)
    if (url := await _share(services, place.name, oldest, data)) is not None:
        fields.append(Field("Link", url))
        data = {"id": url.rsplit("/", 1)[-1], "url": url} | data
    table = Table(["Item", "Qty", "Sell each", "Sell total"], rows, "lrrr")
    return Reply(
        title=title, text=text.strip(), fields=fields, tables=[table], data=data, footer=services.footer(oldest)
    )


async def _share(services: MarketServices, hub: str, priced_at: datetime | None, data: dict[str, Any]) -> str | None:
    """Store the appraisal and return its permalink, when the panel has a PUBLIC_URL (None while the store is down)."""
    if services.appraisals is None or not services.panel_url:
        return None
    try:
        stored = await services.appraisals.save(hub, priced_at, data)
    except StoreUnavailable:
        return None
    return f"{services.panel_url.rstrip('/')}/a/{stored.id}"


def paste_file_problem(filename: str, content_type: str | None, size: int | None, max_bytes: int) -> str | None:
    """Why a file sent as a paste is refused before downloading it (not a .txt of plain text, over the paste
    limit), or None; the same size message as a typed paste."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if not filename.lower().endswith(".txt") or media not in ("", "text/plain"):
        return "paste: send the paste as a .txt file (plain text), or paste it as text"
    if size is not None and (too_large := size_problem(size, max_bytes)) is not None:
        return f"paste: {too_large}"
    return None


def paste_of_file(data: bytes, max_bytes: int) -> str:
    """The text of a downloaded .txt paste; ArgumentError when it is over the paste limit or not UTF-8 text."""
    if (too_large := size_problem(len(data), max_bytes)) is not None:
        raise ArgumentError(f"paste: {too_large}")
    try:
        return data.decode("utf-8-sig")  # Windows editors start UTF-8 files with a byte order mark
    except UnicodeDecodeError:
        raise ArgumentError("paste: the file is not UTF-8 text") from None


def _unparsed_text(unparsed: list[dict[str, Any]]) -> str:
    if not unparsed:
        return ""
    shown = "\n".join(f"line {u['line']}: {u['text'][:80]} ({u['reason']})" for u in unparsed[:10])
    more = f"\n… and {len(unparsed) - 10} more" if len(unparsed) > 10 else ""
    return f"\n\nLines I could not read:\n{shown}{more}"


def register_appraise_command(registry: Registry) -> None:
    """Add /appraise."""
    registry.command(
        "appraise",
        "Value a paste: cargo, contract, fit, killmail, loot, ledger...",
        Param("paste", "What you copied from the game", ParamKind.PASTE),
        Param(
            "where",
            "Hub to price at (default: your hub)",
            ParamKind.LOCATION,
            required=False,
            autocomplete="locations",
            positional=False,
        ),
        examples=["/appraise 100 Tritanium", "/appraise where=amarr <paste>"],
        slow=True,  # a 20,000-line paste takes a while
    )(appraise_paste)
