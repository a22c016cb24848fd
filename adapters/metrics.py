"""Prometheus metrics of command calls (count, latency, outcome per platform and command) and alert delivery."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

COMMANDS = Counter(
    "evetrader_commands_total", "Command calls by platform, command and outcome", ["platform", "command", "outcome"]
)
LATENCY = Histogram(
    "evetrader_command_seconds",
    "Command latency by platform and command",
    ["platform", "command"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


DELIVERIES = Counter(
    "evetrader_alert_deliveries_total",
    "Alert send attempts by platform and outcome (sent, retry, disable, fail)",
    ["platform", "outcome"],
)
OUTBOX_LAG = Gauge(
    "evetrader_outbox_lag_seconds", "Age of the oldest due alert not yet delivered (0: none), seen by the dispatcher"
)
REGION_DATA_AGE = Gauge(
    "evetrader_region_data_age_seconds",
    "Seconds since the last-modified time of each region's live order-book snapshot, seen at the last probe",
    ["region_id"],
)


class PrometheusCommandObserver:
    """CommandObserver that counts calls and records their latency."""

    def observe(self, platform: str, command: str, outcome: str, seconds: float) -> None:
        """Record one finished call."""
        COMMANDS.labels(platform, command, outcome).inc()
        LATENCY.labels(platform, command).observe(seconds)
