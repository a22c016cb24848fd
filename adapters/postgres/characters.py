"""Linked EVE characters in Postgres: binding a sign-in to an account (merging accounts) and encrypted tokens."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from adapters.crypto import TokenCipher, TokenDecryptError
from adapters.postgres.merge import merge_accounts
from core.accounts.linking import LinkedCharacter, LinkRequest, plan_link
from core.accounts.sso import CharacterToken, owner_changed
from core.accounts.tokens import TokenSubject


@dataclass(frozen=True)
class LinkResult:
    """Where a sign-in landed: the account, and what was merged or taken over."""

    account_id: int
    merged: tuple[int, ...]
    previous_owner_unlinked: bool


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeyRotation:
    """What `rotate_keys` did: tokens re-encrypted, and (character id, reason) of rows it could not decrypt."""

    rotated: int
    skipped: tuple[tuple[int, str], ...]


def _aad(character_id: int) -> bytes:
    """Binds a ciphertext to its row: a token copied onto another character fails to decrypt."""
    return f"character:{character_id}".encode()


def _keeps_richer_token(row: asyncpg.Record, token: CharacterToken) -> bool:
    """True when a sign-in grants fewer scopes than the working token we hold (a plain sign-in after enabling
    trading): that token, which still works, is kept rather than replaced by a poorer one."""
    held = set(row["scopes"])
    return row["token_status"] == "ok" and set(token.scopes) < held


class PgCharacterStore:
    """Characters, their encrypted refresh tokens, and account merging when a sign-in joins identities."""

    def __init__(self, pool: asyncpg.Pool, cipher: TokenCipher) -> None:
        self._pool = pool
        self._cipher = cipher

    async def link(
        self, token: CharacterToken, refresh_token: str, *, browser_account: int | None = None
    ) -> LinkResult:
        """Bind a signed-in character to one account (see plan_link), in one transaction."""
        character_id = token.character_id
        async with self._pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                "SELECT account_id, owner_hash, scopes, token_status FROM characters WHERE character_id = $1"
                " FOR UPDATE",
                character_id,
            )
            changed = row is not None and owner_changed(row["owner_hash"], token)
            plan = plan_link(row["account_id"] if row else None, changed, browser_account)
            if row is not None and not changed and _keeps_richer_token(row, token):
                await conn.execute("UPDATE characters SET name = $2, updated_at = now() WHERE character_id = $1",
                                   character_id, token.name)  # fmt: skip
                for source in plan.merge:
                    await merge_accounts(conn, source, plan.account_id or row["account_id"])
                return LinkResult(plan.account_id or row["account_id"], plan.merge, False)
            target = plan.account_id or await conn.fetchval("INSERT INTO accounts DEFAULT VALUES RETURNING id")
            if plan.previous_owner_unlinked:
                await conn.execute("DELETE FROM characters WHERE character_id = $1", character_id)
            for source in plan.merge:
                await merge_accounts(conn, source, target)
            await conn.execute(
                "INSERT INTO characters (character_id, account_id, name, owner_hash, scopes, refresh_token_enc,"
                " access_expires_at, token_status, token_checked_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, 'ok', now())"
                " ON CONFLICT (character_id) DO UPDATE SET account_id = EXCLUDED.account_id, name = EXCLUDED.name,"
                " owner_hash = EXCLUDED.owner_hash, scopes = EXCLUDED.scopes,"
                " refresh_token_enc = EXCLUDED.refresh_token_enc, access_expires_at = EXCLUDED.access_expires_at,"
                " token_status = 'ok', token_checked_at = now(), updated_at = now()",
                character_id,
                target,
                token.name,
                token.owner_hash,
                list(token.scopes),
                self._cipher.encrypt(refresh_token, aad=_aad(character_id)),
                token.expires_at,
            )
        return LinkResult(target, plan.merge, plan.previous_owner_unlinked)

    async def join_identity(self, account_id: int, request: LinkRequest) -> LinkResult:
        """Bind a /link chat identity to `account_id`, merging the identity's own account into it."""
        async with self._pool.acquire() as conn, conn.transaction():
            found = await conn.fetchval(
                "SELECT account_id FROM account_identities WHERE platform = $1 AND external_id = $2 FOR UPDATE",
                request.platform,
                request.external_id,
            )
            source = int(found) if found is not None else request.account_id
            await merge_accounts(conn, source, account_id)
            await conn.execute(
                "INSERT INTO account_identities (platform, external_id, account_id, display_name)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT (platform, external_id)"
                " DO UPDATE SET account_id = EXCLUDED.account_id, last_seen_at = now()",
                request.platform,
                request.external_id,
                account_id,
                request.display_name,
            )
        merged = (source,) if source != account_id else ()
        return LinkResult(account_id, merged, False)

    async def characters(self, account_id: int) -> list[LinkedCharacter]:
        """The account's characters, by name."""
        rows = await self._pool.fetch(
            "SELECT character_id, name, scopes, token_status, access_expires_at, linked_at FROM characters"
            " WHERE account_id = $1 ORDER BY name",
            account_id,
        )
        return [
            LinkedCharacter(r["character_id"], r["name"], tuple(r["scopes"]), r["token_status"],
                            r["access_expires_at"], r["linked_at"])
            for r in rows
        ]  # fmt: skip

    async def unlink(self, account_id: int, character_id: int) -> str | None:
        """Remove one of the account's characters; returns its refresh token for revocation (None: not yours)."""
        async with self._pool.acquire() as conn, conn.transaction():
            encrypted = await conn.fetchrow(
                "DELETE FROM characters WHERE account_id = $1 AND character_id = $2 RETURNING refresh_token_enc",
                account_id,
                character_id,
            )
        if encrypted is None:
            return None
        value = encrypted["refresh_token_enc"]
        return (self._decrypt(character_id, value) or "") if value else ""

    async def refresh_token(self, character_id: int) -> str | None:
        """The character's current refresh token (None when none is usable: an unreadable one marks it invalid)."""
        value = await self._pool.fetchval(
            "SELECT refresh_token_enc FROM characters WHERE character_id = $1 AND token_status = 'ok'", character_id
        )
        if not value:
            return None
        token = self._decrypt(character_id, value)
        if token is None:  # this character signs in again; the ciphertext stays for `keys rotate` to report
            await self._pool.execute(
                "UPDATE characters SET token_status = 'invalid', token_checked_at = now(), updated_at = now()"
                " WHERE character_id = $1 AND refresh_token_enc = $2",
                character_id,
                value,
            )
        return token

    def _decrypt(self, character_id: int, value: str) -> str | None:
        """The plaintext of one row's token, or None (logged, without the ciphertext) when it cannot be read."""
        try:
            return self._cipher.decrypt(value, aad=_aad(character_id))
        except TokenDecryptError as exc:
            log.warning("stored EVE token unreadable", extra={"character_id": character_id, "reason": str(exc)})
            return None

    async def store_refresh(self, character_id: int, previous: str, new: str, access_expires_at: datetime) -> bool:
        """Replace the refresh token only if it is still `previous` (a concurrent refresh cannot be lost)."""
        async with self._pool.acquire() as conn, conn.transaction():
            current = await conn.fetchval(
                "SELECT refresh_token_enc FROM characters WHERE character_id = $1 FOR UPDATE", character_id
            )
            if current is None or self._decrypt(character_id, current) != previous:
                return False
            await conn.execute(
                "UPDATE characters SET refresh_token_enc = $2, access_expires_at = $3, token_status = 'ok',"
                " token_checked_at = now(), updated_at = now() WHERE character_id = $1",
                character_id,
                self._cipher.encrypt(new, aad=_aad(character_id)),
                access_expires_at,
            )
        return True

    async def mark_invalid(self, character_id: int) -> None:
        """SSO refused the token: forget it and show the character as needing a new sign-in."""
        await self._pool.execute(
            "UPDATE characters SET refresh_token_enc = NULL, token_status = 'invalid', token_checked_at = now(),"
            " updated_at = now() WHERE character_id = $1",
            character_id,
        )

    async def stale_tokens(self, older_than: timedelta) -> list[TokenSubject]:
        """Characters whose usable token was last checked (refreshed) longer ago than `older_than`."""
        rows = await self._pool.fetch(
            "SELECT character_id, account_id, owner_hash FROM characters WHERE token_status = 'ok'"
            " AND refresh_token_enc IS NOT NULL"
            " AND (token_checked_at IS NULL OR token_checked_at < now() - $1::interval)"
            " ORDER BY token_checked_at NULLS FIRST",
            older_than,
        )
        return [TokenSubject(r["character_id"], r["account_id"], r["owner_hash"]) for r in rows]

    async def rotate_keys(self) -> KeyRotation:
        """Re-encrypt every token not under the newest key; rows that cannot be decrypted are skipped and named."""
        rotated, skipped = 0, []
        async with self._pool.acquire() as conn:
            rows: Sequence[asyncpg.Record] = await conn.fetch(
                "SELECT character_id, refresh_token_enc FROM characters WHERE refresh_token_enc IS NOT NULL"
                " ORDER BY character_id"
            )
            for row in rows:
                aad = _aad(row["character_id"])
                try:
                    plaintext = self._cipher.decrypt(row["refresh_token_enc"], aad=aad)
                except TokenDecryptError as exc:
                    skipped.append((int(row["character_id"]), str(exc)))
                    continue
                if not self._cipher.needs_rotation(row["refresh_token_enc"]):
                    continue
                fresh = self._cipher.encrypt(plaintext, aad=aad)
                done = await conn.execute(
                    "UPDATE characters SET refresh_token_enc = $2 WHERE character_id = $1 AND refresh_token_enc = $3",
                    row["character_id"],
                    fresh,
                    row["refresh_token_enc"],
                )
                rotated += done == "UPDATE 1"
        return KeyRotation(rotated, tuple(skipped))
