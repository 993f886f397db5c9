-- The contact log: a meeting, call, e-mail, visit or event with a partner person, when, and
-- what it was about; logged by a user, who of ours was there (the person that user is).
CREATE TABLE interactions (
    id {{id}},
    partner_id BIGINT NOT NULL REFERENCES persons (id),
    account_id BIGINT REFERENCES accounts (id),
    kind TEXT NOT NULL CHECK (kind IN ('meeting', 'call', 'email', 'visit', 'event')),
    happened_on TEXT NOT NULL,
    summary TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users (id),
    author_person_id BIGINT REFERENCES persons (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX interactions_partner ON interactions (partner_id, happened_on);
CREATE INDEX interactions_account ON interactions (account_id, happened_on);
