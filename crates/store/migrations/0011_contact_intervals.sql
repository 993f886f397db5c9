-- Expected contact intervals: a counterpart pair's own interval in days (NULL: the default by
-- the partner's level and the account's tier), and its last contact, logged or rated, kept on
-- the assignment like its latest rating so that lists and the matrix need no subquery.
ALTER TABLE assignments ADD COLUMN contact_every_days BIGINT;
ALTER TABLE assignments ADD COLUMN last_contact_on TEXT;
UPDATE assignments SET last_contact_on = (
    SELECT MAX(i.happened_on) FROM interactions i
    WHERE i.partner_id = assignments.partner_id AND i.author_person_id = assignments.our_id
);
UPDATE assignments SET last_contact_on = latest_rated_on
WHERE latest_rated_on IS NOT NULL AND (last_contact_on IS NULL OR last_contact_on < latest_rated_on);
CREATE INDEX interactions_pair ON interactions (partner_id, author_person_id, happened_on);

-- "My day" shows what is new since the user's previous visit: when the current visit began
-- and when the previous one did.
ALTER TABLE users ADD COLUMN visit_seen_at TEXT;
ALTER TABLE users ADD COLUMN visit_previous_at TEXT;

-- The contact log is searched like insights: its summary folded as the people search folds
-- names. Rows logged before are folded once after migrating (Store::migrate).
ALTER TABLE interactions ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
