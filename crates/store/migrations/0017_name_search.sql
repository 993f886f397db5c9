-- Organizations and accounts are found by name the way people are (migration 5): by their
-- name folded in Rust (Müller = Mueller = Muller), kept beside the name on every write. The
-- search read every name and folded it on each request instead. A few thousand rows are
-- scanned faster than an index would be kept, so there is none. Rows written before this
-- migration get their folded name when the store starts (Store::fold_unsearchable_names).
ALTER TABLE organizations ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
