package web

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/actions"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/app/meetings"
)

// testServer is Parley on a fresh temp-file database with the demo working
// group, served over real HTTP through the real router.
type testServer struct {
	t      *testing.T
	svc    *app.Service
	agenda *agenda.Service
	meet   *meetings.Service
	inc    *incidents.Service
	act    *actions.Service
	srv    *Server
	http   *httptest.Server
	clock  *testClock
}

type testClock struct{ t time.Time }

func (c *testClock) now() time.Time          { return c.t }
func (c *testClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	ts := newTestServerTB(t)
	ts.t = t
	return ts
}

// newTestServerTB is newTestServer for tests and benchmarks alike.
func newTestServerTB(t testing.TB) *testServer {
	t.Helper()
	ctx := context.Background()
	db, err := app.OpenDB(ctx, demoCopy(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sv, clk := testServices(db)
	srv, err := New(sv, Config{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testServer{svc: sv.Core, agenda: sv.Agenda, meet: sv.Meetings, inc: sv.Incidents, act: sv.Actions, srv: srv, http: hs, clock: clk}
}

// testStart is where the test clock starts: 09:30 in Beijing, 21:30 the
// day before in Washington.
var testStart = time.Date(2013, 7, 10, 1, 30, 0, 0, time.UTC)

// testServices are the services on db, with the test clock and cheap
// password hashing.
func testServices(db *app.DB) (Services, *testClock) {
	svc := app.NewService(db)
	clk := &testClock{t: testStart}
	svc.Now = clk.now
	svc.Argon = app.ArgonParams{Memory: 64, Time: 1, Threads: 1}
	skey, vkey, err := note.GenerateKey(rand.Reader, "parley-test-log")
	if err != nil {
		panic(err)
	}
	if err := svc.UseLogKey(skey, vkey); err != nil {
		panic(err)
	}
	ag := agenda.New(svc)
	mt, inc := meetings.New(svc, ag), incidents.New(svc)
	return Services{Core: svc, Agenda: ag, Meetings: mt, Incidents: inc, Actions: actions.New(svc, ag, mt, inc)}, clk
}

// demoTemplate is a database holding the demo working group, seeded by
// the actions' SeedDemo once per run at the test clock's start; every test server
// starts from its own copy, which is several times faster than seeding
// each one (the authorization matrix starts well over a thousand).
var demoTemplate struct {
	once    sync.Once
	dir, db string
	err     error
}

// demoCopy is a fresh copy of the demo database, in the test's own directory.
func demoCopy(t testing.TB) string {
	t.Helper()
	demoTemplate.once.Do(func() {
		demoTemplate.dir, demoTemplate.err = os.MkdirTemp("", "parley-web-test-")
		if demoTemplate.err == nil {
			demoTemplate.db, demoTemplate.err = seedTemplate(demoTemplate.dir)
		}
	})
	if demoTemplate.err != nil {
		t.Fatalf("the demo database: %v", demoTemplate.err)
	}
	b, err := os.ReadFile(demoTemplate.db)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "parley.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// seedTemplate seeds the demo in dir and writes a compact, self-contained
// copy of it (VACUUM INTO), whose path it returns.
func seedTemplate(dir string) (string, error) {
	ctx := context.Background()
	db, err := app.OpenDB(ctx, filepath.Join(dir, "seeding.db"))
	if err != nil {
		return "", err
	}
	defer db.Close()
	sv, _ := testServices(db)
	if seeded, err := sv.Actions.SeedDemo(ctx, sv.Incidents, sv.Meetings); err != nil || !seeded {
		return "", fmt.Errorf("seeded %v: %v", seeded, err)
	}
	if err := seedIncidentFixtures(ctx, sv); err != nil {
		return "", fmt.Errorf("incident fixtures: %v", err)
	}
	out := filepath.Join(dir, "demo.db")
	if _, err := db.Writer().Exec("VACUUM INTO ?", out); err != nil {
		return "", err
	}
	return out, nil
}

// publicID is the opaque identifier of a record given by its row id.
func (ts *testServer) publicID(kind string, id int64) string {
	ts.t.Helper()
	var pid string
	err := ts.svc.DB().Reader().QueryRow("SELECT public_id FROM "+refTable(kind)+" WHERE id = ?", id).Scan(&pid)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Sprintf("%020x", id) // well formed, naming nothing
	}
	if err != nil {
		ts.t.Fatalf("%s %d: %v", kind, id, err)
	}
	return pid
}

// rowID is the row id behind an opaque identifier (0 when none).
func (ts *testServer) rowID(kind, pid string) int64 {
	ts.t.Helper()
	id, err := ts.svc.Resolve(context.Background(), app.System, kind, pid)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", kind, pid, err)
	}
	return id
}

func refTable(kind string) string {
	return map[string]string{agenda.RefItem: "agenda_items", agenda.RefAmendment: "amendments", app.RefComment: "comments",
		app.RefUser: "users", app.RefSide: "sides", agenda.RefCategory: "categories"}[kind]
}

// client is one browser: its own cookies; redirects are not followed.
type client struct {
	t  *testing.T
	ts *testServer
	c  *http.Client
}

func (ts *testServer) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: ts.t, ts: ts, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is a finished request.
type response struct {
	*http.Response
	Body string
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &response{Response: res, Body: string(b)}
}

func (c *client) get(path string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.ts.http.URL+path, nil)
	return c.do(req)
}

// csrf returns the token a page of this browser carries: signed in, the
// session's own token; before, the CSRF cookie's (fetching the login page
// first if needed). TestCSRFTokenBoundToSession checks that pages carry it.
func (c *client) csrf() string {
	c.t.Helper()
	if sess := c.jarCookie("parley_session"); sess != "" {
		return sessionCSRF(sess)
	}
	if tok := c.jarCookie("parley_csrf"); tok != "" {
		return tok
	}
	c.get("/login")
	if tok := c.jarCookie("parley_csrf"); tok != "" {
		return tok
	}
	c.t.Fatal("no CSRF cookie")
	return ""
}

// post submits a form with the right CSRF token.
func (c *client) post(path string, form url.Values) *response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", c.csrf())
	}
	return c.postRaw(path, form)
}

// postRaw submits a form exactly as given.
func (c *client) postRaw(path string, form url.Values) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.ts.http.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login signs in a demo account and checks it worked.
func (c *client) login(email string) *client {
	c.t.Helper()
	res := c.post("/login", url.Values{"email": {email}, "password": {app.DemoPassword}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d\n%s", email, res.StatusCode, res.Body)
	}
	return c
}

// as returns a signed-in client for a demo account.
func (ts *testServer) as(email string) *client { return ts.client().login(email) }

// TestMain keeps request logs out of test output (PARLEY_TEST_LOGS=1 shows them).
func TestMain(m *testing.M) {
	if os.Getenv("PARLEY_TEST_LOGS") == "" {
		slog.SetDefault(slog.New(slog.DiscardHandler))
	}
	code := m.Run()
	if demoTemplate.dir != "" {
		os.RemoveAll(demoTemplate.dir)
	}
	os.Exit(code)
}

// wantRefusedAt checks a form refused with status 422: msg next to field,
// no message next to the form's other fields, and the form's alert. It
// reports whether the status was right (the rest is worth checking).
func wantRefusedAt(t *testing.T, what string, res *response, field, msg string, fields []string, alert string) bool {
	t.Helper()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("%s: status %d, want 422", what, res.StatusCode)
		return false
	}
	if got := fieldError(res.Body, field); got != msg {
		t.Errorf("%s: message next to %s is %q, want %q", what, field, got, msg)
	}
	for _, f := range fields {
		if f != field && fieldError(res.Body, f) != "" {
			t.Errorf("%s: unexpected message next to %s: %q", what, f, fieldError(res.Body, f))
		}
	}
	if got := alertText(res.Body); got != alert {
		t.Errorf("%s: form message %q, want %q", what, got, alert)
	}
	return true
}

// services are the test server's services, for another server on them.
func (ts *testServer) services() Services {
	return Services{Core: ts.svc, Agenda: ts.agenda, Meetings: ts.meet, Incidents: ts.inc, Actions: ts.act}
}
