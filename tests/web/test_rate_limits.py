"""Rate limits: per address (X-Forwarded-For only from trusted proxies) and per account; 429 with Retry-After."""

from __future__ import annotations

from tests.web.helpers import cookie, create_account, drop_cookie, sign_in
from web.assets import panel_assets
from web.config import parse_networks


async def test_per_ip_limit_answers_429_with_retry_after(make_light_client):
    client = await make_light_client(ip_rate_per_minute=1, ip_rate_burst=3)
    assert [(await client.get("/")).status for _ in range(3)] == [200, 200, 200]
    page = await client.get("/")
    assert page.status == 429 and 50 <= int(page.headers["Retry-After"]) <= 60
    assert "Too many requests" in await page.text()
    api = await client.get("/api/v1/account")
    assert api.status == 429 and (await api.json())["error"]["code"] == "rate_limited"
    assert "Retry-After" in api.headers
    assert (await client.get("/healthz")).status == 200  # probes and static files are never limited
    assert (await client.get(panel_assets().url("panel.css"))).status == 200


async def test_forwarded_for_counts_only_from_a_trusted_proxy(make_light_client):
    untrusted = await make_light_client(ip_rate_per_minute=1, ip_rate_burst=1)
    assert (await untrusted.get("/", headers={"X-Forwarded-For": "203.0.113.1"})).status == 200
    assert (await untrusted.get("/", headers={"X-Forwarded-For": "203.0.113.2"})).status == 429  # spoofing is useless


async def test_trusted_proxy_forwarded_clients_have_their_own_budgets(make_light_client, redis_prefix):
    client = await make_light_client(
        ip_rate_per_minute=1, ip_rate_burst=1, trusted_proxies=parse_networks(["127.0.0.0/8", "10.0.0.0/8"])
    )
    first = {"X-Forwarded-For": "198.51.100.7, 10.1.2.3"}  # client, then an inner proxy we trust
    assert (await client.get("/", headers=first)).status == 200
    assert (await client.get("/", headers=first)).status == 429
    assert (await client.get("/", headers={"X-Forwarded-For": "198.51.100.8"})).status == 200
    v6 = [{"X-Forwarded-For": "2001:db8::1"}, {"X-Forwarded-For": "2001:db8::2"}]  # one /64: one subscriber
    assert [(await client.get("/", headers=h)).status for h in v6] == [200, 429]


async def test_per_user_limit(make_client, make_light_client, pg_pool):
    client = await make_client(user_rate_per_minute=1, user_rate_burst=2)
    await sign_in(client, await create_account(pg_pool))  # a live session: whether it is live is asked of Postgres
    statuses = [(await client.get("/")).status for _ in range(3)]
    assert statuses == [200, 200, 429]
    other = await make_light_client(user_rate_per_minute=1, user_rate_burst=2)
    assert (await other.get("/")).status == 200  # anonymous callers spend only their address's budget


async def test_a_rotated_session_spends_its_accounts_budget_and_keeps_its_new_cookies(make_client, pg_pool):
    client = await make_client(user_rate_per_minute=1, user_rate_burst=1)
    await sign_in(client, await create_account(pg_pool))
    assert (await client.get("/api/v1/account")).status == 200  # the account's one call (with the access token)
    refresh = cookie(client, "evt_refresh")
    drop_cookie(client, "evt_access")  # the next call rotates the refresh token, then finds the budget spent
    limited = await client.get("/api/v1/account")
    assert limited.status == 429
    assert cookie(client, "evt_refresh") not in (None, refresh)  # the rotated token reached the browser anyway
    assert cookie(client, "evt_access") is not None
