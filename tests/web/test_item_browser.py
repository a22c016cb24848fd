"""A real browser (Debian chromium via Playwright): search an item, pick it by keyboard, see its page and chart."""

from __future__ import annotations

from evetrader.app import App
from evetrader.bootstrap.market import history_refresher
from tests.web.browser import (
    BROWSER_TEST,
    PAGE_FACTS_JS,
    PHONE,
    UNLABELLED_JS,
    chromium,
    console_errors,
    market_panel,
    serving,
)
from tests.web.market_helpers import JITA_REGION, market_app, traded_item

__all__ = ["market_app"]  # the module's market data
pytestmark = BROWSER_TEST


async def test_search_pick_by_keyboard_and_see_the_chart(market_app: App) -> None:
    item = await traded_item(market_app)
    await history_refresher(market_app).refresh(JITA_REGION, [item["type_id"]])
    async with serving(await market_panel(market_app)) as base, chromium() as browser:
        page = await browser.new_page()
        errors = console_errors(page)
        await page.goto(f"{base}/")
        await page.get_by_role("link", name="Items").click()
        box = page.get_by_role("combobox", name="Find an item")
        await box.press_sequentially(item["name"])
        options = page.get_by_role("option")
        await options.first.wait_for(timeout=10_000)
        assert await box.get_attribute("aria-expanded") == "true"
        await page.keyboard.press("ArrowDown")
        first = options.first
        assert await first.get_attribute("aria-selected") == "true"
        assert await box.get_attribute("aria-activedescendant") == await first.get_attribute("id")
        assert await first.inner_text() == item["name"]  # the exact name comes first
        await page.keyboard.press("Escape")
        assert await page.get_by_role("listbox").is_hidden()
        assert await box.get_attribute("aria-expanded") == "false"
        await page.keyboard.press("ArrowDown")  # reopens on the first match
        await page.keyboard.press("Enter")
        await page.wait_for_url(f"{base}/items/{item['type_id']}", timeout=10_000)
        assert await page.get_by_role("heading", level=1).inner_text() == item["name"]
        hubs = await page.locator("#hubs").inner_text()
        assert "Jita" in hubs and "Sell depth within 5%" in hubs and "Data age" in hubs
        chart = page.get_by_role("img", name=f"Daily average price and volume of {item['name']}", exact=False)
        await chart.wait_for(timeout=10_000)
        loaded = await chart.evaluate("image => image.complete && image.naturalWidth")
        assert loaded and loaded >= 600  # a drawn chart, not the small no-history placeholder
        assert await page.get_by_role("link", name=f"Set an alert on {item['name']}").is_visible()
        await page.set_viewport_size(PHONE)  # on a phone: no sideways scrolling, every control labelled
        facts = await page.evaluate(PAGE_FACTS_JS)
        assert facts["scrollWidth"] <= facts["innerWidth"] and facts["imagesWithoutAlt"] == 0, facts
        assert await page.evaluate(UNLABELLED_JS) == []
        assert not [e for e in errors if "Refused" in e]  # nothing blocked by the Content-Security-Policy
