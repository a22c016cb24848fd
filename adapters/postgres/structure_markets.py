"""Postgres store of tracked structure markets (structure_markets), and dropping a removed structure's book."""

from __future__ import annotations

from collections.abc import Collection

import asyncpg

from adapters.postgres.snapshot_tables import LOCK_CLASS, SWAP_LOCK_TIMEOUT_MS, region_tables
from core.accounts.tokens import TokenSubject
from core.market.structures import StructureInfo, StructureMarket, TrackedStructure

_COLUMNS = "structure_id, market_id, name, solar_system_id, region_id, account_id, character_id, broker_fee"


def _market(row: asyncpg.Record) -> StructureMarket:
    return StructureMarket(
        row["structure_id"],
        row["market_id"],
        row["name"],
        row["solar_system_id"],
        row["region_id"],
        row["account_id"],
        row["character_id"],
        row["broker_fee"],
    )


class PgStructureMarkets:
    """core.market.structures.StructureStore on asyncpg."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def subjects(self, account_id: int, scope: str) -> list[tuple[TokenSubject, str]]:
        """The account's characters (subject, name) whose token works and grants `scope`, by name."""
        rows = await self._pool.fetch(
            "SELECT character_id, account_id, owner_hash, name FROM characters WHERE account_id = $1"
            " AND token_status = 'ok' AND refresh_token_enc IS NOT NULL AND $2 = ANY(scopes) ORDER BY name",
            account_id,
            scope,
        )
        return [(TokenSubject(r["character_id"], r["account_id"], r["owner_hash"]), r["name"]) for r in rows]

    async def subject(self, character_id: int) -> TokenSubject | None:
        """The token subject of a linked character whose token works, or None."""
        row = await self._pool.fetchrow(
            "SELECT character_id, account_id, owner_hash FROM characters WHERE character_id = $1"
            " AND token_status = 'ok' AND refresh_token_enc IS NOT NULL",
            character_id,
        )
        return TokenSubject(row["character_id"], row["account_id"], row["owner_hash"]) if row else None

    async def add(self, info: StructureInfo, subject: TokenSubject) -> StructureMarket | None:
        """Track the structure with the subject's token; None when it (or a namesake) is tracked already."""
        row = await self._pool.fetchrow(
            f"""INSERT INTO structure_markets
                   (structure_id, name, solar_system_id, region_id, owner_id, type_id, account_id, character_id)
               VALUES ($1, $2, $3, (SELECT region_id FROM sde_systems WHERE system_id = $3), $4, $5, $6, $7)
               ON CONFLICT DO NOTHING
               RETURNING {_COLUMNS}""",
            info.structure_id,
            info.name,
            info.solar_system_id,
            info.owner_id,
            info.type_id,
            subject.account_id,
            subject.character_id,
        )
        return _market(row) if row else None

    async def markets(self, account_id: int | None = None) -> list[StructureMarket]:
        """Every tracked structure market (or one account's), by name."""
        rows = await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM structure_markets WHERE $1::bigint IS NULL OR account_id = $1 ORDER BY name",
            account_id,
        )
        return [_market(row) for row in rows]

    async def tracked(self, account_id: int) -> list[TrackedStructure]:
        """The account's structure markets with their system's and region's names, the reading character's name and
        the stored book's Last-Modified and last refresh error, by name."""
        columns = ", ".join(f"s.{c.strip()}" for c in _COLUMNS.split(","))
        rows = await self._pool.fetch(
            f"""SELECT {columns}, y.name AS system_name, r.name AS region_name, c.name AS character_name,
                       m.last_modified, m.last_error
                FROM structure_markets s
                LEFT JOIN sde_systems y ON y.system_id = s.solar_system_id
                LEFT JOIN sde_regions r ON r.region_id = s.region_id
                LEFT JOIN characters c ON c.character_id = s.character_id
                LEFT JOIN market_snapshots m ON m.region_id = s.market_id
                WHERE s.account_id = $1 ORDER BY s.name""",
            account_id,
        )
        return [
            TrackedStructure(
                _market(r), r["system_name"], r["region_name"], r["character_name"], r["last_modified"], r["last_error"]
            )
            for r in rows
        ]

    async def names(self, structure_ids: Collection[int]) -> dict[int, str]:
        """The names of those structures that are tracked (ids not tracked are left out)."""
        rows = await self._pool.fetch(
            "SELECT structure_id, name FROM structure_markets WHERE structure_id = ANY($1::bigint[])",
            list(structure_ids),
        )
        return {r["structure_id"]: r["name"] for r in rows}

    async def set_fee(self, account_id: int, structure_id: int, broker_fee: float | None) -> bool:
        """Set the owner's broker fee (a fraction) of one of the account's structures."""
        status = await self._pool.execute(
            "UPDATE structure_markets SET broker_fee = $3 WHERE account_id = $1 AND structure_id = $2",
            account_id,
            structure_id,
            broker_fee,
        )
        return str(status).endswith(" 1")

    async def remove(self, account_id: int, structure_id: int) -> bool:
        """Stop tracking the structure and drop its live book and snapshot row (under the stager's lock)."""
        async with self._pool.acquire() as conn:
            market_id = await conn.fetchval(
                "SELECT market_id FROM structure_markets WHERE account_id = $1 AND structure_id = $2",
                account_id,
                structure_id,
            )
            if market_id is None:
                return False
            await conn.execute("SELECT pg_advisory_lock($1, $2)", LOCK_CLASS, market_id)
            try:
                async with conn.transaction():
                    await conn.execute(f"SET LOCAL lock_timeout = {SWAP_LOCK_TIMEOUT_MS * 5}")
                    await conn.execute("DELETE FROM structure_markets WHERE structure_id = $1", structure_id)
                    await conn.execute("LOCK TABLE ONLY market_orders, market_quotes IN ACCESS EXCLUSIVE MODE")
                    for name, _attached in await region_tables(conn, market_id):
                        await conn.execute(f"DROP TABLE IF EXISTS {name}")
                    await conn.execute("DELETE FROM market_snapshots WHERE region_id = $1", market_id)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1, $2)", LOCK_CLASS, market_id)
        return True
