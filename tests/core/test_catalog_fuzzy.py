"""Fuzzy item-name matching (core/catalog_fuzzy.py): what is taken, what is only suggested."""

from __future__ import annotations

from rapidfuzz.utils import default_process

from core.catalog_fuzzy import clear_winner, close_match, closest, shortlist_ranked

NAMES = ["Tritanium", "Pyerite", "Mexallon", "Tritanium Ore Processing", "Large Skill Injector"]
PROCESSED = [default_process(name) for name in NAMES]
SORTED_WORDS = [" ".join(sorted(name.split())) for name in PROCESSED]


def test_a_typo_is_a_clear_winner_but_extra_words_are_not() -> None:
    matches = closest("tritanim", PROCESSED, 5)
    assert matches[0][0] == 0 and clear_winner("tritanim", NAMES[0], matches)
    wordy = closest("tritanium soon", PROCESSED, 5)
    assert not clear_winner("tritanium soon", NAMES[wordy[0][0]], wordy)


def test_close_match_takes_one_clear_name_or_none() -> None:
    assert close_match("pyerit", PROCESSED) == 1
    assert close_match("zzzz", PROCESSED) is None


def test_suggestions_rank_word_order_variants() -> None:
    assert shortlist_ranked("injector skill large", PROCESSED, SORTED_WORDS, 2)[0] == 4
