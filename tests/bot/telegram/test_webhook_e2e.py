"""Webhook mode: setWebhook at start, Telegram's POSTs through webhook_handler (secret checked), no polling."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest
from aiohttp import web

from bot.state import InteractionState
from bot.telegram.adapter import start, stop
from bot.telegram.webhook import ALLOWED_UPDATES, SECRET_HEADER, webhook_handler
from fakes.telegram import TelegramFake
from tests.bot.telegram.harness import BOT, DM, TOKEN, USER, Harness, running

pytestmark = pytest.mark.e2e
SECRET = "s3cret-Token_1"
PATH = "/telegram/webhook"


class WebService:
    """The web service's side: an aiohttp app that mounts the handler at /telegram/webhook."""

    def __init__(self) -> None:
        self.handler: Callable[[web.Request], Awaitable[web.StreamResponse]] | None = None
        self.url = ""

    async def route(self, request: web.Request) -> web.StreamResponse:
        assert self.handler is not None
        return await self.handler(request)


@pytest.fixture
async def web_service() -> AsyncIterator[WebService]:
    service = WebService()
    app = web.Application()
    app.router.add_post(PATH, service.route)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    service.url = f"http://127.0.0.1:{runner.addresses[0][1]}{PATH}"
    yield service
    await runner.cleanup()


@pytest.fixture
async def harness(web_service: WebService, interaction_state: InteractionState) -> AsyncIterator[Harness]:
    async with running(state=interaction_state, webhook_url=web_service.url, webhook_secret=SECRET) as bot:
        web_service.handler = webhook_handler(bot.app, SECRET)
        yield bot


async def test_start_sets_the_webhook_and_updates_arrive_by_post(harness: Harness, web_service: WebService):
    [call] = harness.fake.calls_of("setWebhook")
    assert call.params["url"] == web_service.url and call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ALLOWED_UPDATES
    [text] = await harness.ask("/price tritanium jita")
    assert "<b>Sell</b>: 4.90" in text
    assert harness.fake.deliveries == [200]
    assert harness.fake.calls_of("getUpdates") == [] and harness.fake.webhook is not None


async def test_the_prompt_flow_works_over_the_webhook(harness: Harness):
    [question] = await harness.ask("/price")
    assert "needs <b>item</b>" in question
    [text] = await harness.ask("tritanium")
    assert text.startswith("<b>Tritanium — Jita IV")


async def test_wrong_or_missing_secret_is_refused(harness: Harness, web_service: WebService):
    update = {"update_id": 99, "message": {"message_id": 1, "date": 0, "chat": {"id": DM, "type": "private"}}}
    assert await harness.fake.deliver(update, secret="wrong") == 403
    async with aiohttp.ClientSession() as http:
        async with http.post(web_service.url, json=update) as response:
            assert response.status == 403
        headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        async with http.post(web_service.url, data=b"{not json", headers=headers) as response:
            assert response.status == 400
        async with http.post(web_service.url, data=b"[1, 2]", headers=headers) as response:
            assert response.status == 400
        for body in ({"message": "no update_id"}, {"update_id": 5, "message": "not a message"}):
            async with http.post(web_service.url, json=body, headers=headers) as response:
                assert response.status == 400
    assert harness.fake.calls_of("sendMessage") == []


async def test_a_stopped_bot_answers_503_so_telegram_redelivers(
    web_service: WebService, interaction_state: InteractionState
):
    async with (
        TelegramFake(TOKEN, bot_username=BOT) as fake,
        running(state=interaction_state, webhook_url=web_service.url, webhook_secret=SECRET, fake=fake) as bot,
    ):
        web_service.handler = webhook_handler(bot.app, SECRET)
        await stop(bot.app)
        fake.push_message("/help", DM, USER)
        assert await fake.wait_deliveries(1) == [503]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_a_429_on_set_webhook_is_retried(web_service: WebService, interaction_state: InteractionState):
    async with TelegramFake(TOKEN, bot_username=BOT) as fake:
        fake.fail_next("setWebhook", 429, retry_after=0.05)
        async with running(state=interaction_state, webhook_url=web_service.url, webhook_secret=SECRET, fake=fake):
            failed, retried = fake.calls_of("setWebhook")
            assert failed.params == retried.params and fake.webhook is not None


async def test_a_webhook_needs_a_secret():
    with pytest.raises(ValueError, match="secret"):
        await start(object(), webhook_url="https://example.invalid/hook")  # type: ignore[arg-type]
