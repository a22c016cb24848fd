"""Whole numbers from untrusted text."""

from __future__ import annotations

import pytest

from core.digits import whole_number


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("42", 42), ("007", 7), ("9" * 19, int("9" * 19))])
def test_ascii_digits_are_read(text: str, value: int) -> None:
    assert whole_number(text) == value


@pytest.mark.parametrize("text", ["", "²", "٣", "4²", "-1", "+1", " 1", "1.0", "1e3", "9" * 20, "1" * 5000])
def test_anything_else_is_none(text: str) -> None:
    assert whole_number(text) is None


def test_max_digits() -> None:
    assert whole_number("123", max_digits=2) is None and whole_number("12", max_digits=2) == 12
