package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/parley/parley/app"
)

// reCSRFField is the token a page's forms carry.
var reCSRFField = regexp.MustCompile(`<input type="hidden" name="_csrf" value="([^"]*)"`)

// The token of one session does not work in another, even with the CSRF
// cookie that belongs to it (as an attacker who can set cookies would send).
func TestCSRFTokenBoundToSession(t *testing.T) {
	ts := newTestServer(t)
	a := ts.as("us.head@parley.example")
	b := ts.as("us.head@parley.example") // the same person, another browser
	pageA, pageB := a.get("/"), b.get("/")
	tokA, tokB := firstMatch(reCSRFField, pageA.Body), firstMatch(reCSRFField, pageB.Body)
	if tokA == "" || tokB == "" || tokA == tokB {
		t.Fatalf("page tokens %q and %q: missing or shared between sessions", tokA, tokB)
	}
	if unmaskToken(tokA) != a.csrf() {
		t.Fatalf("the page token %q is not, under its mask, the one the test client sends (%q)", tokA, a.csrf())
	}
	if again := firstMatch(reCSRFField, a.get("/").Body); again == tokA || unmaskToken(again) != unmaskToken(tokA) {
		t.Fatalf("the page token is not masked afresh on every page: %q then %q", tokA, again)
	}

	// b's session, a's token, with a CSRF cookie holding a's token (or b's own cookie).
	for _, csrfCookie := range []string{tokA, a.jarCookie("parley_csrf"), b.jarCookie("parley_csrf")} {
		mixed := ts.withCookie("parley_session", b.jarCookie("parley_session"))
		u, _ := url.Parse(ts.http.URL)
		mixed.c.Jar.SetCookies(u, []*http.Cookie{{Name: "parley_csrf", Value: csrfCookie, Path: "/"}})
		for _, tok := range []string{tokA, csrfCookie} {
			res := mixed.postRaw("/account", url.Values{"_csrf": {tok}, "version": {"1"}, "language": {"zh"}})
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("session b with token %.8q… and CSRF cookie %.8q…: status %d, want 403", tok, csrfCookie, res.StatusCode)
			}
		}
	}
	// An anonymous visitor's double-submit pair does not work for a session either.
	anon := ts.client()
	anonTok := anon.csrf()
	planted := ts.withCookie("parley_session", b.jarCookie("parley_session"))
	u, _ := url.Parse(ts.http.URL)
	planted.c.Jar.SetCookies(u, []*http.Cookie{{Name: "parley_csrf", Value: anonTok, Path: "/"}})
	if res := planted.postRaw("/logout", url.Values{"_csrf": {anonTok}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("session with a planted anonymous CSRF pair: status %d, want 403", res.StatusCode)
	}
	if u, _ := ts.svc.FindUserByEmail(t.Context(), app.System, "us.head@parley.example"); u.Language != "" || u.Version != 1 {
		t.Errorf("a refused request changed the account: language %q version %d", u.Language, u.Version)
	}
	// Each session's own page token works.
	wantRedirect(t, "b's own token", b.postRaw("/account", url.Values{"_csrf": {tokB}, "version": {"1"}, "language": {"zh"}}), "/account")
	wantRedirect(t, "a's own token", a.postRaw("/logout", url.Values{"_csrf": {tokA}}), "/login")
	// After signing in again, the old token is dead.
	a.login("us.head@parley.example")
	if res := a.postRaw("/logout", url.Values{"_csrf": {tokA}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("the previous session's token after signing in again: status %d, want 403", res.StatusCode)
	}
}

// The token travels in the form body or a header, never in the query string.
func TestCSRFTokenNotAcceptedInQuery(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("us.delegate@parley.example")
	tok := c.csrf()
	res := c.postRaw("/logout?_csrf="+url.QueryEscape(tok), url.Values{})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("signed in, token in the query: status %d, want 403", res.StatusCode)
	}
	res = c.postRaw("/account?_csrf="+url.QueryEscape(tok), url.Values{"version": {"1"}, "language": {"zh"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("signed in, token in the query of a settings form: status %d, want 403", res.StatusCode)
	}
	anon := ts.client()
	atok := anon.csrf()
	res = anon.postRaw("/login?_csrf="+url.QueryEscape(atok), loginForm("us.head@parley.example", app.DemoPassword))
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("anonymous, token in the query: status %d, want 403", res.StatusCode)
	}
	wantStatus(t, "still signed in", c.get("/"), http.StatusOK)
	// The body field and the header work.
	wantRedirect(t, "token in the header", c.send(http.MethodPost, "/language", url.Values{"lang": {"en"}, "next": {"/"}},
		http.Header{"X-Csrf-Token": {tok}}), "/")
	wantRedirect(t, "token in the body", c.postRaw("/logout", url.Values{"_csrf": {tok}}), "/login")
}

// Browsers that send no Sec-Fetch-Site still send Origin: a foreign one is refused.
func TestCSRFOriginChecked(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("us.head@parley.example")
	tok := c.csrf()
	for _, origin := range []string{"https://evil.example", "http://evil.example", "null",
		"http://127.0.0.1.evil.example", "http://" + strings.TrimPrefix(ts.http.URL, "http://") + ".evil.example"} {
		res := c.send(http.MethodPost, "/account", url.Values{"_csrf": {tok}, "version": {"1"}, "language": {"zh"}},
			http.Header{"Origin": {origin}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("Origin %s without Sec-Fetch-Site: status %d, want 403", origin, res.StatusCode)
		}
		// Anonymous sign-in too (login CSRF).
		anon := ts.client()
		f := loginForm("us.delegate@parley.example", app.DemoPassword)
		f.Set("_csrf", anon.csrf())
		if res := anon.send(http.MethodPost, "/login", f, http.Header{"Origin": {origin}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("login with Origin %s: status %d, want 403", origin, res.StatusCode)
		}
	}
	if u, _ := ts.svc.FindUserByEmail(t.Context(), app.System, "us.head@parley.example"); u.Version != 1 {
		t.Errorf("a refused request changed the account: version %d", u.Version)
	}
	// The server's own origin is accepted, with or without Sec-Fetch-Site.
	wantRedirect(t, "same origin", c.send(http.MethodPost, "/language", url.Values{"_csrf": {tok}, "lang": {"en"}, "next": {"/"}},
		http.Header{"Origin": {ts.http.URL}}), "/")
	wantRedirect(t, "same origin, same-origin fetch", c.send(http.MethodPost, "/logout", url.Values{"_csrf": {tok}},
		http.Header{"Origin": {ts.http.URL}, "Sec-Fetch-Site": {"same-origin"}}), "/login")

	// With a configured public address, that is the origin.
	hs := newSecureServer(t, ts)
	login := func(origin string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, hs.URL+"/login", nil)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		var ck *http.Cookie
		for _, x := range res.Cookies() {
			if x.Name == "__Host-parley_csrf" {
				ck = x
			}
		}
		if ck == nil {
			t.Fatal("no CSRF cookie")
		}
		f := loginForm("us.delegate@parley.example", app.DemoPassword)
		f.Set("_csrf", ck.Value)
		req, _ = http.NewRequest(http.MethodPost, hs.URL+"/login", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", origin)
		req.AddCookie(ck)
		res, err = http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := login("https://parley.example"); st != http.StatusSeeOther {
		t.Errorf("BaseURL https://parley.example, Origin the same: status %d, want 303", st)
	}
	for _, o := range []string{"https://evil.example", "http://parley.example", "https://parley.example:8443", "null"} {
		if st := login(o); st != http.StatusForbidden {
			t.Errorf("BaseURL https://parley.example, Origin %s: status %d, want 403", o, st)
		}
	}
}

// Request ids come from the server: a client's X-Request-ID is neither echoed nor logged.
func TestRequestIDGeneratedByServer(t *testing.T) {
	var buf syncBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	ts := newTestServer(t)
	const forged = "forged-request-id-\u2028-injected"
	seen := map[string]bool{}
	for _, path := range []string{"/login", "/no-such-page", "/healthz"} {
		res := ts.client().send(http.MethodGet, path, nil, http.Header{"X-Request-Id": {forged}})
		id := res.Header.Get("X-Request-Id")
		if id == "" || id == forged || strings.Contains(id, "forged") {
			t.Errorf("GET %s: X-Request-ID %q; want a fresh id from the server", path, id)
		}
		if seen[id] {
			t.Errorf("GET %s: request id %q repeated", path, id)
		}
		seen[id] = true
		if !strings.Contains(buf.String(), `"request_id":"`+id+`"`) {
			t.Errorf("GET %s: the log does not carry the server's id %q", path, id)
		}
	}
	if strings.Contains(buf.String(), "forged") {
		t.Errorf("the client's request id reached the log:\n%s", buf.String())
	}
}
