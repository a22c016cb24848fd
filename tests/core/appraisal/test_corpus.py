"""A corpus of realistic client pastes run through the whole ordered parser list, as the appraisal runs them.

Each case: the paste as the client produces it, the total quantity per item name (blueprint copies as
"<name> (copy)", summed over every ParsedItem) and the 1-based numbers of the lines reported unparsed.
"""

from __future__ import annotations

from collections import Counter

import pytest

from core.appraisal.model import ParseResult
from core.appraisal.parse import parse_paste
from core.appraisal.parsers import default_parsers
from tests.core.appraisal.corpus.fits import DSCAN, EFT, FITTING, KILLMAILS
from tests.core.appraisal.corpus.industry import COMPARE, INDUSTRY, PLANETARY
from tests.core.appraisal.corpus.lists import CARGO_SCANS, HEURISTIC, LISTINGS
from tests.core.appraisal.corpus.logs import LEDGERS, LOOT, SURVEY, WALLET
from tests.core.appraisal.corpus.mixed import MIXED
from tests.core.appraisal.corpus.trade import CONTRACTS, INVENTORY, MULTIBUY
from tests.core.appraisal.corpus_names import INDEXED_NAMES, NAMES


def totals(result: ParseResult) -> dict[str, int]:
    """Quantity per item name, blueprint copies apart as "<name> (copy)"."""
    summed: Counter[str] = Counter()
    for found in result.items:
        summed[f"{found.item.name} (copy)" if found.blueprint_copy else found.item.name] += found.quantity
    return dict(summed)


CORPUS = [
    *EFT,
    *FITTING,
    *KILLMAILS,
    *DSCAN,
    *LOOT,
    *WALLET,
    *LEDGERS,
    *SURVEY,
    *INDUSTRY,
    *COMPARE,
    *PLANETARY,
    *MULTIBUY,
    *CONTRACTS,
    *INVENTORY,
    *LISTINGS,
    *CARGO_SCANS,
    *HEURISTIC,
    *MIXED,
]


def test_corpus_is_large_and_ids_are_unique() -> None:
    ids = [param.id for param in CORPUS]
    assert len(ids) >= 120
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(("text", "expected", "unparsed"), CORPUS)
def test_corpus(text: str, expected: dict[str, int], unparsed: tuple[int, ...]) -> None:
    for names in (NAMES, INDEXED_NAMES):  # plain lookups, and with the first-word index parsers may prune by
        result = parse_paste(text, names, default_parsers())
        assert totals(result) == expected, type(names).__name__
        assert [line.line for line in result.unparsed] == list(unparsed), type(names).__name__
