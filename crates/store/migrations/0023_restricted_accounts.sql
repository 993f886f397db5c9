-- Accounts restricted to their responsible unit and the units above it (issue 15, ADR 0011):
-- only those units' people and administrators see such an account and what hangs off it.
-- Restricted accounts are the exception; the partial index finds them without reading the rest.
ALTER TABLE accounts ADD COLUMN restricted BIGINT NOT NULL DEFAULT 0;
CREATE INDEX accounts_restricted ON accounts (id) WHERE restricted = 1;
