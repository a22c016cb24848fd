"""The e-mail settings and link pages: a real verification mail (aiosmtplib to SmtpFake); confirm by POST + CSRF."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import asyncpg
import pytest
import pytest_asyncio
import redis.asyncio as aioredis
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.mail import MailSettings, SmtpAlertSender
from adapters.postgres.account_email import PgAccountEmail
from adapters.redis.keys import RedisKeys
from core.accounts.email import hash_token, issue_token
from evetrader.bootstrap.web import web_deps
from fakes.smtp import ReceivedMail, SmtpFake
from tests.web.helpers import create_account, csrf_of, sign_in, web_config
from web.app import create_app

Client = TestClient[web.Request, web.Application]
SENDER = "evetrader <alerts@evetrader.test>"
LINK = re.compile(r"http://127\.0\.0\.1(/email/verify/[A-Za-z0-9_-]{43})\b")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NOW = datetime.now(UTC)


@pytest_asyncio.fixture(loop_scope="session")
async def smtp() -> AsyncIterator[SmtpFake]:
    """A recording SMTP server."""
    async with SmtpFake(credentials=("bot", "s3cret")) as fake:
        yield fake


@pytest_asyncio.fixture(loop_scope="session")
async def mail_client(
    pg_pool: asyncpg.Pool, redis_client: aioredis.Redis, redis_prefix: str, smtp: SmtpFake
) -> AsyncIterator[Client]:
    """The panel built with the real e-mail sender (SmtpAlertSender) pointed at the fake."""
    mailer = SmtpAlertSender(MailSettings.from_url(smtp.url, SENDER, timeout_s=5))
    app = create_app(web_deps(pg_pool, redis_client, RedisKeys(redis_prefix), web_config(), mailer=mailer))
    client = TestClient(TestServer(app))
    await client.start_server()
    yield client
    await client.close()


async def _signed_in(client: Client, pool: asyncpg.Pool) -> tuple[int, str]:
    account = await create_account(pool)
    await sign_in(client, account)
    return account, await csrf_of(client)


async def _post(client: Client, path: str, form: dict[str, str], token: str | None) -> aiohttp.ClientResponse:
    return await client.post(path, data=form | ({"csrf_token": token} if token else {}), allow_redirects=False)


async def _mail(smtp: SmtpFake, number: int) -> tuple[ReceivedMail, str]:
    """The test's `number`th accepted message (exactly that many so far) and the path of the link it carries."""
    messages = await smtp.wait_for(number)
    assert len(messages) == number
    mail = messages[-1]
    found = LINK.search(mail.body)
    assert found is not None, mail.body
    return mail, found.group(1)


async def _allow_next_mail(pool: asyncpg.Pool, account: int) -> None:
    """Pretend the last verification mail went out long enough ago (the one-a-minute rule)."""
    await pool.execute(
        "UPDATE account_emails SET last_mail_at = now() - interval '1 hour' WHERE account_id = $1", account
    )


async def test_without_a_mailer_the_section_says_email_is_off(client: Client, pg_pool: asyncpg.Pool) -> None:
    _, token = await _signed_in(client, pg_pool)
    assert "E-mail alerts are not enabled on this server" in await (await client.get("/settings")).text()
    refused = await _post(client, "/settings/email", {"email": "pilot@example.org"}, token)
    assert refused.status == 404 and "not enabled on this server" in await refused.text()


@pytest.mark.e2e
async def test_the_mailed_link_verifies_only_when_its_page_is_confirmed(mail_client, pg_pool, smtp) -> None:
    me, token = await _signed_in(mail_client, pg_pool)
    sent = await _post(mail_client, "/settings/email", {"email": "  Pilot@Example.ORG "}, token)
    assert (sent.status, sent.headers["Location"]) == (303, "/settings?email=sent#email")
    mail, link = await _mail(smtp, 1)
    assert (mail.mail_from, mail.rcpt_tos, mail.login) == ("alerts@evetrader.test", ["Pilot@example.org"], "bot")
    assert mail.message["Subject"] == "Confirm your e-mail address for evetrader alerts" and "24 hours" in mail.body
    settings = await (await mail_client.get("/settings?email=sent")).text()
    assert "Verification link sent" in settings and "Waiting for confirmation: <strong>Pilot@example.org" in settings
    store = PgAccountEmail(pg_pool)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:  # the mail's reader
        page = await browser.get(mail_client.make_url(link))
        html = await page.text()
        assert page.status == 200 and "Confirm this address" in html and "Pilot@example.org" in html
        assert await store.verified_address(me) is None  # opening the link (a mail scanner) verifies nothing
        forged = await browser.post(mail_client.make_url(link), data={}, allow_redirects=False)
        assert forged.status == 403 and await store.verified_address(me) is None
        csrf = CSRF.search(html)
        assert csrf is not None
        done = await browser.post(mail_client.make_url(link), data={"csrf_token": csrf.group(1)})
        assert done.status == 200 and "Address verified" in await done.text()
        assert await store.verified_address(me) == "Pilot@example.org"
        again = await browser.post(mail_client.make_url(link), data={"csrf_token": csrf.group(1)})
        assert again.status == 404 and "not valid" in await again.text()  # single use
    settings = await (await mail_client.get("/settings")).text()
    assert "Verified address: <strong>Pilot@example.org</strong>" in settings and "Waiting for" not in settings
    stored = await pg_pool.fetchval("SELECT count(*) FROM account_emails WHERE token_hash IS NOT NULL")
    assert link.rsplit("/", 1)[1] not in str(await pg_pool.fetch("SELECT * FROM account_emails")) and stored == 0


@pytest.mark.e2e
async def test_bad_addresses_refused_mail_servers_csrf_and_the_quota(mail_client, pg_pool, smtp) -> None:
    me, token = await _signed_in(mail_client, pg_pool)
    for path in ("/settings/email", "/settings/email/resend", "/settings/email/cancel", "/settings/email/remove"):
        assert (await _post(mail_client, path, {"email": "x@example.org"}, None)).status == 403, path
    bad = await _post(mail_client, "/settings/email", {"email": "pilot@localhost"}, token)
    html = await bad.text()
    assert bad.status == 422 and "is not a domain that can receive mail" in html
    assert 'value="pilot@localhost"' in html and 'aria-describedby="email-error"' in html
    smtp.refuse("nobody@example.org")
    refused = await _post(mail_client, "/settings/email", {"email": "nobody@example.org"}, token)
    assert refused.status == 422 and "the mail server refused that address" in await refused.text()
    hurried = await _post(mail_client, "/settings/email", {"email": "pilot@example.org"}, token)
    assert hurried.status == 422 and "too many verification mails: try again in 1 minute" in await hurried.text()
    assert smtp.messages == []  # nothing was accepted
    await _allow_next_mail(pg_pool, me)
    assert (await _post(mail_client, "/settings/email", {"email": "pilot@example.org"}, token)).status == 303
    _, link = await _mail(smtp, 1)
    await PgAccountEmail(pg_pool).confirm(_hash(link), datetime.now(UTC))
    await _allow_next_mail(pg_pool, me)
    same = await _post(mail_client, "/settings/email", {"email": "PILOT@example.org"}, token)
    assert same.status == 422 and "that address is already verified" in await same.text()


def _hash(link: str) -> bytes:
    return hash_token(link.rsplit("/", 1)[1])


@pytest.mark.e2e
async def test_resend_replaces_the_link_expiry_cancel_and_remove(mail_client, pg_pool, smtp) -> None:
    me, token = await _signed_in(mail_client, pg_pool)
    await _post(mail_client, "/settings/email", {"email": "pilot@example.org"}, token)
    _, first = await _mail(smtp, 1)
    await _allow_next_mail(pg_pool, me)
    resent = await _post(mail_client, "/settings/email/resend", {}, token)
    assert resent.headers["Location"] == "/settings?email=resent#email"
    _, second = await _mail(smtp, 2)
    assert first != second and (await mail_client.get(first)).status == 404  # the first link stopped working
    assert (await mail_client.get(second)).status == 200
    await pg_pool.execute(
        "UPDATE account_emails SET token_expires_at = now() - interval '1 second' WHERE account_id = $1", me
    )
    expired = await mail_client.get(second)
    assert expired.status == 410 and "This link has expired" in await expired.text()
    assert "Its link has expired: send a new one." in await (await mail_client.get("/settings")).text()
    assert (await mail_client.get("/email/verify/not-a-token")).status == 404
    store = PgAccountEmail(pg_pool)
    verified = issue_token(datetime.now(UTC))
    await _allow_next_mail(pg_pool, me)
    await store.start(me, "pilot@example.org", verified, datetime.now(UTC))
    await store.confirm(verified.token_hash, datetime.now(UTC))
    await _allow_next_mail(pg_pool, me)
    await _post(mail_client, "/settings/email", {"email": "new@example.org"}, token)
    await _mail(smtp, 3)
    assert "Keep pilot@example.org" in await (await mail_client.get("/settings")).text()
    cancelled = await _post(mail_client, "/settings/email/cancel", {}, token)
    assert cancelled.headers["Location"] == "/settings?email=cancelled#email"
    assert (await store.get(me)).pending_address is None and await store.verified_address(me) == "pilot@example.org"
    removed = await _post(mail_client, "/settings/email/remove", {}, token)
    assert removed.headers["Location"] == "/settings?email=removed#email"
    page = await (await mail_client.get("/settings?email=removed")).text()
    assert "E-mail address removed" in page and "No verified address yet" in page
    assert (await _post(mail_client, "/settings/email/remove", {}, token)).status == 404


async def test_the_api_takes_only_the_verified_address_as_an_e_mail_target(mail_client, client, pg_pool) -> None:
    await pg_pool.execute(
        "INSERT INTO sde_types (type_id, name, group_id) VALUES (34, 'Tritanium', 18) ON CONFLICT DO NOTHING"
    )
    me, _ = await _signed_in(mail_client, pg_pool)
    headers = {"X-CSRF-Token": await csrf_of(mail_client)}
    rule = {"type_id": 34, "kind": "price", "side": "sell", "direction": "below", "threshold": 4.5}
    to = {"platform": "email", "address": "pilot@example.org"}
    unverified = await mail_client.post("/api/v1/alerts", json=rule | {"target": to}, headers=headers)
    body = await unverified.json()
    assert unverified.status == 422 and body["error"]["fields"] == {"target": "unverified"}
    assert "Verify that e-mail address on the panel first: http://127.0.0.1/settings" in body["error"]["message"]
    verified = issue_token(NOW)
    await PgAccountEmail(pg_pool).start(me, "pilot@example.org", verified, NOW)
    await PgAccountEmail(pg_pool).confirm(verified.token_hash, NOW)
    shouted = rule | {"target": to | {"address": "PILOT@example.org"}}
    created = await mail_client.post("/api/v1/alerts", json=shouted, headers=headers)
    assert created.status == 200, await created.text()
    assert (await created.json())["target"] == {"platform": "email", "kind": "email", "address": "pilot@example.org"}
    someone_else = rule | {"target": to | {"address": "x@example.org"}}
    other = await mail_client.post("/api/v1/alerts", json=someone_else, headers=headers)
    assert other.status == 422
    await sign_in(client, me)  # the same account on a server that sends no mail
    off = await client.post(
        "/api/v1/alerts", json=rule | {"target": to}, headers={"X-CSRF-Token": await csrf_of(client)}
    )
    assert off.status == 422 and "not enabled on this server" in (await off.json())["error"]["message"]
