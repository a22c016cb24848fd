"""Compose NPC station names the way EVE does: "<orbit name> - <corporation>[ <operation>]"."""

from __future__ import annotations

from dataclasses import dataclass

_ROMAN: tuple[tuple[int, str], ...] = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
    (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman(number: int) -> str:
    """Roman numeral of a positive integer (celestial indexes: 4 -> "IV")."""
    if number <= 0:
        return str(number)
    digits = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        digits.append(letters * count)
    return "".join(digits)


@dataclass(frozen=True)
class Planet:
    """What a planet's name needs: its system, celestial index, and a unique name if CCP gave it one."""

    system_id: int
    celestial_index: int | None
    unique_name: str | None = None


@dataclass(frozen=True)
class Moon:
    """What a moon's name needs: the planet it orbits and its orbit index."""

    system_id: int
    planet_id: int | None
    celestial_index: int | None
    orbit_index: int | None
    unique_name: str | None = None


def planet_name(system_name: str, planet: Planet) -> str:
    """ "Jita IV"; a uniquely named planet reads "Amarr VIII (Oris)" (or its full unique name as given)."""
    base = f"{system_name} {roman(planet.celestial_index)}" if planet.celestial_index else system_name
    if not planet.unique_name:
        return base
    if planet.unique_name.startswith(system_name):
        return planet.unique_name
    return f"{base} ({planet.unique_name})"


def moon_name(system_name: str, moon: Moon, planet: Planet | None) -> str:
    """ "Jita IV - Moon 4" from the planet's name and the moon's orbit index."""
    if moon.unique_name:
        return moon.unique_name
    orbited = planet or Planet(moon.system_id, moon.celestial_index)
    base = planet_name(system_name, orbited)
    return f"{base} - Moon {moon.orbit_index}" if moon.orbit_index else base


def station_name(orbit_name: str, corporation: str | None, operation: str | None) -> str:
    """ "Jita IV - Moon 4 - Caldari Navy Assembly Plant"; missing parts are left out, never an error."""
    title = " ".join(part for part in (corporation, operation) if part)
    return f"{orbit_name} - {title}" if title else orbit_name
