-- 0001: bootstrap. Later migrations add the static-data, market and ESI-state tables.
CREATE TABLE IF NOT EXISTS app_meta (
    key text PRIMARY KEY,
    value jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
