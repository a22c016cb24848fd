"""ISK, volumes, percentages and data ages for people (core/formatting.py): one module for every formatter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.formatting import age_text, data_age, exact_isk, isk, percent, short_isk, units

NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def test_isk_abbreviates_millions_and_up() -> None:
    assert [isk(4.5), isk(1234.5), isk(12_300_000), isk(1.25e9), isk(None)] == [
        "4.50",
        "1,234.50",
        "12.30M",
        "1.25B",
        "—",
    ]


def test_exact_isk_keeps_every_digit_as_alerts_quote_it() -> None:
    assert [exact_isk(4.5), exact_isk(1_234_567.891), exact_isk(-0.5)] == ["4.50", "1,234,567.89", "-0.50"]


def test_short_isk_fits_a_few_characters() -> None:
    assert [short_isk(950), short_isk(12_345), short_isk(555_900_000), short_isk(-1.2e9)] == [
        "950",
        "12.3k",
        "555.9M",
        "-1.2B",
    ]


def test_units_and_percent() -> None:
    assert [units(1234), units(2_500_000), units(None)] == ["1,234", "2.5M", "—"]
    assert [percent(0.1234), percent(None)] == ["12.3%", "—"]


def test_ages_in_words() -> None:
    ages = [age_text(NOW - timedelta(minutes=2), NOW), age_text(NOW - timedelta(hours=3), NOW), age_text(None, NOW)]
    assert ages == [
        "2 min old",
        "3 h old",
        "no market data yet",
    ]
    assert [data_age(NOW, NOW), data_age(NOW - timedelta(hours=5), NOW), data_age(NOW - timedelta(days=3), NOW)] == [
        "data under 1 min old",
        "data 5 h old",
        "data 3 days old",
    ]
