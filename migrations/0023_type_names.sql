-- 0023: item names in the other client languages (de, es, fr, ja, ko, ru, zh) from the SDE, so pastes and
-- lookups from those clients resolve. Replaced wholesale by each import like the other sde_* tables; only names
-- that differ from the English one are kept.
CREATE TABLE sde_type_names (
    type_id integer NOT NULL,
    language text NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (type_id, language)
);
CREATE INDEX sde_type_names_lower_name_idx ON sde_type_names (lower(name) text_pattern_ops);
