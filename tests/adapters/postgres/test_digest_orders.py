"""PgOrdersDigest: the account's characters' saved orders become the digest's orders section."""

from __future__ import annotations

from datetime import UTC, date, datetime

import asyncpg
import pytest

from adapters.postgres.digest_orders import PgOrdersDigest

pytestmark = pytest.mark.integration


async def test_lines_come_from_the_accounts_own_characters(pg_pool: asyncpg.Pool):
    mine, theirs = [await pg_pool.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id") for _ in range(2)]
    for character_id, account, name in ((91, mine, "Mine"), (92, theirs, "Theirs")):
        await pg_pool.execute(
            "INSERT INTO characters (character_id, account_id, name, owner_hash) VALUES ($1, $2, $3, 'o')",
            character_id,
            account,
            name,
        )
        await pg_pool.execute(
            "INSERT INTO character_orders (character_id, order_id, type_id, region_id, location_id, is_buy_order,"
            " price, volume_remain, volume_total, issued, duration, status, on_top, best_competitor)"
            " VALUES ($1::bigint, $1::bigint * 10, 34, 10000002, 60003760, true, 4.0, 10, 20, $2, 90, 'open',"
            " false, 4.1)",
            character_id,
            datetime(2026, 11, 20, tzinfo=UTC),
        )
    lines = await PgOrdersDigest(pg_pool, {34: "Tritanium"}.get, lambda: datetime(2026, 11, 26, tzinfo=UTC)).lines(
        mine, date(2026, 11, 26)
    )
    assert lines == ["1 open, 1 undercut, 0 expiring within a day, 0 filled since the last digest",
                     "Mine: buy Tritanium at Jita: 10/20 left @ 4.00, undercut (best 4.10)"]  # fmt: skip
    last_day = datetime(2027, 2, 17, 12, tzinfo=UTC)  # issued 2026-11-20 for 90 days: ends 2027-02-18 00:00
    lines = await PgOrdersDigest(pg_pool, {34: "Tritanium"}.get, lambda: last_day).lines(mine, date(2027, 2, 17))
    assert lines[0] == "1 open, 1 undercut, 1 expiring within a day, 0 filled since the last digest"
    assert lines[1].endswith("undercut (best 4.10), expires 02-18 00:00 UTC")
