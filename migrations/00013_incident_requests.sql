-- Information requests on an incident: one delegation asks the other a
-- question, due on a calendar date that ends at midnight in the asking
-- side's capital (kept as the date and that zone, never as an instant);
-- the other side answers. Overdue is computed, never stored.

-- +goose Up
CREATE TABLE incident_requests (
    id             INTEGER PRIMARY KEY,
    public_id      TEXT NOT NULL UNIQUE,
    incident_id    INTEGER NOT NULL REFERENCES incidents (id),
    asking_side_id INTEGER NOT NULL REFERENCES sides (id),
    asked_side_id  INTEGER NOT NULL REFERENCES sides (id),
    question       TEXT NOT NULL,
    due_date       TEXT NOT NULL,
    due_zone       TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'answered', 'withdrawn')),
    answer         TEXT NOT NULL DEFAULT '',
    answered_by    INTEGER NULL REFERENCES users (id),
    answered_at    TIMESTAMP NULL,
    author_id      INTEGER NOT NULL REFERENCES users (id),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CHECK (asking_side_id <> asked_side_id)
);
CREATE INDEX incident_requests_incident ON incident_requests (incident_id, id);
-- What a side is asked and has yet to answer, soonest due first (the dashboard).
CREATE INDEX incident_requests_asked ON incident_requests (asked_side_id, status, due_date, id);

-- +goose Down
DROP TABLE incident_requests;
