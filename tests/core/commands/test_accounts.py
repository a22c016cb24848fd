"""/link, /characters, /unlink: private one-time links, token health, unlink with revocation."""

from __future__ import annotations

from datetime import UTC, datetime

from core.accounts.linking import LinkedCharacter, LinkRequest
from core.accounts.sso import SsoUnavailable
from core.chat import Caller, CommandContext, Invocation, Reply, dispatch
from core.commands.default import build_registry
from core.usecases.accounts import AccountServices

REGISTRY = build_registry()
ALICE = Caller("discord", "1001", "Alice", guild_id="g", chat_id="c", account_id=5)
LINKED = datetime(2026, 11, 1, tzinfo=UTC)


class Codes:
    def __init__(self) -> None:
        self.issued: list[LinkRequest] = []

    async def issue(self, request: LinkRequest, ttl_s: int = 600) -> str:
        self.issued.append(request)
        return f"code{len(self.issued)}-abcdefghijklmnop"

    async def peek(self, code: str) -> LinkRequest | None:
        return None

    async def consume(self, code: str) -> LinkRequest | None:
        return None


class Characters:
    def __init__(self) -> None:
        self.rows = {
            5: [
                LinkedCharacter(90000001, "Trader One", ("a", "b"), "ok", None, LINKED),
                LinkedCharacter(90000002, "Hauler Two", (), "invalid", None, LINKED),
            ]
        }

    async def characters(self, account_id: int) -> list[LinkedCharacter]:
        return list(self.rows.get(account_id, []))

    async def unlink(self, account_id: int, character_id: int) -> str | None:
        mine = self.rows.get(account_id, [])
        found = [c for c in mine if c.character_id == character_id]
        if not found:
            return None
        mine.remove(found[0])
        return f"refresh-of-{character_id}"


class Revoker:
    def __init__(self, down: bool = False) -> None:
        self.revoked: list[str] = []
        self.down = down

    async def revoke(self, refresh_token: str) -> None:
        if self.down:
            raise SsoUnavailable("SSO answered 503")
        self.revoked.append(refresh_token)


async def _run(text: str, services: AccountServices | None, caller: Caller = ALICE) -> Reply:
    ctx = CommandContext(accounts=services)
    return await dispatch(REGISTRY, Invocation.from_text(text, caller), ctx)


async def test_link_replies_privately_with_a_one_time_panel_url():
    codes = Codes()
    services = AccountServices(codes, Characters(), "https://panel.example/")
    reply = await _run("/link", services)
    assert reply.ephemeral and reply.data["url"] == "https://panel.example/link/code1-abcdefghijklmnop"
    assert reply.buttons[0].url == reply.data["url"] and "10 minutes" in reply.text
    assert codes.issued == [LinkRequest("discord", "1001", 5, "Alice")]


async def test_characters_lists_token_health():
    reply = await _run("/characters", AccountServices(Codes(), Characters(), "https://p"))
    assert reply.tables[0].rows == [
        ["Trader One", "90000001", "2", "ok"],
        ["Hauler Two", "90000002", "0", "sign in again"],
    ]
    empty = await _run(
        "/characters", AccountServices(Codes(), Characters(), "https://p"), Caller("x", "2", "B", account_id=9)
    )
    assert "No characters linked" in empty.text


async def test_unlink_revokes_and_survives_sso_being_down():
    revoker, store = Revoker(), Characters()
    services = AccountServices(Codes(), store, "https://p", revoker)
    done = await _run("/unlink trader one", services)
    assert not done.is_error and revoker.revoked == ["refresh-of-90000001"]
    down = AccountServices(Codes(), store, "https://p", Revoker(down=True))
    assert not (await _run("/unlink 90000002", down)).is_error and store.rows[5] == []
    missing = await _run("/unlink Someone Else", services)
    assert missing.is_error and "not one of your characters" in missing.text


async def test_without_accounts_configured_the_commands_explain():
    reply = await _run("/link", None)
    assert reply.is_error and "not enabled" in reply.text


async def test_link_trading_sends_a_sign_in_for_the_trading_scopes_and_issues_no_code():
    codes = Codes()
    reply = await _run("/link trading", AccountServices(codes, Characters(), "https://panel.example/"))
    assert reply.ephemeral and reply.data["url"] == "https://panel.example/auth/login?scopes=trading"
    assert "esi-skills.read_skills.v1" in reply.data["scopes"] and "NPC standings" in reply.text
    assert codes.issued == []
    nobody = await _run(
        "/link trading", AccountServices(codes, Characters(), "https://p"), Caller("x", "2", "B", account_id=9)
    )
    assert nobody.is_error and "link an EVE character first" in nobody.text
    wrong = await _run("/link wallet", AccountServices(codes, Characters(), "https://p"))
    assert wrong.is_error and codes.issued == []
