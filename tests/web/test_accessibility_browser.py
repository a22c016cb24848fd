"""axe-core (WCAG 2.1 A/AA) over every panel page in Debian's chromium: signed out, as a user and as an admin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web
from axe_playwright_python.base import AXE_SCRIPT

from adapters.crypto import TokenCipher
from adapters.postgres.characters import PgCharacterStore
from adapters.sso import SsoClient
from adapters.webpush import new_vapid_key
from core.accounts.linking import LinkRequest
from core.formatting import isk
from evetrader.app import App
from evetrader.bootstrap.market import history_refresher
from evetrader.bootstrap.web import sso_web_services
from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter
from tests.web.browser import BROWSER_TEST, chromium, market_panel, serving, session_cookies
from tests.web.helpers import create_account, web_config
from tests.web.market_helpers import JITA_REGION, JITA_STATION, market_app, traded_item
from tests.web.test_trading_api import trader
from web.sso import SsoWebServices

__all__ = ["market_app"]  # the module's market data
pytestmark = BROWSER_TEST
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
CHARACTER = 94000001
# Each kind of visitor's pages ({item}: an item's page, {permalink}: an appraisal, {code}: a /link code).
PAGES = {
    "signed out": ("/", "/items", "/items?q=ore", "{item}", "/appraise", "{permalink}", "{permalink}?pct=90",
                   "/link/{code}", "/no-such-page", "/email/verify/" + "x" * 43),
    "user": ("/", "/account", "/settings", "/alerts", "/trading", "/trading?sort=name", "/trading?from=2024-02-30",
             "{item}", "{permalink}", "/link/{code}"),
    "admin": ("/admin",),
}  # fmt: skip


async def _seed_user(app: App, type_id: int) -> int:
    """A trader with a character holding trading scopes, an alert, a watched item and a browser subscription."""
    account = await trader(app.pool, CHARACTER)
    await app.pool.execute(
        "UPDATE characters SET scopes = $2 WHERE character_id = $1",
        CHARACTER,
        ["esi-markets.read_character_orders.v1", "esi-wallet.read_character_wallet.v1"],
    )
    await app.pool.execute(
        "INSERT INTO account_identities (platform, external_id, account_id, display_name)"
        " VALUES ('discord', 'd-a11y', $1, 'Pilot')",
        account,
    )
    await app.pool.execute(
        "INSERT INTO alert_rules (account_id, kind, type_id, region_id, location_id, side, direction, threshold,"
        " target_platform, target_kind, target_address)"
        " VALUES ($1, 'price', $2, $3, $4, 'sell', 'below', 5.5, 'discord', 'dm', 'd-a11y')",
        account,
        type_id,
        JITA_REGION,
        JITA_STATION,
    )
    await app.pool.execute("INSERT INTO watchlist (account_id, type_id) VALUES ($1, $2)", account, type_id)
    await app.pool.execute(
        "INSERT INTO push_subscriptions (account_id, endpoint, p256dh, auth, label) VALUES ($1, $2, $3, $4, $5)",
        account,
        "https://push.example/a11y",
        "B" * 87,
        "A" * 22,
        "Chrome on Linux",
    )
    return account


async def _violations(page: Any, axe_script: str) -> list[str]:
    """The page's serious and critical WCAG 2.1 A/AA violations: rule, impact, targets and help URL."""
    await page.evaluate(axe_script)
    results = await page.evaluate("(options) => axe.run(document, options)", WCAG)
    return [
        f"{v['id']} ({v['impact']}) on {[n['target'] for n in v['nodes']]}: {v['help']} {v['helpUrl']}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


# The focused element, whether it shows a focus indicator (an outline of 2px or more) and whether it is in view.
_FOCUS_JS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName, id: el.id, text: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 60),
    outlined: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    inView: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0 && box.right <= innerWidth,
  };
}"""


async def _tab_to(page: Any, target: Any, limit: int = 80, back: bool = False) -> None:
    """Press Tab (Shift+Tab with `back`) until `target` has the focus, which must show a visible focus indicator."""
    for _ in range(limit):
        await page.keyboard.press("Shift+Tab" if back else "Tab")
        if await target.evaluate("el => el === document.activeElement"):
            focus = await page.evaluate(_FOCUS_JS)
            assert focus["outlined"] and focus["inView"], focus
            return
    raise AssertionError(f"{target} not reached with {limit} presses of Tab")


async def _keyboard_signed_out(page: Any, base: str, item: dict[str, Any], permalink: str, axe_js: str) -> None:
    """Skip link, the item search's autocomplete list, the Appraise form's errors and the % of buy box by keyboard."""
    await page.goto(f"{base}/items")
    await _tab_to(page, page.get_by_role("link", name="Skip to content"), limit=1)
    await page.keyboard.press("Enter")
    await page.keyboard.press("Tab")  # the next stop is inside the main content, past the navigation
    assert await page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    box = page.get_by_role("combobox", name="Find an item")
    await _tab_to(page, box)
    await page.keyboard.type(item["name"])
    await page.wait_for_function(  # the list for the whole name (earlier answers are dropped): exact match first
        "name => (document.getElementById('item-option-0') || {}).textContent === name", arg=item["name"]
    )
    shown = await page.get_by_role("option").count()
    assert await page.locator("#item-q-count").inner_text() == f"{shown} matching item{'s' if shown > 1 else ''}"
    await page.keyboard.press("ArrowDown")
    assert await box.get_attribute("aria-activedescendant") == "item-option-0"
    assert not await _violations(page, axe_js)  # the open list with an active option
    await page.keyboard.press("Escape")
    assert await box.get_attribute("aria-expanded") == "false" and await page.get_by_role("listbox").is_hidden()
    assert await box.input_value() == item["name"]  # Escape closes the list and keeps what was typed
    await _tab_to(page, page.get_by_role("button", name="Search"))
    await _tab_to(page, box, back=True)
    await page.keyboard.press("ArrowDown")  # reopens on the first match; Enter opens its page
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{base}/items/{item['type_id']}", timeout=10_000)

    await page.goto(f"{base}/appraise")
    await _tab_to(page, page.get_by_role("button", name="Appraise"))
    await page.keyboard.press("Space")  # nothing pasted: the errors are listed and linked to their fields
    await page.get_by_role("alert").wait_for(timeout=10_000)
    assert not await _violations(page, axe_js)

    await page.goto(base + permalink)
    buy = float(await page.locator("#total-buy").get_attribute("data-isk") or "nan")
    pct = page.get_by_role("spinbutton", name="Percent of the buy value")
    await _tab_to(page, pct)
    await page.keyboard.press("Control+A")
    await page.keyboard.type("50")
    offer = page.locator("#offer")
    assert await offer.inner_text() == f"{isk(buy * 0.5)} ISK"  # recomputed as typed
    await page.keyboard.press("Enter")  # sends the form from the box
    await page.wait_for_url("**pct=50", timeout=10_000)
    await _tab_to(page, page.get_by_role("spinbutton", name="Percent of the buy value"))
    await page.keyboard.press("ArrowUp")  # the number box steps by 0.1
    assert await pct.input_value() == "50.1"
    await _tab_to(page, page.get_by_role("button", name="Quote"))
    await page.keyboard.press("Space")
    await page.wait_for_url("**pct=50.1", timeout=10_000)
    assert await offer.inner_text() == f"{isk(buy * 0.501)} ISK"


async def _keyboard_user(page: Any, base: str) -> None:
    """The push subscribe button and the Trading table's sort links by keyboard."""
    await page.goto(f"{base}/alerts")
    button = page.get_by_role("button", name="Turn on notifications in this browser")
    status = page.locator("#push-status")
    for key in ("Enter", "Space"):
        await _tab_to(page, button)
        await page.evaluate("() => { document.getElementById('push-status').textContent = ''; }")
        await page.keyboard.press(key)  # the permission is refused here: the page says so and keeps the focus
        await page.wait_for_function("() => /Could not/.test(document.getElementById('push-status').textContent)")
        assert await button.get_attribute("aria-disabled") is None, key  # usable again
        assert await button.evaluate("el => el === document.activeElement"), key
        assert "notifications are blocked" in await status.inner_text()

    await page.goto(f"{base}/trading")
    header = page.get_by_role("columnheader", name="Name")
    assert await header.get_attribute("aria-sort") is None
    await _tab_to(page, page.get_by_role("link", name="Name (sort)"))
    await page.keyboard.press("Enter")
    await page.wait_for_url("**sort=name*", timeout=10_000)
    assert await header.get_attribute("aria-sort") == "ascending"
    await _tab_to(page, page.get_by_role("link", name="Profit (sort)"))
    await page.keyboard.press("Enter")
    await page.wait_for_url("**sort=profit*", timeout=10_000)
    assert await page.get_by_role("columnheader", name="Profit").get_attribute("aria-sort") == "descending"


@asynccontextmanager
async def _panel(market_app: App) -> AsyncIterator[tuple[web.Application, str, SsoWebServices]]:
    """The started panel with market data, EVE sign-in (SSO fake) and web push: app, base URL, SSO services."""
    vapid = new_vapid_key("mailto:ops@evetrader.test")
    config = web_config(vapid_public_key=vapid.public_key, push_allow_http=True)
    async with SsoFake(characters=(FakeCharacter(94000009, "Axe Trader", "owner-a11y"),)) as fake:
        sso = SsoClient(fake.base_url, fake.client_id, fake.client_secret, fake.redirect_uri, timeout_s=2.0)
        await sso.start()
        cipher = TokenCipher.from_setting(TokenCipher.new_key_entry("k1"))
        store = PgCharacterStore(market_app.pool, cipher)
        services = sso_web_services(sso, store, market_app.redis, market_app.keys, config.signing_key)
        app = await market_panel(market_app, config, sso=services)
        try:
            async with serving(app) as base:
                yield app, base, services
        finally:
            await sso.close()


async def test_every_panel_page_passes_axe_and_works_by_keyboard(market_app: App) -> None:
    axe_js = AXE_SCRIPT  # axe-core as the test extra ships it: nothing is downloaded
    item = await traded_item(market_app)
    await history_refresher(market_app).refresh(JITA_REGION, [item["type_id"]])
    accounts = {
        "signed out": None,
        "user": await _seed_user(market_app, item["type_id"]),
        "admin": await create_account(market_app.pool, "admin", identities=(("telegram", "t-a11y-boss", "Boss"),)),
    }
    chat = await create_account(market_app.pool, identities=(("telegram", "t-a11y-link", "Chat User"),))
    found: dict[str, list[str]] = {}
    async with _panel(market_app) as (app, base, services), chromium() as browser:
        code = await services.link_codes.issue(LinkRequest("telegram", "t-a11y-link", chat, "Chat User"))
        paste = {"paste": f"10 {item['name']}\nnot an item", "hub": "jita"}
        made = await (await browser.new_context()).request.post(f"{base}/api/v1/appraisals", data=paste)
        assert made.status == 201, await made.text()
        permalink = "/a/" + (await made.json())["id"]
        names = {"item": f"/items/{item['type_id']}", "permalink": permalink, "code": code}
        for role, account in accounts.items():
            context = await browser.new_context()
            if account is not None:
                await context.add_cookies(await session_cookies(app, account, base))
            page = await context.new_page()
            for path in (p.format(**names) for p in PAGES[role]):
                response = await page.goto(base + path)
                assert response is not None and response.status in (200, 404, 410, 422), (path, response)
                if problems := await _violations(page, axe_js):
                    found[f"{role} {path}"] = problems
            if role == "signed out" and not found:
                await _keyboard_signed_out(page, base, item, permalink, axe_js)
            elif role == "user" and not found:
                await _keyboard_user(page, base)
            await context.close()
    report = "\n".join(f"{where}:\n  " + "\n  ".join(problems) for where, problems in found.items())
    assert not found, "axe found serious or critical violations:\n" + report
