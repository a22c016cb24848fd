"""/watch add|list|remove|digest: the watchlist and its daily digest from chat (core/usecases/watchlist.py)."""

from __future__ import annotations

from core.alerts.model import RuleError
from core.catalog import CatalogItem
from core.chat.model import Reply
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.commands.alerts import alert_services, describe_target
from core.market.hubs import hubs_in_region
from core.usecases.alert_targets import personal_target
from core.usecases.market_services import place_or_default
from core.usecases.watchlist import NotWatched, set_digest, unwatch_item, watch_item, watchlist_of


def _region_of_hub(ctx: CommandContext) -> int | None:
    place = place_or_default(ctx, None)
    return place.region_id if hubs_in_region(place.region_id) else None


async def watch_add(ctx: CommandContext, item: CatalogItem) -> Reply:
    """Put an item on the caller's watchlist (its prices appear in the daily digest)."""
    services, account = alert_services(ctx)
    try:
        added = (await watch_item(services.watchlist, account, item.type_id, _region_of_hub(ctx))).changed
    except RuleError as exc:
        raise ArgumentError(str(exc)) from None
    text = f"Watching {item.name}." if added else f"{item.name} is already on your watchlist."
    return Reply(title="Watchlist", text=text, data={"type_id": item.type_id, "added": added})


async def watch_list(ctx: CommandContext) -> Reply:
    """The caller's watchlist and daily digest setting."""
    services, account = alert_services(ctx)
    watched = await watchlist_of(services.watchlist, account)
    digest = watched.digest
    status = f"Daily digest: on at {digest.hour:02d}:00 your time" if digest.enabled else "Daily digest: off"
    names = [services.item_name(item.type_id) for item in watched.items]
    text = "\n".join([*(f"- {name}" for name in names), status]) if names else f"Your watchlist is empty.\n{status}"
    data = {"items": [item.type_id for item in watched.items], "digest": digest.enabled}
    return Reply(title="Watchlist", text=text, data=data)


async def watch_remove(ctx: CommandContext, item: CatalogItem) -> Reply:
    """Take an item off the caller's watchlist."""
    services, account = alert_services(ctx)
    try:
        await unwatch_item(services.watchlist, account, item.type_id)
    except NotWatched:
        raise ArgumentError(f"item: {item.name} is not on your watchlist") from None
    return Reply(title="Watchlist", text=f"Stopped watching {item.name}.")


async def watch_digest(ctx: CommandContext, enabled: str, hour: int | None = None) -> Reply:
    """Turn the daily digest (to the caller's DM, at a local hour) on or off."""
    services, account = alert_services(ctx)
    on = enabled == "on"
    to = await personal_target(services, account, ctx.caller) if on else None
    try:
        changed = await set_digest(services.watchlist, services.rules, account, on, hour, to)
    except RuleError as exc:
        raise ArgumentError(str(exc)) from None
    where = describe_target(to, ctx.caller) if to else ""
    hour_set = changed.settings.hour
    text = (
        f"Daily digest on: every day at {hour_set:02d}:00 {changed.timezone}, to {where}."
        if on
        else "Daily digest off."
    )
    return Reply(title="Watchlist", text=text, data={"enabled": on, "hour": hour_set})


def register_watch_commands(registry: Registry) -> None:
    """Add /watch add|list|remove|digest."""
    item = Param("item", "Item name", ParamKind.ITEM, autocomplete="items")
    registry.group("watch", "Your watchlist and its daily digest", private=True)
    registry.command("watch add", "Watch an item (daily digest prices)", item)(watch_add)
    registry.command("watch list", "Your watchlist")(watch_list)
    registry.command("watch remove", "Stop watching an item", item)(watch_remove)
    registry.command(
        "watch digest",
        "Daily digest of your watchlist to your DM, on or off",
        Param("enabled", "on or off", ParamKind.CHOICE, choices=("on", "off")),
        Param("hour", "Local hour to send it (0-23, default 8)", ParamKind.INT, False, min_value=0, max_value=23),
        examples=["/watch digest on 8"],
    )(watch_digest)
