"""Operator commands' wiring: the stores `status`, `ingest --history`, `seed`, `admin` and `keys rotate` use.

Also the readiness probe's snapshot read. Each builder takes the opened resources and returns one store, so the
commands in evetrader/cli_actions.py, admin_commands.py and probes.py construct no adapter themselves; the
adapters' modules load only when a command asks for them (`evetrader status` stays light).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adapters.crypto import TokenCipher
    from adapters.postgres.account_settings import PgAccountSettings
    from adapters.postgres.characters import PgCharacterStore
    from adapters.postgres.history import PgHistoryStore
    from adapters.postgres.orderbook import PgOrderBookStore
    from evetrader.app import App
    from evetrader.config import Settings


def snapshot_store(app: App) -> PgOrderBookStore:
    """Every region snapshot's metadata: `evetrader status` and the readiness probe's Postgres check read it."""
    from adapters.postgres.orderbook import PgOrderBookStore

    return PgOrderBookStore(app.pool)


def history_store(app: App) -> PgHistoryStore:
    """The regions' watched types, whose history `ingest --history` and `seed` fetch."""
    from adapters.postgres.history import PgHistoryStore

    return PgHistoryStore(app.pool)


def account_roles(app: App) -> PgAccountSettings:
    """Accounts found by linked character or account id, and their panel role (`admin grant|revoke`)."""
    from adapters.postgres.account_settings import PgAccountSettings

    return PgAccountSettings(app.pool)


def rotation_cipher(settings: Settings) -> TokenCipher:
    """The cipher of ENCRYPTION_KEYS that `keys rotate` re-encrypts under (KeyConfigError when it is not set)."""
    from adapters.crypto import KeyConfigError, TokenCipher

    if settings.encryption_keys is None:
        raise KeyConfigError("ENCRYPTION_KEYS is not set: nothing to rotate to")
    return TokenCipher.from_setting(settings.encryption_keys.get_secret_value())


def character_store(app: App, cipher: TokenCipher) -> PgCharacterStore:
    """Linked characters' stored refresh tokens, read and written with `cipher` (`keys rotate`)."""
    from adapters.postgres.characters import PgCharacterStore

    return PgCharacterStore(app.pool, cipher)
