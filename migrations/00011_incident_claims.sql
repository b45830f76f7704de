-- The claims of an incident report (its statements of fact, each with an
-- optional figure) and each delegation's positions: on a claim, on an
-- indicator, and its official position on the incident. A position is
-- never changed in place: each change is a new row, and the one standing
-- is the newest of its side on its target (superseded_at IS NULL).

-- +goose Up
CREATE TABLE incident_claims (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    figure      TEXT NOT NULL DEFAULT '',
    author_id   INTEGER NOT NULL REFERENCES users (id),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX incident_claims_incident ON incident_claims (incident_id, position, id);

CREATE TABLE incident_positions (
    id            INTEGER PRIMARY KEY,
    incident_id   INTEGER NOT NULL REFERENCES incidents (id),
    target_type   TEXT NOT NULL CHECK (target_type IN ('incident', 'claim', 'indicator')),
    target_id     INTEGER NOT NULL,
    side_id       INTEGER NOT NULL REFERENCES sides (id),
    kind          TEXT NOT NULL CHECK (kind IN ('confirmed', 'disputed', 'unknown', 'under_investigation', 'official')),
    reason        TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    user_id       INTEGER NOT NULL REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL,
    superseded_at TIMESTAMP NULL,
    CHECK (kind <> 'disputed' OR reason <> ''),
    CHECK ((target_type = 'incident') = (kind = 'official'))
);
-- One standing position per side and target; an incident's positions in one read.
CREATE UNIQUE INDEX incident_positions_standing ON incident_positions (target_type, target_id, side_id)
    WHERE superseded_at IS NULL;
CREATE INDEX incident_positions_incident ON incident_positions (incident_id, target_type, target_id, side_id, id);

-- +goose Down
DROP TABLE incident_positions;
DROP TABLE incident_claims;
