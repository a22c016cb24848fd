"""The alert, target and watchlist use cases called directly on the real Postgres stores: results, refusals, owners."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import asyncpg
import pytest

from adapters.postgres.account_email import PgAccountEmail
from adapters.postgres.account_settings import PgAccountSettings
from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.watchlist import PgWatchlist
from core.accounts.email import issue_token
from core.alerts.model import AlertKind, AlertTarget, QuietHours, RuleError, RuleLimitReached, TargetKind
from core.alerts.watchlist import WatchlistLimitReached
from core.catalog import Location
from core.chat.model import Caller
from core.chat.params import ArgumentError
from core.usecases.alert_targets import choose_target
from core.usecases.alerts import (
    AlertServices,
    NoSuchAlert,
    RuleChange,
    add_alert,
    alert_place,
    list_alerts,
    remove_alert,
    set_alert_active,
    set_quiet_hours,
    snooze_alert,
)
from core.usecases.watchlist import NotWatched, set_digest, unwatch_item, watch_item, watchlist_of
from tests.core.commands.sample_catalog import sample_catalog

pytestmark = pytest.mark.integration

FORGE, JITA = 10000002, 60003760
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
DM = AlertTarget("discord", TargetKind.DM, "5")
CONSOLE = Caller("console", "local", "Pilot")
MEMBER = Caller("discord", "5", "Member", guild_id="g1", chat_id="c9")


async def account(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id"))


async def add_price_rule(rules: PgAlertRules, account_id: int, threshold: float | str = 4.5) -> int:
    rule = await add_alert(
        rules, account_id, kind="price", type_id=34, place=(FORGE, JITA), target=DM, threshold=threshold, side="sell",
        direction="below",
    )  # fmt: skip
    return rule.id


async def test_add_checks_stores_and_lists_rules_with_their_condition_and_state(pg_pool: asyncpg.Pool) -> None:
    rules, me = PgAlertRules(pg_pool), await account(pg_pool)
    price = await add_price_rule(rules, me)
    volume = await add_alert(
        rules, me, kind="volume_spike", type_id=35, place=(FORGE, JITA), target=DM, threshold=3, direction="above"
    )
    assert volume.spec.location_id is None and volume.spec.region_id == FORGE  # volume: region-wide
    listed = await list_alerts(rules, me, NOW)
    assert [(a.rule.id, a.condition, a.state, a.snoozed_until) for a in listed] == [
        (price, "sell below 4.50", "armed", None),
        (volume.id, "volume above 3x", "armed", None),
    ]
    with pytest.raises(RuleError, match="must not be negative"):
        await add_price_rule(rules, me, threshold=-1)
    await rules.set_max_rules(me, 2)
    with pytest.raises(RuleLimitReached):
        await add_price_rule(rules, me)
    assert len(await rules.list_for(me)) == 2  # refused: nothing stored


async def test_pause_resume_snooze_and_remove_only_the_owners_rule(pg_pool: asyncpg.Pool) -> None:
    rules, me, other = PgAlertRules(pg_pool), await account(pg_pool), await account(pg_pool)
    mine, theirs = await add_price_rule(rules, me), await add_price_rule(rules, other)
    assert (await set_alert_active(rules, me, mine, False)).change is RuleChange.PAUSED
    assert [a.state for a in await list_alerts(rules, me, NOW)] == ["paused"]
    assert (await set_alert_active(rules, me, mine, True)).change is RuleChange.RESUMED
    now = datetime.now(UTC)
    snoozed = await snooze_alert(rules, me, mine, 90, now)
    assert snoozed.until == now + timedelta(minutes=90)
    [listed] = await list_alerts(rules, me, now)
    assert listed.state == "armed" and listed.snoozed_until == snoozed.until
    [later] = await list_alerts(rules, me, now + timedelta(hours=2))
    assert later.snoozed_until is None  # the snooze is over
    for change in (
        lambda: remove_alert(rules, me, theirs),
        lambda: set_alert_active(rules, me, theirs, False),
        lambda: snooze_alert(rules, me, theirs, 60, now),
    ):
        with pytest.raises(NoSuchAlert) as refused:
            await change()
        assert refused.value.rule_id == theirs
    [untouched] = await list_alerts(rules, other, now)
    assert untouched.state == "armed" and untouched.snoozed_until is None
    assert (await remove_alert(rules, me, mine)).change is RuleChange.REMOVED
    assert await list_alerts(rules, me, now) == ()


async def test_quiet_hours_set_and_clear_return_the_preferences(pg_pool: asyncpg.Pool) -> None:
    rules, me = PgAlertRules(pg_pool), await account(pg_pool)
    quiet = QuietHours("Europe/Berlin", time(22), time(7))
    assert (await set_quiet_hours(rules, me, quiet)).quiet == quiet
    assert (await set_quiet_hours(rules, me, None)).quiet is None


def test_alert_place_is_the_station_or_region_wide_for_regions_and_volume() -> None:
    catalog = sample_catalog()
    jita, forge = catalog.location("jita"), catalog.location("the forge")
    assert alert_place(AlertKind.PRICE, jita) == (FORGE, JITA)
    assert alert_place(AlertKind.VOLUME_SPIKE, jita) == (FORGE, None)
    assert alert_place(AlertKind.SPREAD, forge) == (FORGE, None)
    system = Location("system", "Perimeter", FORGE, system_id=30000144)
    with pytest.raises(ArgumentError, match="neither a station nor a region"):
        alert_place(AlertKind.PRICE, system)


async def test_targets_from_the_console_go_to_the_latest_chat_then_the_verified_email(pg_pool: asyncpg.Pool) -> None:
    me = await account(pg_pool)
    emails = PgAccountEmail(pg_pool)
    services = AlertServices(
        PgAlertRules(pg_pool), PgWatchlist(pg_pool), sample_catalog(), emails=emails,
        identities=PgAccountSettings(pg_pool),
    )  # fmt: skip
    with pytest.raises(ArgumentError, match="link a chat first"):
        await choose_target(services, me, CONSOLE, "dm")
    with pytest.raises(ArgumentError, match="verify an address on the panel first"):
        await choose_target(services, me, CONSOLE, "mail")
    token = issue_token(NOW)
    await emails.start(me, "pilot@example.org", token, NOW)
    await emails.confirm(token.token_hash, NOW)
    mail = AlertTarget("email", TargetKind.EMAIL, "pilot@example.org")
    assert await choose_target(services, me, CONSOLE, "dm") == mail
    await pg_pool.execute(
        "INSERT INTO account_identities (platform, external_id, account_id, display_name) VALUES ($1, $2, $3, $4)",
        "telegram",
        "77",
        me,
        "Pilot",
    )
    assert await choose_target(services, me, CONSOLE, "here") == AlertTarget("telegram", TargetKind.DM, "77")
    assert await choose_target(services, me, MEMBER, "dm") == DM
    with pytest.raises(ArgumentError, match="manage"):
        await choose_target(services, me, MEMBER, "here")


async def test_watchlist_add_remove_list_and_digest_in_the_quiet_hours_zone(pg_pool: asyncpg.Pool) -> None:
    watchlist, rules, me = PgWatchlist(pg_pool, max_items=2), PgAlertRules(pg_pool), await account(pg_pool)
    first = await watch_item(watchlist, me, 34, FORGE)
    assert (first.watching, first.changed) == (True, True)
    assert not (await watch_item(watchlist, me, 34)).changed  # already there
    await watch_item(watchlist, me, 35)
    with pytest.raises(WatchlistLimitReached):
        await watch_item(watchlist, me, 36)
    removed = await unwatch_item(watchlist, me, 35)
    assert (removed.watching, removed.changed) == (False, True)
    with pytest.raises(NotWatched):
        await unwatch_item(watchlist, me, 35)
    watched = await watchlist_of(watchlist, me)
    assert [item.type_id for item in watched.items] == [34] and not watched.digest.enabled
    assert (await set_digest(watchlist, rules, me, True, 7, DM)).timezone == "UTC"
    await set_quiet_hours(rules, me, QuietHours("Europe/Berlin", time(22), time(7)))
    changed = await set_digest(watchlist, rules, me, True, 9)
    assert (changed.settings.enabled, changed.settings.hour, changed.timezone) == (True, 9, "Europe/Berlin")
    with pytest.raises(RuleError):
        await set_digest(watchlist, rules, me, True, 24)
    assert not (await set_digest(watchlist, rules, me, False)).settings.enabled
