"""The chat-platform port: what the bot service needs of Discord, Telegram or any platform added under bot/.

A platform is one package under bot/ exporting one ChatPlatform object, listed once in evetrader/config.py's
PLATFORMS. Its settings model reads the platform's own variables from the environment; importing the package must
stay cheap (its client library loads in build(), not at import: every CLI command reads the settings).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic_settings import BaseSettings

if TYPE_CHECKING:
    from aiohttp import web

    from bot.state import InteractionState
    from core.alerts.delivery import AlertSender
    from core.chat.gateway import CommandGateway

    WebHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]

S = TypeVar("S", bound=BaseSettings, contravariant=True)


@dataclass(frozen=True)
class PlatformDeps:
    """What a platform is built from: the one command gateway, its own interaction state, the paste limit."""

    gateway: CommandGateway
    state: InteractionState
    paste_limit: int  # APPRAISAL_MAX_BYTES: the largest pasted or uploaded text /appraise reads


class Connection(Protocol):
    """A built platform: started once, stopped once (also after a failed start)."""

    lifeline_name: str  # what ends with the lifeline, as logs and PlatformLost name it ("discord gateway")

    async def start(self) -> None:
        """Connect and take updates; returns once the platform answers (raises when it cannot)."""
        ...

    async def stop(self, grace: float) -> None:
        """Stop taking updates, give replies in flight up to `grace` seconds, then disconnect."""
        ...

    def connected(self) -> bool:
        """Whether it takes updates now (the ops listener's readiness role)."""
        ...

    def lifeline(self) -> asyncio.Task[Any] | None:
        """The background task whose end means the platform is gone for good (None: nothing to watch)."""
        ...

    def alert_sender(self) -> AlertSender:
        """Sends this platform's alerts for the delivery worker."""
        ...

    def webhook_route(self) -> tuple[str, WebHandler] | None:
        """(path, POST handler) for the web app in this process when updates come by webhook, else None."""
        ...


class ChatPlatform(Protocol[S]):
    """One chat platform: its name, its settings model, when it is on, how it is built."""

    @property
    def name(self) -> str:
        """Lower-case name: alert targets' platform, interaction state's namespace, ops role, settings prefix."""
        ...

    @property
    def settings_model(self) -> type[BaseSettings]:
        """The platform's own settings (its variables are named with the platform's prefix: TELEGRAM_TOKEN)."""
        ...

    @property
    def enabling_setting(self) -> str:
        """The variable that turns the platform on (named when none is configured)."""
        ...

    def enabled(self, settings: S) -> bool:
        """Whether this process should run the platform under `settings` (e.g. a token is set)."""
        ...

    def build(self, settings: S, deps: PlatformDeps) -> Connection:
        """The platform's connection over the command gateway, not yet started."""
        ...
