"""Turning on browser notifications in a real browser (Debian chromium via Playwright): the Alerts page's button
registers the service worker at scope / and posts the subscription (CSRF header) that the panel stores.

Headless chromium cannot make a real push subscription here (PushManager.subscribe needs Google's push service,
which this machine cannot reach: the test checks that it fails), so after that check the page's PushManager.subscribe
is replaced by one that hands back a subscription of the local push-service fake and records the
applicationServerKey it was called with. Everything else (permission, worker registration, fetch, CSRF) is real.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as aioredis
from aiohttp import web

from adapters.redis.keys import RedisKeys
from adapters.webpush import new_vapid_key
from evetrader.bootstrap.web import web_deps
from fakes.webpush import WebPushFake
from tests.web.helpers import create_account, web_config
from web.app import create_app, start
from web.keys import SESSIONS

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (`make test` installs it when root)"),
]
REAL_SUBSCRIBE = """async (key) => {
  const registration = await navigator.serviceWorker.register("/push-sw.js", {scope: "/"});
  await navigator.serviceWorker.ready;
  try { await registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key}); return "ok"; }
  catch (error) { return String(error && error.name); }
}"""
STUB = """(subscription) => {
  PushManager.prototype.subscribe = function (options) {
    const key = Array.from(new Uint8Array(options.applicationServerKey));
    sessionStorage.setItem("pushKey", JSON.stringify(key));  // survives the page's reload after the POST
    return Promise.resolve({toJSON: function () { return subscription; }});
  };
}"""


async def test_the_subscribe_button_registers_the_worker_and_stores_the_subscription(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    async_api = pytest.importorskip("playwright.async_api")
    vapid = new_vapid_key("mailto:ops@evetrader.test")
    config = web_config(vapid_public_key=vapid.public_key, push_allow_http=True)
    app = create_app(web_deps(pg_pool, redis_client, RedisKeys(redis_prefix), config))
    runner, port = await start(app, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{port}"
    account = await create_account(pg_pool)
    signed = web.Response()
    await app[SESSIONS].login(signed, account)
    cookies = [{"name": name, "value": morsel.value, "url": base} for name, morsel in signed.cookies.items()]
    try:
        async with WebPushFake() as fake, async_api.async_playwright() as playwright:
            subscription = fake.subscribe(vapid.public_key)
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            try:
                context = await browser.new_context()
                await context.grant_permissions(["notifications"], origin=base)
                await context.add_cookies(cookies)
                page = await context.new_page()
                await page.goto(f"{base}/alerts")
                real = await page.evaluate(REAL_SUBSCRIBE, vapid.public_key)
                assert real == "AbortError", real  # "push service error": chromium reaches no push service here
                await page.evaluate(STUB, subscription)
                button = page.get_by_role("button", name="Turn on notifications in this browser")
                await button.click()
                await page.wait_for_url(f"{base}/alerts?done=push_added#push-title", timeout=15_000)
                assert "Notifications are on in this browser" in await page.get_by_role("status").first.inner_text()
                assert "Browser: Chrome on Linux" in await page.locator("#target").inner_text()
                registered = await page.evaluate(
                    "async () => { const r = await navigator.serviceWorker.getRegistration('/');"
                    " return r && r.active ? [r.scope, r.active.scriptURL] : null; }"
                )
                key = await page.evaluate("sessionStorage.getItem('pushKey')")
            finally:
                await browser.close()
    finally:
        await runner.cleanup()
    assert registered == [f"{base}/", f"{base}/push-sw.js"]
    assert bytes(json.loads(key)) == base64.urlsafe_b64decode(vapid.public_key + "=")  # subscribed with our key
    row = await pg_pool.fetchrow("SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE account_id = $1", account)
    assert dict(row) == {"endpoint": subscription["endpoint"], **subscription["keys"]}
