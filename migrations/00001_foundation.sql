-- Foundation: sides, users, sessions, login throttling, audit trail, settings.
-- Portable SQL: a PostgreSQL variant differs only in key types and triggers.

-- +goose Up
CREATE TABLE sides (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('delegation', 'secretariat')),
    name_en    TEXT NOT NULL,
    name_zh    TEXT NOT NULL,
    time_zone  TEXT NOT NULL,
    language   TEXT NOT NULL CHECK (language IN ('en', 'zh')),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- There is always exactly one secretariat.
CREATE UNIQUE INDEX sides_one_secretariat ON sides (kind) WHERE kind = 'secretariat';
INSERT INTO sides (code, kind, name_en, name_zh, time_zone, language, created_at, updated_at)
VALUES ('SEC', 'secretariat', 'Secretariat', '秘书处', 'UTC', 'en', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    side_id              INTEGER NOT NULL REFERENCES sides (id),
    email                TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('head', 'delegate', 'observer', 'secretariat')),
    admin                BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash        TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    language             TEXT NOT NULL DEFAULT '',
    time_zone            TEXT NOT NULL DEFAULT '',
    disabled_at          TIMESTAMP NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX users_side ON users (side_id);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    client_ip    TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    email     TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    at        TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_ip ON login_failures (client_ip, at);

-- The audit trail: one hash chain per visibility scope ('shared', 'side:<id>').
CREATE TABLE audit_records (
    id          INTEGER PRIMARY KEY,
    chain       TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    actor_id    INTEGER NULL,
    actor_name  TEXT NOT NULL,
    actor_side  TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    changes     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    UNIQUE (chain, seq)
);
CREATE INDEX audit_records_object ON audit_records (object_type, object_id);

-- The newest record of each chain, so that removing the tail is detected too.
CREATE TABLE audit_heads (
    chain TEXT PRIMARY KEY,
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only');
END;
-- +goose StatementEnd

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE audit_heads;
DROP TABLE audit_records;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE sides;
