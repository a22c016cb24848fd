"""When on-demand history counts as stale: ESI's Expires when stored, else its 11:05 UTC daily refresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.market.history_demand import LastFetch, is_stale, latest_daily_refresh

MORNING = datetime(2025, 5, 20, 9, 0, tzinfo=UTC)
NOON = datetime(2025, 5, 20, 12, 0, tzinfo=UTC)


def test_latest_daily_refresh_is_todays_after_1105_else_yesterdays():
    assert latest_daily_refresh(NOON) == datetime(2025, 5, 20, 11, 5, tzinfo=UTC)
    assert latest_daily_refresh(MORNING) == datetime(2025, 5, 19, 11, 5, tzinfo=UTC)
    exactly = datetime(2025, 5, 20, 11, 5, tzinfo=UTC)
    assert latest_daily_refresh(exactly) == exactly


def test_never_fetched_is_stale():
    assert is_stale(None, NOON)


def test_stored_expires_decides():
    fetched = NOON - timedelta(days=3)  # old, but ESI said it holds until after noon
    assert not is_stale(LastFetch(fetched, NOON + timedelta(minutes=1)), NOON)
    assert is_stale(LastFetch(NOON - timedelta(minutes=5), NOON), NOON)  # Expires reached


def test_without_expires_the_daily_refresh_decides():
    assert is_stale(LastFetch(datetime(2025, 5, 20, 11, 0, tzinfo=UTC), None), NOON)  # before today's refresh
    assert not is_stale(LastFetch(datetime(2025, 5, 20, 11, 10, tzinfo=UTC), None), NOON)
    assert not is_stale(LastFetch(datetime(2025, 5, 19, 11, 10, tzinfo=UTC), None), MORNING)  # today's not yet
