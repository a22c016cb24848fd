-- 0007: alert rules, per-account alert preferences and the alert outbox. Snapshot rules (price, spread,
-- volume_spike) are evaluated set-wise after each region snapshot swap (adapters/postgres/alerts_eval.py);
-- the order and digest kinds are accepted by the schema for later (they need linked characters).
CREATE TABLE alert_rules (
    id bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('price', 'spread', 'volume_spike', 'order_undercut', 'order_filled',
                                       'order_expiring', 'daily_digest')),
    type_id integer CHECK (type_id > 0),
    region_id integer NOT NULL CHECK (region_id > 0),
    location_id bigint CHECK (location_id > 0),  -- a station (a hub's); NULL: the region's best over all locations
    side text CHECK (side IN ('buy', 'sell')),
    direction text NOT NULL DEFAULT 'above' CHECK (direction IN ('above', 'below')),
    threshold double precision NOT NULL CHECK (threshold >= 0 AND threshold < 'Infinity'),
    hysteresis double precision NOT NULL DEFAULT 0 CHECK (hysteresis >= 0 AND hysteresis <= threshold),
    cooldown interval NOT NULL DEFAULT '1 hour' CHECK (cooldown >= '0' AND cooldown <= '7 days'),
    target_platform text NOT NULL CHECK (target_platform ~ '^[a-z][a-z0-9_]{0,31}$'),
    target_kind text NOT NULL CHECK (target_kind IN ('dm', 'channel', 'chat', 'email')),
    target_address text NOT NULL CHECK (length(target_address) BETWEEN 1 AND 320),
    active boolean NOT NULL DEFAULT true,
    armed boolean NOT NULL DEFAULT true,  -- hysteresis state: false after firing until the value leaves the band
    last_fired_at timestamptz,
    last_value double precision,  -- the value at the last state change (fire or re-arm)
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (kind NOT IN ('price', 'spread', 'volume_spike') OR type_id IS NOT NULL),
    CHECK ((kind = 'price') = (side IS NOT NULL) OR kind NOT IN ('price', 'spread', 'volume_spike')),
    CHECK (kind <> 'volume_spike' OR location_id IS NULL)
) WITH (fillfactor = 85);  -- room on each page for HOT updates of the evaluation state
-- The evaluator reads every active snapshot rule of one region.
CREATE INDEX alert_rules_evaluate ON alert_rules (region_id, kind) WHERE active;
CREATE INDEX alert_rules_account ON alert_rules (account_id);

-- Absent row: UTC, no quiet hours, 25 rules (core.alerts.rules.DEFAULT_MAX_RULES).
CREATE TABLE alert_preferences (
    account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    timezone text NOT NULL DEFAULT 'UTC',
    quiet_start time,
    quiet_end time,
    max_rules integer NOT NULL DEFAULT 25 CHECK (max_rules BETWEEN 0 AND 10000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((quiet_start IS NULL) = (quiet_end IS NULL)),
    CHECK (quiet_start IS DISTINCT FROM quiet_end OR quiet_start IS NULL)
);

-- One row per fired alert; delivery (Redis stream per platform) picks pending rows whose not_before has passed.
-- Quiet hours defer: not_before is the end of the account's quiet hours.
CREATE TABLE alert_outbox (
    id bigserial PRIMARY KEY,
    rule_id bigint REFERENCES alert_rules (id) ON DELETE SET NULL,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    idempotency_key text NOT NULL UNIQUE,  -- '<rule id>@<snapshot as_of, UTC>'
    payload jsonb NOT NULL,
    target_platform text NOT NULL,
    target_kind text NOT NULL,
    target_address text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'disabled')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    not_before timestamptz,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz
);
CREATE INDEX alert_outbox_pending ON alert_outbox (target_platform, not_before) WHERE status = 'pending';
CREATE INDEX alert_outbox_rule ON alert_outbox (rule_id);
