-- The records a person wrote, or is the source of, found by index (issue 10). The Art. 15
-- access report, the erasure preview and the retention review look them up by their author
-- (user and person), their source, the user who rated or acted: without these indexes each
-- such lookup read the whole table (two million contacts, a million insights, 1.2 million
-- ratings at enterprise scale: 0.1-0.7 s each).
CREATE INDEX insights_author ON insights (author_person_id, learned_on);

CREATE INDEX insights_author_user ON insights (author_id);

CREATE INDEX insights_source ON insights (source_id, learned_on);

CREATE INDEX interactions_author ON interactions (author_person_id, happened_on);

CREATE INDEX interactions_author_user ON interactions (author_id);

CREATE INDEX ratings_rated_by ON ratings (rated_by);

CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);
