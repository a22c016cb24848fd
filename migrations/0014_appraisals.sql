-- 0014: shared appraisals (permalinks /a/{id}): the priced result as it was, kept until expires_at.
-- `id` is 10 random base62 characters (not guessable); `body` is the appraisal's JSON exactly as the API returns
-- it (items, totals, unparsed lines) with the prices of its time; `hub` names where it was priced and
-- `priced_at` is the age of the oldest quote used. Expired rows are hidden on read and purged by the scheduler.
CREATE TABLE appraisals (
    id text PRIMARY KEY CHECK (id ~ '^[0-9A-Za-z]{10}$'),
    hub text NOT NULL,
    priced_at timestamptz,
    body jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX appraisals_expires_at ON appraisals (expires_at);
