"""A real browser (Debian chromium via Playwright): paste on the Appraise page, land on the permalink, quote by %."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from core.formatting import isk
from evetrader.app import App
from evetrader.bootstrap.chat import command_context
from evetrader.bootstrap.web import web_deps
from tests.web.helpers import web_config
from tests.web.market_helpers import market_app, traded_item
from web.app import create_app, start
from web.public import use_market

__all__ = ["market_app"]  # the module's market data
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (`make test` installs it when root)"),
]


async def test_paste_to_permalink_in_a_real_browser(market_app: App) -> None:
    async_api = pytest.importorskip("playwright.async_api")
    assert shutil.which(str(CHROMIUM))
    item = await traded_item(market_app)
    app = create_app(web_deps(market_app.pool, market_app.redis, market_app.keys, web_config()))
    use_market(app, await command_context(market_app))
    runner, port = await start(app, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{port}"
    try:
        async with async_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            try:
                page = await browser.new_page()
                errors: list[str] = []
                page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
                await page.goto(f"{base}/")
                await page.get_by_role("link", name="Appraise").click()
                await page.get_by_label("What you copied from the game").fill(f"10 {item['name']}\nnot an item here")
                hub = page.get_by_label("Hub to price at")
                await hub.select_option("Jita")
                await hub.focus()
                await page.keyboard.press("Tab")  # keyboard only from here: Tab to the button, Enter to send
                await page.keyboard.press("Enter")
                await page.wait_for_url(f"{base}/a/*", timeout=10_000)
                assert "Appraisal at Jita" in await page.get_by_role("heading", level=1).inner_text()
                assert item["name"] in await page.get_by_role("table").inner_text()
                assert "not an item here" in await page.content()
                link = await page.locator("#permalink").inner_text()
                assert link.endswith(urlsplit(page.url).path)  # PUBLIC_URL's host, this page's id
                buy = float(await page.locator("#total-buy").get_attribute("data-isk") or "nan")
                await page.get_by_label("Percent of the buy value").fill("50")  # recomputed by the page's script
                assert await page.locator("#offer").inner_text() == f"{isk(buy * 0.5)} ISK"
                await page.get_by_role("button", name="Quote").click()  # and by the server without it
                await page.wait_for_url("**pct=50", timeout=10_000)
                assert await page.locator("#offer").inner_text() == f"{isk(buy * 0.5)} ISK"
                assert not [e for e in errors if "Refused" in e]  # nothing blocked by the Content-Security-Policy
            finally:
                await browser.close()
    finally:
        await runner.cleanup()
