package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/parley/parley/app"
)

// safeNextCases are redirect targets and where safeNext sends them.
var safeNextCases = map[string]string{
	"":                                  "/",
	"/":                                 "/",
	"/audit":                            "/audit",
	"/agenda?status=adopted&sort=title": "/agenda?status=adopted&sort=title",
	"/agenda/7#comment-3":               "/agenda/7#comment-3",
	"/agenda?q=%E4%B8%AD%20x":           "/agenda?q=%E4%B8%AD%20x",
	"/a%2Fb":                            "/a%2Fb", // an encoded slash later on is only a path character
	"//evil.example/x":                  "/",
	"/\\evil.example/x":                 "/",
	"\\\\evil.example/x":                "/",
	"/%2Fevil.example/x":                "/",
	"/%2fevil.example/x":                "/",
	"/%5Cevil.example/x":                "/",
	"/%5cevil.example/x":                "/",
	"/\t/evil.example/x":                "/",
	"/\v/evil.example/x":                "/",
	"/\f/evil.example/x":                "/",
	"/\r/evil.example/x":                "/",
	"/\n/evil.example/x":                "/",
	"/\x00/evil.example/x":              "/",
	"/\x7f/evil.example/x":              "/",
	"/ /evil.example/x":                 "/",
	"/\u00a0/evil.example/x":            "/", // no-break space
	"/\u0085/evil.example/x":            "/", // next line
	"/\u2028/evil.example/x":            "/", // line separator
	"/\u3000/evil.example/x":            "/", // ideographic space
	"/\u200b/evil.example/x":            "/", // zero-width space (a format character)
	"/audit\r\nSet-Cookie: x=1":         "/",
	"/audit\t":                          "/",
	"https://evil.example/x":            "/",
	"https:/evil.example/x":             "/",
	"https:evil.example":                "/",
	"javascript:alert(1)":               "/",
	"evil.example/x":                    "/",
	"audit":                             "/",
	"/\xff/x":                           "/", // not UTF-8
	"/%zz":                              "/", // not a URL
}

func TestSafeNext(t *testing.T) {
	for in, want := range safeNextCases {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzSafeNext: whatever comes in, what goes out is a path on this site.
func FuzzSafeNext(f *testing.F) {
	for in := range safeNextCases {
		f.Add(in)
	}
	for _, in := range []string{"/%09/evil.example", "/.//evil.example", "/..//evil.example", "/;/evil",
		"/\u202e/x", "/\ufeff/x", "/%2F%2Fx", "///x", "/\\/x", "/?next=//evil.example", "/#//evil"} {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := safeNext(in)
		if out == "/" {
			return
		}
		if out != in {
			t.Fatalf("safeNext(%q) = %q: neither the input nor /", in, out)
		}
		if len(out) < 2 || out[0] != '/' || out[1] == '/' || out[1] == '\\' {
			t.Fatalf("safeNext(%q) = %q: not a path on this site", in, out)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("safeNext(%q) = %q: not UTF-8", in, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || unicode.IsSpace(r) {
				t.Fatalf("safeNext(%q) = %q: holds the control or space character %U", in, out, r)
			}
		}
		lower := strings.ToLower(out)
		if strings.HasPrefix(lower, "/%2f") || strings.HasPrefix(lower, "/%5c") {
			t.Fatalf("safeNext(%q) = %q: an encoded slash after the first", in, out)
		}
		u, err := url.Parse(out)
		if err != nil {
			t.Fatalf("safeNext(%q) = %q: does not parse: %v", in, out, err)
		}
		if u.Scheme != "" || u.Host != "" {
			t.Fatalf("safeNext(%q) = %q: parses as scheme %q host %q", in, out, u.Scheme, u.Host)
		}
	})
}

// reNextField is the login form's return address.
var reNextField = regexp.MustCompile(`(?s)<form method="post" action="/login">.*?<input type="hidden" name="next" value="([^"]*)"`)

// rawPost submits a form with the client's cookies and returns the status
// and Location as sent: an http.Client refuses to even read some Locations.
func (c *client) rawPost(path string, form url.Values) (int, string) {
	c.t.Helper()
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", c.csrf())
	}
	req, _ := http.NewRequest(http.MethodPost, c.ts.http.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range c.c.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		c.t.Errorf("POST %s: %v", path, err)
		return 0, ""
	}
	res.Body.Close()
	c.c.Jar.SetCookies(req.URL, res.Cookies())
	return res.StatusCode, res.Header.Get("Location")
}

// Every place that redirects to a target the visitor gave keeps to this site.
func TestRedirectTargetsStayOnSite(t *testing.T) {
	ts := newTestServer(t)
	for _, next := range []string{"/\t/evil.example/x", "/\v/evil.example/x", "/\f/evil.example/x",
		"/\r/evil.example/x", "/\n/evil.example/x", "/\\evil.example/x", "//evil.example/x",
		"/%2Fevil.example/x", "/%5Cevil.example/x", "https://evil.example/x", "/\u00a0/evil.example/x"} {
		// The login page, reached with ?next=…, offers only a safe target.
		c := ts.client()
		page := c.get("/login?next=" + url.QueryEscape(next))
		wantStatus(t, "login page with next="+next, page, http.StatusOK)
		if got := firstMatch(reNextField, page.Body); got != "/" {
			t.Errorf("login page with next=%q: the form carries next=%q, want /", next, got)
		}
		// Signing in with that target, as posted, returns home.
		f := loginForm("us.delegate@parley.example", app.DemoPassword)
		f.Set("next", next)
		if st, loc := c.rawPost("/login", f); st != http.StatusSeeOther || loc != "/" {
			t.Errorf("login with next=%q: status %d, Location %q; want 303 to /", next, st, loc)
		}
		// The language switch too, signed in and anonymous.
		for what, lc := range map[string]*client{"signed in": c, "anonymous": ts.client()} {
			if st, loc := lc.rawPost("/language", url.Values{"lang": {"en"}, "next": {next}}); st != http.StatusSeeOther || loc != "/" {
				t.Errorf("%s language switch with next=%q: status %d, Location %q; want 303 to /", what, next, st, loc)
			}
		}
	}
	// The reported case, exactly: GET /login?next=%2F%09%2Fevil.example%2Fx, then sign in from that form.
	c := ts.client()
	page := c.get("/login?next=%2F%09%2Fevil.example%2Fx")
	f := loginForm("us.head@parley.example", app.DemoPassword)
	f.Set("next", firstMatch(reNextField, page.Body))
	if _, loc := c.rawPost("/login", f); loc != "/" {
		t.Errorf("the reported open redirect: Location %q, want /", loc)
	}
	// A deep link still works.
	c = ts.client()
	wantRedirect(t, "anonymous deep link", c.get("/agenda?status=adopted"), "/login?next=")
	page = c.get("/login?next=" + url.QueryEscape("/agenda?status=adopted"))
	if got := firstMatch(reNextField, page.Body); got != "/agenda?status=adopted" {
		t.Errorf("deep link: the form carries next=%q", got)
	}
}
