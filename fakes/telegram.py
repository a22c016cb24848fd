"""TelegramFake: a local aiohttp Telegram Bot API server (polling side) that records every call.

POST /bot{token}/{method} with form, JSON or multipart bodies, as python-telegram-bot sends them; replies
{"ok": true, "result": ...} or {"ok": false, "error_code", "description", "parameters": {"retry_after"}}.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

JSON_FIELDS = frozenset({"commands", "reply_markup", "entities", "caption_entities", "allowed_updates", "scope"})
Json = dict[str, Any]


@dataclass
class Call:
    """One recorded Bot API call: the method as sent, its parameters (JSON fields decoded) and uploaded files."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class _QueuedError:
    method: str
    error_code: int
    description: str
    retry_after: int | None


class TelegramFake:
    """The Bot API methods a polling bot uses: getMe, deleteWebhook, getUpdates, sendMessage, sendPhoto, commands."""

    def __init__(self, token: str = "123456:TEST-token", *, bot_username: str = "evetrader_test_bot") -> None:
        self.token, self.bot_username, self.bot_id = token, bot_username, 100_000
        self.calls: list[Call] = []
        self.commands: list[Json] = []
        self._updates: list[Json] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._chats: dict[int, Json] = {}
        self._errors: list[_QueuedError] = []
        self._changed = asyncio.Condition()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._methods: dict[str, Callable[[dict[str, Any], dict[str, bytes]], Awaitable[Any]]] = {
            "getme": self._get_me,
            "deletewebhook": self._true,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
        }

    # ---- lifecycle -----------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT (base_url is url + "/bot", base_file_url url + "/file/bot")."""
        if self._url is None:
            raise RuntimeError("TelegramFake is not started")
        return self._url

    async def start(self) -> TelegramFake:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self._url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        """Release held getUpdates calls and stop the server."""
        self._closing.set()
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> TelegramFake:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # ---- scripting -----------------------------------------------------------------------------------------
    def push_message(self, text: str, chat_id: int, user_id: int, chat_type: str = "private") -> Json:
        """Queue a message update; a leading "/command" gets a bot_command entity at offset 0."""
        chat: Json = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = f"chat {chat_id}"
        else:
            chat["first_name"] = f"user{user_id}"
        self._chats[chat_id] = chat
        message: Json = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": f"Pilot {user_id}", "username": f"pilot{user_id}"},
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        update = {"update_id": next(self._update_ids), "message": message}
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update

    def fail_next(self, method: str, error_code: int = 429, description: str = "", retry_after: int | None = 1) -> None:
        """Answer the next call of `method` with an error (by default a 429 with retry_after)."""
        text = description or (f"Too Many Requests: retry after {retry_after}" if error_code == 429 else "Bad Request")
        self._errors.append(_QueuedError(method.lower(), error_code, text, retry_after))

    def calls_of(self, method: str) -> list[Call]:
        """Recorded calls of one method (case-insensitive), oldest first."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10) -> list[Call]:  # noqa: ASYNC109
        """Wait until `method` was called at least `count` times; return those calls (TimeoutError otherwise)."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(self.calls_of(method)) >= count)
        return self.calls_of(method)

    # ---- the server ----------------------------------------------------------------------------------------
    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await _read_params(request)
        self.calls.append(Call(method, params, files))
        await self._notify()
        for index, queued in enumerate(self._errors):
            if queued.method == method.lower():
                del self._errors[index]
                return _error(queued.error_code, queued.description, queued.retry_after)
        handler = self._methods.get(method.lower())
        if handler is None:
            return _error(404, "Not Found: method not found")
        try:
            result = await handler(params, files)
        except _ApiError as exc:
            return _error(400, str(exc))
        return web.json_response({"ok": True, "result": result})

    async def _true(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        return True

    async def _get_me(self, params: dict[str, Any], files: dict[str, bytes]) -> Json:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "EveTrader",
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, params: dict[str, Any], files: dict[str, bytes]) -> list[Json]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0 and not self._closing.is_set():
            try:
                async with asyncio.timeout(timeout), self._changed:
                    await self._changed.wait_for(lambda: bool(self._updates) or self._closing.is_set())
            except TimeoutError:
                pass
        return self._updates[:limit]

    async def _send_message(self, params: dict[str, Any], files: dict[str, bytes]) -> Json:
        text = str(params.get("text") or "")
        if not text.strip():
            raise _ApiError("Bad Request: message text is empty")
        shown = html.unescape(re.sub(r"<[^>]+>", "", text)) if params.get("parse_mode") == "HTML" else text
        if len(shown.encode("utf-16-le")) // 2 > 4096:
            raise _ApiError("Bad Request: message is too long")
        return self._message(params, text=text)

    async def _send_photo(self, params: dict[str, Any], files: dict[str, bytes]) -> Json:
        if "photo" not in files:
            raise _ApiError("Bad Request: there is no photo in the request")
        photo = {"file_id": f"photo{len(self.calls)}", "file_unique_id": f"u{len(self.calls)}", "width": 1, "height": 1}
        extra: Json = {"photo": [photo]}
        if params.get("caption"):
            extra["caption"] = params["caption"]
        return self._message(params, **extra)

    async def _set_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            name, description = command.get("command", ""), command.get("description", "")
            if not (1 <= len(name) <= 32 and all(c.islower() or c.isdigit() or c == "_" for c in name)):
                raise _ApiError(f"Bad Request: BOT_COMMAND_INVALID ({name})")
            if not 1 <= len(description) <= 256:
                raise _ApiError("Bad Request: command description is invalid")
        self.commands = list(commands)
        return True

    async def _get_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> list[Json]:
        return list(self.commands)

    def _message(self, params: dict[str, Any], **extra: Any) -> Json:
        chat_id = int(params["chat_id"])
        chat = self._chats.get(chat_id, {"id": chat_id, "type": "private", "first_name": "someone"})
        sender = {"id": self.bot_id, "is_bot": True, "first_name": "EveTrader", "username": self.bot_username}
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat, "from": sender, **extra}


class _ApiError(Exception):
    """A 400 answer with this description."""


def _error(code: int, description: str, retry_after: int | None = None) -> web.Response:
    body: Json = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=code)


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Parameters from a JSON, form or multipart body (JSON-encoded fields decoded), and any uploaded files."""
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        body = await request.json() if request.can_read_body else {}
        return dict(body or {}), files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = value.file.read()
            continue
        text = value if isinstance(value, str) else bytes(value).decode()
        if key in JSON_FIELDS:
            try:
                params[key] = json.loads(text)
                continue
            except ValueError:
                pass
        params[key] = text
    for key, value in request.query.items():
        params.setdefault(key, value)
    return params, files
