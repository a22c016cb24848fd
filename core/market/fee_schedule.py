"""CCP's market fee schedule as dated configuration: each parameter's value, when it took effect, and CCP's source.

This is the one place the game's fee numbers live (docs/fees.md explains them). `FeeSchedule` in
core.market.fees is built from these defaults, and settings (FEE_SALES_TAX_BASE, FEE_BROKER_BASE, ...) override
any of them when CCP changes a number before this table is updated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

SCHEDULE_CHECKED: Final = "2026-01"  # when the values below were last compared with CCP's pages

SUPPORT_ARTICLE: Final = "CCP support article 'Broker Fee and Sales Tax' (support.eveonline.com, 203218962)"
RELIEF_POST: Final = "CCP news 'Restructuring Taxes After Relief' (eveonline.com, 2021-10-19)"
BROKER_RELATIONS_BLOG: Final = "CCP dev blog 'Broker Relations' (eveonline.com, 2020-02-24, live 2020-03-10)"
BLACKOUT_TAXES: Final = "CCP's July 2019 tax change (New Eden Defense Fund Act news; Accounting and Broker Relations)"
CITADEL_POST: Final = "CCP dev post '[Citadel] Updates to NPC taxes' (2016-04-26, live with Citadel 2016-04-27)"
VIRIDIAN_NOTES: Final = "CCP patch notes for Viridian (2023-06-13): Upwell broker fee, a fixed SCC surcharge"
SKILL_TEXT: Final = "Advanced Broker Relations skill description (SDE type 16597)"


@dataclass(frozen=True)
class FeeParameter:
    """One number of CCP's schedule: its FeeSchedule field, value, the date it took effect and CCP's source."""

    name: str
    value: float
    effective: str
    source: str
    meaning: str


CCP_FEE_PARAMETERS: Final[tuple[FeeParameter, ...]] = (
    FeeParameter("sales_tax_base", 0.08, "2021-10-19", RELIEF_POST, "sales tax rate at Accounting 0"),
    FeeParameter(
        "accounting_reduction", 0.11, "2019-07", BLACKOUT_TAXES, "sales tax cut per Accounting level (3.6% at V)"
    ),
    FeeParameter("broker_base", 0.03, "2021-10-19", RELIEF_POST, "NPC station broker rate before skills/standings"),
    FeeParameter(
        "broker_relations_reduction", 0.003, "2019-07", BLACKOUT_TAXES, "broker rate cut per Broker Relations level"
    ),
    FeeParameter(
        "faction_standing_reduction", 0.0003, "2016-04-27", CITADEL_POST, "broker rate cut per faction standing point"
    ),
    FeeParameter(
        "corp_standing_reduction", 0.0002, "2016-04-27", CITADEL_POST, "broker rate cut per station-corp standing point"
    ),
    FeeParameter("broker_floor", 0.01, "2021-10-19", RELIEF_POST, "lowest NPC broker rate skills and standings reach"),
    FeeParameter("broker_min_isk", 100.0, "2020-03-10", BROKER_RELATIONS_BLOG, "least ISK an order or change costs"),
    FeeParameter(
        "relist_discount_base", 0.5, "2020-03-10", BROKER_RELATIONS_BLOG, "relist discount at Adv. Broker Relations 0"
    ),
    FeeParameter("relist_discount_per_level", 0.06, "2020-03-10", SKILL_TEXT, "relist discount added per ABR level"),
    FeeParameter("scc_surcharge", 0.005, "2023-06-13", VIRIDIAN_NOTES, "SCC's rate on top of an Upwell owner's fee"),
)

CCP_DEFAULTS: Final[dict[str, float]] = {parameter.name: parameter.value for parameter in CCP_FEE_PARAMETERS}
