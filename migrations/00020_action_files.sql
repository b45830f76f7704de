-- Evidence of an action's part done: a file, typed by its content, kept in
-- the database (a backup holds it). Every file is kept; the part names the
-- one given when it was last marked done.

-- +goose Up
CREATE TABLE action_files (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    action_id   INTEGER NOT NULL REFERENCES actions (id),
    part_id     INTEGER NOT NULL REFERENCES action_parts (id),
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX action_files_action ON action_files (action_id, id);
ALTER TABLE action_parts ADD COLUMN file_id INTEGER NULL REFERENCES action_files (id);

-- +goose Down
ALTER TABLE action_parts DROP COLUMN file_id;
DROP TABLE action_files;
