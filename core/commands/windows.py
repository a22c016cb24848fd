"""/market open: show an item's market window in the caller's EVE client (the "Open in game" buttons run it)."""

from __future__ import annotations

from collections.abc import Iterable

from core.catalog import Catalog, CatalogItem
from core.chat.model import Button, Reply
from core.chat.params import ArgumentError, Param
from core.chat.registry import CommandContext, Registry
from core.digits import whole_number
from core.trading.windows import MarketWindows, WindowError
from core.usecases.accounts import AccountServices

OPEN_LABEL = "Open in game"
ITEM = Param("item", "Item name or type id", autocomplete="items")


def _windows(ctx: CommandContext) -> MarketWindows | None:
    services = ctx.accounts
    return services.windows if isinstance(services, AccountServices) else None


def _item(ctx: CommandContext, text: str) -> CatalogItem:
    """The item by type id (what buttons send) or by name, as other commands resolve it."""
    catalog = ctx.catalog
    if not isinstance(catalog, Catalog):
        raise RuntimeError("/market open needs the catalog")
    type_id = whole_number(text.strip(), max_digits=10)
    found = catalog.by_id(type_id) if type_id is not None else None
    return found if found is not None else catalog.item(text)


async def market_open(ctx: CommandContext, item: str) -> Reply:
    """Open the item's market window in the client of the caller's character allowed to (the trading one first)."""
    windows = _windows(ctx)
    if windows is None:
        raise ArgumentError("opening windows in game is not enabled on this evetrader (no EVE SSO configured)")
    if ctx.caller.account_id is None:
        raise ArgumentError("your account is not available right now; try again shortly")
    found = _item(ctx, item)
    try:
        character = await windows.open_market(ctx.caller.account_id, found.type_id)
    except WindowError as exc:
        raise ArgumentError(str(exc)) from None
    text = f"Opened {found.name} in {character}'s client."
    return Reply(title="Open in game", text=text, data={"type_id": found.type_id, "character": character})


async def open_buttons(ctx: CommandContext, type_ids: Iterable[int], limit: int = 10) -> list[Button]:
    """ "Open in game" buttons for these items (first `limit` distinct ones), when the caller's account has a
    character allowed to open windows; none otherwise."""
    windows, account = _windows(ctx), ctx.caller.account_id
    if windows is None or account is None or not await windows.can_open(account):
        return []
    wanted = list(dict.fromkeys(type_ids))[:limit]
    name_of = ctx.catalog.name_of if isinstance(ctx.catalog, Catalog) else None
    names = {t: (name_of(t) if name_of is not None else None) or f"type {t}" for t in wanted}
    return [Button(f"{OPEN_LABEL}: {names[t]}", action=f"market open {t}") for t in wanted]


def register_window_commands(registry: Registry) -> None:
    """Add /market open (private: it acts on the caller's own character)."""
    registry.command(
        "market open",
        "Open an item's market window in your EVE client",
        ITEM,
        examples=["/market open Tritanium", "/market open 34"],
        private=True,
    )(market_open)
