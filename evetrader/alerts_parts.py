"""Composition of alerts and bot state: e-mail sender, outbox dispatcher, delivery workers, character order checks."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from evetrader.accounts_parts import AccountParts

if TYPE_CHECKING:  # each part's modules load when the part is first built (a CLI command builds few of them)
    from adapters.mail import SmtpAlertSender
    from adapters.redis.interaction_state import RedisInteractionState
    from bot.delivery import DeliveryWorker
    from core.alerts.delivery import AlertSender, ItemNames
    from scheduler.alert_dispatch import AlertDispatcher
    from scheduler.character_orders import OrderRefreshSummary


class AlertParts(AccountParts):
    """Alerts wiring of App."""

    def mail_sender(self) -> SmtpAlertSender | None:
        """The e-mail alert sender, when SMTP_URL and SMTP_FROM are set."""
        s = self.settings
        if s.smtp_url is None or not s.smtp_from:
            return None
        from adapters.mail import MailSettings, SmtpAlertSender

        return SmtpAlertSender(MailSettings.from_url(s.smtp_url.get_secret_value(), s.smtp_from))

    def alert_dispatcher(self) -> AlertDispatcher:
        """Moves due outbox rows onto the platform streams (the scheduler leader runs it)."""
        from scheduler.alert_dispatch import AlertDispatcher

        return AlertDispatcher(self.pool, self.redis, self.keys)

    def interaction_state(self, platform: str) -> RedisInteractionState:
        """What a chat platform's bot remembers between messages (open questions, pages), shared by its replicas."""
        from adapters.redis.interaction_state import RedisInteractionState

        return RedisInteractionState(self.redis, self.keys, platform)

    def delivery_worker(self, sender: AlertSender, platforms: Collection[str], names: ItemNames) -> DeliveryWorker:
        """Consumes one platform's alert stream and sends with `sender` (notices may go to `platforms`)."""
        from adapters.postgres.outbox import PgOutbox
        from adapters.redis.alert_stream import AlertStream
        from bot.delivery import DeliveryWorker

        stream = AlertStream(self.redis, self.keys, sender.platform)
        return DeliveryWorker(stream, PgOutbox(self.pool), sender, names=names, notice_platforms=platforms)

    async def refresh_character_orders(self) -> OrderRefreshSummary | None:
        """Check linked characters' orders against the book (no-op without SSO); ESI is asked only after Expires."""
        from adapters.esi.character_orders import EsiCharacterOrders
        from adapters.postgres.character_orders import PgCharacterOrderStore
        from scheduler.character_orders import refresh_character_orders

        tokens = self.character_tokens()
        if tokens is None:
            return None
        if self._character_esi is None:
            s = self.settings
            self._character_esi = EsiCharacterOrders(
                s.esi_base_url, user_agent=s.esi_user_agent, compatibility_date=s.esi_compatibility_date
            )
            await self._character_esi.start()
        return await refresh_character_orders(tokens, self._character_esi, PgCharacterOrderStore(self.pool))
