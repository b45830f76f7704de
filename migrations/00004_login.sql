-- Sign-in hardening: failed attempts on an account are counted for its
-- owner, who is told at the next sign-in; old attempts are pruned by time.
-- Portable SQL (SQLite and PostgreSQL).

-- +goose Up
-- Failed sign-in attempts on an account since its owner last signed in.
-- One row per account at most; taken (and removed) at sign-in.
CREATE TABLE failed_login_counts (
    user_id  INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    failures INTEGER NOT NULL CHECK (failures >= 0)
);

-- What the session's sign-in took over from failed_login_counts, shown to its owner.
ALTER TABLE sessions ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;

-- Attempts past every throttling window are deleted by time.
CREATE INDEX login_failures_at ON login_failures (at);

-- +goose Down
DROP INDEX login_failures_at;
ALTER TABLE sessions DROP COLUMN failed_logins;
DROP TABLE failed_login_counts;
