"""Alert delivery policy: what a send's outcome means (sent, wait, retry later, give up, disable the target), the
text of an outbox row, the notice that tells a user a target stopped working, and the ports delivery needs.

A row is shown at most once: a deliverer takes a lease on it before sending and marks it sent (conditionally, as
the lease holder) before acknowledging its stream entry; a redelivered entry of a row already sent is only acked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from core.alerts.fired import FiredAlert
from core.alerts.message import alert_buttons, alert_message
from core.alerts.model import SNAPSHOT_KINDS, AlertTarget, RuleError, TargetKind
from core.alerts.rules import ORDER_KINDS
from core.chat.model import Button

ItemNames = Callable[[int], str | None]  # type id -> item name (the catalog's), None when unknown
OpenCheck = Callable[[int], Awaitable[bool]]  # account id -> whether one of its characters may open windows in game
StructureNames = Callable[[Collection[int]], Awaitable[Mapping[int, str]]]  # tracked structures' names by id
MARKET_ITEM_KINDS = SNAPSHOT_KINDS | ORDER_KINDS  # alerts about one market item: they get an "Open in game" button


# ---- what a send did ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Delivered:
    """The platform took the message; `ref` is its id there (message id, Message-ID)."""

    ref: str | None = None


@dataclass(frozen=True)
class RateLimited:
    """The platform said 429: try again after `retry_after` seconds."""

    retry_after: float
    reason: str = "rate limited"


@dataclass(frozen=True)
class TransientFailure:
    """A failure worth retrying (network, timeout, 5xx)."""

    reason: str


@dataclass(frozen=True)
class TargetGone:
    """The target cannot take messages any more (bot blocked, channel deleted, mailbox refused): words for the user."""

    reason: str


@dataclass(frozen=True)
class Rejected:
    """The platform refused this message for good (a bad request): give it up, keep the target."""

    reason: str


SendOutcome = Delivered | RateLimited | TransientFailure | TargetGone | Rejected


# ---- what to do about it -----------------------------------------------------------------------------------------
class Action(StrEnum):
    """The next step for an outbox row after one send."""

    SENT = "sent"  # mark it sent
    WAIT = "wait"  # sleep `wait_s` (a short 429) and send again while holding the lease
    RETRY = "retry"  # back to pending until `retry_at`
    FAIL = "fail"  # give up on this row
    DISABLE = "disable"  # the target is gone: disable it, pause its rules, tell the user elsewhere


@dataclass(frozen=True)
class RetryPolicy:
    """How long to back off and how often to try before a row fails."""

    max_attempts: int = 8
    base_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(hours=1)
    max_inline_wait_s: float = 30.0  # a 429 asking for at most this long is waited out in place
    max_inline_waits: int = 2


DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class Decision:
    """What to do with a row after a send."""

    action: Action
    error: str | None = None
    wait_s: float = 0.0
    retry_at: datetime | None = None
    ref: str | None = None


def backoff(attempts: int, policy: RetryPolicy = DEFAULT_RETRY) -> timedelta:
    """The wait before attempt `attempts + 1`: base * 2^(attempts - 1), capped."""
    exponent = min(max(attempts, 1) - 1, 30)
    wait: timedelta = policy.base_backoff * (2**exponent)
    return min(wait, policy.max_backoff)


def decide(
    outcome: SendOutcome, attempts: int, now: datetime, policy: RetryPolicy = DEFAULT_RETRY, inline_waits: int = 0
) -> Decision:
    """The next step after a send; `attempts` counts this one, `inline_waits` the 429s already waited out in place.

    429s never exhaust the attempts (the platform asked us to slow down, nothing is wrong with the message).
    """
    if isinstance(outcome, Delivered):
        return Decision(Action.SENT, ref=outcome.ref)
    if isinstance(outcome, RateLimited):
        wait = max(0.0, outcome.retry_after)
        if wait <= policy.max_inline_wait_s and inline_waits < policy.max_inline_waits:
            return Decision(Action.WAIT, error=outcome.reason, wait_s=wait)
        return Decision(Action.RETRY, error=outcome.reason, retry_at=now + timedelta(seconds=max(wait, 1.0)))
    if isinstance(outcome, TargetGone):
        return Decision(Action.DISABLE, error=outcome.reason)
    if isinstance(outcome, Rejected):
        return Decision(Action.FAIL, error=outcome.reason)
    if attempts >= policy.max_attempts:
        return Decision(Action.FAIL, error=f"{outcome.reason} (gave up after {attempts} attempts)")
    return Decision(Action.RETRY, error=outcome.reason, retry_at=now + backoff(attempts, policy))


# ---- what is sent ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutboxMessage:
    """An outbox row a deliverer holds the lease of."""

    outbox_id: int
    idempotency_key: str
    account_id: int
    rule_id: int | None
    payload: Mapping[str, Any]
    target: AlertTarget
    attempts: int

    @property
    def is_notice(self) -> bool:
        """Whether this row tells the user about a disabled target (a notice never causes another notice)."""
        return "notice" in self.payload


@dataclass(frozen=True)
class AlertText:
    """A message ready for any platform: a subject (e-mail; the title of a chat alert), the plain text, a nonce
    stable per outbox row, and the buttons a chat platform shows under a fired alert (snooze, pause, remove)."""

    subject: str
    body: str
    nonce: str  # platforms that deduplicate resends (Discord's enforce_nonce) get the same value on every attempt
    buttons: tuple[Button, ...] = ()


def nonce_for(outbox_id: int) -> str:
    """The nonce of an outbox row's message (Discord allows up to 25 characters)."""
    return f"evt-alert-{outbox_id}"


def compose(
    message: OutboxMessage,
    names: ItemNames | None,
    now: datetime,
    open_in_game: bool = False,
    structures: Mapping[int, str] | None = None,
) -> AlertText:
    """The text of a row: a notice, a producer's pre-rendered `text` (digests, sales notices), or a fired alert's
    message (with "Open in game" buttons for its items when `open_in_game`: the account has a character allowed to;
    a structure named from `structures`, by id)."""
    payload, nonce = message.payload, nonce_for(message.outbox_id)
    if "notice" in payload:
        return AlertText("EVE Trader: alert delivery paused", str(payload["notice"]), nonce)
    if "text" in payload:
        buttons = window_buttons(payload.get("type_ids"), names) if open_in_game else ()
        return AlertText(str(payload.get("subject") or "EVE Trader alert"), str(payload["text"]), nonce, buttons)
    try:
        alert = FiredAlert.from_outbox(message.outbox_id, message.idempotency_key, payload, message.target)
    except (KeyError, TypeError, ValueError):
        kind = str(payload.get("kind") or "an").replace("_", " ")
        return AlertText("EVE Trader alert", f"Your {kind} alert fired.", nonce)
    found = names(alert.type_id) if names is not None and alert.type_id is not None else None
    item = found or (f"type {alert.type_id}" if alert.type_id is not None else "your item")
    subject = f"EVE Trader alert: {item} {alert.kind.value.replace('_', ' ')}"
    item_window = alert.type_id if open_in_game and alert.kind in MARKET_ITEM_KINDS else None
    body = alert_message(alert, item, now, structures=structures)
    return AlertText(subject, body, nonce, alert_buttons(alert.rule_id, item_window))


def window_buttons(type_ids: object, names: ItemNames | None) -> tuple[Button, ...]:
    """Buttons opening the market of a pre-rendered row's `type_ids` in game (a sales notice's items; rows written
    before they were stored, or holding anything else there, get none): one item's is "Open in game", several named."""
    if not isinstance(type_ids, list) or not all(isinstance(t, int) and not isinstance(t, bool) for t in type_ids):
        return ()
    if len(type_ids) == 1:
        return (Button("Open in game", action=f"market open {type_ids[0]}"),)
    named = [((names(t) if names is not None else None) or f"type {t}", t) for t in type_ids[:3]]
    return tuple(Button(f"Open {name[:40]}", action=f"market open {t}") for name, t in named)


# ---- telling the user a target stopped working --------------------------------------------------------------------
@dataclass(frozen=True)
class Notice:
    """An outbox row to write when a target is disabled: where it goes and its payload (idempotent by key)."""

    target: AlertTarget
    idempotency_key: str
    payload: dict[str, Any] = field(default_factory=dict)


def identity_targets(identities: Iterable[tuple[str, str]], platforms: Collection[str]) -> list[AlertTarget]:
    """The direct-message targets of an account's chat identities (platform, user id) on deliverable platforms."""
    found: list[AlertTarget] = []
    for platform, external_id in identities:
        if platform in platforms:
            try:
                found.append(AlertTarget(platform, TargetKind.DM, external_id))
            except RuleError:
                continue
    return found


def same_place(one: AlertTarget, other: AlertTarget) -> bool:
    """Whether two targets reach the same place (a Telegram private chat is both the user's DM and a chat)."""
    return one.platform == other.platform and one.address == other.address


def notice_target(
    failed: AlertTarget, candidates: Sequence[AlertTarget], platforms: Collection[str]
) -> AlertTarget | None:
    """The first candidate somewhere else than the failed target, on a platform we can deliver to."""
    for candidate in candidates:
        if candidate.platform in platforms and not same_place(candidate, failed):
            return candidate
    return None


def describe_target(target: AlertTarget) -> str:
    """A target in words: "your Telegram chat 4242", "Discord channel 123", "e-mail to a@b.c"."""
    platform = target.platform.capitalize()
    if target.kind is TargetKind.EMAIL:
        return f"e-mail to {target.address}"
    if target.kind is TargetKind.PUSH:
        return f"browser notifications (subscription {target.address})"
    if target.kind is TargetKind.DM:
        return f"your {platform} direct messages"
    return f"{platform} {target.kind.value} {target.address}"


def build_notice(
    message: OutboxMessage, reason: str, candidates: Sequence[AlertTarget], platforms: Collection[str]
) -> Notice | None:
    """The notice for a disabled target, or None (no other target, or the failed row was itself a notice)."""
    if message.is_notice:
        return None
    target = notice_target(message.target, candidates, platforms)
    if target is None:
        return None
    text = (
        f"Alerts to {describe_target(message.target)} are paused: {reason}. The alert rules that deliver there were"
        " paused; fix the cause, then resume them with /alert resume."
    )
    return Notice(target, f"notice:{message.outbox_id}", {"notice": text, "account_id": message.account_id})


# ---- ports -------------------------------------------------------------------------------------------------------
class ClaimState(StrEnum):
    """What taking the lease on a row found."""

    CLAIMED = "claimed"  # ours to send
    DONE = "done"  # nothing to send now (sent, failed, disabled, rescheduled, gone): ack the entry
    BUSY = "busy"  # another deliverer holds a live lease: leave the entry pending


@dataclass(frozen=True)
class Claim:
    """The result of OutboxStore.begin_send."""

    state: ClaimState
    message: OutboxMessage | None = None


class OutboxStore(Protocol):
    """The outbox rows as a deliverer sees them; every change is conditional on holding the row's lease."""

    async def begin_send(self, outbox_id: int, owner: str, lease: timedelta) -> Claim:
        """Take the lease on a due row (counting an attempt), or say why not."""
        ...

    async def mark_sent(self, outbox_id: int, owner: str, ref: str | None) -> bool:
        """Record the delivery; False when the lease was lost."""
        ...

    async def retry_later(self, outbox_id: int, owner: str, at: datetime, error: str | None) -> bool:
        """Put the row back to pending until `at`."""
        ...

    async def mark_failed(self, outbox_id: int, owner: str, error: str | None) -> bool:
        """Give the row up."""
        ...

    async def notice_candidates(self, account_id: int, platforms: Collection[str]) -> list[AlertTarget]:
        """Where else the account can be reached: its chat identities' DMs, then its active rules' targets."""
        ...

    async def disable_target(self, outbox_id: int, owner: str, error: str | None, notice: Notice | None) -> bool:
        """In one transaction: disable the row, pause the account's rules and drop its undelivered rows to that
        target, and write the notice (once); False when the lease was lost."""
        ...


class AlertSender(Protocol):
    """Sends alert texts on one platform and translates its errors into outcomes (never raises for them)."""

    platform: str

    async def send(self, target: AlertTarget, text: AlertText) -> SendOutcome:
        """Send one message to `target`."""
        ...


@dataclass(frozen=True)
class QueuedEntry:
    """One stream entry: its id and the outbox row it stands for."""

    entry_id: str
    outbox_id: int


class DeliveryQueue(Protocol):
    """A platform's delivery stream as a consumer-group member sees it."""

    async def ensure_group(self) -> None:
        """Create the stream and group if missing."""
        ...

    async def reclaim(self, consumer: str, count: int = 10) -> list[QueuedEntry]:
        """Take over entries other (dead) consumers left unacknowledged for longer than the idle time."""
        ...

    async def read(self, consumer: str, count: int = 10, block_ms: int = 2000) -> list[QueuedEntry]:
        """New entries for this consumer (waits up to `block_ms` when there are none)."""
        ...

    async def ack(self, entry_id: str) -> None:
        """Acknowledge an entry."""
        ...
