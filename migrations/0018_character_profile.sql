-- A linked character's skills, NPC standings and assets as ESI last reported them (issue 15), replaced whole on
-- each fetch, and the caching headers of each route so a fetch happens only once ESI's cache has expired.
CREATE TABLE character_skills (
    character_id bigint NOT NULL REFERENCES characters (character_id) ON DELETE CASCADE,
    skill_id integer NOT NULL,
    active_level smallint NOT NULL CHECK (active_level BETWEEN 0 AND 5),
    trained_level smallint NOT NULL CHECK (trained_level BETWEEN 0 AND 5),
    PRIMARY KEY (character_id, skill_id)
);

CREATE TABLE character_standings (
    character_id bigint NOT NULL REFERENCES characters (character_id) ON DELETE CASCADE,
    from_id bigint NOT NULL,
    from_type text NOT NULL CHECK (from_type IN ('agent', 'npc_corp', 'faction')),
    standing double precision NOT NULL CHECK (standing BETWEEN -10 AND 10),
    PRIMARY KEY (character_id, from_id)
);

CREATE TABLE character_assets (
    character_id bigint NOT NULL REFERENCES characters (character_id) ON DELETE CASCADE,
    item_id bigint NOT NULL,
    type_id integer NOT NULL,
    quantity integer NOT NULL,
    location_id bigint NOT NULL,
    location_type text NOT NULL,
    location_flag text NOT NULL,
    is_singleton boolean NOT NULL,
    is_blueprint_copy boolean NOT NULL DEFAULT false,
    PRIMARY KEY (character_id, item_id)
);

CREATE TABLE character_fetches (
    character_id bigint NOT NULL REFERENCES characters (character_id) ON DELETE CASCADE,
    route text NOT NULL CHECK (route IN ('skills', 'standings', 'assets')),
    etag text,
    expires timestamptz,
    last_modified timestamptz,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (character_id, route)
);
