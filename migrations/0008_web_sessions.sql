-- 0008: panel sign-in sessions (refresh-token families, tokens stored as SHA-256 hashes) and per-account fee settings.
CREATE TABLE web_session_families (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    revoked_reason text
);
CREATE INDEX web_session_families_account ON web_session_families (account_id);

-- Each use of a refresh token marks it used and issues a successor in the same family; presenting a used
-- token again revokes the family. Only the hash is stored.
CREATE TABLE web_refresh_tokens (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    family_id uuid NOT NULL REFERENCES web_session_families (id) ON DELETE CASCADE,
    issued_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX web_refresh_tokens_family ON web_refresh_tokens (family_id);
CREATE INDEX web_refresh_tokens_expires ON web_refresh_tokens (expires_at);

-- The fee skills and standings an account's trade maths uses (core.market.fees.TradeSkills); no row = defaults.
CREATE TABLE account_trade_settings (
    account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    accounting smallint NOT NULL DEFAULT 4 CHECK (accounting BETWEEN 0 AND 5),
    broker_relations smallint NOT NULL DEFAULT 4 CHECK (broker_relations BETWEEN 0 AND 5),
    advanced_broker_relations smallint NOT NULL DEFAULT 0 CHECK (advanced_broker_relations BETWEEN 0 AND 5),
    faction_standing numeric(4, 2) NOT NULL DEFAULT 0 CHECK (faction_standing BETWEEN -10 AND 10),
    corp_standing numeric(4, 2) NOT NULL DEFAULT 0 CHECK (corp_standing BETWEEN -10 AND 10),
    updated_at timestamptz NOT NULL DEFAULT now()
);
