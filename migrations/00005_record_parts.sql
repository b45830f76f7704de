-- Record parts shared by every kind of object: two-sided decisions and their
-- parties, revisions, translations. The agenda's own tables for them are
-- moved here, row by row, and dropped.

-- +goose Up
CREATE TABLE decisions (
    id           INTEGER PRIMARY KEY,
    object_type  TEXT NOT NULL,
    object_id    INTEGER NOT NULL,
    side_id      INTEGER NOT NULL REFERENCES sides (id),
    revision     INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP NULL
);
-- At most one standing decision per side and revision; it also serves the
-- lookups of standing decisions by object.
CREATE UNIQUE INDEX decisions_standing ON decisions (object_type, object_id, side_id, revision) WHERE withdrawn_at IS NULL;
CREATE INDEX decisions_object ON decisions (object_type, object_id, created_at);

CREATE TABLE decision_parties (
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    side_id     INTEGER NOT NULL REFERENCES sides (id),
    PRIMARY KEY (object_type, object_id, side_id)
);

CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY,
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    number      INTEGER NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    author_id   INTEGER NOT NULL REFERENCES users (id),
    source_id   INTEGER NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (object_type, object_id, number)
);

CREATE TABLE translations (
    id          INTEGER PRIMARY KEY,
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    language    TEXT NOT NULL CHECK (language IN ('en', 'zh')),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    author_id   INTEGER NOT NULL REFERENCES users (id),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (object_type, object_id)
);

INSERT INTO decisions (id, object_type, object_id, side_id, revision, kind, reason, user_id, created_at, withdrawn_at)
SELECT id, 'agenda_item', item_id, side_id, revision, kind, reason, user_id, created_at, withdrawn_at FROM agenda_decisions;

INSERT INTO decision_parties (object_type, object_id, side_id)
SELECT 'agenda_item', item_id, side_id FROM agenda_item_parties;

INSERT INTO revisions (id, object_type, object_id, number, title, body, author_id, source_id, created_at)
SELECT id, 'agenda_item', item_id, number, title, description, author_id, amendment_id, created_at FROM agenda_revisions;

INSERT INTO translations (object_type, object_id, language, title, body, revision, author_id, version, created_at, updated_at)
SELECT 'agenda_item', id, CASE language WHEN 'zh' THEN 'en' ELSE 'zh' END, tr_title, tr_description, tr_revision,
    tr_author_id, 1, updated_at, updated_at
FROM agenda_items WHERE (tr_title <> '' OR tr_description <> '') AND tr_author_id IS NOT NULL;

DROP TABLE agenda_decisions;
DROP TABLE agenda_item_parties;
DROP TABLE agenda_revisions;
ALTER TABLE agenda_items DROP COLUMN tr_title;
ALTER TABLE agenda_items DROP COLUMN tr_description;
ALTER TABLE agenda_items DROP COLUMN tr_revision;
ALTER TABLE agenda_items DROP COLUMN tr_author_id;

-- +goose Down
ALTER TABLE agenda_items ADD COLUMN tr_title TEXT NOT NULL DEFAULT '';
ALTER TABLE agenda_items ADD COLUMN tr_description TEXT NOT NULL DEFAULT '';
ALTER TABLE agenda_items ADD COLUMN tr_author_id INTEGER NULL REFERENCES users (id);
ALTER TABLE agenda_items ADD COLUMN tr_revision INTEGER NOT NULL DEFAULT 0;
UPDATE agenda_items SET tr_title = t.title, tr_description = t.body, tr_author_id = t.author_id, tr_revision = t.revision
FROM translations t WHERE t.object_type = 'agenda_item' AND t.object_id = agenda_items.id;
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
INSERT INTO agenda_revisions SELECT id, object_id, number, title, body, author_id, source_id, created_at
FROM revisions WHERE object_type = 'agenda_item';
CREATE TABLE agenda_item_parties (
    item_id INTEGER NOT NULL REFERENCES agenda_items (id),
    side_id INTEGER NOT NULL REFERENCES sides (id),
    PRIMARY KEY (item_id, side_id)
);
INSERT INTO agenda_item_parties SELECT object_id, side_id FROM decision_parties WHERE object_type = 'agenda_item';
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
CREATE UNIQUE INDEX agenda_decisions_standing ON agenda_decisions (item_id, side_id, revision) WHERE withdrawn_at IS NULL;
INSERT INTO agenda_decisions SELECT id, object_id, side_id, revision, kind, reason, user_id, created_at, withdrawn_at
FROM decisions WHERE object_type = 'agenda_item';
DROP TABLE translations;
DROP TABLE revisions;
DROP TABLE decision_parties;
DROP TABLE decisions;
