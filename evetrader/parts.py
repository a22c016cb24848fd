"""What the composition root's parts share: settings, Redis key names, and the opened pool and clients."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: importing this module loads no client library
    import asyncpg
    import redis.asyncio as aioredis

    from adapters.ai.factory import LazyChain
    from adapters.esi import EsiClient
    from adapters.redis.keys import RedisKeys
    from adapters.sso import SsoClient
    from core.accounts.tokens import CharacterTokens
    from core.analysis.analyst import Analyst
    from evetrader.config import Settings


class Parts:
    """The state App opens and the wiring mixins use (App sets every attribute in __init__ and _open)."""

    settings: Settings
    keys: RedisKeys
    _sso: SsoClient | None
    _tokens: CharacterTokens | None
    _analyst: Analyst | None
    _provider: LazyChain | None

    @property
    def pool(self) -> asyncpg.Pool:
        """The Postgres pool."""
        raise NotImplementedError

    @property
    def redis(self) -> aioredis.Redis:
        """The Redis client."""
        raise NotImplementedError

    @property
    def esi(self) -> EsiClient:
        """The ESI client (its transport carries every ESI call)."""
        raise NotImplementedError
