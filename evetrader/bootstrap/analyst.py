"""AI analyst wiring: Claude then GPT from settings, the Redis answer cache, quotas and usage."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncpg
    import redis.asyncio as aioredis

    from adapters.ai.factory import LazyChain
    from adapters.redis.keys import RedisKeys
    from core.analysis.analyst import Analyst
    from evetrader.config import Settings


def build_analyst(
    settings: Settings, pool: asyncpg.Pool, redis: aioredis.Redis, keys: RedisKeys
) -> tuple[Analyst, LazyChain | None]:
    """The AI analyst and its provider chain to close (None without an AI key): Claude then GPT, whichever have
    keys (SDKs load on the first question)."""
    from adapters.ai.factory import LazyChain
    from adapters.postgres.ai_usage import PgAiUsage, PrometheusUsage
    from adapters.redis.ai_cache import RedisAnswerCache
    from core.analysis.analyst import Analyst, AnalystSettings

    s = settings
    provider = LazyChain.configured(
        anthropic_api_key=s.anthropic_api_key.get_secret_value() if s.anthropic_api_key else None,
        anthropic_base_url=s.anthropic_base_url,
        anthropic_model=s.anthropic_model,
        openai_api_key=s.openai_api_key.get_secret_value() if s.openai_api_key else None,
        openai_base_url=s.openai_base_url,
        openai_model=s.openai_model,
        timeout_s=s.ai_timeout_s,
        failure_threshold=s.ai_breaker_failures,
        cooldown_s=s.ai_breaker_cooldown_s,
    )
    limits = AnalystSettings(
        max_tool_calls=s.ai_max_tool_calls,
        budget_s=s.ai_budget_s,
        max_tokens=s.ai_max_tokens,
        cache_ttl_s=s.ai_cache_ttl_s,
        max_question_chars=s.ai_max_question_chars,
        account_daily_quota=s.ai_account_daily_quota or None,
        guild_daily_quota=s.ai_guild_daily_quota or None,
    )
    usage = PgAiUsage(pool)
    cache = RedisAnswerCache(redis, keys)
    return Analyst(provider, limits, cache=cache, quotas=usage, usage=[usage, PrometheusUsage()]), provider
