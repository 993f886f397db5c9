-- The mirror: how many counterparts each of our people can hold, the users' keep/never locks
-- for suggestions, and the history of every account's mirror score (for trends), with the
-- latest score kept on the account for lists.

ALTER TABLE persons ADD COLUMN capacity BIGINT;
ALTER TABLE accounts ADD COLUMN mirror_score DOUBLE PRECISION;

CREATE TABLE counterpart_locks (
    partner_id BIGINT NOT NULL REFERENCES persons (id),
    our_id BIGINT NOT NULL REFERENCES persons (id),
    rule TEXT NOT NULL CHECK (rule IN ('keep', 'never')),
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (partner_id, our_id)
);

CREATE TABLE mirror_history (
    id {{id}},
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    at TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    coverage DOUBLE PRECISION NOT NULL,
    level_match DOUBLE PRECISION NOT NULL,
    spread DOUBLE PRECISION NOT NULL
);
CREATE INDEX mirror_history_account ON mirror_history (account_id, at);
