"""What the character jobs (orders, wallet, profile) share: an ESI call with the character's access token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from adapters.esi.errors import EsiClientError
from core.accounts.tokens import CharacterTokens, TokenSubject

Answer = TypeVar("Answer")


async def authorized(
    tokens: CharacterTokens, subject: TokenSubject, call: Callable[[str], Awaitable[Answer]]
) -> Answer:
    """Run `call` with an access token; on a 401 the cached token is dropped and one fresh token tried."""
    token = await tokens.access_token(subject)
    try:
        return await call(token.token)
    except EsiClientError as exc:
        if exc.status != 401:
            raise
    await tokens.forget(subject.character_id)
    return await call((await tokens.access_token(subject)).token)
