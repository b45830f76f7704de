-- The decisions given on a range of an object's revisions, newest first,
-- read from an index (the revisions page shows those of its revisions).

-- +goose Up
CREATE INDEX decisions_revision ON decisions (object_type, object_id, revision, created_at);

-- +goose Down
DROP INDEX decisions_revision;
