-- 0005: accounts and the chat identities that reach them; per-guild settings changed by server managers.
CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    default_hub text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per (platform, platform user id): a Discord user, a Telegram user, a console user, a web login.
CREATE TABLE account_identities (
    platform text NOT NULL,
    external_id text NOT NULL,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    display_name text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, external_id)
);
CREATE INDEX account_identities_account ON account_identities (account_id);

-- Settings of a Discord guild or Telegram group; only members allowed to manage it may change them.
CREATE TABLE guild_settings (
    platform text NOT NULL,
    guild_id text NOT NULL,
    default_hub text,
    ai_enabled boolean NOT NULL DEFAULT true,
    alert_channel_id text,
    updated_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, guild_id)
);
