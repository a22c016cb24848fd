"""Composition of accounts: the token cipher, linked characters' tokens, /link services and the panel's SSO."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, cast

from evetrader.parts import Parts

if TYPE_CHECKING:  # the modules themselves load when EVE SSO is configured and used
    from adapters.crypto import TokenCipher
    from core.accounts.tokens import CharacterTokens, TokenCheck
    from core.commands.accounts import AccountServices
    from evetrader.app import App
    from web.sso import SsoWebServices


class AccountParts(Parts):
    """Accounts wiring of App (EVE SSO is configured when EVE_CLIENT_ID and ENCRYPTION_KEYS are set)."""

    def token_cipher(self) -> TokenCipher:
        """The cipher of stored refresh tokens (ENCRYPTION_KEYS)."""
        from adapters.crypto import KeyConfigError, TokenCipher

        if self.settings.encryption_keys is None:
            raise KeyConfigError("ENCRYPTION_KEYS is not set")
        return TokenCipher.from_setting(self.settings.encryption_keys.get_secret_value())

    def character_tokens(self) -> CharacterTokens | None:
        """Access tokens of linked characters on demand (one cache per process), when EVE SSO is configured."""
        if self._sso is None:
            return None
        from adapters.postgres.characters import PgCharacterStore
        from core.accounts.tokens import CharacterTokens

        if self._tokens is None:
            self._tokens = CharacterTokens(PgCharacterStore(self.pool, self.token_cipher()), self._sso)
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

    def account_services(self) -> AccountServices | None:
        """/link, /characters and /unlink's dependencies, when EVE SSO is configured."""
        if self._sso is None:
            return None
        from adapters.charts import render_profit_chart
        from adapters.esi.structures import EsiStructures
        from adapters.postgres.characters import PgCharacterStore
        from adapters.postgres.structure_markets import PgStructureMarkets
        from adapters.postgres.trader import PgTrader
        from adapters.postgres.wallet import PgWalletStore
        from adapters.redis.link_codes import RedisLinkCodes
        from core.commands.accounts import AccountServices
        from core.market.structures import StructureMarkets
        from core.trading.book import FetchingBook, FirstFetch
        from evetrader.bootstrap.scheduler import refresh_app_wallets

        characters = PgCharacterStore(self.pool, self.token_cipher())
        links = RedisLinkCodes(self.redis, self.keys)
        app = cast("App", self)
        fetch = FirstFetch(lambda ids: refresh_app_wallets(app, only=ids))
        store = PgWalletStore(self.pool)
        wallet = FetchingBook(store, fetch, render_profit_chart)
        trader = PgTrader(self.pool)
        tokens = self.character_tokens()
        structures = (
            StructureMarkets(EsiStructures(app.esi.transport), PgStructureMarkets(self.pool), tokens)
            if tokens is not None
            else None
        )
        return AccountServices(
            links, characters, self.settings.public_url, self._sso, wallet, trader, store, structures=structures
        )

    def web_services(self, signing_key: bytes | None = None) -> SsoWebServices | None:
        """The panel's EVE sign-in and /link services (None without SSO); the state key derives from `signing_key`.

        Without `signing_key` the panel's own key is loaded (SESSION_SIGNING_KEY, or the development key file).
        """
        if self._sso is None:
            return None
        from adapters.postgres.characters import PgCharacterStore
        from web.config import web_config_from_settings
        from web.sso import build_sso_web_services

        key = signing_key if signing_key is not None else web_config_from_settings(self.settings).signing_key
        characters = PgCharacterStore(self.pool, self.token_cipher())
        return build_sso_web_services(self._sso, characters, self.redis, self.keys, key)
