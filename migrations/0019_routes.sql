-- 0019: stargate routes from ESI's route endpoint, kept for good (the gate graph changes only with a patch).
-- systems: the systems visited, origin and destination included; NULL when ESI knows no route (re-asked after
-- an hour, see adapters/postgres/routes.py).
CREATE TABLE routes (
    origin_system integer NOT NULL,
    destination_system integer NOT NULL,
    preference text NOT NULL CHECK (preference IN ('Shorter', 'Safer', 'LessSecure')),
    systems integer[],
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (origin_system, destination_system, preference)
);
