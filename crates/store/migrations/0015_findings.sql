-- What the mirror found on each account, and since when: an analysis that first sees a
-- finding records it, one that no longer sees it closes it, so that the unit digest can say
-- what is new. A finding is the account, its kind and the people it is about; kept as
-- history, like mirror_history. first_seen_at is NULL for what was already there when the
-- findings began to be recorded (this migration): not new, but since when is unknown.
CREATE TABLE findings (
    id {{id}},
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    kind TEXT NOT NULL,
    contact_id BIGINT REFERENCES persons (id),
    ours_id BIGINT REFERENCES persons (id),
    severity BIGINT NOT NULL,
    first_seen_at TEXT,
    resolved_at TEXT
);
CREATE INDEX findings_account ON findings (account_id, resolved_at);
CREATE INDEX findings_seen ON findings (first_seen_at);
