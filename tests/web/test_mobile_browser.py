"""A real browser on a phone-sized screen: no sideways scrolling, labelled controls, local assets only, strict CSP."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import asyncpg
import redis.asyncio as aioredis

from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from tests.web.browser import BROWSER_TEST, PAGE_FACTS_JS, PHONE, UNLABELLED_JS, chromium, serving, session_cookies
from tests.web.helpers import create_account
from tests.web.test_sso_flow import start_panel

PAGES = ("/", "/account", "/settings", "/alerts", "/trading", "/admin")
pytestmark = BROWSER_TEST
LONG = "Averyveryverylongcharacternamewithoutanyspaces" * 2


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


def _script_policy(csp: str) -> str:
    directives = {part.split()[0]: part for part in (p.strip() for p in csp.split(";")) if part}
    return directives.get("script-src") or directives.get("default-src") or ""


async def test_pages_fit_a_phone_with_labels_local_assets_and_strict_csp(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str
) -> None:
    admin = await _seed(pg_pool)
    async with SsoFake(characters=(FakeCharacter(93000002, "Phone Trader", "owner-phone"),)) as fake:
        built = await start_panel(pg_pool, redis_client, redis_prefix, fake)
        try:
            async with serving(built.app) as base, chromium() as browser:
                context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
                await context.add_cookies(await session_cookies(built.app, admin, base))
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
                    facts = await page.evaluate(PAGE_FACTS_JS)
                    assert facts["scrollWidth"] <= facts["innerWidth"] == PHONE["width"], (path, facts)
                    assert facts["imagesWithoutAlt"] == 0 and facts["controls"] > 0, (path, facts)
                    assert await page.evaluate(UNLABELLED_JS) == [], path
                admin_text = await page.inner_text("main")
                assert "claude-" + LONG in admin_text and "Provider health" in admin_text
        finally:
            await built.sso.close()
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"} and any(re.search(r"/static/panel\.[0-9a-f]{8}\.css$", url) for url in requested)
    assert violations == []
