-- 0010: per-account watchlists (items whose prices the daily digest reports) and daily digest preferences.
CREATE TABLE watchlist (
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    type_id integer NOT NULL CHECK (type_id > 0),
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, type_id)
);

-- Absent row: no digest. The hour is local to the account's time zone (alert_preferences.timezone, else UTC);
-- the digest goes to the chat identity that turned it on. last_sent_on is that time zone's date of the latest
-- digest; its outbox row's idempotency key is 'digest:<account>:<date>', so a digest is written once a day.
CREATE TABLE digest_preferences (
    account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    enabled boolean NOT NULL DEFAULT true,
    hour smallint NOT NULL DEFAULT 8 CHECK (hour BETWEEN 0 AND 23),
    target_platform text NOT NULL CHECK (target_platform ~ '^[a-z][a-z0-9_]{0,31}$'),
    target_kind text NOT NULL CHECK (target_kind IN ('dm', 'channel', 'chat', 'email')),
    target_address text NOT NULL CHECK (length(target_address) BETWEEN 1 AND 320),
    last_sent_on date,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX digest_preferences_enabled ON digest_preferences (hour) WHERE enabled;
