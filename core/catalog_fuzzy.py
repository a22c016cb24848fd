"""Fuzzy item-name matching for the catalog: how close a name must be to be taken, suggested or completed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

FUZZY_CUTOFF = 60.0
FUZZY_ACCEPT = 88.0
FUZZY_MARGIN = 4.0
FUZZY_WHOLE = 80.0
SHORTLIST = 50  # suggest: names kept by the cheap first pass (each of two) for WRatio to rank
Scorer = Callable[..., float]


def closest(
    query: str, processed: Sequence[str], limit: int, scorer: Scorer = fuzz.WRatio, cutoff: float = FUZZY_CUTOFF
) -> list[tuple[int, float]]:
    """(index, score) of the `processed` names closest to `query`, best first, down to `cutoff`."""
    found = process.extract(
        default_process(query), processed, scorer=scorer, processor=None, limit=limit, score_cutoff=cutoff
    )
    return [(index, score) for _, score, index in found]


def clear_winner(wanted: str, best_name: str, matches: list[tuple[int, float]]) -> bool:
    """A clear winner that is close as a whole (WRatio alone forgives extra words: "tritanium soon")."""
    score, runner_up = matches[0][1], matches[1][1] if len(matches) > 1 else 0.0
    whole = fuzz.token_sort_ratio(wanted, best_name, processor=default_process)
    return score >= FUZZY_ACCEPT and score - runner_up >= FUZZY_MARGIN and whole >= FUZZY_WHOLE


def close_match(wanted: str, processed: Sequence[str]) -> int | None:
    """The index of a clear, close winner among `processed` names (the other languages' names), else None."""
    query = default_process(wanted)
    found = process.extract(query, processed, scorer=fuzz.WRatio, processor=None, limit=2, score_cutoff=FUZZY_ACCEPT)
    if not found or (len(found) > 1 and found[0][1] - found[1][1] < FUZZY_MARGIN):
        return None
    _, _, index = found[0]
    return None if fuzz.token_sort_ratio(query, processed[index], processor=None) < FUZZY_WHOLE else int(index)


def shortlist_ranked(query: str, processed: Sequence[str], sorted_words: Sequence[str], limit: int) -> list[int]:
    """Indexes of up to `limit` names close to `query`, best first: QRatio shortlists (~15x cheaper), WRatio ranks."""
    wanted = default_process(query.lower())
    words = " ".join(sorted(wanted.split()))
    shortlist: set[int] = set()
    for text, choices in ((wanted, processed), (words, sorted_words)):
        found = process.extract(text, choices, scorer=fuzz.QRatio, processor=None, limit=SHORTLIST)
        shortlist.update(index for _, _, index in found)
    ranked = process.extract(
        wanted,
        {index: processed[index] for index in sorted(shortlist)},
        scorer=fuzz.WRatio,
        processor=None,
        limit=limit,
        score_cutoff=FUZZY_CUTOFF,
    )
    return [index for _, _, index in ranked]
