"""Account e-mail for alerts: address checks with clear messages, the verification token and mail-sending policy."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

MAX_ADDRESS = 254  # RFC 5321's limit on a forward path
MAX_LOCAL_PART = 64
TOKEN_TTL = timedelta(hours=24)
MAIL_COOLDOWN = timedelta(minutes=1)  # between two verification mails of one account
MAIL_WINDOW = timedelta(hours=24)
MAILS_PER_WINDOW = 5
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)


class EmailInvalid(ValueError):
    """The address cannot be used; the message says why, in words for the user."""


def normalize_address(raw: str) -> str:
    """The address trimmed, its domain lower-cased (IDN as punycode); EmailInvalid saying what is wrong."""
    text = raw.strip()
    if not text:
        raise EmailInvalid("enter an e-mail address")
    if len(text) > MAX_ADDRESS:
        raise EmailInvalid(f"an e-mail address has at most {MAX_ADDRESS} characters")
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise EmailInvalid("an e-mail address has no spaces")
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise EmailInvalid("an e-mail address looks like name@example.org")
    if len(local) > MAX_LOCAL_PART or not local.isascii() or not _LOCAL.match(local):
        raise EmailInvalid("the part before the @ may use letters, digits, dots and +-_ only")
    try:
        domain = domain.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise EmailInvalid(f"{domain!r} is not a valid domain") from None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise EmailInvalid(f"{domain!r} is not a domain that can receive mail (like example.org)")
    address = f"{local}@{domain}"
    if len(address) > MAX_ADDRESS:
        raise EmailInvalid(f"an e-mail address has at most {MAX_ADDRESS} characters")
    return address


def same_address(a: str | None, b: str | None) -> bool:
    """True when both name the same mailbox (compared without case, as mail servers practically do)."""
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()


def mask_address(address: str) -> str:
    """The address with most of its local part hidden ("p***t@example.org"), for places others may see."""
    local, _, domain = address.rpartition("@")
    shown = local[0] + "***" + (local[-1] if len(local) > 2 else "")
    return f"{shown}@{domain}"


@dataclass(frozen=True)
class VerificationToken:
    """A new verification link's secret (mailed, never stored), its SHA-256 (stored) and when it expires."""

    token: str
    token_hash: bytes
    expires_at: datetime


def hash_token(token: str) -> bytes:
    """The SHA-256 of a token: what the database keeps."""
    return hashlib.sha256(token.encode("ascii", "replace")).digest()


def issue_token(now: datetime, ttl: timedelta = TOKEN_TTL) -> VerificationToken:
    """A fresh unguessable token (256 bits) valid for `ttl` from `now`."""
    token = secrets.token_urlsafe(32)
    return VerificationToken(token, hash_token(token), now + ttl)


def token_looks_valid(token: str) -> bool:
    """True when `token` has the shape of an issued one (anything else is refused without a lookup)."""
    return bool(_TOKEN.match(token))


def verification_link(public_url: str, token: str) -> str:
    """The link mailed to the address: {PUBLIC_URL}/email/verify/{token}."""
    return f"{public_url.rstrip('/')}/email/verify/{token}"


def verification_mail(link: str, ttl: timedelta = TOKEN_TTL) -> tuple[str, str]:
    """(subject, plain-text body) of the verification mail."""
    hours = int(ttl.total_seconds() // 3600)
    body = (
        "Someone (hopefully you) asked evetrader to send EVE Online market alerts to this address.\n\n"
        f"To confirm, open this link within {hours} hours and press the button on the page:\n{link}\n\n"
        "If that was not you, ignore this mail: nothing more will be sent to you."
    )
    return "Confirm your e-mail address for evetrader alerts", body


@dataclass(frozen=True)
class MailQuota:
    """How many verification mails an account sent in its current window, and when the last one went out."""

    last_mail_at: datetime | None = None
    mails_sent: int = 0
    window_start: datetime | None = None


def mail_wait(quota: MailQuota, now: datetime) -> timedelta:
    """How long until the account may be sent another verification mail (zero: now)."""
    waits = [timedelta(0)]
    if quota.last_mail_at is not None:
        waits.append(quota.last_mail_at + MAIL_COOLDOWN - now)
    window = quota.window_start
    if window is not None and now < window + MAIL_WINDOW and quota.mails_sent >= MAILS_PER_WINDOW:
        waits.append(window + MAIL_WINDOW - now)
    return max(waits)


def after_mail(quota: MailQuota, now: datetime) -> MailQuota:
    """The quota once one more mail went out at `now` (a new window starts when the old one is over)."""
    if quota.window_start is None or now >= quota.window_start + MAIL_WINDOW:
        return MailQuota(now, 1, now)
    return MailQuota(now, quota.mails_sent + 1, quota.window_start)


class TooManyMails(Exception):
    """No verification mail now: `wait` tells how long until the next one may go."""

    def __init__(self, wait: timedelta) -> None:
        self.wait = wait
        minutes = max(1, int(wait.total_seconds() + 59) // 60)
        amount, unit = (minutes, "minute") if minutes < 120 else ((minutes + 59) // 60, "hour")
        super().__init__(f"too many verification mails: try again in {amount} {unit}{'s' if amount > 1 else ''}")


@dataclass(frozen=True)
class AccountEmail:
    """An account's e-mail state: the verified address (alerts go there) and one waiting for its link."""

    address: str | None = None
    verified_at: datetime | None = None
    pending_address: str | None = None
    pending_expires_at: datetime | None = None
    quota: MailQuota = MailQuota()


class VerifiedAddresses(Protocol):
    """The verified e-mail address of an account (Postgres in production)."""

    async def verified_address(self, account_id: int) -> str | None:
        """The address alerts may be mailed to, or None when the account has not verified one."""
        ...


class TokenStatus(StrEnum):
    """What a presented verification token is worth."""

    VALID = "valid"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # never issued, already used, or replaced by a newer mail


def token_status(expires_at: datetime | None, now: datetime) -> TokenStatus:
    """VALID until the token's expiry; UNKNOWN when nothing matched it."""
    if expires_at is None:
        return TokenStatus.UNKNOWN
    return TokenStatus.VALID if now < expires_at else TokenStatus.EXPIRED


@dataclass(frozen=True)
class Confirmation:
    """The outcome of following a verification link: its status and, when valid, whose address it verified."""

    status: TokenStatus
    account_id: int | None = None
    address: str | None = None
