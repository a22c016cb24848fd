"""TelegramFake speaks the Bot API as Telegram does: errors, keyboards, edits, queries, members and webhooks."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from fakes.telegram import SECRET_HEADER, TelegramFake

TOKEN = "123456:TEST-token"


class Api:
    def __init__(self, fake: TelegramFake, http: aiohttp.ClientSession) -> None:
        self.fake, self.http = fake, http

    async def __call__(self, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        form = {k: json.dumps(v) if isinstance(v, dict | list) else str(v) for k, v in params.items()}
        async with self.http.post(f"{self.fake.url}/bot{TOKEN}/{method}", data=form) as response:
            return response.status, await response.json()


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    async with TelegramFake(TOKEN) as fake, aiohttp.ClientSession() as http:
        yield Api(fake, http)


def keyboard(*buttons: dict[str, str]) -> dict[str, Any]:
    return {"inline_keyboard": [list(buttons)]}


async def test_callback_data_over_64_bytes_and_bad_urls_are_rejected(api: Api):
    ok = keyboard({"text": "a", "callback_data": "x" * 64}, {"text": "b", "url": "https://example.com"})
    status, body = await api("sendMessage", chat_id=1, text="hi", reply_markup=ok)
    assert status == 200 and body["result"]["reply_markup"] == ok
    status, body = await api(
        "sendMessage", chat_id=1, text="hi", reply_markup=keyboard({"text": "a", "callback_data": "é" * 33})
    )
    assert status == 400 and body["description"] == "Bad Request: BUTTON_DATA_INVALID"
    status, body = await api(
        "sendMessage", chat_id=1, text="hi", reply_markup=keyboard({"text": "a", "url": "ftp://x"})
    )
    assert status == 400 and body["description"] == "Bad Request: BUTTON_URL_INVALID"
    status, body = await api("sendMessage", chat_id=1, text="hi", reply_markup={"force_reply": True})
    assert status == 200 and "reply_markup" not in body["result"]  # only inline keyboards come back


async def test_edit_message_text_follows_telegram(api: Api):
    _, sent = await api("sendMessage", chat_id=1, text="one")
    message_id = sent["result"]["message_id"]
    status, body = await api("editMessageText", chat_id=1, message_id=message_id, text="one")
    assert status == 400 and body["description"].startswith("Bad Request: message is not modified")
    status, body = await api("editMessageText", chat_id=1, message_id=message_id, text="two")
    assert status == 200 and body["result"]["text"] == "two" and api.fake.message(1, message_id)["text"] == "two"
    status, body = await api("editMessageText", chat_id=1, message_id=999, text="two")
    assert status == 400 and body["description"] == "Bad Request: message to edit not found"
    user_message = api.fake.push_message("mine", 1, 7)["message"]["message_id"]
    status, body = await api("editMessageText", chat_id=1, message_id=user_message, text="edited")
    assert status == 400 and body["description"] == "Bad Request: message can't be edited"


async def test_queries_are_answered_once(api: Api):
    _, sent = await api(
        "sendMessage", chat_id=1, text="keys", reply_markup=keyboard({"text": "go", "callback_data": "c:go"})
    )
    update = api.fake.press(1, sent["result"]["message_id"], "go", 7)
    query = update["callback_query"]
    assert query["data"] == "c:go" and query["message"]["message_id"] == sent["result"]["message_id"]
    assert (await api("answerCallbackQuery", callback_query_id=query["id"]))[0] == 200
    status, body = await api("answerCallbackQuery", callback_query_id=query["id"])
    assert status == 400 and "query ID is invalid" in body["description"]
    inline = api.fake.push_inline_query("trit", 7)["inline_query"]
    article = {"type": "article", "id": "a", "title": "T", "input_message_content": {"message_text": "x"}}
    status, body = await api("answerInlineQuery", inline_query_id=inline["id"], results=[article, article])
    assert status == 400 and body["description"] == "Bad Request: RESULT_ID_INVALID"
    assert (await api("answerInlineQuery", inline_query_id=inline["id"], results=[article]))[0] == 200


async def test_get_chat_member_reports_the_status_set(api: Api):
    api.fake.push_message("hello", -5, 7, "group")
    api.fake.set_member(-5, 7, "creator")
    _, body = await api("getChatMember", chat_id=-5, user_id=7)
    assert body["result"]["status"] == "creator"
    _, body = await api("getChatMember", chat_id=-5, user_id=8)
    assert body["result"]["status"] == "member"
    status, body = await api("getChatMember", chat_id=-6, user_id=8)
    assert status == 400 and body["description"] == "Bad Request: chat not found"
    with pytest.raises(ValueError):
        api.fake.set_member(-5, 7, "boss")


async def test_webhook_replaces_polling_and_delivers_with_the_secret(api: Api):
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get(SECRET_HEADER), await request.json()))
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        status, body = await api("setWebhook", url="https://203.0.113.1/x", secret_token="bad secret!")
        assert status == 400 and "unallowed characters" in body["description"]
        status, body = await api("setWebhook", url="http://example.com/x")
        assert status == 400 and "HTTPS" in body["description"]
        assert (await api("setWebhook", url=url, secret_token="abc_DEF-1", allowed_updates=["message"]))[0] == 200
        _, info = await api("getWebhookInfo")
        assert info["result"]["url"] == url and info["result"]["allowed_updates"] == ["message"]
        status, body = await api("getUpdates", timeout=0)
        assert status == 409 and body["description"].startswith("Conflict")
        update = api.fake.push_message("/help", 1, 7)
        assert await api.fake.wait_deliveries(1) == [200]
        assert received == [("abc_DEF-1", update)]
        assert (await api("deleteWebhook"))[0] == 200
        _, info = await api("getWebhookInfo")
        assert info["result"]["url"] == "" and api.fake.webhook is None
        status, body = await api("getUpdates", timeout=0)
        assert status == 200 and body["result"] == []
    finally:
        await runner.cleanup()


async def test_fail_next_sends_a_fractional_retry_after(api: Api):
    api.fake.fail_next("sendMessage", 429, retry_after=0.25)
    status, body = await api("sendMessage", chat_id=1, text="hi")
    assert status == 429 and body["parameters"] == {"retry_after": 0.25}
    assert (await api("sendMessage", chat_id=1, text="hi"))[0] == 200
