"""Alert evaluation benchmark: 100,000 active rules over a Forge-sized quotes set, evaluated set-wise in SQL.

Builds (in a scratch database on DATABASE_URL's server) ~15k types quoted at Jita plus many smaller stations,
30 days of history for the volume-spike types, and 100,000 active Forge rules spread over hub, region-wide,
spread and volume-spike kinds (plus rules in Domain and paused rules as noise). Each run swaps in a new
snapshot whose prices moved a little, as an ingest does, then times evaluate_region. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import orjson

from adapters.postgres.alerts_eval import EVAL_SETTINGS, evaluate_region, live_quotes_table
from adapters.postgres.alerts_sql import evaluate_args, evaluate_sql
from adapters.postgres.history import ensure_history_partitions
from adapters.postgres.migrate import migrate
from adapters.postgres.pool import create_pool
from benchmarks.ingest import scratch_database
from core.alerts.values import DEFAULT_FEES

FORGE, DOMAIN, JITA, AMARR = 10000002, 10000043, 60003760, 60008494
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/test"
QUOTE_COLUMNS: tuple[str, ...] = ("region_id", "location_id", "type_id", "best_buy", "best_sell", "buy_volume")
QUOTE_COLUMNS += ("sell_volume", "buy_orders", "sell_orders", "buy_depth", "sell_depth", "as_of")
RULE_COLUMNS: tuple[str, ...] = ("account_id", "kind", "type_id", "region_id", "location_id", "side", "direction")
RULE_COLUMNS += ("threshold", "hysteresis", "cooldown", "target_platform", "target_kind", "target_address", "active")
COOLDOWNS = (timedelta(0), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))
T0 = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)


class Market:
    """Synthetic Forge prices: ~15k types at Jita, a long tail of stations each quoting a subset."""

    def __init__(self, rnd: random.Random, types: int, stations: int) -> None:
        self.rnd = rnd
        self.type_ids = list(range(1000, 1000 + types))
        self.sell = {t: math.exp(rnd.uniform(math.log(0.5), math.log(5e9))) for t in self.type_ids}
        self.gap = {t: rnd.uniform(0.01, 0.35) for t in self.type_ids}
        self.stations = [(JITA, 1.0)] + [(1_000_000_000_000 + i, rnd.uniform(0.02, 0.25)) for i in range(stations)]

    def popular_type(self) -> int:
        """A type drawn with a skew towards the first (most traded) ones, as users' rules are."""
        return self.type_ids[int(len(self.type_ids) * self.rnd.random() ** 3)]

    def move(self, sigma: float) -> None:
        """One snapshot later: every price moved by a log-normal step."""
        for t in self.type_ids:
            self.sell[t] *= math.exp(self.rnd.gauss(0, sigma))

    def quotes(self, as_of: datetime) -> list[tuple[Any, ...]]:
        """Quote rows of the whole region (Jita quotes everything; other stations a random share)."""
        rows = []
        for location, share in self.stations:
            for t in self.type_ids:
                if location != JITA and self.rnd.random() > share:
                    continue
                markup = 1.0 if location == JITA else self.rnd.uniform(0.97, 1.2)
                sell = round(self.sell[t] * markup, 2) or 0.01
                buy = round(sell * (1 - self.gap[t]), 2) or None
                rows.append((FORGE, location, t, buy, sell, 100, 100, 3, 5, 50, 60, as_of))
        return rows


async def swap_quotes(conn: asyncpg.Connection, rows: list[tuple[Any, ...]], generation: int) -> None:
    """Load a fresh partition and swap it in, as adapters/postgres/snapshots.py does (no ANALYZE afterwards)."""
    name = f"market_quotes_{FORGE}_{generation}"
    await conn.execute(f"CREATE TABLE {name} (LIKE market_quotes INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    await conn.copy_records_to_table(name, records=rows, columns=QUOTE_COLUMNS)
    await conn.execute(f"ALTER TABLE {name} ADD PRIMARY KEY (region_id, location_id, type_id)")
    async with conn.transaction():
        old = await conn.fetch(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'market_quotes'::regclass AND c.relname LIKE $1",
            f"market_quotes_{FORGE}_%",
        )
        for record in old:
            await conn.execute(f"DROP TABLE {record['relname']}")
        await conn.execute(f"ALTER TABLE market_quotes ATTACH PARTITION {name} FOR VALUES IN ({FORGE})")


def price_rule(market: Market, account: int, region_wide: bool) -> tuple[Any, ...]:
    """A price rule a few percent away from today's price, on the side and direction users pick."""
    rnd, type_id = market.rnd, market.popular_type()
    side, direction = rnd.choice(("sell", "buy")), rnd.choice(("below", "above"))
    price = market.sell[type_id] * (1 - market.gap[type_id] if side == "buy" else 1)
    away = rnd.uniform(0.0, 0.08)
    threshold = price * (1 - away if direction == "below" else 1 + away)
    hysteresis = threshold * rnd.choice((0.0, 0.005, 0.01, 0.02))
    location = None if region_wide else JITA
    return (account, "price", type_id, FORGE, location, side, direction, threshold, hysteresis, rnd.choice(COOLDOWNS))


def rules(market: Market, count: int, accounts: list[int], volume_types: list[int]) -> list[tuple[Any, ...]]:
    """`count` active Forge rules: 60% Jita price, 15% region-wide price, 15% Jita spread, 10% volume spike."""
    rnd, rows = market.rnd, []
    for i in range(count):
        account, roll = accounts[i % len(accounts)], rnd.random()
        if roll < 0.60:
            rule = price_rule(market, account, region_wide=False)
        elif roll < 0.75:
            rule = price_rule(market, account, region_wide=True)
        elif roll < 0.90:
            level = rnd.uniform(10.0, 45.0)
            rule = (account, "spread", market.popular_type(), FORGE, JITA, None, "above", level, 1.0, COOLDOWNS[2])
        else:
            ratio = rnd.choice((2.0, 3.0, 5.0))
            rule = (
                account,
                "volume_spike",
                rnd.choice(volume_types),
                FORGE,
                None,
                None,
                "above",
                ratio,
                0.5,
                COOLDOWNS[3],
            )
        rows.append((*rule, "discord", "dm", str(100_000 + account), True))
    return rows


async def load_history(conn: asyncpg.Connection, rnd: random.Random, types: list[int], today: date) -> int:
    """30 days of daily volume per type before `today`, plus yesterday with an occasional spike."""
    await ensure_history_partitions(conn, since=today - timedelta(days=40), through=today)
    rows = []
    for t in types:
        base = rnd.uniform(10, 1e6)
        for back in range(1, 32):
            volume = base * (rnd.uniform(3, 8) if back == 1 and rnd.random() < 0.05 else rnd.uniform(0.5, 1.5))
            rows.append((FORGE, t, today - timedelta(days=back), 5.0, 6.0, 4.0, int(volume), 10))
    await conn.copy_records_to_table(
        "market_history",
        records=rows,
        columns=("region_id", "type_id", "day", "average", "highest", "lowest", "volume", "order_count"),
    )
    return len(rows)


async def build(pool: asyncpg.Pool, args: argparse.Namespace) -> tuple[Market, dict[str, int]]:
    """Accounts, history, noise rules and the Forge rules; returns the market and counts."""
    rnd = random.Random(args.seed)
    market = Market(rnd, args.types, args.stations)
    async with pool.acquire() as conn:
        await migrate(conn)
        accounts = [
            r["id"]
            for r in await conn.fetch(
                "INSERT INTO accounts SELECT FROM generate_series(1, $1) RETURNING id", args.accounts
            )
        ]
        volume_types = rnd.sample(market.type_ids, 3000)
        history = await load_history(conn, rnd, volume_types, T0.date())
        forge = rules(market, args.rules, accounts, volume_types)
        paused = [(*r[:-1], False) for r in rules(market, args.rules // 20, accounts, volume_types)]
        domain = [
            (*r[:3], DOMAIN, AMARR if r[4] else None, *r[5:])
            for r in rules(market, args.rules // 10, accounts, volume_types)
        ]
        await conn.copy_records_to_table("alert_rules", records=forge + paused + domain, columns=RULE_COLUMNS)
        await conn.execute("ANALYZE alert_rules; ANALYZE market_history; ANALYZE accounts")
    return market, {"history_rows": history, "noise_rules": len(paused) + len(domain)}


async def explain(pool: asyncpg.Pool, as_of: datetime, now: datetime) -> str:
    """EXPLAIN ANALYZE of one evaluation, rolled back."""
    async with pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        try:
            await conn.execute(EVAL_SETTINGS)
            quotes = await live_quotes_table(conn, FORGE)
            assert quotes is not None
            sql = "EXPLAIN (ANALYZE, BUFFERS) " + evaluate_sql(quotes)
            rows = await conn.fetch(sql, *evaluate_args(FORGE, as_of, now, DEFAULT_FEES))
        finally:
            await tx.rollback()
    return "\n".join(r[0] for r in rows)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build the data, then per run: a new snapshot (untimed) and one timed evaluation."""
    dsn = os.environ.get("DATABASE_URL", DEFAULT_DSN)
    load_before = os.getloadavg()[0]
    async with scratch_database(dsn) as scratch:
        assert scratch is not None  # an external server's DSN always yields a scratch database
        pool = await create_pool(scratch, min_size=1, max_size=2)
        try:
            market, counts = await build(pool, args)
            fired, seconds, quotes = [], [], 0
            for run_no in range(args.runs + 1):
                as_of = T0 + timedelta(minutes=5 * run_no)
                rows = market.quotes(as_of)
                quotes = len(rows)
                async with pool.acquire() as conn:
                    await swap_quotes(conn, rows, run_no + 1)
                if args.explain and run_no == args.runs:
                    print(await explain(pool, as_of, as_of + timedelta(seconds=30)), file=sys.stderr)
                started = time.perf_counter()
                alerts = await evaluate_region(pool, FORGE, as_of, as_of + timedelta(seconds=30))
                elapsed = time.perf_counter() - started
                if run_no > 0:  # run 0 is cold (first plan, first fires of every already-crossed rule)
                    seconds.append(elapsed)
                    fired.append(len(alerts))
                else:
                    cold = (elapsed, len(alerts))
                market.move(args.sigma)
            rerun_started = time.perf_counter()
            again = await evaluate_region(pool, FORGE, as_of, as_of + timedelta(seconds=60))
            rerun = time.perf_counter() - rerun_started
            active = await pool.fetchval("SELECT count(*) FROM alert_rules WHERE region_id = $1 AND active", FORGE)
        finally:
            await pool.close()
    return {
        "benchmark": "alerts",
        "rules": active,
        "noise_rules": counts["noise_rules"],
        "quotes": quotes,
        "types": args.types,
        "history_rows": counts["history_rows"],
        "runs": len(seconds),
        "p50_s": round(statistics.median(seconds), 3),
        "max_s": round(max(seconds), 3),
        "cold_s": round(cold[0], 3),
        "cold_fired": cold[1],
        "seconds": [round(x, 3) for x in seconds],
        "fired": fired,
        "rerun_same_snapshot_s": round(rerun, 3),
        "rerun_fired": len(again),
        "target_s": 1.0,
        "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],  # the machine is shared: context
        "cpus": os.cpu_count(),
    }


def main() -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=int, default=100_000)
    parser.add_argument("--types", type=int, default=15_000)
    parser.add_argument("--stations", type=int, default=60)
    parser.add_argument("--accounts", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sigma", type=float, default=0.005, help="log-normal price step between snapshots")
    parser.add_argument("--seed", type=int, default=20260801)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the last run to stderr")
    args = parser.parse_args()
    print(orjson.dumps(asyncio.run(run(args)), option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
