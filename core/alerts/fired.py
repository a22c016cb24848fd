"""A fired alert: what crossed, its value, the snapshot it came from, where it goes, and its outbox payload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.alerts.model import AlertKind, AlertTarget, Direction, Side


def _optional_float(value: Any) -> float | None:
    """JSON turns 4.0 into 4: numbers come back as floats, missing ones as None."""
    return None if value is None else float(value)


_STANDARD = frozenset(
    {"rule_id", "account_id", "kind", "region_id", "type_id", "location_id", "side", "direction", "threshold"}
    | {"value", "as_of", "fired_at", "best_buy", "best_sell", "volume", "avg_volume", "volume_day"}
)


@dataclass(frozen=True)
class FiredAlert:
    """One alert written to the outbox: what crossed, the value, the snapshot it came from and where it goes."""

    outbox_id: int
    idempotency_key: str
    rule_id: int
    account_id: int
    kind: AlertKind
    region_id: int
    type_id: int | None
    location_id: int | None
    side: Side | None
    direction: Direction
    threshold: float
    value: float
    as_of: datetime
    fired_at: datetime
    target: AlertTarget
    deliver_after: datetime | None = None  # quiet hours: the outbox row waits until then
    best_buy: float | None = None
    best_sell: float | None = None
    volume: int | None = None
    avg_volume: float | None = None
    volume_day: date | None = None
    details: Mapping[str, Any] = field(default_factory=dict)  # kind-specific extras (an order alert's event, ticks)

    def payload(self) -> dict[str, Any]:
        """The JSON the outbox stores (everything but the outbox id, key, target and delivery time)."""
        return {
            "rule_id": self.rule_id,
            "account_id": self.account_id,
            "kind": self.kind.value,
            "region_id": self.region_id,
            "type_id": self.type_id,
            "location_id": self.location_id,
            "side": self.side.value if self.side else None,
            "direction": self.direction.value,
            "threshold": self.threshold,
            "value": self.value,
            "as_of": self.as_of.isoformat(),
            "fired_at": self.fired_at.isoformat(),
            "best_buy": self.best_buy,
            "best_sell": self.best_sell,
            "volume": self.volume,
            "avg_volume": self.avg_volume,
            "volume_day": self.volume_day.isoformat() if self.volume_day else None,
        } | dict(self.details)

    @classmethod
    def from_outbox(
        cls,
        outbox_id: int,
        key: str,
        payload: Mapping[str, Any],
        target: AlertTarget,
        deliver_after: datetime | None = None,
    ) -> FiredAlert:
        """Rebuild a fired alert from an outbox row (its payload as written by payload() or the evaluator)."""
        side, day = payload.get("side"), payload.get("volume_day")
        return cls(
            outbox_id=outbox_id,
            idempotency_key=key,
            rule_id=int(payload["rule_id"]),
            account_id=int(payload["account_id"]),
            kind=AlertKind(payload["kind"]),
            region_id=int(payload["region_id"]),
            type_id=payload.get("type_id"),
            location_id=payload.get("location_id"),
            side=Side(side) if side else None,
            direction=Direction(payload["direction"]),
            threshold=float(payload["threshold"]),
            value=float(payload["value"]),
            as_of=datetime.fromisoformat(payload["as_of"]),
            fired_at=datetime.fromisoformat(payload["fired_at"]),
            target=target,
            deliver_after=deliver_after,
            best_buy=_optional_float(payload.get("best_buy")),
            best_sell=_optional_float(payload.get("best_sell")),
            volume=payload.get("volume"),
            avg_volume=_optional_float(payload.get("avg_volume")),
            volume_day=date.fromisoformat(day) if day else None,
            details={name: value for name, value in payload.items() if name not in _STANDARD},
        )
