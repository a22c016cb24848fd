"""The five trade hubs and the global PLEX market (docs/domain.md), and resolving a user's hub or region name."""

from __future__ import annotations

from dataclasses import dataclass

PLEX_REGION_ID = 19000001
PLEX_TYPE_ID = 44992


@dataclass(frozen=True)
class Hub:
    """A trade hub: its region, system and main trade station."""

    name: str
    region_id: int
    region_name: str
    system_id: int
    station_id: int
    station_name: str


HUBS: tuple[Hub, ...] = (
    Hub("Jita", 10000002, "The Forge", 30000142, 60003760, "Jita IV - Moon 4 - Caldari Navy Assembly Plant"),
    Hub("Amarr", 10000043, "Domain", 30002187, 60008494, "Amarr VIII (Oris) - Emperor Family Academy"),
    Hub(
        "Dodixie",
        10000032,
        "Sinq Laison",
        30002659,
        60011866,
        "Dodixie IX - Moon 20 - Federation Navy Assembly Plant",
    ),
    Hub("Rens", 10000030, "Heimatar", 30002510, 60004588, "Rens VI - Moon 8 - Brutor Tribe Treasury"),
    Hub("Hek", 10000042, "Metropolis", 30002053, 60005686, "Hek VIII - Moon 12 - Boundless Creation Factory"),
)
HUB_REGION_IDS: tuple[int, ...] = tuple(hub.region_id for hub in HUBS)
KNOWN_REGIONS: dict[int, str] = {hub.region_id: hub.region_name for hub in HUBS} | {PLEX_REGION_ID: "PLEX Market"}


class UnknownLocation(ValueError):
    """A hub or region name or id we do not know; the message lists the valid ones."""


def hub_names() -> str:
    """The valid hub names, for error messages."""
    return ", ".join(hub.name for hub in HUBS)


def find_hub(name: str) -> Hub:
    """Resolve a hub by (case-insensitive, unambiguous-prefix) name, or raise UnknownLocation."""
    wanted = name.strip().lower()
    matches = [hub for hub in HUBS if hub.name.lower() == wanted] or [
        hub for hub in HUBS if wanted and hub.name.lower().startswith(wanted)
    ]
    if len(matches) != 1:
        raise UnknownLocation(f"unknown hub {name!r}; valid hubs: {hub_names()}")
    return matches[0]


def hubs_in_region(region_id: int) -> tuple[Hub, ...]:
    """The hubs whose trade station lies in `region_id`."""
    return tuple(hub for hub in HUBS if hub.region_id == region_id)


def check_region(region_id: int, known: dict[int, str] | None = None) -> int:
    """Return `region_id` if it is a market region we know, else raise UnknownLocation listing the valid ones."""
    regions = known if known is not None else KNOWN_REGIONS
    if region_id not in regions:
        listing = ", ".join(f"{rid} ({name})" for rid, name in sorted(regions.items()))
        raise UnknownLocation(f"unknown region {region_id}; valid regions: {listing}")
    return region_id
