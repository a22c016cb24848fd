-- Player structures whose market the scheduler ingests with the adding character's token (issue 16).
-- A structure's book is its own partition of market_orders / market_quotes, keyed by `market_id` (from 90000001:
-- no region id reaches it) in the region_id column, so the snapshot stage, swap, advisory lock and
-- market_snapshots row work unchanged and a structure refresh never rewrites its region's partition.
CREATE SEQUENCE structure_market_ids START WITH 90000001 MINVALUE 90000001 MAXVALUE 99999999;

CREATE TABLE structure_markets (
    structure_id bigint PRIMARY KEY CHECK (structure_id > 0),
    market_id integer NOT NULL UNIQUE DEFAULT nextval('structure_market_ids'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    solar_system_id integer NOT NULL,
    region_id integer,  -- of its system in sde_systems (NULL when the SDE lacks it)
    owner_id bigint,
    type_id integer,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    character_id bigint NOT NULL REFERENCES characters (character_id) ON DELETE CASCADE,
    broker_fee double precision CHECK (broker_fee >= 0 AND broker_fee <= 0.5),  -- the owner's rate, SCC's apart
    added_at timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE structure_market_ids OWNED BY structure_markets.market_id;
CREATE INDEX structure_markets_account ON structure_markets (account_id);
CREATE UNIQUE INDEX structure_markets_lower_name ON structure_markets (lower(name));
