-- Hardening: login throttling per name, per client address and per trusted device with
-- back-off (one bounded row per key instead of a row per failed attempt), a count of failed
-- logins that the owner sees at the next login, trusted devices, and the import preview
-- computed once at upload and kept beside the file.

DROP TABLE login_failures;

-- key: 'name:<username>', 'addr:<client address>' or 'device:<hash of a device token>'.
-- failures counts attempts in the current window (an attempt is counted before its password
-- is checked, so that parallel guesses cannot all slip under the limit); blocked_until is
-- when the next attempt may be made. Rows idle for a day are deleted.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_at TEXT NOT NULL,
    blocked_until TEXT NOT NULL
);
CREATE INDEX login_throttle_last_at ON login_throttle (last_at);

-- A browser in which a user has logged in before: its attempts are throttled on their own,
-- so that an attacker guessing the name elsewhere does not lock the owner out.
CREATE TABLE trusted_devices (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices (user_id, created_at);

ALTER TABLE users ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_failed_login_at TEXT;

-- Shown once on the first page after the login that created the session.
ALTER TABLE sessions ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_failed_login_at TEXT;

-- The preview of an upload as JSON (read once, planned once), and the column mapping it
-- was planned with. NULL until computed.
ALTER TABLE import_uploads ADD COLUMN mapping TEXT;
ALTER TABLE import_uploads ADD COLUMN preview TEXT;
