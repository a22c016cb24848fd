"""Link codes in Redis: stored under a hash of the code, expiring on their own, redeemed atomically once."""

from __future__ import annotations

import hashlib
import secrets

import orjson
import redis.asyncio as aioredis

from adapters.redis.keys import RedisKeys
from core.accounts.linking import LINK_CODE_TTL_S, LinkRequest

CODE_BYTES = 18  # 144 bits, 24 URL-safe characters


class RedisLinkCodes:
    """LinkCodeStore over Redis (the code itself is never stored, only its SHA-256)."""

    def __init__(self, client: aioredis.Redis, keys: RedisKeys) -> None:
        self._client = client
        self._keys = keys

    def _key(self, code: str) -> str:
        return self._keys.link_code(hashlib.sha256(code.encode()).hexdigest())

    async def issue(self, request: LinkRequest, ttl_s: int = LINK_CODE_TTL_S) -> str:
        """A new code for this identity, valid for ttl_s seconds."""
        code = secrets.token_urlsafe(CODE_BYTES)
        payload = orjson.dumps(
            {
                "platform": request.platform,
                "external_id": request.external_id,
                "account_id": request.account_id,
                "display_name": request.display_name,
            }
        )
        await self._client.set(self._key(code), payload, ex=ttl_s)
        return code

    async def peek(self, code: str) -> LinkRequest | None:
        """The identity of a still-valid code, leaving it valid."""
        return _request(await self._client.get(self._key(code))) if _plausible(code) else None

    async def consume(self, code: str) -> LinkRequest | None:
        """The identity of a valid code, deleting it in the same atomic step."""
        if not _plausible(code):
            return None
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.get(self._key(code))
            pipe.delete(self._key(code))
            raw, _ = await pipe.execute()
        return _request(raw)


def _plausible(code: str) -> bool:
    return 16 <= len(code) <= 64 and code.replace("-", "").replace("_", "").isalnum()


def _request(raw: bytes | str | None) -> LinkRequest | None:
    if raw is None:
        return None
    data = orjson.loads(raw)
    return LinkRequest(data["platform"], data["external_id"], int(data["account_id"]), data["display_name"])
