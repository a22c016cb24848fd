"""`evetrader admin grant|revoke`: give or take the panel's admin role by EVE character id or account id."""

from __future__ import annotations

from core.accounts.sessions import ROLE_ADMIN, ROLE_USER
from evetrader.app import App
from evetrader.config import Settings


class AdminTargetError(ValueError):
    """The id names no linked character and no account, or the change is refused; one line for the operator."""


async def set_admin(settings: Settings, number: int, *, admin: bool) -> str:
    """Grant (or revoke) admin to the account of a linked EVE character id, else of an account id; a summary."""
    from adapters.postgres.account_settings import LastAdminError
    from evetrader.bootstrap.operator import account_roles

    async with App(settings) as ctx:
        await ctx.prepare_schema()
        accounts = account_roles(ctx)
        found = await accounts.account_of(number)
        if found is None:
            raise AdminTargetError(
                f"no linked EVE character and no account has id {number} (a character must sign in to the panel"
                " once first; or list it in ADMIN_CHARACTER_IDS)"
            )
        account_id, via_character = found
        try:
            await accounts.set_role(account_id, ROLE_ADMIN if admin else ROLE_USER)
        except LastAdminError:
            raise AdminTargetError(f"account {account_id} is the last admin: grant another account first") from None
    named = f"account {account_id} (character {number})" if via_character else f"account {account_id}"
    if admin:
        return f"{named} is now an admin"
    note = ""
    if number in settings.admin_character_ids:
        note = f"; character {number} is in ADMIN_CHARACTER_IDS: remove it there or its next sign-in makes it admin"
    return f"{named} is no longer an admin{note}"
