-- 0002: static data (SDE). Replaced wholesale by each import (adapters/sde), so no foreign keys:
-- an import deletes and re-inserts every row in one transaction.
-- lower(name) indexes use text_pattern_ops so both `=` and prefix `LIKE 'jit%'` lookups can use them.
CREATE TABLE sde_categories (
    category_id integer PRIMARY KEY,
    name text NOT NULL,
    published boolean NOT NULL DEFAULT false
);

CREATE TABLE sde_groups (
    group_id integer PRIMARY KEY,
    category_id integer NOT NULL,
    name text NOT NULL,
    published boolean NOT NULL DEFAULT false
);

CREATE TABLE sde_market_groups (
    market_group_id integer PRIMARY KEY,
    parent_id integer,
    name text NOT NULL,
    has_types boolean NOT NULL DEFAULT false
);
CREATE INDEX sde_market_groups_parent_idx ON sde_market_groups (parent_id);

CREATE TABLE sde_types (
    type_id integer PRIMARY KEY,
    name text NOT NULL,
    group_id integer NOT NULL,
    category_id integer,
    market_group_id integer,
    volume double precision,
    packaged_volume double precision,
    portion_size integer NOT NULL DEFAULT 1,
    base_price double precision,
    published boolean NOT NULL DEFAULT false
);
CREATE INDEX sde_types_lower_name_idx ON sde_types (lower(name) text_pattern_ops);
CREATE INDEX sde_types_market_group_idx ON sde_types (market_group_id);
CREATE INDEX sde_types_group_idx ON sde_types (group_id);

CREATE TABLE sde_regions (
    region_id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE INDEX sde_regions_lower_name_idx ON sde_regions (lower(name) text_pattern_ops);

CREATE TABLE sde_constellations (
    constellation_id integer PRIMARY KEY,
    region_id integer NOT NULL,
    name text NOT NULL
);

CREATE TABLE sde_systems (
    system_id integer PRIMARY KEY,
    constellation_id integer NOT NULL,
    region_id integer NOT NULL,
    name text NOT NULL,
    security double precision NOT NULL
);
CREATE INDEX sde_systems_region_idx ON sde_systems (region_id);
CREATE INDEX sde_systems_lower_name_idx ON sde_systems (lower(name) text_pattern_ops);

CREATE TABLE sde_stations (
    station_id bigint PRIMARY KEY,
    system_id integer NOT NULL,
    region_id integer NOT NULL,
    name text NOT NULL,
    owner_id integer,
    type_id integer
);
CREATE INDEX sde_stations_region_idx ON sde_stations (region_id);
CREATE INDEX sde_stations_system_idx ON sde_stations (system_id);
CREATE INDEX sde_stations_lower_name_idx ON sde_stations (lower(name) text_pattern_ops);

CREATE TABLE sde_imports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text NOT NULL,
    build text,
    imported_at timestamptz NOT NULL DEFAULT now(),
    counts jsonb NOT NULL
);
