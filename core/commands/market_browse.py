"""/browse: walk the market group tree; at a group holding items, their best buy and sell at the caller's hub."""

from __future__ import annotations

from core.catalog import Catalog
from core.catalog_groups import MarketGroup, UnknownGroup
from core.chat.model import Button, Reply, Table
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.formatting import isk
from core.usecases.market_services import market_services, place_or_default, station_of

PAGE_SIZE = 20
USAGE = "/browse [market group] [page=…]"


GROUP = Param("group", "Only items under this market group (e.g. frigates, minerals)", required=False, positional=False)
CATEGORY = Param("category", "Only items of this category (e.g. ships, modules)", required=False, positional=False)


def type_filter(ctx: CommandContext, group: str | None, category: str | None) -> frozenset[int] | None:
    """The types a finder may list under `group=` and `category=` (both: both hold), None when unfiltered."""
    if not group and not category:
        return None
    catalog = ctx.catalog
    if not isinstance(catalog, Catalog):
        raise RuntimeError("group= and category= need the catalog")
    allowed: frozenset[int] | None = None
    for name, query, lookup in (
        ("group", group, catalog.groups.group_types),
        ("category", category, catalog.groups.category_types),
    ):
        if query:
            try:
                found = lookup(query)
            except UnknownGroup as error:
                raise ArgumentError(f"{name}: {error}") from None
            allowed = found if allowed is None else allowed & found
    return allowed


def _child_rows(children: list[MarketGroup]) -> list[dict[str, object]]:
    """The data form of a group list."""
    return [{"market_group_id": g.market_group_id, "name": g.name, "type_count": g.type_count} for g in children]


async def browse(ctx: CommandContext, group: str | None = None, page: int = 1) -> Reply:
    """/browse: the top market groups, a group's sub-groups with item counts, or its items priced at your hub."""
    services = market_services(ctx)
    catalog = ctx.catalog
    if not isinstance(catalog, Catalog):
        raise RuntimeError("/browse needs the catalog")
    tree = catalog.groups
    if not len(tree):
        return Reply.error("No market groups are imported yet: run `evetrader sde import` first.")
    found: MarketGroup | None = None
    if group:
        try:
            found = tree.group(group)
        except UnknownGroup as error:
            return Reply.error(str(error), USAGE)
    path = tree.path(found.market_group_id) if found else ""
    children = tree.children(found.market_group_id if found else None)
    type_ids = tree.types_in(found.market_group_id) if found else []
    items = sorted((item for t in type_ids if (item := catalog.by_id(t))), key=lambda item: item.name.lower())
    pages = max(1, -(-len(items) // PAGE_SIZE))
    if page > pages:
        return Reply.error(f"{path} has {pages} page{'s' if pages > 1 else ''} of items", USAGE)
    shown = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    data: dict[str, object] = {
        "group": {"market_group_id": found.market_group_id, "name": found.name, "path": path} if found else None,
        "children": _child_rows(children),
        "items": [],
        "page": page,
        "pages": pages,
    }
    tables = []
    if children:
        tables.append(Table(["Group", "Items"], [[g.name, f"{g.type_count:,}"] for g in children], "lr"))
    footer = None
    buttons: list[Button] = []
    if shown:
        hub = place_or_default(ctx, None)
        region_id, station_id = station_of(hub)
        quotes = await services.reader.quotes(region_id, station_id, [item.type_id for item in shown])
        rows, listed = [], []
        for item in shown:
            quote = quotes.get(item.type_id)
            best_buy, best_sell = (quote.best_buy, quote.best_sell) if quote else (None, None)
            rows.append([item.name, isk(best_buy), isk(best_sell)])
            listed.append({"type_id": item.type_id, "name": item.name, "best_buy": best_buy, "best_sell": best_sell})
        tables.append(Table(["Item", f"Buy ({hub.name.split()[0]})", "Sell"], rows, "lrr"))
        data |= {"items": listed, "location_id": station_id}
        meta = await services.reader.snapshot(region_id)
        footer = services.footer(meta.last_modified if meta else None)
        if page < pages:
            buttons.append(Button("Next page", action=f"browse {path} page={page + 1}"))
    if found is None:
        text = "Market groups; `/browse <group>` opens one (a path like `ships > frigates` picks among namesakes)."
    else:
        counted = f"{found.type_count:,} item{'s' if found.type_count != 1 else ''}"
        paging = f", page {page} of {pages}" if pages > 1 else ""
        text = f"{counted}{paging}."
    return Reply(title=path or "Market", text=text, tables=tables, buttons=buttons, data=data, footer=footer)


def register_browse_command(registry: Registry) -> None:
    """Add /browse."""
    registry.command(
        "browse",
        "Walk the market groups; items with prices at your hub",
        Param("group", "Market group name or path (e.g. frigates, ships > frigates)", required=False),
        Param(
            "page", "Page of items (20 a page)", ParamKind.INT, required=False, default=1, min_value=1, positional=False
        ),
        examples=["/browse", "/browse minerals", "/browse ships > frigates > standard frigates > minmatar"],
    )(browse)
