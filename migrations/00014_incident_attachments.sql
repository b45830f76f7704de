-- Evidence attached to an incident or to an information request: the file
-- itself is kept in the database (so that a backup holds it and a second
-- server reads it), with its type as decided by its content, its size and
-- its SHA-256; every download is recorded, for the uploading side to see.

-- +goose Up
CREATE TABLE incident_attachments (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    parent_type TEXT NOT NULL CHECK (parent_type IN ('incident', 'request', 'comment')),
    parent_id   INTEGER NOT NULL,
    side_id     INTEGER NOT NULL REFERENCES sides (id),
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size > 0),
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX incident_attachments_parent ON incident_attachments (incident_id, parent_type, parent_id, id);

CREATE TABLE incident_downloads (
    id            INTEGER PRIMARY KEY,
    attachment_id INTEGER NOT NULL REFERENCES incident_attachments (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    at            TIMESTAMP NOT NULL
);
CREATE INDEX incident_downloads_attachment ON incident_downloads (attachment_id, id);

-- +goose Down
DROP TABLE incident_downloads;
DROP TABLE incident_attachments;
