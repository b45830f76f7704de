package app

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"
)

// oldDatabase is an empty database file and the migrations, none applied:
// a test applies some, fills them, and applies the next.
func oldDatabase(t *testing.T) (*sql.DB, *goose.Provider) {
	t.Helper()
	raw, err := sql.Open("sqlite3", dsn(filepath.Join(t.TempDir(), "old.db"), false))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	raw.SetMaxOpenConns(1)
	p, err := migrationProvider(raw)
	if err != nil {
		t.Fatal(err)
	}
	return raw, p
}

// Migrations that move data, each run on a database filled by the ones
// before it. Migration 00003 gives every existing record an opaque
// identifier, rebuilds the amendments table and fills in the parties of
// tabled items; 00005 moves the agenda's decisions, parties, revisions and
// translations into the shared record parts.
func TestMigrationsMoveDataOnContentOfEarlierMigrations(t *testing.T) {
	ctx := context.Background()
	raw, p := oldDatabase(t)
	if _, err := p.UpTo(ctx, 2); err != nil {
		t.Fatal(err)
	}
	early, tabled, later := "2013-07-01 09:00:00+00:00", "2013-07-05 09:00:00+00:00", "2013-07-09 09:00:00+00:00"
	for _, q := range []string{
		`INSERT INTO sides (id, code, kind, name_en, name_zh, time_zone, language, created_at, updated_at) VALUES
			(2, 'US', 'delegation', 'US', '美国', 'America/New_York', 'en', '` + early + `', '` + early + `'),
			(3, 'CN', 'delegation', 'CN', '中国', 'Asia/Shanghai', 'zh', '` + early + `', '` + early + `'),
			(4, 'EU', 'delegation', 'EU', '欧盟', 'Europe/Brussels', 'en', '` + later + `', '` + later + `')`,
		`INSERT INTO users (id, side_id, email, name, role, password_hash, created_at, updated_at) VALUES
			(1, 2, 'a@x.example', 'A', 'delegate', 'x', '` + early + `', '` + early + `'),
			(2, 3, 'b@x.example', 'B', 'head', 'x', '` + early + `', '` + early + `')`,
		`INSERT INTO categories (id, name_en, name_zh, created_at, updated_at) VALUES (1, 'Other', '其他', '` + early + `', '` + early + `')`,
		`INSERT INTO agenda_items (id, side_id, author_id, category_id, status, title, description, language,
			duration_minutes, revision, tabled_at, created_at, updated_at) VALUES
			(1, 2, 1, 1, 'proposed', 'Tabled', 'd', 'en', 30, 1, '` + tabled + `', '` + early + `', '` + tabled + `'),
			(2, 2, 1, 1, 'draft', 'Draft', 'd', 'en', 30, 1, NULL, '` + early + `', '` + early + `'),
			(3, 3, 2, 1, 'proposed', 'Tabled after the EU joined', 'd', 'zh', 30, 1, '2013-07-10 09:00:00+00:00', '` + early + `', '` + later + `')`,
		`INSERT INTO amendments (id, item_id, side_id, author_id, base_revision, title, description, rationale, status,
			created_at, updated_at) VALUES
			(1, 1, 3, 2, 1, 'A', 'amended', 'why', 'open', '` + tabled + `', '` + tabled + `'),
			(2, 1, 3, 2, -42, 'B', 'amended', 'why', 'declined', '` + tabled + `', '` + tabled + `')`,
		`INSERT INTO comments (id, object_type, object_id, side_id, author_id, visibility, body, created_at, updated_at) VALUES
			(1, 'agenda_item', 1, 2, 1, 'internal', 'note', '` + tabled + `', '` + tabled + `'),
			(2, 'agenda_item', 1, 3, 2, 'shared', 'comment', '` + tabled + `', '` + tabled + `')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	if _, err := p.UpTo(ctx, 3); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"sides", "users", "categories", "agenda_items", "amendments", "comments"} {
		var n, distinct, bad int
		if err := raw.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT public_id), SUM(length(public_id) <> 20 OR public_id GLOB '*[^0-9a-f]*')
			FROM `+table).Scan(&n, &distinct, &bad); err != nil {
			t.Fatal(err)
		}
		if n == 0 || distinct != n || bad != 0 {
			t.Errorf("%s: %d rows, %d distinct identifiers, %d malformed", table, n, distinct, bad)
		}
	}
	var count int
	raw.QueryRow(`SELECT COUNT(*) FROM amendments WHERE item_id = 1 AND author_id = 2 AND description = 'amended'`).Scan(&count)
	var minBase int
	raw.QueryRow(`SELECT MIN(base_revision) FROM amendments`).Scan(&minBase)
	if count != 2 || minBase != 1 {
		t.Errorf("amendments after the rebuild: %d kept, lowest base revision %d", count, minBase)
	}
	if _, err := raw.Exec(`UPDATE amendments SET status = 'withdrawn' WHERE id = 1`); err != nil {
		t.Errorf("the rebuilt table refuses the new status: %v", err)
	}
	parties := func(item int) (ids []int64) {
		rows, err := raw.Query(`SELECT side_id FROM agenda_item_parties WHERE item_id = ? ORDER BY side_id`, item)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		return ids
	}
	if got := parties(1); len(got) != 2 || got[0] != 2 || got[1] != 3 {
		t.Errorf("parties of the item tabled before the EU joined: %v", got)
	}
	if got := parties(2); len(got) != 0 {
		t.Errorf("parties of a draft: %v", got)
	}
	if got := parties(3); len(got) != 3 {
		t.Errorf("parties of the item tabled after the EU joined: %v", got)
	}
	var pending int
	raw.QueryRow(`SELECT COUNT(*) FROM users WHERE pending`).Scan(&pending)
	if pending != 0 {
		t.Errorf("%d existing accounts became pending", pending)
	}

	// Migration 5 moves the agenda's decisions, parties, revisions and
	// translations into the record parts; every row is kept.
	for _, q := range []string{
		`INSERT INTO agenda_revisions (id, item_id, number, title, description, author_id, amendment_id, created_at) VALUES
			(1, 1, 1, 'Tabled', 'd', 1, NULL, '` + tabled + `'), (2, 1, 2, 'Tabled', 'amended', 2, 1, '` + later + `')`,
		`INSERT INTO agenda_decisions (id, item_id, side_id, revision, kind, reason, user_id, created_at, withdrawn_at) VALUES
			(1, 1, 3, 1, 'concur', '', 2, '` + tabled + `', '` + later + `'), (2, 1, 3, 2, 'object', 'no', 2, '` + later + `', NULL)`,
		`UPDATE agenda_items SET tr_title = '已提交', tr_description = '说明', tr_author_id = 2, tr_revision = 1 WHERE id = 1`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	var revs, decs, standing, partyRows, translated int
	raw.QueryRow(`SELECT COUNT(*) FROM revisions WHERE object_type = 'agenda_item' AND object_id = 1 AND
		((number = 1 AND body = 'd' AND source_id IS NULL) OR (number = 2 AND body = 'amended' AND source_id = 1))`).Scan(&revs)
	raw.QueryRow(`SELECT COUNT(*) FROM decisions WHERE object_type = 'agenda_item' AND object_id = 1`).Scan(&decs)
	raw.QueryRow(`SELECT COUNT(*) FROM decisions WHERE withdrawn_at IS NULL AND kind = 'object' AND reason = 'no' AND revision = 2`).Scan(&standing)
	raw.QueryRow(`SELECT COUNT(*) FROM decision_parties WHERE object_type = 'agenda_item'`).Scan(&partyRows)
	raw.QueryRow(`SELECT COUNT(*) FROM translations WHERE object_type = 'agenda_item' AND object_id = 1 AND language = 'zh'
		AND title = '已提交' AND body = '说明' AND author_id = 2 AND revision = 1`).Scan(&translated)
	if revs != 2 || decs != 2 || standing != 1 || partyRows != 5 || translated != 1 {
		t.Fatalf("after migration 5: %d revisions, %d decisions (%d standing), %d parties, %d translations",
			revs, decs, standing, partyRows, translated)
	}
	var cols int
	raw.QueryRow(`SELECT COUNT(*) FROM pragma_table_info('agenda_items') WHERE name LIKE 'tr_%'`).Scan(&cols)
	if cols != 0 {
		t.Fatalf("agenda_items keeps %d translation columns", cols)
	}
	// And back down, and up again: nothing lost either way.
	if _, err := p.DownTo(ctx, 4); err != nil {
		t.Fatal(err)
	}
	raw.QueryRow(`SELECT COUNT(*) FROM agenda_decisions`).Scan(&decs)
	raw.QueryRow(`SELECT COUNT(*) FROM agenda_items WHERE tr_title = '已提交'`).Scan(&translated)
	if decs != 2 || translated != 1 {
		t.Fatalf("after migrating down: %d decisions, %d translations", decs, translated)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
}

// Migration 00017 counts the incidents, indicators and positions already
// there: its counters are what a scan of them gives, and the triggers keep
// them so from then on.
func TestIncidentCountsMigrationCountsEarlierContent(t *testing.T) {
	ctx := context.Background()
	raw, p := oldDatabase(t)
	if _, err := p.UpTo(ctx, 16); err != nil {
		t.Fatal(err)
	}
	at := "2013-05-10 09:00:00+00:00"
	for _, q := range []string{
		`INSERT INTO sides (id, public_id, code, kind, name_en, name_zh, time_zone, language, created_at, updated_at) VALUES
			(2, 'aaaaaaaaaaaaaaaaaaa2', 'US', 'delegation', 'US', '美国', 'America/New_York', 'en', '` + at + `', '` + at + `'),
			(3, 'aaaaaaaaaaaaaaaaaaa3', 'CN', 'delegation', 'CN', '中国', 'Asia/Shanghai', 'zh', '` + at + `', '` + at + `')`,
		`INSERT INTO users (id, public_id, side_id, email, name, role, password_hash, created_at, updated_at) VALUES
			(1, 'bbbbbbbbbbbbbbbbbbb1', 2, 'a@x.example', 'A', 'delegate', 'x', '` + at + `', '` + at + `'),
			(2, 'bbbbbbbbbbbbbbbbbbb2', 3, 'b@x.example', 'B', 'delegate', 'x', '` + at + `', '` + at + `')`,
		`INSERT INTO incidents (id, public_id, reporting_side_id, addressed_side_id, author_id, status, tlp, category, title,
			summary, language, revision, reported_at, created_at, updated_at) VALUES
			(1, 'ccccccccccccccccccc1', 3, 2, 2, 'reported', 'GREEN', 'defacement', 'A', 's', 'zh', 1, '` + at + `', '` + at + `', '` + at + `'),
			(2, 'ccccccccccccccccccc2', 3, 2, 2, 'closed', 'RED', 'intrusion', 'B', 's', 'zh', 1, '2013-06-01 00:00:00+00:00', '` + at + `', '` + at + `'),
			(3, 'ccccccccccccccccccc3', 2, 3, 1, 'draft', 'AMBER', 'malware', 'C', 's', 'en', 0, NULL, '` + at + `', '` + at + `')`,
		`INSERT INTO incident_indicators (id, public_id, incident_id, type, value, role, author_id, created_at, updated_at) VALUES
			(1, 'ddddddddddddddddddd1', 1, 'ipv4', '192.0.2.1', 'source', 2, '` + at + `', '` + at + `'),
			(2, 'ddddddddddddddddddd2', 1, 'ipv4', '192.0.2.2', 'source', 2, '` + at + `', '` + at + `'),
			(3, 'ddddddddddddddddddd3', 3, 'ipv4', '192.0.2.3', 'source', 1, '` + at + `', '` + at + `')`,
		`INSERT INTO incident_positions (incident_id, target_type, target_id, side_id, kind, reason, user_id, created_at, superseded_at) VALUES
			(1, 'indicator', 1, 2, 'confirmed', '', 1, '` + at + `', '` + at + `'),
			(1, 'indicator', 1, 2, 'disputed', 'no', 1, '` + at + `', NULL)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	if _, err := p.UpTo(ctx, 17); err != nil {
		t.Fatal(err)
	}
	rows := func(q string) string {
		t.Helper()
		r, err := raw.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		cols, _ := r.Columns()
		var out []string
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.TrimSpace(fmt.Sprintln(vals...)))
		}
		return strings.Join(out, "; ")
	}
	if got, want := rows(`SELECT status, tlp, reporting_side_id, category, month, n FROM incident_counts WHERE n > 0 ORDER BY 1`),
		"closed RED 3 intrusion 2013-06 1; reported GREEN 3 defacement 2013-05 1"; got != want {
		t.Errorf("incident counts %q, want %q", got, want)
	}
	if got, want := rows(`SELECT tlp, reporting_side_id, side_id, kind || '.', n FROM incident_indicator_counts WHERE n > 0 ORDER BY 3`),
		"GREEN 3 0 . 2; GREEN 3 2 disputed. 1"; got != want {
		t.Errorf("indicator counts %q, want %q", got, want)
	}
	// From now on the triggers keep them: the draft is reported with its indicator.
	if _, err := raw.Exec(`UPDATE incidents SET status = 'reported', revision = 1, reported_at = '` + at + `' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	if got, want := rows(`SELECT tlp, reporting_side_id, side_id, kind || '.', n FROM incident_indicator_counts WHERE n > 0 ORDER BY 1, 3`),
		"AMBER 2 0 . 1; GREEN 3 0 . 2; GREEN 3 2 disputed. 1"; got != want {
		t.Errorf("indicator counts after reporting the draft %q, want %q", got, want)
	}
}

// Migration 00019 rebuilds the meeting lines to take the review of open
// actions: every line is kept as it was, and the new line is taken.
func TestActionsReviewLineMigrationKeepsEveryLine(t *testing.T) {
	ctx := context.Background()
	raw, p := oldDatabase(t)
	if _, err := p.UpTo(ctx, 18); err != nil {
		t.Fatal(err)
	}
	at := "2013-05-10 09:00:00+00:00"
	for _, q := range []string{
		`INSERT INTO sides (id, public_id, code, kind, name_en, name_zh, time_zone, language, created_at, updated_at) VALUES
			(2, 'aaaaaaaaaaaaaaaaaaa2', 'US', 'delegation', 'US', '美国', 'America/New_York', 'en', '` + at + `', '` + at + `')`,
		`INSERT INTO users (id, public_id, side_id, email, name, role, password_hash, created_at, updated_at) VALUES
			(1, 'bbbbbbbbbbbbbbbbbbb1', 2, 'a@x.example', 'A', 'delegate', 'x', '` + at + `', '` + at + `')`,
		`INSERT INTO meetings (id, public_id, kind, title_en, title_zh, format, zone, duration_minutes, status, created_by,
			created_at, updated_at) VALUES (1, 'eeeeeeeeeeeeeeeeeee1', 'informal', 'M', '会', 'video', 'UTC', 60, 'planning', 1,
			'` + at + `', '` + at + `')`,
		`INSERT INTO meeting_lines (id, public_id, meeting_id, position, procedure, duration_minutes, lead_side_id, minutes,
			outcome, created_at) VALUES
			(1, 'fffffffffffffffffff1', 1, 1, 'opening', 10, 2, 'Opened.', 'noted', '` + at + `'),
			(2, 'fffffffffffffffffff2', 1, 2, 'closing', 5, NULL, '', '', '` + at + `')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	if _, err := raw.Exec(`INSERT INTO meeting_lines (public_id, meeting_id, position, procedure, duration_minutes, created_at)
		VALUES ('fffffffffffffffffff3', 1, 3, 'actions_review', 15, '` + at + `')`); err == nil {
		t.Fatal("before the migration, the review line is taken")
	}
	if _, err := p.UpTo(ctx, 19); err != nil {
		t.Fatal(err)
	}
	var n int
	raw.QueryRow(`SELECT COUNT(*) FROM meeting_lines WHERE (id = 1 AND public_id = 'fffffffffffffffffff1' AND procedure = 'opening'
		AND duration_minutes = 10 AND lead_side_id = 2 AND minutes = 'Opened.' AND outcome = 'noted')
		OR (id = 2 AND procedure = 'closing' AND lead_side_id IS NULL)`).Scan(&n)
	if n != 2 {
		t.Fatalf("%d of the 2 lines kept as they were", n)
	}
	if _, err := raw.Exec(`INSERT INTO meeting_lines (public_id, meeting_id, position, procedure, duration_minutes, created_at)
		VALUES ('fffffffffffffffffff3', 1, 3, 'actions_review', 15, '` + at + `')`); err != nil {
		t.Fatalf("after the migration, the review line is refused: %v", err)
	}
}
