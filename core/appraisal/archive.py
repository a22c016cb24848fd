"""Shared appraisals: the store port (permalinks /a/{id}), unguessable ids, and the "% of buy" quote maths."""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

ID_ALPHABET = string.digits + string.ascii_letters  # base62
ID_LENGTH = 10  # 62**10 ~ 8e17: not guessable, short enough to read out
DEFAULT_TTL_DAYS = 90
MAX_PERCENT = 200.0


def new_appraisal_id() -> str:
    """A fresh id: ID_LENGTH base62 characters from the secrets module."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def is_appraisal_id(text: str) -> bool:
    """Whether `text` has the shape of an appraisal id (anything else is not looked up)."""
    return len(text) == ID_LENGTH and all(char in ID_ALPHABET for char in text)


@dataclass(frozen=True)
class StoredAppraisal:
    """A saved appraisal: its id, where and when it was priced, its JSON body, and when it expires."""

    id: str
    hub: str
    priced_at: datetime | None
    body: Mapping[str, Any]
    created_at: datetime
    expires_at: datetime


class AppraisalArchive(Protocol):
    """Where shared appraisals are kept (an adapter implements it; expired ones are never returned)."""

    async def save(self, hub: str, priced_at: datetime | None, body: Mapping[str, Any]) -> StoredAppraisal:
        """Store an appraisal under a new id until the archive's expiry period ends."""
        ...

    async def get(self, appraisal_id: str) -> StoredAppraisal | None:
        """The appraisal, or None when unknown or expired."""
        ...


def percent_of_buy(total_buy: float, percent: float) -> float:
    """What a buyback program paying `percent` of the buy value offers for the lot (0-MAX_PERCENT)."""
    if not 0 <= percent <= MAX_PERCENT:
        raise ValueError(f"the percentage must be between 0 and {MAX_PERCENT:g}")
    return total_buy * percent / 100
