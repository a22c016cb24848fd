"""Folding one account into another: its rows move to the target, its web sessions end, the target keeps its role."""

from __future__ import annotations

import asyncpg

_REFERENCES = """
SELECT c.conrelid::regclass::text AS table_name, a.attname AS column_name
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
WHERE c.contype = 'f' AND c.confrelid = 'accounts'::regclass
ORDER BY 1, 2
"""


async def merge_accounts(conn: asyncpg.Connection, source: int, target: int) -> None:
    """Move everything of `source` to `target` (inside the caller's transaction), then delete `source`.

    Tables are found from the foreign keys to accounts, so tables added later merge too. A row that would
    duplicate one the target already has (a per-account settings row, say) is dropped: the target's wins.
    Web sessions never move: the source's session families are deleted, so its refresh tokens and (checked
    against Postgres on every request) its access tokens stop working. The target keeps its own role.
    """
    if source == target:
        return
    await conn.execute("DELETE FROM web_session_families WHERE account_id = $1", source)
    for table, column in await conn.fetch(_REFERENCES):
        update = f'UPDATE {table} SET "{column}" = $2 WHERE "{column}" = $1'
        try:
            async with conn.transaction():  # a savepoint: a unique clash rolls back only this statement
                await conn.execute(update, source, target)
        except asyncpg.UniqueViolationError:  # move row by row; only the clashing rows are dropped
            for (row,) in await conn.fetch(f'SELECT ctid FROM {table} WHERE "{column}" = $1', source):
                try:
                    async with conn.transaction():
                        await conn.execute(f'UPDATE {table} SET "{column}" = $2 WHERE ctid = $1', row, target)
                except asyncpg.UniqueViolationError:
                    await conn.execute(f"DELETE FROM {table} WHERE ctid = $1", row)
    await conn.execute("UPDATE accounts SET default_hub = coalesce(default_hub, "
                       "(SELECT default_hub FROM accounts WHERE id = $1)) WHERE id = $2", source, target)  # fmt: skip
    await conn.execute("DELETE FROM accounts WHERE id = $1", source)
