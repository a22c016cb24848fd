"""One module per family of EVE client paste formats; each parser takes the lines it understands."""

from __future__ import annotations

from collections.abc import Sequence

from core.appraisal.model import PasteParser


def default_parsers() -> Sequence[PasteParser]:
    """Every parser, most specific format first (each takes only lines whose names are real); the heuristic last."""
    from core.appraisal.parsers.combat import DscanParser, KillmailParser
    from core.appraisal.parsers.contracts import ContractParser
    from core.appraisal.parsers.fallback import HeuristicParser
    from core.appraisal.parsers.fittings import EftParser, FittingWindowParser
    from core.appraisal.parsers.industry import CompareParser, IndustryParser, PlanetaryParser
    from core.appraisal.parsers.inventory import InventoryParser
    from core.appraisal.parsers.listing import ListingParser, MultibuyParser
    from core.appraisal.parsers.logs import LootHistoryParser, MiningLedgerParser, SurveyScannerParser, WalletParser

    return (
        EftParser(),
        KillmailParser(),
        FittingWindowParser(),
        DscanParser(),
        LootHistoryParser(),
        WalletParser(),
        MiningLedgerParser(),
        SurveyScannerParser(),
        IndustryParser(),
        CompareParser(),
        MultibuyParser(),
        ContractParser(),
        InventoryParser(),
        PlanetaryParser(),
        ListingParser(),
        HeuristicParser(),
    )
