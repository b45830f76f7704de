package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/parley/parley/app"
)

func TestMetricsCountRequestsByRoute(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("us.head@parley.example")
	c.get("/")
	c.get("/admin/users/" + ts.publicID(app.RefUser, 1))
	rec := httptest.NewRecorder()
	ts.srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`parley_http_requests_total{method="GET",route="/",status="200"} 1`,
		`parley_http_requests_total{method="GET",route="/admin/users/:id",status="200"} 1`,
		`parley_http_request_duration_seconds_count{method="GET",route="/admin/users/:id"} 1`,
		`go_sql_open_connections{db_name="writer"}`,
		`go_sql_open_connections{db_name="reader"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// The metrics are not on the application's own address.
	if res := c.get("/metrics"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the main address: %d", res.StatusCode)
	}
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLogsHoldNoSecrets(t *testing.T) {
	var buf syncBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	ts := newTestServer(t)
	c := ts.client()
	c.post("/login", url.Values{"email": {"us.head@parley.example"}, "password": {"wrong password here"}})
	c.login("us.head@parley.example")
	c.get("/?token=querysecret")
	u, _ := url.Parse(ts.http.URL)
	var session, csrf string
	for _, ck := range c.c.Jar.Cookies(u) {
		switch ck.Name {
		case "parley_session":
			session = ck.Value
		case "parley_csrf":
			csrf = ck.Value
		}
	}
	if session == "" || csrf == "" {
		t.Fatal("no session or CSRF cookie")
	}
	logs := buf.String()
	if !strings.Contains(logs, `"request_id"`) || !strings.Contains(logs, `"route":"/"`) {
		t.Fatalf("request lines missing: %s", logs)
	}
	for _, secret := range []string{app.DemoPassword, "wrong password here", session, csrf, "querysecret"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain a secret %q", secret)
		}
	}
}

// Switching language keeps the page and its filters.
func TestLanguageSwitchReturnsToThePageWithItsQuery(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("cn.head@parley.example")
	page := c.get("/agenda?status=adopted&sort=title")
	if !strings.Contains(page.Body, `name="next" value="/agenda?status=adopted&amp;sort=title"`) {
		t.Fatalf("the language switch does not return to the filtered list")
	}
	res := c.post("/language", url.Values{"lang": {"en"}, "next": {"/agenda?status=adopted&sort=title"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/agenda?status=adopted&sort=title" {
		t.Fatalf("switch: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.post("/language", url.Values{"lang": {"zh"}, "next": {"//evil.example/x"}}); res.Header.Get("Location") != "/" {
		t.Fatalf("an off-site next was followed: %s", res.Header.Get("Location"))
	}
}
