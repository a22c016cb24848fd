"""/link, /characters and /unlink: tie chat identities and EVE characters to one evetrader account."""

from __future__ import annotations

from dataclasses import dataclass

from core.accounts.linking import (
    LINK_CODE_TTL_S,
    CharacterStore,
    LinkCodeStore,
    LinkedCharacter,
    LinkRequest,
    TokenRevoker,
    unlink_character,
)
from core.accounts.sso import SCOPE_PURPOSES, TRADING_SCOPES
from core.chat.model import Button, Reply, Table
from core.chat.params import ArgumentError, Param, ParamKind
from core.chat.registry import CommandContext, Registry
from core.market.structures import StructureMarkets
from core.trading.book import WalletHistory
from core.trading.notify import NoticeSettings
from core.trading.orders import TraderStore
from core.trading.windows import MarketWindows


@dataclass(frozen=True)
class AccountServices:
    """What the account commands need: link codes, the character store, SSO revocation and the panel's URL."""

    link_codes: LinkCodeStore
    characters: CharacterStore
    public_url: str
    revoker: TokenRevoker | None = None
    wallet: WalletHistory | None = None  # the characters' stored wallets (/profit, /sales)
    trader: TraderStore | None = None  # the characters' orders, fee profiles and assets (/orders, /assets)
    notices: NoticeSettings | None = None  # what sales notices announce and where (/settings notices)
    structures: StructureMarkets | None = None  # the tracked player-structure markets (/market)
    windows: MarketWindows | None = None  # opening market windows in a character's client (/market open)


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
    code = await services.link_codes.issue(LinkRequest(caller.platform, caller.user_id, account, caller.display_name))
    url = f"{services.public_url.rstrip('/')}/link/{code}"
    minutes = LINK_CODE_TTL_S // 60
    text = (
        f"Open this link within {minutes} minutes, sign in with EVE and confirm on the page to link this chat"
        f" to your characters: {url}\nIt works once and only for you: don't share it."
    )
    buttons = [Button("Open the panel", url=url)]
    return Reply(
        title="Link your EVE characters", text=text, buttons=buttons, data={"url": url, "expires_in_s": LINK_CODE_TTL_S}
    )


async def _enable_trading(services: AccountServices, account: int) -> Reply:
    """The panel sign-in that asks EVE for the trading scopes, and what each one enables."""
    if not await services.characters.characters(account):
        raise ArgumentError("link an EVE character first: run /link, then /link trading")
    url = f"{services.public_url.rstrip('/')}/auth/login?scopes=trading"
    text = (
        f"Open {url}, sign in with the EVE character to trade with and approve the scopes EVE lists."
        " Each one enables:\n" + "\n".join(f"- {SCOPE_PURPOSES[scope]}" for scope in TRADING_SCOPES)
    )
    data = {"url": url, "scopes": list(TRADING_SCOPES)}
    return Reply(title="Enable trading features", text=text, buttons=[Button("Enable trading", url=url)], data=data)


def _health(character: LinkedCharacter) -> str:
    return {"ok": "ok", "invalid": "sign in again", "revoked": "revoked"}.get(character.token_status, "?")


async def characters(ctx: CommandContext) -> Reply:
    """List the caller's linked characters with their token health."""
    services, account = _services(ctx)
    linked = await services.characters.characters(account)
    if not linked:
        return Reply(title="Characters", text="No characters linked yet: use /link.", data={"characters": []})
    rows = [[c.name, str(c.character_id), str(len(c.scopes)), _health(c)] for c in linked]
    data = {"characters": [{"id": c.character_id, "name": c.name, "token": c.token_status} for c in linked]}
    table = Table(["Character", "ID", "Scopes", "Token"], rows, "lrrl")
    return Reply(title="Characters", tables=[table], data=data)


async def unlink(ctx: CommandContext, character: str) -> Reply:
    """Unlink one of the caller's characters (by name or id) and revoke its token at EVE SSO."""
    services, account = _services(ctx)
    wanted = " ".join(character.split()).lower()
    linked = await services.characters.characters(account)
    match = [c for c in linked if c.name.lower() == wanted or str(c.character_id) == wanted]
    if not match:
        names = ", ".join(c.name for c in linked) or "none"
        raise ArgumentError(f"character: {character!r} is not one of your characters (yours: {names})")
    if not await unlink_character(services.characters, services.revoker, account, match[0].character_id):
        raise ArgumentError(f"character: {match[0].name} was already unlinked")
    text = f"Unlinked {match[0].name}; its EVE SSO token is revoked."
    return Reply(title="Characters", text=text, data={"unlinked": match[0].character_id})


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
