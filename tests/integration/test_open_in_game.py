"""/market open (what the "Open in game" buttons run) against the ESI and SSO fakes and real Postgres: the window opens
in the caller's trading character's client; a caller without a character granted the scope, or whose token lacks
it, is told to enable trading; an expired EVE login is told to sign in again; /orders and alerts only offer the
button to an account that can use it."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio

from adapters.postgres.accounts import PgIdentityStore
from adapters.postgres.profile import PgCharacterProfiles
from adapters.postgres.trader import PgTrader
from core.accounts.route_fetches import FetchMeta
from core.accounts.sso import SCOPE_OPEN_WINDOW
from core.chat import Caller, CommandContext, Invocation, Reply, dispatch
from core.trading.profile import BROKER_RELATIONS, SkillLevel
from core.trading.windows import NO_CHARACTER, MarketWindows, can_open_windows
from core.usecases.accounts import AccountServices
from tests.bot.open_in_game import ANN, BOB, JOE, READ_SCOPES, WINDOW_SCOPES, GameWorld, game_world
from tests.core.commands.market_helpers import CATALOG, REGISTRY
from tests.core.commands.test_trading_orders import CHAR, seed
from tests.core.commands.test_trading_orders import context as orders_context

pytestmark = pytest.mark.e2e
TRITANIUM = 34
OWNER, STRANGER = Caller("discord", "4242", "Pilot Jones"), Caller("discord", "5151", "Someone Else")


@pytest_asyncio.fixture
async def world(pg_pool: asyncpg.Pool) -> AsyncIterator[GameWorld]:
    async with game_world(pg_pool) as started:
        yield started


async def ask(world: GameWorld, caller: Caller, text: str) -> Reply:
    """Run a command as the caller's account (made on first sight, as the gateway does)."""
    account = await PgIdentityStore(world.pool).account_for(caller)
    ctx = CommandContext(catalog=CATALOG, accounts=world.accounts())
    who = Caller(caller.platform, caller.user_id, caller.display_name, is_dm=True, account_id=account)
    return await dispatch(REGISTRY, Invocation.from_text(text, who), ctx)


async def test_the_window_opens_in_the_trading_characters_client(world: GameWorld) -> None:
    await world.link(OWNER, ANN, WINDOW_SCOPES)
    await world.link(OWNER, JOE, WINDOW_SCOPES)
    first = await ask(world, OWNER, "/market open tritanium")  # no skills fetched yet: the first by name
    assert not first.is_error and first.text == "Opened Tritanium in Ann Hauler's client."
    profiles = PgCharacterProfiles(world.pool)
    await profiles.save_skills(JOE, [SkillLevel(BROKER_RELATIONS, 5, 5)])
    await profiles.save_meta(JOE, "skills", FetchMeta(None, None, None))  # Joe is now the trading character
    second = await ask(world, OWNER, f"/market open {TRITANIUM}")  # what the buttons send: the type id
    assert second.text == "Opened Tritanium in Joe Trader's client." and second.private
    assert second.data == {"type_id": TRITANIUM, "character": "Joe Trader"}
    assert world.opened() == [(ANN, TRITANIUM), (JOE, TRITANIUM)]


async def test_a_stranger_or_a_character_without_the_scope_opens_nothing(world: GameWorld) -> None:
    await world.link(OWNER, JOE, WINDOW_SCOPES)
    stranger = await ask(world, STRANGER, f"/market open {TRITANIUM}")  # a button pressed by someone else
    assert stranger.is_error and NO_CHARACTER in stranger.text
    await world.link(STRANGER, BOB, READ_SCOPES)
    reader = await ask(world, STRANGER, f"/market open {TRITANIUM}")
    assert reader.is_error and "enable trading features on the panel or with /link trading" in reader.text
    await world.pool.execute(  # the stored scopes claim it, but EVE's token does not carry it: ESI answers 403
        "UPDATE characters SET scopes = scopes || $1::text WHERE character_id = $2", SCOPE_OPEN_WINDOW, BOB
    )
    refused = await ask(world, STRANGER, f"/market open {TRITANIUM}")
    assert refused.is_error and NO_CHARACTER in refused.text
    assert world.opened() == []


async def test_an_expired_login_is_told_to_sign_in_again(world: GameWorld) -> None:
    await world.link(OWNER, JOE, WINDOW_SCOPES)
    world.expire_logins()
    expired = await ask(world, OWNER, f"/market open {TRITANIUM}")
    assert expired.is_error and "sign in again: Joe Trader's EVE login has expired" in expired.text
    again = await ask(world, OWNER, "/market open tritanium")  # now marked invalid: no SSO call needed to say so
    assert "sign in again: Joe Trader's EVE login has expired" in again.text
    assert world.opened() == []


async def test_a_token_esi_refuses_is_renewed_once_then_sign_in_again(world: GameWorld) -> None:
    await world.link(OWNER, JOE, WINDOW_SCOPES)
    assert not (await ask(world, OWNER, f"/market open {TRITANIUM}")).is_error  # a token is cached now
    world.esi_refuses_tokens()
    refused = await ask(world, OWNER, f"/market open {TRITANIUM}")
    assert refused.is_error and "sign in again: Joe Trader's EVE login has expired" in refused.text
    assert world.opened() == [(JOE, TRITANIUM)]


async def test_orders_offer_the_button_only_to_an_account_that_can_use_it(pg_pool: asyncpg.Pool) -> None:
    account = await seed(pg_pool)  # Trader One's sell Raven and buy Tritanium orders, no scope granted yet
    profiles = PgCharacterProfiles(pg_pool)
    windows = MarketWindows(profiles, None, None)  # type: ignore[arg-type]  # /orders only asks whether it can
    services = AccountServices(None, None, "https://panel", trader=PgTrader(pg_pool), windows=windows)  # type: ignore[arg-type]
    ctx = dataclasses.replace(orders_context(pg_pool), accounts=services)
    caller = Caller("discord", "1001", "Alice", account_id=account)
    without = await dispatch(REGISTRY, Invocation.from_text("/orders", caller), ctx)
    assert without.data["orders"] and without.buttons == []
    assert not await can_open_windows(profiles, account)
    await pg_pool.execute("UPDATE characters SET scopes = $1 WHERE character_id = $2", [SCOPE_OPEN_WINDOW], CHAR)
    listed = await dispatch(REGISTRY, Invocation.from_text("/orders", caller), ctx)
    assert [(b.label, b.action) for b in listed.buttons] == [
        ("Open in game: Raven", "market open 638"),
        ("Open in game: Tritanium", "market open 34"),
    ]
    assert await can_open_windows(profiles, account)
