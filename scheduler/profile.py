"""Job: fetch linked characters' skills, standings and assets once ESI's cache for each has expired.

Per character and route, only for characters whose token grants the route's scope: asked once the stored Expires
has passed (skills 120 s, standings and assets 3600 s when ESI sends none), with the stored ETag (304: the stored
rows stand). The rows replace what was stored.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from adapters.esi.errors import EsiError
from core.accounts.route_fetches import FetchMeta, is_due
from core.accounts.sso import SCOPE_ASSETS, SCOPE_SKILLS, SCOPE_STANDINGS, SsoError
from core.accounts.tokens import CharacterTokens, TokenSubject
from scheduler.character_calls import authorized

if TYPE_CHECKING:
    from adapters.esi.profile import EsiCharacterProfile
    from adapters.esi.wallet import WalletAnswer
    from adapters.postgres.profile import PgCharacterProfiles


log = logging.getLogger(__name__)
Fetch = Callable[["EsiCharacterProfile", int, str, str | None], Awaitable["WalletAnswer[Any]"]]
Save = Callable[["PgCharacterProfiles", int, Sequence[Any]], Awaitable[None]]


@dataclass(frozen=True)
class Route:
    """One profile route: its scope, cache time when ESI sends no Expires, fetch and save."""

    name: str
    scope: str
    cache: timedelta
    fetch: Fetch
    save: Save


ROUTES = (
    Route("skills", SCOPE_SKILLS, timedelta(seconds=120), lambda e, c, t, tag: e.skills(c, t, etag=tag),
          lambda s, c, rows: s.save_skills(c, rows)),
    Route("standings", SCOPE_STANDINGS, timedelta(seconds=3600), lambda e, c, t, tag: e.standings(c, t, etag=tag),
          lambda s, c, rows: s.save_standings(c, rows)),
    Route("assets", SCOPE_ASSETS, timedelta(seconds=3600), lambda e, c, t, tag: e.assets(c, t, etag=tag),
          lambda s, c, rows: s.save_assets(c, rows)),
)  # fmt: skip


@dataclass
class ProfileRefreshSummary:
    """What one run did."""

    fetched: int = 0
    not_modified: int = 0
    fresh: int = 0  # routes still within their Expires: not requested
    failed: dict[tuple[int, str], str] = field(default_factory=dict)


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def refresh_profiles(
    tokens: CharacterTokens,
    esi: EsiCharacterProfile,
    store: PgCharacterProfiles,
    subjects: dict[str, list[TokenSubject]],
    *,
    clock: Callable[[], datetime] = _utc_now,
) -> ProfileRefreshSummary:
    """Refresh each route for the characters granted its scope; one failing does not stop the others."""
    summary = ProfileRefreshSummary()
    for route in ROUTES:
        for subject in subjects.get(route.name, []):
            try:
                await _refresh(route, subject, tokens, esi, store, clock(), summary)
            except (SsoError, EsiError) as exc:
                summary.failed[(subject.character_id, route.name)] = str(exc)
                log.warning(
                    "character profile not refreshed",
                    extra={"character_id": subject.character_id, "route": route.name, "error": str(exc)},
                )
    return summary


async def _refresh(
    route: Route,
    subject: TokenSubject,
    tokens: CharacterTokens,
    esi: EsiCharacterProfile,
    store: PgCharacterProfiles,
    now: datetime,
    summary: ProfileRefreshSummary,
) -> None:
    """Fetch and store one route of one character when its Expires has passed."""
    character_id = subject.character_id
    stored = await store.fetch_meta(character_id, route.name)
    if not is_due(stored, now):
        summary.fresh += 1
        return
    etag = stored.etag if stored is not None else None
    answer = await authorized(tokens, subject, lambda token: route.fetch(esi, character_id, token, etag))
    if answer.rows is not None:
        await route.save(store, character_id, answer.rows)
    await store.save_meta(character_id, route.name, FetchMeta.answered(answer, now, route.cache))
    summary.not_modified += answer.not_modified
    summary.fetched += not answer.not_modified
