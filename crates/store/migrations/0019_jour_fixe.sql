-- The customer jour fixe: a unit's recurring meeting about its partners, its meetings with
-- their prepared agendas, what was contributed, decided and agreed, and the secret calendar
-- addresses of the users who subscribe to their meetings.

-- A series: the recurrence (an iCalendar RRULE from first_start, a wall time in time_zone),
-- its place, and a rule over the account filters for the accounts it covers besides those
-- chosen (jf_series_accounts). uid and sequence are the iCalendar UID and SEQUENCE of its
-- invitations; a cancelled series keeps its meetings.
CREATE TABLE jf_series (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    convenor_id BIGINT NOT NULL REFERENCES persons (id),
    first_start TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    rrule TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    place TEXT,
    rule_active BIGINT NOT NULL DEFAULT 0,
    rule_internal BIGINT,
    rule_tier TEXT,
    rule_unit_id BIGINT REFERENCES units (id),
    uid TEXT NOT NULL,
    sequence BIGINT NOT NULL DEFAULT 0,
    cancelled_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX jf_series_uid ON jf_series (uid);
CREATE INDEX jf_series_unit ON jf_series (unit_id);

CREATE TABLE jf_participants (
    series_id BIGINT NOT NULL REFERENCES jf_series (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (series_id, person_id)
);
CREATE INDEX jf_participants_person ON jf_participants (person_id);

CREATE TABLE jf_series_accounts (
    series_id BIGINT NOT NULL REFERENCES jf_series (id),
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (series_id, account_id)
);
CREATE INDEX jf_series_accounts_account ON jf_series_accounts (account_id);

-- A meeting: an occurrence of its series (occurrence, UTC: its RECURRENCE-ID) that was
-- prepared, moved (starts_at differs) or cancelled. since_on is the day "what changed"
-- counted from when its agenda was prepared; revision rises with every contribution, so
-- that the live page knows when to fetch.
CREATE TABLE jf_meetings (
    id {{id}},
    series_id BIGINT NOT NULL REFERENCES jf_series (id),
    occurrence TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    place TEXT,
    status TEXT NOT NULL CHECK (status IN ('planned', 'cancelled')),
    sequence BIGINT NOT NULL DEFAULT 0,
    prepared_at TEXT,
    since_on TEXT,
    revision BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX jf_meetings_occurrence ON jf_meetings (series_id, occurrence);
CREATE INDEX jf_meetings_start ON jf_meetings (starts_at);

-- The agenda: one item per covered account as prepared (prepared: the JSON of what the data
-- said then) and the items participants added (title only), in position order.
CREATE TABLE jf_items (
    id {{id}},
    meeting_id BIGINT NOT NULL REFERENCES jf_meetings (id),
    position BIGINT NOT NULL,
    account_id BIGINT REFERENCES accounts (id),
    title TEXT NOT NULL,
    prepared TEXT,
    added_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX jf_items_meeting ON jf_items (meeting_id, position);
CREATE INDEX jf_items_account ON jf_items (account_id);

-- What was said in a meeting, item by item: an insight (what someone knows from their role,
-- stored as an insight of its author, about the item's account), a note (the same on an item
-- about no account: its text here) or a decision (its text here).
CREATE TABLE jf_contributions (
    id {{id}},
    meeting_id BIGINT NOT NULL REFERENCES jf_meetings (id),
    item_id BIGINT NOT NULL REFERENCES jf_items (id),
    kind TEXT NOT NULL CHECK (kind IN ('insight', 'note', 'decision')),
    insight_id BIGINT REFERENCES insights (id),
    text TEXT,
    author_id BIGINT NOT NULL REFERENCES users (id),
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX jf_contributions_meeting ON jf_contributions (meeting_id, item_id);

-- Actions: who of ours does what by when, agreed in a meeting (on an item) or not.
CREATE TABLE jf_actions (
    id {{id}},
    meeting_id BIGINT REFERENCES jf_meetings (id),
    item_id BIGINT REFERENCES jf_items (id),
    account_id BIGINT REFERENCES accounts (id),
    title TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES persons (id),
    due_on TEXT NOT NULL,
    done_on TEXT,
    created_by BIGINT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX jf_actions_owner ON jf_actions (owner_id, done_on);
CREATE INDEX jf_actions_account ON jf_actions (account_id, done_on);
CREATE INDEX jf_actions_meeting ON jf_actions (meeting_id);

-- A user's calendar subscription: the address holds a random token, only its hash is kept;
-- revoked addresses stop working at once.
CREATE TABLE calendar_tokens (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE UNIQUE INDEX calendar_tokens_hash ON calendar_tokens (token_hash);
CREATE INDEX calendar_tokens_user ON calendar_tokens (user_id);
