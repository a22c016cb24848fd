"""The public web port answers /healthz only: /readyz and /metrics live on the operations port (web.ops)."""

from __future__ import annotations


async def test_public_port_has_liveness_but_no_metrics_or_readiness(client):
    assert await (await client.get("/healthz")).json() == {"status": "ok"}
    for path in ("/metrics", "/readyz"):
        response = await client.get(path)
        assert response.status == 404, path
        assert "python_info" not in await response.text()
