-- The indicators of an incident: each recognised and normalised by its form
-- (app/incidents/indicators.go), once per incident, with the part it played;
-- the delegations' positions on them are in incident_positions. The index
-- on type and value finds the same indicator in other incidents.

-- +goose Up
CREATE TABLE incident_indicators (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    type        TEXT NOT NULL CHECK (type IN ('ipv4', 'ipv6', 'cidr', 'domain', 'url', 'email', 'sha256', 'sha1', 'md5',
                                              'asn')),
    value       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('source', 'target', 'infrastructure')),
    first_seen  TIMESTAMP NULL,
    last_seen   TIMESTAMP NULL,
    note        TEXT NOT NULL DEFAULT '',
    author_id   INTEGER NOT NULL REFERENCES users (id),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (incident_id, type, value)
);
CREATE INDEX incident_indicators_list ON incident_indicators (incident_id, type, id);
CREATE INDEX incident_indicators_value ON incident_indicators (type, value, incident_id);

-- +goose Down
DROP TABLE incident_indicators;
