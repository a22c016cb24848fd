"""Alert delivery on Telegram: one HTML message (bold title, the alert, its snooze/pause/remove buttons) to a chat (a
user's private chat id is their user id), and the Bot API's errors turned into delivery outcomes (a blocked bot or
a deleted chat disables the target)."""

from __future__ import annotations

import html
from typing import Any

from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.keyboards import action_markup
from bot.telegram.pacing import retry_seconds
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

MAX_TEXT = 4096
_FORBIDDEN = (
    ("blocked", "the bot was blocked by the user"),
    ("deactivated", "the Telegram account was deleted"),
    ("kicked", "the bot was removed from the chat"),
    ("not a member", "the bot is no longer in the chat"),
)
_GONE_REQUESTS = ("chat not found", "user not found", "group chat was deactivated", "have no rights")


def outcome_of_error(exc: TelegramError) -> SendOutcome:
    """A delivery outcome for a Bot API error."""
    if isinstance(exc, RetryAfter):
        return RateLimited(retry_seconds(exc), "Telegram flood control")
    text = exc.message.lower()
    if isinstance(exc, Forbidden):
        reason = next((words for key, words in _FORBIDDEN if key in text), "Telegram refused to deliver there")
        return TargetGone(reason)
    if isinstance(exc, ChatMigrated):
        return TargetGone("the group became a supergroup with a new id: set the alert target again")
    if isinstance(exc, BadRequest):
        if any(key in text for key in _GONE_REQUESTS):
            return TargetGone("the Telegram chat no longer exists or the bot may not post there")
        return Rejected(f"Telegram rejected the message: {exc.message}")
    if isinstance(exc, NetworkError):  # TimedOut included
        return TransientFailure(f"Telegram unreachable ({type(exc).__name__})")
    return TransientFailure(f"Telegram error ({type(exc).__name__})")


def alert_html(text: AlertText) -> str:
    """The alert as Telegram HTML: its subject in bold, then the text (escaped; cut to fit one message)."""
    title = f"<b>{html.escape(text.subject)}</b>\n"
    room = MAX_TEXT - len(text.subject) - 1
    return title + html.escape(text.body[:room])


class TelegramAlertSender:
    """AlertSender over a python-telegram-bot Bot (the application's, so it shares its connection pool)."""

    platform = "telegram"

    def __init__(self, bot: Any) -> None:
        self._bot = bot

    async def send(self, target: AlertTarget, text: AlertText) -> SendOutcome:
        """Send the alert to the target's chat (DM, group or channel) with its buttons."""
        if target.kind is TargetKind.EMAIL:
            return Rejected(f"not a Telegram target: {target.address}")
        try:
            message = await self._bot.send_message(
                chat_id=target.address,
                text=alert_html(text),
                parse_mode=ParseMode.HTML,
                reply_markup=action_markup(text.buttons),
            )
        except TelegramError as exc:
            return outcome_of_error(exc)
        return Delivered(str(message.message_id))
