"""What the panel's EVE SSO pages use: SsoWebServices (built by the bootstrap) and the character helpers."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

from core.accounts.linking import LinkCodeStore, LinkedCharacter
from core.accounts.sso import SIGN_IN_SCOPES, TRADING_SCOPES, LoginStates, SsoGateway, StateSigner

if TYPE_CHECKING:
    from adapters.postgres.characters import PgCharacterStore

STATE_KEY_LABEL = b"evetrader-web/sso-login-state/v1"
STATE_TTL_S = 600  # how long a sign-in may take (the state store keeps a used nonce a minute longer)


def state_secret(signing_key: bytes) -> bytes:
    """The SSO state signing secret: HMAC-SHA256 of a fixed label under the panel's signing key (no new setting)."""
    return hmac.new(signing_key, STATE_KEY_LABEL, hashlib.sha256).digest()


@dataclass(frozen=True)
class SsoWebServices:
    """What the panel's sign-in and /link pages use: EVE SSO, login states, link codes and the character store."""

    sso: SsoGateway
    signer: StateSigner
    states: LoginStates
    link_codes: LinkCodeStore
    characters: PgCharacterStore
    scopes: tuple[str, ...] = field(default=SIGN_IN_SCOPES)  # a plain sign-in or link
    trading_scopes: tuple[str, ...] = field(default=TRADING_SCOPES)  # 'enable trading features'


SSO_SERVICES = web.AppKey("sso_services", SsoWebServices)


def character_json(character: LinkedCharacter) -> dict[str, object]:
    """A linked character as the JSON API shows it (never with a token)."""
    expires = character.access_expires_at
    return {
        "character_id": character.character_id,
        "name": character.name,
        "scopes": list(character.scopes),
        "token_status": character.token_status,
        "access_expires_at": expires.isoformat() if expires is not None else None,
        "linked_at": character.linked_at.isoformat(),
    }
