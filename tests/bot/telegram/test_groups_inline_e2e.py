"""Groups (administrators as chat_admin, asked once and cached) and inline mode over the real PTB stack."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.state import InteractionState
from tests.bot.telegram.harness import BOT, DM, GROUP, OTHER, USER, Harness, running

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]


@pytest.fixture
async def harness(interaction_state: InteractionState) -> AsyncIterator[Harness]:
    async with running(state=interaction_state) as bot:
        yield bot


@pytest.mark.parametrize(("status", "roles"), [("administrator", "chat_admin"), ("creator", "chat_admin")])
async def test_group_administrators_get_the_chat_admin_role(harness: Harness, status: str, roles: str):
    harness.fake.set_member(GROUP, USER, status)
    [text] = await harness.ask(f"/whoami@{BOT}", chat_id=GROUP, chat_type="supergroup")
    assert text == f"dm=False chat={GROUP} roles={roles}"


async def test_members_have_no_role_and_the_answer_is_cached(harness: Harness):
    [first] = await harness.ask("/whoami", chat_id=GROUP, chat_type="group", user=OTHER)
    [second] = await harness.ask("/whoami", chat_id=GROUP, chat_type="group", user=OTHER)
    assert first == second == f"dm=False chat={GROUP} roles=-"
    [asked] = harness.fake.calls_of("getChatMember")
    assert int(asked.params["chat_id"]) == GROUP and int(asked.params["user_id"]) == OTHER
    [dm] = await harness.ask("/whoami")
    assert dm == f"dm=True chat={DM} roles=-" and len(harness.fake.calls_of("getChatMember")) == 1


async def test_inline_query_offers_the_price_of_matching_items(harness: Harness):
    harness.fake.push_inline_query("trit", USER)
    [call] = await harness.fake.wait_for("answerInlineQuery")
    [article] = call.params["results"]
    assert article["type"] == "article" and article["title"].startswith("Tritanium — Jita IV")
    content = article["input_message_content"]
    assert content["parse_mode"] == "HTML" and "<b>Sell</b>: 4.90" in content["message_text"]
    assert article["description"].startswith("Sell: 4.90")
    caller = harness.callers[-1]
    assert caller.user_id == str(USER) and caller.chat_id is None and not caller.is_dm


async def test_empty_or_unmatched_inline_query_gets_a_help_article(harness: Harness):
    harness.fake.push_inline_query("", USER)
    harness.fake.push_inline_query("zzzz", USER)
    calls = await harness.fake.wait_for("answerInlineQuery", 2)
    titles = sorted(call.params["results"][0]["title"] for call in calls)
    assert titles == ["No item matches 'zzzz'", "Share an EVE market price"]
    for call in calls:
        [article] = call.params["results"]
        assert f"@{BOT} tritanium" in article["input_message_content"]["message_text"]
    assert harness.callers == []  # nothing to price, no gateway run


async def test_a_429_on_the_inline_answer_is_retried(harness: Harness):
    harness.fake.fail_next("answerInlineQuery", 429, retry_after=0.05)
    query = harness.fake.push_inline_query("tritanium", USER)
    failed, retried = await harness.fake.wait_for("answerInlineQuery", 2)
    assert retried.params["inline_query_id"] == query["inline_query"]["id"] == failed.params["inline_query_id"]
    assert harness.fake.api.inline_answers[query["inline_query"]["id"]]["results"][0]["title"].startswith("Trit")


async def test_a_429_on_get_chat_member_is_retried(harness: Harness):
    harness.fake.fail_next("getChatMember", 429, retry_after=0.05)
    harness.fake.set_member(GROUP, USER, "administrator")
    [text] = await harness.ask("/whoami", chat_id=GROUP, chat_type="group")
    assert text.endswith("roles=chat_admin") and len(harness.fake.calls_of("getChatMember")) == 2
