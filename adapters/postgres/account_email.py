"""Account e-mail in Postgres: the verified address, one pending address with its hashed link token, the mail quota."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from core.accounts.email import (
    AccountEmail,
    Confirmation,
    MailQuota,
    TokenStatus,
    TooManyMails,
    VerificationToken,
    after_mail,
    mail_wait,
    same_address,
    token_status,
)

_COLUMNS = (
    "account_id, address, verified_at, pending_address, token_expires_at, last_mail_at, mails_sent, mail_window_start"
)
_ISSUE = """
UPDATE account_emails SET pending_address = $2, token_hash = $3, token_expires_at = $4,
    last_mail_at = $5, mails_sent = $6, mail_window_start = $7, updated_at = now()
WHERE account_id = $1
"""
_VERIFY = """
UPDATE account_emails SET address = pending_address, verified_at = $2,
    pending_address = NULL, token_hash = NULL, token_expires_at = NULL, updated_at = now()
WHERE account_id = $1
"""
_FORGET = "pending_address = NULL, token_hash = NULL, token_expires_at = NULL, updated_at = now()"
# Rules and the digest follow the account's address when a new one is verified ...
_RETARGET = "UPDATE {table} SET target_address = $2 WHERE account_id = $1 AND target_kind = 'email'"
# ... and stop when it is removed: rules paused, the digest off, mail not yet sent dropped.
_STOP_MAIL = (
    "UPDATE alert_rules SET active = false WHERE account_id = $1 AND target_kind = 'email'",
    "UPDATE digest_preferences SET enabled = false WHERE account_id = $1 AND target_kind = 'email'",
    "UPDATE alert_outbox SET status = 'disabled', last_error = 'e-mail address removed'"
    " WHERE account_id = $1 AND target_kind = 'email' AND status IN ('pending', 'queued')",
)


def _quota(row: Any) -> MailQuota:
    return MailQuota(row["last_mail_at"], row["mails_sent"], row["mail_window_start"])


def _state(row: Any | None) -> AccountEmail:
    if row is None:
        return AccountEmail()
    return AccountEmail(
        row["address"], row["verified_at"], row["pending_address"], row["token_expires_at"], _quota(row)
    )


class PgAccountEmail:
    """Account e-mail addresses and their verification (implements core.accounts.email.VerifiedAddresses)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def get(self, account_id: int) -> AccountEmail:
        """The account's e-mail state (empty when it never set an address)."""
        return _state(
            await self._pool.fetchrow(f"SELECT {_COLUMNS} FROM account_emails WHERE account_id = $1", account_id)
        )

    async def verified_address(self, account_id: int) -> str | None:
        """The address alerts may be mailed to, or None."""
        address = await self._pool.fetchval("SELECT address FROM account_emails WHERE account_id = $1", account_id)
        return str(address) if address is not None else None

    async def start(self, account_id: int, address: str, token: VerificationToken, now: datetime) -> None:
        """Make `address` the pending one under a new token (earlier links stop working) and count one mail.

        TooManyMails (nothing changed) when the account must wait before another verification mail.
        """
        async with self._pool.acquire() as conn, conn.transaction():
            await self._issue(conn, account_id, address, token, now)

    async def resend(self, account_id: int, token: VerificationToken, now: datetime) -> str | None:
        """A new token for the pending address (the old link stops working); its address, or None if none waits."""
        async with self._pool.acquire() as conn, conn.transaction():
            return await self._issue(conn, account_id, None, token, now)

    async def _issue(
        self, conn: asyncpg.Connection, account_id: int, address: str | None, token: VerificationToken, now: datetime
    ) -> str | None:
        await conn.execute("INSERT INTO account_emails (account_id) VALUES ($1) ON CONFLICT DO NOTHING", account_id)
        row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM account_emails WHERE account_id = $1 FOR UPDATE", account_id)
        wanted = address if address is not None else row["pending_address"]
        if wanted is None:
            return None
        quota = _quota(row)
        if (wait := mail_wait(quota, now)).total_seconds() > 0:
            raise TooManyMails(wait)
        spent = after_mail(quota, now)
        args = (wanted, token.token_hash, token.expires_at, spent.last_mail_at, spent.mails_sent, spent.window_start)
        await conn.execute(_ISSUE, account_id, *args)
        return str(wanted)

    async def peek(self, token_hash: bytes, now: datetime) -> Confirmation:
        """What following the link would do, without using the token (for the confirm page)."""
        row = await self._pool.fetchrow(
            "SELECT account_id, pending_address, token_expires_at FROM account_emails WHERE token_hash = $1", token_hash
        )
        status = token_status(row["token_expires_at"] if row else None, now)
        if status is not TokenStatus.VALID or row is None:
            return Confirmation(status)
        return Confirmation(status, int(row["account_id"]), str(row["pending_address"]))

    async def confirm(self, token_hash: bytes, now: datetime) -> Confirmation:
        """Use the token: its pending address becomes the account's verified one; rules and digest follow it."""
        async with self._pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                f"SELECT {_COLUMNS} FROM account_emails WHERE token_hash = $1 FOR UPDATE", token_hash
            )
            status = token_status(row["token_expires_at"] if row else None, now)
            if status is not TokenStatus.VALID or row is None:
                return Confirmation(status)
            account_id, new = int(row["account_id"]), str(row["pending_address"])
            await conn.execute(_VERIFY, account_id, now)
            if row["address"] is not None and not same_address(row["address"], new):
                for table in ("alert_rules", "digest_preferences"):
                    await conn.execute(_RETARGET.format(table=table), account_id, new)
            return Confirmation(status, account_id, new)

    async def cancel_pending(self, account_id: int) -> bool:
        """Forget the address waiting for its link (its link stops working); False when none waited."""
        result: str = await self._pool.execute(
            f"UPDATE account_emails SET {_FORGET} WHERE account_id = $1 AND pending_address IS NOT NULL", account_id
        )
        return result != "UPDATE 0"

    async def remove(self, account_id: int) -> bool:
        """Remove both addresses; e-mail rules pause, an e-mail digest stops, unsent mail is dropped. False: none."""
        async with self._pool.acquire() as conn, conn.transaction():
            result = await conn.execute(
                f"UPDATE account_emails SET address = NULL, verified_at = NULL, {_FORGET}"
                " WHERE account_id = $1 AND (address IS NOT NULL OR pending_address IS NOT NULL)",
                account_id,
            )
            if result == "UPDATE 0":
                return False
            for statement in _STOP_MAIL:
                await conn.execute(statement, account_id)
            return True
