package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/parley/parley/app"
)

// publicProbe is how the route walk exercises a public route anonymously.
type publicProbe struct {
	path   string
	form   url.Values // for POST
	status int
}

// publicProbes: one request per public route, with the answer expected
// without signing in. A public route without a probe fails the walk.
var publicProbes = map[string]publicProbe{
	"GET /login":         {path: "/login", status: http.StatusOK},
	"POST /login":        {path: "/login", form: url.Values{"email": {"nobody@parley.example"}, "password": {"not the password"}}, status: http.StatusUnauthorized},
	"POST /language":     {path: "/language", form: url.Values{"lang": {"zh"}, "next": {"/healthz"}}, status: http.StatusSeeOther},
	"GET /healthz":       {path: "/healthz", status: http.StatusOK},
	"HEAD /healthz":      {path: "/healthz", status: http.StatusOK},
	"GET /readyz":        {path: "/readyz", status: http.StatusOK},
	"HEAD /readyz":       {path: "/readyz", status: http.StatusOK},
	"GET /static/:file":  {path: "/static/style.css", status: http.StatusOK},
	"HEAD /static/:file": {path: "/static/app.js", status: http.StatusOK},
	// A calendar feed's address is its secret: an unknown one names nothing.
	"GET /calendar/:token": {path: "/calendar/" + strings.Repeat("0", 64) + ".ics", status: http.StatusNotFound},
	// The witness API wants a witness token: without one, 401.
	"GET /api/witness/logs":    {path: "/api/witness/logs", status: http.StatusUnauthorized},
	"GET /api/witness/proof":   {path: "/api/witness/proof?log=shared&old=1&new=2", status: http.StatusUnauthorized},
	"POST /api/witness/cosign": {path: "/api/witness/cosign", status: http.StatusUnauthorized},
	"GET /api/witness/export":  {path: "/api/witness/export?log=shared", status: http.StatusUnauthorized},
}

// concretePath fills a registered path with existing ids (or a real file):
// in the demo, item 1 is tabled, amendment 1 and comment 1 exist. (The
// meetings' routes take opaque identifiers only; an anonymous visitor is sent
// to the login page before any is read.)
func concretePath(p string) string {
	for _, param := range []string{":aid", ":cid", ":lid", ":rid", ":fid", ":id"} {
		p = strings.ReplaceAll(p, param, "1")
	}
	if strings.HasSuffix(p, "*") {
		p = strings.TrimSuffix(strings.TrimSuffix(p, "*"), "/") + "/style.css"
	}
	return p
}

// dataState fingerprints what a request could change: the audit chains,
// every account and every side.
func dataState(ts *testServer) string {
	ts.t.Helper()
	ctx := context.Background()
	users, err := ts.svc.ListUsers(ctx, app.System, app.UserFilter{Page: app.Page{Size: 200}})
	if err != nil {
		ts.t.Fatal(err)
	}
	sides, err := ts.svc.ManagedSides(ctx, app.System)
	if err != nil {
		ts.t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(auditState(ts))
	for _, u := range users.Items {
		fmt.Fprintf(&b, "\nuser %d v%d %s %s %s %v %v %q %q %v", u.ID, u.Version, u.Email, u.Name, u.Role, u.Admin,
			u.DisabledAt, u.PasswordHash, u.Language, u.MustChangePassword)
	}
	for _, s := range sides {
		fmt.Fprintf(&b, "\nside %d v%d %s %s", s.ID, s.Version, s.Code, s.NameEN)
	}
	return b.String()
}

func (c *client) send(method, path string, form url.Values, header http.Header) *response {
	c.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, c.ts.http.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return c.do(req)
}

// TestRouteWalk walks every registered route: public ones answer without a
// session; every other one sends an anonymous visitor to the login page and
// changes nothing, and has rows in the authorization matrix.
func TestRouteWalk(t *testing.T) {
	ts := newTestServer(t)
	registered := map[string]bool{}
	for _, r := range ts.srv.Routes() {
		registered[r] = true
	}
	var routes []string
	for r := range registered {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	if len(routes) < 10 {
		t.Fatalf("only %d routes registered: %v", len(routes), routes)
	}

	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		anon := ts.client()
		if IsPublic(r) {
			probe, ok := publicProbes[r]
			if !ok {
				t.Errorf("public route %s has no probe in publicProbes", r)
				continue
			}
			var res *response
			if method == http.MethodPost {
				form := url.Values{}
				for k, v := range probe.form {
					form[k] = v
				}
				form.Set("_csrf", anon.csrf())
				res = anon.send(method, probe.path, form, nil)
			} else {
				res = anon.send(method, probe.path, nil, nil)
			}
			if loc := res.Header.Get("Location"); strings.HasPrefix(loc, "/login") {
				t.Errorf("public route %s: anonymous request redirected to %s", r, loc)
			}
			if res.StatusCode != probe.status {
				t.Errorf("public route %s (%s %s): status %d, want %d", r, method, probe.path, res.StatusCode, probe.status)
			}
			continue
		}

		p := concretePath(path)
		if strings.Contains(p, ":") {
			t.Errorf("route %s: concretePath has no value for a parameter of %s", r, p)
		}
		before := dataState(ts)
		var res *response
		switch method {
		case http.MethodGet, http.MethodHead:
			res = anon.send(method, p, nil, nil)
		default: // a valid CSRF token, so that CSRF is not what stops it
			tok := anon.csrf()
			res = anon.send(method, p, url.Values{"_csrf": {tok}, "version": {"1"}, "lang": {"en"},
				"email": {"x@parley.example"}, "name": {"X"}, "role": {"delegate"}, "side": {"2"}}, nil)
		}
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("anonymous %s %s: status %d, Location %q; want 303 to /login", method, p, res.StatusCode,
				res.Header.Get("Location"))
		}
		if after := dataState(ts); after != before {
			t.Errorf("anonymous %s %s changed data:\nbefore %s\nafter  %s", method, p, before, after)
		}
	}

	// Every route on the public list exists.
	for r := range publicRoutes {
		if !registered[r] {
			t.Errorf("publicRoutes lists %q, which is not a registered route (registered: %v)", r, routes)
		}
	}

	// The matrix covers exactly the non-public routes.
	covered := matrixRoutes()
	for _, r := range routes {
		if !IsPublic(r) && !covered[r] {
			t.Errorf("route %s is neither public nor in the authorization matrix (authz_test.go)", r)
		}
	}
	for r := range covered {
		switch {
		case !registered[r]:
			t.Errorf("the authorization matrix lists %s, which is not a registered route", r)
		case IsPublic(r):
			t.Errorf("the authorization matrix lists %s, which is public", r)
		}
	}
}

// Unknown paths need a session too: anonymous visitors go to the login page.
func TestUnknownPathNeedsLogin(t *testing.T) {
	ts := newTestServer(t)
	res := ts.client().get("/no-such-page")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous /no-such-page: status %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
}
