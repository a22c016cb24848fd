"""A character's skills, standings and assets in Postgres (replaced whole on each fetch), the routes' caching
headers, and the fee profile the commands use (the account's trading character)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from core.accounts.route_fetches import FetchMeta
from core.accounts.tokens import TokenSubject
from core.trading.profile import FEE_SKILLS, Asset, FeeProfile, SkillLevel, Standing
from core.trading.windows import WindowCharacter

_SAVE_META = """
INSERT INTO character_fetches (character_id, route, etag, expires, last_modified, fetched_at)
VALUES ($1, $2, $3, $4, $5, now())
ON CONFLICT (character_id, route) DO UPDATE SET etag = EXCLUDED.etag, expires = EXCLUDED.expires,
    last_modified = EXCLUDED.last_modified, fetched_at = now()
"""
_TRADER = """
SELECT c.character_id, c.name FROM characters c JOIN character_fetches f
    ON f.character_id = c.character_id AND f.route = 'skills'
LEFT JOIN character_skills s ON s.character_id = c.character_id AND s.skill_id = ANY($2::int[])
WHERE c.account_id = $1
GROUP BY c.character_id, c.name ORDER BY coalesce(sum(s.active_level), 0) DESC, c.character_id LIMIT 1
"""


class PgCharacterProfiles:
    """Skills, standings, assets and their fetch headers per character."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def fetch_meta(self, character_id: int, route: str) -> FetchMeta | None:
        """The stored caching headers of 'skills', 'standings' or 'assets' (None before the first fetch)."""
        row = await self._pool.fetchrow(
            "SELECT etag, expires, last_modified FROM character_fetches WHERE character_id = $1 AND route = $2",
            character_id,
            route,
        )
        return FetchMeta(row["etag"], row["expires"], row["last_modified"]) if row else None

    async def save_meta(self, character_id: int, route: str, meta: FetchMeta) -> None:
        """Remember a route's caching headers after a fetch."""
        await self._pool.execute(_SAVE_META, character_id, route, meta.etag, meta.expires, meta.last_modified)

    async def save_skills(self, character_id: int, skills: Sequence[SkillLevel]) -> None:
        """Replace the character's skills."""
        rows = [(character_id, s.skill_id, s.active_level, s.trained_level) for s in skills]
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("DELETE FROM character_skills WHERE character_id = $1", character_id)
            await conn.executemany("INSERT INTO character_skills VALUES ($1, $2, $3, $4)", rows)

    async def save_standings(self, character_id: int, standings: Sequence[Standing]) -> None:
        """Replace the character's standings."""
        rows = [(character_id, s.from_id, s.from_type, s.standing) for s in standings]
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("DELETE FROM character_standings WHERE character_id = $1", character_id)
            await conn.executemany("INSERT INTO character_standings VALUES ($1, $2, $3, $4)", rows)

    async def save_assets(self, character_id: int, assets: Sequence[Asset]) -> None:
        """Replace the character's assets."""
        rows = [
            (character_id, a.item_id, a.type_id, a.quantity, a.location_id, a.location_type, a.location_flag,
             a.is_singleton, a.is_blueprint_copy)
            for a in assets
        ]  # fmt: skip
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("DELETE FROM character_assets WHERE character_id = $1", character_id)
            await conn.copy_records_to_table("character_assets", records=rows)

    async def fee_profile(self, character_id: int) -> FeeProfile | None:
        """The character's stored fee skills and standings (None before its skills were first fetched)."""
        if await self.fetch_meta(character_id, "skills") is None:
            return None
        skills = await self._pool.fetch(
            "SELECT skill_id, active_level, trained_level FROM character_skills"
            " WHERE character_id = $1 AND skill_id = ANY($2::int[])",
            character_id,
            list(FEE_SKILLS),
        )
        standings = await self._pool.fetch(
            "SELECT from_id, from_type, standing FROM character_standings WHERE character_id = $1", character_id
        )
        return FeeProfile.of(
            (SkillLevel(r["skill_id"], r["active_level"], r["trained_level"]) for r in skills),
            (Standing(r["from_id"], r["from_type"], r["standing"]) for r in standings),
        )

    async def account_trader(self, account_id: int) -> tuple[int, str] | None:
        """The account's trading character: of those whose skills were fetched, the one with the most fee skill
        levels (then the lowest id); None when none was fetched."""
        row = await self._pool.fetchrow(_TRADER, account_id, list(FEE_SKILLS))
        return (row["character_id"], row["name"]) if row else None

    async def scoped_characters(self, account_id: int, scope: str) -> list[WindowCharacter]:
        """The account's characters whose stored scopes include `scope` (whatever their token's health), by name."""
        rows = await self._pool.fetch(
            "SELECT character_id, account_id, owner_hash, name, token_status = 'ok' AND refresh_token_enc IS NOT NULL"
            " AS token_ok FROM characters WHERE account_id = $1 AND $2 = ANY(scopes) ORDER BY name, character_id",
            account_id,
            scope,
        )
        return [
            WindowCharacter(TokenSubject(r["character_id"], r["account_id"], r["owner_hash"]), r["name"], r["token_ok"])
            for r in rows
        ]

    async def assets(self, character_id: int) -> list[Asset]:
        """The character's stored assets."""
        rows = await self._pool.fetch(
            "SELECT item_id, type_id, quantity, location_id, location_type, location_flag, is_singleton,"
            " is_blueprint_copy FROM character_assets WHERE character_id = $1 ORDER BY item_id",
            character_id,
        )
        return [Asset(*r) for r in rows]
