"""/orders and /assets: the caller's open orders with reprice advice, and their characters' assets valued at a hub."""

from __future__ import annotations

from core.catalog import Catalog, Location
from core.chat.model import Field, Reply, Table
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.commands.alerts import alert_services, describe_target
from core.commands.windows import open_buttons
from core.formatting import isk, units
from core.trading.book import CharacterError
from core.trading.notify import NOTICE_MODES
from core.trading.orders import OrderAdvice, TraderStore
from core.usecases.accounts import AccountServices
from core.usecases.alert_targets import dm_target, here_target, mail_target
from core.usecases.market_services import market_services, place_or_default
from core.usecases.trading_orders import asset_value, open_orders, set_notices

TO = ("dm", "here", "mail")
SHOWN_ORDERS = 20
SHOWN_ASSETS = 15
NO_ORDERS = (
    "No open orders stored yet. Enable trading (/link trading) so evetrader can read your orders; they are"
    " refreshed every few minutes."
)


def _trader(ctx: CommandContext) -> tuple[TraderStore, int]:
    services = ctx.accounts
    if not isinstance(services, AccountServices) or services.trader is None:
        raise ArgumentError("trading features are not enabled on this evetrader (no EVE SSO configured)")
    if ctx.caller.account_id is None:
        raise ArgumentError("your account is not available right now; try again shortly")
    return services.trader, ctx.caller.account_id


def _name(ctx: CommandContext, type_id: int) -> str:
    name_of = getattr(ctx.catalog, "name_of", None)
    return (name_of(type_id) if callable(name_of) else None) or f"type {type_id}"


def _position(a: OrderAdvice) -> str:
    if a.position == "top":
        return "on top"
    if a.position == "unknown":
        return "no book"
    return f"-{a.ticks} tick{'s' if a.ticks != 1 else ''} ({isk(a.competitor)})"


def _owner_fees(ctx: CommandContext) -> dict[int, float]:
    """The tracked structures' owner broker rates by structure id (those set with /market fee)."""
    structures = getattr(ctx.catalog, "structures", None)
    places = structures() if callable(structures) else []
    return {p.station_id: p.broker_fee for p in places if p.station_id is not None and p.broker_fee is not None}


async def orders(ctx: CommandContext, character: str | None = None) -> Reply:
    """Every open order: on top or undercut (by how many ticks, at what price), the reprice, its relist fee, expiry."""
    store, account = _trader(ctx)
    try:
        answer = await open_orders(
            store, account, market_services(ctx), character=character, structure_fees=_owner_fees(ctx)
        )
    except CharacterError as exc:
        raise ArgumentError(str(exc)) from None
    title = f"Open orders ({character or 'all characters'})"
    advice, data, footer = answer.advice, answer.as_data(), answer.footer
    if not advice:
        return Reply(title=title, text=NO_ORDERS, data=data, footer=footer)
    rows = [
        [
            _name(ctx, a.owned.order.type_id),
            "buy" if a.owned.order.is_buy_order else "sell",
            isk(a.owned.order.price),
            units(a.owned.order.volume_remain),
            _position(a),
            isk(a.reprice) if a.reprice is not None else "",
            isk(a.relist_fee) if a.relist_fee is not None else "",
            a.expires.strftime("%m-%d %H:%M") + (" !" if a.expiring else ""),
        ]
        for a in advice[:SHOWN_ORDERS]
    ]
    table = Table(["Item", "Side", "Price", "Left", "Position", "Reprice", "Relist fee", "Expires"], rows, "llrrlrrl")
    fields = [
        Field("Open", units(len(advice))),
        Field("Undercut", units(len(answer.undercut))),
        Field("Expiring within a day", units(len(answer.expiring))),
        Field("Relisting all undercut", isk(answer.relist_undercut)),
    ]
    lines = ["Undercut orders first; a reprice beats the best competitor by one tick, fees at your own skills."]
    if len(advice) > SHOWN_ORDERS:
        lines.append(f"{len(advice) - SHOWN_ORDERS} more orders in the data.")
    buttons = await open_buttons(ctx, [a.owned.order.type_id for a in advice[:SHOWN_ORDERS]])
    return Reply(
        title=title, text=" ".join(lines), fields=fields, tables=[table], buttons=buttons, data=data, footer=footer
    )


async def assets(ctx: CommandContext, hub: Location | None = None) -> Reply:
    """The stored assets of the caller's characters valued at a hub: buy, sell and split, the top items, totals."""
    store, account = _trader(ctx)
    catalog = ctx.catalog
    if not isinstance(catalog, Catalog):
        raise RuntimeError("/assets needs the catalog")
    answer = await asset_value(store, account, market_services(ctx), catalog, place_or_default(ctx, hub))
    title = f"Assets at {answer.place.name} prices"
    totals, items = answer.totals, answer.items
    if totals is None:
        text = "No assets stored yet: enable trading (/link trading) so evetrader can read your characters' assets."
        return Reply(title=title, text=text, data=answer.as_data())
    rows = [[i.name, units(i.quantity), isk(i.sell), isk(i.total_sell)] for i in items[:SHOWN_ASSETS]]
    fields = [
        Field("Sell value", isk(totals.sell)),
        Field("Buy value", isk(totals.buy)),
        Field("Split", isk(totals.split)),
        Field("Items", f"{totals.quantity:,} in {len(items)} types"),
    ]
    lines = [f"Characters: {', '.join(answer.characters.values())}."]
    if len(items) > SHOWN_ASSETS:
        lines.append(f"{len(items) - SHOWN_ASSETS} more types in the data.")
    if answer.unpriced_units:
        lines.append(f"{units(answer.unpriced_units)} units of types not traded on the market are left out.")
    table = Table(["Item", "Qty", "Sell each", "Sell total"], rows, "lrrr")
    return Reply(
        title=title, text=" ".join(lines), fields=fields, tables=[table], data=answer.as_data(), footer=answer.footer
    )


def register_trading_order_commands(registry: Registry) -> None:
    """Add /orders and /assets (private: the caller's own characters)."""
    registry.command(
        "orders",
        "Your open orders: undercut or on top, reprice and relist fee",
        Param("character", "One of your characters (default: all)", required=False),
        examples=["/orders", "/orders Trader One"],
        private=True,
    )(orders)
    registry.command(
        "assets",
        "Your characters' assets valued at a hub",
        Param(
            "hub", "Hub to price at (default: your hub)", ParamKind.LOCATION, required=False, autocomplete="locations"
        ),
        examples=["/assets", "/assets amarr"],
        private=True,
        slow=True,
    )(assets)
    register_notice_settings(registry)


async def settings_notices(ctx: CommandContext, announce: str, to: str | None = None) -> Reply:
    """Turn sales notices off, keep them to sales, or also announce buys; optionally choose where they go."""
    services = ctx.accounts
    if not isinstance(services, AccountServices) or services.notices is None:
        raise ArgumentError("trading features are not enabled on this evetrader (no EVE SSO configured)")
    if ctx.caller.account_id is None:
        raise ArgumentError("your account is not available right now; try again shortly")
    account = ctx.caller.account_id
    target = None
    if to == "mail":
        target = await mail_target(alert_services(ctx)[0], account)
    elif to is not None:
        target = here_target(ctx.caller) if to == "here" else dm_target(ctx.caller)
    choice = await set_notices(services.notices, account, announce, target)
    said = {"off": "Sales notices are off.", "sales": "Sales notices are on.", "all": "Sales and buy notices are on."}
    text, where = said[choice.announce], choice.target
    if choice.announce != "off":
        text += f" They go to {describe_target(where, ctx.caller)}." if where else " Link a chat first: /link."
    return Reply(title="Trade notices", text=text, data=choice.as_data())


def register_notice_settings(registry: Registry) -> None:
    """Add /settings notices (the caller's own account)."""
    registry.command(
        "settings notices",
        "Sales notices: off, sales, or all (sales and buys); to: dm, here or mail",
        Param("announce", "off, sales or all", ParamKind.CHOICE, choices=NOTICE_MODES),
        Param("to", "Where they go: dm (default), here or mail", ParamKind.CHOICE, choices=TO, required=False),
        examples=["/settings notices off", "/settings notices all here"],
        private=True,
    )(settings_notices)
