-- 0006: AI analyst usage (one row per /analyze or /ask answer: provider, model, tokens, latency, cost, outcome)
-- and daily quota counters per account and per guild (UTC days).
CREATE TABLE ai_usage (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    command text NOT NULL,
    platform text NOT NULL,
    account_id bigint REFERENCES accounts (id) ON DELETE SET NULL,
    guild_id text,
    provider text NOT NULL,
    model text NOT NULL,
    input_tokens integer NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
    output_tokens integer NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
    latency_ms integer NOT NULL DEFAULT 0 CHECK (latency_ms >= 0),
    cached boolean NOT NULL,
    cost_usd numeric(14, 6),  -- NULL: the model has no known price (unknown, not free)
    tool_calls integer NOT NULL DEFAULT 0,
    outcome text NOT NULL
        CHECK (outcome IN ('answered', 'cached', 'failed', 'timeout', 'over_quota', 'not_configured'))
);
CREATE INDEX ai_usage_at ON ai_usage (at);
CREATE INDEX ai_usage_account_at ON ai_usage (account_id, at);

-- Answers taken today by one account (scope 'account') or one guild (scope 'guild', id "platform:guild").
CREATE TABLE ai_quota_usage (
    scope text NOT NULL CHECK (scope IN ('account', 'guild')),
    scope_id text NOT NULL,
    day date NOT NULL,
    used integer NOT NULL DEFAULT 0 CHECK (used >= 0),
    PRIMARY KEY (scope, scope_id, day)
);
