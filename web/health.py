"""Health endpoints: /healthz (alive), /readyz (Postgres, Redis and snapshot freshness), /metrics."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import orjson
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from web.keys import POOL, REDIS


def _json(payload: object, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(payload), status=status, content_type="application/json")


async def healthz(request: web.Request) -> web.Response:
    """Liveness: the process answers."""
    return _json({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Readiness: Postgres and Redis answer; lists each region's snapshot status and age."""
    checks: dict[str, str] = {}
    regions: list[dict[str, object]] = []
    try:
        async with asyncio.timeout(2):
            rows = await request.app[POOL].fetch(
                "SELECT region_id, status, orders, last_modified, expires, last_error FROM market_snapshots"
                " ORDER BY region_id"
            )
        checks["postgres"] = "ok"
        now = datetime.now(UTC)
        for row in rows:
            age = (now - row["last_modified"]).total_seconds() if row["last_modified"] else None
            regions.append(
                {
                    "region_id": row["region_id"],
                    "status": row["status"],
                    "orders": row["orders"],
                    "age_s": round(age) if age is not None else None,
                    "last_error": row["last_error"],
                }
            )
    except Exception as exc:
        checks["postgres"] = f"error: {type(exc).__name__}"
    try:
        async with asyncio.timeout(2):
            await request.app[REDIS].ping()
        checks["redis"] = "ok"
    except Exception as exc:
        checks["redis"] = f"error: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return _json(
        {"status": "ok" if ready else "unavailable", "checks": checks, "regions": regions},
        200 if ready else 503,
    )


async def metrics(request: web.Request) -> web.Response:
    """Prometheus exposition of this process's metrics."""
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})
