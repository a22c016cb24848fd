"""/link, /characters and /unlink: tie chat identities and EVE characters to one evetrader account."""

from __future__ import annotations

from core.accounts.linking import LinkRequest
from core.chat.model import Button, Reply, Table
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.usecases import accounts as usecases
from core.usecases.accounts import AccountServices


def _services(ctx: CommandContext) -> tuple[AccountServices, int]:
    services = ctx.accounts
    if not isinstance(services, AccountServices):
        raise ArgumentError("character linking is not enabled on this evetrader (no web panel / EVE SSO configured)")
    if ctx.caller.account_id is None:
        raise ArgumentError("your account is not available right now; try again shortly")
    return services, ctx.caller.account_id


async def link(ctx: CommandContext, feature: str | None = None) -> Reply:
    """Reply privately with a one-time panel link that ties this chat identity to the caller's account.

    `/link trading` instead sends the caller to sign in again with the trading scopes for a character.
    """
    services, account = _services(ctx)
    if feature == "trading":
        return await _enable_trading(services, account)
    caller = ctx.caller
    started = await usecases.start_link(
        services, LinkRequest(caller.platform, caller.user_id, account, caller.display_name)
    )
    text = (
        f"Open this link within {started.expires_in_s // 60} minutes, sign in with EVE and confirm on the page to link"
        f" this chat to your characters: {started.url}\nIt works once and only for you: don't share it."
    )
    buttons = [Button("Open the panel", url=started.url)]
    return Reply(title="Link your EVE characters", text=text, buttons=buttons, data=started.as_data())


async def _enable_trading(services: AccountServices, account: int) -> Reply:
    """The panel sign-in that asks EVE for the trading scopes, and what each one enables."""
    sign_in = await usecases.enable_trading(services, account)
    text = (
        f"Open {sign_in.url}, sign in with the EVE character to trade with and approve the scopes EVE lists."
        " Each one enables:\n" + "\n".join(f"- {purpose}" for _, purpose in sign_in.scopes)
    )
    buttons = [Button("Enable trading", url=sign_in.url)]
    return Reply(title="Enable trading features", text=text, buttons=buttons, data=sign_in.as_data())


async def characters(ctx: CommandContext) -> Reply:
    """List the caller's linked characters with their token health."""
    services, account = _services(ctx)
    linked = await usecases.list_characters(services.characters, account)
    if not linked.characters:
        return Reply(title="Characters", text="No characters linked yet: use /link.", data=linked.as_data())
    rows = [
        [c.character.name, str(c.character.character_id), str(len(c.character.scopes)), c.health]
        for c in linked.characters
    ]
    table = Table(["Character", "ID", "Scopes", "Token"], rows, "lrrl")
    return Reply(title="Characters", tables=[table], data=linked.as_data())


async def unlink(ctx: CommandContext, character: str) -> Reply:
    """Unlink one of the caller's characters (by name or id) and revoke its token at EVE SSO."""
    services, account = _services(ctx)
    done = await usecases.unlink_own_character(services.characters, services.revoker, account, character)
    text = f"Unlinked {done.name}; its EVE SSO token is revoked."
    return Reply(title="Characters", text=text, data={"unlinked": done.character_id})


def register_account_commands(registry: Registry) -> None:
    """Add /link, /characters and /unlink (private: a one-time link, the caller's characters)."""
    feature = Param(
        "feature", "trading: grant a character the trading scopes", ParamKind.CHOICE, False, choices=("trading",)
    )
    registry.command(
        "link",
        "Link this chat and your EVE characters to your evetrader account",
        feature,
        examples=["/link", "/link trading"],
        private=True,
    )(link)
    registry.command("characters", "Your linked EVE characters", private=True)(characters)
    name = Param("character", "Character name or id")
    examples = ["/unlink Trader One"]
    registry.command("unlink", "Unlink one of your EVE characters", name, examples=examples, private=True)(unlink)
