"""EsiFake: a local aiohttp server speaking ESI's market routes, with snapshots, limits and faults."""

from __future__ import annotations

import asyncio
import functools
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web

from ..local_server import LocalServer
from . import characters, control, profile, route_map, routes, structures, types_route, ui, wallet
from .catalog import DEFAULT_REGIONS, DEFAULT_TYPE_IDS, TypeInfo, type_info
from .data import DAY, BookGenerator
from .faults import Faults
from .limits import ErrorBudget, RateBucket
from .pipeline import Handler, RecordedRequest, dispatch, interruptible_sleep
from .snapshot import Body, Snapshot


class EsiFake(LocalServer):
    """A protocol-faithful ESI market fake on 127.0.0.1 with deterministic books and switchable faults."""

    def __init__(
        self,
        *,
        regions: dict[int, int] | None = None,
        cache_seconds: int = 300,
        seed: int = 1,
        type_ids: Sequence[int] | None = None,
        auto_refresh: bool = False,
        weak_etags: bool = False,
        error_limit: int = 100,
        error_window_s: float = 60.0,
        rate_limit: int = 12000,
        rate_window_s: int = 900,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Configure the fake; books are generated on start() (or on first use)."""
        super().__init__()
        self.clock: Callable[[], float] = clock or time.time
        self.region_sizes = dict(DEFAULT_REGIONS if regions is None else regions)
        self.cache_seconds, self.seed, self.auto_refresh = cache_seconds, seed, auto_refresh
        self.weak_etags = weak_etags
        ids = list(DEFAULT_TYPE_IDS if type_ids is None else type_ids)
        self.infos: dict[int, TypeInfo] = {t: type_info(t, seed) for t in ids}
        self.faults = Faults(self.clock)
        self.budget = ErrorBudget(self.clock, error_limit, error_window_s)
        self.bucket = RateBucket(self.clock, "market-order", rate_limit, rate_window_s)
        self.requests: list[RecordedRequest] = []
        self.body_cache: dict[Any, Body] = {}
        self._books: dict[int, tuple[BookGenerator, Snapshot]] = {}
        self._closing = asyncio.Event()

    def snapshot(self, region_id: int) -> Snapshot:
        """The region's current snapshot (generated on first use; auto-advanced once expired)."""
        book = self._books.get(region_id)
        if book is None:
            now = int(self.clock())
            anchor = now // DAY * DAY  # issued times are stable within a UTC day
            gen = BookGenerator(region_id, list(self.infos), self.seed, anchor)
            orders = gen.make(random.Random(f"book:{self.seed}:{region_id}"), self.region_sizes[region_id])
            book = self._books[region_id] = (gen, Snapshot(region_id, 1, orders, now, self.cache_seconds))
        elif self.auto_refresh and self.clock() >= book[1].expires:
            return self.advance(region_id)
        return book[1]

    def advance(self, region_id: int) -> Snapshot:
        """Make the region's next snapshot (deterministic changes; Last-Modified moves forward)."""
        if region_id not in self._books:
            self.snapshot(region_id)
        gen, old = self._books[region_id]
        version = old.version + 1
        now = max(int(self.clock()), old.last_modified + 1)
        rng = random.Random(f"advance:{self.seed}:{region_id}:{version}")
        snap = Snapshot(region_id, version, gen.evolve(old.orders, rng, now), now, self.cache_seconds)
        self._books[region_id] = (gen, snap)
        return snap

    async def sleep(self, delay_s: float) -> None:
        """Sleep, cut short when the fake closes (used by the timeout fault)."""
        await interruptible_sleep(self._closing, delay_s)

    def build_app(self) -> web.Application:
        """The aiohttp application with every route."""
        app = web.Application()

        def wrap(handler: Handler, grouped: bool = False) -> Callable[[web.Request], Any]:
            return functools.partial(dispatch, self, handler=handler, grouped=grouped)

        for prefix in ("", "/latest"):
            app.router.add_get(prefix + "/markets/prices{_:/?}", wrap(routes.prices))
            app.router.add_get(prefix + "/markets/{region_id}/orders{_:/?}", wrap(routes.orders, True))
            app.router.add_get(prefix + "/markets/{region_id}/history{_:/?}", wrap(routes.history))
            app.router.add_get(prefix + "/markets/{region_id}/types{_:/?}", wrap(routes.types))
            app.router.add_get(prefix + "/universe/types/{type_id}{_:/?}", wrap(types_route.universe_type))
            app.router.add_post(prefix + "/route/{origin}/{destination}{_:/?}", route_map.endpoint(self))
            app.router.add_get(prefix + "/universe/systems/{system_id}{_:/?}", wrap(route_map.universe_system))
            app.router.add_get(prefix + "/characters/{character_id}/orders{_:/?}", wrap(characters.orders))
            app.router.add_get(prefix + "/characters/{character_id}/orders/history{_:/?}", wrap(characters.history))
            app.router.add_get(
                prefix + "/characters/{character_id}/wallet/transactions{_:/?}", wrap(wallet.transactions)
            )
            app.router.add_get(prefix + "/characters/{character_id}/wallet/journal{_:/?}", wrap(wallet.journal))
            app.router.add_post(prefix + "/ui/openwindow/marketdetails{_:/?}", wrap(ui.market_details))
            profile.add_profile_routes(app, prefix, wrap)
            structures.add_structure_routes(app, prefix, wrap)
        control.add_routes(app, self)
        app.router.add_route("*", "/{tail:.*}", wrap(routes.not_found))
        return app

    async def on_start(self) -> None:
        """Generate every region's books before listening."""
        for region_id in self.region_sizes:
            self.snapshot(region_id)
        self._closing.clear()

    async def on_close(self) -> None:
        """Release hanging requests (the timeout fault) so the server can stop."""
        self._closing.set()
