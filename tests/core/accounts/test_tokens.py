"""CharacterTokens: caching, refresh with CAS storage, lost races, invalid grants and changed owners."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.accounts.sso import CharacterToken, InvalidGrant, TokenGrant
from core.accounts.tokens import CharacterTokens, TokenSubject, TokenUnavailable

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SUBJECT = TokenSubject(90000001, 5, "owner-1")


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class Store:
    """SsoTokenStore in memory (compare-and-swap like PgCharacterStore)."""

    def __init__(self, token: str | None = "r0") -> None:
        self.token, self.invalid, self.unlinked = token, False, False

    async def refresh_token(self, character_id: int) -> str | None:
        return self.token

    async def store_refresh(self, character_id: int, previous: str, new: str, access_expires_at: datetime) -> bool:
        if self.token != previous:
            return False
        self.token = new
        return True

    async def mark_invalid(self, character_id: int) -> None:
        self.token, self.invalid = None, True

    async def unlink(self, account_id: int, character_id: int) -> str | None:
        self.unlinked = True
        return self.token


class Sso:
    """A rotating SSO: each refresh token works once, like the SSO fake."""

    def __init__(self, clock: Clock, store: Store, owner: str = "owner-1") -> None:
        self.clock, self.store, self.owner = clock, store, owner
        self.live = {"r0"}
        self.calls = 0
        self.before_answer: str | None = None  # simulate another process storing this token mid-refresh

    async def refresh(self, refresh_token: str) -> TokenGrant:
        self.calls += 1
        await asyncio.sleep(0)
        if refresh_token not in self.live:
            raise InvalidGrant("refresh token not found")
        self.live.discard(refresh_token)
        new = f"r{self.calls}"
        self.live.add(new)
        if self.before_answer is not None:
            self.store.token, self.before_answer = self.before_answer, None
        expires = self.clock.now + timedelta(minutes=20)
        character = CharacterToken(SUBJECT.character_id, "Joe", self.owner, ("s",), expires, "iss")
        return TokenGrant(f"access-{self.calls}", new, expires, character, rotated=True)


Parts = tuple[Clock, Store, Sso, CharacterTokens]


@pytest.fixture
def parts() -> Parts:
    clock, store = Clock(), Store()
    sso = Sso(clock, store)
    return clock, store, sso, CharacterTokens(store, sso, clock=clock)


async def test_token_is_cached_until_shortly_before_expiry_and_the_new_refresh_token_stored(parts: Parts) -> None:
    clock, store, sso, tokens = parts
    first = await tokens.access_token(SUBJECT)
    assert first.token == "access-1" and store.token == "r1"
    clock.now += timedelta(minutes=18)
    assert (await tokens.access_token(SUBJECT)).token == "access-1" and sso.calls == 1
    clock.now += timedelta(minutes=1, seconds=30)  # within the 60 s margin
    assert (await tokens.access_token(SUBJECT)).token == "access-2" and store.token == "r2"
    assert "access" not in repr(first)


async def test_concurrent_callers_share_one_refresh(parts: Parts) -> None:
    _, _, sso, tokens = parts
    got = await asyncio.gather(*(tokens.access_token(SUBJECT) for _ in range(5)))
    assert {t.token for t in got} == {"access-1"} and sso.calls == 1


async def test_invalid_grant_marks_the_character_invalid(parts: Parts) -> None:
    _, store, sso, tokens = parts
    sso.live.clear()
    with pytest.raises(TokenUnavailable):
        await tokens.access_token(SUBJECT)
    assert store.invalid and store.token is None


async def test_a_token_rotated_by_another_process_is_reread_not_marked_invalid(parts: Parts) -> None:
    _, store, sso, tokens = parts
    sso.live = {"winner"}
    store.token = "r0"  # we read r0, but SSO already rotated it...

    async def winner_stored(character_id: int) -> str | None:
        current, store.token = store.token, "winner"  # ...and the winner's token is in the store on re-read
        return current

    store.refresh_token = winner_stored  # type: ignore[method-assign]
    token = await tokens.access_token(SUBJECT)
    assert token.token.startswith("access-") and not store.invalid


async def test_lost_cas_keeps_the_winners_refresh_token_and_uses_our_access_token(parts: Parts) -> None:
    _, store, sso, tokens = parts
    sso.before_answer = "winner-token"
    token = await tokens.access_token(SUBJECT)
    assert token.token == "access-1" and store.token == "winner-token"


async def test_changed_owner_unlinks(parts: Parts) -> None:
    _, store, sso, tokens = parts
    sso.owner = "someone-else"
    with pytest.raises(TokenUnavailable, match="changed owner"):
        await tokens.access_token(SUBJECT)
    assert store.unlinked


async def test_no_stored_token_is_unavailable() -> None:
    clock, store = Clock(), Store(token=None)
    with pytest.raises(TokenUnavailable):
        await CharacterTokens(store, Sso(clock, store), clock=clock).access_token(SUBJECT)


async def test_token_check_counts_refused_tokens_and_stops_when_sso_is_down(parts: Parts) -> None:
    from core.accounts.sso import SsoUnavailable
    from core.accounts.tokens import check_tokens

    _, store, sso, tokens = parts
    done = await check_tokens(tokens, [SUBJECT])
    assert (done.checked, done.invalid, done.sso_down) == (1, 0, False) and store.token == "r1"
    await tokens.forget(SUBJECT.character_id)
    sso.live.clear()  # revoked at SSO: the check finds out and marks the character
    refused = await check_tokens(tokens, [SUBJECT])
    assert (refused.checked, refused.invalid) == (1, 1) and store.invalid

    async def down(refresh_token: str) -> TokenGrant:
        raise SsoUnavailable("SSO answered 503")

    store.token, store.invalid = "r9", False
    sso.refresh = down  # type: ignore[method-assign]
    other = TokenSubject(90000002, 5, "owner-1")
    stopped = await check_tokens(tokens, [SUBJECT, other])
    assert (stopped.checked, stopped.sso_down, store.invalid) == (1, True, False)  # tokens kept for next time
