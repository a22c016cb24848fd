"""Linking: the identities reaching an account, a chat identity's single-use code, where a character sign-in lands."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.accounts.sso import SsoError

logger = logging.getLogger(__name__)

LINK_CODE_TTL_S = 600


@dataclass(frozen=True)
class LinkedIdentity:
    """A chat identity (or web login) that reaches an account."""

    platform: str
    external_id: str
    display_name: str
    last_seen_at: datetime


@dataclass(frozen=True)
class LinkRequest:
    """The chat identity a /link code was issued to."""

    platform: str
    external_id: str
    account_id: int
    display_name: str


class LinkCodeStore(Protocol):
    """Issues and redeems link codes (Redis in production)."""

    async def issue(self, request: LinkRequest, ttl_s: int = LINK_CODE_TTL_S) -> str:
        """A new unguessable code for this identity, valid for ttl_s seconds."""
        ...

    async def peek(self, code: str) -> LinkRequest | None:
        """The identity a still-valid code belongs to, without using it up."""
        ...

    async def consume(self, code: str) -> LinkRequest | None:
        """The identity of a valid code, which is then gone (a second call returns None)."""
        ...


@dataclass(frozen=True)
class LinkPlan:
    """What a successful character sign-in does: the account to use and the account folded into it."""

    account_id: int | None  # None: create a new account
    merge: tuple[int, ...]
    previous_owner_unlinked: bool


def plan_link(owner_account: int | None, owner_changed: bool, browser_account: int | None) -> LinkPlan:
    """Pick the account a character sign-in lands in.

    Whoever proves control of a character (SSO) joins the account that already holds it, and the signed-in
    browser's account is merged into it; a character that changed hands (new owner hash) is taken from its old
    account first and lands in the browser's account (or a new one). A chat identity never joins on a sign-in:
    only the confirmed /link page does that.
    """
    unlinked = owner_account is not None and owner_changed
    holder = None if unlinked else owner_account
    if holder is None:
        return LinkPlan(browser_account, (), unlinked)
    merge = (browser_account,) if browser_account is not None and browser_account != holder else ()
    return LinkPlan(holder, merge, unlinked)


@dataclass(frozen=True)
class LinkedCharacter:
    """A linked character as people see it (never with its token)."""

    character_id: int
    name: str
    scopes: tuple[str, ...]
    token_status: str
    access_expires_at: datetime | None
    linked_at: datetime


class CharacterStore(Protocol):
    """The account's characters (Postgres in production)."""

    async def characters(self, account_id: int) -> list[LinkedCharacter]:
        """The account's characters, by name."""
        ...

    async def unlink(self, account_id: int, character_id: int) -> str | None:
        """Remove one of the account's characters; its refresh token ("" if none), or None when not the account's."""
        ...


class TokenRevoker(Protocol):
    """Revokes a refresh token at EVE SSO."""

    async def revoke(self, refresh_token: str) -> None:
        """Revoke the token; raises SsoError when SSO cannot be reached."""
        ...


async def unlink_character(
    store: CharacterStore, revoker: TokenRevoker | None, account_id: int, character_id: int
) -> bool:
    """Unlink a character and revoke its token at SSO; False when it is not the account's.

    The local unlink stands even if SSO is unreachable: the token is gone from our database either way.
    """
    token = await store.unlink(account_id, character_id)
    if token is None:
        return False
    if token and revoker is not None:
        try:
            await revoker.revoke(token)
        except SsoError as exc:
            logger.warning("unlinked character %s, but SSO revocation failed: %s", character_id, exc)
    return True
