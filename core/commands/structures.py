"""/market add|list|remove|fee: renders core/usecases/structures.py's results (the caller's structure markets)."""

from __future__ import annotations

from core.accounts.sso import SsoError
from core.chat.model import Reply, Table
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.market.structures import StructureError, StructureMarket
from core.usecases.accounts import AccountServices
from core.usecases.structures import StructureMarkets, market_data, publish

STRUCTURE = Param("structure", "Structure name or id")
FEE = Param("fee", "The owner's broker fee in percent (SCC's 0.5% is added on top)", ParamKind.FLOAT, min_value=0)


def _services(ctx: CommandContext) -> tuple[StructureMarkets, int]:
    services = ctx.accounts
    found = services.structures if isinstance(services, AccountServices) else None
    if found is None:
        raise ArgumentError("structure markets are not enabled on this evetrader (no EVE SSO configured)")
    if ctx.caller.account_id is None:
        raise ArgumentError("your account is not available right now; try again shortly")
    return found, ctx.caller.account_id


def _fee(market: StructureMarket) -> str:
    return "not set" if market.broker_fee is None else f"{market.broker_fee * 100:.2f}%"


async def market_add(ctx: CommandContext, structure: str) -> Reply:
    """Track a structure's market with one of the caller's characters (docking and market access checked)."""
    markets, account = _services(ctx)
    try:
        added = await markets.add(account, structure)
    except (StructureError, SsoError) as exc:
        raise ArgumentError(str(exc)) from None
    await publish(ctx.catalog, markets)
    text = (
        f"Added {added.name}. Its orders are fetched every 5 minutes with your character's token; the first"
        f" refresh takes a few minutes. Then: /price <item> {added.name}. Set the owner's broker fee with"
        " /market fee. Everyone on this evetrader can price at it."
    )
    return Reply(title="Structure markets", text=text, data={"added": market_data(added)})


async def market_list(ctx: CommandContext) -> Reply:
    """The caller's tracked structure markets."""
    markets, account = _services(ctx)
    tracked = await markets.list(account)
    if not tracked.markets:
        return Reply(
            title="Structure markets", text="None yet: /market add <structure name or id>.", data={"markets": []}
        )
    rows = [[t.market.name, str(t.market.structure_id), _fee(t.market)] for t in tracked.markets]
    table = Table(["Structure", "ID", "Broker fee"], rows, "lrr")
    return Reply(title="Structure markets", tables=[table], data=tracked.as_data())


async def market_remove(ctx: CommandContext, structure: str) -> Reply:
    """Stop tracking one of the caller's structure markets (its stored orders are dropped)."""
    markets, account = _services(ctx)
    try:
        removed = await markets.remove(account, structure)
    except StructureError as exc:
        raise ArgumentError(str(exc)) from None
    await publish(ctx.catalog, markets)
    return Reply(title="Structure markets", text=f"Removed {removed.name}.", data={"removed": market_data(removed)})


async def market_fee(ctx: CommandContext, structure: str, fee: float) -> Reply:
    """Set the owner's broker fee of one of the caller's structure markets."""
    markets, account = _services(ctx)
    try:
        changed = await markets.set_fee(account, structure, fee)
    except StructureError as exc:
        raise ArgumentError(str(exc)) from None
    await publish(ctx.catalog, markets)  # trade finders and reprice advice at it use the new fee at once
    text = f"{changed.name}: the owner's broker fee is {_fee(changed)} (plus SCC's surcharge)."
    return Reply(title="Structure markets", text=text, data={"changed": market_data(changed)})


def register_structure_commands(registry: Registry) -> None:
    """Add the /market group: add, list, remove and fee (private: the caller's characters and structures)."""
    registry.group("market", "Player-structure markets your characters trade at", private=True)
    registry.command(
        "market add", "Track a structure's market", STRUCTURE, examples=["/market add Perimeter - Tranquility"]
    )(market_add)
    registry.command("market list", "Your tracked structure markets")(market_list)
    registry.command("market remove", "Stop tracking a structure market", STRUCTURE)(market_remove)
    registry.command("market fee", "Set a structure owner's broker fee", STRUCTURE, FEE)(market_fee)
