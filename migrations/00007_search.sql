-- Full-text search (see app/search.go): a document per object and part of
-- its text, and an FTS4 table of the terms Parley cuts the text into.
-- Objects written before this migration are indexed when the server starts.

-- +goose Up
CREATE TABLE search_docs (
    docid       INTEGER PRIMARY KEY,
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    part        TEXT NOT NULL,
    UNIQUE (object_type, object_id, part)
);
CREATE VIRTUAL TABLE search_terms USING fts4 (terms, tokenize=simple);

-- +goose Down
DROP TABLE search_terms;
DROP TABLE search_docs;
