"""Alerts wiring: mail and push senders, the outbox dispatcher, delivery workers, bot state and order checks.

Each builder takes the opened resources it needs (`mail_and_push_workers`, the App); a part's modules load when it
is first built (a CLI command builds few of them).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncpg
    import redis.asyncio as aioredis

    from adapters.esi.transport import EsiTransport
    from adapters.mail import SmtpAlertSender
    from adapters.redis.interaction_state import RedisInteractionState
    from adapters.redis.keys import RedisKeys
    from adapters.webpush import WebPushSender
    from bot.delivery import DeliveryWorker
    from core.accounts.tokens import CharacterTokens
    from core.alerts.delivery import AlertSender, ItemNames
    from evetrader.app import App
    from evetrader.config import Settings
    from scheduler.alert_dispatch import AlertDispatcher
    from scheduler.character_orders import OrderRefreshSummary


def mail_sender(settings: Settings) -> SmtpAlertSender | None:
    """The e-mail alert sender, when SMTP_URL and SMTP_FROM are set."""
    if settings.smtp_url is None or not settings.smtp_from:
        return None
    from adapters.mail import MailSettings, SmtpAlertSender

    return SmtpAlertSender(MailSettings.from_url(settings.smtp_url.get_secret_value(), settings.smtp_from))


def push_sender(settings: Settings, pool: asyncpg.Pool) -> WebPushSender | None:
    """The web push alert sender, when VAPID_PRIVATE_KEY is set (alerts open the panel's Alerts page)."""
    s = settings
    if s.vapid_private_key is None:
        return None
    from adapters.postgres.push_subscriptions import PgPushSubscriptions
    from adapters.webpush import VapidKey, WebPushSender

    vapid = VapidKey.from_setting(s.vapid_private_key.get_secret_value(), s.vapid_subject or "")
    return WebPushSender(vapid, PgPushSubscriptions(pool), f"{s.public_url.rstrip('/')}/alerts")


def alert_platforms(settings: Settings) -> frozenset[str]:
    """Every platform the deployment delivers alerts to (its services share one configuration): the enabled chat
    platforms, e-mail and web push when set up. A notice about a disabled target may go to any of them."""
    names = {platform.name for platform in settings.enabled_platforms()}
    mail = mail_sender(settings)
    if mail is not None:
        names.add(mail.platform)
    if settings.vapid_private_key is not None:
        from core.alerts.webpush import PLATFORM

        names.add(PLATFORM)
    return frozenset(names)


async def mail_and_push_workers(app: App) -> list[DeliveryWorker]:
    """The delivery workers of the senders that need no chat platform, run by the worker service: e-mail (SMTP_URL
    and SMTP_FROM set) and web push (VAPID_PRIVATE_KEY set); none when neither is."""
    settings = app.settings
    push = push_sender(settings, app.pool)
    if push is not None:
        app.close_with(push.close)  # its HTTP session
    senders: list[AlertSender] = [sender for sender in (mail_sender(settings), push) if sender is not None]
    if not senders:
        return []
    names, platforms = (await app.catalog()).name_of, alert_platforms(settings)
    return [delivery_worker(app.pool, app.redis, app.keys, sender, platforms, names) for sender in senders]


def alert_dispatcher(pool: asyncpg.Pool, redis: aioredis.Redis, keys: RedisKeys, **options: Any) -> AlertDispatcher:
    """Moves due outbox rows onto the platform streams (the scheduler leader runs it); `options`: the
    dispatcher's stuck_after, batch and clock."""
    from adapters.postgres.outbox import PgOutbox
    from adapters.redis.alert_stream import AlertStream
    from scheduler.alert_dispatch import AlertDispatcher

    return AlertDispatcher(PgOutbox(pool), lambda platform: AlertStream(redis, keys, platform), **options)


def interaction_state(redis: aioredis.Redis, keys: RedisKeys, platform: str) -> RedisInteractionState:
    """What a chat platform's bot remembers between messages (open questions, pages), shared by its replicas."""
    from adapters.redis.interaction_state import RedisInteractionState

    return RedisInteractionState(redis, keys, platform)


def delivery_worker(
    pool: asyncpg.Pool,
    redis: aioredis.Redis,
    keys: RedisKeys,
    sender: AlertSender,
    platforms: Collection[str],
    names: ItemNames,
) -> DeliveryWorker:
    """Consumes one platform's alert stream and sends with `sender` (notices may go to `platforms`); alerts about an
    item get an "Open in game" button when the account has a character allowed to open windows, and an alert at a
    tracked structure names it."""
    from functools import partial

    from adapters.postgres.outbox import PgOutbox
    from adapters.postgres.profile import PgCharacterProfiles
    from adapters.postgres.structure_markets import PgStructureMarkets
    from adapters.redis.alert_stream import AlertStream
    from bot.delivery import DeliveryWorker
    from core.trading.windows import can_open_windows

    stream = AlertStream(redis, keys, sender.platform)
    can_open = partial(can_open_windows, PgCharacterProfiles(pool))
    structures = PgStructureMarkets(pool).names
    return DeliveryWorker(
        stream,
        PgOutbox(pool),
        sender,
        names=names,
        can_open=can_open,
        structures=structures,
        notice_platforms=platforms,
    )


async def refresh_character_orders(
    tokens: CharacterTokens | None, transport: EsiTransport, pool: asyncpg.Pool
) -> OrderRefreshSummary | None:
    """Check linked characters' orders against the book (no-op without SSO); ESI is asked only after Expires."""
    if tokens is None:
        return None
    from adapters.esi.character_orders import EsiCharacterOrders
    from adapters.postgres.character_orders import PgCharacterOrderStore
    from scheduler.character_orders import refresh_character_orders as refresh

    return await refresh(tokens, EsiCharacterOrders(transport), PgCharacterOrderStore(pool))
