"""The daily digest in core: when it is due (local hour, once per local date), its text, and the orders hook."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.alerts.digest import (
    DIGEST_KIND,
    DigestCandidate,
    DigestService,
    WatchPrice,
    digest_key,
    digest_text,
    is_due,
)
from core.alerts.model import AlertTarget, TargetKind
from core.market.hubs import HUBS, Hub

JITA, AMARR = HUBS[0], HUBS[1]
NOW = datetime(2026, 8, 1, 6, 5, tzinfo=UTC)  # 08:05 in Berlin (summer time), 06:05 UTC
DM = AlertTarget("telegram", TargetKind.DM, "77")
TRIT = WatchPrice(34, "Tritanium", 4.62, 4.40, NOW - timedelta(minutes=4), 4.50, date(2026, 7, 31))
PYE = WatchPrice(35, "Pyerite", None, 9.0, NOW - timedelta(minutes=9))


def candidate(hour: int = 8, timezone: str = "Europe/Berlin", last: date | None = None, hub: str | None = "Amarr"):
    return DigestCandidate(1, hour, timezone, hub, DM, last)


def test_due_once_the_local_hour_has_come_and_once_per_local_date() -> None:
    assert is_due(candidate(), NOW) == date(2026, 8, 1)
    assert is_due(candidate(hour=9), NOW) is None  # 08:05 local: not yet
    assert is_due(candidate(timezone="UTC"), NOW) is None  # 06:05 UTC
    assert is_due(candidate(last=date(2026, 8, 1)), NOW) is None  # sent today already
    assert is_due(candidate(last=date(2026, 7, 31)), NOW) == date(2026, 8, 1)
    night = datetime(2026, 8, 1, 23, 30, tzinfo=UTC)  # 01:30 on 2 August in Berlin: a new date, not yet 08:00
    assert is_due(candidate(last=date(2026, 8, 1)), night) is None
    assert is_due(candidate(last=date(2026, 8, 1)), night + timedelta(hours=7)) == date(2026, 8, 2)
    assert is_due(candidate(timezone="Not/AZone"), NOW) is None  # unknown zone: UTC, before 08:00


def test_digest_text_lists_prices_the_change_versus_the_previous_average_and_the_data_age() -> None:
    text = digest_text(date(2026, 8, 1), JITA, [TRIT, PYE], [], NOW)
    assert text.splitlines() == [
        "Daily digest for 2026-08-01 at Jita",
        "Tritanium: sell 4.62 / buy 4.40 ISK (+2.7% vs 2026-07-31 average 4.50)",
        "Pyerite: no sell orders / buy 9.00 ISK (no daily average to compare)",
        "Prices as of 05:56 UTC, data 9 min old",
    ]
    assert "Your orders:" in digest_text(date(2026, 8, 1), JITA, [TRIT], ["Sell 1,000 Tritanium: undercut"], NOW)
    assert digest_text(date(2026, 8, 1), JITA, [], [], NOW).endswith("No market data for these items yet.")


class MemoryDigestStore:
    """The DigestStore port in memory: one outbox keyed like Postgres's unique idempotency key."""

    def __init__(self, candidates: list[DigestCandidate]) -> None:
        self.pending = candidates
        self.outbox: dict[str, dict[str, Any]] = {}
        self.asked: list[tuple[int, Hub, date]] = []

    async def candidates(self, now: datetime) -> list[DigestCandidate]:
        return self.pending

    async def watch_prices(self, account_id: int, hub: Hub, day: date) -> list[WatchPrice]:
        self.asked.append((account_id, hub, day))
        return [TRIT]

    async def write(self, candidate: DigestCandidate, day: date, key: str, payload: dict[str, Any]) -> bool:
        if key in self.outbox:
            return False
        self.outbox[key] = payload
        return True


class Orders:
    """An orders section (the character-orders work plugs in here)."""

    async def lines(self, account_id: int, day: date) -> list[str]:
        return [f"account {account_id}: 2 orders undercut"]


async def test_service_writes_each_due_digest_once_with_the_hook_and_the_hub() -> None:
    store = MemoryDigestStore([candidate(), candidate(hour=12), DigestCandidate(2, 0, "UTC", "Narnia", DM, None)])
    service = DigestService(store, orders=Orders(), clock=lambda: NOW)
    assert await service.run() == 2
    assert await service.run() == 0  # the same local date again: the key already exists
    assert [(account, hub.name) for account, hub, _ in store.asked] == [
        (1, "Amarr"),
        (2, "Jita"),
        (1, "Amarr"),
        (2, "Jita"),
    ]
    payload = store.outbox[digest_key(1, date(2026, 8, 1))]
    assert payload["kind"] == DIGEST_KIND and payload["hub"] == "Amarr" and payload["date"] == "2026-08-01"
    assert payload["text"].startswith("Daily digest for 2026-08-01 at Amarr\nTritanium: sell 4.62")
    assert "Your orders:\naccount 1: 2 orders undercut" in payload["text"]
    assert payload["items"][0]["change_pct"] == TRIT.change_pct and payload["subject"].endswith("2026-08-01")
    assert set(store.outbox) == {"digest:1:2026-08-01", "digest:2:2026-08-01"}
