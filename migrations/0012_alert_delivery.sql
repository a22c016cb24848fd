-- 0012: alert delivery. An outbox row moves pending -> queued (on its platform's Redis stream) -> sending (one
-- deliverer holds a lease) -> sent | failed | disabled, or back to pending with a later not_before (retry, 429).
-- dispatch_seq numbers the row's stream entries: the dispatcher adds entry (id, seq) at most once (a Redis marker),
-- so a dispatcher that runs twice or crashes midway never queues a row twice.
ALTER TABLE alert_outbox DROP CONSTRAINT alert_outbox_status_check;
ALTER TABLE alert_outbox ADD CONSTRAINT alert_outbox_status_check
    CHECK (status IN ('pending', 'queued', 'sending', 'sent', 'failed', 'disabled'));
ALTER TABLE alert_outbox
    ADD COLUMN dispatch_seq integer NOT NULL DEFAULT 0 CHECK (dispatch_seq >= 0),
    ADD COLUMN queued_at timestamptz,
    ADD COLUMN lease_owner text,  -- the deliverer (consumer name) sending it now
    ADD COLUMN lease_until timestamptz,  -- after this another deliverer may take the row over
    ADD COLUMN delivered_ref text;  -- the platform's id of the message shown (Discord message id, mail Message-ID)

-- The dispatcher also looks for rows stuck in queued/sending (a lost stream entry, a dead deliverer).
CREATE INDEX alert_outbox_in_flight ON alert_outbox (queued_at) WHERE status IN ('queued', 'sending');
-- Disabling a target finds the account's undelivered rows to that target.
CREATE INDEX alert_outbox_account_target ON alert_outbox (account_id, target_platform, target_address)
    WHERE status IN ('pending', 'queued');
