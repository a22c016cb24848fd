"""Reading an account's settings from a form or JSON body, with one clear error per bad field."""

from __future__ import annotations

import math
from collections.abc import Mapping

from core.digits import whole_number
from core.market.fees import MAX_SKILL_LEVEL, MAX_STANDING, AccountSettings, TradeSkills
from core.market.hubs import HUBS, UnknownLocation, find_hub, hub_names

SKILL_FIELDS = ("accounting", "broker_relations", "advanced_broker_relations")
STANDING_FIELDS = ("faction_standing", "corp_standing")
LABELS = {
    "default_hub": "Default hub",
    "accounting": "Accounting",
    "broker_relations": "Broker Relations",
    "advanced_broker_relations": "Advanced Broker Relations",
    "faction_standing": "Faction standing",
    "corp_standing": "Corporation standing",
}


class SettingsInvalid(ValueError):
    """Some fields are invalid: `errors` maps each field name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{LABELS.get(name, name)}: {message}" for name, message in errors.items()))


def _level(value: object) -> int:
    if isinstance(value, str):
        value = whole_number(value.strip(), max_digits=2)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SKILL_LEVEL:
        raise ValueError(f"must be a whole number from 0 to {MAX_SKILL_LEVEL}")
    return value


def _standing(value: object) -> float:
    number: float | None = None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    if number is None or not math.isfinite(number) or not -MAX_STANDING <= number <= MAX_STANDING:
        raise ValueError(f"must be a number from -{MAX_STANDING:g} to {MAX_STANDING:g}")
    return round(number, 2)


def _hub(value: object, *, strict: bool = False) -> str | None:
    """A hub name from a form (blank: none; any spelling find_hub knows) or, strict, from JSON (a name or null)."""
    if strict and value is not None and value not in {hub.name for hub in HUBS}:
        raise ValueError(f"must be one of {hub_names()} or null")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValueError(f"must be one of {hub_names()}")
    try:
        return find_hub(value).name
    except UnknownLocation:
        raise ValueError(f"must be one of {hub_names()}") from None


def parse_settings(hub: object, skills: Mapping[str, object], *, strict: bool = False) -> AccountSettings:
    """Settings from raw values (form strings or JSON); missing skills take defaults; SettingsInvalid lists errors."""
    errors: dict[str, str] = {}
    if strict:
        for name in sorted(set(skills) - set(SKILL_FIELDS) - set(STANDING_FIELDS)):
            errors[name] = "is not a setting"
    defaults = TradeSkills()
    values: dict[str, object] = {}
    for name in (*SKILL_FIELDS, *STANDING_FIELDS):
        raw = skills.get(name, getattr(defaults, name))
        try:
            values[name] = _level(raw) if name in SKILL_FIELDS else _standing(raw)
        except ValueError as exc:
            errors[name] = str(exc)
    try:
        default_hub = _hub(hub, strict=strict)
    except ValueError as exc:
        errors["default_hub"] = str(exc)
    if errors:
        raise SettingsInvalid(errors)
    return AccountSettings(default_hub, TradeSkills(**values))  # type: ignore[arg-type]
