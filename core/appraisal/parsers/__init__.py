"""One module per family of EVE client paste formats; each parser takes the lines it understands."""

from __future__ import annotations

from collections.abc import Sequence

from core.appraisal.model import PasteParser


def default_parsers() -> Sequence[PasteParser]:
    """Every parser, most specific format first; the heuristic fallback last."""
    return ()
