"""Access-token validation: signature by the JWKS key matching kid and alg, then iss, aud, exp and EVE claims."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

import jwt
from jwt.exceptions import ExpiredSignatureError, InvalidSignatureError, PyJWTError

from adapters.sso.jwks import ACCEPTED_ALGORITHMS, JwksCache
from core.accounts.sso import (
    EVE_AUDIENCE,
    CharacterToken,
    InvalidToken,
    character_id_from_subject,
    parse_scopes,
)

MAX_TOKEN_CHARS = 16_384


class TokenValidator:
    """Turns an EVE SSO access token into a CharacterToken, or raises InvalidToken (never echoing the token)."""

    def __init__(self, jwks: JwksCache, client_id: str, issuers: Collection[str], *, leeway_s: float = 10.0) -> None:
        self._jwks = jwks
        self.client_id = client_id
        self.issuers = frozenset(issuers)
        self.leeway_s = leeway_s

    async def validate(self, access_token: str) -> CharacterToken:
        """Validate signature and claims; the character the token speaks for."""
        if not isinstance(access_token, str) or not access_token or len(access_token) > MAX_TOKEN_CHARS:
            raise InvalidToken("token is empty or too long")
        try:
            header = jwt.get_unverified_header(access_token)
        except PyJWTError:
            raise InvalidToken("token is not a JWT") from None
        alg, kid = header.get("alg"), header.get("kid")
        if alg not in ACCEPTED_ALGORITHMS:
            raise InvalidToken("token algorithm is not accepted (RS256 or ES256 only)")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("token names no signing key (kid)")
        key = await self._jwks.key(kid, alg)
        try:
            claims = jwt.decode(
                access_token,
                key.key,
                algorithms=[alg],
                leeway=self.leeway_s,
                options={"verify_aud": False, "verify_iss": False, "require": ["exp", "sub", "iss", "aud"]},
            )
        except ExpiredSignatureError:
            raise InvalidToken("token has expired") from None
        except InvalidSignatureError:
            raise InvalidToken("token signature does not verify") from None
        except PyJWTError as exc:
            raise InvalidToken(f"token is invalid ({type(exc).__name__})") from None
        return self._character(claims)

    def _character(self, claims: dict[str, object]) -> CharacterToken:
        issuer = claims.get("iss")
        if not isinstance(issuer, str) or issuer not in self.issuers:
            raise InvalidToken("token issuer is not EVE SSO")
        audience = claims.get("aud")
        audiences = [audience] if isinstance(audience, str) else audience
        if not isinstance(audiences, list) or self.client_id not in audiences or EVE_AUDIENCE not in audiences:
            raise InvalidToken("token audience must contain this application's client id and 'EVE Online'")
        name, owner, exp = claims.get("name"), claims.get("owner"), claims.get("exp")
        if not isinstance(name, str) or not name or not isinstance(owner, str) or not owner:
            raise InvalidToken("token lacks the character name or owner hash")
        if not isinstance(exp, int | float):
            raise InvalidToken("token exp is not a number")
        return CharacterToken(
            character_id=character_id_from_subject(claims.get("sub")),
            name=name,
            owner_hash=owner,
            scopes=parse_scopes(claims.get("scp")),
            expires_at=datetime.fromtimestamp(exp, UTC),
            issuer=issuer,
        )
