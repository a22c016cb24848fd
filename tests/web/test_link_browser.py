"""A real browser (Debian chromium via Playwright): a /link URL, EVE sign-in (SSO fake), back to the page, confirm."""

from __future__ import annotations

import shutil
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as aioredis

from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from tests.web.test_sso_flow import start_panel
from web.app import start

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (`make test` installs it when root)"),
]


async def test_link_code_to_account_in_a_real_browser(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    async_api = pytest.importorskip("playwright.async_api")
    assert shutil.which(str(CHROMIUM))
    character = FakeCharacter(92000001, "Browser Trader", "owner-browser-1")
    async with SsoFake(characters=(character,)) as fake:
        built = await start_panel(pg_pool, redis_client, redis_prefix, fake)
        runner, port = await start(built.app, "127.0.0.1", 0)
        base = f"http://127.0.0.1:{port}"
        built.bind_callback(base)
        try:
            account, code = await built.issue_link(pg_pool, "telegram", "t-900", "Browser User")
            async with async_api.async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
                try:
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
                    await browser.close()
        finally:
            await runner.cleanup()
            await built.sso.close()
    stored = await pg_pool.fetchval("SELECT account_id FROM characters WHERE character_id = $1", 92000001)
    owner = await pg_pool.fetchval("SELECT account_id FROM account_identities WHERE external_id = 't-900'")
    assert owner == stored and stored != account  # the chat account was merged into the signed-in one
