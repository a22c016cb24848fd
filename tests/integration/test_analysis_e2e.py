"""/analyze through the composition root: real ESI ingest into Postgres, Claude overloaded, GPT answers with a tool.

The facts table must carry the database's numbers, the model's text comes from the failover provider, usage is
recorded, and the second identical request is served from the cache without a provider call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from core.chat import Caller, Invocation
from evetrader.app import App
from evetrader.bootstrap.chat import chat_deps
from evetrader.bootstrap.market import region_refresher
from evetrader.cli_actions import ensure_static_data
from evetrader.config import load_settings
from fakes.ai import AnthropicFake, OpenAIFake
from fakes.esi import EsiFake

JITA_REGION, JITA_STATION = 10000002, 60003760
CALLER = Caller("discord", "777", "Analyst User", guild_id="g1", chat_id="c1")
pytestmark = pytest.mark.e2e


@pytest_asyncio.fixture(loop_scope="session")
async def app(
    pg_dsn: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> AsyncIterator[tuple[App, AnthropicFake, OpenAIFake]]:
    async with (
        EsiFake(regions={JITA_REGION: 4_000}) as esi,
        AnthropicFake(api_key="sk-ant-e2e") as claude,
        OpenAIFake(api_key="sk-openai-e2e") as gpt,
    ):
        settings = load_settings(
            database_url=pg_dsn,
            redis_url=redis_url,
            redis_prefix=redis_prefix,
            data_dir=tmp_path,
            esi_base_url=esi.base_url,
            anthropic_api_key="sk-ant-e2e",
            anthropic_base_url=claude.url,
            openai_api_key="sk-openai-e2e",
            openai_base_url=f"{gpt.url}/v1",
            ai_budget_s=20.0,
        )
        async with App(settings) as ctx:
            await ctx.migrate()
            await ensure_static_data(ctx)
            await region_refresher(ctx).refresh(JITA_REGION)
            yield ctx, claude, gpt


async def test_analyze_fails_over_to_gpt_and_shows_the_databases_numbers(app):
    ctx, claude, gpt = app
    row = await ctx.pool.fetchrow(
        "SELECT q.type_id, t.name, q.best_sell, q.best_buy, q.sell_orders, q.buy_orders FROM market_quotes q"
        " JOIN sde_types t USING (type_id) WHERE q.location_id = $1 AND q.best_sell IS NOT NULL"
        " AND q.best_buy IS NOT NULL ORDER BY q.sell_orders + q.buy_orders DESC LIMIT 1",
        JITA_STATION,
    )
    claude.reply_error("overloaded")  # each round starts at Claude again (its breaker opens after 3 failures)
    claude.reply_error("overloaded")
    gpt.reply_tool_calls([("price", {"item": row["name"], "where": "Jita"})])
    gpt.reply_text("Thin spread after fees; hauling to Amarr is not worth it today.")
    gateway = (await chat_deps(ctx)).gateway
    reply = await gateway.run(Invocation("analyze", {"item": row["name"], "where": "Jita"}, CALLER))
    assert not reply.is_error, reply.text
    assert reply.text.endswith("hauling to Amarr is not worth it today.") and "openai" in reply.text
    [facts] = reply.data["facts"]
    assert (facts["best_sell"], facts["best_buy"]) == (row["best_sell"], row["best_buy"])
    assert (facts["sell_orders"], facts["buy_orders"]) == (row["sell_orders"], row["buy_orders"])
    assert len(claude.requests) == 2 and len(gpt.requests) == 2  # no SDK retry of a 529; both rounds on GPT
    tool_turn = gpt.requests[1].body["messages"][-1]
    assert tool_turn["role"] == "tool" and "best_sell" in tool_turn["content"]
    usage = await ctx.pool.fetch("SELECT provider, cached FROM ai_usage ORDER BY id")
    assert [(r["provider"], r["cached"]) for r in usage] == [("openai", False)]

    again = await gateway.run(Invocation("analyze", {"item": row["name"], "where": "Jita"}, CALLER))
    assert "cached" in again.text and len(gpt.requests) == 2 and len(claude.requests) == 2
