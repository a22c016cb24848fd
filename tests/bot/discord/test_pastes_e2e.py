"""/appraise on Discord without text opens a modal with a paragraph field; a .txt attachment is appraised too, read
from the CDN through discord.py's HTTP session; other files, oversized ones and those of a caller over the command
rate limit are refused before any download."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import redis.asyncio as aioredis

from adapters.redis.ratelimit import RedisRateLimiter
from bot.discord.pastes import STORED_MODAL
from bot.state import InteractionState
from core.appraisal.parsers import default_parsers
from core.chat.model import Caller
from core.chat.registry import CommandContext
from core.commands.default import build_registry
from fakes.discord.interactions import PushedInteraction
from tests.bot.discord.support import Harness, make_gateway, running
from tests.core.commands.market_helpers import context, trit_market

pytestmark = pytest.mark.e2e
LIMIT = 2048  # APPRAISAL_MAX_BYTES of this bot
CALLBACK, FOLLOW_UP = "/interactions/{id}/{token}/callback", "/webhooks/{app}/{token}"
CARGO = "100 Tritanium\n"


@asynccontextmanager
async def appraising(state: InteractionState, limiter: RedisRateLimiter | None = None) -> AsyncIterator[Harness]:
    """The client over the product's commands on the Tritanium market, pasted files up to LIMIT bytes."""
    market = trit_market()

    async def market_context(caller: Caller) -> CommandContext:
        return context(market, parsers=default_parsers(), appraisal_max_bytes=LIMIT)

    gateway = make_gateway([], limiter=limiter, registry=build_registry(), context_for=market_context)
    async with running(gateway, [], state, paste_limit=LIMIT) as started:
        yield started


@pytest.fixture
async def harness(interaction_state: InteractionState) -> AsyncIterator[Harness]:
    async with appraising(interaction_state) as started:
        yield started


async def final_answer(harness: Harness, pushed: PushedInteraction) -> dict[str, Any]:
    """The follow-up that ends a deferred answer (slow /appraise always defers)."""
    [follow_up] = await harness.fake.wait_for(lambda r: pushed.token in r.path and r.route == FOLLOW_UP)
    return dict(follow_up.json)


def shown(answer: dict[str, Any]) -> str:
    """Title, description and field values of the answer's embeds."""
    parts = []
    for embed in answer.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


async def test_appraise_without_text_opens_a_modal_whose_submission_is_appraised(harness: Harness):
    pushed = await harness.fake.command("appraise", {"where": "amarr"})
    [callback] = await harness.answers(pushed)
    assert callback.json["type"] == 9  # the first response is the modal, not a deferral
    [label] = callback.json["data"]["components"]
    field = label["component"]
    assert (field["style"], field["max_length"], field["custom_id"]) == (2, 4000, "paste")
    submitted = await harness.fake.submit(pushed, {"paste": CARGO * 3}, user_id="4242")
    defer, *_ = await harness.answers(submitted)
    assert defer.json == {"type": 5}
    text = shown(await final_answer(harness, submitted))
    assert text.startswith("Appraisal at Amarr")  # the hub the command named came along (no orders there)


async def test_the_modal_field_takes_at_most_4000_characters(harness: Harness):
    pushed = await harness.fake.command("appraise", {})
    await harness.answers(pushed)
    with pytest.raises(ValueError, match="4001 characters"):
        await harness.fake.submit(pushed, {"paste": "x" * 4001})


async def test_a_long_hub_name_keeps_the_modal_under_a_stored_key(harness: Harness):
    pushed = await harness.fake.command("appraise", {"where": "jita " + "x" * 120})
    [callback] = await harness.answers(pushed)
    assert callback.json["data"]["custom_id"].startswith(STORED_MODAL)
    submitted = await harness.fake.submit(pushed, {"paste": CARGO})
    assert "unknown" in shown(await final_answer(harness, submitted)).lower()  # the hub is checked, not lost


async def test_a_txt_attachment_is_downloaded_and_appraised(harness: Harness):
    cargo = harness.fake.upload("cargo.txt", ("\ufeff" + CARGO * 5).encode())
    pushed = await harness.fake.command("appraise", {"file": cargo})
    text = shown(await final_answer(harness, pushed))
    assert "Appraisal at Jita" in text and "500 in 1 types" in text
    assert harness.fake.downloads == [cargo["id"]]


@pytest.mark.parametrize(
    ("filename", "data", "content_type", "message", "downloaded"),
    [
        ("ship.png", b"\x89PNG", "image/png", "send the paste as a .txt file", False),
        ("cargo.txt", CARGO.encode() * 200, "text/plain", "paste too large: 2.7 KB (at most 2.0 KB)", False),
        ("cargo.txt", b"\xff\xfe1\x00", "text/plain", "not UTF-8 text", True),
    ],
)
async def test_a_refused_file_gets_a_clear_message(
    harness: Harness, filename: str, data: bytes, content_type: str, message: str, downloaded: bool
):
    upload = harness.fake.upload(filename, data, content_type)
    pushed = await harness.fake.command("appraise", {"file": upload})
    answer = await final_answer(harness, pushed)
    assert message in shown(answer) and answer["flags"] & 64  # the caller's alone
    assert harness.fake.downloads == ([upload["id"]] if downloaded else [])


async def test_text_and_file_together_are_refused(harness: Harness):
    pushed = await harness.fake.command("appraise", {"paste": CARGO, "file": harness.fake.upload("c.txt", b"1 x")})
    assert "not both" in shown(await final_answer(harness, pushed))


async def test_an_attachment_over_the_rate_limit_is_refused_without_download(
    interaction_state: InteractionState, redis_client: aioredis.Redis, redis_prefix: str
):
    limiter = RedisRateLimiter(redis_client, redis_prefix, per_minute=1, burst=1)  # one command a minute
    async with appraising(interaction_state, limiter) as harness:
        first = await harness.fake.command("appraise", {"paste": CARGO})
        assert "Appraisal at Jita" in shown(await final_answer(harness, first))
        cargo = harness.fake.upload("cargo.txt", CARGO.encode())
        pushed = await harness.fake.command("appraise", {"file": cargo})
        answer = await final_answer(harness, pushed)
    assert "try again in" in shown(answer) and "Appraisal" not in shown(answer)
    assert harness.fake.downloads == []
