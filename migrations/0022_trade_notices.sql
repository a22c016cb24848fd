-- What the account's sales notices say and where they go (issue 15): 'off', 'sales' (the default once trading is
-- enabled) or 'all' (sales and buys); a target set here wins over the default (the digest's target, else the DM of
-- the latest seen chat identity).
CREATE TABLE trade_notice_preferences (
    account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    mode text NOT NULL DEFAULT 'sales' CHECK (mode IN ('off', 'sales', 'all')),
    target_platform text CHECK (target_platform ~ '^[a-z][a-z0-9_]{0,31}$'),
    target_kind text CHECK (target_kind IN ('dm', 'channel', 'chat', 'email')),
    target_address text CHECK (length(target_address) BETWEEN 1 AND 320),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((target_platform IS NULL) = (target_kind IS NULL) AND (target_kind IS NULL) = (target_address IS NULL))
);
