"""A Redis restart under a running App: chat commands keep answering from Postgres, and Redis is used again after."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.embedded import EmbeddedRedis
from core.chat import Caller, Invocation
from evetrader.app import App
from evetrader.bootstrap.chat import chat_deps
from evetrader.bootstrap.market import region_refresher
from evetrader.cli_actions import ensure_static_data
from evetrader.config import load_settings
from fakes.esi import EsiFake

FORGE = 10000002
CALLER = Caller("telegram", "42", "Trader", chat_id="42", is_dm=True)


@pytest.mark.integration
async def test_price_checks_answer_while_redis_restarts(pg_dsn: str, tmp_path: Path) -> None:
    redis = EmbeddedRedis(tmp_path)
    url = redis.start()
    try:
        async with EsiFake(regions={FORGE: 3_000}) as fake:
            settings = load_settings(
                database_url=pg_dsn, redis_url=url, esi_base_url=fake.base_url, data_dir=tmp_path, esi_max_attempts=1
            )
            async with App(settings) as app:
                await app.migrate()
                await ensure_static_data(app)
                assert (await region_refresher(app).refresh(FORGE)).meta is not None
                gateway = (await chat_deps(app)).gateway
                price = Invocation("price", {"item": "Tritanium"}, CALLER)
                before = await gateway.run(price)
                redis.close()  # the server stops: the rate limit and the quote cache cannot be reached
                during = await gateway.run(price)
                redis.start()
                after = await gateway.run(price)
                cached_again = await app.redis.exists(app.keys.quotes(60003760))
    finally:
        redis.close()
    for reply in (before, during, after):
        assert not reply.is_error, reply.text
    assert before.fields == during.fields == after.fields  # the same numbers, from Postgres while Redis was away
    assert cached_again  # once back, the quote cache is filled again
