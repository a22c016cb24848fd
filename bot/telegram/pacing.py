"""Flood control for every Bot API call: python-telegram-bot's AIORateLimiter paces messages (30 a second overall,
20 a minute per group or channel) and, after a 429, holds every call for the wait Telegram asks and tries again;
a wait longer than MAX_RETRY_WAIT_S is not sat out but raised to the caller (alert delivery reschedules the row)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter
from telegram.warnings import PTBDeprecationWarning

MAX_RETRY_WAIT_S, MAX_RETRIES = 30.0, 2
Json = dict[str, Any]
Callback = Callable[..., Coroutine[Any, Any, bool | Json | list[Json]]]


def retry_seconds(exc: RetryAfter) -> float:
    """The wait a RetryAfter asks for, in seconds (PTB 22 gives an int or a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class _TooLong(Exception):
    """A 429 asking for longer than we wait in place (carries it past AIORateLimiter's retry loop)."""

    def __init__(self, original: RetryAfter) -> None:
        super().__init__(str(original))
        self.original = original


class Pacing(AIORateLimiter):
    """AIORateLimiter with its retries on 429, except that a wait over `max_wait` s is raised at once."""

    def __init__(self, *, max_wait: float = MAX_RETRY_WAIT_S, max_retries: int = MAX_RETRIES, **limits: Any) -> None:
        super().__init__(max_retries=max_retries, **limits)
        self.max_wait = max_wait

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | Json | list[Json]:
        """Run one Bot API call through the limiter; a RetryAfter over `max_wait` s reaches the caller unretried."""

        async def capped(*call_args: Any, **call_kwargs: Any) -> bool | Json | list[Json]:
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter as exc:
                if retry_seconds(exc) > self.max_wait:
                    raise _TooLong(exc) from exc
                raise

        try:
            return await super().process_request(capped, args, kwargs, endpoint, data, rate_limit_args)
        except _TooLong as exc:
            raise exc.original from None
