"""A real browser (Debian chromium via Playwright): a /link URL, EVE sign-in (SSO fake), back to the page, confirm."""

from __future__ import annotations

import asyncpg
import redis.asyncio as aioredis

from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from tests.web.browser import BROWSER_TEST, chromium, serving
from tests.web.test_sso_flow import start_panel

pytestmark = BROWSER_TEST


async def test_link_code_to_account_in_a_real_browser(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    character = FakeCharacter(92000001, "Browser Trader", "owner-browser-1")
    async with SsoFake(characters=(character,)) as fake:
        built = await start_panel(pg_pool, redis_client, redis_prefix, fake)
        try:
            async with serving(built.app) as base, chromium() as browser:
                built.bind_callback(base)
                account, code = await built.issue_link(pg_pool, "telegram", "t-900", "Browser User")
                page = await browser.new_page()
                await page.goto(f"{base}/link/{code}")
                heading = page.get_by_role("heading", level=1)
                expected = "Link Telegram user Browser User to the EVE account you sign in with"
                assert await heading.inner_text() == expected
                await page.get_by_role("link", name="Sign in with EVE").click()
                await page.wait_for_url(f"{base}/link/{code}", timeout=10_000)  # back, nothing linked yet
                signed_in = "Link Telegram user Browser User to the account you are signed in as"
                assert await heading.inner_text() == signed_in and "Browser Trader" in await page.content()
                await page.get_by_role("button", name="Link Telegram user Browser User to this account").click()
                await page.wait_for_url(f"{base}/account", timeout=10_000)
                assert "Browser User" in await page.get_by_role("table", name="Chat identities").inner_text()
                row = page.get_by_role("row", name="Browser Trader")
                assert "healthy" in await row.inner_text()
                names = {c["name"] for c in await page.context.cookies()}
                assert {"evt_access", "evt_refresh"} <= names and not any("link" in n for n in names)
        finally:
            await built.sso.close()
    stored = await pg_pool.fetchval("SELECT account_id FROM characters WHERE character_id = $1", 92000001)
    owner = await pg_pool.fetchval("SELECT account_id FROM account_identities WHERE external_id = 't-900'")
    assert owner == stored and stored != account  # the chat account was merged into the signed-in one
