"""Accounts wiring: the token cipher, linked characters' tokens, /link services and the panel's EVE sign-in.

EVE SSO is configured when EVE_CLIENT_ID and ENCRYPTION_KEYS are set; without it every builder here returns None.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the modules themselves load when EVE SSO is configured and used
    import asyncpg
    import redis.asyncio as aioredis

    from adapters.crypto import TokenCipher
    from adapters.esi.transport import EsiTransport
    from adapters.redis.keys import RedisKeys
    from adapters.sso import SsoClient
    from core.accounts.tokens import CharacterTokens, TokenCheck
    from core.usecases.accounts import AccountServices
    from evetrader.config import Settings
    from web.sso import SsoWebServices

WalletRefresh = Callable[[Collection[int]], Awaitable[object]]  # refresh these characters' wallets now


class Accounts:
    """Builds the accounts' services from the opened resources; keeps one token cache per process."""

    def __init__(
        self,
        settings: Settings,
        pool: asyncpg.Pool,
        redis: aioredis.Redis,
        keys: RedisKeys,
        sso: SsoClient | None,
        transport: EsiTransport,
    ) -> None:
        self.settings, self.pool, self.redis, self.keys = settings, pool, redis, keys
        self.sso, self.transport = sso, transport
        self._tokens: CharacterTokens | None = None

    def token_cipher(self) -> TokenCipher:
        """The cipher of stored refresh tokens (ENCRYPTION_KEYS)."""
        from adapters.crypto import KeyConfigError, TokenCipher

        if self.settings.encryption_keys is None:
            raise KeyConfigError("ENCRYPTION_KEYS is not set")
        return TokenCipher.from_setting(self.settings.encryption_keys.get_secret_value())

    def character_tokens(self) -> CharacterTokens | None:
        """Access tokens of linked characters on demand (one cache per process), when EVE SSO is configured."""
        if self.sso is None:
            return None
        from adapters.postgres.characters import PgCharacterStore
        from core.accounts.tokens import CharacterTokens

        if self._tokens is None:
            self._tokens = CharacterTokens(PgCharacterStore(self.pool, self.token_cipher()), self.sso)
        return self._tokens

    async def check_character_tokens(self, older_than: timedelta = timedelta(hours=12)) -> TokenCheck | None:
        """Refresh tokens not checked for a while, so token health is current (no-op without EVE SSO)."""
        from adapters.postgres.characters import PgCharacterStore
        from core.accounts.tokens import check_tokens

        tokens = self.character_tokens()
        if tokens is None:
            return None
        stale = await PgCharacterStore(self.pool, self.token_cipher()).stale_tokens(older_than)
        return await check_tokens(tokens, stale)

    def account_services(self, refresh_wallets: WalletRefresh) -> AccountServices | None:
        """/link, /characters and /unlink's dependencies, when EVE SSO is configured; a wallet never fetched is
        fetched first with `refresh_wallets`."""
        if self.sso is None:
            return None
        from adapters.charts import render_profit_chart
        from adapters.esi.structures import EsiStructures
        from adapters.esi.ui import EsiUi
        from adapters.postgres.characters import PgCharacterStore
        from adapters.postgres.profile import PgCharacterProfiles
        from adapters.postgres.structure_markets import PgStructureMarkets
        from adapters.postgres.trader import PgTrader
        from adapters.postgres.wallet import PgWalletStore
        from adapters.redis.link_codes import RedisLinkCodes
        from core.trading.book import FetchingBook, FirstFetch
        from core.trading.windows import MarketWindows
        from core.usecases.accounts import AccountServices
        from core.usecases.structures import StructureMarkets
        from evetrader.config import PLATFORM_NAMES

        characters = PgCharacterStore(self.pool, self.token_cipher())
        links = RedisLinkCodes(self.redis, self.keys)
        store = PgWalletStore(self.pool, PLATFORM_NAMES)
        wallet = FetchingBook(store, FirstFetch(refresh_wallets), render_profit_chart)
        trader = PgTrader(self.pool)
        tokens = self.character_tokens()
        structures = (
            StructureMarkets(EsiStructures(self.transport), PgStructureMarkets(self.pool), tokens)
            if tokens is not None
            else None
        )
        windows = MarketWindows(PgCharacterProfiles(self.pool), tokens, EsiUi(self.transport)) if tokens else None
        return AccountServices(
            links,
            characters,
            self.settings.public_url,
            self.sso,
            wallet,
            trader,
            store,
            structures=structures,
            windows=windows,
        )

    def web_services(self, signing_key: bytes | None = None) -> SsoWebServices | None:
        """The panel's EVE sign-in and /link services (None without SSO); the state key derives from `signing_key`.

        Without `signing_key` the panel's own key is loaded (SESSION_SIGNING_KEY, or the development key file).
        """
        if self.sso is None:
            return None
        from adapters.postgres.characters import PgCharacterStore
        from evetrader.bootstrap.web import sso_web_services
        from web.config import web_config_from_settings

        key = signing_key if signing_key is not None else web_config_from_settings(self.settings).signing_key
        characters = PgCharacterStore(self.pool, self.token_cipher())
        return sso_web_services(self.sso, characters, self.redis, self.keys, key)
