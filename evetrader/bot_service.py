"""The bot service (composition level): every enabled chat platform (config.PLATFORMS) on the one command gateway.

It receives one BotDeps bundle (built by evetrader.bootstrap.chat.bot_deps), never the resources themselves.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.platform import Connection, PlatformDeps
from evetrader.alert_delivery import AlertDelivery
from evetrader.config import PLATFORMS

if TYPE_CHECKING:
    from pydantic_settings import BaseSettings

    from bot.delivery import DeliveryWorker
    from bot.platform import ChatPlatform, WebHandler
    from bot.state import InteractionState
    from core.alerts.delivery import AlertSender
    from core.chat.gateway import CommandGateway

log = logging.getLogger(__name__)
STOP_BUDGET_S = 4.0  # the whole stop(): with the pool closing after it, a process ends well inside 10 s


class NoPlatformConfigured(RuntimeError):
    """`serve bot` without any chat platform token."""


class PlatformLost(ConnectionError):
    """A chat platform's connection ended for good (e.g. the Discord gateway refused the token)."""


@dataclass(frozen=True)
class BotDeps:
    """Exactly what the bot service uses."""

    gateway: CommandGateway  # every platform runs its commands through it
    platforms: tuple[tuple[ChatPlatform[Any], BaseSettings], ...]  # the enabled platforms and their settings
    interaction_state: Callable[[str], InteractionState]  # a platform's (by name) state between messages
    appraisal_max_bytes: int
    delivery_worker: Callable[[AlertSender], DeliveryWorker]  # a platform's alert sender's worker


class BotService:
    """Runs every enabled chat platform (evetrader.config.PLATFORMS) inside this process's event loop."""

    def __init__(self, deps: BotDeps) -> None:
        self.deps = deps
        self._running: dict[str, Connection] = {}  # platform name -> its connection, once built
        self._delivery: AlertDelivery | None = None

    def platforms(self) -> list[str]:
        """The names of the platforms configured to run."""
        return [platform.name for platform, _ in self.deps.platforms]

    async def start(self) -> None:
        """Connect every configured platform; raises NoPlatformConfigured when there is none."""
        deps = self.deps
        if not deps.platforms:
            raise NoPlatformConfigured(no_platform_message())
        try:
            for platform, settings in deps.platforms:
                state = deps.interaction_state(platform.name)
                connection = platform.build(settings, PlatformDeps(deps.gateway, state, deps.appraisal_max_bytes))
                self._running[platform.name] = connection
                await connection.start()
            self._start_delivery()
        except BaseException:
            await self.stop()
            raise

    def _start_delivery(self) -> None:
        """One alert delivery worker per started chat platform (the worker service delivers e-mail and web push)."""
        workers = [self.deps.delivery_worker(connection.alert_sender()) for connection in self._running.values()]
        self._delivery = AlertDelivery(workers)
        self._delivery.start()

    def webhook_routes(self) -> list[tuple[str, WebHandler]]:
        """The webhook routes of the started platforms for the web app in this process (webhook mode only)."""
        return [route for connection in self._running.values() if (route := connection.webhook_route())]

    async def stop(self) -> None:
        """Stop delivering alerts, then disconnect; replies in flight get what is left of STOP_BUDGET_S to finish
        (a reply waiting on a hanging database must not hold up a shutdown)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STOP_BUDGET_S
        if self._delivery is not None:
            await self._delivery.stop()
            self._delivery = None
        grace = max(0.5, deadline - loop.time() - 1.0)
        stops = [connection.stop(grace) for connection in self._running.values()]
        self._running.clear()
        if stops:
            tasks = [asyncio.ensure_future(stop) for stop in stops]
            _, pending = await asyncio.wait(tasks, timeout=max(1.0, deadline - loop.time()))
            for task in pending:
                task.cancel()
            if pending:
                log.warning("chat platforms did not stop within %.0f s; replies in flight are dropped", STOP_BUDGET_S)
            for task in tasks:
                if task.done() and not task.cancelled() and task.exception() is not None:
                    log.warning("a chat platform did not stop cleanly: %r", task.exception())

    def connected(self) -> dict[str, bool]:
        """Per started platform: whether it takes updates now (e.g. Discord's gateway ready, Telegram polling)."""
        return {name: connection.connected() for name, connection in self._running.items()}

    def _lifelines(self) -> dict[str, asyncio.Task[Any]]:
        """The background tasks whose end means a platform is gone (e.g. the Discord gateway, Telegram polling)."""
        tasks = {connection.lifeline_name: connection.lifeline() for connection in self._running.values()}
        return {name: task for name, task in tasks.items() if task is not None}

    async def supervise(self, stop: asyncio.Event) -> None:
        """Until `stop`: watch each platform's lifeline; one that ends raises PlatformLost (the process exits non-zero).
        Stops the platforms on the way out either way."""
        try:
            waiter = asyncio.ensure_future(stop.wait())
            lifelines = self._lifelines()
            try:
                await asyncio.wait({waiter, *lifelines.values()}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiter.cancel()
            for name, task in lifelines.items():
                if task.done() and not stop.is_set():
                    error = None if task.cancelled() else task.exception()
                    log.error("chat platform lost: %s ended (%s)", name, type(error).__name__ if error else "closed")
                    raise PlatformLost(f"{name} ended; restart the bot")
        finally:
            await self.stop()

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set (or a platform is lost: PlatformLost)."""
        await self.start()
        await self.supervise(stop)


def no_platform_message() -> str:
    """What `serve bot` says when no chat platform is configured: the variables that would turn one on."""
    return "no chat platform configured: set " + " and/or ".join(p.enabling_setting for p in PLATFORMS)


def mount_webhooks(app: web.Application, routes: list[tuple[str, WebHandler]]) -> None:
    """Add the chat platforms' webhook routes to a web app."""
    for path, handler in routes:
        app.router.add_post(path, handler)
