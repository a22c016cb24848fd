"""A character's own fee inputs and belongings as ESI reports them: skills, NPC standings, assets, and the
TradeSkills they give at a station (docs/fees.md: Accounting, Broker Relations, Advanced Broker Relations and the
unmodified standings with the station owner's corporation and faction)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from core.market.fees import MAX_SKILL_LEVEL, MAX_STANDING, TradeSkills

ACCOUNTING, BROKER_RELATIONS, ADVANCED_BROKER_RELATIONS = 16622, 3446, 16597  # SDE skill type ids
FEE_SKILLS = (ACCOUNTING, BROKER_RELATIONS, ADVANCED_BROKER_RELATIONS)
CALDARI_STATE, MINMATAR_REPUBLIC, AMARR_EMPIRE, GALLENTE_FEDERATION = 500001, 500002, 500003, 500004
STATION_OWNERS: dict[int, tuple[int, int]] = {  # the hubs' trade stations: (owner corporation, its faction), SDE
    60003760: (1000035, CALDARI_STATE),  # Jita 4-4, Caldari Navy
    60008494: (1000086, AMARR_EMPIRE),  # Amarr VIII, Emperor Family
    60011866: (1000120, GALLENTE_FEDERATION),  # Dodixie IX-20, Federation Navy
    60004588: (1000049, MINMATAR_REPUBLIC),  # Rens VI-8, Brutor Tribe
    60005686: (1000057, MINMATAR_REPUBLIC),  # Hek VIII-12, Boundless Creation
}
STANDING_SOURCES = ("agent", "npc_corp", "faction")


@dataclass(frozen=True, slots=True)
class SkillLevel:
    """One trained skill: the level in effect (an Alpha clone may be capped below the trained one) and trained."""

    skill_id: int
    active_level: int
    trained_level: int

    @classmethod
    def from_esi(cls, row: Mapping[str, Any]) -> SkillLevel:
        """Parse one entry of GET /characters/{id}/skills/'s `skills` (ValueError/KeyError/TypeError if malformed)."""
        active, trained = int(row["active_skill_level"]), int(row["trained_skill_level"])
        if not (0 <= active <= MAX_SKILL_LEVEL and 0 <= trained <= MAX_SKILL_LEVEL):
            raise ValueError("skill level out of range")
        return cls(int(row["skill_id"]), active, trained)


@dataclass(frozen=True, slots=True)
class Standing:
    """A character's unmodified standing from an agent, NPC corporation or faction (-10..10)."""

    from_id: int
    from_type: str
    standing: float

    @classmethod
    def from_esi(cls, row: Mapping[str, Any]) -> Standing:
        """Parse one row of GET /characters/{id}/standings/."""
        kind, value = str(row["from_type"]), float(row["standing"])
        if kind not in STANDING_SOURCES or not -MAX_STANDING <= value <= MAX_STANDING:
            raise ValueError("standing row out of range")
        return cls(int(row["from_id"]), kind, value)


@dataclass(frozen=True, slots=True)
class Asset:
    """One item stack or singleton a character owns, where it is."""

    item_id: int
    type_id: int
    quantity: int
    location_id: int
    location_type: str
    location_flag: str
    is_singleton: bool
    is_blueprint_copy: bool = False

    @classmethod
    def from_esi(cls, row: Mapping[str, Any]) -> Asset:
        """Parse one row of GET /characters/{id}/assets/."""
        return cls(
            int(row["item_id"]),
            int(row["type_id"]),
            int(row["quantity"]),
            int(row["location_id"]),
            str(row["location_type"]),
            str(row["location_flag"]),
            bool(row["is_singleton"]),
            bool(row.get("is_blueprint_copy", False)),
        )


@dataclass(frozen=True)
class FeeProfile:
    """What a character's fees depend on: active fee skill levels and standings by source id."""

    levels: Mapping[int, int]
    standings: Mapping[int, float]

    @classmethod
    def of(cls, skills: Iterable[SkillLevel], standings: Iterable[Standing]) -> FeeProfile:
        """The profile from stored skills and standings."""
        levels = {s.skill_id: s.active_level for s in skills if s.skill_id in FEE_SKILLS}
        return cls(levels, {s.from_id: s.standing for s in standings})

    def skills_at(self, station_id: int | None) -> TradeSkills:
        """TradeSkills at a station: the character's levels (0 when untrained) and its standings with the station's
        owner corporation and faction (0 when it has none or the station's owner is not known)."""
        corp, faction = STATION_OWNERS.get(station_id or 0, (None, None))
        return TradeSkills(
            accounting=self.levels.get(ACCOUNTING, 0),
            broker_relations=self.levels.get(BROKER_RELATIONS, 0),
            advanced_broker_relations=self.levels.get(ADVANCED_BROKER_RELATIONS, 0),
            faction_standing=self.standings.get(faction, 0.0) if faction else 0.0,
            corp_standing=self.standings.get(corp, 0.0) if corp else 0.0,
        )
