-- Secret feed addresses: a user's subscription to their unit digest as an Atom feed. The
-- address holds a random token; only its hash is stored. A revoked token stops working at
-- once and stays listed (when, by whom) until its user removes it.
CREATE TABLE feed_tokens (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE UNIQUE INDEX feed_tokens_hash ON feed_tokens (token_hash);
CREATE INDEX feed_tokens_user ON feed_tokens (user_id);

-- The weekly digest by e-mail: one row per week and user, claimed before the mail is sent,
-- so that of several instances exactly one sends it.
CREATE TABLE digest_mails (
    week TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    sent_at TEXT NOT NULL,
    PRIMARY KEY (week, user_id)
);
