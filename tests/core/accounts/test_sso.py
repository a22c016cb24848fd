"""Pure SSO facts: PKCE, the signed login state (tamper, expiry, binding, replay), subjects, scopes, owners."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.accounts.sso import (
    CharacterToken,
    InvalidToken,
    StateRejected,
    StateSigner,
    TokenGrant,
    accept_state,
    character_id_from_subject,
    code_challenge,
    new_code_verifier,
    owner_changed,
    parse_scopes,
)

SECRET = b"k" * 32


class Clock:
    """A manual clock."""

    def __init__(self) -> None:
        self.t = 1_780_000_000.0

    def __call__(self) -> float:
        return self.t


class MemoryStates:
    """A StateStore satisfying the port in memory."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    async def consume(self, nonce: str) -> bool:
        fresh = nonce not in self.used
        self.used.add(nonce)
        return fresh


def test_pkce_matches_the_rfc_7636_example() -> None:
    assert (
        code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )
    verifier = new_code_verifier()
    assert len(verifier) == 43 and verifier != new_code_verifier()
    with pytest.raises(ValueError):
        code_challenge("too-short")


def test_state_round_trip_carries_no_user_data() -> None:
    signer = StateSigner(SECRET)
    issued = signer.issue("session-1")
    verified = signer.verify(issued.value, "session-1")
    assert verified.nonce == issued.nonce and verified.code_verifier == issued.code_verifier
    assert "session-1" not in issued.value and issued.code_verifier not in issued.value
    assert issued.code_verifier not in repr(issued) and "kkkk" not in repr(signer)
    assert code_challenge(issued.code_verifier)  # a valid PKCE verifier
    assert signer.issue("session-1").nonce != issued.nonce


@pytest.mark.parametrize("part", [1, 2, 3])
def test_tampered_state_is_rejected(part: int) -> None:
    signer = StateSigner(SECRET)
    pieces = signer.issue("session-1").value.split(".")
    if part == 2:
        pieces[2] = str(int(pieces[2]) + 3600)  # a longer life
    else:
        pieces[part] = pieces[part][:-1] + ("A" if pieces[part][-1] != "A" else "B")
    with pytest.raises(StateRejected, match="bad signature"):
        signer.verify(".".join(pieces), "session-1")


def test_state_is_bound_to_session_purpose_and_secret() -> None:
    signer = StateSigner(SECRET)
    value = signer.issue("session-1", "link-character").value
    with pytest.raises(StateRejected, match="bad signature"):
        signer.verify(value, "session-2", "link-character")
    with pytest.raises(StateRejected, match="bad signature"):
        signer.verify(value, "session-1", "login")
    with pytest.raises(StateRejected, match="bad signature"):
        StateSigner(b"x" * 32).verify(value, "session-1", "link-character")
    with pytest.raises(StateRejected, match="session"):
        signer.verify(value, "", "link-character")


def test_state_expires() -> None:
    clock = Clock()
    signer = StateSigner(SECRET, ttl_s=300, clock=clock)
    value = signer.issue("s").value
    clock.t += 299
    signer.verify(value, "s")
    clock.t += 1
    with pytest.raises(StateRejected, match="expired"):
        signer.verify(value, "s")


@pytest.mark.parametrize("value", ["", "s1", "s1.a.b.c", "s2.AAAAAAAAAAAAAAAAAAAAAAAA.1.x", "s1.short.1.x", "é" * 300])
def test_malformed_state_is_rejected(value: str) -> None:
    with pytest.raises(StateRejected, match="malformed"):
        StateSigner(SECRET).verify(value, "s")


async def test_accept_state_is_single_use() -> None:
    signer, store = StateSigner(SECRET), MemoryStates()
    value = signer.issue("s").value
    assert (await accept_state(signer, store, value, "s")).nonce in store.used
    with pytest.raises(StateRejected, match="replayed"):
        await accept_state(signer, store, value, "s")


def test_weak_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        StateSigner(b"short")


def test_subject_and_scopes() -> None:
    assert character_id_from_subject("CHARACTER:EVE:2112625428") == 2112625428
    for bad in ("CHARACTER:EVE:", "CHARACTER:EVE:-1", "CHARACTER:EVE:0", "CORPORATION:EVE:1", None, "CHARACTER:EVE:١"):
        with pytest.raises(InvalidToken):
            character_id_from_subject(bad)
    assert parse_scopes("a.v1 b.v1") == ("a.v1", "b.v1")
    assert parse_scopes(["a.v1"]) == ("a.v1",)
    assert parse_scopes(None) == ()
    with pytest.raises(InvalidToken):
        parse_scopes([1])


def test_owner_change_and_scope_check() -> None:
    token = CharacterToken(1, "Pilot", "owner-a", ("a.v1", "b.v1"), datetime.now(UTC), "login.eveonline.com")
    assert not owner_changed("owner-a", token) and owner_changed("owner-b", token)
    assert token.has_scopes(["a.v1"]) and not token.has_scopes(["a.v1", "c.v1"])
    grant = TokenGrant("access-secret", "refresh-secret", datetime.now(UTC), token)
    assert "secret" not in repr(grant)
