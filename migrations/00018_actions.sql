-- Actions (app/actions): something a side undertook to do, done by its
-- owner and verified by the other side. An action has one part per owner —
-- one for an action of a delegation or of the secretariat, one for each
-- delegation of a joint action — and each part is done by its side and
-- verified by another; the action's status follows from its parts and is
-- kept on the action for the lists.
--
-- A due date is a calendar date kept with the zone of the capital it is
-- due in; due_end is the instant it ends there (the midnight after it),
-- computed when it is set, so that "overdue" and "due this week" are plain
-- comparisons the lists' indexes serve. A change of due date is proposed
-- (proposed_due) and takes effect when the other delegation's head agrees
-- on the proposal's revision (the shared decisions part); due_sequence
-- counts the dates agreed, for calendar files.

-- +goose Up
CREATE TABLE actions (
    id               INTEGER PRIMARY KEY,
    public_id        TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    language         TEXT NOT NULL CHECK (language IN ('en', 'zh')),
    source_type      TEXT NOT NULL DEFAULT '' CHECK (source_type IN ('', 'agenda_item', 'meeting', 'incident', 'request')),
    source_id        INTEGER NOT NULL DEFAULT 0,
    joint            BOOLEAN NOT NULL DEFAULT FALSE,
    owner_side_id    INTEGER NULL REFERENCES sides (id), -- NULL for a joint action
    assignee_id      INTEGER NULL REFERENCES users (id),
    due_date         TEXT NOT NULL,                      -- 2026-12-15
    due_zone         TEXT NOT NULL,                      -- the capital it is due in
    due_end          TIMESTAMP NOT NULL,                 -- when that date ends there
    due_sequence     INTEGER NOT NULL DEFAULT 0,
    proposed_due     TEXT NOT NULL DEFAULT '',
    proposed_by_side INTEGER NULL REFERENCES sides (id),
    revision         INTEGER NOT NULL DEFAULT 1,
    status           TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'verified', 'cancelled')),
    cancel_reason    TEXT NOT NULL DEFAULT '',
    visibility       TEXT NOT NULL CHECK (visibility IN ('shared', 'internal')),
    side_id          INTEGER NULL REFERENCES sides (id), -- the side an internal action belongs to
    creator_id       INTEGER NOT NULL REFERENCES users (id),
    creator_side_id  INTEGER NOT NULL REFERENCES sides (id),
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    CHECK (joint = (owner_side_id IS NULL)),
    CHECK ((visibility = 'internal') = (side_id IS NOT NULL)),
    CHECK (visibility = 'shared' OR (NOT joint AND owner_side_id = side_id))
);
-- The lists: newest activity first, by status, by due date, by source.
CREATE INDEX actions_updated ON actions (updated_at, id);
CREATE INDEX actions_status_due ON actions (status, due_end, id);
CREATE INDEX actions_due ON actions (due_end, id);
CREATE INDEX actions_owner ON actions (owner_side_id, status, due_end);
CREATE INDEX actions_assignee ON actions (assignee_id, status, due_end);
CREATE INDEX actions_source ON actions (source_type, source_id, id);

CREATE TABLE action_parts (
    id          INTEGER PRIMARY KEY,
    action_id   INTEGER NOT NULL REFERENCES actions (id),
    side_id     INTEGER NOT NULL REFERENCES sides (id), -- the side that does this part
    status      TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'verified')),
    done_note   TEXT NOT NULL DEFAULT '',
    done_by     INTEGER NULL REFERENCES users (id),
    done_at     TIMESTAMP NULL,
    verified_by INTEGER NULL REFERENCES users (id),
    verified_at TIMESTAMP NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (action_id, side_id)
);
-- Parts awaiting verification, found by the side that does them.
CREATE INDEX action_parts_status ON action_parts (status, side_id, action_id);

-- +goose Down
DROP TABLE action_parts;
DROP TABLE actions;
