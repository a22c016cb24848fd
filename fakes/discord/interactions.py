"""The fake's interaction side: pushing commands, autocompletes and clicks, and the callback/webhook routes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes.discord import payloads as p
from fakes.discord.gateway import Gateway
from fakes.discord.records import RECORD, Json, RecordedRequest, error, respond

MANAGE_GUILD, SEND_MESSAGES, VIEW_CHANNEL = 1 << 5, 1 << 11, 1 << 10
MEMBER_PERMISSIONS = SEND_MESSAGES | VIEW_CHANNEL
COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE, AUTOCOMPLETE_RESULT, MODAL = 4, 5, 6, 7, 8, 9
ATTACHMENT = 11  # option type


@dataclass
class PushedInteraction:
    """An interaction the test pushed, and what the bot answered to it."""

    payload: Json
    response_type: int | None = None
    response: Json | None = None  # the callback body's "data"
    original_id: str | None = None  # the message the response created (or the component's message)
    follow_ups: list[str] = field(default_factory=list)

    @property
    def message_id(self) -> str:
        """The message the response created (or the clicked one); LookupError before there is one."""
        if self.original_id is None:
            raise LookupError("this interaction has no message yet")
        return self.original_id

    @property
    def token(self) -> str:
        """The interaction token (webhook token of its follow-ups)."""
        return str(self.payload["token"])


class InteractionsMixin:
    """Part of DiscordFake: interactions pushed by tests and the routes that answer them."""

    url: str
    application_id: str
    bot_user: Json
    guild_channels: dict[str, str]
    global_commands: list[Json]
    guild_commands: dict[str, list[Json]]
    gateway: Gateway
    _reject: Callable[[Any], web.Response | None]

    def __init__(self) -> None:
        super().__init__()  # cooperative: DiscordFake's other base (LocalServer) initialises too
        self.messages: dict[str, Json] = {}
        self.interactions: dict[str, PushedInteraction] = {}  # by token
        self.files: dict[str, tuple[Json, bytes]] = {}  # attachment id -> (attachment, its bytes) on the "CDN"
        self.downloads: list[str] = []  # attachment ids fetched from the CDN, in order

    # ---- pushing interactions ------------------------------------------------------------------------------
    async def command(
        self, name: str, options: Mapping[str, Any] | None = None, *, focused: str | None = None, **who: Any
    ) -> PushedInteraction:
        """Push a slash command ("price" or "trade station") with option values; `focused` makes it an autocomplete.
        `who`: user_id, display_name, guild_id (None with dm=True), permissions."""
        top, _, sub = name.partition(" ")
        definition = self._definition(top)
        option_defs = {o["name"]: o for o in definition.get("options") or []}
        if sub:
            option_defs = {o["name"]: o for o in option_defs.get(sub, {}).get("options") or []}
        typed = [
            self._option(key, value, option_defs.get(key), key == focused) for key, value in (options or {}).items()
        ]
        if sub:
            typed = [{"type": 1, "name": sub, "options": typed}]
        data: Json = {"id": definition.get("id", p.snowflake()), "name": top, "type": 1, "options": typed}
        files = {str(v["id"]): v for v in (options or {}).values() if isinstance(v, dict) and v.get("id") in self.files}
        if files:  # attachment options carry the id; the attachments themselves come resolved
            data["resolved"] = {"attachments": files}
        if definition.get("guild_id"):
            data["guild_id"] = definition["guild_id"]
        return await self._push(AUTOCOMPLETE if focused else COMMAND, data, **who)

    async def click(self, message_id: str, custom_id: str, **who: Any) -> PushedInteraction:
        """Push a button click (component interaction) on a message the bot sent."""
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._push(COMPONENT, data, message_payload=self.messages[message_id], **who)

    def upload(self, filename: str, data: bytes, content_type: str | None = "text/plain; charset=utf-8") -> Json:
        """A file the user attaches to a command (pass it as the attachment option's value); served on the CDN."""
        attachment_id = p.snowflake()
        url = f"{self.url}/attachments/{attachment_id}/{filename}"
        attachment: Json = {"id": attachment_id, "filename": filename, "size": len(data), "url": url,
                            "proxy_url": url, "ephemeral": True}  # fmt: skip
        if content_type is not None:
            attachment["content_type"] = content_type
        self.files[attachment_id] = (attachment, data)
        return attachment

    async def submit(self, pushed: PushedInteraction, values: Mapping[str, str], **who: Any) -> PushedInteraction:
        """Submit the modal the bot answered `pushed` with, its text inputs filled with `values` (by custom_id);
        ValueError for what Discord's client would not let through (a missing required field, a value too long)."""
        if pushed.response_type != MODAL or pushed.response is None:
            raise LookupError("the bot did not answer with a modal")
        rows = []
        for row in pushed.response["components"]:
            field = row["component"] if row.get("type") == p.LABEL else row["components"][0]
            value = str(values.get(field["custom_id"], ""))
            if (field.get("required", True) and not value) or len(value) > field.get("max_length", p.MAX_INPUT):
                raise ValueError(f"{field['custom_id']}: {len(value)} characters is not allowed")
            submitted = {
                "type": p.TEXT_INPUT,
                "id": field.get("id", 1),
                "custom_id": field["custom_id"],
                "value": value,
            }
            rows.append({"type": row["type"], "id": row.get("id", 1)} | (
                {"component": submitted} if row.get("type") == p.LABEL else {"components": [submitted]}))  # fmt: skip
        data = {"custom_id": pushed.response["custom_id"], "components": rows}
        return await self._push(MODAL_SUBMIT, data, **who)

    def original(self, pushed: PushedInteraction) -> Json:
        """The message an interaction's response created, after any edits (LookupError when there is none)."""
        return self.messages[pushed.message_id]

    def follow_ups(self, pushed: PushedInteraction) -> list[Json]:
        """The follow-up messages of an interaction, in order."""
        return [self.messages[m] for m in pushed.follow_ups if m in self.messages]

    def about(self, pushed: PushedInteraction) -> Callable[[RecordedRequest], bool]:
        """A predicate for the requests answering one interaction (callback, follow-ups, edits)."""
        return lambda record: pushed.token in record.path

    async def _push(
        self,
        kind: int,
        data: Json,
        *,
        user_id: str = "4242",
        display_name: str = "Pilot Jones",
        guild_id: str | None = "",
        dm: bool = False,
        permissions: int = MEMBER_PERMISSIONS,
        message_payload: Json | None = None,
    ) -> PushedInteraction:
        author = p.user(user_id, display_name)
        if dm:
            guild_id, channel = None, p.dm_channel(f"7{user_id}", self.bot_user)
        else:
            guild_id = guild_id or next(iter(self.guild_channels))
            channel = p.text_channel(self.guild_channels.get(guild_id, p.snowflake()), guild_id)
        payload = p.interaction(
            kind,
            data,
            application_id=self.application_id,
            user_payload=author,
            guild_id=guild_id,
            channel=channel,
            permissions=permissions,
            message_payload=message_payload,
        )
        pushed = PushedInteraction(payload, original_id=message_payload["id"] if message_payload else None)
        self.interactions[pushed.token] = pushed
        await self.gateway.push("INTERACTION_CREATE", payload)
        return pushed

    def _definition(self, top: str) -> Json:
        for command in [*self.global_commands, *(c for cs in self.guild_commands.values() for c in cs)]:
            if command.get("name") == top:
                return command
        return {}

    @staticmethod
    def _option(name: str, value: Any, definition: Json | None, focused: bool) -> Json:
        if isinstance(value, dict):  # an uploaded attachment: the option carries its id
            return {"type": ATTACHMENT, "name": name, "value": str(value["id"])}
        kind, typed = p.typed_value(value)
        if definition is not None:
            kind = int(definition["type"])
            if not focused:  # an autocomplete sends what is typed so far, as text
                typed = int(value) if kind == 4 else float(value) if kind == 10 else str(value)
        option: Json = {"type": kind, "name": name, "value": str(value) if focused else typed}
        if focused:
            option["focused"] = True
        return option

    # ---- answering routes ----------------------------------------------------------------------------------
    async def _cdn(self, request: web.Request) -> web.StreamResponse:
        """An attachment's bytes, as the CDN serves them (404 for an unknown id or name)."""
        found = self.files.get(request.match_info["id"])
        if found is None or found[0]["filename"] != request.match_info["filename"]:
            return web.Response(status=404, text="Not Found")
        self.downloads.append(request.match_info["id"])
        return web.Response(
            body=found[1], content_type=str(found[0].get("content_type") or "application/octet-stream").split(";")[0]
        )

    async def _callback(self, request: web.Request) -> web.Response:
        record: RecordedRequest = request[RECORD]
        pushed = self.interactions.get(request.match_info["token"])
        if pushed is None or pushed.payload["id"] != request.match_info["id"]:
            return error(404, "Unknown interaction", 10062)
        if pushed.response_type is not None:
            return error(400, "Interaction has already been acknowledged.", 40060)
        body = record.json or {}
        kind, data = int(body.get("type", 0)), body.get("data") or {}
        allowed = {
            COMMAND: {MESSAGE, DEFERRED, MODAL},
            COMPONENT: {MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE, MODAL},
            MODAL_SUBMIT: {MESSAGE, DEFERRED},
        }
        if kind not in allowed.get(pushed.payload["type"], {AUTOCOMPLETE_RESULT}):
            return error(400, f"Interaction callback type {kind} is not valid here", 50035)
        if kind == AUTOCOMPLETE_RESULT and len(data.get("choices") or []) > 25:
            return error(400, "Invalid Form Body: more than 25 choices", 50035)
        if kind == MODAL and (problems := p.modal_errors(data)):
            return error(400, "Invalid Form Body: " + "; ".join(problems), 50035)
        if kind in (MESSAGE, UPDATE) and (rejected := self._reject(data)) is not None:
            return rejected
        pushed.response_type, pushed.response = kind, data
        created: Json | None = None
        channel_id = pushed.payload["channel_id"]
        if kind == MESSAGE:
            created = p.message(channel_id, self.bot_user, data, record.parts, webhook_id=self.application_id)
        elif kind == DEFERRED:
            created = p.message(
                channel_id,
                self.bot_user,
                {"flags": (data.get("flags") or 0) | p.LOADING},
                [],
                webhook_id=self.application_id,
            )
        elif kind == UPDATE and pushed.original_id in self.messages:
            created = p.edit(self.messages[pushed.original_id], data, record.parts)
        if created is not None:
            self.messages[created["id"]] = created
            pushed.original_id = created["id"]
        return respond(
            p.interaction_response(
                pushed.payload["id"], pushed.payload["type"], kind, created, int(data.get("flags") or 0)
            )
        )

    async def _follow_up(self, request: web.Request) -> web.Response:
        record: RecordedRequest = request[RECORD]
        pushed = self._by_webhook(request)
        if pushed is None or pushed.response_type is None:
            return error(404, "Unknown Webhook", 10015)
        if (rejected := self._reject(record.json)) is not None:
            return rejected
        original = self.messages.get(pushed.original_id or "")
        if pushed.response_type == DEFERRED and original is not None and original["flags"] & p.LOADING:
            created = p.edit(original, record.json or {}, record.parts)  # the first follow-up ends "thinking"
        else:
            created = p.message(
                pushed.payload["channel_id"],
                self.bot_user,
                record.json or {},
                record.parts,
                webhook_id=self.application_id,
            )
        self.messages[created["id"]] = created
        pushed.follow_ups.append(created["id"])
        return respond(created)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        found = self._webhook_message(request)
        return respond(found) if found is not None else error(404, "Unknown Message", 10008)

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        record: RecordedRequest = request[RECORD]
        found = self._webhook_message(request)
        if found is None:
            return error(404, "Unknown Message", 10008)
        if (rejected := self._reject(record.json)) is not None:
            return rejected
        self.messages[found["id"]] = edited = p.edit(found, record.json or {}, record.parts)
        return respond(edited)

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        found = self._webhook_message(request)
        if found is None:
            return error(404, "Unknown Message", 10008)
        del self.messages[found["id"]]
        return web.Response(status=204)

    def _by_webhook(self, request: web.Request) -> PushedInteraction | None:
        if request.match_info["app"] != self.application_id:
            return None
        return self.interactions.get(request.match_info["token"])

    def _webhook_message(self, request: web.Request) -> Json | None:
        pushed = self._by_webhook(request)
        if pushed is None:
            return None
        wanted = request.match_info["message"]
        message_id = pushed.original_id if wanted == "@original" else wanted
        return self.messages.get(message_id or "")
