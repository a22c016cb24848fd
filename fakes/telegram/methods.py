"""The Bot API methods of the fake and the state they keep: chats, sent messages, members, webhook, answers."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fakes.telegram.wire import ApiError, Json, check_inline_keyboard, shown_length

Method = Callable[[dict[str, Any], dict[str, bytes]], Awaitable[Any]]
SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API's getFile limit
MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted", "left", "kicked"})
MENU_SCOPES = frozenset({"default", "all_private_chats", "all_group_chats", "all_chat_administrators"})
CHAT_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice", "upload_document",
     "choose_sticker", "find_location", "record_video_note", "upload_video_note"}
)  # fmt: skip


@dataclass
class Webhook:
    """The registered webhook: where updates are POSTed and the secret header they carry."""

    url: str
    secret_token: str | None
    allowed_updates: list[str] | None


@dataclass
class BotApi:
    """Method implementations over in-memory state; each raises ApiError with Telegram's description."""

    bot_id: int
    bot_username: str
    updates: list[Json] = field(default_factory=list)
    chats: dict[int, Json] = field(default_factory=dict)
    messages: dict[tuple[int, int], Json] = field(default_factory=dict)
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    open_queries: set[str] = field(default_factory=set)
    inline_answers: dict[str, Json] = field(default_factory=dict)
    refusing: dict[int, str] = field(default_factory=dict)  # user id -> why the bot may not write to them
    commands: list[Json] = field(default_factory=list)  # the default scope's menu
    scoped_commands: dict[str, list[Json]] = field(default_factory=dict)  # scope type -> its menu
    files: dict[str, Json] = field(default_factory=dict)  # file_id -> File object (file_path set), as getFile answers
    contents: dict[str, bytes] = field(default_factory=dict)  # file_path -> the bytes the file route serves
    webhook: Webhook | None = None
    message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    closing: asyncio.Event = field(default_factory=asyncio.Event)

    def table(self) -> dict[str, Method]:
        """Method name (lower case) -> implementation."""
        return {
            "getme": self.get_me,
            "getupdates": self.get_updates,
            "sendmessage": self.send_message,
            "sendphoto": self.send_photo,
            "sendchataction": self.send_chat_action,
            "editmessagetext": self.edit_message_text,
            "answercallbackquery": self.answer_callback_query,
            "answerinlinequery": self.answer_inline_query,
            "getchatmember": self.get_chat_member,
            "setwebhook": self.set_webhook,
            "deletewebhook": self.delete_webhook,
            "getwebhookinfo": self.get_webhook_info,
            "setmycommands": self.set_my_commands,
            "getmycommands": self.get_my_commands,
            "getfile": self.get_file,
        }

    def bot_user(self) -> Json:
        """The bot as the sender of its own messages."""
        return {"id": self.bot_id, "is_bot": True, "first_name": "EveTrader", "username": self.bot_username}

    async def get_me(self, params: dict[str, Any], files: dict[str, bytes]) -> Json:
        """The bot's own user, with the capabilities BotFather gave it."""
        return (
            self.bot_user()
            | {"can_join_groups": True, "can_read_all_group_messages": False}
            | {"supports_inline_queries": True}
        )

    async def get_updates(self, params: dict[str, Any], files: dict[str, bytes]) -> list[Json]:
        """Long polling: drop ids below offset, hold up to `timeout` s while empty (409 while a webhook is set)."""
        if self.webhook is not None:
            raise ApiError("Conflict: can't use getUpdates method while webhook is active", 409)
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self.updates[:] = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and timeout > 0 and not self.closing.is_set():
            try:
                async with asyncio.timeout(timeout), self.changed:
                    await self.changed.wait_for(lambda: bool(self.updates) or self.closing.is_set())
            except TimeoutError:
                pass
        return self.updates[:limit]

    async def send_message(self, params: dict[str, Any], files: dict[str, bytes]) -> Json:
        """A text message (HTML checked for length after parsing), with an optional keyboard."""
        text = str(params.get("text") or "")
        _check_text(text, params.get("parse_mode"))
        check_inline_keyboard(params.get("reply_markup"))
        return self.store(params, text=text)

    async def send_photo(self, params: dict[str, Any], files: dict[str, bytes]) -> Json:
        """A photo upload (multipart part `photo`) with an optional caption."""
        if "photo" not in files:
            raise ApiError("Bad Request: there is no photo in the request")
        size = {"width": 1, "height": 1, "file_size": len(files["photo"])}
        extra: Json = {"photo": [{"file_id": f"photo{len(self.messages)}", "file_unique_id": "u1"} | size]}
        if params.get("caption"):
            extra["caption"] = params["caption"]
        return self.store(params, **extra)

    async def get_file(self, params: dict[str, Any], files: dict[str, bytes]) -> Json:
        """A file's download path (valid for an hour at Telegram): bots may fetch files up to 20 MB."""
        found = self.files.get(str(params.get("file_id") or ""))
        if found is None:
            raise ApiError("Bad Request: invalid file_id")
        if found["file_size"] > MAX_DOWNLOAD:
            raise ApiError("Bad Request: file is too big")
        return found

    async def send_chat_action(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        """Show "typing…" (or another action) in a chat: a known action, a chat that takes the bot's messages."""
        if str(params.get("action") or "") not in CHAT_ACTIONS:
            raise ApiError("Bad Request: wrong parameter action in request")
        chat_id = int(params.get("chat_id") or 0)
        if chat_id in self.refusing:
            raise ApiError(self.refusing[chat_id], 403)
        return True

    async def edit_message_text(self, params: dict[str, Any], files: dict[str, bytes]) -> Json:
        """Replace the text (and keyboard) of a message the bot sent; unchanged content is an error."""
        key = (int(params.get("chat_id") or 0), int(params.get("message_id") or 0))
        message = self.messages.get(key)
        if message is None or "text" not in message:
            raise ApiError("Bad Request: message to edit not found")
        if not message["from"]["is_bot"]:
            raise ApiError("Bad Request: message can't be edited")
        text = str(params.get("text") or "")
        _check_text(text, params.get("parse_mode"))
        markup = params.get("reply_markup")
        check_inline_keyboard(markup)
        if text == message["text"] and markup == message.get("reply_markup"):
            raise ApiError(
                "Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        message["text"], message["edit_date"] = text, int(time.time())
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return message

    async def answer_callback_query(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        """Close a button press once; a second answer or an unknown id is an error."""
        return self._close_query(params, max_text=200)

    async def answer_inline_query(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        """Answer an inline query with at most 50 results of unique ids; articles need a title and a message."""
        results = params.get("results") or []
        if len(results) > 50:
            raise ApiError("Bad Request: RESULTS_TOO_MUCH")
        ids = [str(result.get("id", "")) for result in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise ApiError("Bad Request: RESULT_ID_INVALID")
        for result in results:
            content = result.get("input_message_content") or {}
            if result.get("type") == "article" and not (result.get("title") and content.get("message_text")):
                raise ApiError("Bad Request: MESSAGE_EMPTY")
            _check_text(str(content.get("message_text") or ""), content.get("parse_mode"))
        self._close_query(params, max_text=None)
        self.inline_answers[str(params["inline_query_id"])] = params
        return True

    async def get_chat_member(self, params: dict[str, Any], files: dict[str, bytes]) -> Json:
        """A member of a chat with their status (member unless the test set another)."""
        chat_id, user_id = int(params.get("chat_id") or 0), int(params.get("user_id") or 0)
        if chat_id not in self.chats:
            raise ApiError("Bad Request: chat not found")
        status = self.members.get((chat_id, user_id), "member")
        user = {"id": user_id, "is_bot": False, "first_name": f"Pilot {user_id}"}
        member: Json = {"status": status, "user": user}
        if status == "administrator":
            member |= {"can_be_edited": False, "is_anonymous": False, "can_manage_chat": True}
            member |= {key: False for key in _ADMIN_RIGHTS}
        if status == "creator":
            member["is_anonymous"] = False
        return member

    async def set_webhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        """Register where updates go (an empty url removes it); http is allowed for loopback tests only."""
        url = str(params.get("url") or "")
        if not url:
            self.webhook = None
            return True
        if not (url.startswith("https://") or url.startswith(("http://127.0.0.1", "http://localhost"))):
            raise ApiError("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not SECRET.match(str(secret)):
            raise ApiError("Bad Request: secret token contains unallowed characters")
        self.webhook = Webhook(url, None if secret is None else str(secret), params.get("allowed_updates"))
        return True

    async def delete_webhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        """Remove the webhook; drop_pending_updates also forgets queued updates."""
        self.webhook = None
        if str(params.get("drop_pending_updates", "")).lower() in ("true", "1"):
            self.updates.clear()
        return True

    async def get_webhook_info(self, params: dict[str, Any], files: dict[str, bytes]) -> Json:
        """The webhook as Telegram reports it (url "" when polling)."""
        info: Json = {"url": "", "has_custom_certificate": False, "pending_update_count": len(self.updates)}
        if self.webhook is not None:
            info["url"] = self.webhook.url
            if self.webhook.allowed_updates is not None:
                info["allowed_updates"] = self.webhook.allowed_updates
        return info

    async def set_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        """Replace the command menu of a scope (default, all_private_chats, all_group_chats,
        all_chat_administrators; chat scopes are refused here); names 1-32 of [a-z0-9_], descriptions 1-256."""
        commands = params.get("commands") or []
        for command in commands:
            name, description = command.get("command", ""), command.get("description", "")
            if not (1 <= len(name) <= 32 and all(c.islower() or c.isdigit() or c == "_" for c in name)):
                raise ApiError(f"Bad Request: BOT_COMMAND_INVALID ({name})")
            if not 1 <= len(description) <= 256:
                raise ApiError("Bad Request: command description is invalid")
        scope = str((params.get("scope") or {}).get("type") or "default")
        if scope not in MENU_SCOPES:
            raise ApiError(f"Bad Request: unsupported scope {scope} in this fake")
        if len(commands) > 100:
            raise ApiError("Bad Request: too many commands")
        self.scoped_commands[scope] = list(commands)
        if scope == "default":
            self.commands = list(commands)
        return True

    async def get_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> list[Json]:
        """The current command menu of a scope (the default one unless given)."""
        scope = str((params.get("scope") or {}).get("type") or "default")
        return list(self.scoped_commands.get(scope, []))

    def store(self, params: dict[str, Any], **extra: Any) -> Json:
        """Record a message the bot sent and return it as the API does."""
        chat_id = int(params["chat_id"])
        if chat_id in self.refusing:
            raise ApiError(self.refusing[chat_id], 403)
        chat = self.chats.get(chat_id, {"id": chat_id, "type": "private", "first_name": "someone"})
        message_id = next(self.message_ids)
        message: Json = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": self.bot_user()}
        message |= extra
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            message["reply_markup"] = markup  # a force_reply or reply keyboard is not part of the message
        replied = params.get("reply_to_message_id") or (params.get("reply_parameters") or {}).get("message_id")
        if replied:
            target = self.messages.get((chat_id, int(replied)))
            if target is None:
                raise ApiError("Bad Request: message to be replied not found")
            message["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
        self.messages[(chat_id, message_id)] = message
        return message

    def _close_query(self, params: dict[str, Any], max_text: int | None) -> bool:
        query_id = str(params.get("callback_query_id") or params.get("inline_query_id") or "")
        if query_id not in self.open_queries:
            raise ApiError("Bad Request: query is too old and response timeout expired or query ID is invalid")
        if max_text is not None and len(str(params.get("text") or "")) > max_text:
            raise ApiError("Bad Request: MESSAGE_TOO_LONG")
        self.open_queries.discard(query_id)
        return True


_ADMIN_RIGHTS = (
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def _check_text(text: str, parse_mode: Any) -> None:
    if not text.strip():
        raise ApiError("Bad Request: message text is empty")
    if shown_length(text, parse_mode) > 4096:
        raise ApiError("Bad Request: message is too long")
