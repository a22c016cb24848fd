"""The Discord chat platform: slash commands from the registry in, embeds, files and buttons out."""

from bot.discord.client import (
    DEFAULT_API_BASE,
    DEFAULT_GATEWAY_URL,
    EveTraderClient,
    build_client,
    send_dm,
    start,
    stop,
    sync_commands,
    use_endpoints,
)
from bot.discord.commands import caller_of, command_payloads, invocation_of
from bot.discord.page_store import PageStore
from bot.discord.render import Page, Rendered, render

__all__ = [
    "DEFAULT_API_BASE",
    "DEFAULT_GATEWAY_URL",
    "EveTraderClient",
    "Page",
    "PageStore",
    "Rendered",
    "build_client",
    "caller_of",
    "command_payloads",
    "invocation_of",
    "render",
    "send_dm",
    "start",
    "stop",
    "sync_commands",
    "use_endpoints",
]
