-- The incidents' statistics, kept by triggers in the same transaction as
-- every change, so that the statistics page reads a few hundred counters
-- instead of every incident and indicator (it took 370 ms at 100,000 of
-- each). Drafts are in no one's statistics and are not counted.
--
-- incident_counts: reported incidents by status, marking, reporting side,
-- category and month reported. incident_indicator_counts: the indicators of
-- reported incidents by marking and reporting side (side_id 0, kind ''),
-- and the standing positions on them by the side that holds them and kind;
-- "no position yet" is the indicators less the positions. The statistics
-- add, to the counters a person may read by marking, the RED incidents
-- they are named on, read one by one.

-- +goose Up
CREATE TABLE incident_counts (
    status            TEXT NOT NULL,
    tlp               TEXT NOT NULL,
    reporting_side_id INTEGER NOT NULL,
    category          TEXT NOT NULL,
    month             TEXT NOT NULL,
    n                 INTEGER NOT NULL,
    PRIMARY KEY (status, tlp, reporting_side_id, category, month)
);

CREATE TABLE incident_indicator_counts (
    tlp               TEXT NOT NULL,
    reporting_side_id INTEGER NOT NULL,
    side_id           INTEGER NOT NULL, -- 0: every indicator; else the side whose positions these are
    kind              TEXT NOT NULL,    -- '' with side 0
    n                 INTEGER NOT NULL,
    PRIMARY KEY (tlp, reporting_side_id, side_id, kind)
);

-- What is there already.
INSERT INTO incident_counts (status, tlp, reporting_side_id, category, month, n)
SELECT status, tlp, reporting_side_id, category, COALESCE(SUBSTR(CAST(reported_at AS TEXT), 1, 7), ''), COUNT(*)
FROM incidents WHERE status <> 'draft'
GROUP BY status, tlp, reporting_side_id, category, COALESCE(SUBSTR(CAST(reported_at AS TEXT), 1, 7), '');

INSERT INTO incident_indicator_counts (tlp, reporting_side_id, side_id, kind, n)
SELECT c.tlp, c.reporting_side_id, 0, '', COUNT(*)
FROM incident_indicators i JOIN incidents c ON c.id = i.incident_id
WHERE c.status <> 'draft'
GROUP BY c.tlp, c.reporting_side_id;

INSERT INTO incident_indicator_counts (tlp, reporting_side_id, side_id, kind, n)
SELECT c.tlp, c.reporting_side_id, p.side_id, p.kind, COUNT(*)
FROM incident_positions p JOIN incidents c ON c.id = p.incident_id
WHERE p.target_type = 'indicator' AND p.superseded_at IS NULL AND c.status <> 'draft'
GROUP BY c.tlp, c.reporting_side_id, p.side_id, p.kind;

-- An incident reported (or written straight as reported) counts once.
-- +goose StatementBegin
CREATE TRIGGER incident_counts_insert AFTER INSERT ON incidents
WHEN NEW.status <> 'draft'
BEGIN
    INSERT INTO incident_counts (status, tlp, reporting_side_id, category, month, n)
    VALUES (NEW.status, NEW.tlp, NEW.reporting_side_id, NEW.category,
            COALESCE(SUBSTR(CAST(NEW.reported_at AS TEXT), 1, 7), ''), 1)
    ON CONFLICT (status, tlp, reporting_side_id, category, month) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- A change of what is counted moves the incident, and its indicators and
-- their positions, from the old counters to the new ones.
-- +goose StatementBegin
CREATE TRIGGER incident_counts_update AFTER UPDATE OF status, tlp, category, reported_at, reporting_side_id ON incidents
WHEN OLD.status IS NOT NEW.status OR OLD.tlp IS NOT NEW.tlp OR OLD.category IS NOT NEW.category
    OR OLD.reported_at IS NOT NEW.reported_at OR OLD.reporting_side_id IS NOT NEW.reporting_side_id
BEGIN
    UPDATE incident_counts SET n = n - 1
    WHERE OLD.status <> 'draft' AND status = OLD.status AND tlp = OLD.tlp AND reporting_side_id = OLD.reporting_side_id
        AND category = OLD.category AND month = COALESCE(SUBSTR(CAST(OLD.reported_at AS TEXT), 1, 7), '');
    INSERT INTO incident_counts (status, tlp, reporting_side_id, category, month, n)
    SELECT NEW.status, NEW.tlp, NEW.reporting_side_id, NEW.category,
           COALESCE(SUBSTR(CAST(NEW.reported_at AS TEXT), 1, 7), ''), 1
    WHERE NEW.status <> 'draft'
    ON CONFLICT (status, tlp, reporting_side_id, category, month) DO UPDATE SET n = n + 1;

    UPDATE incident_indicator_counts SET n = n - (SELECT COUNT(*) FROM incident_indicators WHERE incident_id = OLD.id)
    WHERE OLD.status <> 'draft' AND tlp = OLD.tlp AND reporting_side_id = OLD.reporting_side_id AND side_id = 0;
    INSERT INTO incident_indicator_counts (tlp, reporting_side_id, side_id, kind, n)
    SELECT NEW.tlp, NEW.reporting_side_id, 0, '', COUNT(*) FROM incident_indicators
    WHERE incident_id = NEW.id AND NEW.status <> 'draft'
    ON CONFLICT (tlp, reporting_side_id, side_id, kind) DO UPDATE SET n = n + excluded.n;

    UPDATE incident_indicator_counts SET n = n - (SELECT COUNT(*) FROM incident_positions p
        WHERE p.incident_id = OLD.id AND p.target_type = 'indicator' AND p.superseded_at IS NULL
            AND p.side_id = incident_indicator_counts.side_id AND p.kind = incident_indicator_counts.kind)
    WHERE OLD.status <> 'draft' AND tlp = OLD.tlp AND reporting_side_id = OLD.reporting_side_id AND side_id <> 0;
    INSERT INTO incident_indicator_counts (tlp, reporting_side_id, side_id, kind, n)
    SELECT NEW.tlp, NEW.reporting_side_id, p.side_id, p.kind, COUNT(*) FROM incident_positions p
    WHERE p.incident_id = NEW.id AND p.target_type = 'indicator' AND p.superseded_at IS NULL AND NEW.status <> 'draft'
    GROUP BY p.side_id, p.kind
    ON CONFLICT (tlp, reporting_side_id, side_id, kind) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- An indicator on a reported incident counts at once; one on a draft when
-- the draft is reported (above).
-- +goose StatementBegin
CREATE TRIGGER incident_indicator_counts_insert AFTER INSERT ON incident_indicators
BEGIN
    INSERT INTO incident_indicator_counts (tlp, reporting_side_id, side_id, kind, n)
    SELECT c.tlp, c.reporting_side_id, 0, '', 1 FROM incidents c WHERE c.id = NEW.incident_id AND c.status <> 'draft'
    ON CONFLICT (tlp, reporting_side_id, side_id, kind) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- A position on an indicator counts while it stands.
-- +goose StatementBegin
CREATE TRIGGER incident_position_counts_insert AFTER INSERT ON incident_positions
WHEN NEW.target_type = 'indicator' AND NEW.superseded_at IS NULL
BEGIN
    INSERT INTO incident_indicator_counts (tlp, reporting_side_id, side_id, kind, n)
    SELECT c.tlp, c.reporting_side_id, NEW.side_id, NEW.kind, 1 FROM incidents c
    WHERE c.id = NEW.incident_id AND c.status <> 'draft'
    ON CONFLICT (tlp, reporting_side_id, side_id, kind) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER incident_position_counts_supersede AFTER UPDATE OF superseded_at ON incident_positions
WHEN NEW.target_type = 'indicator' AND OLD.superseded_at IS NULL AND NEW.superseded_at IS NOT NULL
BEGIN
    UPDATE incident_indicator_counts SET n = n - 1
    WHERE side_id = NEW.side_id AND kind = NEW.kind AND (tlp, reporting_side_id) IN
        (SELECT c.tlp, c.reporting_side_id FROM incidents c WHERE c.id = NEW.incident_id AND c.status <> 'draft');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER incident_position_counts_supersede;
DROP TRIGGER incident_position_counts_insert;
DROP TRIGGER incident_indicator_counts_insert;
DROP TRIGGER incident_counts_update;
DROP TRIGGER incident_counts_insert;
DROP TABLE incident_indicator_counts;
DROP TABLE incident_counts;
