"""Alert delivery on Discord: an embed with the alert's buttons (snooze, pause, remove) in a user's DM or a channel,
sent with a nonce that Discord enforces (a resend after a crash returns the message already created), and Discord's
errors turned into delivery outcomes."""

from __future__ import annotations

import logging

import aiohttp
import discord

from bot.discord.components import action_view
from core.alerts.delivery import (
    AlertText,
    Delivered,
    RateLimited,
    Rejected,
    SendOutcome,
    TargetGone,
    TransientFailure,
)
from core.alerts.model import AlertTarget, TargetKind

log = logging.getLogger(__name__)
MAX_TITLE, MAX_DESCRIPTION = 256, 4096
ALERT_COLOUR = discord.Colour.gold()
DEFAULT_RETRY_AFTER_S = 5.0
# Error codes that mean the target can no longer take our messages.
GONE = {
    10003: "the channel no longer exists",
    10013: "the Discord user no longer exists",
    50001: "the bot no longer has access to that channel",
    50007: "Discord does not let the bot message you (direct messages closed or the bot blocked)",
    50013: "the bot lacks permission to post in that channel",
}


def outcome_of_error(exc: discord.HTTPException) -> SendOutcome:
    """A delivery outcome for a Discord HTTP error (by its JSON error code, then its status)."""
    if exc.code in GONE:
        return TargetGone(GONE[exc.code])
    if exc.status == 429:
        return RateLimited(DEFAULT_RETRY_AFTER_S, "Discord rate limit")
    if exc.status >= 500:
        return TransientFailure(f"Discord answered {exc.status}")
    if exc.status in (403, 404):
        return TargetGone(f"Discord refused the target ({exc.status}, code {exc.code})")
    return Rejected(f"Discord rejected the message ({exc.status}, code {exc.code})")


class DiscordAlertSender:
    """AlertSender over a logged-in discord.py client (the bot's own: it shares its rate limits)."""

    platform = "discord"

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def _channel(self, target: AlertTarget) -> discord.abc.Messageable:
        if target.kind is TargetKind.DM:
            return await self._client.create_dm(discord.Object(int(target.address)))
        return self._client.get_partial_messageable(int(target.address))

    async def send(self, target: AlertTarget, text: AlertText) -> SendOutcome:
        """Send the alert as an embed with its buttons; the same nonce on every attempt of one row."""
        if target.kind is TargetKind.EMAIL or not target.address.isdigit():
            return Rejected(f"not a Discord target: {target.kind.value} {target.address}")
        try:
            channel = await self._channel(target)
            embed = discord.Embed(
                title=text.subject[:MAX_TITLE], description=text.body[:MAX_DESCRIPTION], colour=ALERT_COLOUR
            )
            view = action_view(text.buttons)
            quiet = discord.AllowedMentions.none()
            if view is None:
                message = await channel.send(embed=embed, nonce=text.nonce, allowed_mentions=quiet)
            else:
                message = await channel.send(embed=embed, view=view, nonce=text.nonce, allowed_mentions=quiet)
        except discord.RateLimited as exc:
            return RateLimited(exc.retry_after, "Discord rate limit")
        except discord.HTTPException as exc:
            return outcome_of_error(exc)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return TransientFailure(f"Discord unreachable ({type(exc).__name__})")
        return Delivered(str(message.id))
