-- 0004: CCP's average and adjusted prices (GET /markets/prices), the fallback for thin markets in appraisals.
CREATE TABLE market_prices (
    type_id integer PRIMARY KEY,
    average_price double precision,
    adjusted_price double precision,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE market_prices_fetches (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    etag text,
    expires timestamptz,
    fetched_at timestamptz NOT NULL DEFAULT now()
);
