-- Lists that do not grow with the table: the number of agenda items per
-- side, status and tabled or not, kept by triggers in the same transaction
-- as every change, so that the agenda's tabs never count every row; and
-- indexes that serve the lists' filters and sorts.

-- +goose Up
CREATE TABLE agenda_counts (
    side_id INTEGER NOT NULL REFERENCES sides (id),
    tabled  INTEGER NOT NULL CHECK (tabled IN (0, 1)),
    status  TEXT NOT NULL,
    n       INTEGER NOT NULL DEFAULT 0 CHECK (n >= 0),
    PRIMARY KEY (side_id, tabled, status)
);

-- A row for every side, tabled or not, and status; a new side gets its rows.
INSERT INTO agenda_counts (side_id, tabled, status, n)
SELECT s.id, t.tabled, st.status, 0
FROM sides s
CROSS JOIN (SELECT 0 AS tabled UNION ALL SELECT 1) t
CROSS JOIN (SELECT 'draft' AS status UNION ALL SELECT 'proposed' UNION ALL SELECT 'adopted'
            UNION ALL SELECT 'withdrawn' UNION ALL SELECT 'scheduled' UNION ALL SELECT 'closed') st;

UPDATE agenda_counts SET n = (SELECT COUNT(*) FROM agenda_items i WHERE i.side_id = agenda_counts.side_id
    AND (i.tabled_at IS NOT NULL) = agenda_counts.tabled AND i.status = agenda_counts.status);

-- +goose StatementBegin
CREATE TRIGGER agenda_counts_side AFTER INSERT ON sides
BEGIN
    INSERT INTO agenda_counts (side_id, tabled, status, n)
    SELECT NEW.id, t.tabled, st.status, 0
    FROM (SELECT 0 AS tabled UNION ALL SELECT 1) t
    CROSS JOIN (SELECT 'draft' AS status UNION ALL SELECT 'proposed' UNION ALL SELECT 'adopted'
                UNION ALL SELECT 'withdrawn' UNION ALL SELECT 'scheduled' UNION ALL SELECT 'closed') st;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER agenda_counts_insert AFTER INSERT ON agenda_items
BEGIN
    UPDATE agenda_counts SET n = n + 1
    WHERE side_id = NEW.side_id AND tabled = (NEW.tabled_at IS NOT NULL) AND status = NEW.status;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER agenda_counts_update AFTER UPDATE OF status, tabled_at, side_id ON agenda_items
WHEN OLD.status IS NOT NEW.status OR (OLD.tabled_at IS NULL) IS NOT (NEW.tabled_at IS NULL) OR OLD.side_id IS NOT NEW.side_id
BEGIN
    UPDATE agenda_counts SET n = n - 1
    WHERE side_id = OLD.side_id AND tabled = (OLD.tabled_at IS NOT NULL) AND status = OLD.status;
    UPDATE agenda_counts SET n = n + 1
    WHERE side_id = NEW.side_id AND tabled = (NEW.tabled_at IS NOT NULL) AND status = NEW.status;
END;
-- +goose StatementEnd

-- The lists: by status and last change; the dashboard's by status and
-- tabling; a side's drafts.
CREATE INDEX agenda_items_status_updated ON agenda_items (status, updated_at);
CREATE INDEX agenda_items_status_tabled ON agenda_items (status, tabled_at);
CREATE INDEX agenda_items_side_status_updated ON agenda_items (side_id, status, updated_at);

-- +goose Down
DROP INDEX agenda_items_side_status_updated;
DROP INDEX agenda_items_status_tabled;
DROP INDEX agenda_items_status_updated;
DROP TRIGGER agenda_counts_update;
DROP TRIGGER agenda_counts_insert;
DROP TRIGGER agenda_counts_side;
DROP TABLE agenda_counts;
