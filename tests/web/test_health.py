"""/healthz, /readyz and /metrics keep working inside the panel app."""

from __future__ import annotations


async def test_health_readiness_and_metrics(client):
    assert await (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    body = await ready.json()
    assert ready.status == 200 and body["checks"] == {"postgres": "ok", "redis": "ok"}
    metrics = await client.get("/metrics")
    assert metrics.status == 200 and "python_info" in await metrics.text()


async def test_readiness_fails_without_postgres(make_light_client):
    ready = await (await make_light_client()).get("/readyz")
    assert ready.status == 503 and (await ready.json())["checks"]["postgres"].startswith("error")
