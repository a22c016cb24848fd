"""The Alerts page: own rules listed and managed, the create form (with field errors), quiet hours, watchlist, CSRF."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.mail import MailSettings, SmtpAlertSender
from adapters.postgres.account_email import PgAccountEmail
from adapters.postgres.alerts_rules import PgAlertRules
from core.accounts.email import issue_token
from tests.web.helpers import create_account, csrf_of, sign_in
from web.email_pages import MAILER

Client = TestClient[web.Request, web.Application]
TRIT = {"item": "tritanium", "kind": "price", "side": "sell", "direction": "below", "value": "4.5"}
TRIT |= {"place": "hub:Amarr"}
_ids = itertools.count(7_700_000)  # the module shares one database: every identity is new


async def _types(pool: asyncpg.Pool) -> None:
    await pool.execute(
        "INSERT INTO sde_types (type_id, name, group_id) VALUES (34, 'Tritanium', 18), (35, 'Pyerite', 18)"
        " ON CONFLICT DO NOTHING"
    )


async def _signed_in(client: Client, pool: asyncpg.Pool, chat: bool = True) -> tuple[int, str, dict[str, str]]:
    """A new account (a Telegram identity "Pilot" if `chat`, and a web login), signed in on `client`.

    Returns the account id, its CSRF token and TRIT aimed at the Telegram DM.
    """
    await _types(pool)
    telegram, web_login = str(next(_ids)), f"w{next(_ids)}"
    identities = ((("telegram", telegram, "Pilot"),) if chat else ()) + (("web", web_login, "Browser"),)
    account = await create_account(pool, identities=identities)
    await sign_in(client, account)
    return account, await csrf_of(client), TRIT | {"target": f"telegram:{telegram}"}


async def _post(client: Client, path: str, form: dict[str, str], token: str | None) -> Any:
    data = form | ({"csrf_token": token} if token else {})
    return await client.post(path, data=data, allow_redirects=False)


async def _rules(pool: asyncpg.Pool, account: int) -> list[asyncpg.Record]:
    return list(await pool.fetch("SELECT * FROM alert_rules WHERE account_id = $1 ORDER BY id", account))


async def _foreign_rule(pool: asyncpg.Pool) -> int:
    """A Pyerite rule of another account (with its own Discord identity)."""
    address = str(next(_ids))
    other = await create_account(pool, identities=(("discord", address, "Other"),))
    return int(
        await pool.fetchval(
            "INSERT INTO alert_rules (account_id, kind, type_id, region_id, side, direction, threshold,"
            " target_platform, target_kind, target_address)"
            " VALUES ($1, 'price', 35, 10000002, 'sell', 'above', 9, 'discord', 'dm', $2) RETURNING id",
            other,
            address,
        )
    )


async def test_anonymous_visitors_get_the_sign_in_page(make_light_client) -> None:
    response = await (await make_light_client(sso_enabled=True)).get("/alerts")
    assert response.status == 401 and 'href="/auth/login"' in await response.text()


async def test_create_then_list_only_own_rules(client, pg_pool) -> None:
    me, token, trit = await _signed_in(client, pg_pool)
    await _foreign_rule(pg_pool)
    created = await _post(client, "/alerts", trit, token)
    assert (created.status, created.headers["Location"]) == (303, "/alerts?done=created")
    volume = trit | {"item": "trit", "kind": "volume_spike", "side": "buy", "direction": "above", "value": "3"}
    assert (await _post(client, "/alerts", volume | {"place": "hub:Jita"}, token)).status == 303
    rows = await _rules(pg_pool, me)
    assert [(r["type_id"], r["kind"], r["side"], r["location_id"], r["region_id"]) for r in rows] == [
        (34, "price", "sell", 60008494, 10000043),
        (34, "volume_spike", None, None, 10000002),  # volume goes region-wide; the side is ignored
    ]
    assert {(r["target_platform"], r["target_kind"], r["target_address"]) for r in rows} == {
        ("telegram", "dm", trit["target"][9:])
    }
    page = await client.get("/alerts?done=created")
    text = await page.text()
    assert page.status == 200 and "Alert created." in text and 'aria-current="page">Alerts' in text
    for shown in ("Tritanium", "sell below 4.50", "at Amarr", "in The Forge", "DM to Pilot (telegram)", "armed"):
        assert shown in text, shown
    assert f'aria-label="Pause alert {rows[0]["id"]} (Tritanium)"' in text and "never" in text
    assert "Pyerite" not in text and "Other" not in text  # the other account's rule stays private
    assert '<option value="web:' not in text  # a browser login cannot receive a DM


async def test_bad_input_reshows_the_form_with_field_errors_and_stores_nothing(client, pg_pool) -> None:
    me, token, trit = await _signed_in(client, pg_pool)
    theirs = await _foreign_rule(pg_pool)
    stolen = "discord:" + await pg_pool.fetchval("SELECT target_address FROM alert_rules WHERE id = $1", theirs)
    bad = await _post(client, "/alerts", trit | {"item": "Tritan", "place": "hub:Narnia", "target": stolen}, token)
    text = await bad.text()
    assert bad.status == 422 and "Nothing was saved" in text
    assert "unknown item &#39;Tritan&#39;; did you mean Tritanium?" in text and 'value="Tritan"' in text
    assert 'id="place-error"' in text and "pick one of your own chat identities" in text
    assert 'id="item" name="item" type="text"' in text and text.count('aria-invalid="true"') == 3
    negative = await _post(client, "/alerts", trit | {"value": "-1"}, token)
    assert negative.status == 422 and 'id="value-error">the threshold must not be negative' in await negative.text()
    no_side = await _post(client, "/alerts", trit | {"side": ""}, token)
    assert no_side.status == 422 and 'id="side-error"' in await no_side.text()
    assert await _rules(pg_pool, me) == []
    await PgAlertRules(pg_pool).set_max_rules(me, 1)
    assert (await _post(client, "/alerts", trit, token)).status == 303
    full = await _post(client, "/alerts", trit, token)
    assert full.status == 422 and "the limit is 1: remove one first" in await full.text()
    assert len(await _rules(pg_pool, me)) == 1


async def test_an_account_without_a_chat_is_told_to_use_the_bot_first(client, pg_pool) -> None:
    me, token, trit = await _signed_in(client, pg_pool, chat=False)
    page = await (await client.get("/alerts")).text()
    assert "No chat identities yet" in page
    refused = await _post(client, "/alerts", trit | {"target": ""}, token)
    assert refused.status == 422 and "use the bot in Discord or Telegram first" in await refused.text()
    assert await _rules(pg_pool, me) == []


async def test_pause_resume_and_remove_own_rules_only(client, pg_pool) -> None:
    me, token, trit = await _signed_in(client, pg_pool)
    theirs = await _foreign_rule(pg_pool)
    await _post(client, "/alerts", trit, token)
    mine = (await _rules(pg_pool, me))[0]["id"]
    paused = await _post(client, f"/alerts/{mine}/pause", {}, token)
    assert (paused.status, paused.headers["Location"]) == (303, "/alerts?done=paused")
    assert (await _rules(pg_pool, me))[0]["active"] is False
    page = await (await client.get("/alerts")).text()
    assert "paused" in page and f'action="/alerts/{mine}/resume"' in page
    assert (await _post(client, f"/alerts/{mine}/resume", {}, token)).status == 303
    assert (await _rules(pg_pool, me))[0]["active"] is True
    for action in ("pause", "resume", "remove"):
        assert (await _post(client, f"/alerts/{theirs}/{action}", {}, token)).status == 404, action
    assert (await _post(client, "/alerts/abc/remove", {}, token)).status == 404
    theirs_row = await pg_pool.fetchrow("SELECT active FROM alert_rules WHERE id = $1", theirs)
    assert theirs_row is not None and theirs_row["active"] is True
    assert (await _post(client, f"/alerts/{mine}/remove", {}, token)).status == 303
    assert await _rules(pg_pool, me) == []
    assert (await _post(client, f"/alerts/{mine}/remove", {}, token)).status == 404


async def test_a_snoozed_rule_says_until_when(client, pg_pool) -> None:
    me, token, trit = await _signed_in(client, pg_pool)
    await _post(client, "/alerts", trit, token)
    mine = (await _rules(pg_pool, me))[0]["id"]
    until = datetime(2100, 1, 2, 3, 4, tzinfo=UTC)  # snoozed from chat (/alert snooze)
    await pg_pool.execute("UPDATE alert_rules SET muted_until = $2 WHERE id = $1", mine, until)
    page = await (await client.get("/alerts")).text()
    assert 'snoozed until <time datetime="2100-01-02T03:04:00+00:00">2100-01-02 03:04 UTC</time>' in page
    assert f'action="/alerts/{mine}/unsnooze"' in page
    await pg_pool.execute("UPDATE alert_rules SET muted_until = now() - interval '1 minute' WHERE id = $1", mine)
    page = await (await client.get("/alerts")).text()
    assert "snoozed until" not in page and f'action="/alerts/{mine}/snooze"' in page  # a snooze that has ended


async def test_snooze_and_unsnooze_own_rules_only(client, pg_pool) -> None:
    me, token, trit = await _signed_in(client, pg_pool)
    theirs = await _foreign_rule(pg_pool)
    await _post(client, "/alerts", trit, token)
    mine = (await _rules(pg_pool, me))[0]["id"]
    snoozed = await _post(client, f"/alerts/{mine}/snooze", {}, token)
    assert (snoozed.status, snoozed.headers["Location"]) == (303, "/alerts?done=snoozed")
    muted = await pg_pool.fetchval(
        "SELECT muted_until - now() FROM alert_rules WHERE id = $1", mine
    )  # an hour from now
    assert 59 * 60 < muted.total_seconds() <= 60 * 60
    assert "Alert snoozed for an hour." in await (await client.get("/alerts?done=snoozed")).text()
    ended = await _post(client, f"/alerts/{mine}/unsnooze", {}, token)
    assert (ended.status, ended.headers["Location"]) == (303, "/alerts?done=unsnoozed")
    assert await pg_pool.fetchval("SELECT muted_until <= now() FROM alert_rules WHERE id = $1", mine)
    for action in ("snooze", "unsnooze"):
        assert (await _post(client, f"/alerts/{theirs}/{action}", {}, token)).status == 404, action
    assert await pg_pool.fetchval("SELECT muted_until FROM alert_rules WHERE id = $1", theirs) is None


async def test_quiet_hours_set_rejected_and_cleared(client, pg_pool) -> None:
    me, token, _ = await _signed_in(client, pg_pool)
    rules = PgAlertRules(pg_pool)
    quiet = {"quiet_start": "22:00", "quiet_end": "07:00", "quiet_timezone": "Europe/Berlin"}
    saved = await _post(client, "/alerts/quiet", quiet | {"action": "save"}, token)
    assert (saved.status, saved.headers["Location"]) == (303, "/alerts?done=quiet")
    stored = (await rules.preferences(me)).quiet
    assert stored is not None and (f"{stored.start:%H:%M}", f"{stored.end:%H:%M}", stored.timezone) == (
        "22:00",
        "07:00",
        "Europe/Berlin",
    )
    assert "Now: 22:00 to 07:00 Europe/Berlin" in await (await client.get("/alerts")).text()
    for field, wrong, message in (
        ("quiet_timezone", "Mars/Base", "unknown time zone"),
        ("quiet_end", "22:00", "must start and end at different times"),
        ("quiet_start", "late", "is not a time of day like 22:00"),
    ):
        response = await _post(client, "/alerts/quiet", quiet | {field: wrong, "action": "save"}, token)
        text = await response.text()
        assert response.status == 422 and f'id="{field}-error">' in text and message in text, field
    assert (await rules.preferences(me)).quiet == stored
    off = await _post(client, "/alerts/quiet", quiet | {"action": "off"}, token)
    assert off.headers["Location"] == "/alerts?done=quiet_off" and (await rules.preferences(me)).quiet is None


async def test_watchlist_add_remove_and_daily_digest(client, pg_pool) -> None:
    me, token, trit = await _signed_in(client, pg_pool)
    added = await _post(client, "/alerts/watchlist", {"watch_item": "pyerite"}, token)
    assert added.headers["Location"] == "/alerts?done=watched"
    again = await _post(client, "/alerts/watchlist", {"watch_item": "Pyerite"}, token)
    assert again.headers["Location"] == "/alerts?done=already"
    assert await pg_pool.fetchval("SELECT count(*) FROM watched_types WHERE region_id = 10000002 AND type_id = 35")
    unknown = await _post(client, "/alerts/watchlist", {"watch_item": "Unobtainium"}, token)
    assert unknown.status == 422 and "unknown item" in await unknown.text()
    page = await (await client.get("/alerts")).text()
    assert 'aria-label="Stop watching Pyerite"' in page and "Daily digest" in page
    digest = {"digest_enabled": "on", "digest_hour": "7", "digest_target": trit["target"]}
    assert (await _post(client, "/alerts/digest", digest, token)).headers["Location"] == "/alerts?done=digest"
    row = await pg_pool.fetchrow("SELECT * FROM digest_preferences WHERE account_id = $1", me)
    assert (row["enabled"], row["hour"], row["target_platform"], row["target_address"]) == (
        True,
        7,
        "telegram",
        trit["target"][9:],
    )
    late = await _post(client, "/alerts/digest", digest | {"digest_hour": "24"}, token)
    assert late.status == 422 and "must be a whole hour from 0 to 23" in await late.text()
    assert await pg_pool.fetchval("SELECT hour FROM digest_preferences WHERE account_id = $1", me) == 7
    assert "On: every day at 07:00" in await (await client.get("/alerts")).text()
    assert (await _post(client, "/alerts/digest", digest | {"digest_enabled": "off"}, token)).status == 303
    assert await pg_pool.fetchval("SELECT enabled FROM digest_preferences WHERE account_id = $1", me) is False
    assert (await _post(client, "/alerts/watchlist/35/remove", {}, token)).status == 303
    assert await pg_pool.fetchval("SELECT count(*) FROM watchlist WHERE account_id = $1", me) == 0
    assert (await _post(client, "/alerts/watchlist/35/remove", {}, token)).status == 404


async def test_every_form_is_refused_without_the_csrf_token(client, pg_pool) -> None:
    me, token, trit = await _signed_in(client, pg_pool)
    await _post(client, "/alerts", trit, token)
    await _post(client, "/alerts/watchlist", {"watch_item": "Tritanium"}, token)
    rule = (await _rules(pg_pool, me))[0]["id"]
    quiet = {"quiet_start": "22:00", "quiet_end": "07:00", "quiet_timezone": "UTC", "action": "save"}
    for path, form in (
        ("/alerts", trit),
        (f"/alerts/{rule}/pause", {}),
        (f"/alerts/{rule}/remove", {}),
        ("/alerts/quiet", quiet),
        ("/alerts/watchlist", {"watch_item": "Pyerite"}),
        ("/alerts/watchlist/34/remove", {}),
        ("/alerts/digest", {"digest_enabled": "on", "digest_hour": "7", "digest_target": trit["target"]}),
    ):
        for wrong in (None, "0" * 64):
            response = await _post(client, path, form, wrong)
            assert response.status == 403 and "did not come from this site" in await response.text(), path
    rows = await _rules(pg_pool, me)
    assert [(r["id"], r["active"]) for r in rows] == [(rule, True)]
    assert await pg_pool.fetchval("SELECT array_agg(type_id) FROM watchlist WHERE account_id = $1", me) == [34]
    assert (await PgAlertRules(pg_pool).preferences(me)).quiet is None
    assert await pg_pool.fetchval("SELECT count(*) FROM digest_preferences WHERE account_id = $1", me) == 0


def _with_mailer(app: web.Application) -> None:
    """Give the app the e-mail sender (never used here: addresses are verified straight in the store)."""
    app[MAILER] = SmtpAlertSender(MailSettings.from_url("smtp://127.0.0.1:9", "alerts@evetrader.test"))


async def _verified(pool: asyncpg.Pool, account: int, address: str) -> None:
    now = datetime.now(UTC)
    token = issue_token(now)
    await PgAccountEmail(pool).start(account, address, token, now)
    await PgAccountEmail(pool).confirm(token.token_hash, now)


async def test_a_verified_e_mail_address_is_offered_and_used_as_a_target(make_client, pg_pool) -> None:
    client = await make_client(setup=_with_mailer)
    me, token, trit = await _signed_in(client, pg_pool)
    address = f"pilot{next(_ids)}@example.org"
    page = await (await client.get("/alerts")).text()
    assert 'value="email:' not in page  # nothing verified yet
    unverified = await _post(client, "/alerts", trit | {"target": f"email:{address}"}, token)
    text = await unverified.text()
    assert unverified.status == 422 and 'id="target-error"' in text
    assert "verify that e-mail address on the panel first: http://127.0.0.1/settings" in text
    await _verified(pg_pool, me, address)
    page = await (await client.get("/alerts")).text()
    assert f'<option value="email:{address}">E-mail: {address}</option>' in page
    assert (await _post(client, "/alerts", trit | {"target": f"email:{address}"}, token)).status == 303
    [rule] = await _rules(pg_pool, me)
    assert (rule["target_platform"], rule["target_kind"], rule["target_address"]) == ("email", "email", address)
    assert f"E-mail to {address}" in await (await client.get("/alerts")).text()
    digest = {"digest_enabled": "on", "digest_hour": "7", "digest_target": f"email:{address}"}
    assert (await _post(client, "/alerts/digest", digest, token)).status == 303
    row = await pg_pool.fetchrow("SELECT target_kind, target_address FROM digest_preferences WHERE account_id = $1", me)
    assert (row["target_kind"], row["target_address"]) == ("email", address)
    assert f'<option value="email:{address}" selected>' in await (await client.get("/alerts")).text()
    other = await _post(client, "/alerts", trit | {"target": "email:someone@example.org"}, token)
    assert other.status == 422 and len(await _rules(pg_pool, me)) == 1


async def test_e_mail_targets_need_a_mail_server_and_a_verified_address(client, make_client, pg_pool) -> None:
    me, token, trit = await _signed_in(client, pg_pool, chat=False)
    address = f"pilot{next(_ids)}@example.org"
    await _verified(pg_pool, me, address)
    off = await _post(client, "/alerts", trit | {"target": f"email:{address}"}, token)  # this server sends no mail
    text = await off.text()
    assert off.status == 422 and "e-mail alerts are not enabled on this server" in text
    assert 'value="email:' not in text and "No chat identities yet" in text
    mailing = await make_client(setup=_with_mailer)
    await sign_in(mailing, me)
    token = await csrf_of(mailing)
    page = await (await mailing.get("/alerts")).text()
    assert f'<option value="email:{address}" selected>' in page and "No chat identities yet" not in page
    unpicked = await _post(mailing, "/alerts", trit | {"target": ""}, token)
    assert unpicked.status == 422 and "pick your verified e-mail address" in await unpicked.text()
    assert await _rules(pg_pool, me) == []
