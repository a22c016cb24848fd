"""A real browser (Debian chromium via Playwright): paste on the Appraise page, land on the permalink, quote by %."""

from __future__ import annotations

from urllib.parse import urlsplit

from core.formatting import isk
from evetrader.app import App
from tests.web.browser import BROWSER_TEST, chromium, console_errors, market_panel, serving
from tests.web.market_helpers import market_app, traded_item

__all__ = ["market_app"]  # the module's market data
pytestmark = BROWSER_TEST


async def test_paste_to_permalink_in_a_real_browser(market_app: App) -> None:
    item = await traded_item(market_app)
    async with serving(await market_panel(market_app)) as base, chromium() as browser:
        page = await browser.new_page()
        errors = console_errors(page)
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
