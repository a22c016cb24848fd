"""Where a personal alert goes when the caller's own platform cannot receive one (the console, the web panel).

A terminal shows nothing once the command has returned, so an alert or digest set up from `evetrader chat` goes to
the account's most recently used chat (a Discord or Telegram DM) or, failing that, its verified e-mail address; with
neither, the reply says how to link one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from core.accounts.email import mask_address
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


def describe_target(target: AlertTarget, caller: Caller) -> str:
    """Where an alert goes, in words."""
    if target.kind is TargetKind.DM:
        mine = target.platform == caller.platform and target.address == caller.user_id
        return "your DM" if mine else describe_elsewhere(target)
    if target.kind is TargetKind.EMAIL:
        return f"your e-mail ({mask_address(target.address)})"
    return f"{target.kind.value} {target.address} ({target.platform})"


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


def describe_elsewhere(target: AlertTarget) -> str:
    """A target reached from another platform, in words: "your Telegram DMs"."""
    return f"your {target.platform.capitalize()} DMs" if target.kind is TargetKind.DM else target.platform
