-- Incidents (app/incidents): one delegation reports an incident to the
-- other. Its text has revisions and a translation in the shared record
-- parts from the moment it is reported; a draft is the reporting side's
-- alone. Affected sectors and, for a TLP:RED incident, its named recipients
-- have tables of their own. Claims, indicators, positions, information
-- requests and evidence come in later migrations.

-- +goose Up
CREATE TABLE incidents (
    id                INTEGER PRIMARY KEY,
    public_id         TEXT NOT NULL UNIQUE,
    reporting_side_id INTEGER NOT NULL REFERENCES sides (id),
    addressed_side_id INTEGER NOT NULL REFERENCES sides (id),
    author_id         INTEGER NOT NULL REFERENCES users (id),
    status            TEXT NOT NULL CHECK (status IN ('draft', 'reported', 'acknowledged', 'under_investigation',
                                                      'responded', 'closed')),
    tlp               TEXT NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
    category          TEXT NOT NULL CHECK (category IN ('intrusion', 'defacement', 'denial_of_service', 'data_theft',
                                                        'malware', 'other')),
    title             TEXT NOT NULL,
    summary           TEXT NOT NULL,
    language          TEXT NOT NULL CHECK (language IN ('en', 'zh')),
    observed_from     TIMESTAMP NULL,
    observed_to       TIMESTAMP NULL,
    observed_zone     TEXT NOT NULL DEFAULT '',
    revision          INTEGER NOT NULL DEFAULT 0,
    reported_at       TIMESTAMP NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    CHECK (reporting_side_id <> addressed_side_id),
    CHECK (observed_from IS NULL OR observed_to IS NULL OR observed_from <= observed_to)
);
-- Lists by status and by reporting side, newest activity first.
CREATE INDEX incidents_status_updated ON incidents (status, updated_at);
CREATE INDEX incidents_side_updated ON incidents (reporting_side_id, status, updated_at);

CREATE TABLE incident_sectors (
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    sector      TEXT NOT NULL CHECK (sector IN ('government', 'academia', 'defence', 'energy', 'finance', 'health',
                                                'telecommunications', 'transport', 'industry', 'other')),
    PRIMARY KEY (incident_id, sector)
);

-- The named recipients of a TLP:RED incident (members of the addressed side
-- or of the secretariat), chosen by the reporting side.
CREATE TABLE incident_recipients (
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (incident_id, user_id)
);
CREATE INDEX incident_recipients_user ON incident_recipients (user_id, incident_id);

-- +goose Down
DROP TABLE incident_recipients;
DROP TABLE incident_sectors;
DROP TABLE incidents;
