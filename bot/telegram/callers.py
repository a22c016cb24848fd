"""Who is asking: the Caller of an update, with "chat_admin" for group administrators (getChatMember, cached in
this process's memory: losing it on a restart only costs one more question to Telegram)."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from core.chat.model import Caller

logger = logging.getLogger(__name__)
ADMIN_STATUSES = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})
CHAT_ADMIN = frozenset({"chat_admin"})
K = TypeVar("K")
V = TypeVar("V")


def caller_of(update: Update, roles: frozenset[str] = frozenset()) -> Caller:
    """The Caller behind an update (message, button press or inline query)."""
    user, chat = update.effective_user, update.effective_chat
    return Caller(
        platform="telegram",
        user_id=str(user.id) if user else "",
        display_name=(user.full_name or user.username or str(user.id)) if user else "",
        chat_id=str(chat.id) if chat else None,
        is_dm=chat is not None and chat.type == "private",
        roles=roles,
    )


class TtlMap(Generic[K, V]):
    """An in-memory map whose entries live `ttl` seconds from their write; past `max_entries` the oldest go."""

    def __init__(self, ttl: float, *, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_entries, self._clock = ttl, max_entries, clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The live value of `key`, or None."""
        entry = self._entries.get(key)
        return entry[1] if entry is not None and entry[0] > self._clock() else None

    def set(self, key: K, value: V) -> None:
        """Store `value` for `ttl` seconds from now, dropping expired entries and the oldest past `max_entries`."""
        self._entries.pop(key, None)
        self._entries[key] = (self._clock() + self.ttl, value)
        now = self._clock()
        while self._entries:
            oldest, (expires, _) = next(iter(self._entries.items()))
            if expires > now and len(self._entries) <= self.max_entries:
                break
            del self._entries[oldest]


class ChatRoles:
    """Platform roles of a user in a group chat, asked of Telegram once per `ttl` seconds per (chat, user)."""

    def __init__(self, ttl: float = 300.0, *, max_entries: int = 10_000) -> None:
        self._cache: TtlMap[tuple[int, int], frozenset[str]] = TtlMap(ttl, max_entries=max_entries)

    async def caller(self, bot: Any, update: Update) -> Caller:
        """caller_of(update) with roles filled in for group chats."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or chat.type == "private":
            return caller_of(update)
        return caller_of(update, await self.roles(bot, chat.id, user.id))

    async def roles(self, bot: Any, chat_id: int, user_id: int) -> frozenset[str]:
        """{"chat_admin"} for an administrator or the creator of the chat, else empty (also when Telegram fails)."""
        cached = self._cache.get((chat_id, user_id))
        if cached is not None:
            return cached
        try:
            member = await bot.get_chat_member(chat_id=chat_id, user_id=user_id)
        except TelegramError:
            logger.warning("getChatMember failed for chat %s user %s", chat_id, user_id, exc_info=True)
            return frozenset()
        roles = CHAT_ADMIN if member.status in ADMIN_STATUSES else frozenset()
        self._cache.set((chat_id, user_id), roles)
        return roles
