"""Set-wise evaluation of a region's snapshot alert rules in one SQL statement, right after its snapshot swap."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
import orjson

from adapters.postgres.alerts_sql import evaluate_args, evaluate_sql
from adapters.postgres.snapshot_tables import parse_table_name, region_tables
from core.alerts.fired import FiredAlert
from core.alerts.model import AlertTarget, TargetKind
from core.alerts.values import DEFAULT_FEES, FeeAssumption

EVAL_LOCK_CLASS = 0x616C7274  # pg_advisory_xact_lock(EVAL_LOCK_CLASS, region_id): one evaluation per region at a time
EVAL_WORK_MEM = "32MB"  # the hash joins over a region's rules and quotes stay in memory
# Hash joins over ~100k rules and the region's quotes beat the sort + merge join the planner sometimes prefers
# on a freshly swapped-in partition without column statistics; JIT compiling costs more than it saves here.
EVAL_SETTINGS = f"SET LOCAL work_mem = '{EVAL_WORK_MEM}'; SET LOCAL jit = off; SET LOCAL enable_mergejoin = off"


def fired_from_record(row: Any) -> FiredAlert:
    """A FiredAlert from a RETURNING row of the outbox insert (payload decoded by the pool's codec or here)."""
    payload = row["payload"]
    if isinstance(payload, str):  # a connection without the pool's jsonb codec
        payload = orjson.loads(payload)
    target = AlertTarget(row["target_platform"], TargetKind(row["target_kind"]), row["target_address"])
    return FiredAlert.from_outbox(row["id"], row["idempotency_key"], payload, target, row["not_before"])


async def live_quotes_table(conn: asyncpg.Connection, region_id: int) -> str | None:
    """The name of the region's attached market_quotes partition, or None before its first snapshot."""
    names = [name for name, attached in await region_tables(conn, region_id) if attached]
    quotes = [name for name in names if name.startswith("market_quotes_")]
    return max(quotes, key=lambda name: parse_table_name(name) or (0, 0)) if quotes else None


async def _evaluate_once(
    conn: asyncpg.Connection, region_id: int, as_of: datetime, now: datetime, fees: FeeAssumption
) -> list[FiredAlert]:
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1, $2)", EVAL_LOCK_CLASS, region_id)
        quotes = await live_quotes_table(conn, region_id)
        await conn.execute(EVAL_SETTINGS)
        rows = await conn.fetch(evaluate_sql(quotes), *evaluate_args(region_id, as_of, now, fees))
    return [fired_from_record(row) for row in rows]


async def _evaluate(
    conn: asyncpg.Connection, region_id: int, as_of: datetime, now: datetime, fees: FeeAssumption
) -> list[FiredAlert]:
    try:
        return await _evaluate_once(conn, region_id, as_of, now, fees)
    except asyncpg.UndefinedTableError:  # a newer snapshot was swapped in between the lookup and the query
        return await _evaluate_once(conn, region_id, as_of, now, fees)


async def evaluate_region(
    conn_or_pool: asyncpg.Pool | asyncpg.Connection,
    region_id: int,
    as_of: datetime,
    now: datetime,
    fees: FeeAssumption = DEFAULT_FEES,
) -> list[FiredAlert]:
    """Evaluate every active price/spread/volume rule of the region against its live snapshot, in one transaction.

    Fires (outbox rows, idempotent per rule and `as_of`), re-arms and updates rule state; returns the alerts
    written by this call (a re-run of the same snapshot returns none). Given a connection inside a transaction,
    it runs in a savepoint and its planner settings (SET LOCAL) last until that transaction ends.
    """
    if isinstance(conn_or_pool, asyncpg.Pool):
        async with conn_or_pool.acquire() as conn:
            return await _evaluate(conn, region_id, as_of, now, fees)
    return await _evaluate(conn_or_pool, region_id, as_of, now, fees)


class PgAlertEvaluator:
    """AlertEvaluator on an asyncpg pool."""

    def __init__(self, pool: asyncpg.Pool, fees: FeeAssumption = DEFAULT_FEES) -> None:
        self._pool = pool
        self._fees = fees

    async def evaluate_region(self, region_id: int, as_of: datetime, now: datetime) -> list[FiredAlert]:
        """See evaluate_region()."""
        return await evaluate_region(self._pool, region_id, as_of, now, self._fees)
