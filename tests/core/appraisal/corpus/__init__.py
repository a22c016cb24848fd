"""The appraisal corpus: realistic client pastes by format family (cases for test_corpus.py)."""

from __future__ import annotations

import pytest
from _pytest.mark.structures import ParameterSet

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space (French clients)
THIN = "\u2009"
JITA = "Jita IV - Moon 4 - Caldari Navy Assembly Plant"


def case(case_id: str, text: str, expected: dict[str, int], unparsed: tuple[int, ...] = ()) -> ParameterSet:
    """One corpus entry."""
    return pytest.param(text, expected, unparsed, id=case_id)
