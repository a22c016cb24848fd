"""The browser tests' shared start-up: the panel served on a free port, Debian's chromium through Playwright, a
signed-in session's cookies, console errors, and the page checks the phone and item tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from evetrader.app import App
from evetrader.bootstrap.chat import command_context
from evetrader.bootstrap.web import web_deps
from tests.web.helpers import web_config
from web.app import create_app, start
from web.config import WebConfig
from web.keys import SESSIONS
from web.public import use_market
from web.sso import SsoWebServices

CHROMIUM = Path("/usr/bin/chromium")
# Every browser test module's pytestmark.
BROWSER_TEST = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (`make test` installs it when root)"),
]
PHONE = {"width": 390, "height": 844}

# Controls (hidden inputs aside) without a label[for], aria-label or aria-labelledby (a button may use its text).
UNLABELLED_JS = """() => Array.from(document.querySelectorAll("input, select, textarea, button"))
  .filter((el) => el.type !== "hidden")
  .filter((el) => {
    if ((el.getAttribute("aria-label") || "").trim()) return false;
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    if (ids.length && ids.every((id) => document.getElementById(id))) return false;
    if (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) return false;
    return !(el.tagName === "BUTTON" && el.textContent.trim());
  })
  .map((el) => el.outerHTML)"""
PAGE_FACTS_JS = """() => ({
  scrollWidth: document.scrollingElement.scrollWidth,
  innerWidth: window.innerWidth,
  imagesWithoutAlt: document.querySelectorAll("img:not([alt])").length,
  controls: document.querySelectorAll("input:not([type=hidden]), select, button").length,
})"""


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """Serve `app` on a free local port; its base URL (http://127.0.0.1:<port>), cleaned up on exit."""
    runner, port = await start(app, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """Debian's chromium, launched headless through Playwright (skips the test without Playwright), closed on exit."""
    async_api = pytest.importorskip("playwright.async_api")
    async with async_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser
        finally:
            await browser.close()


async def market_panel(
    market_app: App, config: WebConfig | None = None, sso: SsoWebServices | None = None
) -> web.Application:
    """The panel over the test market (item pages, the Appraise page): the test config unless given, SSO off
    unless given."""
    deps = web_deps(market_app.pool, market_app.redis, market_app.keys, config or web_config(), sso=sso)
    app = create_app(deps)
    use_market(app, await command_context(market_app))
    return app


async def session_cookies(app: web.Application, account_id: int, base: str) -> list[dict[str, Any]]:
    """Cookies of a fresh session for `account_id`, issued by the app's SessionService, for the browser context."""
    response = web.Response()
    await app[SESSIONS].login(response, account_id)
    return [{"name": name, "value": morsel.value, "url": base} for name, morsel in response.cookies.items()]


def console_errors(page: Any) -> list[str]:
    """The texts of the page's console errors from now on (filled as they come)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors
