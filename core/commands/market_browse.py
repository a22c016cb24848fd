"""/browse: walk the market group tree; at a group holding items, their best buy and sell at the caller's hub."""

from __future__ import annotations

from core.catalog import Catalog
from core.catalog_groups import UnknownGroup
from core.chat.model import Button, Reply, Table
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.formatting import isk
from core.usecases.browse import BrowseRefused, browse_group
from core.usecases.market_services import market_services

USAGE = "/browse [market group] [page=…]"


GROUP = Param(
    "group", "Only items under this market group (e.g. frigates, combat drones)", required=False, positional=False
)
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


async def browse(ctx: CommandContext, group: str | None = None, page: int = 1) -> Reply:
    """/browse: the top market groups, a group's sub-groups with item counts, or its items priced at your hub."""
    services = market_services(ctx)
    catalog = ctx.catalog
    if not isinstance(catalog, Catalog):
        raise RuntimeError("/browse needs the catalog")
    try:
        result = await browse_group(services, catalog, group, page, ctx.default_hub)
    except BrowseRefused as refused:
        return Reply.error(str(refused), USAGE if refused.usage else None)
    tables = []
    if result.children:
        tables.append(Table(["Group", "Items"], [[g.name, f"{g.type_count:,}"] for g in result.children], "lr"))
    if result.items and result.hub is not None:
        rows = [
            [item.name, isk(q.best_buy if q else None), isk(q.best_sell if q else None)] for item, q in result.items
        ]
        tables.append(Table(["Item", f"Buy ({result.hub.name.split()[0]})", "Sell"], rows, "lrr"))
    buttons = [Button("Next page", action=action)] if (action := result.next_page) else []
    found, pages = result.group, result.pages
    if found is None:
        text = "Market groups; `/browse <group>` opens one (a path like `ships > frigates` picks among namesakes)."
    else:
        counted = f"{found.type_count:,} item{'s' if found.type_count != 1 else ''}"
        paging = f", page {page} of {pages}" if pages > 1 else ""
        text = f"{counted}{paging}."
    return Reply(
        title=result.path or "Market",
        text=text,
        tables=tables,
        buttons=buttons,
        data=result.as_data(),
        footer=result.footer,
    )


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
