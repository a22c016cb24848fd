"""Settings parsing: forms are lenient about the hub (blank, any known spelling), the JSON API is exact."""

from __future__ import annotations

import pytest

from web.settings_form import SettingsInvalid, parse_settings


@pytest.mark.parametrize(("raw", "hub"), [("", None), ("  ", None), (None, None), ("jita", "Jita"), ("Amarr", "Amarr")])
def test_a_form_takes_blank_for_none_and_any_known_spelling(raw: object, hub: str | None) -> None:
    assert parse_settings(raw, {}).default_hub == hub


@pytest.mark.parametrize("raw", ["", "jita", " Jita", "Nowhere", 3])
def test_the_api_takes_exact_hub_names_or_null_only(raw: object) -> None:
    with pytest.raises(SettingsInvalid) as raised:
        parse_settings(raw, {}, strict=True)
    assert "default_hub" in raised.value.errors
    assert parse_settings("Jita", {}, strict=True).default_hub == "Jita"
    assert parse_settings(None, {}, strict=True).default_hub is None


@pytest.mark.parametrize("level", ["²", "٣", "9" * 40, "-1", "6"])
def test_a_skill_level_that_is_no_level_is_an_error_not_a_crash(level: str) -> None:
    with pytest.raises(SettingsInvalid) as raised:
        parse_settings(None, {"accounting": level})
    assert raised.value.errors == {"accounting": "must be a whole number from 0 to 5"}  # not int()'s own words
