"""Security headers on every response, HSTS only over https, and error pages without stack traces."""

from __future__ import annotations

from aiohttp import web

from tests.web.helpers import create_account, csrf_of, sign_in
from web.assets import panel_assets
from web.security import CSP


def _boom_routes(app: web.Application) -> None:
    async def boom(request: web.Request) -> web.Response:
        raise RuntimeError("db password is hunter2")

    app.router.add_get("/boom", boom)
    app.router.add_get("/api/v1/boom", boom)


async def test_every_response_carries_the_security_headers(make_light_client):
    client = await make_light_client()
    css = panel_assets().url("panel.css")
    for path in ("/", "/healthz", "/api/openapi.json", css, "/no-such-page", "/api/v1/account"):
        response = await client.get(path)
        headers = response.headers
        assert headers["Content-Security-Policy"] == CSP, path
        assert "frame-ancestors 'none'" in CSP and "default-src 'self'" in CSP
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # plain http, and PUBLIC_URL is http
    assert (await client.get("/")).headers["Cache-Control"] == "no-cache"
    assert (await client.get("/api/v1/account")).headers["Cache-Control"] == "no-store"
    assert (await client.get(css)).headers["Cache-Control"] == "public, max-age=31536000, immutable"


async def test_hsts_when_the_public_url_is_https(make_light_client):
    client = await make_light_client(public_url="https://panel.example")
    assert (await client.get("/")).headers["Strict-Transport-Security"].startswith("max-age=31536000")


async def test_internal_errors_show_no_stack_trace(make_light_client, caplog):
    client = await make_light_client(setup=_boom_routes)
    page = await client.get("/boom")
    text = await page.text()
    assert page.status == 500 and "Something went wrong" in text
    assert "Traceback" not in text and "hunter2" not in text and "RuntimeError" not in text
    api = await client.get("/api/v1/boom")
    assert api.status == 500
    assert await api.json() == {
        "error": {"code": "internal", "message": "Something went wrong on our side; it has been logged."}
    }
    assert any("unhandled error" in record.getMessage() for record in caplog.records)  # logged for operators


async def test_not_found_and_wrong_method_are_clean(make_light_client):
    client = await make_light_client()
    missing = await client.get("/api/v1/nothing")
    assert missing.status == 404 and (await missing.json())["error"]["code"] == "not_found"
    wrong = await client.delete("/api/v1/settings")
    assert wrong.status == 405 and (await wrong.json())["error"]["code"] == "method_not_allowed"
    assert set(wrong.headers["Allow"].split(",")) == {"GET", "PUT"}
    page = await client.get("/nothing")
    assert page.status == 404 and "<h1>There is nothing here.</h1>" in await page.text()


async def test_odd_digits_in_path_ids_are_a_404_not_a_500(client, pg_pool):
    admin = await create_account(pg_pool, "admin", identities=(("discord", "5", "Admin"),))
    await sign_in(client, admin)
    headers = {"X-CSRF-Token": await csrf_of(client)}
    for raw in ("²", "٣", "9" * 25, "1" * 5000):
        for method, url in (
            ("DELETE", f"/api/v1/alerts/{raw}"),
            ("DELETE", f"/api/v1/watchlist/{raw}"),
            ("PUT", f"/api/v1/admin/accounts/{raw}/role"),
        ):
            response = await client.request(method, url, json={"role": "user"}, headers=headers)
            assert response.status == 404, (method, url[:60], response.status)
