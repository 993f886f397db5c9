-- What our people learn about the people at customers, suppliers and neighbouring departments
-- (the brief's needs, satisfaction, future ideas, current developments and environment),
-- about a partner person, an account, or both. A confidential insight is read by its author,
-- their unit and the units above it (author_unit_id, kept as it was when written) and by
-- administrators. Withdrawn insights are kept for the history and the audit log.
CREATE TABLE insights (
    id {{id}},
    partner_id BIGINT REFERENCES persons (id),
    account_id BIGINT REFERENCES accounts (id),
    category TEXT NOT NULL CHECK (category IN ('needs', 'satisfaction', 'future_ideas', 'developments', 'environment', 'other')),
    text TEXT NOT NULL,
    -- The text folded as the people search folds names (Müller = Mueller = Muller).
    search_text TEXT NOT NULL DEFAULT '',
    learned_on TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users (id),
    author_person_id BIGINT REFERENCES persons (id),
    author_unit_id BIGINT REFERENCES units (id),
    source_id BIGINT REFERENCES persons (id),
    certainty TEXT NOT NULL CHECK (certainty IN ('heard', 'confirmed')),
    valid_until TEXT,
    confidential BIGINT NOT NULL DEFAULT 0,
    withdrawn BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (partner_id IS NOT NULL OR account_id IS NOT NULL)
);
CREATE INDEX insights_partner ON insights (partner_id, learned_on);
CREATE INDEX insights_account ON insights (account_id, learned_on);
