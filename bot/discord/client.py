"""The Discord client: build it over a CommandGateway and the interaction state, start it, stop it gently."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

import discord
import yarl

from bot.discord.commands import command_payloads
from bot.discord.page_store import PageStore
from bot.discord.render import render
from bot.discord.respond import handle, message_parts
from bot.state import InteractionState
from core.appraisal.parse import DEFAULT_MAX_BYTES
from core.chat.gateway import CommandGateway
from core.chat.model import Reply

logger = logging.getLogger(__name__)
DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"


def use_endpoints(api_base: str | None = None, gateway_url: str | None = None) -> None:
    """Point discord.py (process-wide) at another REST base and gateway, e.g. a local fake."""
    discord.http.Route.BASE = (api_base or DEFAULT_API_BASE).rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url or DEFAULT_GATEWAY_URL)


class EveTraderClient(discord.Client):
    """A discord.py client answering every interaction through the command gateway."""

    def __init__(
        self,
        gateway: CommandGateway,
        state: InteractionState,
        *,
        application_id: int | None = None,
        guild_ids: Iterable[int | str] = (),
        defer_after: float = 2.0,
        guild_ready_timeout: float = 2.0,
        paste_limit: int = DEFAULT_MAX_BYTES,
    ) -> None:
        extra: dict[str, Any] = {"application_id": application_id} if application_id is not None else {}
        super().__init__(
            intents=discord.Intents(guilds=True),
            guild_ready_timeout=guild_ready_timeout,
            allowed_mentions=discord.AllowedMentions.none(),  # the default of every send: replies quote user text
            **extra,
        )
        self.gateway = gateway
        self.guild_ids = tuple(int(guild_id) for guild_id in guild_ids)
        self.defer_after = defer_after
        self.paste_limit = paste_limit  # APPRAISAL_MAX_BYTES: the largest .txt paste read
        self.store = PageStore(state)
        self.handlers: set[asyncio.Task[Any]] = set()
        self.runner: asyncio.Task[None] | None = None
        self.stopping = False

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Answer one interaction (discord.py runs each event in its own task; we track it for stop())."""
        if self.stopping:
            return
        task = asyncio.current_task()
        if task is not None:
            self.handlers.add(task)
        try:
            await handle(self, interaction)
        except Exception:
            logger.exception("discord interaction %s (%s) failed", interaction.id, interaction.type)
        finally:
            if task is not None:
                self.handlers.discard(task)


def build_client(
    gateway: CommandGateway,
    state: InteractionState,
    *,
    application_id: int | None = None,
    guild_ids: Iterable[int | str] = (),
    **options: Any,
) -> EveTraderClient:
    """A client over `gateway`, paging through `state`; commands sync to `guild_ids` (or globally when empty)."""
    return EveTraderClient(gateway, state, application_id=application_id, guild_ids=guild_ids, **options)


async def sync_commands(client: EveTraderClient) -> list[dict[str, Any]]:
    """Overwrite the application's commands with the registry's, per configured guild or globally."""
    application_id = client.application_id
    if application_id is None:
        raise RuntimeError("log in before syncing commands (the application id is unknown)")
    payload = command_payloads(client.gateway.registry)
    if not client.guild_ids:
        return list(await client.http.bulk_upsert_global_commands(application_id, payload))  # type: ignore[arg-type]
    synced: list[dict[str, Any]] = []
    for guild_id in client.guild_ids:
        synced += await client.http.bulk_upsert_guild_commands(application_id, guild_id, payload)  # type: ignore[arg-type]
    return synced


async def start(client: EveTraderClient, token: str, *, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Log in, sync the commands, connect the gateway in the background and return once READY."""
    await client.login(token)
    await sync_commands(client)
    client.runner = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")
    ready = asyncio.create_task(client.wait_until_ready())
    done, _ = await asyncio.wait({ready, client.runner}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if ready not in done:
        ready.cancel()
        if client.runner in done:
            client.runner.result()  # raises what stopped the connection (bad token, ...)
        raise TimeoutError(f"Discord gateway not ready after {timeout:g} s")


async def stop(client: EveTraderClient, *, grace: float = 10.0) -> None:
    """Stop taking interactions, let in-flight replies finish (up to `grace` s), then close the connection."""
    client.stopping = True
    pending = {task for task in client.handlers if not task.done()}
    if pending:
        await asyncio.wait(pending, timeout=grace)
    await client.close()
    if client.runner is not None:
        done, _ = await asyncio.wait({client.runner}, timeout=5.0)
        if not done:
            client.runner.cancel()
        elif not client.runner.cancelled() and client.runner.exception() is not None:
            logger.warning("discord gateway stopped with an error", exc_info=client.runner.exception())


async def send_dm(client: EveTraderClient, user_id: int | str, reply: Reply) -> discord.Message:
    """Send a reply to a user's direct messages (alerts): the first page, with pager and buttons."""
    channel = await client.create_dm(discord.Object(int(user_id)))
    rendered = render(reply, in_guild=False)
    return await channel.send(embeds=rendered.pages[0].embeds, **await message_parts(client, rendered, 0))
