"""The one SQL statement that evaluates a region's snapshot alert rules, built for the region's live quotes table.

It mirrors core/alerts/policy.py (fire, re-arm, cooldown, quiet hours) and core/alerts/values.py (margin after
fees, volume versus its 30-day average); a snoozed rule (muted_until ahead) does not fire. The live quotes
partition is read by name: a freshly swapped-in partition has no column statistics yet, and `region_id = $1` on
the parent would make the planner expect a few hundred quotes instead of the whole region and pick sorts and
merge joins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.alerts.values import SPIKE_MAX_AGE_DAYS, SPIKE_WINDOW_DAYS, FeeAssumption

_DAY = "($2::timestamptz AT TIME ZONE 'UTC')::date"  # the snapshot's UTC date

# Parameters: $1 region, $2 snapshot as_of, $3 now, $4 broker rate, $5 sales tax rate.
_EVALUATE = """
WITH rules AS (
    SELECT id, kind, type_id, location_id, side, direction, threshold, hysteresis, cooldown, armed, last_fired_at,
           muted_until
    FROM alert_rules
    WHERE region_id = $1 AND active AND kind IN ('price', 'spread', 'volume_spike')
), region_best AS (
    SELECT type_id, max(best_buy) AS best_buy, min(best_sell) AS best_sell FROM {quotes} AS all_quotes
    GROUP BY type_id
), volume_days AS (
    SELECT type_id, max(day) AS latest, {volume_columns}
    FROM market_history
    WHERE region_id = $1 AND day >= {day} - {oldest} AND day <= {day} AND type_id IN (
        SELECT type_id FROM alert_rules WHERE region_id = $1 AND active AND kind = 'volume_spike')
    GROUP BY type_id
), spikes AS (
    SELECT type_id, latest AS day, CASE latest {pick_volume} END AS volume,
           coalesce(CASE latest {pick_window} END, 0)::float8 / {window} AS avg_volume
    FROM volume_days
    WHERE latest >= {day} - {max_age}
), valued AS (
    SELECT r.*, coalesce(q.best_buy, g.best_buy) AS buy, coalesce(q.best_sell, g.best_sell) AS sell,
           s.day AS volume_day, s.volume, s.avg_volume,
           CASE r.kind
               WHEN 'price' THEN CASE r.side WHEN 'buy' THEN coalesce(q.best_buy, g.best_buy)
                                             ELSE coalesce(q.best_sell, g.best_sell) END
               WHEN 'spread' THEN CASE WHEN coalesce(q.best_buy, g.best_buy) > 0 THEN
                   (coalesce(q.best_sell, g.best_sell) * (1 - $4::float8 - $5::float8)
                    - coalesce(q.best_buy, g.best_buy) * (1 + $4::float8))
                   / (coalesce(q.best_buy, g.best_buy) * (1 + $4::float8)) * 100 END
               ELSE s.volume / nullif(s.avg_volume, 0)
           END AS value
    FROM rules r
    LEFT JOIN {quotes} q ON q.location_id = r.location_id AND q.type_id = r.type_id
    LEFT JOIN region_best g ON r.location_id IS NULL AND r.kind <> 'volume_spike' AND g.type_id = r.type_id
    LEFT JOIN spikes s ON r.kind = 'volume_spike' AND s.type_id = r.type_id
    OFFSET 0  -- keeps `value` computed once per rule instead of once per reference below
), decided AS MATERIALIZED (
    SELECT *
    FROM (
        SELECT v.*,
               v.armed AND CASE WHEN v.direction = 'below' THEN v.value < v.threshold ELSE v.value > v.threshold END
                   AND (v.last_fired_at IS NULL OR v.last_fired_at + v.cooldown <= $3::timestamptz)
                   AND (v.muted_until IS NULL OR v.muted_until <= $3::timestamptz) AS fire,
               NOT v.armed AND CASE WHEN v.direction = 'below' THEN v.value >= v.threshold + v.hysteresis
                                    ELSE v.value <= v.threshold - v.hysteresis END AS rearm
        FROM valued v
        WHERE v.value IS NOT NULL
    ) t
    WHERE fire OR rearm
), fired AS (
    SELECT d.*, a.account_id, a.target_platform, a.target_kind, a.target_address,
           CASE WHEN p.quiet_start IS NOT NULL AND CASE WHEN p.quiet_start < p.quiet_end
                    THEN l.clock >= p.quiet_start AND l.clock < p.quiet_end
                    ELSE l.clock >= p.quiet_start OR l.clock < p.quiet_end END
                THEN ((l.local::date + CASE WHEN l.clock < p.quiet_end THEN 0 ELSE 1 END) + p.quiet_end)
                     AT TIME ZONE p.timezone
           END AS not_before
    FROM decided d
    JOIN alert_rules a ON a.id = d.id AND a.id = ANY (ARRAY(SELECT id FROM decided WHERE fire))
    LEFT JOIN alert_preferences p ON p.account_id = a.account_id
    LEFT JOIN LATERAL (
        SELECT $3::timestamptz AT TIME ZONE p.timezone AS local,
               ($3::timestamptz AT TIME ZONE p.timezone)::time AS clock
    ) l ON p.quiet_start IS NOT NULL
    WHERE d.fire
), inserted AS (
    INSERT INTO alert_outbox (rule_id, account_id, idempotency_key, payload, target_platform, target_kind,
                              target_address, not_before, created_at)
    SELECT f.id, f.account_id,
           f.id || '@' || to_char($2::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           jsonb_build_object(
               'rule_id', f.id, 'account_id', f.account_id, 'kind', f.kind, 'region_id', $1::integer,
               'type_id', f.type_id, 'location_id', f.location_id, 'side', f.side, 'direction', f.direction,
               'threshold', f.threshold, 'value', f.value, 'as_of', $2::timestamptz, 'fired_at', $3::timestamptz,
               'best_buy', f.buy, 'best_sell', f.sell, 'volume', f.volume, 'avg_volume', f.avg_volume,
               'volume_day', f.volume_day),
           f.target_platform, f.target_kind, f.target_address, f.not_before, $3::timestamptz
    FROM fired f
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, idempotency_key, payload, target_platform, target_kind, target_address, not_before
), state AS (  -- fired rules disarm, re-armed ones arm; both remember the value
    UPDATE alert_rules a
    SET armed = NOT d.fire,
        last_fired_at = CASE WHEN d.fire THEN $3::timestamptz ELSE a.last_fired_at END,
        last_value = d.value
    FROM decided d
    WHERE a.id = d.id AND a.id = ANY (ARRAY(SELECT id FROM decided))
)
SELECT * FROM inserted ORDER BY id
"""


def _volume_fragments() -> dict[str, str]:
    """Per candidate latest day (the snapshot's date and up to SPIKE_MAX_AGE_DAYS before): its volume and the
    total of the SPIKE_WINDOW_DAYS before it, all in one hash aggregate (no sort, no window function)."""
    window, ages = int(SPIKE_WINDOW_DAYS), range(int(SPIKE_MAX_AGE_DAYS) + 1)
    columns = []
    for age in ages:
        columns.append(f"max(volume) FILTER (WHERE day = {_DAY} - {age}) AS volume_{age}")
        columns.append(
            f"sum(volume) FILTER (WHERE day >= {_DAY} - {age + window} AND day < {_DAY} - {age}) AS window_{age}"
        )
    return {
        "volume_columns": ",\n           ".join(columns),
        "pick_volume": " ".join(f"WHEN {_DAY} - {age} THEN volume_{age}" for age in ages),
        "pick_window": " ".join(f"WHEN {_DAY} - {age} THEN window_{age}" for age in ages),
        "oldest": str(window + max(ages)),
        "max_age": str(max(ages)),
        "window": str(window),
        "day": _DAY,
    }


_FRAGMENTS = _volume_fragments()


NO_QUOTES = "(SELECT * FROM market_quotes WHERE false)"  # before a region's first snapshot: volume rules still run


def evaluate_sql(quotes_table: str | None) -> str:
    """The evaluation statement over `quotes_table`, the region's live quotes partition (a trusted identifier)."""
    return _EVALUATE.format(quotes=quotes_table or NO_QUOTES, **_FRAGMENTS)


def evaluate_args(region_id: int, as_of: datetime, now: datetime, fees: FeeAssumption) -> tuple[Any, ...]:
    """The parameters of evaluate_sql."""
    return (region_id, as_of, now, fees.broker_rate, fees.sales_tax_rate)
