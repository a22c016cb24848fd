"""TelegramFake: a local aiohttp Bot API server (polling and webhook sides) that records every call.

POST /bot{token}/{method} with form, JSON or multipart bodies, as python-telegram-bot sends them; replies
{"ok": true, "result": ...} or {"ok": false, "error_code", "description", "parameters": {"retry_after"}}.
With a webhook set, pushed updates are POSTed to it (header X-Telegram-Bot-Api-Secret-Token) instead of queued.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import aiohttp
from aiohttp import web

from fakes.local_server import LocalServer
from fakes.telegram.methods import MEMBER_STATUSES, BotApi, Webhook
from fakes.telegram.updates import callback_json, chat_json, document_message_json, inline_query_json, message_json
from fakes.telegram.wire import ApiError, Call, Json, QueuedError, error_response, read_params

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramFake(LocalServer):
    """The Bot API methods the bot uses, scripted updates in, every call recorded.

    python-telegram-bot's base_url is `url + "/bot"`, its base_file_url `url + "/file/bot"`.
    """

    def __init__(self, token: str = "123456:TEST-token", *, bot_username: str = "evetrader_test_bot") -> None:
        super().__init__()
        self.token, self.bot_username, self.bot_id = token, bot_username, 100_000
        self.api = BotApi(self.bot_id, bot_username)
        self.calls: list[Call] = []
        self.deliveries: list[int] = []  # HTTP statuses of webhook deliveries, in order
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._errors: list[QueuedError] = []
        self._tasks: set[asyncio.Task[int]] = set()
        self._file_ids = itertools.count(1)
        self.downloads: list[str] = []  # file paths fetched from /file/bot{token}/..., in order

    # ---- lifecycle -----------------------------------------------------------------------------------------
    @property
    def commands(self) -> list[Json]:
        """The command menu last set with setMyCommands."""
        return self.api.commands

    @property
    def webhook(self) -> Webhook | None:
        """The registered webhook, or None while the bot polls."""
        return self.api.webhook

    def build_app(self) -> web.Application:
        """Every Bot API method at POST /bot{token}/{method}; files (after getFile) at GET /file/bot{token}/{path}."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        return app

    async def on_close(self) -> None:
        """Release held getUpdates calls and finish webhook deliveries before the server stops."""
        self.api.closing.set()
        await self._notify()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # ---- scripting -----------------------------------------------------------------------------------------
    def push_message(
        self, text: str, chat_id: int, user_id: int, chat_type: str = "private", *, reply_to: int | None = None
    ) -> Json:
        """A user's message (optionally replying to message `reply_to` of that chat) as an update."""
        chat = self.api.chats.setdefault(chat_id, chat_json(chat_id, chat_type, user_id))
        replied = self.api.messages.get((chat_id, reply_to)) if reply_to is not None else None
        message = message_json(next(self.api.message_ids), chat, user_id, text, replied)
        self.api.messages[(chat_id, message["message_id"])] = message
        return self._push({"message": message})

    def push_document(
        self,
        chat_id: int,
        user_id: int,
        file_name: str | None,
        data: bytes,
        *,
        mime_type: str | None = "text/plain",
        caption: str | None = None,
        chat_type: str = "private",
        reply_to: int | None = None,
        file_size: int | None = None,
    ) -> Json:
        """A user's file as an update (a document, with a caption, optionally replying to message `reply_to`);
        its bytes are served after getFile. `file_size` overrides the size Telegram reports (a huge file without
        the bytes)."""
        chat = self.api.chats.setdefault(chat_id, chat_json(chat_id, chat_type, user_id))
        number = next(self._file_ids)
        file_id, unique_id, path = f"BQACAgIAAx{number:06d}", f"AgAD{number:06d}", f"documents/file_{number}.txt"
        size = len(data) if file_size is None else file_size
        self.api.files[file_id] = {"file_id": file_id, "file_unique_id": unique_id, "file_size": size,
                                   "file_path": path}  # fmt: skip
        self.api.contents[path] = data
        document: Json = {"file_id": file_id, "file_unique_id": unique_id, "file_size": size}
        if file_name is not None:
            document["file_name"] = file_name
        if mime_type is not None:
            document["mime_type"] = mime_type
        replied = self.api.messages.get((chat_id, reply_to)) if reply_to is not None else None
        message = document_message_json(next(self.api.message_ids), chat, user_id, document, caption, replied)
        self.api.messages[(chat_id, message["message_id"])] = message
        return self._push({"message": message})

    def push_callback(self, chat_id: int, message_id: int, data: str, user_id: int) -> Json:
        """A press on a button (by its callback_data) of a message the bot sent."""
        message = self.api.messages[(chat_id, message_id)]
        query_id = f"cb{next(self._query_ids)}"
        self.api.open_queries.add(query_id)
        return self._push({"callback_query": callback_json(query_id, user_id, message, data)})

    def press(self, chat_id: int, message_id: int, label: str, user_id: int) -> Json:
        """Press the inline keyboard button labelled `label` (KeyError when the message has none)."""
        for button in self.buttons(chat_id, message_id):
            if button["text"] == label and "callback_data" in button:
                return self.push_callback(chat_id, message_id, button["callback_data"], user_id)
        raise KeyError(f"no button {label!r} on message {message_id}")

    def buttons(self, chat_id: int, message_id: int) -> list[Json]:
        """The inline keyboard buttons of a message the bot sent, row by row."""
        markup = self.api.messages[(chat_id, message_id)].get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    def message(self, chat_id: int, message_id: int) -> Json:
        """A message of the chat (the bot's as it is now, after edits)."""
        return self.api.messages[(chat_id, message_id)]

    def push_inline_query(self, query: str, user_id: int, chat_type: str = "sender") -> Json:
        """A user typing "@bot query" in some chat."""
        query_id = f"iq{next(self._query_ids)}"
        self.api.open_queries.add(query_id)
        return self._push({"inline_query": inline_query_json(query_id, user_id, query, chat_type)})

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        """What getChatMember answers for this user in this chat (creator, administrator, member, ...)."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"unknown member status {status!r}")
        self.api.members[(chat_id, user_id)] = status

    def refuse_private_chat(self, user_id: int, *, blocked: bool = False) -> None:
        """Answer sends to this user's private chat with Telegram's 403: never started the bot, or blocked it."""
        reason = "bot was blocked by the user" if blocked else "bot can't initiate conversation with a user"
        self.api.refusing[user_id] = f"Forbidden: {reason}"

    def fail_next(
        self, method: str, error_code: int = 429, description: str = "", retry_after: float | None = 1
    ) -> None:
        """Answer the next call of `method` with an error (by default a 429 with retry_after)."""
        text = description or (f"Too Many Requests: retry after {retry_after}" if error_code == 429 else "Bad Request")
        self._errors.append(QueuedError(method.lower(), error_code, text, retry_after))

    def calls_of(self, method: str) -> list[Call]:
        """Recorded calls of one method (case-insensitive), oldest first."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10) -> list[Call]:  # noqa: ASYNC109
        """Wait until `method` was called at least `count` times; return those calls (TimeoutError otherwise)."""
        async with asyncio.timeout(timeout), self.api.changed:
            await self.api.changed.wait_for(lambda: len(self.calls_of(method)) >= count)
        return self.calls_of(method)

    async def wait_deliveries(self, count: int = 1, timeout: float = 10) -> list[int]:  # noqa: ASYNC109
        """Wait until `count` webhook deliveries finished; their HTTP statuses (TimeoutError otherwise)."""
        async with asyncio.timeout(timeout), self.api.changed:
            await self.api.changed.wait_for(lambda: len(self.deliveries) >= count)
        return self.deliveries

    async def deliver(self, update: Json, secret: str | None = None) -> int:
        """POST one update to the webhook as Telegram does (its secret unless `secret` is given); the status."""
        if self.api.webhook is None:
            raise RuntimeError("no webhook is set")
        token = self.api.webhook.secret_token if secret is None else secret
        headers = {SECRET_HEADER: token} if token is not None else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.api.webhook.url, json=update, headers=headers) as response,
        ):
            status = response.status
        self.deliveries.append(status)
        await self._notify()
        return status

    # ---- the server ----------------------------------------------------------------------------------------
    def _push(self, body: Json) -> Json:
        update = {"update_id": next(self._update_ids), **body}
        if self.api.webhook is not None:
            task = asyncio.get_running_loop().create_task(self.deliver(update))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            self.api.updates.append(update)
            asyncio.get_running_loop().create_task(self._notify())
        return update

    async def _notify(self) -> None:
        async with self.api.changed:
            self.api.changed.notify_all()

    async def _download(self, request: web.Request) -> web.Response:
        """A file's bytes by the file_path getFile gave (401 with another token, 404 for an unknown path)."""
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        path = request.match_info["path"]
        if path not in self.api.contents:
            return web.Response(status=404, text="Not Found")
        self.downloads.append(path)
        return web.Response(body=self.api.contents[path], content_type="application/octet-stream")

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return error_response(401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await read_params(request)
        self.calls.append(Call(method, params, files))
        await self._notify()
        for index, queued in enumerate(self._errors):
            if queued.method == method.lower():
                del self._errors[index]
                return error_response(queued.error_code, queued.description, queued.retry_after)
        handler = self.api.table().get(method.lower())
        if handler is None:
            return error_response(404, "Not Found: method not found")
        try:
            result: Any = await handler(params, files)
        except ApiError as exc:
            return error_response(exc.code, str(exc))
        return web.json_response({"ok": True, "result": result})
