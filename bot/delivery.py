"""An alert deliverer, one per platform (the bot runs its chat platforms', the worker e-mail and web push): it
consumes that platform's stream, leases each outbox row, sends it, records the outcome and only then acks (at least
once on the stream, at most once on screen)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Collection, Mapping
from datetime import UTC, datetime, timedelta

from adapters.metrics import DELIVERIES
from core.alerts.delivery import (
    DEFAULT_RETRY,
    Action,
    AlertSender,
    AlertText,
    ClaimState,
    Decision,
    DeliveryQueue,
    ItemNames,
    OpenCheck,
    OutboxMessage,
    OutboxStore,
    QueuedEntry,
    RetryPolicy,
    SendOutcome,
    StructureNames,
    TransientFailure,
    build_notice,
    compose,
    decide,
)
from core.market.structures import MIN_STRUCTURE_ID
from core.outage import Backoff, Throttle, pause

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=120)  # longer than a send with its in-place 429 waits; shorter than the reclaim idle time


def consumer_name(platform: str) -> str:
    """A consumer name unique to this process (host and pid)."""
    return f"{platform}-{socket.gethostname()}-{os.getpid()}"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DeliveryWorker:
    """Delivers one platform's alerts: reclaimed entries first, then new ones; each leased, sent, recorded, acked."""

    def __init__(
        self,
        queue: DeliveryQueue,
        outbox: OutboxStore,
        sender: AlertSender,
        *,
        consumer: str | None = None,
        names: ItemNames | None = None,
        can_open: OpenCheck | None = None,
        structures: StructureNames | None = None,
        notice_platforms: Collection[str] = (),
        policy: RetryPolicy = DEFAULT_RETRY,
        lease: timedelta = LEASE,
        clock: Callable[[], datetime] = _utc_now,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.queue, self.outbox, self.sender = queue, outbox, sender
        self.consumer = consumer or consumer_name(sender.platform)
        self.names, self.can_open, self.structures = names, can_open, structures
        self.notice_platforms = frozenset(notice_platforms) | {sender.platform}
        self.policy, self.lease, self._clock, self._sleep = policy, lease, clock, sleep
        self._unrecorded: dict[int, str | None] = {}  # sent, but marking it sent failed: never send these again
        self._group_ready = False

    @property
    def group_joined(self) -> bool:
        """Whether this worker has joined its stream's consumer group (since its last failed round)."""
        return self._group_ready

    async def run(self, stop: asyncio.Event, block_ms: int = 2000) -> None:
        """Deliver until `stop` is set (an error in one round is logged, then the loop goes on)."""
        log.info("alert delivery started", extra={"platform": self.sender.platform, "consumer": self.consumer})
        backoff, throttle = Backoff(), Throttle()  # Redis or Postgres away: capped, jittered retries; a log a minute
        while not stop.is_set():
            try:
                await self.process_once(block_ms)
                backoff.reset()
            except Exception:
                if throttle.ready():
                    log.exception("alert delivery round failed", extra={"platform": self.sender.platform})
                self._group_ready = False  # a Redis that lost the stream needs the group again
                await pause(stop, backoff.next())

    async def process_once(self, block_ms: int = 0) -> int:
        """Handle the entries dead consumers left behind, then new ones (waiting up to `block_ms`); how many."""
        if not self._group_ready:
            await self.queue.ensure_group()
            self._group_ready = True
        entries = await self.queue.reclaim(self.consumer)
        entries += await self.queue.read(self.consumer, block_ms=block_ms)
        for entry in entries:
            await self.handle(entry)
        return len(entries)

    async def handle(self, entry: QueuedEntry) -> None:
        """Deliver one entry's row unless that already happened; ack unless another deliverer is on it."""
        outbox_id = entry.outbox_id
        if outbox_id in self._unrecorded:
            await self.outbox.mark_sent(outbox_id, self.consumer, self._unrecorded[outbox_id])  # False: lease lost
            self._unrecorded.pop(outbox_id)
            await self.queue.ack(entry.entry_id)
            return
        claim = await self.outbox.begin_send(outbox_id, self.consumer, self.lease)
        if claim.state is ClaimState.BUSY:
            return  # a live deliverer holds the lease: the entry stays pending and is looked at again later
        if claim.message is not None:
            decision = await self.deliver(claim.message)
            await self.record(claim.message, decision)
        await self.queue.ack(entry.entry_id)

    async def deliver(self, message: OutboxMessage) -> Decision:
        """Send the row's text, waiting out short 429s in place; the decision about what happened."""
        structures = await self._structure_names(message)
        text = compose(message, self.names, self._clock(), await self._open_in_game(message), structures)
        waits = 0
        while True:
            outcome = await self._send(message, text)
            decision = decide(outcome, message.attempts, self._clock(), self.policy, waits)
            if decision.action is not Action.WAIT:
                return decision
            log.info("alert send rate limited", extra={"platform": self.sender.platform, "wait_s": decision.wait_s})
            await self._sleep(decision.wait_s)
            waits += 1

    async def _open_in_game(self, message: OutboxMessage) -> bool:
        """Whether the row's account has a character allowed to open windows (an unanswered check: no button)."""
        if (
            self.can_open is None
            or message.is_notice
            or ("text" in message.payload and not message.payload.get("type_ids"))
        ):
            return False  # no item to open: digests, old sales notices
        try:
            return await self.can_open(message.account_id)
        except Exception:
            log.warning("open-in-game check failed", extra={"outbox_id": message.outbox_id}, exc_info=True)
            return False

    async def _structure_names(self, message: OutboxMessage) -> Mapping[int, str]:
        """The name of the structure a fired alert is at, by id (none for a hub, a region, or an unanswered lookup:
        the alert then names the id)."""
        location = message.payload.get("location_id")
        if self.structures is None or not isinstance(location, int) or location < MIN_STRUCTURE_ID:
            return {}
        try:
            return await self.structures([location])
        except Exception:
            log.warning("structure name lookup failed", extra={"outbox_id": message.outbox_id}, exc_info=True)
            return {}

    async def _send(self, message: OutboxMessage, text: AlertText) -> SendOutcome:
        try:
            return await self.sender.send(message.target, text)
        except Exception as exc:  # a sender bug must not stop the worker: retry with backoff
            log.exception("alert sender raised", extra={"platform": self.sender.platform})
            return TransientFailure(f"unexpected {type(exc).__name__}")

    async def record(self, message: OutboxMessage, decision: Decision) -> None:
        """Write the decision to the outbox (conditional on our lease)."""
        outbox_id, owner = message.outbox_id, self.consumer
        DELIVERIES.labels(self.sender.platform, decision.action.value).inc()
        if decision.action is Action.SENT:
            try:
                await self.outbox.mark_sent(outbox_id, owner, decision.ref)
            except Exception:
                self._unrecorded[outbox_id] = decision.ref
                raise
        elif decision.action is Action.RETRY:
            assert decision.retry_at is not None
            await self.outbox.retry_later(outbox_id, owner, decision.retry_at, decision.error)
        elif decision.action is Action.DISABLE:
            await self._disable(message, decision.error or "the platform refused it")
        else:
            await self.outbox.mark_failed(outbox_id, owner, decision.error)
            log.warning("alert given up", extra={"outbox_id": outbox_id, "platform": self.sender.platform})

    async def _disable(self, message: OutboxMessage, reason: str) -> None:
        platforms = self.notice_platforms
        candidates = [] if message.is_notice else await self.outbox.notice_candidates(message.account_id, platforms)
        notice = build_notice(message, reason, candidates, platforms)
        await self.outbox.disable_target(message.outbox_id, self.consumer, reason, notice)
        log.warning(
            "alert target disabled",
            extra={"outbox_id": message.outbox_id, "platform": self.sender.platform, "notice": notice is not None},
        )
