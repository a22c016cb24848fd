-- 0013: one e-mail address per account for alerts, usable only once verified through a link mailed to it.
-- `address` is the verified address (alerts go there); `pending_address` waits for its link, so changing the
-- address keeps the verified one working until the new one is confirmed. Only the SHA-256 of a link's token is
-- stored; a token works once and until token_expires_at. mails_sent counts verification mails since
-- mail_window_start (a per-account cap, so the panel cannot be used to flood someone else's mailbox); removing
-- the address clears it but keeps the row, so remove-and-add again does not reset that count.
CREATE TABLE account_emails (
    account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    address text CHECK (length(address) BETWEEN 3 AND 254),
    verified_at timestamptz,
    pending_address text CHECK (length(pending_address) BETWEEN 3 AND 254),
    token_hash bytea UNIQUE CHECK (length(token_hash) = 32),
    token_expires_at timestamptz,
    last_mail_at timestamptz,
    mails_sent integer NOT NULL DEFAULT 0 CHECK (mails_sent >= 0),
    mail_window_start timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((address IS NULL) = (verified_at IS NULL)),
    CHECK ((pending_address IS NULL) = (token_hash IS NULL) AND (token_hash IS NULL) = (token_expires_at IS NULL))
);
