"""Inline keyboards over the real PTB stack: url and action buttons, long actions by id, paged long replies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.state import InteractionState
from bot.telegram.handlers import EXPIRED
from fakes.telegram import TelegramFake
from tests.bot.telegram.harness import BOT, DM, LONG_ACTION, SHORT_ACTION, TOKEN, USER, Harness, running

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]


@pytest.fixture
async def harness(interaction_state: InteractionState) -> AsyncIterator[Harness]:
    async with running(state=interaction_state) as bot:
        yield bot


async def test_buttons_become_an_inline_keyboard(harness: Harness):
    [text] = await harness.ask("/links")
    assert text == "Pick one"  # the buttons are keys, not text lines
    keys = harness.fake.buttons(DM, harness.last_sent()["message_id"])
    assert keys[0] == {"text": "Market", "url": "https://evemarketer.example/?a=1&b=2"}
    assert keys[1] == {"text": "Jita", "callback_data": f"c:{SHORT_ACTION}"}
    assert len(f"c:{LONG_ACTION}".encode()) > 64
    assert keys[2]["callback_data"].startswith("k:") and len(keys[2]["callback_data"].encode()) <= 64


@pytest.mark.parametrize("label", ["Jita", "Station"])
async def test_an_action_button_runs_its_command_and_answers_the_press(harness: Harness, label: str):
    await harness.ask("/links")
    before = len(harness.fake.calls_of("sendMessage"))
    harness.fake.press(DM, harness.last_sent()["message_id"], label, USER)
    [text] = await harness.texts(before)
    assert text.startswith("<b>Tritanium — Jita IV - Moon 4") and "<b>Sell</b>: 4.90" in text
    [answered] = await harness.fake.wait_for("answerCallbackQuery")
    assert harness.callers[-1].user_id == str(USER)
    assert answered.params["callback_query_id"].startswith("cb")


async def test_a_429_on_the_callback_answer_is_retried(harness: Harness):
    await harness.ask("/links")
    harness.fake.fail_next("answerCallbackQuery", 429, retry_after=0.05)
    harness.fake.press(DM, harness.last_sent()["message_id"], "Jita", USER)
    failed, retried = await harness.fake.wait_for("answerCallbackQuery", 2)
    assert failed.params["callback_query_id"] == retried.params["callback_query_id"]
    assert harness.fake.api.open_queries == set()  # the retry closed the query


async def test_a_long_reply_is_one_message_paged_with_prev_and_next(harness: Harness):
    [first] = await harness.ask("/rows")
    message_id = harness.last_sent()["message_id"]
    labels = [key["text"] for key in harness.fake.buttons(DM, message_id)]
    assert labels[0] == "1/3" and labels[-1] == "Next ▶" and "◀ Prev" not in labels
    assert first.startswith("<b>Many rows</b>") and "Item &lt;0&gt;" in first and "<pre>" in first

    harness.fake.press(DM, message_id, "Next ▶", USER)
    [edit] = await harness.fake.wait_for("editMessageText")
    second = harness.fake.message(DM, message_id)["text"]
    assert edit.params["text"] == second and second.startswith("<pre>") and second.endswith("</pre>")
    assert "Item &lt;0&gt;" not in second
    assert [k["text"] for k in harness.fake.buttons(DM, message_id)] == ["◀ Prev", "2/3", "Next ▶"]

    harness.fake.press(DM, message_id, "◀ Prev", USER)
    await harness.fake.wait_for("editMessageText", 2)
    assert harness.fake.message(DM, message_id)["text"] == first
    await harness.fake.wait_for("answerCallbackQuery", 2)
    assert len(harness.fake.calls_of("sendMessage")) == 1  # no flood: one message, edited


async def test_a_double_tap_on_next_is_answered_quietly(harness: Harness):
    await harness.ask("/rows")
    message_id = harness.last_sent()["message_id"]
    harness.fake.press(DM, message_id, "Next ▶", USER)
    harness.fake.press(DM, message_id, "Next ▶", USER)  # the same page again: Telegram says "not modified"
    answers = await harness.fake.wait_for("answerCallbackQuery", 2)
    assert [a.params.get("text") for a in answers] == [None, None]
    assert len(harness.fake.calls_of("editMessageText")) == 2 and harness.fake.api.open_queries == set()


async def test_a_429_on_the_page_edit_is_retried(harness: Harness):
    await harness.ask("/rows")
    message_id = harness.last_sent()["message_id"]
    harness.fake.fail_next("editMessageText", 429, retry_after=0.05)
    harness.fake.press(DM, message_id, "Next ▶", USER)
    await harness.fake.wait_for("editMessageText", 2)
    await harness.fake.wait_for("answerCallbackQuery")
    assert "2/3" in [k["text"] for k in harness.fake.buttons(DM, message_id)]


async def test_expired_pages_and_the_counter_only_answer_the_press(harness: Harness):
    await harness.ask("/rows")
    message_id = harness.last_sent()["message_id"]
    harness.fake.push_callback(DM, message_id, "p:gone:1", USER)
    harness.fake.press(DM, message_id, "1/3", USER)
    answers = await harness.fake.wait_for("answerCallbackQuery", 2)
    assert sorted(str(a.params.get("text")) for a in answers) == sorted([EXPIRED, "None"])
    assert harness.fake.calls_of("editMessageText") == []


async def test_pages_and_long_actions_survive_a_restart(interaction_state: InteractionState):
    async with TelegramFake(TOKEN, bot_username=BOT) as fake:
        async with running(state=interaction_state, fake=fake) as before:
            await before.ask("/rows")
            paged_id = before.last_sent()["message_id"]
            await before.ask("/links")
            links_id = before.last_sent()["message_id"]
        async with running(state=interaction_state, fake=fake) as after:  # a new application: a deploy
            fake.press(DM, paged_id, "Next ▶", USER)
            await fake.wait_for("editMessageText")
            assert [k["text"] for k in fake.buttons(DM, paged_id)] == ["◀ Prev", "2/3", "Next ▶"]
            sent = len(fake.calls_of("sendMessage"))
            fake.press(DM, links_id, "Station", USER)
            [text] = await after.texts(sent)
            assert text.startswith("<b>Tritanium — Jita IV - Moon 4") and after.callers
            answers = await fake.wait_for("answerCallbackQuery", 2)
            assert [a.params.get("text") for a in answers] == [None, None]  # neither press "expired"


async def test_without_the_state_pages_come_as_messages_and_a_missing_argument_is_named(
    unreachable_state: InteractionState,
):
    async with running(state=unreachable_state) as bot:
        pages = await bot.ask("/rows", count=3)  # no pager can be kept: each page is its own message
        assert len(pages) == 3 and all("reply_markup" not in call.params for call in bot.fake.calls_of("sendMessage"))
        [text] = await bot.ask("/order")  # no question can be kept: the command says what is missing
        assert "item" in text and "/order" in text


FORGED = ["", "p", "p:", "p::", "p:x:²", "p:x:" + "9" * 5000, "a:²", "a:-1", "a:999", "k:", "k:nosuchkey123", "x:y",
          "c:", "\u202e", "p:nosuchkey123:1"]  # fmt: skip


async def test_forged_button_payloads_are_answered_and_break_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture
):
    await harness.ask("/rows")
    message_id = harness.last_sent()["message_id"]
    for data in FORGED:
        harness.fake.push_callback(DM, message_id, data, USER)
    answers = await harness.fake.wait_for("answerCallbackQuery", len(FORGED))
    assert len(answers) == len(FORGED)  # every press is answered, none is left spinning
    assert not [r for r in caplog.records if r.levelname == "ERROR"], [r.getMessage() for r in caplog.records]
