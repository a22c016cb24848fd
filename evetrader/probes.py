"""What each service registers on its process's operations listener (web.ops): dependencies, roles, tasks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import redis.asyncio as aioredis

from adapters.metrics import REGION_DATA_AGE
from evetrader.bootstrap.operator import snapshot_store
from web.ops import Ops, Probe, Role, Status

if TYPE_CHECKING:
    from adapters.postgres.orderbook import PgOrderBookStore
    from evetrader.alert_delivery import AlertDelivery
    from evetrader.app import App
    from evetrader.bot_service import BotService
    from scheduler.service import SchedulerService, WorkerService


def postgres_probe(snapshots: PgOrderBookStore) -> Probe:
    """Postgres answers; the body lists each region's snapshot status and age (the read doubles as the ping)."""

    async def check() -> Status:
        now = datetime.now(UTC)
        regions = []
        for meta in await snapshots.all_snapshot_meta():
            age_s = round((now - meta.last_modified).total_seconds()) if meta.last_modified else None
            if age_s is not None:
                REGION_DATA_AGE.labels(str(meta.region_id)).set(age_s)
            regions.append(
                {
                    "region_id": meta.region_id,
                    "status": meta.status.value,
                    "orders": meta.orders,
                    "age_s": age_s,
                    "last_error": meta.last_error,
                }
            )
        return Status(True, extra={"regions": regions})

    return check


def redis_probe(redis: aioredis.Redis) -> Probe:
    """Redis answers a PING."""

    async def check() -> Status:
        await redis.ping()
        return Status(True)

    return check


def watch_dependencies(ops: Ops, app: App) -> None:
    """Every process depends on Postgres and Redis."""
    ops.probe("postgres", postgres_probe(snapshot_store(app)))
    ops.probe("redis", redis_probe(app.redis))


def scheduler_role(service: SchedulerService) -> Role:
    """Leader or standby: both are ready (a standby takes over when the leader goes)."""
    return lambda: Status(True, "leader" if service.is_leader else "standby")


def worker_role(service: WorkerService) -> Role:
    """Ready once the worker has joined the ingest stream's consumer group."""
    return lambda: Status(service.group_joined, "consumer group joined" if service.group_joined else "not joined")


def bot_roles(ops: Ops, bot: BotService) -> None:
    """One role per configured chat platform: ready while it is connected (gateway up, polling or webhook set)."""
    for platform in bot.platforms():

        def check(platform: str = platform) -> Status:
            connected = bot.connected().get(platform, False)
            return Status(connected, "connected" if connected else "disconnected")

        ops.role(platform, check)


def delivery_roles(ops: Ops, delivery: AlertDelivery) -> None:
    """One role per platform delivered here (e.g. `email-delivery`): ready once its stream's consumer group is
    joined."""
    for platform in delivery.platforms():

        def check(platform: str = platform) -> Status:
            joined = delivery.group_joined(platform)
            return Status(joined, "consumer group joined" if joined else "not joined")

        ops.role(f"{platform}-delivery", check)
