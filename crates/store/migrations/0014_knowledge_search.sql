-- What we know and the contact log are searched like people (migration 5): a trigram index
-- over the folded text, so that a substring search does not read a million rows. SQLite keeps
-- it in FTS5 tables that triggers hold in step; PostgreSQL indexes the columns with pg_trgm.
-- A word most rows hold is better found by reading the newest rows first until enough match:
-- hence the indexes by day.

CREATE INDEX insights_learned ON insights (learned_on);
CREATE INDEX interactions_happened ON interactions (happened_on);

{{sqlite}} CREATE VIRTUAL TABLE insight_search USING fts5(search_text, content = 'insights', content_rowid = 'id', tokenize = 'trigram', detail = 'none', columnsize = 0);
{{sqlite}} INSERT INTO insight_search (insight_search) VALUES ('rebuild');
{{sqlite}} CREATE TRIGGER insight_search_insert AFTER INSERT ON insights BEGIN INSERT INTO insight_search (rowid, search_text) VALUES (new.id, new.search_text); END;
{{sqlite}} CREATE TRIGGER insight_search_delete AFTER DELETE ON insights BEGIN INSERT INTO insight_search (insight_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END;
{{sqlite}} CREATE TRIGGER insight_search_update AFTER UPDATE OF search_text ON insights BEGIN INSERT INTO insight_search (insight_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO insight_search (rowid, search_text) VALUES (new.id, new.search_text); END;
{{sqlite}} CREATE VIRTUAL TABLE contact_search USING fts5(search_text, content = 'interactions', content_rowid = 'id', tokenize = 'trigram', detail = 'none', columnsize = 0);
{{sqlite}} INSERT INTO contact_search (contact_search) VALUES ('rebuild');
{{sqlite}} CREATE TRIGGER contact_search_insert AFTER INSERT ON interactions BEGIN INSERT INTO contact_search (rowid, search_text) VALUES (new.id, new.search_text); END;
{{sqlite}} CREATE TRIGGER contact_search_delete AFTER DELETE ON interactions BEGIN INSERT INTO contact_search (contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END;
{{sqlite}} CREATE TRIGGER contact_search_update AFTER UPDATE OF search_text ON interactions BEGIN INSERT INTO contact_search (contact_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO contact_search (rowid, search_text) VALUES (new.id, new.search_text); END;

{{postgres}} DO $$ DECLARE home TEXT; BEGIN SELECT n.nspname INTO home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'; EXECUTE format('CREATE INDEX insights_search ON insights USING gin (search_text %I.gin_trgm_ops)', home); EXECUTE format('CREATE INDEX interactions_search ON interactions USING gin (search_text %I.gin_trgm_ops)', home); END $$;
