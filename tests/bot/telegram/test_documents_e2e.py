"""A .txt document captioned /appraise, or sent as the answer to the bot's question for a paste, is appraised: PTB
asks getFile and downloads from {base_file_url}{token}/{file_path}; wrong files, and files of a caller over the
command rate limit, are refused before getFile."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from telegram.error import BadRequest

from adapters.redis.ratelimit import RedisRateLimiter
from bot.state import InteractionState
from core.appraisal.parsers import default_parsers
from core.chat.gateway import CommandGateway
from core.chat.model import Caller
from core.chat.registry import CommandContext
from core.commands.default import build_registry
from tests.bot.telegram.harness import DM, GROUP, USER, Harness, running
from tests.core.commands.market_helpers import CATALOG, context, trit_market

pytestmark = pytest.mark.e2e
LIMIT = 2048  # APPRAISAL_MAX_BYTES of this bot
CARGO = "100 Tritanium\n"


def appraising_gateway(limiter: RedisRateLimiter | None = None) -> CommandGateway:
    """The product's commands on the Tritanium market, pasted files up to LIMIT bytes."""
    market = trit_market()

    async def context_for(caller: Caller) -> CommandContext:
        return context(market, parsers=default_parsers(), appraisal_max_bytes=LIMIT)

    return CommandGateway(build_registry(), context_for, completer=CATALOG, limiter=limiter)


@pytest.fixture
async def harness(interaction_state: InteractionState) -> AsyncIterator[Harness]:
    async with running(state=interaction_state, gateway=appraising_gateway(), paste_limit=LIMIT) as bot:
        yield bot


@pytest.fixture
async def limited(
    interaction_state: InteractionState, redis_client: aioredis.Redis, redis_prefix: str
) -> AsyncIterator[Harness]:
    """A bot whose callers have one command a minute (the production Redis limiter)."""
    limiter = RedisRateLimiter(redis_client, redis_prefix, per_minute=1, burst=1)
    async with running(state=interaction_state, gateway=appraising_gateway(limiter), paste_limit=LIMIT) as bot:
        yield bot


async def send_file(harness: Harness, name: str | None, data: bytes, **options: object) -> str:
    """Send a document; the text of the bot's next message."""
    before = len(harness.fake.calls_of("sendMessage"))
    harness.fake.push_document(options.pop("chat_id", DM), USER, name, data, **options)  # type: ignore[arg-type]
    [text] = await harness.texts(before)
    return text


async def test_a_txt_captioned_appraise_is_fetched_through_getfile_and_appraised(harness: Harness):
    text = await send_file(harness, "cargo.txt", (CARGO * 5).encode(), caption="/appraise")
    assert "Appraisal at Jita" in text and "500 in 1 types" in text
    [get_file] = harness.fake.calls_of("getFile")
    assert harness.fake.downloads == [harness.fake.api.files[get_file.params["file_id"]]["file_path"]]


async def test_the_caption_names_the_hub_in_a_group_too(harness: Harness):
    text = await send_file(
        harness, "cargo.txt", CARGO.encode(), caption="/appraise@evetrader_test_bot amarr", chat_id=GROUP,
        chat_type="supergroup",
    )  # fmt: skip
    assert "Appraisal at Amarr" in text


async def test_a_file_answering_the_question_for_a_paste_is_appraised(harness: Harness):
    [question] = await harness.ask("/appraise")
    assert "needs <b>paste</b>" in question
    prompt = harness.last_sent()["message_id"]
    text = await send_file(harness, "loot.txt", (CARGO * 2).encode(), reply_to=prompt)
    assert "Appraisal at Jita" in text and "200 in 1 types" in text


@pytest.mark.parametrize(
    ("name", "data", "mime_type", "message"),
    [
        ("ship.png", b"\x89PNG", "image/png", "send the paste as a .txt file"),
        (None, CARGO.encode(), "text/plain", "send the paste as a .txt file"),
        ("cargo.txt", CARGO.encode() * 200, "text/plain", "paste too large: 2.7 KB (at most 2.0 KB)"),
    ],
)
async def test_a_wrong_file_is_refused_before_getfile_and_the_question_stays_open(
    harness: Harness, name: str | None, data: bytes, mime_type: str, message: str
):
    await harness.ask("/appraise")
    assert message in await send_file(harness, name, data, mime_type=mime_type)
    assert harness.fake.calls_of("getFile") == [] and harness.fake.downloads == []
    [text] = await harness.ask(CARGO)  # the question was not used up
    assert "Appraisal at Jita" in text


async def test_a_file_that_is_not_utf8_text_is_refused_after_download(harness: Harness):
    text = await send_file(harness, "cargo.txt", b"\xff\xfe1\x00", caption="/appraise")
    assert "not UTF-8 text" in text and len(harness.fake.downloads) == 1


async def test_a_file_nobody_asked_for_is_left_alone(harness: Harness):
    harness.fake.push_document(GROUP, USER, "minutes.txt", b"meeting notes", chat_type="supergroup")
    [text] = await harness.ask("/help", chat_id=GROUP, chat_type="supergroup")  # handled after the file
    assert "/appraise" in text
    assert harness.fake.calls_of("getFile") == []


async def test_the_fake_refuses_getfile_over_20_mb_as_telegram_does(harness: Harness):
    update = harness.fake.push_document(DM, 99, "huge.txt", b"", file_size=21 * 1024 * 1024, caption="hello")
    with pytest.raises(BadRequest, match="too big"):
        await harness.app.bot.get_file(update["message"]["document"]["file_id"])


async def test_a_captioned_file_over_the_rate_limit_is_refused_without_getfile(limited: Harness):
    [first] = await limited.ask("/price tritanium jita")
    assert "4.90" in first
    text = await send_file(limited, "cargo.txt", CARGO.encode(), caption="/appraise")
    assert "try again in" in text and "Appraisal" not in text
    assert limited.fake.calls_of("getFile") == [] and limited.fake.downloads == []


async def test_a_file_answering_the_question_over_the_rate_limit_is_not_fetched_and_the_question_stays(
    limited: Harness, interaction_state: InteractionState
):
    [question] = await limited.ask("/appraise")  # asking spends no command
    assert "needs <b>paste</b>" in question
    [first] = await limited.ask("/price tritanium jita")
    assert "4.90" in first
    assert "try again in" in await send_file(limited, "loot.txt", CARGO.encode())
    assert limited.fake.calls_of("getFile") == [] and limited.fake.downloads == []
    assert await interaction_state.get("question", f"{DM}:{USER}") is not None
