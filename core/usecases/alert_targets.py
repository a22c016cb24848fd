"""Where a chat caller's alert goes: their DM, the channel (managers only), their verified e-mail, or - from a
front end that cannot receive one later (the console, the web panel) - the account's latest chat DM, else e-mail.

A terminal shows nothing once the command has returned, so an alert or digest set up from `evetrader chat` goes to
the account's most recently used chat (a Discord or Telegram DM) or, failing that, its verified e-mail address; with
neither, the error says how to link one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from core.accounts.email import VerifiedAddresses
from core.accounts.preferences import MANAGER_ROLES
from core.alerts.model import AlertTarget, TargetKind
from core.chat.model import Caller
from core.chat.params import ArgumentError

NO_DIRECT_MESSAGES = frozenset({"console", "web"})  # identities that cannot receive a message later


class Identity(Protocol):
    """One identity of an account (adapters.postgres.account_settings.LinkedIdentity)."""

    @property
    def platform(self) -> str:
        """Its platform ("discord", "telegram", "console", ...)."""
        ...

    @property
    def external_id(self) -> str:
        """The user id on that platform."""
        ...


class AccountIdentities(Protocol):
    """The identities that reach an account, most recently seen first."""

    async def identities(self, account_id: int) -> Sequence[Identity]:
        """The account's identities, most recently seen first."""
        ...


class TargetSources(Protocol):
    """What choosing a target reads (core.usecases.alerts.AlertServices has it)."""

    @property
    def emails(self) -> VerifiedAddresses | None:
        """Verified account addresses; None when this server sends no mail."""
        ...

    @property
    def panel_url(self) -> str:
        """PUBLIC_URL, where an address is verified ("" when unknown)."""
        ...

    @property
    def identities(self) -> AccountIdentities | None:
        """The account's chat identities (for a console caller's alerts)."""
        ...


def dm_target(caller: Caller) -> AlertTarget:
    """The caller's private chat (for Telegram the private chat id is the user id)."""
    return AlertTarget(caller.platform, TargetKind.DM, caller.user_id)


def here_target(caller: Caller) -> AlertTarget:
    """The current channel or group, for managers only; in a private chat, the private chat."""
    if caller.is_dm or not caller.chat_id:
        return dm_target(caller)
    if not caller.roles & MANAGER_ROLES:
        raise ArgumentError("only members who can manage this server or group may send alerts here; leave out 'here'")
    kind = TargetKind.CHANNEL if caller.guild_id else TargetKind.CHAT
    return AlertTarget(caller.platform, kind, caller.chat_id)


def can_receive(caller: Caller) -> bool:
    """Whether a message can reach the caller later on their own platform."""
    return caller.platform not in NO_DIRECT_MESSAGES


async def linked_chat(identities: AccountIdentities | None, account_id: int) -> AlertTarget | None:
    """The DM of the account's most recently used chat identity, or None."""
    if identities is None:
        return None
    for identity in await identities.identities(account_id):
        if identity.platform not in NO_DIRECT_MESSAGES:
            return AlertTarget(identity.platform, TargetKind.DM, identity.external_id)
    return None


def nowhere_to_send(caller: Caller, panel_url: str, mail: bool) -> ArgumentError:
    """The error for a caller whose account has no chat or e-mail to send alerts to: how to add one."""
    panel = f"{panel_url.rstrip('/')}/settings" if panel_url else "the web panel's settings page"
    mail_step = f", or verify an e-mail address at {panel} and add `mail`" if mail else ""
    return ArgumentError(
        f"the {caller.platform} cannot show alerts later: link a chat first (run /link here and"
        f" /link in Discord or Telegram, signing in with the same EVE character){mail_step}"
    )


async def personal_target(sources: TargetSources, account_id: int, caller: Caller) -> AlertTarget:
    """The caller's DM; from the console, the account's latest chat DM or verified e-mail (an error when neither)."""
    if can_receive(caller):
        return dm_target(caller)
    if (chat := await linked_chat(sources.identities, account_id)) is not None:
        return chat
    address = await sources.emails.verified_address(account_id) if sources.emails is not None else None
    if address is not None:
        return AlertTarget("email", TargetKind.EMAIL, address)
    raise nowhere_to_send(caller, sources.panel_url, sources.emails is not None)


async def mail_target(sources: TargetSources, account_id: int) -> AlertTarget:
    """The account's verified e-mail address; ArgumentError when mail is off here or no address is verified."""
    if sources.emails is None:
        raise ArgumentError("e-mail alerts are not enabled on this server")
    address = await sources.emails.verified_address(account_id)
    if address is None:
        panel = f"{sources.panel_url.rstrip('/')}/settings" if sources.panel_url else "the web panel's settings page"
        raise ArgumentError(f"verify an address on the panel first: {panel}")
    return AlertTarget("email", TargetKind.EMAIL, address)


async def choose_target(sources: TargetSources, account_id: int, caller: Caller, wanted: str) -> AlertTarget:
    """The target a chat caller asked for: "mail", "here" (this channel, managers only) or "dm" (personal_target)."""
    if wanted == "mail":
        return await mail_target(sources, account_id)
    if wanted == "here" and can_receive(caller):
        return here_target(caller)
    return await personal_target(sources, account_id, caller)
