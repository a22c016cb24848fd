"""Failure categories the market use cases act on; adapters raise subclasses of these."""

from __future__ import annotations

from datetime import datetime


class SnapshotRejected(Exception):
    """A set of pages that must not become a snapshot (inconsistent or malformed); worth a bounded retry."""


class MarketSourceUnavailable(Exception):
    """The market source (ESI) could not be reached or kept failing; the live data stays as it is."""


class SourceNotReady(MarketSourceUnavailable):
    """The source's current answer is cached until `retry_at`: asking again earlier is impolite and pointless."""

    retry_at: datetime


class IngestFailed(Exception):
    """A refresh that ended without a new snapshot; the message is one line for the operator."""

    def __init__(self, region_id: int, reason: str, retry_at: datetime | None = None) -> None:
        super().__init__(f"region {region_id}: {reason}")
        self.region_id = region_id
        self.reason = reason
        self.retry_at = retry_at


class SourceNotFound(Exception):
    """The source has no such resource (e.g. history of a type never traded in a region)."""
