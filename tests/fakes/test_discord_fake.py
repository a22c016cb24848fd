"""DiscordFake spoken to with plain aiohttp: auth, recording, scripted 429/5xx, limits, gateway and interactions."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest

from fakes.discord import DiscordFake

TOKEN = "fake-token"
AUTH = {"Authorization": f"Bot {TOKEN}"}


@pytest.fixture
async def fake() -> AsyncIterator[DiscordFake]:
    async with DiscordFake(TOKEN, guild_ids=("9001", "9002")) as started:
        yield started


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_login_routes_need_the_bot_token_and_answer_plain_json(fake: DiscordFake, http: aiohttp.ClientSession):
    async with http.get(f"{fake.api_base}/users/@me") as response:
        assert response.status == 401
    async with http.get(f"{fake.api_base}/users/@me", headers=AUTH) as response:
        assert response.headers["Content-Type"] == "application/json"
        assert (await response.json())["id"] == fake.application_id
    async with http.get(f"{fake.api_base}/gateway/bot", headers=AUTH) as response:
        assert (await response.json())["url"] == fake.gateway_url
    assert [(r.method, r.route, r.status) for r in fake.requests] == [
        ("GET", "/users/@me", 401),
        ("GET", "/users/@me", 200),
        ("GET", "/gateway/bot", 200),
    ]


async def test_a_scripted_429_looks_like_discords_then_passes(fake: DiscordFake, http: aiohttp.ClientSession):
    fake.fail_next("GET", "/users/@me", 429, retry_after=0.25)
    fake.fail_next("GET", "/oauth2/applications/@me", 502)
    async with http.get(f"{fake.api_base}/users/@me", headers=AUTH) as response:
        assert response.status == 429
        assert response.headers["Content-Type"] == "application/json" and response.headers["Via"] == "1.1 google"
        assert response.headers["X-RateLimit-Remaining"] == "0" and response.headers["X-RateLimit-Scope"] == "user"
        assert float(response.headers["X-RateLimit-Reset-After"]) == 0.25 and response.headers["Retry-After"] == "1"
        assert await response.json() == {"message": "You are being rate limited.", "retry_after": 0.25, "global": False}
    async with http.get(f"{fake.api_base}/users/@me", headers=AUTH) as response:
        assert response.status == 200
    async with http.get(f"{fake.api_base}/oauth2/applications/@me", headers=AUTH) as response:
        assert response.status == 502


async def test_command_sync_is_validated_and_recorded(fake: DiscordFake, http: aiohttp.ClientSession):
    bad = [{"name": "Price", "description": ""}]
    url = f"{fake.api_base}/applications/{fake.application_id}/guilds/9001/commands"
    async with http.put(url, json=bad, headers=AUTH) as response:
        assert response.status == 400 and (await response.json())["code"] == 50035
    good = [{"name": "price", "description": "Prices", "options": [{"type": 3, "name": "item", "description": "x"}]}]
    async with http.put(url, json=good, headers=AUTH) as response:
        [stored] = await response.json()
    assert stored["guild_id"] == "9001" and stored["name"] == "price" and fake.guild_commands["9001"] == [stored]


async def test_gateway_identify_ready_guilds_and_a_pushed_interaction(fake: DiscordFake, http: aiohttp.ClientSession):
    url = f"{fake.api_base}/applications/{fake.application_id}/commands"
    command = [{"name": "price", "description": "P", "options": [{"type": 4, "name": "n", "description": "d"}]}]
    async with http.put(url, json=command, headers=AUTH):
        pass
    async with http.ws_connect(fake.gateway_url + "?v=10&encoding=json") as ws:
        assert (await ws.receive_json())["op"] == 10
        await ws.send_json({"op": 1, "d": None})
        assert await ws.receive_json() == {"op": 11}
        await ws.send_json({"op": 2, "d": {"token": TOKEN, "intents": 1, "properties": {}}})
        ready = await ws.receive_json()
        guilds = [await ws.receive_json(), await ws.receive_json()]
        assert ready["t"] == "READY" and ready["d"]["application"]["id"] == fake.application_id
        assert [g["t"] for g in guilds] == ["GUILD_CREATE"] * 2 and [g["s"] for g in guilds] == [2, 3]
        pushed = await fake.command("price", {"n": "7"}, guild_id="9002", permissions=32)
        event = await ws.receive_json()
    assert event["t"] == "INTERACTION_CREATE" and event["d"]["id"] == pushed.payload["id"]
    assert event["d"]["data"]["options"] == [{"type": 4, "name": "n", "value": 7}]
    assert event["d"]["guild_id"] == "9002" and event["d"]["member"]["permissions"] == "32"
    callback = f"{fake.api_base}/interactions/{pushed.payload['id']}/{pushed.token}/callback?with_response=1"
    form = aiohttp.FormData()
    form.add_field(
        "payload_json", json.dumps({"type": 4, "data": {"embeds": [{"image": {"url": "attachment://a.png"}}]}})
    )
    form.add_field("files[0]", b"PNG", filename="a.png", content_type="image/png")
    async with http.post(callback, data=form) as response:
        body = await response.json()
    assert body["resource"]["message"]["attachments"][0]["filename"] == "a.png"
    assert fake.requests[-1].files == {"a.png": b"PNG"}
    async with http.post(callback, json={"type": 4, "data": {"content": "again"}}) as response:
        assert response.status == 400 and (await response.json())["code"] == 40060


async def test_limits_are_enforced_and_wrong_tokens_are_refused(fake: DiscordFake, http: aiohttp.ClientSession):
    async with http.ws_connect(fake.gateway_url) as ws:
        await ws.receive_json()
        await ws.send_json({"op": 2, "d": {"token": "wrong"}})
        await ws.receive()
    assert ws.close_code == 4004
    async with http.post(f"{fake.api_base}/users/@me/channels", json={"recipient_id": "42"}, headers=AUTH) as response:
        channel = await response.json()
    too_long = {"embeds": [{"description": "x" * 4097}]}
    messages = f"{fake.api_base}/channels/{channel['id']}/messages"
    async with http.post(messages, json=too_long, headers=AUTH) as response:
        assert response.status == 400
    async with http.post(messages, json={"content": "hello"}, headers=AUTH) as response:
        assert (await response.json())["content"] == "hello"
