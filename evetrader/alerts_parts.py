"""Composition of alerts and bot state: mail and push senders, outbox dispatcher, delivery workers, order checks."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from evetrader.accounts_parts import AccountParts

if TYPE_CHECKING:  # each part's modules load when the part is first built (a CLI command builds few of them)
    from adapters.mail import SmtpAlertSender
    from adapters.redis.interaction_state import RedisInteractionState
    from adapters.webpush import WebPushSender
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

    def push_sender(self) -> WebPushSender | None:
        """The web push alert sender, when VAPID_PRIVATE_KEY is set (alerts open the panel's Alerts page)."""
        s = self.settings
        if s.vapid_private_key is None:
            return None
        from adapters.postgres.push_subscriptions import PgPushSubscriptions
        from adapters.webpush import VapidKey, WebPushSender

        vapid = VapidKey.from_setting(s.vapid_private_key.get_secret_value(), s.vapid_subject or "")
        return WebPushSender(vapid, PgPushSubscriptions(self.pool), f"{s.public_url.rstrip('/')}/alerts")

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
        esi = EsiCharacterOrders(self.esi.transport)
        return await refresh_character_orders(tokens, esi, PgCharacterOrderStore(self.pool))
