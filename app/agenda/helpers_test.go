package agenda

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/parley/parley/app"
)

// Test helpers for the agenda: a fresh temp-file database with the demo
// working group per test, and readers of the audit trail.

var fastArgon = app.ArgonParams{Memory: 64, Time: 1, Threads: 1}

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// newTestService opens a fresh database with the demo working group and its agenda.
func newTestService(t *testing.T) (*Service, *clock) {
	t.Helper()
	ctx := context.Background()
	db, err := app.OpenDB(ctx, filepath.Join(t.TempDir(), "parley.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	core := app.NewService(db)
	c := &clock{t: time.Date(2013, 7, 10, 9, 0, 0, 0, time.UTC)}
	core.Now = c.now
	core.Argon = fastArgon
	s := New(core)
	if seeded, err := s.SeedDemo(ctx); err != nil || !seeded {
		t.Fatalf("seed demo: %v %v", seeded, err)
	}
	return s, c
}

// user returns an account as the next request would load it.
func user(t *testing.T, s *Service, email string) *app.User {
	t.Helper()
	u, err := s.core.FindUserByEmail(context.Background(), app.System, email)
	if err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return u
}

// userByID reloads an account.
func userByID(t *testing.T, s *Service, id int64) *app.User {
	t.Helper()
	u, err := s.core.GetUser(context.Background(), app.System, id)
	if err != nil {
		t.Fatalf("user %d: %v", id, err)
	}
	return u
}

func side(t *testing.T, s *Service, code string) *app.Side {
	t.Helper()
	sd, err := s.core.SideByCode(context.Background(), app.System, code)
	if err != nil {
		t.Fatalf("side %s: %v", code, err)
	}
	return sd
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (err %v), want %q", got, err, code)
	}
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("error = %v, want EINVALID with %s=%s", err, field, key)
	}
	if got := app.FieldErrors(err)[field]; got != key {
		t.Fatalf("field %q = %q (all: %v), want %q", field, got, app.FieldErrors(err), key)
	}
}

func countRows(t *testing.T, s *Service, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.core.DB().Reader().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// auditRecords reads the whole trail, oldest first.
func auditRecords(t *testing.T, s *Service) []app.AuditRecord {
	t.Helper()
	rows, err := s.core.DB().Reader().Query(`SELECT id, chain, seq, at, actor_id, actor_name, actor_side, action,
		object_type, object_id, changes, prev_hash, hash FROM audit_records ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []app.AuditRecord
	for rows.Next() {
		var r app.AuditRecord
		var at string
		if err := rows.Scan(&r.ID, &r.Chain, &r.Seq, &at, &r.ActorID, &r.ActorName, &r.ActorSide, &r.Action,
			&r.ObjectType, &r.ObjectID, &r.Changes, &r.PrevHash, &r.Hash); err != nil {
			t.Fatal(err)
		}
		r.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, r)
	}
	return out
}

// checkAppended checks that exactly one record was appended since before,
// on chain, for action on the object by actor, and that every chain verifies.
func checkAppended(t *testing.T, s *Service, before []app.AuditRecord, chain, action string, objectID int64, actor *app.User) app.AuditRecord {
	t.Helper()
	after := auditRecords(t, s)
	if len(after) != len(before)+1 {
		t.Fatalf("%s: %d new audit records, want 1", action, len(after)-len(before))
	}
	r := after[len(after)-1]
	if r.Chain != chain || r.Action != action || r.ObjectID != objectID {
		t.Fatalf("appended %s/%s object %d, want %s/%s object %d", r.Chain, r.Action, r.ObjectID, chain, action, objectID)
	}
	if actor != nil && (r.ActorID == nil || *r.ActorID != actor.ID) {
		t.Fatalf("%s: actor %v, want %d", action, r.ActorID, actor.ID)
	}
	if _, problems, err := s.core.DB().VerifyAudit(context.Background()); err != nil || len(problems) > 0 {
		t.Fatalf("%s: the trail does not verify: %v %v", action, problems, err)
	}
	return r
}

func changesOf(t *testing.T, r app.AuditRecord) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Changes), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func chainNames(heads []app.ChainHead) []string {
	var out []string
	for _, h := range heads {
		out = append(out, h.Chain)
	}
	return out
}

// together runs fns at the same moment and returns their errors.
func together(fns ...func() error) []error {
	errs := make([]error, len(fns))
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i, fn := range fns {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			errs[i] = fn()
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return errs
}

// lastRecord returns the newest audit record, failing if there is none.
func lastRecord(t *testing.T, s *Service) app.AuditRecord {
	t.Helper()
	recs := auditRecords(t, s)
	if len(recs) == 0 {
		t.Fatal("no audit records")
	}
	return recs[len(recs)-1]
}

// chainRecords returns one chain's records in order.
func chainRecords(t *testing.T, s *Service, chain string) []app.AuditRecord {
	t.Helper()
	var out []app.AuditRecord
	for _, r := range auditRecords(t, s) {
		if r.Chain == chain {
			out = append(out, r)
		}
	}
	return out
}
