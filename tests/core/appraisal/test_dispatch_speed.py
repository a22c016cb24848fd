"""The per-line shortcuts parsers take: cached cells and the gates that skip hopeless work change no result."""

from __future__ import annotations

from core.appraisal.model import Line
from core.appraisal.parsers.listing import _opens_name


def test_cells_are_split_once_and_cached_on_the_line() -> None:
    """The first read stores the stripped cells on the instance; later reads return the same tuple."""
    line = Line(1, "Tritanium \t 1,000\t Mineral")
    assert line.cells == ("Tritanium", "1,000", "Mineral")
    assert line.cells is line.cells
    assert line.__dict__["cells"] == ("Tritanium", "1,000", "Mineral")


def test_a_name_is_ruled_out_only_by_its_first_word() -> None:
    """clean_name trims the end only: one token loses "*" and ":", several keep their first token whole."""
    first_words = {"tritanium", "rifter"}
    assert _opens_name(["Tritanium*:"], first_words.__contains__)
    assert _opens_name(["Rifter", "::"], first_words.__contains__)
    assert not _opens_name(["Junk", "Rifter"], first_words.__contains__)
    assert _opens_name(["::"], first_words.__contains__)  # empty once cleaned: left to names.exact
    assert _opens_name(["Anything"], None)
