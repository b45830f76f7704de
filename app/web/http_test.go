package web

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/app"
)

// Helpers for reading pages.

var (
	reAlert   = regexp.MustCompile(`(?s)<div class="form-errors" role="alert">(.*?)</div>`)
	reHTMLTag = regexp.MustCompile(`<html lang="([^"]*)"`)
	reNow     = regexp.MustCompile(`(?s)<dd id="now"><time datetime="[^"]*">(.*?)</time></dd>`)
	reTemp    = regexp.MustCompile(`<code id="temp-password">([^<]+)</code>`)
	reNonce   = regexp.MustCompile(`'nonce-([^']+)'`)
)

func firstMatch(re *regexp.Regexp, body string) string {
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(strings.TrimSpace(m[1]))
}

func alertText(body string) string { return firstMatch(reAlert, body) }
func htmlLang(body string) string  { return firstMatch(reHTMLTag, body) }
func nowText(body string) string   { return firstMatch(reNow, body) }

// fieldError is the message shown next to a form field.
func fieldError(body, field string) string {
	re := regexp.MustCompile(`<p class="field-error" id="` + regexp.QuoteMeta(field) + `-error">([^<]*)</p>`)
	return firstMatch(re, body)
}

// setCookie finds a cookie the response sets.
func setCookie(res *response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// jarCookie is the value the client's jar holds for name ("" if none).
func (c *client) jarCookie(name string) string {
	u, _ := url.Parse(c.ts.http.URL)
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// withCookie is a fresh browser holding only the given cookie.
func (ts *testServer) withCookie(name, value string) *client {
	c := ts.client()
	u, _ := url.Parse(ts.http.URL)
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
	return c
}

func wantStatus(t *testing.T, what string, res *response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, res.Body)
	}
}

func wantRedirect(t *testing.T, what string, res *response, prefix string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), prefix) {
		t.Fatalf("%s: status %d, Location %q; want 303 to %s", what, res.StatusCode, res.Header.Get("Location"), prefix)
	}
}

func loginForm(email, password string) url.Values {
	return url.Values{"email": {email}, "password": {password}}
}

// Sign-in and sessions.

func TestLoginSetsFreshSessionCookie(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client()
	// A cookie planted before signing in (session fixation) is not kept.
	u, _ := url.Parse(ts.http.URL)
	anonToken := c.csrf() // the login form's token, before the planted session cookie
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: "parley_session", Value: "planted-by-an-attacker", Path: "/"}})

	f := loginForm("us.delegate@parley.example", app.DemoPassword)
	f.Set("_csrf", anonToken)
	res := c.post("/login", f)
	wantRedirect(t, "login", res, "/")
	ck := setCookie(res, "parley_session")
	if ck == nil {
		t.Fatalf("login sets no parley_session cookie; cookies %v", res.Cookies())
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
		t.Errorf("session cookie: HttpOnly %v SameSite %v Path %q; want HttpOnly, Lax, /", ck.HttpOnly, ck.SameSite, ck.Path)
	}
	if ck.Secure {
		t.Errorf("session cookie is Secure on a plain-http server")
	}
	if ck.Value == "" || ck.Value == "planted-by-an-attacker" || len(ck.Value) < 40 {
		t.Errorf("session token %q is not a fresh random token", ck.Value)
	}
	first := ck.Value
	wantStatus(t, "dashboard after login", c.get("/"), http.StatusOK)

	// Signing in again gives another token, in the same and in another browser.
	res = c.post("/login", loginForm("us.delegate@parley.example", app.DemoPassword))
	wantRedirect(t, "second login", res, "/")
	second := setCookie(res, "parley_session")
	if second == nil || second.Value == first || second.Value == "" {
		t.Fatalf("second login did not issue a new token (first %q, second %v)", first, second)
	}
	// The next address stays on this site.
	for next, want := range map[string]string{"/audit": "/audit", "//evil.example/": "/", "https://evil.example/": "/",
		"/\\evil.example": "/"} {
		f := loginForm("us.delegate@parley.example", app.DemoPassword)
		f.Set("next", next)
		if res := ts.client().post("/login", f); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("login with next=%q: status %d, Location %q; want %q", next, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	other := ts.as("us.delegate@parley.example").jarCookie("parley_session")
	if other == "" || other == first || other == second.Value {
		t.Errorf("a login in another browser reused a token")
	}
}

func TestLoginFailureSameForUnknownEmailAndWrongPassword(t *testing.T) {
	ts := newTestServer(t)
	unknown := ts.client().post("/login", loginForm("nobody@parley.example", app.DemoPassword))
	wrong := ts.client().post("/login", loginForm("us.head@parley.example", "wrong-password-2013"))
	if unknown.StatusCode != http.StatusUnauthorized || wrong.StatusCode != http.StatusUnauthorized {
		t.Fatalf("statuses: unknown email %d, wrong password %d; want 401 for both", unknown.StatusCode, wrong.StatusCode)
	}
	mu, mw := alertText(unknown.Body), alertText(wrong.Body)
	if mu != "The email or password is not correct." || mu != mw {
		t.Fatalf("messages differ or are wrong: unknown email %q, wrong password %q", mu, mw)
	}
	for _, res := range []*response{unknown, wrong} {
		if setCookie(res, "parley_session") != nil {
			t.Errorf("a failed login set a session cookie")
		}
	}
	// A disabled account answers the same.
	ctx := t.Context()
	u, err := ts.svc.FindUserByEmail(ctx, app.System, "us.observer@parley.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.svc.SetUserDisabled(ctx, app.System, u.ID, u.Version, true); err != nil {
		t.Fatal(err)
	}
	disabled := ts.client().post("/login", loginForm("us.observer@parley.example", app.DemoPassword))
	if disabled.StatusCode != http.StatusUnauthorized || alertText(disabled.Body) != mu {
		t.Errorf("disabled account: status %d, message %q; want 401, %q", disabled.StatusCode, alertText(disabled.Body), mu)
	}
}

func TestLoginThrottledPerAccount(t *testing.T) {
	ts := newTestServer(t)
	check := func(email, acceptLanguage, wantMsg string) {
		t.Helper()
		c := ts.client()
		hdr := http.Header{}
		if acceptLanguage != "" {
			hdr.Set("Accept-Language", acceptLanguage)
		}
		post := func(pw string) *response {
			f := loginForm(email, pw)
			f.Set("_csrf", c.csrf())
			return c.send(http.MethodPost, "/login", f, hdr)
		}
		for i := 1; i <= 5; i++ {
			if res := post("wrong-password-2013"); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("%s failure %d: status %d, want 401", email, i, res.StatusCode)
			}
		}
		res := post(app.DemoPassword) // the right password, too late
		if res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("%s 6th attempt with the right password: status %d, want 429", email, res.StatusCode)
		}
		if ra := res.Header.Get("Retry-After"); ra != "900" {
			t.Errorf("%s: Retry-After %q, want 900 (15 minutes)", email, ra)
		}
		if got := alertText(res.Body); got != wantMsg {
			t.Errorf("%s: throttled message %q, want %q", email, got, wantMsg)
		}
		if setCookie(res, "parley_session") != nil {
			t.Errorf("%s: a throttled attempt got a session", email)
		}
		// Once the window has passed, the right password works again.
		ts.clock.advance(15*time.Minute + time.Second)
		if res := post(app.DemoPassword); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s after the wait: status %d, want 303", email, res.StatusCode)
		}
	}
	check("us.head@parley.example", "", "Too many failed attempts. Please wait 15 minute(s) and try again.")
	check("cn.delegate@parley.example", "zh-CN", "失败次数过多。请等待 15 分钟后再试。")
}

func TestForwardedForIgnoredUnlessTrusted(t *testing.T) {
	tok := strings.Repeat("k", 43) // any token of the right length, sent as cookie and field
	attempt := func(ts *testServer, hs *httptest.Server, email, pw, xff string) int {
		t.Helper()
		f := loginForm(email, pw)
		f.Set("_csrf", tok)
		req, _ := http.NewRequest(http.MethodPost, hs.URL+"/login", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", xff)
		req.AddCookie(&http.Cookie{Name: "parley_csrf", Value: tok})
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}

	// No trusted proxies: every attempt comes from 127.0.0.1, whatever the header says.
	ts := newTestServer(t)
	ts.svc.MaxFailuresPerClient = 3
	for i, email := range []string{"a@parley.example", "us.head@parley.example", "cn.head@parley.example"} {
		if st := attempt(ts, ts.http, email, "wrong-password-2013", "203.0.113."+itoa(int64(i+1))); st != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d, want 401", i+1, st)
		}
	}
	if st := attempt(ts, ts.http, "us.delegate@parley.example", app.DemoPassword, "198.51.100.77"); st != http.StatusTooManyRequests {
		t.Errorf("4th attempt from the same address with a forged X-Forwarded-For: status %d, want 429", st)
	}

	// Behind a trusted proxy, the header names the client: other clients are not throttled.
	ts2 := newTestServer(t)
	ts2.svc.MaxFailuresPerClient = 3
	srv, err := New(ts2.services(), Config{TrustedProxies: []string{"127.0.0.1/32"}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	for i, email := range []string{"a@parley.example", "us.head@parley.example", "cn.head@parley.example"} {
		if st := attempt(ts2, hs, email, "wrong-password-2013", "203.0.113.9"); st != http.StatusUnauthorized {
			t.Fatalf("trusted proxy, failure %d: status %d, want 401", i+1, st)
		}
	}
	if st := attempt(ts2, hs, "us.delegate@parley.example", app.DemoPassword, "198.51.100.77"); st != http.StatusSeeOther {
		t.Errorf("trusted proxy, another client: status %d, want 303", st)
	}
	if st := attempt(ts2, hs, "us.delegate@parley.example", app.DemoPassword, "203.0.113.9"); st != http.StatusTooManyRequests {
		t.Errorf("trusted proxy, the failing client: status %d, want 429", st)
	}
}

func TestLogoutEndsSessionOnServer(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("cn.delegate@parley.example")
	token := c.jarCookie("parley_session")
	if token == "" {
		t.Fatal("no session cookie")
	}
	wantStatus(t, "replay before logout", ts.withCookie("parley_session", token).get("/"), http.StatusOK)
	res := c.post("/logout", nil)
	wantRedirect(t, "logout", res, "/login")
	if ck := setCookie(res, "parley_session"); ck == nil || ck.MaxAge >= 0 {
		t.Errorf("logout does not clear the session cookie: %v", ck)
	}
	wantRedirect(t, "old cookie replayed after logout", ts.withCookie("parley_session", token).get("/"), "/login")
	wantRedirect(t, "same browser after logout", c.get("/"), "/login")
}

func TestCSRFRefused(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("us.head@parley.example")
	tok := c.csrf()
	wrong := "A" + tok[1:]
	if tok[0] == 'A' {
		wrong = "B" + tok[1:]
	}
	wantMsg := "This form has expired or did not come from Parley. Reload the page and try again."
	bodies := map[string]*response{
		"no token":                c.postRaw("/logout", url.Values{}),
		"wrong token":             c.postRaw("/logout", url.Values{"_csrf": {wrong}}),
		"cross-site, right token": c.send(http.MethodPost, "/logout", url.Values{"_csrf": {tok}}, http.Header{"Sec-Fetch-Site": {"cross-site"}}),
		"same-site, right token":  c.send(http.MethodPost, "/logout", url.Values{"_csrf": {tok}}, http.Header{"Sec-Fetch-Site": {"same-site"}}),
		"settings, no token":      c.postRaw("/account", url.Values{"version": {"1"}, "language": {"zh"}}),
		"settings, wrong token":   c.postRaw("/account", url.Values{"_csrf": {wrong}, "version": {"1"}, "language": {"zh"}}),
		"settings, cross-site":    c.send(http.MethodPost, "/account", url.Values{"_csrf": {tok}, "version": {"1"}, "language": {"zh"}}, http.Header{"Sec-Fetch-Site": {"cross-site"}}),
		"language, cross-site":    c.send(http.MethodPost, "/language", url.Values{"_csrf": {tok}, "lang": {"zh"}}, http.Header{"Sec-Fetch-Site": {"cross-site"}}),
		"password, no token":      c.postRaw("/account/password", url.Values{"current_password": {app.DemoPassword}, "new_password": {"quiet harbour lantern 42"}, "confirm_password": {"quiet harbour lantern 42"}}),
	}
	for what, res := range bodies {
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", what, res.StatusCode)
			continue
		}
		if !strings.Contains(res.Body, wantMsg) {
			t.Errorf("%s: the 403 page does not explain: %s", what, res.Body)
		}
	}
	// Nothing happened: still signed in, still English, password unchanged.
	res := c.get("/")
	wantStatus(t, "still signed in", res, http.StatusOK)
	if lang := htmlLang(res.Body); lang != "en" {
		t.Errorf("settings changed by a refused request: html lang %q", lang)
	}
	u, _ := ts.svc.FindUserByEmail(t.Context(), app.System, "us.head@parley.example")
	if u.Language != "" || u.Version != 1 {
		t.Errorf("account changed by refused requests: language %q version %d", u.Language, u.Version)
	}
	wantRedirect(t, "old password still works", ts.client().post("/login", loginForm("us.head@parley.example", app.DemoPassword)), "/")
	// A same-origin request with the right token is accepted.
	wantRedirect(t, "proper logout", c.send(http.MethodPost, "/logout", url.Values{"_csrf": {tok}}, http.Header{"Sec-Fetch-Site": {"same-origin"}}), "/login")
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("us.delegate@parley.example")
	check := func(what string, res *response, noStore bool) string {
		t.Helper()
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, d := range []string{"frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "default-src 'none'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: CSP %q lacks %s", what, csp, d)
			}
		}
		nonce := firstMatch(reNonce, csp)
		if len(nonce) < 16 {
			t.Errorf("%s: CSP %q has no nonce", what, csp)
		}
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", what, got)
		}
		if got := h.Get("Referrer-Policy"); got != "same-origin" && got != "no-referrer" && got != "strict-origin-when-cross-origin" {
			t.Errorf("%s: Referrer-Policy %q", what, got)
		}
		if got := h.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%s: X-Frame-Options %q", what, got)
		}
		cc := h.Get("Cache-Control")
		if noStore && !strings.Contains(cc, "no-store") {
			t.Errorf("%s: Cache-Control %q, want no-store", what, cc)
		}
		if !noStore && strings.Contains(cc, "no-store") {
			t.Errorf("%s: Cache-Control %q must not be no-store", what, cc)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS on a plain-http server", what)
		}
		return nonce
	}

	page := c.get("/")
	wantStatus(t, "dashboard", page, http.StatusOK)
	n1 := check("200 page", page, true)
	if !strings.Contains(page.Body, `nonce="`+n1+`"`) {
		t.Errorf("the page's script does not carry the CSP nonce %q", n1)
	}
	page2 := c.get("/")
	if n2 := check("200 page again", page2, true); n2 == n1 {
		t.Errorf("the CSP nonce %q is the same in two responses", n1)
	}

	nf := c.get("/no-such-page")
	wantStatus(t, "unknown page", nf, http.StatusNotFound)
	check("404 page", nf, true)

	st := c.get("/static/style.css")
	if st.StatusCode != http.StatusOK || !strings.HasPrefix(st.Header.Get("Content-Type"), "text/css") {
		t.Errorf("signed in, /static/style.css: status %d, Content-Type %q, Location %q; want 200 text/css",
			st.StatusCode, st.Header.Get("Content-Type"), st.Header.Get("Location"))
	}
	check("static file", st, false)

	anon := ts.client().get("/static/style.css")
	if anon.StatusCode != http.StatusOK {
		t.Errorf("anonymous /static/style.css (needed by the login page): status %d, Location %q; want 200",
			anon.StatusCode, anon.Header.Get("Location"))
	}
	check("anonymous static file", anon, false)
	check("login page", ts.client().get("/login"), true)
}

// newSecureServer serves the same service as configured for https.
func newSecureServer(t *testing.T, ts *testServer) *httptest.Server {
	t.Helper()
	srv, err := New(ts.services(), Config{BaseURL: "https://parley.example"})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return hs
}

func TestHTTPSConfigSetsHSTSAndHostCookies(t *testing.T) {
	ts := newTestServer(t)
	hs := newSecureServer(t, ts)
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(req *http.Request) *http.Response {
		t.Helper()
		res, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	find := func(res *http.Response, name string) *http.Cookie {
		for _, c := range res.Cookies() {
			if c.Name == name {
				return c
			}
		}
		return nil
	}

	req, _ := http.NewRequest(http.MethodGet, hs.URL+"/login", nil)
	res := send(req)
	if hsts := res.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=") {
		t.Errorf("no HSTS header under https: %q", hsts)
	}
	csrf := find(res, "__Host-parley_csrf")
	if csrf == nil || !csrf.Secure || csrf.Path != "/" || csrf.Domain != "" {
		t.Fatalf("CSRF cookie under https: %v; want __Host-parley_csrf, Secure, Path=/", csrf)
	}
	if find(res, "parley_csrf") != nil {
		t.Errorf("https server sets an unprefixed CSRF cookie")
	}

	f := loginForm("us.head@parley.example", app.DemoPassword)
	f.Set("_csrf", csrf.Value)
	req, _ = http.NewRequest(http.MethodPost, hs.URL+"/login", strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: csrf.Name, Value: csrf.Value})
	res = send(req)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login under https: status %d", res.StatusCode)
	}
	sess := find(res, "__Host-parley_session")
	if sess == nil || !sess.Secure || !sess.HttpOnly || sess.Path != "/" || sess.Domain != "" || sess.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie under https: %v; want __Host-parley_session, Secure, HttpOnly, Path=/, SameSite=Lax", sess)
	}
	if find(res, "parley_session") != nil {
		t.Errorf("https server sets an unprefixed session cookie")
	}

	req, _ = http.NewRequest(http.MethodGet, hs.URL+"/", nil)
	req.AddCookie(&http.Cookie{Name: sess.Name, Value: sess.Value})
	res = send(req)
	if res.StatusCode != http.StatusOK || res.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("dashboard with the __Host- cookie: status %d, HSTS %q", res.StatusCode, res.Header.Get("Strict-Transport-Security"))
	}
	// The unprefixed name means nothing to the https server.
	req, _ = http.NewRequest(http.MethodGet, hs.URL+"/", nil)
	req.AddCookie(&http.Cookie{Name: "parley_session", Value: sess.Value})
	if res = send(req); res.StatusCode != http.StatusSeeOther {
		t.Errorf("https server accepted the unprefixed cookie name: status %d", res.StatusCode)
	}
}

func TestSessionIdleExpiry(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("us.delegate@parley.example")
	for i := 0; i < 3; i++ { // activity keeps the session alive
		ts.clock.advance(ts.svc.SessionIdle - time.Minute)
		wantStatus(t, "active session", c.get("/"), http.StatusOK)
	}
	ts.clock.advance(ts.svc.SessionIdle + time.Second)
	wantRedirect(t, "after idling", c.get("/"), "/login")
	if res := c.get("/login"); !strings.Contains(res.Body, "Your session has ended. Please sign in again.") {
		t.Errorf("the login page does not say the session ended:\n%s", res.Body)
	}
	wantRedirect(t, "still ended", c.get("/account"), "/login")
}

func TestSessionAbsoluteExpiry(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("cn.head@parley.example")
	step := 50 * time.Minute
	elapsed := time.Duration(0)
	for elapsed+step < ts.svc.SessionMax {
		ts.clock.advance(step)
		elapsed += step
		wantStatus(t, "active session at "+elapsed.String(), c.get("/"), http.StatusOK)
	}
	ts.clock.advance(step) // past SessionMax, though active 50 minutes ago
	wantRedirect(t, "past the absolute lifetime", c.get("/"), "/login")
}

func TestDisablingEndsSessions(t *testing.T) {
	ts := newTestServer(t)
	victim := ts.as("us.delegate@parley.example")
	wantStatus(t, "before", victim.get("/"), http.StatusOK)
	admin := ts.as("admin@parley.example")
	u, err := ts.svc.FindUserByEmail(t.Context(), app.System, "us.delegate@parley.example")
	if err != nil {
		t.Fatal(err)
	}
	res := admin.post("/admin/users/"+u.PublicID+"/disable", url.Values{"version": {itoa(u.Version)}})
	wantRedirect(t, "disable", res, "/admin/users/"+u.PublicID)
	wantRedirect(t, "disabled user's next request", victim.get("/"), "/login")
	if res := ts.client().post("/login", loginForm("us.delegate@parley.example", app.DemoPassword)); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("disabled user signs in again: status %d", res.StatusCode)
	}
	wantStatus(t, "admin still signed in", admin.get("/"), http.StatusOK)
}

func TestPasswordChangeRules(t *testing.T) {
	ts := newTestServer(t)
	email := "us.delegate@parley.example"
	c := ts.as(email)
	other := ts.as(email)
	try := func(c *client, newPw, confirm string) *response {
		return c.post("/account/password", url.Values{"current_password": {app.DemoPassword},
			"new_password": {newPw}, "confirm_password": {confirm}})
	}
	cases := []struct {
		what, newPw, confirm, field, msg string
	}{
		{"too short", "short-pw", "short-pw", "new_password", "The password must have at least 12 characters."},
		{"common", "password1234", "password1234", "new_password", "This password is too common or too easy to guess. Choose another."},
		{"mismatch", "quiet harbour lantern 42", "quiet harbour lantern 43", "confirm_password", "The two new passwords do not match."},
	}
	for _, tc := range cases {
		res := try(c, tc.newPw, tc.confirm)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", tc.what, res.StatusCode)
			continue
		}
		if got := fieldError(res.Body, tc.field); got != tc.msg {
			t.Errorf("%s: message next to %s is %q, want %q", tc.what, tc.field, got, tc.msg)
		}
		if strings.Contains(res.Body, tc.newPw) {
			t.Errorf("%s: the page echoes the password", tc.what)
		}
	}
	// Nothing changed: both sessions live, old password works.
	wantStatus(t, "other session before", other.get("/"), http.StatusOK)

	// In Chinese, the message is translated.
	zh := ts.as("cn.delegate@parley.example")
	res := try(zh, "short-pw", "short-pw")
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "new_password") != "密码至少需要 12 个字符。" {
		t.Errorf("Chinese too-short: status %d, message %q", res.StatusCode, fieldError(res.Body, "new_password"))
	}

	res = try(c, "quiet harbour lantern 42", "quiet harbour lantern 42")
	wantRedirect(t, "valid change", res, "/")
	wantStatus(t, "current session continues", c.get("/"), http.StatusOK)
	wantRedirect(t, "other session ended", other.get("/"), "/login")
	if res := ts.client().post("/login", loginForm(email, app.DemoPassword)); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("old password still signs in: status %d", res.StatusCode)
	}
	wantRedirect(t, "new password signs in", ts.client().post("/login", loginForm(email, "quiet harbour lantern 42")), "/")
}

func TestCreatedUserMustChangeTemporaryPassword(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.as("admin@parley.example")
	wantStatus(t, "new user form", admin.get("/admin/users/new"), http.StatusOK)
	us, err := ts.svc.SideByCode(t.Context(), app.System, "US")
	if err != nil {
		t.Fatal(err)
	}
	res := admin.post("/admin/users", url.Values{"email": {"new.delegate@parley.example"}, "name": {"Robin Hale"},
		"side": {us.PublicID}, "role": {"delegate"}})
	wantStatus(t, "create user", res, http.StatusOK)
	temp := firstMatch(reTemp, res.Body)
	if len(temp) < 16 {
		t.Fatalf("no temporary password shown:\n%s", res.Body)
	}
	if ck := res.Header.Get("Cache-Control"); !strings.Contains(ck, "no-store") {
		t.Errorf("the temporary password page may be cached: %q", ck)
	}
	u, err := ts.svc.FindUserByEmail(t.Context(), app.System, "new.delegate@parley.example")
	if err != nil {
		t.Fatal(err)
	}
	if !u.MustChangePassword {
		t.Errorf("created user: must change %v", u.MustChangePassword)
	}
	// Shown once: not on the account's page, nor in the list.
	for _, p := range []string{"/admin/users/" + u.PublicID, "/admin/users"} {
		if r := admin.get(p); r.StatusCode != http.StatusOK || strings.Contains(r.Body, temp) {
			t.Errorf("%s: status %d, shows the temporary password again: %v", p, r.StatusCode, strings.Contains(r.Body, temp))
		}
	}

	c := ts.client()
	wantRedirect(t, "sign in with the temporary password", c.post("/login", loginForm("new.delegate@parley.example", temp)), "/")
	for _, p := range []string{"/", "/audit", "/account", "/admin/users", "/no-such-page"} {
		wantRedirect(t, "before changing, GET "+p, c.get(p), "/account/password")
	}
	wantRedirect(t, "before changing, POST /account", c.post("/account", url.Values{"version": {"1"}, "language": {"zh"}}),
		"/account/password")
	page := c.get("/account/password")
	wantStatus(t, "change-password page", page, http.StatusOK)
	if !strings.Contains(page.Body, "You signed in with a temporary password. Choose your own password to continue.") {
		t.Errorf("the forced change is not explained:\n%s", page.Body)
	}
	wantRedirect(t, "choose own password", c.post("/account/password", url.Values{"current_password": {temp},
		"new_password": {"amber meadow ladder 77"}, "confirm_password": {"amber meadow ladder 77"}}), "/")
	wantStatus(t, "dashboard after changing", c.get("/"), http.StatusOK)
	wantStatus(t, "audit after changing", c.get("/audit"), http.StatusOK)
	if r := ts.client().post("/login", loginForm("new.delegate@parley.example", temp)); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("the temporary password still works: status %d", r.StatusCode)
	}
}

// Languages and time zones.

func TestLanguageSwitchSignedIn(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("cn.head@parley.example")
	res := c.get("/")
	wantStatus(t, "dashboard", res, http.StatusOK)
	if lang := htmlLang(res.Body); lang != "zh-Hans" {
		t.Errorf("cn.head's default: html lang %q, want zh-Hans", lang)
	}
	if now := nowText(res.Body); !strings.Contains(now, "北京时间") || !strings.Contains(now, "2013年7月10日") {
		t.Errorf("cn.head's time: %q, want Beijing time in Chinese", now)
	}
	wantRedirect(t, "switch to English", c.post("/language", url.Values{"lang": {"en"}, "next": {"/"}}), "/")
	res = c.get("/")
	if lang := htmlLang(res.Body); lang != "en" {
		t.Errorf("after switching: html lang %q, want en", lang)
	}
	if now := nowText(res.Body); now != "Wed 10 Jul 2013, 09:30 Beijing time (UTC+8)" {
		t.Errorf("after switching, time %q", now)
	}
	if !strings.Contains(res.Body, "What needs my attention") || strings.Contains(res.Body, "北京时间") {
		t.Errorf("after switching, the page is not English")
	}
	// Saved to the account: another browser gets English too.
	if lang := htmlLang(ts.as("cn.head@parley.example").get("/account").Body); lang != "en" {
		t.Errorf("the choice was not saved: html lang %q in a new session", lang)
	}
	// A bad value is refused.
	if r := c.post("/language", url.Values{"lang": {"fr"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("lang=fr: status %d, want 422", r.StatusCode)
	}
}

func TestDashboardNamesTimeZone(t *testing.T) {
	ts := newTestServer(t)
	// 2013-07-10 01:30 UTC
	us := nowText(ts.as("us.delegate@parley.example").get("/").Body)
	if us != "Tue 9 Jul 2013, 21:30 Washington time (UTC−4)" {
		t.Errorf("US delegate's time: %q", us)
	}
	cn := ts.as("cn.delegate@parley.example")
	cn.post("/language", url.Values{"lang": {"en"}, "next": {"/"}})
	res := cn.get("/")
	if now := nowText(res.Body); now != "Wed 10 Jul 2013, 09:30 Beijing time (UTC+8)" {
		t.Errorf("CN delegate's time in English: %q", now)
	}
	if !strings.Contains(res.Body, "Times are shown in Beijing time.") {
		t.Errorf("the footer does not name the zone")
	}
	sec := nowText(ts.as("secretariat@parley.example").get("/").Body)
	if sec != "Wed 10 Jul 2013, 01:30 UTC" {
		t.Errorf("secretariat's time: %q", sec)
	}
}

func TestAnonymousLanguage(t *testing.T) {
	ts := newTestServer(t)
	zh := ts.client().send(http.MethodGet, "/login", nil, http.Header{"Accept-Language": {"zh-CN,zh;q=0.9,en;q=0.5"}})
	if htmlLang(zh.Body) != "zh-Hans" || !strings.Contains(zh.Body, "登录 Parley") {
		t.Errorf("Accept-Language zh-CN: html lang %q, Chinese title %v", htmlLang(zh.Body), strings.Contains(zh.Body, "登录 Parley"))
	}
	en := ts.client().send(http.MethodGet, "/login", nil, http.Header{"Accept-Language": {"en-US"}})
	if htmlLang(en.Body) != "en" || !strings.Contains(en.Body, "Sign in to Parley") {
		t.Errorf("Accept-Language en-US: html lang %q", htmlLang(en.Body))
	}

	// The language cookie wins over the browser's preference.
	c := ts.client()
	res := c.post("/language", url.Values{"lang": {"zh"}, "next": {"/login"}})
	wantRedirect(t, "anonymous switch", res, "/login")
	if ck := setCookie(res, "parley_lang"); ck == nil || ck.Value != "zh" || !ck.HttpOnly {
		t.Errorf("language cookie: %v", ck)
	}
	page := c.send(http.MethodGet, "/login", nil, http.Header{"Accept-Language": {"en-US"}})
	if htmlLang(page.Body) != "zh-Hans" || !strings.Contains(page.Body, "登录 Parley") {
		t.Errorf("with the zh cookie and Accept-Language en: html lang %q", htmlLang(page.Body))
	}
	// The failed-login message follows the cookie too.
	f := loginForm("nobody@parley.example", "whatever-password")
	f.Set("_csrf", c.csrf())
	if msg := alertText(c.send(http.MethodPost, "/login", f, http.Header{"Accept-Language": {"en-US"}}).Body); msg != "电子邮件或密码不正确。" {
		t.Errorf("failed login in Chinese: %q", msg)
	}
	c.post("/language", url.Values{"lang": {"en"}, "next": {"/login"}})
	page = c.send(http.MethodGet, "/login", nil, http.Header{"Accept-Language": {"zh-CN"}})
	if htmlLang(page.Body) != "en" {
		t.Errorf("with the en cookie and Accept-Language zh-CN: html lang %q", htmlLang(page.Body))
	}
}

func TestOfferedTimeZonesAreAccepted(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("us.delegate@parley.example")
	page := c.get("/account")
	wantStatus(t, "account page", page, http.StatusOK)
	list := regexp.MustCompile(`(?s)<datalist id="zones">(.*?)</datalist>`).FindStringSubmatch(page.Body)
	if list == nil {
		t.Fatalf("no time zone list on /account")
	}
	zones := regexp.MustCompile(`<option value="([^"]+)">`).FindAllStringSubmatch(list[1], -1)
	if len(zones) < 2 {
		t.Fatalf("time zone list has %d entries", len(zones))
	}
	for _, z := range zones {
		u, _ := ts.svc.FindUserByEmail(t.Context(), app.System, "us.delegate@parley.example")
		res := c.post("/account", url.Values{"version": {itoa(u.Version)}, "language": {""}, "time_zone": {z[1]}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("saving the offered time zone %q: status %d, message %q", z[1], res.StatusCode, fieldError(res.Body, "time_zone"))
		}
	}
}

// Errors and health.

func TestErrorPagesShowNoInternals(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.as("admin@parley.example")
	head := ts.as("us.head@parley.example")
	cases := []struct {
		what   string
		res    *response
		status int
	}{
		{"unknown page", admin.get("/no-such-page"), http.StatusNotFound},
		{"missing account", admin.get("/admin/users/999"), http.StatusNotFound},
		{"malformed id", admin.get("/admin/users/abc"), http.StatusNotFound},
		{"other delegation's account", head.get("/admin/users/" + ts.publicID(app.RefUser, 4)), http.StatusNotFound},
		{"well-formed unknown id", admin.get("/admin/users/0123456789abcdef0123"), http.StatusNotFound},
		{"row id instead of an identifier", admin.get("/admin/users/2"), http.StatusNotFound},
		{"missing side", admin.get("/admin/sides/999"), http.StatusNotFound},
		{"stale version", admin.post("/admin/users/"+ts.publicID(app.RefUser, 2)+"/disable", url.Values{"version": {"99"}}), http.StatusConflict},
	}
	for _, tc := range cases {
		if tc.res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.what, tc.res.StatusCode, tc.status)
		}
		// (Random tokens and nonces are not text: they are left out of the search.)
		low := strings.ToLower(ahNormalize(tc.res.Body, "\x00"))
		for _, bad := range []string{"gorm", "sql", "record not found", "error.", "panic", "goroutine", ".go:"} {
			if strings.Contains(low, bad) {
				t.Errorf("%s: the error page shows %q:\n%s", tc.what, bad, tc.res.Body)
			}
		}
		if tc.status == http.StatusNotFound && !strings.Contains(tc.res.Body, "This page does not exist, or you do not have access to it.") {
			t.Errorf("%s: no translated not-found message", tc.what)
		}
	}
	zh := ts.as("cn.delegate@parley.example").get("/no-such-page")
	if zh.StatusCode != http.StatusNotFound || !strings.Contains(zh.Body, "该页面不存在，或您无权访问。") {
		t.Errorf("Chinese 404: status %d", zh.StatusCode)
	}
}

func TestHealthAnonymous(t *testing.T) {
	ts := newTestServer(t)
	for _, p := range []string{"/healthz", "/readyz"} {
		for _, m := range []string{http.MethodGet, http.MethodHead} {
			res := ts.client().send(m, p, nil, nil)
			if res.StatusCode != http.StatusOK {
				t.Errorf("anonymous %s %s: status %d, Location %q", m, p, res.StatusCode, res.Header.Get("Location"))
			}
		}
	}
}
