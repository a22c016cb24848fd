"""The paste size limit: UTF-8 bytes, 1 MB by default, configurable, checked before any parser runs."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from core.appraisal.model import ItemsByName, Line, ParsedItem
from core.appraisal.parse import DEFAULT_MAX_BYTES, MAX_LINES, PasteTooLarge, check_size, human_size, parse_paste
from evetrader.config import SettingsError, load_settings


class Recording:
    """A parser that reads nothing and remembers how many lines it was given."""

    name = "recording"

    def __init__(self) -> None:
        self.seen = 0

    def parse(self, lines: Sequence[Line], names: ItemsByName) -> tuple[list[ParsedItem], list[Line]]:
        self.seen += len(lines)
        return [], list(lines)


class NoNames:
    def exact(self, name: str) -> None:
        return None


def test_the_default_limit_is_one_megabyte() -> None:
    assert DEFAULT_MAX_BYTES == 1_048_576
    assert load_settings(_env_file=None).appraisal_max_bytes == DEFAULT_MAX_BYTES


def test_a_paste_over_the_limit_is_refused_in_human_units_before_any_parser_runs() -> None:
    parser = Recording()
    with pytest.raises(PasteTooLarge) as refused:
        parse_paste("junk line\n" * 150_000, NoNames(), [parser])  # 1,500,000 bytes
    assert str(refused.value) == "paste too large: 1.4 MB (at most 1.0 MB)"
    assert parser.seen == 0


def test_a_paste_at_the_limit_is_read() -> None:
    parser = Recording()
    result = parse_paste("abcdefghi\n" * 100, NoNames(), [parser], max_bytes=1000)
    assert parser.seen == 100 and len(result.unparsed) == 100


def test_the_limit_counts_utf8_bytes_not_characters() -> None:
    check_size("é" * 500, 1000)  # 1,000 bytes: allowed
    with pytest.raises(PasteTooLarge, match=r"1,001 bytes \(at most 1,000 bytes\)"):
        check_size("é" * 500 + "x", 1000)  # 501 characters, 1,001 bytes
    with pytest.raises(PasteTooLarge, match="paste too large"):
        check_size("\ud800" * 400, 1000)  # lone surrogates are measured, not an encoding error


def test_just_over_the_limit_shows_exact_bytes_rather_than_the_same_rounded_figure() -> None:
    with pytest.raises(PasteTooLarge, match=r"1,048,577 bytes \(at most 1,048,576 bytes\)"):
        check_size("x" * (DEFAULT_MAX_BYTES + 1))


def test_sizes_read_as_people_say_them() -> None:
    assert [human_size(n) for n in (0, 1023, 1024, 65_536, 1_048_576, 1_500_000, 2 * 1_048_576)] == [
        "0 bytes",
        "1,023 bytes",
        "1.0 KB",
        "64.0 KB",
        "1.0 MB",
        "1.4 MB",
        "2.0 MB",
    ]


def test_the_setting_is_read_and_must_be_positive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPRAISAL_MAX_BYTES", "65536")
    assert load_settings(_env_file=None).appraisal_max_bytes == 65_536
    monkeypatch.setenv("APPRAISAL_MAX_BYTES", "0")
    with pytest.raises(SettingsError, match="APPRAISAL_MAX_BYTES"):
        load_settings(_env_file=None)


def test_more_lines_than_the_cap_are_refused_before_any_parser_runs_blank_lines_aside() -> None:
    parser = Recording()
    with pytest.raises(PasteTooLarge, match=f"paste too large: {MAX_LINES + 1:,} lines \\(at most {MAX_LINES:,}\\)"):
        parse_paste("a\r\n\n" * (MAX_LINES + 1), NoNames(), [parser])
    assert parser.seen == 0
    result = parse_paste("a\n \n\t\r" * MAX_LINES, NoNames(), [parser])  # blank lines do not count
    assert parser.seen == MAX_LINES and len(result.unparsed) == MAX_LINES
