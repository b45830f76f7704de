-- Audit chains become tamper-evident logs (Merkle trees of the records'
-- hashes, as in Certificate Transparency and Go's checksum database):
-- signed checkpoints, per-delegation witness tokens, and the witnesses'
-- cosignatures. Migration 00022 (Go: SQL cannot hash) names every existing
-- chain and builds its tree from the records' current hashes.

-- +goose Up
-- Records written from now on hash their log's public name and a keyed
-- reference to their object instead of the internal chain name and row ids
-- (version 2), so that an export names no row id.
ALTER TABLE audit_records ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_records ADD COLUMN object_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_records ADD COLUMN log_name TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_records_action ON audit_records (object_type, object_id, action, chain, seq);

-- Every chain has a public name (what checkpoints, the witness API and
-- exports call it): 'shared', 'side-<code>', or 'log-<random>' for an
-- object's own chain (whose internal name holds a row id).
ALTER TABLE audit_heads ADD COLUMN name TEXT NULL;
CREATE UNIQUE INDEX audit_heads_name ON audit_heads (name);

-- The stored hashes of each chain's Merkle tree, in the numbering of
-- golang.org/x/mod/sumdb/tlog (StoredHashIndex).
CREATE TABLE audit_tree (
    chain TEXT NOT NULL,
    idx   INTEGER NOT NULL,
    hash  BLOB NOT NULL,
    PRIMARY KEY (chain, idx)
);

-- Signed checkpoints: the signed-note text of (log, size, root, time),
-- numbered per chain.
CREATE TABLE audit_checkpoints (
    id      INTEGER PRIMARY KEY,
    chain   TEXT NOT NULL,
    number  INTEGER NOT NULL,
    size    INTEGER NOT NULL,
    root    TEXT NOT NULL,
    at      TEXT NOT NULL,
    note    TEXT NOT NULL,
    UNIQUE (chain, number),
    UNIQUE (chain, size)
);

-- A delegation's witness: the token it reads with (only its SHA-256 is
-- kept) and the public key it cosigns with.
CREATE TABLE witness_tokens (
    id           INTEGER PRIMARY KEY,
    public_id    TEXT NOT NULL UNIQUE,
    side_id      INTEGER NOT NULL REFERENCES sides (id),
    label        TEXT NOT NULL,
    key          TEXT NOT NULL,
    key_name     TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_by   INTEGER NOT NULL REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NULL,
    revoked_at   TIMESTAMP NULL,
    revoked_by   INTEGER NULL REFERENCES users (id)
);
CREATE INDEX witness_tokens_side ON witness_tokens (side_id, id);

-- A witness's cosignature of a checkpoint: the note as it came back, with
-- the server's signature and the witness's.
CREATE TABLE audit_cosignatures (
    id            INTEGER PRIMARY KEY,
    checkpoint_id INTEGER NOT NULL REFERENCES audit_checkpoints (id),
    side_id       INTEGER NOT NULL REFERENCES sides (id),
    token_id      INTEGER NOT NULL REFERENCES witness_tokens (id),
    note          TEXT NOT NULL,
    at            TIMESTAMP NOT NULL,
    UNIQUE (checkpoint_id, side_id)
);
CREATE INDEX audit_cosignatures_side ON audit_cosignatures (side_id, checkpoint_id);

-- +goose StatementBegin
CREATE TRIGGER audit_tree_no_update BEFORE UPDATE ON audit_tree
BEGIN
    SELECT RAISE(ABORT, 'audit trees are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_tree_no_delete BEFORE DELETE ON audit_tree
BEGIN
    SELECT RAISE(ABORT, 'audit trees are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_cosignatures;
DROP TABLE witness_tokens;
DROP TABLE audit_checkpoints;
DROP TABLE audit_tree;
DROP INDEX audit_heads_name;
ALTER TABLE audit_heads DROP COLUMN name;
DROP INDEX audit_records_action;
ALTER TABLE audit_records DROP COLUMN log_name;
ALTER TABLE audit_records DROP COLUMN object_ref;
ALTER TABLE audit_records DROP COLUMN version;
