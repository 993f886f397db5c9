-- People search by substring without reading every person: a trigram index over the folded
-- search text. SQLite keeps it in an FTS5 table that triggers hold in step with persons;
-- PostgreSQL indexes the column itself with pg_trgm, which LIKE uses as it is. A statement
-- marked {{sqlite}} or {{postgres}} runs on that backend only. The FTS5 index keeps neither
-- positions nor sizes: LIKE checks every candidate's text anyway, and without them inserting
-- a person into the index costs a third.

{{sqlite}} CREATE VIRTUAL TABLE person_search USING fts5(search_text, content = 'persons', content_rowid = 'id', tokenize = 'trigram', detail = 'none', columnsize = 0);
{{sqlite}} INSERT INTO person_search (person_search) VALUES ('rebuild');
{{sqlite}} CREATE TRIGGER person_search_insert AFTER INSERT ON persons BEGIN INSERT INTO person_search (rowid, search_text) VALUES (new.id, new.search_text); END;
{{sqlite}} CREATE TRIGGER person_search_delete AFTER DELETE ON persons BEGIN INSERT INTO person_search (person_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END;
{{sqlite}} CREATE TRIGGER person_search_update AFTER UPDATE OF search_text ON persons BEGIN INSERT INTO person_search (person_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO person_search (rowid, search_text) VALUES (new.id, new.search_text); END;

-- The operator class is named with the schema the extension lives in, which need not be ours.
{{postgres}} CREATE EXTENSION IF NOT EXISTS pg_trgm;
{{postgres}} DO $$ DECLARE home TEXT; BEGIN SELECT n.nspname INTO home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'; EXECUTE format('CREATE INDEX persons_search ON persons USING gin (search_text %I.gin_trgm_ops)', home); END $$;
