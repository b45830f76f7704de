-- After the first outside review: opaque identifiers for every record a URL
-- or form names, amendments their author can withdraw, the delegations whose
-- concurrence an item needs (fixed when it is tabled), and pending members.

-- +goose Up

-- Opaque identifiers: 80 random bits, lower-case hex. URLs and forms carry
-- these, never row ids, so nobody can count the records they cannot see.
ALTER TABLE sides ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
UPDATE sides SET public_id = lower(hex(randomblob(10)));
CREATE UNIQUE INDEX sides_public_id ON sides (public_id);

ALTER TABLE users ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
UPDATE users SET public_id = lower(hex(randomblob(10)));
CREATE UNIQUE INDEX users_public_id ON users (public_id);

ALTER TABLE categories ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
UPDATE categories SET public_id = lower(hex(randomblob(10)));
CREATE UNIQUE INDEX categories_public_id ON categories (public_id);

ALTER TABLE agenda_items ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
UPDATE agenda_items SET public_id = lower(hex(randomblob(10)));
CREATE UNIQUE INDEX agenda_items_public_id ON agenda_items (public_id);

ALTER TABLE comments ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
UPDATE comments SET public_id = lower(hex(randomblob(10)));
CREATE UNIQUE INDEX comments_public_id ON comments (public_id);

-- Amendments gain an identifier and the status "withdrawn" (by the author).
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt.
-- Nothing references amendments by foreign key.
CREATE TABLE amendments_new (
    id              INTEGER PRIMARY KEY,
    public_id       TEXT NOT NULL,
    item_id         INTEGER NOT NULL REFERENCES agenda_items (id),
    side_id         INTEGER NOT NULL REFERENCES sides (id),
    author_id       INTEGER NOT NULL REFERENCES users (id),
    base_revision   INTEGER NOT NULL CHECK (base_revision >= 1),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    rationale       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'withdrawn')),
    decided_by      INTEGER NULL REFERENCES users (id),
    decision_reason TEXT NOT NULL DEFAULT '',
    decided_at      TIMESTAMP NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
INSERT INTO amendments_new (id, public_id, item_id, side_id, author_id, base_revision, title, description, rationale,
    status, decided_by, decision_reason, decided_at, version, created_at, updated_at)
SELECT id, lower(hex(randomblob(10))), item_id, side_id, author_id, MAX(base_revision, 1), title, description, rationale,
    status, decided_by, decision_reason, decided_at, version, created_at, updated_at
FROM amendments;
DROP TABLE amendments;
ALTER TABLE amendments_new RENAME TO amendments;
CREATE INDEX amendments_item ON amendments (item_id);
CREATE UNIQUE INDEX amendments_public_id ON amendments (public_id);

-- The delegations whose concurrence an item needs: every delegation that
-- existed when it was tabled. A delegation added later takes part in the
-- items tabled after it joined.
CREATE TABLE agenda_item_parties (
    item_id INTEGER NOT NULL REFERENCES agenda_items (id),
    side_id INTEGER NOT NULL REFERENCES sides (id),
    PRIMARY KEY (item_id, side_id)
);
INSERT INTO agenda_item_parties (item_id, side_id)
SELECT i.id, s.id FROM agenda_items i JOIN sides s ON s.kind = 'delegation' AND s.created_at <= i.tabled_at
WHERE i.tabled_at IS NOT NULL;

-- An account an administrator creates in (or moves into) a delegation is
-- pending until a head of that delegation confirms it.
ALTER TABLE users ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE users DROP COLUMN pending;
DROP TABLE agenda_item_parties;
DROP INDEX amendments_public_id;
CREATE TABLE amendments_old (
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
INSERT INTO amendments_old SELECT id, item_id, side_id, author_id, base_revision, title, description, rationale,
    CASE status WHEN 'withdrawn' THEN 'declined' ELSE status END, decided_by, decision_reason, decided_at, version,
    created_at, updated_at FROM amendments;
DROP TABLE amendments;
ALTER TABLE amendments_old RENAME TO amendments;
CREATE INDEX amendments_item ON amendments (item_id);
DROP INDEX comments_public_id;
ALTER TABLE comments DROP COLUMN public_id;
DROP INDEX agenda_items_public_id;
ALTER TABLE agenda_items DROP COLUMN public_id;
DROP INDEX categories_public_id;
ALTER TABLE categories DROP COLUMN public_id;
DROP INDEX users_public_id;
ALTER TABLE users DROP COLUMN public_id;
DROP INDEX sides_public_id;
ALTER TABLE sides DROP COLUMN public_id;
