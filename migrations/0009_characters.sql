-- 0009: EVE characters linked to accounts through EVE SSO; refresh tokens only as AES-256-GCM ciphertext.
CREATE TABLE characters (
    character_id bigint PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name text NOT NULL,
    owner_hash text NOT NULL,
    scopes text[] NOT NULL DEFAULT '{}',
    refresh_token_enc text,  -- TokenCipher output: key id + nonce + ciphertext; NULL once revoked or invalid
    access_expires_at timestamptz,
    token_status text NOT NULL DEFAULT 'ok' CHECK (token_status IN ('ok', 'invalid', 'revoked')),
    token_checked_at timestamptz,
    linked_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX characters_account ON characters (account_id);
