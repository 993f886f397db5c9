-- Units are found by name as organizations and accounts are (migration 17): by their name
-- folded in Rust, kept beside it on every write. Forms choose a unit by searching when an
-- organization has too many to list (our house at enterprise scale: 2,013), instead of
-- sending them all (issue 10). Rows written before this migration get their folded name
-- when the store starts (Store::fold_unsearchable_names).
ALTER TABLE units ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
