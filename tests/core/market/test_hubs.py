"""Hub and region resolution: names, prefixes, and errors that list the valid choices."""

from __future__ import annotations

import pytest

from core.market.hubs import PLEX_REGION_ID, UnknownLocation, check_region, find_hub, hubs_in_region


def test_hub_names_are_case_insensitive_and_prefixes_resolve() -> None:
    assert find_hub("jita").station_id == 60003760
    assert find_hub(" AMARR ").region_id == 10000043
    assert find_hub("dod").name == "Dodixie"


def test_unknown_hub_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownLocation, match="valid hubs: Jita, Amarr, Dodixie, Rens, Hek"):
        find_hub("Perimeter")
    with pytest.raises(UnknownLocation):
        find_hub("")


def test_regions() -> None:
    assert check_region(PLEX_REGION_ID) == PLEX_REGION_ID
    assert [h.name for h in hubs_in_region(10000002)] == ["Jita"]
    assert hubs_in_region(PLEX_REGION_ID) == ()
    with pytest.raises(UnknownLocation, match=r"10000002 \(The Forge\)"):
        check_region(10000001)
