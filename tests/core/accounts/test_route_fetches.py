"""FetchMeta: a character route is due when never asked, without an Expires, or once it has passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.accounts.route_fetches import FetchMeta, is_due

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Answer:
    etag: str | None
    expires: datetime | None
    last_modified: datetime | None


def test_a_route_is_due_until_asked_and_again_once_its_expires_has_passed() -> None:
    assert is_due(None, NOW)
    assert is_due(FetchMeta('"e"', None, None), NOW)
    assert not is_due(FetchMeta('"e"', NOW + timedelta(seconds=1), None), NOW)
    assert is_due(FetchMeta('"e"', NOW, None), NOW)


def test_an_answer_without_expires_is_kept_for_the_routes_documented_cache_time() -> None:
    told = FetchMeta.answered(Answer('"a"', NOW + timedelta(seconds=30), NOW), NOW, timedelta(hours=1))
    assert told == FetchMeta('"a"', NOW + timedelta(seconds=30), NOW)
    silent = FetchMeta.answered(Answer(None, None, None), NOW, timedelta(hours=1))
    assert silent == FetchMeta(None, NOW + timedelta(hours=1), None)
