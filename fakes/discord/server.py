"""DiscordFake: a local aiohttp server speaking enough Discord REST v10 and gateway for the real discord.py client.

Point discord.py at it with bot.discord.use_endpoints(fake.api_base, fake.gateway_url). Every request is recorded
(`requests`), faults can be scripted per route (`fail_next`), and tests push interactions through the gateway.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from fakes.discord import payloads as p
from fakes.discord.gateway import Gateway
from fakes.discord.interactions import InteractionsMixin
from fakes.discord.records import RECORD, Fault, Json, RecordedRequest, error, fault_response, read_body, respond
from fakes.local_server import LocalServer

API = "/api/v10"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
BOT_ROUTES = ("/users", "/applications", "/channels", "/oauth2", "/gateway/bot")


class DiscordFake(InteractionsMixin, LocalServer):
    """The REST routes and gateway a bot uses: login, command sync, interaction callbacks, follow-ups and DMs."""

    shutdown_timeout = 0.5

    def __init__(self, token: str = "test-bot-token", *, guild_ids: tuple[str, ...] = ("9001",)) -> None:
        super().__init__()
        self.token = token
        self.application_id = "5550001"
        self.bot_user = p.user("5550001", "EveTrader", bot=True)
        self.guild_channels = {guild_id: p.snowflake() for guild_id in guild_ids}
        self.requests: list[RecordedRequest] = []
        self.global_commands: list[Json] = []
        self.guild_commands: dict[str, list[Json]] = {}
        self.dm_channels: dict[str, Json] = {}  # channel id -> DM channel
        self.blocked_dms: set[str] = set()  # user ids whose DMs answer 50007 (they block the bot or closed DMs)
        self._by_nonce: dict[tuple[str, str], str] = {}  # (channel, nonce) -> message id, for enforce_nonce
        self._faults: list[Fault] = []
        self._changed = asyncio.Condition()
        self.gateway = Gateway(token, self._ready_payload, self._guild_payloads)

    # ---- lifecycle -----------------------------------------------------------------------------------------
    @property
    def api_base(self) -> str:
        """The REST base discord.py should use (Route.BASE)."""
        return f"{self.url}{API}"

    @property
    def gateway_url(self) -> str:
        """The websocket URL discord.py should connect to (DiscordWebSocket.DEFAULT_GATEWAY)."""
        return self.url.replace("http://", "ws://") + "/"

    def build_app(self) -> web.Application:
        """The gateway socket at / and the REST routes under /api/v10, every request recorded."""
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/", self.gateway.handle)
        app.router.add_get("/attachments/{id}/{filename}", self._cdn)
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway),
            ("GET", "/users/@me", self._get_me),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("PUT", "/applications/{app}/commands", self._put_commands),
            ("GET", "/applications/{app}/commands", self._get_commands),
            ("PUT", "/applications/{app}/guilds/{guild}/commands", self._put_commands),
            ("GET", "/applications/{app}/guilds/{guild}/commands", self._get_commands),
            ("POST", "/interactions/{id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app}/{token}", self._follow_up),
            ("GET", "/webhooks/{app}/{token}/messages/{message}", self._get_webhook_message),
            ("PATCH", "/webhooks/{app}/{token}/messages/{message}", self._edit_webhook_message),
            ("DELETE", "/webhooks/{app}/{token}/messages/{message}", self._delete_webhook_message),
            ("POST", "/users/@me/channels", self._open_dm),
            ("POST", "/channels/{channel}/messages", self._send_channel_message),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, API + path, handler)
        return app

    async def on_close(self) -> None:
        """Close gateway sockets before the server stops."""
        await self.gateway.close_all()

    async def reset_token(self, token: str) -> None:
        """The bot's token is reset: REST answers the old one 401, the gateway closes its sessions with 4004."""
        self.token = token
        await self.gateway.reset_token(token)

    # ---- scripting and assertions --------------------------------------------------------------------------
    def fail_next(
        self, method: str, route: str, status: int = 429, *, count: int = 1, retry_after: float = 0.1
    ) -> None:
        """Answer the next `count` requests of `method route` (a template such as
        "/webhooks/{app}/{token}") with `status`: 429 as Discord sends it, or a 5xx."""
        self._faults.append(Fault(method.upper(), route, status, count, retry_after))

    def requests_to(self, route: str, method: str | None = None) -> list[RecordedRequest]:
        """Recorded requests of one route template (and method), oldest first."""
        return [r for r in self.requests if r.route == route and (method is None or r.method == method.upper())]

    async def wait_for(
        self,
        predicate: Callable[[RecordedRequest], bool],
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[RecordedRequest]:
        """Wait until `count` recorded (and answered) requests match; return them (TimeoutError otherwise)."""

        def matching() -> list[RecordedRequest]:
            return [r for r in self.requests if r.status and predicate(r)]

        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(matching()) >= count)
        return matching()

    async def wait_identified(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a client has identified on the gateway."""
        async with asyncio.timeout(timeout):
            await self.gateway.identified.wait()

    # ---- plumbing ------------------------------------------------------------------------------------------
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == "/" or not request.path.startswith(API):
            return await handler(request)
        resource = request.match_info.route.resource
        route = resource.canonical[len(API) :] if resource is not None else request.path[len(API) :]
        body, parts = await read_body(request)
        record = RecordedRequest(request.method, request.path[len(API) :], route, dict(request.query), body, parts)
        request[RECORD] = record
        self.requests.append(record)
        try:
            response = self._fault_for(record) or self._auth_error(request, route) or await handler(request)
        except web.HTTPException as exc:
            response = exc
        record.status = response.status
        async with self._changed:
            self._changed.notify_all()
        return response

    def _fault_for(self, record: RecordedRequest) -> web.Response | None:
        for fault in self._faults:
            if fault.method == record.method and fault.route == record.route:
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                return fault_response(fault, hashlib.md5(record.route.encode()).hexdigest()[:16])
        return None

    def _auth_error(self, request: web.Request, route: str) -> web.Response | None:
        if route.startswith(BOT_ROUTES) and request.headers.get("Authorization") != f"Bot {self.token}":
            return error(401, "401: Unauthorized")
        return None

    def _ready_payload(self) -> Json:
        return {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": guild_id, "unavailable": True} for guild_id in self.guild_channels],
            "session_id": p.snowflake(),
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.application_id, "flags": 0},
            "private_channels": [],
            "relationships": [],
        }

    def _guild_payloads(self) -> list[Json]:
        return [p.guild(g, c, "4242") for g, c in self.guild_channels.items()]

    # ---- REST: login and commands --------------------------------------------------------------------------
    async def _get_gateway(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return respond({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _get_me(self, request: web.Request) -> web.Response:
        return respond(self.bot_user)

    async def _get_application(self, request: web.Request) -> web.Response:
        return respond(
            {
                "id": self.application_id,
                "name": "EveTrader",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": p.user("4242", "Owner"),
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "interactions_endpoint_url": None,
                "summary": "",
                "rpc_origins": [],
            }
        )

    async def _put_commands(self, request: web.Request) -> web.Response:
        body = request[RECORD].json
        problems = p.command_errors(body)
        if problems:
            return error(400, "Invalid Form Body", 50035, {"_errors": [{"message": m} for m in problems]})
        guild_id = request.match_info.get("guild")
        stored = [
            dict(command, id=p.snowflake(), application_id=self.application_id, version=p.snowflake(), type=1)
            | ({"guild_id": guild_id} if guild_id else {})
            for command in body
        ]
        if guild_id:
            self.guild_commands[guild_id] = stored
        else:
            self.global_commands = stored
        return respond(stored)

    async def _get_commands(self, request: web.Request) -> web.Response:
        guild_id = request.match_info.get("guild")
        return respond(self.guild_commands.get(guild_id, []) if guild_id else self.global_commands)

    # ---- REST: DMs -----------------------------------------------------------------------------------------
    async def _open_dm(self, request: web.Request) -> web.Response:
        recipient = str((request[RECORD].json or {}).get("recipient_id") or "")
        if not recipient:
            return error(400, "Invalid Form Body", 50035)
        for channel in self.dm_channels.values():
            if channel["recipients"][0]["id"] == recipient:
                return respond(channel)
        channel = p.dm_channel(p.snowflake(), p.user(recipient, f"User {recipient}"))
        self.dm_channels[channel["id"]] = channel
        return respond(channel)

    async def _send_channel_message(self, request: web.Request) -> web.Response:
        record: RecordedRequest = request[RECORD]
        channel_id = request.match_info["channel"]
        if channel_id not in self.dm_channels and channel_id not in self.guild_channels.values():
            return error(404, "Unknown Channel", 10003)
        problems = p.limit_errors(record.json)
        if problems:
            return error(400, "Invalid Form Body", 50035, {"_errors": [{"message": m} for m in problems]})
        dm = self.dm_channels.get(channel_id)
        if dm is not None and dm["recipients"][0]["id"] in self.blocked_dms:
            return error(403, "Cannot send messages to this user", 50007)
        body = record.json or {}
        nonce = str(body.get("nonce") or "")
        if nonce and body.get("enforce_nonce") and (channel_id, nonce) in self._by_nonce:
            return respond(self.messages[self._by_nonce[(channel_id, nonce)]])  # Discord's duplicate guard
        created = p.message(channel_id, self.bot_user, record.json, record.parts)
        self.messages[created["id"]] = created
        if nonce:
            self._by_nonce[(channel_id, nonce)] = created["id"]
        return respond(created)

    def _reject(self, body: Any) -> web.Response | None:
        problems = p.limit_errors(body)
        if problems:
            return error(400, "Invalid Form Body", 50035, {"_errors": [{"message": m} for m in problems]})
        return None
