"""The panel's alert inputs: a time of day reads exactly as chat reads it."""

from __future__ import annotations

from datetime import time

import pytest

from core.chat.params import ArgumentError
from core.commands.alerts import parse_clock
from web.alert_inputs import FieldError, clock


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:00", time(22)),
        ("2200", time(22)),
        ("22", time(22)),
        ("7", time(7)),
        ("0730", time(7, 30)),
        (" 7:05 ", time(7, 5)),
    ],
)
def test_chat_and_panel_read_the_same_times(text: str, expected: time) -> None:
    assert parse_clock(text) == clock(text, "start") == expected


@pytest.mark.parametrize("text", ["late", "24:00", "7:60", "22.00", "07:30:15", "22h", ""])
def test_chat_and_panel_refuse_the_same_times(text: str) -> None:
    with pytest.raises(ArgumentError, match="is not a time of day"):
        parse_clock(text)
    with pytest.raises(FieldError, match="is not a time of day like 22:00"):
        clock(text, "start")
