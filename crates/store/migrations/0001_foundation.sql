-- Foundation: ladder, organizations, units, people and positions, users, sessions, audit.
--
-- One text for both backends. `{{id}}` becomes the auto-incrementing primary key of each
-- dialect; every other type is spelled so that SQLite and PostgreSQL agree on it:
-- integers and booleans (0/1) as BIGINT, timestamps as RFC 3339 UTC text, dates as
-- YYYY-MM-DD text. See docs/adr/0001-storage.md.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE levels (
    id {{id}},
    rank BIGINT NOT NULL,
    name_de TEXT NOT NULL,
    name_en TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE functions (
    id {{id}},
    key TEXT NOT NULL,
    name_de TEXT NOT NULL,
    name_en TEXT NOT NULL,
    is_assistant BIGINT NOT NULL DEFAULT 0,
    rank BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX functions_key ON functions (key);

CREATE TABLE organizations (
    id {{id}},
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('own', 'external', 'internal')),
    notes TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX organizations_one_own ON organizations (kind) WHERE kind = 'own';
CREATE UNIQUE INDEX organizations_name ON organizations (lower(name));

CREATE TABLE units (
    id {{id}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    parent_id BIGINT REFERENCES units (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX units_organization ON units (organization_id);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE persons (
    id {{id}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    unit_id BIGINT REFERENCES units (id),
    given_name TEXT,
    family_name TEXT NOT NULL,
    academic_title TEXT,
    job_title TEXT,
    level_id BIGINT REFERENCES levels (id),
    function_id BIGINT REFERENCES functions (id),
    reports_to_id BIGINT REFERENCES persons (id),
    assistant_of_id BIGINT REFERENCES persons (id),
    email TEXT,
    phone TEXT,
    mobile TEXT,
    notes TEXT,
    search_text TEXT NOT NULL DEFAULT '',
    active BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX persons_organization ON persons (organization_id, family_name);
CREATE INDEX persons_unit ON persons (unit_id);
CREATE INDEX persons_reports_to ON persons (reports_to_id);
CREATE INDEX persons_assistant_of ON persons (assistant_of_id);
CREATE INDEX persons_email ON persons (lower(email));

CREATE TABLE positions (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES persons (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    unit_id BIGINT REFERENCES units (id),
    job_title TEXT,
    level_id BIGINT REFERENCES levels (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT
);
CREATE INDEX positions_person ON positions (person_id, valid_from);

CREATE TABLE users (
    id {{id}},
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    person_id BIGINT REFERENCES persons (id),
    language TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    last_login_at TEXT
);
CREATE UNIQUE INDEX users_username ON users (username);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins, for throttling guessing. Keeps no password, only the name tried.
CREATE TABLE login_failures (
    id {{id}},
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at);

-- No foreign key on the actor: the entry must outlive the user account.
CREATE TABLE audit_log (
    id {{id}},
    at TEXT NOT NULL,
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    label TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
