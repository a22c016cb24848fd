"""What one request knows about its browser: the signed-in session (if any) and cookies to set on the way out."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.accounts.sessions import ROLE_ADMIN


@dataclass(frozen=True)
class Session:
    """A signed-in account as the access token says (the role is re-read from Postgres for admin checks)."""

    account_id: int
    role: str
    family_id: str

    @property
    def is_admin(self) -> bool:
        """True when the token was issued to an admin."""
        return self.role == ROLE_ADMIN


@dataclass
class RequestAuth:
    """Per-request authentication state, and cookie changes the response must carry."""

    session: Session | None
    browser_id: str
    set_cookies: dict[str, tuple[str, int]] = field(default_factory=dict)
    delete_cookies: set[str] = field(default_factory=set)

    @property
    def csrf_binding(self) -> str:
        """What the CSRF token is bound to: the session family when signed in, else the browser id."""
        return self.session.family_id if self.session is not None else "anon:" + self.browser_id
