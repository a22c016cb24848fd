"""The market group browser's use case: a group's sub-groups, or one page of its items with their hub prices."""

from __future__ import annotations

from dataclasses import dataclass

from core.catalog import Catalog, CatalogItem, Location
from core.catalog_groups import MarketGroup, UnknownGroup
from core.chat.model import Footer
from core.market.model import Quote
from core.usecases.market_services import MarketServices, orders_source, sources_data, station_of

PAGE_SIZE = 20


class BrowseRefused(Exception):
    """The browser cannot answer: no groups imported, no such group, or no such page (`usage`: the usage line helps)."""

    def __init__(self, message: str, *, usage: bool) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class GroupPage:
    """/browse's answer: the group (None: the top), its sub-groups, and one page of its items priced at a hub."""

    group: MarketGroup | None
    path: str  # "Ships > Frigates" ("" at the top)
    children: tuple[MarketGroup, ...]
    items: tuple[tuple[CatalogItem, Quote | None], ...]  # this page's items and their quotes at the hub
    page: int
    pages: int
    hub: Location | None  # where the items are priced (None when the page lists no item)
    station_id: int | None
    footer: Footer | None

    @property
    def next_page(self) -> str | None:
        """The command that opens the next page of items (None on the last)."""
        return f"browse {self.path} page={self.page + 1}" if self.items and self.page < self.pages else None

    def as_data(self) -> dict[str, object]:
        """The machine-readable form (README documents these keys)."""
        found = self.group
        data: dict[str, object] = {
            "group": {"market_group_id": found.market_group_id, "name": found.name, "path": self.path}
            if found
            else None,
            "children": [
                {"market_group_id": g.market_group_id, "name": g.name, "type_count": g.type_count}
                for g in self.children
            ],
            "items": [],
            "page": self.page,
            "pages": self.pages,
        }
        if self.items:
            listed = [
                {
                    "type_id": item.type_id,
                    "name": item.name,
                    "best_buy": quote.best_buy if quote else None,
                    "best_sell": quote.best_sell if quote else None,
                }
                for item, quote in self.items
            ]
            data |= {"items": listed, "location_id": self.station_id, "sources": sources_data(self.footer)}
        return data


async def browse_group(
    services: MarketServices, catalog: Catalog, group: str | None, page: int, hub_name: str | None
) -> GroupPage:
    """The top market groups, a group's sub-groups with item counts, or a page of its items priced at the hub
    named `hub_name` (None: the catalog's default); BrowseRefused when it cannot answer."""
    tree = catalog.groups
    if not len(tree):
        raise BrowseRefused("No market groups are imported yet: run `evetrader sde import` first.", usage=False)
    found: MarketGroup | None = None
    if group:
        try:
            found = tree.group(group)
        except UnknownGroup as error:
            raise BrowseRefused(str(error), usage=True) from None
    path = tree.path(found.market_group_id) if found else ""
    children = tuple(tree.children(found.market_group_id if found else None))
    type_ids = tree.types_in(found.market_group_id) if found else []
    items = sorted((item for t in type_ids if (item := catalog.by_id(t))), key=lambda item: item.name.lower())
    pages = max(1, -(-len(items) // PAGE_SIZE))
    if page > pages:
        raise BrowseRefused(f"{path} has {pages} page{'s' if pages > 1 else ''} of items", usage=True)
    shown = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    if not shown:
        return GroupPage(found, path, children, (), page, pages, None, None, None)
    hub = catalog.location(hub_name)
    region_id, station_id = station_of(hub)
    quotes = await services.reader.quotes(region_id, station_id, [item.type_id for item in shown])
    meta = await services.reader.snapshot(region_id)
    as_of = meta.last_modified if meta else None
    footer = services.footer(as_of, [orders_source(region_id, as_of)])
    priced = tuple((item, quotes.get(item.type_id)) for item in shown)
    return GroupPage(found, path, children, priced, page, pages, hub, station_id, footer)
