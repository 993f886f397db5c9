-- Sessions listed and revoked one by one, and an optional second factor (issue 15).
--
-- A session gets an id (what the page that lists them names), when it was last seen (noted at
-- most once a minute) and a coarse label of its browser ("Firefox, Windows"; never the
-- User-Agent header itself, never an address). SQLite cannot add a key column to a table, so
-- the table is made anew and the live sessions move in: nobody is logged out by the upgrade.
CREATE TABLE sessions_new (
    id {{id}},
    token_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    last_failed_login_at TEXT,
    last_seen_at TEXT,
    device TEXT NOT NULL DEFAULT ''
);
INSERT INTO sessions_new (token_hash, user_id, csrf_token, created_at, expires_at, failed_logins, last_failed_login_at)
    SELECT token_hash, user_id, csrf_token, created_at, expires_at, failed_logins, last_failed_login_at
    FROM sessions ORDER BY created_at;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

-- A user's second factor: the TOTP secret as base32, stored as it is (the code base has no
-- key to encrypt it with; the database is the trust boundary, ADR 0012), when it was turned
-- on, and the time step of the last code accepted, so that no code is accepted twice.
CREATE TABLE second_factors (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    secret TEXT NOT NULL,
    enabled_at TEXT NOT NULL,
    last_step BIGINT NOT NULL
);

-- Single-use recovery codes: only their BLAKE2s hash (80 random bits each); used_at once used.
CREATE TABLE recovery_codes (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT
);
CREATE UNIQUE INDEX recovery_codes_hash ON recovery_codes (user_id, code_hash);

-- A login half done: the password was right, the code is still to come. It lives five
-- minutes, allows five wrong codes, and is no session: no page accepts it.
CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX login_challenges_user ON login_challenges (user_id);
CREATE INDEX login_challenges_expires ON login_challenges (expires_at);
