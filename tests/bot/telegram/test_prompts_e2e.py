"""Missing arguments over the real PTB stack: the bot asks (forced reply or choice buttons), then runs the command."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.state import InteractionState
from bot.telegram.adapter import telegram_bot
from tests.bot.telegram.harness import BOT, DM, GROUP, OTHER, USER, Harness, running

pytestmark = pytest.mark.e2e


@pytest.fixture
async def harness(interaction_state: InteractionState) -> AsyncIterator[Harness]:
    async with running(state=interaction_state) as bot:
        yield bot


async def test_price_alone_asks_for_the_item_then_answers(harness: Harness):
    [question] = await harness.ask("/price")
    assert "<b>/price</b> needs <b>item</b>" in question and "/cancel" in question
    asked = harness.fake.calls_of("sendMessage")[-1].params
    assert asked["reply_markup"]["force_reply"] is True and asked["reply_markup"]["selective"] is True
    command_id = next(m for m in harness.fake.api.messages.values() if m.get("text") == "/price")["message_id"]
    assert int(asked["reply_parameters"]["message_id"]) == command_id  # so `selective` targets the asker in groups
    prompt_id = harness.last_sent()["message_id"]
    [text] = await harness.ask("tritanium", reply_to=prompt_id)
    assert text.startswith("<b>Tritanium — Jita IV") and "<b>Sell</b>: 4.90" in text
    assert harness.fake.calls_of("sendMessage")[-1].params.get("reply_markup") is None
    assert harness.gateway.registry.get("price") is not None and len(harness.callers) == 1  # one gateway run


async def test_several_missing_params_are_asked_in_turn_with_choice_buttons(harness: Harness):
    [first] = await harness.ask("/order")
    assert "needs <b>item</b>" in first
    [second] = await harness.ask("tritanium")
    assert "needs <b>side</b>" in second and "Pick one" in second
    question = harness.last_sent()
    assert [b["text"] for b in harness.fake.buttons(DM, question["message_id"])] == ["buy", "sell"]
    before = len(harness.fake.calls_of("sendMessage"))
    harness.fake.press(DM, question["message_id"], "sell", USER)
    [third] = await harness.texts(before)
    assert "needs <b>quantity</b>" in third
    [answered] = await harness.fake.wait_for("answerCallbackQuery")
    assert answered.params.get("text") is None
    [done] = await harness.ask("1,000")
    assert done == "sell 1000 x Tritanium"


async def test_partly_given_arguments_ask_only_for_the_rest(harness: Harness):
    [question] = await harness.ask("/trade haul jita")
    assert "<b>/trade haul</b> needs <b>destination</b>" in question
    [question] = await harness.ask("/order tritanium buy")
    assert "needs <b>quantity</b>" in question  # a new command replaces the open question
    [done] = await harness.ask("7")
    assert done == "buy 7 x Tritanium"


async def test_cancel_abandons_the_question(harness: Harness):
    await harness.ask("/price")
    [cancelled] = await harness.ask("/cancel")
    assert cancelled == "Cancelled /price."
    harness.fake.push_message("tritanium", DM, USER)  # no longer an answer: ignored
    [text] = await harness.ask("/cancel")
    assert text == "Nothing to cancel."
    assert len(harness.callers) == 0


async def test_questions_are_per_member_of_a_group(harness: Harness):
    [question] = await harness.ask(f"/price@{BOT}", chat_id=GROUP, chat_type="group")
    assert "needs <b>item</b>" in question
    harness.fake.push_message("plex", GROUP, OTHER, "group")  # someone else talking: not the answer
    harness.fake.push_message("tritanium", DM, USER)  # the asker, but in another chat: not the answer
    [text] = await harness.ask("tritanium", chat_id=GROUP, chat_type="group")
    assert text.startswith("<b>Tritanium — Jita IV")
    assert len(harness.fake.calls_of("sendMessage")) == 2
    assert [c.user_id for c in harness.callers] == [str(USER)] and harness.callers[0].chat_id == str(GROUP)


async def test_a_stale_choice_button_says_so(harness: Harness):
    await harness.ask("/order tritanium")
    question = harness.last_sent()
    await harness.ask("/cancel")
    harness.fake.press(DM, question["message_id"], "buy", USER)
    [answered] = await harness.fake.wait_for("answerCallbackQuery")
    assert answered.params["text"] == "This question is no longer open."


async def test_a_question_asked_by_one_replica_is_answered_through_another(interaction_state: InteractionState):
    async with (
        running(state=interaction_state) as first,
        running(state=interaction_state) as second,
    ):
        assert first.app is not second.app and telegram_bot(first.app) is not telegram_bot(second.app)
        [question] = await first.ask("/order")
        assert "needs <b>item</b>" in question
        [side] = await second.ask("tritanium")
        assert "needs <b>side</b>" in side
        second.fake.press(DM, second.last_sent()["message_id"], "sell", USER)
        [quantity] = await second.texts(1)
        assert "needs <b>quantity</b>" in quantity
        [done] = await first.ask("3")
        assert done == "sell 3 x Tritanium"
        assert len(first.callers) == 1 and len(second.callers) == 0  # one run, where the last answer arrived


async def test_a_run_on_name_value_is_not_taken_for_the_missing_place(harness: Harness):
    """ "group=raw materials" reads as one value (the parser's rule), so /trade haul still asks for the destination,
    and the answer is not swallowed into the group."""
    [question] = await harness.ask("/trade haul jita group=raw materials")
    assert "<b>/trade haul</b> needs <b>destination</b>" in question
    [done] = await harness.ask("amarr")
    assert "missing" not in done and "unknown location" not in done, done
    assert done.startswith("<b>Hauling Jita IV") and "Amarr" in done.split("\n")[0], done
