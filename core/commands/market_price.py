"""Price commands: /price (one item at one place), /compare (the five hubs), /history (chart and stats)."""

from __future__ import annotations

from core.catalog import Catalog, CatalogItem, Location
from core.chat.model import Field, Image, Reply, Table
from core.chat.params import Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.commands.no_data import missing_reply
from core.formatting import isk, percent, units
from core.market.hubs import PLEX_TYPE_ID
from core.market.structures import StructureMarket
from core.ports import StoreUnavailable
from core.usecases.accounts import AccountServices
from core.usecases.compare import compare_hubs
from core.usecases.market_data import on_console
from core.usecases.market_services import market_services, place_or_default
from core.usecases.prices import PriceQuote, price_history, price_quote

ITEM = Param("item", "Item name (fuzzy, e.g. trit, plex)", ParamKind.ITEM, autocomplete="items")
WHERE = Param(
    "where", "Hub, station or system (default: your hub)", ParamKind.LOCATION, required=False, autocomplete="locations"
)
DAYS = Param("days", "Days of history (7-365)", ParamKind.INT, required=False, default=90, min_value=7, max_value=365)


async def price(ctx: CommandContext, item: CatalogItem, where: Location | None = None) -> Reply:
    """/price: best sell and buy, spread, depth, percentiles, medians, data age (PLEX: the global market)."""
    return price_reply(ctx, await price_quote(market_services(ctx), item, place_or_default(ctx, where)))


def price_reply(ctx: CommandContext, result: PriceQuote) -> Reply:
    """/price's reply for a quote: its figures, or why there is none."""
    quote, stats, in_range, spread = result.quote, result.stats, result.in_range, result.spread
    text = result.text(on_console(ctx))
    if quote is None:
        return Reply(title=result.title, text=text, footer=result.footer, data=result.as_data())
    fields = [
        Field("Sell", f"{isk(quote.best_sell)} ({quote.sell_orders} orders, {units(quote.sell_volume)} units)"),
        Field("Buy", f"{isk(quote.best_buy)} ({quote.buy_orders} orders, {units(quote.buy_volume)} units)"),
        Field("Spread", f"{isk(spread)} ({percent(spread / quote.best_sell if spread and quote.best_sell else None)})"),
        Field("Depth within 5%", f"sell {units(quote.sell_depth)} · buy {units(quote.buy_depth)}"),
        Field("Percentile (1% sell / 99% buy)", f"{isk(quote.sell_percentile)} / {isk(quote.buy_percentile)}"),
        Field("Top 5% average", f"sell {isk(quote.sell_top5_avg)} · buy {isk(quote.buy_top5_avg)}"),
    ]
    if in_range is not None and in_range != quote.best_buy and result.item.type_id != PLEX_TYPE_ID:
        fields.insert(2, Field("Best buy reaching the station", isk(in_range)))
    if stats is not None:
        fields.append(Field("Median 5d / 30d", f"{isk(stats.median_5d)} / {isk(stats.median_30d)}"))
    return Reply(title=result.title, text=text, fields=fields, footer=result.footer, data=result.as_data())


async def compare(ctx: CommandContext, item: CatalogItem) -> Reply:
    """/compare: the five hubs, then the caller's structure markets, side by side; where to buy, where to sell."""
    result = await compare_hubs(market_services(ctx), item, await _own_structures(ctx))
    text, data = result.text(on_console(ctx)), result.as_data()
    if result.plex is not None:
        fields = price_reply(ctx, result.plex).fields
        return Reply(title=result.title, text=text, fields=fields, footer=result.footer, data=data)
    if not result.quotes:
        return Reply(title=result.title, text=text, footer=result.footer, data=data)
    rows = [
        [name, isk(q.best_sell), units(q.sell_volume), isk(q.best_buy), units(q.buy_volume)] for name, q in result.rows
    ]
    table = Table(["Market" if result.structures else "Hub", "Sell", "Sell vol", "Buy", "Buy vol"], rows, "lrrrr")
    return Reply(title=result.title, text=text, tables=[table], footer=result.footer, data=data)


async def _own_structures(ctx: CommandContext) -> list[StructureMarket]:
    """The caller's account's tracked structure markets (none: no account, structure markets not wired, or their
    store unreachable, when the hubs are still compared)."""
    services = ctx.accounts
    markets = services.structures if isinstance(services, AccountServices) else None
    account_id = ctx.caller.account_id if ctx.invocation is not None else None
    if markets is None or account_id is None:
        return []
    try:
        return await markets.of_account(account_id)
    except StoreUnavailable:
        return []


async def history(ctx: CommandContext, item: CatalogItem, where: Location | None = None, days: int = 90) -> Reply:
    """/history: a PNG chart of daily prices and volume, with trend and volatility."""
    services, place = market_services(ctx), place_or_default(ctx, where)
    region = ctx.catalog.region_name(place.history_region) if isinstance(ctx.catalog, Catalog) else None
    result = await price_history(services, item, place, days, region=region)
    title, stats = result.title, result.stats
    if not result.rows or stats is None:
        if result.note:
            return Reply(title=title, text=_joined(result.scope, result.note), footer=result.footer)
        if result.missing:
            return missing_reply(ctx, services, result.missing, title=title)
        return Reply(title=title, text=_joined(result.scope, "No history for it there yet."), footer=result.footer)
    images = []
    if services.charts is not None:
        png = await services.charts(
            list(result.rows), title=result.chart_title, days=days, region_id=result.region_id, type_id=item.type_id
        )
        images.append(
            Image(
                png, f"Daily average price and volume of {item.name}, last {days} days", f"{item.type_id}-history.png"
            )
        )
    fields = [
        Field("Median 5d / 30d", f"{isk(stats.median_5d)} / {isk(stats.median_30d)}"),
        Field("Avg daily volume (30d)", units(stats.avg_volume_30d)),
        Field("Trend (7d vs prior 7d)", "—" if stats.trend_7d_pct is None else f"{stats.trend_7d_pct:+.1f}%"),
        Field("Volatility (30d, daily)", percent(stats.volatility_30d)),
    ]
    text = _joined(result.scope, result.note)
    return Reply(title=title, text=text, fields=fields, images=images, footer=result.footer, data=result.as_data())


def _joined(*notes: str) -> str:
    """The notes that say something, one per line."""
    return "\n".join(note for note in notes if note)


def register_price_commands(registry: Registry) -> None:
    """Add /price, /compare and /history to a registry."""
    registry.command(
        "price",
        "Best sell and buy of an item at a hub or station",
        ITEM,
        WHERE,
        examples=["/price tritanium jita", "/price plex"],
        needs_account=False,
    )(price)
    registry.command(
        "compare",
        "An item at the five trade hubs (and your structure markets) side by side",
        ITEM,
        examples=["/compare large skill injector"],
        needs_account=False,
    )(compare)
    registry.command(
        "history",
        "Price-history chart of an item",
        ITEM,
        WHERE,
        DAYS,
        examples=["/history tritanium jita 90"],
        slow=True,
        chart=True,
        needs_account=False,
    )(history)
