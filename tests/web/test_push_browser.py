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

import asyncpg
import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys
from adapters.webpush import new_vapid_key
from evetrader.bootstrap.web import web_deps
from fakes.webpush import WebPushFake
from tests.web.browser import BROWSER_TEST, chromium, serving, session_cookies
from tests.web.helpers import create_account, web_config
from web.app import create_app

pytestmark = BROWSER_TEST
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
    vapid = new_vapid_key("mailto:ops@evetrader.test")
    config = web_config(vapid_public_key=vapid.public_key, push_allow_http=True)
    app = create_app(web_deps(pg_pool, redis_client, RedisKeys(redis_prefix), config))
    account = await create_account(pg_pool)
    async with serving(app) as base, WebPushFake() as fake, chromium() as browser:
        subscription = fake.subscribe(vapid.public_key)
        context = await browser.new_context()
        await context.grant_permissions(["notifications"], origin=base)
        await context.add_cookies(await session_cookies(app, account, base))
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
    assert registered == [f"{base}/", f"{base}/push-sw.js"]
    assert bytes(json.loads(key)) == base64.urlsafe_b64decode(vapid.public_key + "=")  # subscribed with our key
    row = await pg_pool.fetchrow("SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE account_id = $1", account)
    assert dict(row) == {"endpoint": subscription["endpoint"], **subscription["keys"]}
