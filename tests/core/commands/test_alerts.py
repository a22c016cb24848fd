"""/alert and /watch through dispatch, on the real Postgres stores: what is stored, what is refused, who may."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from adapters.postgres.account_email import PgAccountEmail
from adapters.postgres.alerts_rules import PgAlertRules
from adapters.postgres.watchlist import PgWatchlist
from core.accounts.email import issue_token
from core.alerts.model import AlertKind, AlertTarget, Direction, Side, TargetKind
from core.catalog import Catalog
from core.chat import Caller, CommandContext, Invocation, Reply, dispatch
from core.commands.default import build_registry
from core.market.structures import StructureMarket
from core.usecases.alerts import AlertServices
from tests.core.commands.market_helpers import assert_clean
from tests.core.commands.sample_catalog import sample_catalog

pytestmark = pytest.mark.integration

REGISTRY = build_registry()
CATALOG = sample_catalog()
FORGE, DOMAIN, JITA, AMARR = 10000002, 10000043, 60003760, 60008494
MEMBER = Caller("discord", "5", "Member", guild_id="g1", chat_id="c9")
MANAGER = dataclasses.replace(MEMBER, user_id="6", roles=frozenset({"manage_guild"}))
TELEGRAM_DM = Caller("telegram", "77", "Pilot", chat_id="77", is_dm=True)


async def account(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id"))


async def run(
    pool: asyncpg.Pool, text: str, caller: Caller, account_id: int, hub: str | None = None, catalog: Catalog = CATALOG
) -> Reply:
    services = AlertServices(PgAlertRules(pool), PgWatchlist(pool, max_items=3), catalog)
    ctx = CommandContext(catalog=catalog, alerts=services, default_hub=hub)
    bound = dataclasses.replace(caller, account_id=account_id)
    reply = await dispatch(REGISTRY, Invocation.from_text(text, bound), ctx)
    assert_clean(reply)
    assert "incident" not in reply.data, reply.text
    return reply


async def test_add_stores_a_checked_rule_at_the_callers_hub_to_their_dm(pg_pool: asyncpg.Pool) -> None:
    me = await account(pg_pool)
    reply = await run(pg_pool, "/alert add tritanium sell below 4.5", MEMBER, me, hub="Amarr")
    assert not reply.is_error, reply.text
    assert reply.text.startswith(f"Alert #{reply.data['id']}: Tritanium sell below 4.50 at Amarr, to your DM")
    [rule] = await PgAlertRules(pg_pool).list_for(me)
    spec = rule.spec
    assert (spec.kind, spec.side, spec.direction, spec.threshold) == (AlertKind.PRICE, Side.SELL, Direction.BELOW, 4.5)
    assert (spec.region_id, spec.location_id, spec.type_id) == (DOMAIN, AMARR, 34)
    assert spec.target == AlertTarget("discord", TargetKind.DM, "5") and spec.cooldown == timedelta(hours=1)
    named = await run(pg_pool, "/alert add trit spread above 5 the forge hysteresis=1 cooldown=30", MEMBER, me)
    rules = await PgAlertRules(pg_pool).list_for(me)
    assert named.data["location_id"] is None and rules[1].spec.region_id == FORGE  # a region: region-wide
    assert (rules[1].spec.kind, rules[1].spec.hysteresis, rules[1].spec.cooldown) == (
        AlertKind.SPREAD,
        1.0,
        timedelta(minutes=30),
    )
    volume = await run(pg_pool, "/alert add pyerite volume above 3 jita", MEMBER, me)
    assert volume.data["location_id"] is None and volume.data["region_id"] == FORGE  # volume: per region
    options = {"item": "Tritanium", "kind": "buy", "direction": "above", "value": "5", "where": "Jita"}
    discord = await dispatch(
        REGISTRY,
        Invocation("alert add", options, dataclasses.replace(MEMBER, account_id=me)),
        CommandContext(catalog=CATALOG, alerts=AlertServices(PgAlertRules(pg_pool), PgWatchlist(pg_pool), CATALOG)),
    )
    assert not discord.is_error and discord.data["location_id"] == JITA


async def test_bad_input_is_explained_and_nothing_is_stored(pg_pool: asyncpg.Pool) -> None:
    me = await account(pg_pool)
    cases = {
        "/alert add unobtainium sell below 4.5 jita": "unknown item",
        "/alert add tritanium sell below 4.5 jtia": "jtia",
        "/alert add tritanium sell below -3 jita": "must not be negative",
        "/alert add tritanium sell sideways 4.5 jita": "direction",
        "/alert add tritanium sell below 4.5 jita here": "manage",
        "/alert add tritanium sell below 4.5 jita hysteresis=9": "hysteresis",
    }
    for text, expected in cases.items():
        reply = await run(pg_pool, text, MEMBER, me)
        assert reply.is_error and expected in reply.text, (text, reply.text)
    assert await PgAlertRules(pg_pool).list_for(me) == []
    await PgAlertRules(pg_pool).set_max_rules(me, 1)
    assert not (await run(pg_pool, "/alert add tritanium sell below 4.5", MEMBER, me)).is_error
    full = await run(pg_pool, "/alert add pyerite sell below 9", MEMBER, me)
    assert full.is_error and "limit is 1" in full.text
    assert len(await PgAlertRules(pg_pool).list_for(me)) == 1


async def test_here_targets_the_channel_for_managers_and_the_dm_in_a_private_chat(pg_pool: asyncpg.Pool) -> None:
    boss, pilot = await account(pg_pool), await account(pg_pool)
    assert not (await run(pg_pool, "/alert add tritanium sell below 4.5 jita here", MANAGER, boss)).is_error
    assert not (await run(pg_pool, "/alert add tritanium buy above 4 here", TELEGRAM_DM, pilot)).is_error
    group = dataclasses.replace(TELEGRAM_DM, chat_id="-100", is_dm=False, roles=frozenset({"chat_admin"}))
    assert not (await run(pg_pool, "/alert add tritanium buy above 4 here", group, pilot)).is_error
    [channel] = await PgAlertRules(pg_pool).list_for(boss)
    assert channel.spec.target == AlertTarget("discord", TargetKind.CHANNEL, "c9")
    targets = [rule.spec.target for rule in await PgAlertRules(pg_pool).list_for(pilot)]
    assert targets == [AlertTarget("telegram", TargetKind.DM, "77"), AlertTarget("telegram", TargetKind.CHAT, "-100")]


async def test_list_pause_resume_and_remove_only_your_own(pg_pool: asyncpg.Pool) -> None:
    me, other = await account(pg_pool), await account(pg_pool)
    mine = (await run(pg_pool, "/alert add tritanium sell below 4.5 jita", MEMBER, me)).data["id"]
    theirs = (await run(pg_pool, "/alert add pyerite sell below 9 jita", TELEGRAM_DM, other)).data["id"]
    assert (await run(pg_pool, f"/alert pause {mine}", MEMBER, me)).data == {"id": mine, "active": False}
    listing = await run(pg_pool, "/alert list", MEMBER, me)
    [table] = listing.tables
    assert table.headers == ["ID", "Item", "Condition", "Place", "Target", "State", "Last fired"]
    assert table.rows == [[str(mine), "Tritanium", "sell below 4.50", "at Jita", "your DM", "paused", "never"]]
    await run(pg_pool, f"/alert resume {mine}", MEMBER, me)
    assert (await run(pg_pool, "/alert list", MEMBER, me)).data["alerts"] == [{"id": mine, "state": "armed"}]
    for command in ("remove", "pause"):
        refused = await run(pg_pool, f"/alert {command} {theirs}", MEMBER, me)
        assert refused.is_error and f"no alert #{theirs}" in refused.text
    assert [rule.active for rule in await PgAlertRules(pg_pool).list_for(other)] == [True]
    assert not (await run(pg_pool, f"/alert remove {mine}", MEMBER, me)).is_error
    assert await PgAlertRules(pg_pool).list_for(me) == []
    empty = await run(pg_pool, "/alert list", MEMBER, me)
    assert "No alerts yet" in empty.text


async def test_list_names_a_tracked_structure_a_rule_watches(pg_pool: asyncpg.Pool) -> None:
    me, catalog = await account(pg_pool), sample_catalog()
    name = "Perimeter - Tranquility Trading Tower"
    catalog.set_structures([StructureMarket(1_035_466_617_946, 90_000_001, name, 30000144, None, 1, 2)])
    text = "/alert add tritanium sell below 4.5 tranquility trading tower"
    added = await run(pg_pool, text, MEMBER, me, None, catalog)
    assert not added.is_error, added.text
    [table] = (await run(pg_pool, "/alert list", MEMBER, me, None, catalog)).tables
    assert table.rows[0][3] == f"at {name}"  # not "at station 1035466617946"


async def test_quiet_hours_set_show_and_off(pg_pool: asyncpg.Pool) -> None:
    me = await account(pg_pool)
    done = await run(pg_pool, "/alert quiet 22:00-07:00 Europe/Berlin", MEMBER, me)
    assert not done.is_error and "22:00-07:00 Europe/Berlin" in done.text
    quiet = (await PgAlertRules(pg_pool).preferences(me)).quiet
    assert quiet is not None and (quiet.timezone, quiet.start.hour, quiet.end.hour) == ("Europe/Berlin", 22, 7)
    assert "22:00-07:00 Europe/Berlin" in (await run(pg_pool, "/alert quiet", MEMBER, me)).text
    for bad, expected in (("25:00-07:00", "not a time"), ("22:00", "not a range"), ("22-7 Mars/Base", "time zone")):
        reply = await run(pg_pool, f"/alert quiet {bad}", MEMBER, me)
        assert reply.is_error and expected in reply.text, reply.text
    assert not (await run(pg_pool, "/alert quiet off", MEMBER, me)).is_error
    assert (await PgAlertRules(pg_pool).preferences(me)).quiet is None


async def test_watch_add_list_remove_limit_and_digest(pg_pool: asyncpg.Pool) -> None:
    me = await account(pg_pool)
    assert (await run(pg_pool, "/watch add tritanium", MEMBER, me)).data == {"type_id": 34, "added": True}
    assert "already" in (await run(pg_pool, "/watch add trit", MEMBER, me)).text
    await run(pg_pool, "/watch add pyerite", MEMBER, me)
    await run(pg_pool, "/watch add mexallon", MEMBER, me)
    full = await run(pg_pool, "/watch add isogen", MEMBER, me)
    assert full.is_error and "full (3 items)" in full.text
    listing = await run(pg_pool, "/watch list", MEMBER, me)
    assert listing.text.splitlines() == ["- Tritanium", "- Pyerite", "- Mexallon", "Daily digest: off"]
    assert await pg_pool.fetchval("SELECT count(*) FROM watched_types WHERE region_id = $1", FORGE) == 3
    on = await run(pg_pool, "/watch digest on 7", MEMBER, me)
    assert on.data == {"enabled": True, "hour": 7} and "07:00 UTC" in on.text
    digest = await PgWatchlist(pg_pool).digest(me)
    assert digest.enabled and digest.target == AlertTarget("discord", TargetKind.DM, "5")
    assert not (await run(pg_pool, "/watch remove pyerite", MEMBER, me)).is_error
    missing = await run(pg_pool, "/watch remove pyerite", MEMBER, me)
    assert missing.is_error and "not on your watchlist" in missing.text
    assert (await run(pg_pool, "/watch digest off", MEMBER, me)).data["enabled"] is False
    assert not (await PgWatchlist(pg_pool).digest(me)).enabled


async def test_without_alert_services_or_account_the_commands_say_so() -> None:
    reply = await dispatch(REGISTRY, Invocation.from_text("/alert list", MEMBER), CommandContext(catalog=CATALOG))
    assert reply.is_error and "not enabled" in reply.text


async def test_mail_targets_the_accounts_verified_address_only(pg_pool: asyncpg.Pool) -> None:
    me = await account(pg_pool)
    emails = PgAccountEmail(pg_pool)
    services = AlertServices(PgAlertRules(pg_pool), PgWatchlist(pg_pool), CATALOG, emails=emails,
                             panel_url="https://panel.example.org/")  # fmt: skip
    ctx = CommandContext(catalog=CATALOG, alerts=services)
    text = "/alert add tritanium sell below 4.5 jita mail"

    async def add() -> Reply:
        reply = await dispatch(REGISTRY, Invocation.from_text(text, dataclasses.replace(MEMBER, account_id=me)), ctx)
        assert_clean(reply)
        return reply

    unverified = await add()
    assert unverified.is_error
    assert "verify an address on the panel first: https://panel.example.org/settings" in unverified.text
    now = datetime.now(UTC)
    token = issue_token(now)
    await emails.start(me, "pilot@example.org", token, now)
    assert (await add()).is_error  # waiting for its link is not verified
    await emails.confirm(token.token_hash, now)
    created = await add()
    assert not created.is_error and "to your e-mail (p***t@example.org)" in created.text
    [rule] = await PgAlertRules(pg_pool).list_for(me)
    assert rule.spec.target == AlertTarget("email", TargetKind.EMAIL, "pilot@example.org")
    assert rule.spec.location_id == JITA  # "jita mail": the hub, then the target word
    listing = await run(pg_pool, "/alert list", MEMBER, me)
    assert listing.tables[0].rows[0][4] == "your e-mail (p***t@example.org)"  # masked: lists may be seen by others
    off = await run(pg_pool, text, MEMBER, me)  # alert services without e-mail: this server sends no mail
    assert off.is_error and "e-mail alerts are not enabled on this server" in off.text
