-- A meeting's agenda may hold a "Review of open actions" line, which lists
-- the open, done and overdue actions in its slot of the timetable (the
-- actions issue's carry-forward). SQLite cannot change a CHECK constraint
-- in place: the table is rebuilt with every row kept as it was.

-- +goose Up
CREATE TABLE meeting_lines_new (
    id               INTEGER PRIMARY KEY,
    public_id        TEXT NOT NULL UNIQUE,
    meeting_id       INTEGER NOT NULL REFERENCES meetings (id),
    position         INTEGER NOT NULL,
    item_id          INTEGER NULL REFERENCES agenda_items (id),
    procedure        TEXT NOT NULL DEFAULT '' CHECK (procedure IN ('', 'opening', 'adoption', 'actions_review', 'aob',
                                                                   'closing')),
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 600),
    lead_side_id     INTEGER NULL REFERENCES sides (id),
    minutes          TEXT NOT NULL DEFAULT '',
    outcome          TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'agreed', 'noted', 'deferred', 'no_consensus')),
    created_at       TIMESTAMP NOT NULL,
    CHECK ((item_id IS NULL) <> (procedure = ''))
);
INSERT INTO meeting_lines_new (id, public_id, meeting_id, position, item_id, procedure, duration_minutes, lead_side_id,
    minutes, outcome, created_at)
SELECT id, public_id, meeting_id, position, item_id, procedure, duration_minutes, lead_side_id, minutes, outcome, created_at
FROM meeting_lines;
DROP TABLE meeting_lines;
ALTER TABLE meeting_lines_new RENAME TO meeting_lines;
CREATE INDEX meeting_lines_meeting ON meeting_lines (meeting_id, position);
CREATE UNIQUE INDEX meeting_lines_item ON meeting_lines (meeting_id, item_id) WHERE item_id IS NOT NULL;

-- +goose Down
CREATE TABLE meeting_lines_old (
    id               INTEGER PRIMARY KEY,
    public_id        TEXT NOT NULL UNIQUE,
    meeting_id       INTEGER NOT NULL REFERENCES meetings (id),
    position         INTEGER NOT NULL,
    item_id          INTEGER NULL REFERENCES agenda_items (id),
    procedure        TEXT NOT NULL DEFAULT '' CHECK (procedure IN ('', 'opening', 'adoption', 'aob', 'closing')),
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 600),
    lead_side_id     INTEGER NULL REFERENCES sides (id),
    minutes          TEXT NOT NULL DEFAULT '',
    outcome          TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'agreed', 'noted', 'deferred', 'no_consensus')),
    created_at       TIMESTAMP NOT NULL,
    CHECK ((item_id IS NULL) <> (procedure = ''))
);
INSERT INTO meeting_lines_old SELECT * FROM meeting_lines WHERE procedure <> 'actions_review';
DROP TABLE meeting_lines;
ALTER TABLE meeting_lines_old RENAME TO meeting_lines;
CREATE INDEX meeting_lines_meeting ON meeting_lines (meeting_id, position);
CREATE UNIQUE INDEX meeting_lines_item ON meeting_lines (meeting_id, item_id) WHERE item_id IS NOT NULL;
