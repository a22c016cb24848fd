-- 0003: market data. Region order books and quotes are LIST-partitioned by region: each ingest builds
-- fresh per-region tables (market_orders_<region>_<generation>, market_quotes_<region>_<generation>) and
-- swaps them in with DROP + ATTACH PARTITION in one short transaction (adapters/postgres/snapshots.py).
CREATE SEQUENCE IF NOT EXISTS market_snapshot_generation;

CREATE TABLE IF NOT EXISTS market_orders (
    region_id integer NOT NULL,
    order_id bigint NOT NULL,
    type_id integer NOT NULL,
    location_id bigint NOT NULL,
    system_id integer,
    is_buy_order boolean NOT NULL,
    price double precision NOT NULL,
    volume_remain integer NOT NULL,
    volume_total integer NOT NULL,
    min_volume integer NOT NULL,
    duration integer NOT NULL,
    issued timestamptz NOT NULL,
    range text NOT NULL
) PARTITION BY LIST (region_id);
CREATE INDEX IF NOT EXISTS market_orders_book ON market_orders (location_id, type_id, is_buy_order, price);

CREATE TABLE IF NOT EXISTS market_quotes (
    region_id integer NOT NULL,
    location_id bigint NOT NULL,
    type_id integer NOT NULL,
    best_buy double precision,
    best_sell double precision,
    buy_volume bigint NOT NULL,
    sell_volume bigint NOT NULL,
    buy_orders integer NOT NULL,
    sell_orders integer NOT NULL,
    buy_depth bigint NOT NULL,
    sell_depth bigint NOT NULL,
    buy_percentile double precision,
    sell_percentile double precision,
    buy_top5_avg double precision,
    sell_top5_avg double precision,
    as_of timestamptz NOT NULL,
    PRIMARY KEY (region_id, location_id, type_id)
) PARTITION BY LIST (region_id);

CREATE TABLE IF NOT EXISTS market_snapshots (
    region_id integer PRIMARY KEY,
    status text NOT NULL CHECK (status IN ('ok', 'unchanged', 'failed')),
    last_modified timestamptz,
    expires timestamptz,
    etag text,
    pages integer NOT NULL DEFAULT 0,
    orders integer NOT NULL DEFAULT 0,
    quotes integer NOT NULL DEFAULT 0,
    bytes bigint NOT NULL DEFAULT 0,
    duration_s double precision NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    generation bigint
);

-- Daily history: monthly RANGE partitions (market_history_YYYYMM), created on demand before each insert
-- and ahead of time by adapters/postgres/history.py:ensure_history_partitions.
CREATE TABLE IF NOT EXISTS market_history (
    region_id integer NOT NULL,
    type_id integer NOT NULL,
    day date NOT NULL,
    average double precision NOT NULL,
    highest double precision NOT NULL,
    lowest double precision NOT NULL,
    volume bigint NOT NULL,
    order_count bigint NOT NULL,
    PRIMARY KEY (region_id, type_id, day)
) PARTITION BY RANGE (day);

CREATE TABLE IF NOT EXISTS market_history_fetches (
    region_id integer NOT NULL,
    type_id integer NOT NULL,
    etag text,
    expires timestamptz,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region_id, type_id)
);

CREATE TABLE IF NOT EXISTS watched_types (
    region_id integer NOT NULL,
    type_id integer NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region_id, type_id)
);
