-- The incident list is read newest activity first: with no filter, by
-- marking or by category, an index walks it from its newest end and stops
-- at the page (with the status filter, incidents_status_updated does).
-- Without them, a list of 100,000 incidents was sorted whole for each page.

-- +goose Up
CREATE INDEX incidents_updated ON incidents (updated_at, id);
CREATE INDEX incidents_tlp_updated ON incidents (tlp, updated_at, id);
CREATE INDEX incidents_category_updated ON incidents (category, updated_at, id);

-- +goose Down
DROP INDEX incidents_category_updated;
DROP INDEX incidents_tlp_updated;
DROP INDEX incidents_updated;
