"""The composition root's command gateway: the group's or the caller's own hub, and their fee skills, reach commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.postgres.account_settings import PgAccountSettings
from adapters.postgres.accounts import PgPreferences
from core.chat import Caller, Invocation
from core.market.fees import AccountSettings, TradeSkills
from evetrader.app import App
from evetrader.bootstrap.chat import chat_deps
from evetrader.cli_actions import ensure_static_data
from evetrader.config import load_settings

CALLER = Caller("telegram", "99", "Trader", chat_id="99", is_dm=True)


@pytest.mark.integration
async def test_account_hub_and_skills_apply_to_commands(pg_dsn: str, redis_url: str, redis_prefix: str, tmp_path: Path):
    settings = load_settings(database_url=pg_dsn, redis_url=redis_url, redis_prefix=redis_prefix, data_dir=tmp_path)
    async with App(settings) as app:
        await app.migrate()
        await ensure_static_data(app)
        await app.pool.execute(  # the hubs' regions have been ingested (empty books): /analyze shows its facts
            "INSERT INTO market_snapshots (region_id, status, orders, last_modified)"
            " SELECT unnest($1::int[]), 'ok', 0, now()",
            [10000002, 10000043, 10000032],
        )
        gateway = (await chat_deps(app)).gateway
        before = await gateway.run(Invocation("analyze", {"item": "Tritanium"}, CALLER))
        account = await app.pool.fetchval("SELECT account_id FROM account_identities WHERE external_id = '99'")
        skills = TradeSkills(accounting=0, broker_relations=0)
        await PgAccountSettings(app.pool).save_settings(account, AccountSettings("Amarr", skills))
        after = await gateway.run(Invocation("analyze", {"item": "Tritanium"}, CALLER))
        await PgPreferences(app.pool).update_guild("telegram", "-100", account, default_hub="Dodixie")
        in_group = Caller("telegram", "99", "Trader", guild_id="-100", chat_id="-100")
        group = await gateway.run(Invocation("analyze", {"item": "Tritanium"}, in_group))
    fees_before, fees_after = (dict(reply.tables[0].rows)["Fees (your skills)"] for reply in (before, after))
    assert "Jita" in str(before.title) and "Amarr" in str(after.title)
    assert "Dodixie" in str(group.title)  # in a group, the group's hub comes before the caller's own
    assert "sales tax 4.5%" in fees_before and "sales tax 8.0%" in fees_after  # Accounting IV, then Accounting 0
