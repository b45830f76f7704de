-- Meetings: milestones they are planned against, meetings with their
-- availability poll, their timed agenda, attendance, minutes sections with
-- outcomes, each delegation's statement for the record, and the personal
-- calendar feeds. Revisions of the agenda and the minutes, and the heads'
-- approvals of them, live in the shared record parts (revisions, decisions).

-- +goose Up
CREATE TABLE milestones (
    id         INTEGER PRIMARY KEY,
    public_id  TEXT NOT NULL UNIQUE,
    name_en    TEXT NOT NULL,
    name_zh    TEXT NOT NULL,
    starts_at  TIMESTAMP NOT NULL,
    zone       TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX milestones_starts ON milestones (starts_at);

CREATE TABLE meetings (
    id                INTEGER PRIMARY KEY,
    public_id         TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL CHECK (kind IN ('plenary', 'informal', 'working_level', 'experts')),
    title_en          TEXT NOT NULL,
    title_zh          TEXT NOT NULL,
    format            TEXT NOT NULL CHECK (format IN ('in_person', 'video')),
    venue             TEXT NOT NULL DEFAULT '',
    zone              TEXT NOT NULL,
    video_link        TEXT NOT NULL DEFAULT '',
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 15 AND 1440),
    milestone_id      INTEGER NULL REFERENCES milestones (id),
    status            TEXT NOT NULL CHECK (status IN ('planning', 'scheduled', 'held', 'minutes_approved', 'cancelled')),
    starts_at         TIMESTAMP NULL,
    slot_id           INTEGER NULL,
    cancel_reason     TEXT NOT NULL DEFAULT '',
    sequence          INTEGER NOT NULL DEFAULT 0,
    agenda_revision   INTEGER NOT NULL DEFAULT 0,
    agenda_agreed     INTEGER NOT NULL DEFAULT 0,
    minutes_revision  INTEGER NOT NULL DEFAULT 0,
    minutes_approved  INTEGER NOT NULL DEFAULT 0,
    created_by        INTEGER NOT NULL REFERENCES users (id),
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
-- Upcoming and past meetings, and the calendar feeds, by start time.
CREATE INDEX meetings_starts ON meetings (starts_at, id);
CREATE INDEX meetings_status ON meetings (status, starts_at, id);
CREATE INDEX meetings_created ON meetings (created_at, id);

CREATE TABLE meeting_slots (
    id         INTEGER PRIMARY KEY,
    public_id  TEXT NOT NULL UNIQUE,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    starts_at  TIMESTAMP NOT NULL,
    zone       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, starts_at)
);

CREATE TABLE slot_answers (
    slot_id    INTEGER NOT NULL REFERENCES meeting_slots (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    side_id    INTEGER NOT NULL REFERENCES sides (id),
    is_head    INTEGER NOT NULL DEFAULT 0,
    answer     TEXT NOT NULL CHECK (answer IN ('yes', 'if_need_be', 'no')),
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (slot_id, user_id)
);
CREATE INDEX slot_answers_meeting ON slot_answers (meeting_id, side_id);
CREATE INDEX slot_answers_user ON slot_answers (user_id, meeting_id);

CREATE TABLE meeting_lines (
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
CREATE INDEX meeting_lines_meeting ON meeting_lines (meeting_id, position);
CREATE UNIQUE INDEX meeting_lines_item ON meeting_lines (meeting_id, item_id) WHERE item_id IS NOT NULL;

CREATE TABLE meeting_attendees (
    id         INTEGER PRIMARY KEY,
    public_id  TEXT NOT NULL UNIQUE,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    side_id    INTEGER NOT NULL REFERENCES sides (id),
    user_id    INTEGER NULL REFERENCES users (id),
    guest_name TEXT NOT NULL DEFAULT '',
    attended   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    CHECK ((user_id IS NULL) <> (guest_name = ''))
);
CREATE INDEX meeting_attendees_meeting ON meeting_attendees (meeting_id, side_id, id);
CREATE UNIQUE INDEX meeting_attendees_user ON meeting_attendees (meeting_id, user_id) WHERE user_id IS NOT NULL;

CREATE TABLE meeting_statements (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    side_id    INTEGER NOT NULL REFERENCES sides (id),
    body       TEXT NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES users (id),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, side_id)
);

CREATE TABLE calendar_feeds (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id),
    token      TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE calendar_feeds;
DROP TABLE meeting_statements;
DROP TABLE meeting_attendees;
DROP TABLE meeting_lines;
DROP TABLE slot_answers;
DROP TABLE meeting_slots;
DROP TABLE meetings;
DROP TABLE milestones;
