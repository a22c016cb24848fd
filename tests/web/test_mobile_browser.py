"""A real browser on a phone-sized screen: no sideways scrolling, labelled controls, local assets only, strict CSP."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pytest
import redis.asyncio as aioredis
from aiohttp import web

from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from tests.web.helpers import create_account
from tests.web.test_sso_flow import start_panel
from web.app import start
from web.keys import SESSIONS

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
PAGES = ("/", "/account", "/settings", "/alerts", "/trading", "/admin")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (`make test` installs it when root)"),
]
LONG = "Averyveryverylongcharacternamewithoutanyspaces" * 2

# Controls (hidden inputs aside) without a label[for], aria-label or aria-labelledby (a button may use its text).
_UNLABELLED_JS = """() => Array.from(document.querySelectorAll("input, select, textarea, button"))
  .filter((el) => el.type !== "hidden")
  .filter((el) => {
    if ((el.getAttribute("aria-label") || "").trim()) return false;
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    if (ids.length && ids.every((id) => document.getElementById(id))) return false;
    if (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) return false;
    return !(el.tagName === "BUTTON" && el.textContent.trim());
  })
  .map((el) => el.outerHTML)"""
_PAGE_FACTS_JS = """() => ({
  scrollWidth: document.scrollingElement.scrollWidth,
  innerWidth: window.innerWidth,
  imagesWithoutAlt: document.querySelectorAll("img:not([alt])").length,
  controls: document.querySelectorAll("input:not([type=hidden]), select, button").length,
})"""


async def _seed(pool: asyncpg.Pool) -> int:
    """An admin with a long-named identity and character, AI usage rows with long model names, and a long-named
    item on an alert rule and the watchlist."""
    admin = await create_account(pool, "admin", identities=(("discord", "d-mobile", LONG),))
    await pool.execute(
        "INSERT INTO characters (character_id, account_id, name, owner_hash, scopes) VALUES ($1, $2, $3, 'h', $4)",
        93000001,
        admin,
        LONG,
        ["esi-markets.read_character_orders.v1"],
    )
    await pool.execute("INSERT INTO sde_types (type_id, name, group_id) VALUES (990001, $1, 18)", LONG)
    await pool.execute(
        "INSERT INTO alert_rules (account_id, kind, type_id, region_id, location_id, side, direction, threshold,"
        " target_platform, target_kind, target_address)"
        " VALUES ($1, 'price', 990001, 10000002, 60003760, 'sell', 'below', 123456789.5, 'discord', 'dm', 'd-mobile')",
        admin,
    )
    await pool.execute("INSERT INTO watchlist (account_id, type_id) VALUES ($1, 990001)", admin)
    at = datetime.now(UTC) - timedelta(minutes=2)
    await pool.executemany(
        "INSERT INTO ai_usage (at, command, platform, account_id, provider, model, latency_ms, cached, cost_usd,"
        " outcome) VALUES ($1, 'analyze', 'discord', $2, $3, $4, 1234, false, $5, $6)",
        [
            (at, admin, "anthropic", "claude-" + LONG, 0.01, "answered"),
            (at, admin, "openai", "gpt-" + LONG, None, "timeout"),
        ],
    )
    return admin


async def _session_cookies(app: web.Application, account_id: int, base: str) -> list[dict[str, Any]]:
    """Cookies of a fresh session for `account_id`, issued by the app's SessionService, for the browser context."""
    response = web.Response()
    await app[SESSIONS].login(response, account_id)
    return [{"name": name, "value": morsel.value, "url": base} for name, morsel in response.cookies.items()]


def _script_policy(csp: str) -> str:
    directives = {part.split()[0]: part for part in (p.strip() for p in csp.split(";")) if part}
    return directives.get("script-src") or directives.get("default-src") or ""


async def test_pages_fit_a_phone_with_labels_local_assets_and_strict_csp(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    async_api = pytest.importorskip("playwright.async_api")
    admin = await _seed(pg_pool)
    async with SsoFake(characters=(FakeCharacter(93000002, "Phone Trader", "owner-phone"),)) as fake:
        built = await start_panel(pg_pool, redis_client, redis_prefix, fake)
        runner, port = await start(built.app, "127.0.0.1", 0)
        base = f"http://127.0.0.1:{port}"
        try:
            async with async_api.async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
                try:
                    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
                    await context.add_cookies(await _session_cookies(built.app, admin, base))
                    page = await context.new_page()
                    requested: list[str] = []
                    violations: list[str] = []
                    page.on("request", lambda request: requested.append(request.url))
                    page.on("console", lambda m: violations.append(m.text) if "Security Policy" in m.text else None)
                    for path in PAGES:
                        response = await page.goto(base + path)
                        assert response is not None and response.status == 200, path
                        policy = _script_policy(response.headers["content-security-policy"])
                        assert policy and "'unsafe-inline'" not in policy, (path, policy)
                        facts = await page.evaluate(_PAGE_FACTS_JS)
                        assert facts["scrollWidth"] <= facts["innerWidth"] == PHONE["width"], (path, facts)
                        assert facts["imagesWithoutAlt"] == 0 and facts["controls"] > 0, (path, facts)
                        assert await page.evaluate(_UNLABELLED_JS) == [], path
                    admin_text = await page.inner_text("main")
                    assert "claude-" + LONG in admin_text and "Provider health" in admin_text
                finally:
                    await browser.close()
        finally:
            await runner.cleanup()
            await built.sso.close()
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"} and any(re.search(r"/static/panel\.[0-9a-f]{8}\.css$", url) for url in requested)
    assert violations == []
