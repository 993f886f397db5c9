-- Uploaded import files waiting for the user's confirmation. In the database, not on a local
-- disk, so that preview and commit may reach different server instances.

CREATE TABLE import_uploads (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    filename TEXT NOT NULL,
    sheet TEXT,
    content {{blob}} NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX import_uploads_user ON import_uploads (user_id);
