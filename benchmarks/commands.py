"""Command benchmark: /price, /compare, /trade station and /history through dispatch over a Forge-sized snapshot.

Set-up as benchmarks/ingest.py: the ESI fake in its own process (a Forge-sized region over all ~19.7k market
types), a scratch database, the bundled SDE, one ingest of The Forge (hub quotes in Redis) and the history of
~50 types. Then the commands run in process through `dispatch`, exactly as a chat adapter calls them, with warm
caches. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import logging
import math
import re
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from adapters.postgres.history import PgHistoryStore
from adapters.postgres.market_reader import _BOOKS, PgMarketReader
from benchmarks.ingest import esi_fake_process, scratch_database
from benchmarks.ingest_floor import REGION
from benchmarks.profiling import top_functions
from core.chat.dispatch import dispatch
from core.chat.model import Caller, Invocation, Reply
from core.chat.registry import CommandContext, Registry
from core.commands.default import build_registry
from core.market.finders_station import StationInput, could_qualify, station_candidates
from core.market.hubs import find_hub
from core.usecases.market_services import MarketServices
from evetrader.app import App
from evetrader.bootstrap.chat import command_context
from evetrader.bootstrap.market import history_refresher, region_refresher
from evetrader.cli_actions import ensure_static_data
from evetrader.config import Settings, load_settings

TRITANIUM = 34
PRICE_TARGET_P99_MS = 5.0
TRADE_TARGET_S = 1.0
HISTORY_TYPES, PRICE_ITEMS = 64, 50
QUOTES = re.compile("['\"]")  # the tokenizer takes quotes as grouping, so a quoted name is not typed as is
CALLER = Caller(platform="bench", user_id="bench", display_name="bench")


def _ms(ns: float) -> float:
    return round(ns / 1e6, 3)


def _percentile(ordered: Sequence[int], p: float) -> int:
    """Nearest-rank percentile of an ascending sequence."""
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _latency(samples: list[int], wall_ns: int) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "calls": len(samples),
        "p50_ms": _ms(_percentile(ordered, 50)),
        "p90_ms": _ms(_percentile(ordered, 90)),
        "p99_ms": _ms(_percentile(ordered, 99)),
        "max_ms": _ms(ordered[-1]),
        "calls_per_s": round(len(samples) / (wall_ns / 1e9)),
    }


async def _call(registry: Registry, ctx: CommandContext, text: str) -> Reply:
    reply = await dispatch(registry, Invocation.from_text(text, CALLER), ctx)
    if reply.is_error:
        raise RuntimeError(f"{text!r} failed: {reply.text}")
    return reply


async def _timed(registry: Registry, ctx: CommandContext, texts: Sequence[str], calls: int) -> dict[str, float]:
    """`calls` dispatches cycling over `texts`, each timed on its own."""
    samples = []
    clock = time.perf_counter_ns
    started = clock()
    for i in range(calls):
        invocation = Invocation.from_text(texts[i % len(texts)], CALLER)
        t0 = clock()
        await dispatch(registry, invocation, ctx)
        samples.append(clock() - t0)
    return _latency(samples, clock() - started)


HIDDEN = ("/asyncio/", "_contextvars", __file__)  # the event loop and this module: frames around every call


async def _profile(registry: Registry, ctx: CommandContext, texts: Sequence[str], calls: int) -> list[dict[str, Any]]:
    """The top 10 functions by cumulative time over `calls` dispatches (cProfile), event-loop frames left out.

    A coroutine counts one call per resumption, so `calls` of async functions are resumptions, not awaits.
    """
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(calls):
        await dispatch(registry, Invocation.from_text(texts[i % len(texts)], CALLER), ctx)
    profiler.disable()
    return top_functions(profiler, hidden=HIDDEN, limit=10, per_call=calls)


async def _trade_stages(app: App, ctx: CommandContext) -> dict[str, Any]:
    """One /trade station jita split into the handler's steps (as core.commands.market_trade runs them), in ms.

    Run with the cyclic GC on (as the handler runs) and again paused (how much of each step is the GC scanning).
    """
    with_gc = await _trade_steps(app, ctx)
    gc.collect()
    gc.disable()
    try:
        paused = await _trade_steps(app, ctx)
    finally:
        gc.enable()
    return with_gc | {"gc_paused": paused}


async def _trade_steps(app: App, ctx: CommandContext) -> dict[str, Any]:
    services, catalog = ctx.services, await app.catalog()
    assert isinstance(services, MarketServices) and isinstance(services.reader, PgMarketReader)
    hub = find_hub("jita")
    clock = time.perf_counter
    t0 = clock()
    tops = await services.reader.top_of_book(hub.region_id, hub.station_id)
    hopeful = [t for t, top in tops.items() if could_qualify(top, services.skills, services.fees, 0.05)]
    names = {t: item.name for t in hopeful if (item := catalog.by_id(t)) is not None}
    t1 = clock()
    volumes = await services.reader.daily_volumes(hub.region_id, list(names))
    t2 = clock()
    query = _BOOKS.format(only_type="AND type_id = ANY($3::integer[])")
    rows = await app.pool.fetch(query, hub.region_id, hub.station_id, list(names))
    t3 = clock()
    books = await services.reader.books_at(hub.region_id, hub.station_id, list(names))
    t4 = clock()
    items = [StationInput(t, names[t], b.buys, b.sells, volumes.get(t)) for t, b in books.items()]
    t5 = clock()
    station_candidates(items, skills=services.skills, schedule=services.fees, min_margin=0.05, top_n=10)
    t6 = clock()
    return {
        "screen_ms": round((t1 - t0) * 1000, 1),
        "daily_volumes_ms": round((t2 - t1) * 1000, 1),
        "books_sql_fetch_ms": round((t3 - t2) * 1000, 1),
        "books_at_ms": round((t4 - t3) * 1000, 1),
        "books_decode_ms": round((t4 - t3 - (t3 - t2)) * 1000, 1),
        "inputs_ms": round((t5 - t4) * 1000, 1),
        "station_candidates_ms": round((t6 - t5) * 1000, 1),
        "types_quoted": len(tops),
        "types_screened_in": len(names),
        "book_rows": len(rows),
        "book_levels": sum(len(b.buys) + len(b.sells) for b in books.values()),
    }


async def _setup(app: App) -> dict[str, Any]:
    """Migrate, bundled SDE, one ingest of The Forge, history of ~50 types (Tritanium among them)."""
    started = time.perf_counter()
    await app.migrate()
    await ensure_static_data(app)
    sde = time.perf_counter()
    outcome = await region_refresher(app).refresh(REGION)
    if outcome.meta is None:
        raise RuntimeError(f"ingest of {REGION} failed: {outcome.result.value}")
    ingested = time.perf_counter()
    store = PgHistoryStore(app.pool)
    await store.watch(REGION, TRITANIUM)
    types = await store.watched_types(REGION, HISTORY_TYPES)
    summary = await history_refresher(app).refresh(REGION, types)
    if summary.failed:
        raise RuntimeError(f"history refresh failed for {summary.failed}")
    done = time.perf_counter()
    return {
        "types": types,
        "info": {
            "orders": outcome.meta.orders,
            "quotes": outcome.meta.quotes,
            "history_types": len(types),
            "history_rows": summary.rows,
            "sde_s": round(sde - started, 2),
            "ingest_s": round(ingested - sde, 2),
            "history_s": round(done - ingested, 2),
        },
    }


async def _measure(settings: Settings, *, force_profile: bool) -> dict[str, Any]:
    async with App(settings) as app:
        setup = await _setup(app)
        registry = build_registry()
        ctx = await command_context(app)
        catalog = await app.catalog()
        jita = find_hub("jita")
        known = [item.name for t in setup["types"] if (item := catalog.by_id(t)) is not None]
        names = [name for name in known if not QUOTES.search(name)][:PRICE_ITEMS]

        # /price: check every name resolves exactly to itself and is quoted at Jita, then warm up and measure.
        prices = [f"/price {name} jita" for name in names]
        for name, text in zip(names, prices, strict=True):
            reply = await _call(registry, ctx, text)
            if reply.data.get("name") != name or reply.data.get("location_id") != jita.station_id:
                raise RuntimeError(f"{text!r} answered {reply.data.get('name')!r} at {reply.data.get('location_id')}")
        for i in range(200):
            await _call(registry, ctx, prices[i % len(prices)])
        price = await _timed(registry, ctx, prices, 10_000)
        met = price["p99_ms"] < PRICE_TARGET_P99_MS
        profile = await _profile(registry, ctx, prices, 1000) if force_profile or not met else None

        # /compare: five hub quotes from Redis, one round trip each.
        for _ in range(50):
            await _call(registry, ctx, "/compare tritanium")
        compare = await _timed(registry, ctx, ["/compare tritanium"], 1000)

        # /trade station: every book at Jita 4-4, daily volumes, the finder.
        trade_runs, candidates, scanned = [], 0, 0
        for _ in range(5):
            t0 = time.perf_counter()
            reply = await _call(registry, ctx, "/trade station jita")
            trade_runs.append(time.perf_counter() - t0)
            candidates = len(reply.data.get("candidates", []))
            found = re.match(r"([\d,]+) items scanned", reply.text)
            scanned = int(found.group(1).replace(",", "")) if found else 0

        stages = await _trade_stages(app, ctx)
        trade_profile = None
        if force_profile or statistics.median(trade_runs) >= TRADE_TARGET_S:
            trade_profile = await _profile(registry, ctx, ["/trade station jita"], 1)

        # /history: the first chart of the process (matplotlib's first figure and font set-up included).
        t0 = time.perf_counter()
        reply = await _call(registry, ctx, "/history tritanium jita 90")
        history_ms = (time.perf_counter() - t0) * 1000
        if not reply.images:
            raise RuntimeError(f"/history rendered no chart: {reply.text}")

    trade_median = statistics.median(trade_runs)
    result: dict[str, Any] = {
        "benchmark": "commands",
        "setup": setup["info"],
        "price": price
        | {
            "items": len(names),
            "skipped_quoted_names": sum(1 for n in known if QUOTES.search(n)),
            "target_p99_ms": PRICE_TARGET_P99_MS,
            "target_met": met,
        },
    }
    if profile is not None:
        result["price_profile_top"] = profile
    result |= {
        "compare": {k: compare[k] for k in ("calls", "p50_ms", "p99_ms", "max_ms", "calls_per_s")},
        "trade_station": {
            "runs_s": [round(s, 3) for s in trade_runs],
            "median_s": round(trade_median, 3),
            "target_s": TRADE_TARGET_S,
            "target_met": trade_median < TRADE_TARGET_S,
            "candidates": candidates,
            "items_scanned": scanned,
            "stages_once": stages,
        },
        **({"trade_station_profile_top": trade_profile} if trade_profile is not None else {}),
        "history_cold_ms": round(history_ms, 1),
        "history_png_bytes": len(reply.images[0].png),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "database": "external" if settings.database_url else "embedded",
    }
    return result


async def run(orders: int, *, force_profile: bool = False) -> dict[str, Any]:
    """Set up (fake, scratch database, SDE, ingest, history), then measure the commands."""
    started = time.perf_counter()
    base = load_settings()
    with tempfile.TemporaryDirectory(prefix="evt-bench-") as tmp, esi_fake_process(orders) as base_url:
        async with scratch_database(base.database_url) as dsn:
            settings = load_settings(
                data_dir=Path(tmp),
                redis_prefix=f"evt-bench-{uuid.uuid4().hex[:6]}:",
                database_url=dsn,
                esi_base_url=base_url,
                esi_user_agent="evetrader-benchmark/1 (bench@localhost)",
            )
            result = await _measure(settings, force_profile=force_profile)
    return result | {"total_s": round(time.perf_counter() - started, 1)}


def main() -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=350_000)
    parser.add_argument("--profile", action="store_true", help="profile /price even when p99 meets the target")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)
    print(orjson.dumps(asyncio.run(run(args.orders, force_profile=args.profile)), option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
