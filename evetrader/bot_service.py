"""The bot service (composition level): every chat platform with a token, on the one command gateway."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from evetrader.app import App

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
DELIVERY_GRACE_S = 2.5
STOP_BUDGET_S = 4.0  # the whole stop(): with the pool closing after it, a process ends well inside 10 s


class NoPlatformConfigured(RuntimeError):
    """`serve bot` without any chat platform token."""


class PlatformLost(ConnectionError):
    """A chat platform's connection ended for good (e.g. the Discord gateway refused the token)."""


class BotService:
    """Runs Discord and/or Telegram (whichever have tokens) inside this process's event loop."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._telegram: Any = None
        self._discord: Any = None
        self._delivery_stop = asyncio.Event()
        self._deliveries: list[asyncio.Task[None]] = []
        self._closers: list[Callable[[], Awaitable[None]]] = []  # senders' HTTP sessions, closed after delivery stops

    def platforms(self) -> list[str]:
        """The platforms with a token configured."""
        settings = self.app.settings
        return [name for name, token in (("discord", settings.discord_token), ("telegram", settings.telegram_token))
                if token is not None]  # fmt: skip

    async def start(self) -> None:
        """Connect every configured platform; raises NoPlatformConfigured when there is none."""
        if not self.platforms():
            raise NoPlatformConfigured("no chat platform configured: set DISCORD_TOKEN and/or TELEGRAM_TOKEN")
        gateway = await self.app.command_gateway()
        settings = self.app.settings
        try:
            if settings.telegram_token is not None:
                from bot.telegram import build_application
                from bot.telegram import start as start_telegram

                base = settings.telegram_api_base.rstrip("/")
                token = settings.telegram_token.get_secret_value()
                self._telegram = build_application(
                    token,
                    gateway,
                    self.app.interaction_state("telegram"),
                    base_url=f"{base}/bot",
                    base_file_url=f"{base}/file/bot",
                    paste_limit=settings.appraisal_max_bytes,
                )
                secret = settings.telegram_webhook_secret
                await start_telegram(
                    self._telegram,
                    webhook_url=settings.telegram_webhook_url,
                    webhook_secret=secret.get_secret_value() if secret else None,
                )
                mode = "webhook" if settings.telegram_webhook_url else "polling"
                log.info("telegram bot started", extra={"mode": mode})
            if settings.discord_token is not None:
                from bot.discord import build_client, use_endpoints
                from bot.discord import start as start_discord

                use_endpoints(settings.discord_api_base, settings.discord_gateway_url)
                state = self.app.interaction_state("discord")
                self._discord = build_client(
                    gateway, state, guild_ids=settings.discord_guild_ids, paste_limit=settings.appraisal_max_bytes
                )
                await start_discord(self._discord, settings.discord_token.get_secret_value())
                log.info("discord bot connected", extra={"guilds": len(settings.discord_guild_ids) or "global"})
            await self._start_delivery()
        except BaseException:
            await self.stop()
            raise

    async def _start_delivery(self) -> None:
        """One alert delivery worker per platform this process can send to (chat platforms, e-mail, web push)."""
        from bot.discord.deliver import DiscordAlertSender
        from bot.telegram.deliver import TelegramAlertSender

        senders: list[Any] = []
        if self._telegram is not None:
            senders.append(TelegramAlertSender(self._telegram.bot))
        if self._discord is not None:
            senders.append(DiscordAlertSender(self._discord))
        if (mail := self.app.mail_sender()) is not None:
            senders.append(mail)
        if (push := self.app.push_sender()) is not None:
            senders.append(push)
            self._closers.append(push.close)
        names = (await self.app.catalog()).name_of
        platforms = {sender.platform for sender in senders}
        for sender in senders:
            worker = self.app.delivery_worker(sender, platforms, names)
            task = asyncio.create_task(worker.run(self._delivery_stop), name=f"alerts-{sender.platform}")
            self._deliveries.append(task)

    def webhook_route(self) -> tuple[str, Any] | None:
        """The Telegram webhook route for the web app in this process (webhook mode only)."""
        secret = self.app.settings.telegram_webhook_secret
        if self._telegram is None or not self.app.settings.telegram_webhook_url or secret is None:
            return None
        from bot.telegram import webhook_handler

        return WEBHOOK_PATH, webhook_handler(self._telegram, secret.get_secret_value())

    async def stop(self) -> None:
        """Stop delivering alerts, then disconnect; replies in flight get what is left of STOP_BUDGET_S to finish
        (a reply waiting on a hanging database must not hold up a shutdown)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STOP_BUDGET_S
        self._delivery_stop.set()
        if self._deliveries:
            _, pending = await asyncio.wait(self._deliveries, timeout=DELIVERY_GRACE_S)
            for task in pending:
                task.cancel()  # an unfinished delivery keeps its outbox lease: it is retried after
            await asyncio.gather(*self._deliveries, return_exceptions=True)
            self._deliveries.clear()
        for close in self._closers:
            await close()
        self._closers.clear()
        stops = []
        if self._discord is not None:
            from bot.discord import stop as stop_discord

            stops.append(stop_discord(self._discord, grace=max(0.5, deadline - loop.time() - 1.0)))
            self._discord = None
        if self._telegram is not None:
            from bot.telegram import stop as stop_telegram

            stops.append(stop_telegram(self._telegram))
            self._telegram = None
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
        """Per started platform: whether it takes updates now (Discord gateway ready, Telegram polling or webhook)."""
        states: dict[str, bool] = {}
        if self._discord is not None:
            client, runner = self._discord, self._discord.runner
            ws = client.ws
            up = client.is_ready() and not client.is_closed() and ws is not None and ws.open
            states["discord"] = bool(up and runner is not None and not runner.done())
        if self._telegram is not None:
            polling = _polling_task(self._telegram)
            states["telegram"] = bool(self._telegram.running) and (polling is None or not polling.done())
        return states

    def _lifelines(self) -> dict[str, asyncio.Task[Any]]:
        """The background tasks whose end means a platform is gone: the Discord gateway, Telegram polling."""
        tasks = {"discord gateway": self._discord.runner if self._discord is not None else None}
        tasks["telegram polling"] = _polling_task(self._telegram) if self._telegram is not None else None
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


def _polling_task(application: Any) -> asyncio.Task[Any] | None:
    """PTB's long-polling task (None in webhook mode): it ends for good on an invalid token."""
    updater = application.updater
    return getattr(updater, "_Updater__polling_task", None) if updater is not None else None


def mount_webhook(app: web.Application, route: tuple[str, Any] | None) -> None:
    """Add the Telegram webhook route to a web app (no-op without one)."""
    if route is not None:
        app.router.add_post(*route)
