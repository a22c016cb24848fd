-- 0020: web push. One row per browser subscription (the PushSubscription a browser made with our VAPID public key):
-- the push service's endpoint URL (a capability: whoever knows it can post to that browser, so it stays here and is
-- never shown), the browser's P-256 public key (p256dh) and auth secret, both base64url as the browser gave them.
-- An alert rule or the digest targets a subscription as platform 'webpush', kind 'push', address = the row's id.
-- The push service answering 404/410 for an endpoint deletes its row (its rules are paused by the deliverer).
CREATE TABLE push_subscriptions (
    id bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    endpoint text NOT NULL UNIQUE CHECK (length(endpoint) BETWEEN 12 AND 2048),
    p256dh text NOT NULL CHECK (length(p256dh) BETWEEN 86 AND 88),  -- 65 bytes
    auth text NOT NULL CHECK (length(auth) BETWEEN 22 AND 24),  -- 16 bytes
    label text NOT NULL CHECK (length(label) BETWEEN 1 AND 80),  -- "Chrome on Linux", for the panel's list
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_subscriptions_account ON push_subscriptions (account_id);

ALTER TABLE alert_rules DROP CONSTRAINT alert_rules_target_kind_check;
ALTER TABLE alert_rules ADD CONSTRAINT alert_rules_target_kind_check
    CHECK (target_kind IN ('dm', 'channel', 'chat', 'email', 'push'));
ALTER TABLE digest_preferences DROP CONSTRAINT digest_preferences_target_kind_check;
ALTER TABLE digest_preferences ADD CONSTRAINT digest_preferences_target_kind_check
    CHECK (target_kind IN ('dm', 'channel', 'chat', 'email', 'push'));
