-- 0016: linked characters' wallet transactions and journal, kept for good (ESI only serves recent ones), idempotent
-- on ESI's ids per character (both sides of a trade between two linked characters hold the same transaction id),
-- and the caching headers of each character's wallet routes. Gone with the character's link (ON DELETE CASCADE).
CREATE TABLE wallet_transactions (
    character_id bigint NOT NULL REFERENCES characters (character_id) ON DELETE CASCADE,
    transaction_id bigint NOT NULL,
    date timestamptz NOT NULL,
    type_id integer NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    unit_price double precision NOT NULL,
    is_buy boolean NOT NULL,
    location_id bigint NOT NULL,
    journal_ref_id bigint NOT NULL,
    client_id bigint NOT NULL DEFAULT 0,
    is_personal boolean NOT NULL DEFAULT true,
    PRIMARY KEY (character_id, transaction_id)
);
CREATE INDEX wallet_transactions_date ON wallet_transactions (character_id, date);

CREATE TABLE wallet_journal (
    character_id bigint NOT NULL REFERENCES characters (character_id) ON DELETE CASCADE,
    id bigint NOT NULL,
    date timestamptz NOT NULL,
    ref_type text NOT NULL,
    amount double precision NOT NULL DEFAULT 0,
    balance double precision,
    context_id bigint,
    context_id_type text,
    description text NOT NULL DEFAULT '',
    first_party_id bigint,
    second_party_id bigint,
    reason text NOT NULL DEFAULT '',
    PRIMARY KEY (character_id, id)
);
CREATE INDEX wallet_journal_fees ON wallet_journal (character_id, date)
    WHERE ref_type IN ('transaction_tax', 'brokers_fee');

CREATE TABLE wallet_fetches (
    character_id bigint NOT NULL REFERENCES characters (character_id) ON DELETE CASCADE,
    route text NOT NULL CHECK (route IN ('transactions', 'journal')),
    etag text,
    expires timestamptz,
    last_modified timestamptz,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (character_id, route)
);
