"""Account settings use case: parsing (forms lenient about the hub, the JSON API exact) and saving over Postgres."""

from __future__ import annotations

import asyncpg
import pytest

from adapters.postgres.account_settings import PgAccountSettings
from adapters.postgres.accounts import PgIdentityStore
from core.chat.model import Caller
from core.market.fees import AccountSettings, TradeSkills
from core.usecases.settings import SettingsInvalid, parse_settings, save_account_settings


@pytest.mark.parametrize(("raw", "hub"), [("", None), ("  ", None), (None, None), ("jita", "Jita"), ("Amarr", "Amarr")])
def test_a_form_takes_blank_for_none_and_any_known_spelling(raw: object, hub: str | None) -> None:
    assert parse_settings(raw, {}).default_hub == hub


@pytest.mark.parametrize("raw", ["", "jita", " Jita", "Nowhere", 3])
def test_the_api_takes_exact_hub_names_or_null_only(raw: object) -> None:
    with pytest.raises(SettingsInvalid) as raised:
        parse_settings(raw, {}, strict=True)
    assert "default_hub" in raised.value.errors
    assert parse_settings("Jita", {}, strict=True).default_hub == "Jita"
    assert parse_settings(None, {}, strict=True).default_hub is None


@pytest.mark.parametrize("level", ["²", "٣", "9" * 40, "-1", "6"])
def test_a_skill_level_that_is_no_level_is_an_error_not_a_crash(level: str) -> None:
    with pytest.raises(SettingsInvalid) as raised:
        parse_settings(None, {"accounting": level})
    assert raised.value.errors == {"accounting": "must be a whole number from 0 to 5"}  # not int()'s own words


async def _saved_settings(pg_pool: asyncpg.Pool) -> tuple[PgAccountSettings, int]:
    """An account whose settings are Amarr with Accounting 4, saved through the use case."""
    account = await PgIdentityStore(pg_pool).account_for(Caller("discord", "2001", "Trader"))
    store = PgAccountSettings(pg_pool)
    saved = await save_account_settings(store, account, "amarr", {"accounting": "4", "corp_standing": "1.5"})
    assert saved == AccountSettings("Amarr", TradeSkills(accounting=4, corp_standing=1.5))
    return store, account


async def test_valid_settings_are_saved_with_the_hub_in_one_call(pg_pool: asyncpg.Pool) -> None:
    store, account = await _saved_settings(pg_pool)
    stored = await store.settings(account)
    assert (stored.default_hub, stored.skills.accounting, stored.skills.corp_standing) == ("Amarr", 4, 1.5)
    assert stored.skills_overridden


@pytest.mark.parametrize(
    ("hub", "skills", "strict", "bad"),
    [
        ("Nowhere", {"accounting": "5"}, False, {"default_hub"}),
        ("Jita", {"accounting": "6"}, False, {"accounting"}),
        ("jita", {"accounting": 5}, True, {"default_hub"}),
        ("Jita", {"accounting": 5, "cybernetics": 5}, True, {"cybernetics"}),
        ("Dodixie", {"faction_standing": "11"}, False, {"faction_standing"}),
    ],
)
async def test_a_bad_hub_or_skill_changes_nothing(
    pg_pool: asyncpg.Pool, hub: str, skills: dict[str, object], strict: bool, bad: set[str]
) -> None:
    store, account = await _saved_settings(pg_pool)
    before = await store.settings(account)
    with pytest.raises(SettingsInvalid) as raised:
        await save_account_settings(store, account, hub, skills, strict=strict)
    assert set(raised.value.errors) == bad
    assert await store.settings(account) == before
