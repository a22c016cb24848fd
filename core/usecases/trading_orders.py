"""Trading use cases over the characters' orders and assets: reprice advice for every open order, assets valued at
a hub, and the sales-notice settings, each with the age of every source it read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from core.alerts.model import AlertTarget
from core.alerts.orders import book_key
from core.appraisal.model import ParsedItem, ParseResult
from core.appraisal.pricing import AppraisedItem, Totals
from core.catalog import Catalog, Location
from core.chat.model import Footer, SourceAge
from core.trading.book import CharacterError
from core.trading.notify import NOTICE_MODES, NoticeSettings
from core.trading.orders import OrderAdvice, TraderStore, advise
from core.trading.profile import FeeProfile
from core.usecases.appraisal import appraisal_data, price_parsed
from core.usecases.market_services import MarketServices, orders_source, sources_data, station_of
from core.usecases.trading import ages_footer, character_ages

MARKET_SOURCE = "ESI market data"


@dataclass(frozen=True)
class OpenOrders:
    """/orders' answer: advice for every open order (undercut first, then soonest expiry) and the sources' ages."""

    character: str | None  # the character asked for (None: all of them)
    advice: tuple[OrderAdvice, ...]
    ages: tuple[SourceAge, ...]  # each character's orders, then each market's book
    footer: Footer

    @property
    def undercut(self) -> list[OrderAdvice]:
        """The orders a competitor beats."""
        return [a for a in self.advice if a.position == "undercut"]

    @property
    def expiring(self) -> list[OrderAdvice]:
        """The orders ending within a day."""
        return [a for a in self.advice if a.expiring]

    @property
    def relist_undercut(self) -> float:
        """What relisting every undercut order at its reprice costs."""
        return sum(a.relist_fee or 0.0 for a in self.undercut)

    def as_data(self) -> dict[str, Any]:
        """`orders` (each order's advice) and `sources` (README documents them)."""
        return {"orders": [a.as_dict() for a in self.advice], "sources": sources_data(self.footer)}


async def open_orders(
    store: TraderStore,
    account_id: int,
    services: MarketServices,
    *,
    character: str | None = None,
    structure_fees: Mapping[int, float] | None = None,
) -> OpenOrders:
    """Advice for every open order of the account (or of one character, by name or id) at each character's fees.

    `structure_fees` maps a structure's id to its owner's broker rate: relist fees there use it plus SCC's surcharge.
    CharacterError names the account's characters when `character` has no open orders or is not one of them.
    """
    orders = every = await store.open_orders(account_id)
    fetched = await store.orders_fetched(account_id)
    if character is not None:
        wanted = character.strip().lower()
        orders = [o for o in every if o.character.lower() == wanted or str(o.character_id) == wanted]
        if not orders:
            names = ", ".join(sorted({o.character for o in every})) or "none with open orders"
            raise CharacterError(
                f"character: {character} has no open orders, or is not one of your characters ({names})"
            )
        fetched = [f for f in fetched if f.character_id == orders[0].character_id]
    books = await store.competitors([book_key(o.order) for o in orders], [o.order.order_id for o in every])
    profiles: dict[int, FeeProfile | None] = {}
    advice = []
    now = services.clock()
    for owned in orders:
        if owned.character_id not in profiles:
            profiles[owned.character_id] = await store.fee_profile(owned.character_id)
        profile = profiles[owned.character_id]
        skills = profile.skills_at(owned.order.location_id) if profile is not None else services.skills
        owner_rate = (structure_fees or {}).get(owned.order.location_id)
        fees = services.fees if owner_rate is None else replace(services.fees, structure_broker_rate=owner_rate)
        advice.append(advise(owned, books.best, skills, fees, now))
    advice.sort(key=lambda a: (a.position != "undercut", a.expires))
    characters = character_ages(
        "character_orders", "orders", {f.character_id: f.character for f in fetched},
        {f.character_id: f.as_of for f in fetched if f.as_of is not None},
    )  # fmt: skip
    markets = sorted({books.market_of[key] for o in orders if (key := book_key(o.order)) in books.market_of})
    ages = (*characters, *(orders_source(m, books.as_of.get(m)) for m in markets))
    return OpenOrders(character, tuple(advice), ages, ages_footer(MARKET_SOURCE, ages, services.simulated))


@dataclass(frozen=True)
class AssetValue:
    """/assets' answer: the stored assets of the account's characters valued at a hub, and the sources' ages."""

    place: Location
    characters: dict[int, str]  # whose assets were fetched (empty: none yet)
    items: list[AppraisedItem]
    totals: Totals | None
    station_id: int
    unpriced_units: int  # units of types not traded on the market (left out)
    ages: tuple[SourceAge, ...]  # each character's assets, then the hub's book
    footer: Footer | None

    def as_data(self) -> dict[str, Any]:
        """The appraisal's keys, `characters`, `unpriced_units` and `sources` (README documents them)."""
        if self.totals is None:
            return {"characters": {}, "items": [], "totals": None, "sources": sources_data(self.footer)}
        return appraisal_data(self.items, self.totals, [], [], self.station_id) | {
            "characters": {str(cid): name for cid, name in self.characters.items()},
            "unpriced_units": self.unpriced_units,
            "sources": sources_data(self.footer),
        }


async def asset_value(
    store: TraderStore, account_id: int, services: MarketServices, catalog: Catalog, place: Location
) -> AssetValue:
    """Every stored asset of the account's characters priced at `place` (its hub) as an appraisal prices a paste."""
    fetched = await store.assets_fetched(account_id)
    region_id, station_id = station_of(place)
    characters = {f.character_id: f.character for f in fetched}
    ages = tuple(character_ages("assets", "assets", characters, {f.character_id: f.as_of for f in fetched if f.as_of}))
    if not fetched:
        return AssetValue(place, {}, [], None, station_id, 0, (), None)
    counts: Counter[tuple[int, bool]] = Counter()
    unknown = 0
    for character_id in characters:
        for asset in await store.assets(character_id):
            if catalog.by_id(asset.type_id) is None:
                unknown += asset.quantity  # not a market type (e.g. a container's own item id): not priced
            else:
                counts[(asset.type_id, asset.is_blueprint_copy)] += asset.quantity
    parsed = ParseResult(
        items=[
            ParsedItem(item, quantity, 0, blueprint_copy=copy)
            for (type_id, copy), quantity in sorted(counts.items())
            if (item := catalog.by_id(type_id)) is not None
        ]
    )
    items, totals, quotes = await price_parsed(services, region_id, station_id, parsed)
    oldest = min((q.as_of for q in quotes.values()), default=None)
    ages += (orders_source(region_id, oldest),)
    footer = ages_footer(MARKET_SOURCE, ages, services.simulated)
    return AssetValue(place, characters, items, totals, station_id, unknown, ages, footer)


@dataclass(frozen=True)
class NoticeChoice:
    """/settings notices' answer: what sales notices announce now and where they go (None: nowhere yet)."""

    announce: str
    target: AlertTarget | None

    def as_data(self) -> dict[str, Any]:
        """`announce` and `target` (the target's kind, or null)."""
        return {"announce": self.announce, "target": None if self.target is None else self.target.kind.value}


async def set_notices(
    store: NoticeSettings, account_id: int, announce: str, target: AlertTarget | None = None
) -> NoticeChoice:
    """Save what sales notices announce ('off', 'sales' or 'all') and, when given, where they go.

    ValueError for another mode (nothing saved).
    """
    if announce not in NOTICE_MODES:
        raise ValueError(f"announce must be one of {', '.join(NOTICE_MODES)}")
    await store.set_notices(account_id, announce, target)
    return NoticeChoice(announce, await store.notice_target(account_id))
