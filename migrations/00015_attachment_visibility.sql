-- A file attached to a side's internal note is internal to that side, like
-- the note: the other side and the secretariat neither list nor download it.

-- +goose Up
ALTER TABLE incident_attachments ADD COLUMN visibility TEXT NOT NULL DEFAULT 'shared'
    CHECK (visibility IN ('shared', 'internal'));

-- +goose Down
ALTER TABLE incident_attachments DROP COLUMN visibility;
