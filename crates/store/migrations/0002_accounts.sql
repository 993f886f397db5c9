-- Accounts, key contacts, counterpart assignments and ratings; importance criteria with the
-- team's proposals and ratings; score history. Also an external id on people, so that a
-- re-import of an HR file finds the same people.

ALTER TABLE persons ADD COLUMN external_id TEXT;
CREATE INDEX persons_external_id ON persons (organization_id, external_id);

CREATE TABLE accounts (
    id {{id}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    unit_id BIGINT REFERENCES units (id),
    name TEXT NOT NULL,
    relation TEXT NOT NULL CHECK (relation IN ('customer', 'supplier', 'both')),
    mode TEXT NOT NULL CHECK (mode IN ('hierarchical', 'single_manager', 'jour_fixe')),
    responsible_unit_id BIGINT REFERENCES units (id),
    manager_id BIGINT REFERENCES persons (id),
    notes TEXT,
    score DOUBLE PRECISION,
    tier TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX accounts_organization ON accounts (organization_id);
CREATE UNIQUE INDEX accounts_name ON accounts (lower(name));

CREATE TABLE key_contacts (
    id {{id}},
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    role TEXT NOT NULL,
    stance TEXT NOT NULL,
    influence BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX key_contacts_account_person ON key_contacts (account_id, person_id);
CREATE INDEX key_contacts_person ON key_contacts (person_id);

-- The latest rating is kept on the assignment too, so lists and the matrix need no
-- per-row subquery.
CREATE TABLE assignments (
    id {{id}},
    partner_id BIGINT NOT NULL REFERENCES persons (id),
    our_id BIGINT NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL CHECK (kind IN ('primary', 'deputy')),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    latest_relationship BIGINT,
    latest_rated_on TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX assignments_partner ON assignments (partner_id, valid_to);
CREATE INDEX assignments_ours ON assignments (our_id, valid_to);

CREATE TABLE ratings (
    id {{id}},
    assignment_id BIGINT NOT NULL REFERENCES assignments (id),
    rated_on TEXT NOT NULL,
    relationship BIGINT NOT NULL,
    partnership BIGINT NOT NULL,
    satisfaction BIGINT NOT NULL,
    comment TEXT,
    rated_by BIGINT,
    rated_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ratings_assignment ON ratings (assignment_id, rated_on);

CREATE TABLE criteria (
    id {{id}},
    name_de TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_de TEXT NOT NULL,
    description_en TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('all', 'customer', 'supplier', 'internal')),
    weight DOUBLE PRECISION NOT NULL,
    rank BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE weight_proposals (
    criterion_id BIGINT NOT NULL REFERENCES criteria (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    weight DOUBLE PRECISION NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (criterion_id, user_id)
);

CREATE TABLE criterion_ratings (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    criterion_id BIGINT NOT NULL REFERENCES criteria (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    score BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account_id, criterion_id, user_id)
);

CREATE TABLE score_history (
    id {{id}},
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    at TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    tier TEXT NOT NULL
);
CREATE INDEX score_history_account ON score_history (account_id, at);
