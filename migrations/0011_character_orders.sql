-- 0011: the last seen orders of linked characters, with their per-order alert state, and the caching headers of
-- each character's ESI order routes (ETag, Expires, Last-Modified), so no process refetches before Expires.
CREATE TABLE character_order_fetches (
    character_id bigint NOT NULL REFERENCES characters (character_id) ON DELETE CASCADE,
    route text NOT NULL CHECK (route IN ('orders', 'history')),
    etag text,
    expires timestamptz,
    last_modified timestamptz,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (character_id, route)
);

CREATE TABLE character_orders (
    character_id bigint NOT NULL REFERENCES characters (character_id) ON DELETE CASCADE,
    order_id bigint NOT NULL,
    type_id integer NOT NULL,
    region_id integer NOT NULL,
    location_id bigint NOT NULL,
    is_buy_order boolean NOT NULL,
    price double precision NOT NULL,
    volume_remain integer NOT NULL,
    volume_total integer NOT NULL,
    issued timestamptz NOT NULL,
    duration integer NOT NULL,
    status text NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'gone', 'filled', 'cancelled', 'expired', 'closed')),
    on_top boolean,  -- NULL: never compared with a public book
    best_competitor double precision,
    last_notified timestamptz,
    expiring_notified boolean NOT NULL DEFAULT false,
    gone_since timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (character_id, order_id)
);
-- Closed orders are kept a while for "filled" lookups, then pruned by the refresh job.
CREATE INDEX character_orders_closed ON character_orders (updated_at) WHERE status NOT IN ('open', 'gone');
