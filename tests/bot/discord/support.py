"""A small command set with known answers, and a harness running the real discord.py client against DiscordFake."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.discord.client import EveTraderClient, build_client, start, stop, use_endpoints
from bot.state import InteractionState
from core.chat.gateway import CommandGateway, ContextFactory, RateLimiter
from core.chat.model import Button, Caller, Field, Footer, Image, Reply, Table
from core.chat.params import Param, ParamKind
from core.chat.registry import CommandContext, Registry
from fakes.discord import DiscordFake

TOKEN = "test-bot-token"
GUILD = "9001"
AS_OF = datetime(2025, 5, 20, 11, 30, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ITEMS = ["Tritanium", "Tritanium Ore", "Tritanium Bar", "Tungsten Carbide", *[f"Trit thing {n}" for n in range(40)]]


class Completer:
    """Completion over a fixed list of item names (prefix match, case-insensitive)."""

    def complete(self, source: str, prefix: str, limit: int = 25) -> list[str]:
        if source != "items":
            raise KeyError(source)
        return [name for name in ITEMS if name.lower().startswith(prefix.lower())][:limit]


class Refuse:
    """A rate limiter that is always out of budget."""

    def __init__(self, wait: float = 12.0) -> None:
        self.wait, self.keys = wait, []  # type: ignore[var-annotated]

    async def wait_time(self, key: str) -> float:
        self.keys.append(key)
        return self.wait


def test_registry(callers: list[Caller]) -> Registry:
    """Commands whose handlers return known Replies (and record who called)."""
    registry = Registry()
    item = Param("item", "The item", autocomplete="items")
    where = Param("where", "Hub or station", required=False)

    @registry.command("price", "Item price at a hub", item, where)
    async def price(ctx: CommandContext, item: str, where: str | None = None) -> Reply:
        callers.append(ctx.caller)
        return Reply(
            title=f"{item} — {where or 'Jita'}",
            fields=[Field("Sell", "4.90 (5 orders)"), Field("Buy", "4.50 (4 orders)")],
            footer=Footer("ESI market snapshot", AS_OF),
            buttons=[Button("Amarr", action=f"price {item} amarr"), Button("Wiki", url="https://example.org/trit")],
        )

    @registry.command("chart", "A chart", Param("item", "The item"))
    async def chart(ctx: CommandContext, item: str) -> Reply:
        return Reply(title=f"{item} history", images=[Image(PNG, f"{item} price, 30 days", "history chart.png")])

    @registry.command("report", "A slow report", Param("item", "The item"), slow=True)
    async def report(ctx: CommandContext, item: str) -> Reply:
        await asyncio.sleep(0.05)
        if item == "fail":
            return Reply.error("no report on that", "/report <item>")
        return Reply(title=f"Report on {item}", text="All quiet.")

    @registry.command("ponder", "Fast on paper, slow in fact", Param("seconds", "How long", ParamKind.FLOAT))
    async def ponder(ctx: CommandContext, seconds: float) -> Reply:
        await asyncio.sleep(seconds)
        return Reply(text=f"pondered {seconds:g} s")

    @registry.command("whoami", "Who the bot thinks you are")
    async def whoami(ctx: CommandContext) -> Reply:
        callers.append(ctx.caller)
        return Reply(text=f"you are {ctx.caller.display_name}", ephemeral=True)

    @registry.command("long", "A long table", Param("rows", "How many rows", ParamKind.INT, min_value=1, max_value=500))
    async def long(ctx: CommandContext, rows: int) -> Reply:
        table = Table(["#", "item", "price"], [[str(n), f"Item number {n}", f"{n * 1.5:,.2f}"] for n in range(rows)])
        return Reply(title="Long list", tables=[table], footer=Footer("ESI", AS_OF))

    @registry.command(
        "trade station",
        "Station trading",
        Param("budget", "ISK", ParamKind.FLOAT, min_value=0),
        Param("count", "How many", ParamKind.INT, required=False, default=5, min_value=1, max_value=20),
        Param("sort", "Order", ParamKind.CHOICE, required=False, default="profit", choices=("profit", "volume")),
    )
    async def station(ctx: CommandContext, budget: float, count: int, sort: str) -> Reply:
        callers.append(ctx.caller)
        return Reply(title="Station trading", text=f"budget={budget:g} count={count} sort={sort}")

    return registry


def make_gateway(
    callers: list[Caller],
    limiter: RateLimiter | None = None,
    registry: Registry | None = None,
    context_for: ContextFactory | None = None,
) -> CommandGateway:
    """A CommandGateway over the test registry (or `registry`) with item completion."""

    async def empty_context(caller: Caller) -> CommandContext:
        return CommandContext()

    return CommandGateway(
        registry or test_registry(callers), context_for or empty_context, completer=Completer(), limiter=limiter
    )


@dataclass
class Harness:
    """A started client and the fake it talks to."""

    fake: DiscordFake
    client: EveTraderClient
    callers: list[Caller] = field(default_factory=list)

    async def answers(self, pushed: Any, count: int = 1) -> list[Any]:
        """The `count` first requests answering an interaction."""
        return (await self.fake.wait_for(self.fake.about(pushed), count))[:count]


@asynccontextmanager
async def connected(
    fake: DiscordFake, gateway: CommandGateway, state: InteractionState, **options: Any
) -> AsyncIterator[EveTraderClient]:
    """discord.py pointed at `fake` and a client started on it (commands synced to GUILD); stopped afterwards."""
    use_endpoints(fake.api_base, fake.gateway_url)
    settings: dict[str, Any] = {"guild_ids": (GUILD,), "defer_after": 0.2, "guild_ready_timeout": 0.05}
    client = build_client(gateway, state, **(settings | options))
    try:
        await start(client, TOKEN, timeout=5)
        yield client
    finally:
        await stop(client, grace=2)
        use_endpoints()


@asynccontextmanager
async def running(
    gateway: CommandGateway, callers: list[Caller], state: InteractionState, **options: Any
) -> AsyncIterator[Harness]:
    """A fake and a client connected to it over `gateway` and `state`; both stopped afterwards."""
    async with DiscordFake(TOKEN, guild_ids=(GUILD,)) as fake, connected(fake, gateway, state, **options) as client:
        yield Harness(fake, client, callers)
