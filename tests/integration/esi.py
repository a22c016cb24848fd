"""The ESI client the end-to-end tests drive against the fake: real, with tiny backoffs so faults stay fast."""

from __future__ import annotations

from adapters.esi import EsiClient
from fakes.esi import EsiFake


def client_for(fake: EsiFake, *, max_attempts: int = 3, timeout_s: float = 30.0) -> EsiClient:
    """A fresh client for `fake` (its in-memory Expires guard starts empty, as after a restart)."""
    return EsiClient(
        fake.base_url,
        user_agent="evetrader-tests/1 (tests@localhost)",
        compatibility_date="2020-01-01",
        max_attempts=max_attempts,
        timeout_s=timeout_s,
        backoff_base_s=0.01,
        backoff_cap_s=0.05,
        default_retry_after_s=0.2,
    )
