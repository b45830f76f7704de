-- Agenda items with two-key adoption, revisions, amendments; comment threads for any object.

-- +goose Up
CREATE TABLE categories (
    id         INTEGER PRIMARY KEY,
    name_en    TEXT NOT NULL,
    name_zh    TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    archived   BOOLEAN NOT NULL DEFAULT FALSE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE agenda_items (
    id               INTEGER PRIMARY KEY,
    side_id          INTEGER NOT NULL REFERENCES sides (id),
    author_id        INTEGER NOT NULL REFERENCES users (id),
    category_id      INTEGER NOT NULL REFERENCES categories (id),
    status           TEXT NOT NULL CHECK (status IN ('draft', 'proposed', 'adopted', 'withdrawn', 'scheduled', 'closed')),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    language         TEXT NOT NULL CHECK (language IN ('en', 'zh')),
    duration_minutes INTEGER NOT NULL,
    revision         INTEGER NOT NULL DEFAULT 1,
    -- The optional translation into the other language, tied to the revision it translates.
    tr_title         TEXT NOT NULL DEFAULT '',
    tr_description   TEXT NOT NULL DEFAULT '',
    tr_author_id     INTEGER NULL REFERENCES users (id),
    tr_revision      INTEGER NOT NULL DEFAULT 0,
    tabled_at        TIMESTAMP NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX agenda_items_status ON agenda_items (status, side_id);
CREATE INDEX agenda_items_updated ON agenda_items (updated_at);

-- The shared text of a tabled item, one row per revision.
CREATE TABLE agenda_revisions (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES agenda_items (id),
    number       INTEGER NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    author_id    INTEGER NOT NULL REFERENCES users (id),
    amendment_id INTEGER NULL,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (item_id, number)
);

-- A head's concurrence or objection, for their own delegation, on one revision.
CREATE TABLE agenda_decisions (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES agenda_items (id),
    side_id      INTEGER NOT NULL REFERENCES sides (id),
    revision     INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('concur', 'object')),
    reason       TEXT NOT NULL DEFAULT '',
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP NULL
);
-- At most one standing decision per delegation and revision.
CREATE UNIQUE INDEX agenda_decisions_standing ON agenda_decisions (item_id, side_id, revision) WHERE withdrawn_at IS NULL;

CREATE TABLE amendments (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES agenda_items (id),
    side_id         INTEGER NOT NULL REFERENCES sides (id),
    author_id       INTEGER NOT NULL REFERENCES users (id),
    base_revision   INTEGER NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    rationale       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined')),
    decided_by      INTEGER NULL REFERENCES users (id),
    decision_reason TEXT NOT NULL DEFAULT '',
    decided_at      TIMESTAMP NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX amendments_item ON amendments (item_id);

-- Comment threads on any object: shared comments and internal notes.
CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    side_id     INTEGER NOT NULL REFERENCES sides (id),
    author_id   INTEGER NOT NULL REFERENCES users (id),
    visibility  TEXT NOT NULL CHECK (visibility IN ('shared', 'internal')),
    body        TEXT NOT NULL,
    edited_at   TIMESTAMP NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX comments_object ON comments (object_type, object_id, created_at);

-- Earlier texts of edited comments: nothing is silently lost.
CREATE TABLE comment_edits (
    id         INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES comments (id),
    body       TEXT NOT NULL,
    edited_at  TIMESTAMP NOT NULL
);
CREATE INDEX comment_edits_comment ON comment_edits (comment_id);

-- +goose Down
DROP TABLE comment_edits;
DROP TABLE comments;
DROP TABLE amendments;
DROP TABLE agenda_decisions;
DROP TABLE agenda_revisions;
DROP TABLE agenda_items;
DROP TABLE categories;
