"""Shared by the open-in-game tests: the ESI and SSO fakes, linked characters in Postgres with real tokens, and the
MarketWindows use case over them, as the bot process wires it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from adapters.crypto import TokenCipher
from adapters.esi.settings import EsiSettings
from adapters.esi.transport import EsiTransport
from adapters.esi.ui import EsiUi
from adapters.postgres.accounts import PgIdentityStore
from adapters.postgres.characters import PgCharacterStore
from adapters.postgres.profile import PgCharacterProfiles
from adapters.sso.client import SsoClient
from core.accounts.sso import SCOPE_OPEN_WINDOW, SCOPE_WALLET
from core.accounts.tokens import CharacterTokens
from core.alerts.delivery import AlertText, OutboxMessage, compose
from core.alerts.model import AlertTarget
from core.chat.model import Caller
from core.trading.windows import MarketWindows
from core.usecases.accounts import AccountServices
from fakes.esi import EsiFake
from fakes.esi.characters import TokenRefused, character_market, trust_sso
from fakes.esi.ui import opened
from fakes.sso import SsoFake
from fakes.sso.state import FakeCharacter, IssuedRefresh

JOE, ANN, BOB = 90000031, 90000032, 90000033  # Joe and Ann may open windows; Bob only reads his wallet
PEOPLE = (
    FakeCharacter(JOE, "Joe Trader", "owner-joe"),
    FakeCharacter(ANN, "Ann Hauler", "owner-ann"),
    FakeCharacter(BOB, "Bob Reader", "owner-bob"),
)
WINDOW_SCOPES, READ_SCOPES = [SCOPE_OPEN_WINDOW, SCOPE_WALLET], [SCOPE_WALLET]


def sales_notice(account_id: int, target: AlertTarget, type_ids: list[int] | None, open_in_game: bool) -> AlertText:
    """What delivery sends for a sales notice's outbox row about `type_ids` (None: a row written before notices
    named their items), `open_in_game` when the account has a character allowed to open windows."""
    payload: dict[str, Any] = {"subject": "Sales", "text": "Joe Trader: Sold 3 × Tritanium for 15 in Jita"}
    if type_ids is not None:
        payload["type_ids"] = type_ids
    row = OutboxMessage(2, "sales:1:1-1:1", account_id, None, payload, target, 1)
    return compose(row, {34: "Tritanium", 35: "Pyerite"}.get, datetime.now(UTC), open_in_game)


@dataclass
class GameWorld:
    """The fakes, the character store and the use case the bot's /market open runs."""

    esi: EsiFake
    sso: SsoFake
    sso_client: SsoClient
    characters: PgCharacterStore
    windows: MarketWindows
    pool: asyncpg.Pool

    def opened(self) -> list[tuple[int, int]]:
        """(character id, type id) of every market window the ESI fake opened."""
        return opened(self.esi)

    def accounts(self) -> AccountServices:
        """The account services a command context carries (only /market open's part is real)."""
        return AccountServices(None, self.characters, "http://panel.invalid", windows=self.windows)  # type: ignore[arg-type]

    async def link(self, owner: Caller, character_id: int, scopes: Sequence[str]) -> int:
        """Link the character to the owner's account (made on first sight, as the gateway would) with a real
        refresh token granting `scopes`; the account id."""
        account = await PgIdentityStore(self.pool).account_for(owner)
        refresh = self.sso.ledger.new_refresh_token(IssuedRefresh(character_id, list(scopes)))
        grant = await self.sso_client.refresh(refresh)
        await self.characters.link(grant.character, grant.refresh_token, browser_account=account)
        return account

    def esi_refuses_tokens(self) -> None:
        """ESI answers 401 to every token from now on (however fresh)."""

        def refuse(token: str) -> dict[str, object]:
            raise TokenRefused(401, "authorization not valid")

        character_market(self.esi).verify = refuse

    def expire_logins(self) -> None:
        """EVE SSO forgets every refresh token (the player revoked the app, or it lapsed): refreshing is refused."""
        self.sso.ledger.refresh_tokens.clear()


@asynccontextmanager
async def game_world(pool: asyncpg.Pool) -> AsyncIterator[GameWorld]:
    """Start the ESI and SSO fakes and the clients the bot process uses against them."""
    async with EsiFake(regions={10000002: 1}) as esi, SsoFake(characters=list(PEOPLE)) as sso:
        trust_sso(esi, sso)
        sso_client = SsoClient(sso.base_url, sso.client_id, sso.client_secret, sso.redirect_uri)
        transport = EsiTransport(
            EsiSettings(esi.base_url, user_agent="evetrader-tests/1", compatibility_date="2020-01-01", max_attempts=1)
        )
        await sso_client.start()
        await transport.start()
        try:
            characters = PgCharacterStore(pool, TokenCipher.from_setting(TokenCipher.new_key_entry("k1")))
            tokens = CharacterTokens(characters, sso_client)
            windows = MarketWindows(PgCharacterProfiles(pool), tokens, EsiUi(transport))
            yield GameWorld(esi, sso, sso_client, characters, windows, pool)
        finally:
            await transport.close()
            await sso_client.close()
