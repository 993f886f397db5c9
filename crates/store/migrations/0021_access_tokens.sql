-- One mechanism for every secret the product issues to a user (issue 15): personal API tokens
-- (bearer, read or read-write), the calendar subscription and the digest feed addresses. Only
-- a token's hash is kept; it may expire; its last use is noted (at most once a minute); a
-- revoked token stops working at once and stays listed until its user removes it. The two
-- earlier tables move in with their hashes, so every address handed out keeps working.
CREATE TABLE access_tokens (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('api', 'calendar', 'digest')),
    scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    label TEXT NOT NULL,
    unit_id BIGINT REFERENCES units (id),
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE UNIQUE INDEX access_tokens_hash ON access_tokens (token_hash);
CREATE INDEX access_tokens_user ON access_tokens (user_id);
INSERT INTO access_tokens (user_id, kind, scope, label, unit_id, token_hash, created_at, last_used_at, revoked_at)
    SELECT user_id, 'digest', 'read', '', unit_id, token_hash, created_at, last_used_at, revoked_at
    FROM feed_tokens ORDER BY id;
INSERT INTO access_tokens (user_id, kind, scope, label, unit_id, token_hash, created_at, last_used_at, revoked_at)
    SELECT user_id, 'calendar', 'read', '', NULL, token_hash, created_at, last_used_at, revoked_at
    FROM calendar_tokens ORDER BY id;
DROP TABLE feed_tokens;
DROP TABLE calendar_tokens;
