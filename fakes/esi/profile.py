"""GET /characters/{id}/skills/, /standings/ and /assets/: a character's skills, NPC standings and assets.

Tokens are checked as for the orders routes (401 bad or expired, 403 another character or a missing scope:
esi-skills.read_skills.v1, esi-characters.read_standings.v1, esi-assets.read_assets.v1). Shapes as ESI's swagger
gives them: skills {skills: [{skill_id, active_skill_level, trained_skill_level, skillpoints_in_skill}], total_sp,
unallocated_sp}, cached 120 s; standings [{from_id, from_type: agent|npc_corp|faction, standing}], cached 3600 s;
assets [{item_id, type_id, quantity, location_id, location_type, location_flag, is_singleton,
is_blueprint_copy?}], 1,000 per page with X-Pages (a page past the last is a 404), cached 3600 s, every page of
one generation with the same Last-Modified. Tests set the data with set_profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .characters import _answer, _character
from .routes import HttpError, PerFake, Reply, int_param

if TYPE_CHECKING:
    from .server import EsiFake

SKILLS_SCOPE = "esi-skills.read_skills.v1"
STANDINGS_SCOPE = "esi-characters.read_standings.v1"
ASSETS_SCOPE = "esi-assets.read_assets.v1"
SKILLS_CACHE_S, STANDINGS_CACHE_S, ASSETS_CACHE_S = 120, 3600, 3600
ASSET_PAGE_ROWS = 1000
Row = dict[str, Any]


@dataclass
class Profiles:
    """The characters' skills (skill id -> active level), standings and assets, by character id."""

    skills: dict[int, dict[int, int]] = field(default_factory=dict)
    standings: dict[int, list[Row]] = field(default_factory=dict)
    assets: dict[int, list[Row]] = field(default_factory=dict)


profiles = PerFake(Profiles)  # the fake's character profiles, created empty on first use


def set_profile(
    fake: EsiFake,
    character_id: int,
    *,
    skills: Mapping[int, int] | None = None,
    standings: Iterable[Row] | None = None,
    assets: Iterable[Row] | None = None,
) -> None:
    """The character's skills (skill id -> level), standings and/or assets from now on (after the cache expires)."""
    p = profiles(fake)
    if skills is not None:
        p.skills[character_id] = dict(skills)
    if standings is not None:
        p.standings[character_id] = [dict(row) for row in standings]
    if assets is not None:
        p.assets[character_id] = sorted((dict(row) for row in assets), key=lambda row: int(row["item_id"]))


def skills(fake: EsiFake, request: web.Request) -> Reply:
    """GET /characters/{character_id}/skills/ (cached 120 s)."""
    character_id = _character(fake, request, SKILLS_SCOPE)
    levels = profiles(fake).skills.get(character_id, {})
    sp = {level: 256_000 * (2 ** (level - 1)) if level else 0 for level in range(6)}
    rows = [
        {"skill_id": s, "active_skill_level": lv, "trained_skill_level": lv, "skillpoints_in_skill": sp[lv]}
        for s, lv in sorted(levels.items())
    ]
    body = {"skills": rows, "total_sp": sum(r["skillpoints_in_skill"] for r in rows), "unallocated_sp": 0}
    return _answer(fake, request, character_id, "skills", body, SKILLS_CACHE_S)  # type: ignore[arg-type]


def standings(fake: EsiFake, request: web.Request) -> Reply:
    """GET /characters/{character_id}/standings/ (cached 3600 s)."""
    character_id = _character(fake, request, STANDINGS_SCOPE)
    rows = profiles(fake).standings.get(character_id, [])
    return _answer(fake, request, character_id, "standings", rows, STANDINGS_CACHE_S)


def assets(fake: EsiFake, request: web.Request) -> Reply:
    """GET /characters/{character_id}/assets/?page=N (cached 3600 s, X-Pages, 1,000 per page)."""
    character_id = _character(fake, request, ASSETS_SCOPE)
    rows = profiles(fake).assets.get(character_id, [])
    pages = max(1, -(-len(rows) // ASSET_PAGE_ROWS))
    page = int_param(request, "page", 1) or 1
    if page > pages:
        raise HttpError(404, "Requested page does not exist!")
    first = _answer(fake, request, character_id, "assets", rows[:ASSET_PAGE_ROWS], ASSETS_CACHE_S)
    if page == 1:
        reply = first
    else:  # the same generation as page 1: its Last-Modified and Expires
        part = rows[(page - 1) * ASSET_PAGE_ROWS : page * ASSET_PAGE_ROWS]
        reply = _answer(fake, request, character_id, f"assets?page={page}", part, ASSETS_CACHE_S)
        for header in ("Last-Modified", "Expires", "Cache-Control"):
            reply.headers[header] = first.headers[header]
    reply.headers["X-Pages"] = str(pages)
    return reply


def add_profile_routes(app: web.Application, prefix: str, wrap: Any) -> None:
    """Mount the three routes under `prefix` with the server's handler wrapper."""
    app.router.add_get(prefix + "/characters/{character_id}/skills{_:/?}", wrap(skills))
    app.router.add_get(prefix + "/characters/{character_id}/standings{_:/?}", wrap(standings))
    app.router.add_get(prefix + "/characters/{character_id}/assets{_:/?}", wrap(assets))
