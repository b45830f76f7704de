package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/parley/parley/app"
)

// The authorization matrix: every non-public route, for every demo account,
// with the outcome written down by hand from the policy (app/policy.go).
// TestRouteWalk (routes_test.go) fails when a registered route is neither
// public nor listed here, so a new route cannot ship without a row.

// azAccounts are the columns of the matrix, in this order.
var azAccounts = [8]string{"us.head", "us.delegate", "us.observer", "cn.head", "cn.delegate", "cn.observer",
	"secretariat", "admin"}

func azEmail(short string) string { return short + "@parley.example" }

// outcome is what a request leads to.
type outcome string

const (
	o200   outcome = "200"   // the page is shown
	o303   outcome = "303"   // success: redirected to the row's next address
	oLogin outcome = "login" // redirected to /login: the actor's session is gone
	o403   outcome = "403"
	o404   outcome = "404"
	o422   outcome = "422"
)

// refused reports whether the outcome must leave the data unchanged.
func (o outcome) refused() bool { return o == o403 || o == o404 || o == o422 || o == oLogin }

// azForm is what a row's form builder may use; versions are read right
// before the request, so the form is the one a browser would send.
type azForm struct {
	ts     *testServer
	actor  *app.User
	target *app.User // for user targets
	side   *app.Side // for side targets
}

type authzCase struct {
	route  string // as registered: "METHOD /path"
	target string // "user:<short>", "side:<code>", "id:<n>" or "" (no :id)
	what   string // what the row tries, for messages
	// setup runs after the actor has signed in, before the form is built.
	setup func(t *testing.T, ts *testServer)
	form  func(f azForm) url.Values
	next  string // Location of a 303 success; ":id" is the target's id
	want  [8]outcome
}

// columns:             us.head us.delegate us.observer cn.head cn.delegate cn.observer secretariat admin
var (
	all200   = [8]outcome{o200, o200, o200, o200, o200, o200, o200, o200}
	all303   = [8]outcome{o303, o303, o303, o303, o303, o303, o303, o303}
	all404   = [8]outcome{o404, o404, o404, o404, o404, o404, o404, o404}
	adminGET = [8]outcome{o404, o404, o404, o404, o404, o404, o404, o200}
	adminPST = [8]outcome{o404, o404, o404, o404, o404, o404, o404, o303}
	headsGET = [8]outcome{o200, o404, o404, o200, o404, o404, o404, o200}
	usGET    = [8]outcome{o200, o404, o404, o404, o404, o404, o404, o200}
	cnGET    = [8]outcome{o404, o404, o404, o200, o404, o404, o404, o200}
)

func userForm(f azForm, name, role string, admin bool) url.Values {
	v := url.Values{"version": {itoa(f.target.Version)}, "email": {f.target.Email}, "name": {name}, "role": {role}}
	if admin {
		v.Set("admin", "1")
	}
	return v
}

func versionForm(f azForm) url.Values { return url.Values{"version": {itoa(f.target.Version)}} }

func newUserForm(f azForm, side, role string, admin bool) url.Values {
	v := url.Values{"email": {"new.person@parley.example"}, "name": {"New Person"},
		"side": {itoa(azSide(f.ts, side).ID)}, "role": {role}}
	if admin {
		v.Set("admin", "1")
	}
	return v
}

func disableFirst(short string) func(t *testing.T, ts *testServer) {
	return func(t *testing.T, ts *testServer) {
		t.Helper()
		u := azUser(ts, short)
		if err := ts.svc.SetUserDisabled(context.Background(), app.System, u.ID, u.Version, true); err != nil {
			t.Fatal(err)
		}
	}
}

var authzMatrix = []authzCase{
	// Everyone signed in.
	{route: "GET /", what: "dashboard", want: all200},
	{route: "GET /account", what: "own settings", want: all200},
	{route: "GET /account/password", what: "change-password page", want: all200},
	{route: "GET /audit", what: "audit trail", want: all200},
	{route: "POST /account", what: "save own settings", next: "/account", want: all303,
		form: func(f azForm) url.Values {
			return url.Values{"version": {itoa(f.actor.Version)}, "language": {"en"}, "time_zone": {"Europe/London"}}
		}},
	{route: "POST /account/password", what: "change own password", next: "/", want: all303,
		form: func(f azForm) url.Values {
			return url.Values{"current_password": {app.DemoPassword}, "new_password": {"quiet harbour lantern 42"},
				"confirm_password": {"quiet harbour lantern 42"}}
		}},
	{route: "POST /logout", what: "sign out", next: "/login", want: all303},

	// Accounts: admins all, heads their own delegation.
	{route: "GET /admin/users", what: "account list", want: headsGET},
	{route: "GET /admin/users/new", what: "new account form", want: headsGET},
	{route: "GET /admin/users/:id", target: "user:us.delegate", what: "US delegate's page", want: usGET},
	{route: "GET /admin/users/:id", target: "user:us.head", what: "US head's page", want: usGET},
	{route: "GET /admin/users/:id", target: "user:cn.observer", what: "CN observer's page", want: cnGET},
	{route: "GET /admin/users/:id", target: "user:cn.head", what: "CN head's page", want: cnGET},
	{route: "GET /admin/users/:id", target: "user:secretariat", what: "secretariat's page", want: adminGET},
	{route: "GET /admin/users/:id", target: "user:admin", what: "admin's page", want: adminGET},
	{route: "GET /admin/users/:id", target: "id:999", what: "no such account", want: all404},

	{route: "POST /admin/users", what: "create a US delegate",
		form: func(f azForm) url.Values { return newUserForm(f, "US", "delegate", false) },
		want: [8]outcome{o200, o404, o404, o422, o404, o404, o404, o200}},
	{route: "POST /admin/users", what: "create a CN observer",
		form: func(f azForm) url.Values { return newUserForm(f, "CN", "observer", false) },
		want: [8]outcome{o422, o404, o404, o200, o404, o404, o404, o200}},
	{route: "POST /admin/users", what: "create a US head",
		form: func(f azForm) url.Values { return newUserForm(f, "US", "head", false) },
		want: [8]outcome{o422, o404, o404, o422, o404, o404, o404, o200}},
	{route: "POST /admin/users", what: "create a US delegate with the admin flag",
		form: func(f azForm) url.Values { return newUserForm(f, "US", "delegate", true) },
		want: [8]outcome{o422, o404, o404, o422, o404, o404, o404, o200}},
	{route: "POST /admin/users", what: "create a secretariat administrator",
		form: func(f azForm) url.Values { return newUserForm(f, "SEC", "secretariat", true) },
		want: [8]outcome{o422, o404, o404, o422, o404, o404, o404, o200}},

	{route: "POST /admin/users/:id", target: "user:us.delegate", what: "rename the US delegate", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "Sarah Collins-Reed", "delegate", false) },
		want: [8]outcome{o303, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id", target: "user:cn.observer", what: "rename the CN observer", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "张伟伟", "observer", false) },
		want: [8]outcome{o404, o404, o404, o303, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id", target: "user:us.head", what: "rename the US head", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "Michael J. Reed", "head", false) },
		want: [8]outcome{o403, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id", target: "user:us.delegate", what: "promote the US delegate to head", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "Sarah Collins", "head", false) },
		want: [8]outcome{o422, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id", target: "user:us.delegate", what: "make the US delegate an admin", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "Sarah Collins", "delegate", true) },
		want: [8]outcome{o422, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id", target: "user:admin", what: "rename the admin (keeping the flag)", next: "/admin/users/:id",
		form: func(f azForm) url.Values { return userForm(f, "Chief Administrator", "secretariat", true) },
		want: adminPST},

	{route: "POST /admin/users/:id/disable", target: "user:us.delegate", what: "disable the US delegate",
		next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o303, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id/disable", target: "user:cn.delegate", what: "disable the CN delegate",
		next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o404, o404, o404, o303, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id/disable", target: "user:us.head", what: "disable the US head",
		next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o403, o404, o404, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id/disable", target: "user:secretariat", what: "disable the secretariat member",
		next: "/admin/users/:id", form: versionForm, want: adminPST},
	{route: "POST /admin/users/:id/disable", target: "user:admin", what: "disable the admin account",
		next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o404, o404, o404, o404, o404, o404, o404, o422}},

	{route: "POST /admin/users/:id/enable", target: "user:us.observer", what: "enable the disabled US observer",
		setup: disableFirst("us.observer"), next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o303, o404, oLogin, o404, o404, o404, o404, o303}},
	{route: "POST /admin/users/:id/enable", target: "user:cn.delegate", what: "enable the disabled CN delegate",
		setup: disableFirst("cn.delegate"), next: "/admin/users/:id", form: versionForm,
		want: [8]outcome{o404, o404, o404, o303, oLogin, o404, o404, o303}},

	{route: "POST /admin/users/:id/password", target: "user:us.delegate", what: "reset the US delegate's password",
		form: versionForm, want: [8]outcome{o200, o404, o404, o404, o404, o404, o404, o200}},
	{route: "POST /admin/users/:id/password", target: "user:cn.observer", what: "reset the CN observer's password",
		form: versionForm, want: [8]outcome{o404, o404, o404, o200, o404, o404, o404, o200}},
	{route: "POST /admin/users/:id/password", target: "user:us.head", what: "reset the US head's password",
		form: versionForm, want: [8]outcome{o403, o404, o404, o404, o404, o404, o404, o200}},
	{route: "POST /admin/users/:id/password", target: "user:secretariat", what: "reset the secretariat member's password",
		form: versionForm, want: [8]outcome{o404, o404, o404, o404, o404, o404, o404, o200}},

	// Sides: administrators only.
	{route: "GET /admin/sides", what: "side list", want: adminGET},
	{route: "GET /admin/sides/new", what: "new delegation form", want: adminGET},
	{route: "GET /admin/sides/:id", target: "side:US", what: "US delegation's page", want: adminGET},
	{route: "GET /admin/sides/:id", target: "side:CN", what: "CN delegation's page", want: adminGET},
	{route: "GET /admin/sides/:id", target: "side:SEC", what: "secretariat's page", want: adminGET},
	{route: "POST /admin/sides", what: "add a delegation", next: "/admin/sides/4", want: adminPST,
		form: func(f azForm) url.Values {
			return url.Values{"code": {"UK"}, "name_en": {"United Kingdom delegation"}, "name_zh": {"英国代表团"},
				"time_zone": {"Europe/London"}, "language": {"en"}}
		}},
	{route: "POST /admin/sides/:id", target: "side:US", what: "rename the US delegation", next: "/admin/sides/:id",
		want: adminPST,
		form: func(f azForm) url.Values {
			return url.Values{"version": {itoa(f.side.Version)}, "code": {"US"}, "name_en": {"U.S. delegation"},
				"name_zh": {"美国代表团"}, "time_zone": {"America/New_York"}, "language": {"en"}}
		}},
}

// matrixRoutes is the set of routes the matrix covers.
func matrixRoutes() map[string]bool {
	out := map[string]bool{}
	for _, c := range authzMatrix {
		out[c.route] = true
	}
	return out
}

func azUser(ts *testServer, short string) *app.User {
	ts.t.Helper()
	u, err := ts.svc.FindUserByEmail(context.Background(), app.System, azEmail(short))
	if err != nil {
		ts.t.Fatalf("user %s: %v", short, err)
	}
	return u
}

func azSide(ts *testServer, code string) *app.Side {
	ts.t.Helper()
	s, err := ts.svc.SideByCode(context.Background(), app.System, code)
	if err != nil {
		ts.t.Fatalf("side %s: %v", code, err)
	}
	return s
}

// auditState fingerprints every audit chain: any write changes it.
func auditState(ts *testServer) string {
	ts.t.Helper()
	heads, problems, err := ts.svc.DB().VerifyAudit(context.Background())
	if err != nil {
		ts.t.Fatal(err)
	}
	if len(problems) > 0 {
		ts.t.Fatalf("audit chains broken: %v", problems)
	}
	var parts []string
	for _, h := range heads {
		parts = append(parts, fmt.Sprintf("%s=%d/%s", h.Chain, h.Length, h.Hash))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// classify turns a response into an outcome; next is the expected success address.
func classify(res *response, next string) outcome {
	if res.StatusCode == http.StatusSeeOther {
		loc := res.Header.Get("Location")
		switch {
		case strings.HasPrefix(loc, "/login"):
			if next == "/login" {
				return o303
			}
			return oLogin
		case loc == next:
			return o303
		}
		return outcome("303 to " + loc)
	}
	return outcome(strconv.Itoa(res.StatusCode))
}

// runAuthzCell makes one request of a row as one account and checks the outcome.
func runAuthzCell(t *testing.T, ts *testServer, c *client, row authzCase, col int) {
	t.Helper()
	actor := azUser(ts, azAccounts[col])
	if row.setup != nil {
		row.setup(t, ts)
	}
	f := azForm{ts: ts, actor: actor}
	method, path, _ := strings.Cut(row.route, " ")
	id := ""
	kind, val, _ := strings.Cut(row.target, ":")
	switch kind {
	case "user":
		f.target = azUser(ts, val)
		id = itoa(f.target.ID)
	case "side":
		f.side = azSide(ts, val)
		id = itoa(f.side.ID)
	case "id":
		id = val
	case "":
	default:
		t.Fatalf("bad target %q", row.target)
	}
	if strings.Contains(path, ":id") != (id != "") {
		t.Fatalf("row %s %q: target does not fit the route", row.route, row.what)
	}
	path = strings.ReplaceAll(path, ":id", id)
	next := strings.ReplaceAll(row.next, ":id", id)

	before := auditState(ts)
	var res *response
	switch method {
	case http.MethodGet:
		res = c.get(path)
	case http.MethodPost:
		form := url.Values{}
		if row.form != nil {
			form = row.form(f)
		}
		res = c.post(path, form)
	default:
		t.Fatalf("no way to send %s", method)
	}
	got, want := classify(res, next), row.want[col]
	if got != want {
		t.Errorf("%s %s (%s) as %s: got %s, want %s", method, path, row.what, azAccounts[col], got, want)
		return
	}
	after := auditState(ts)
	switch {
	case want.refused() && after != before:
		t.Errorf("%s %s (%s) as %s was refused (%s) but changed data:\nbefore %s\nafter  %s",
			method, path, row.what, azAccounts[col], got, before, after)
	case method == http.MethodGet && after != before:
		t.Errorf("GET %s as %s changed data", path, azAccounts[col])
	case method == http.MethodPost && !want.refused() && after == before:
		t.Errorf("%s %s (%s) as %s succeeded (%s) but recorded nothing", method, path, row.what, azAccounts[col], got)
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	// Reads change nothing: one server, every account signed in.
	ts := newTestServer(t)
	clients := [8]*client{}
	for i, a := range azAccounts {
		clients[i] = ts.as(azEmail(a))
	}
	for _, row := range authzMatrix {
		if !strings.HasPrefix(row.route, "GET ") {
			continue
		}
		for col := range azAccounts {
			runAuthzCell(t, ts, clients[col], row, col)
		}
	}

	// Writes: a fresh server for every row and account.
	for _, row := range authzMatrix {
		if strings.HasPrefix(row.route, "GET ") {
			continue
		}
		t.Run(row.route+" "+row.what, func(t *testing.T) {
			for col, a := range azAccounts {
				ts := newTestServer(t)
				runAuthzCell(t, ts, ts.as(azEmail(a)), row, col)
			}
		})
	}
}

// The account list of a head holds their own delegation only.
func TestUserListScope(t *testing.T) {
	ts := newTestServer(t)
	us := []string{"us.head", "us.delegate", "us.observer"}
	cn := []string{"cn.head", "cn.delegate", "cn.observer"}
	sec := []string{"secretariat", "admin"}
	check := func(viewer string, seen, unseen []string) {
		t.Helper()
		res := ts.as(azEmail(viewer)).get("/admin/users")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: /admin/users status %d", viewer, res.StatusCode)
		}
		for _, a := range seen {
			if !strings.Contains(res.Body, azEmail(a)) {
				t.Errorf("%s does not see %s in the account list", viewer, a)
			}
		}
		for _, a := range unseen {
			if strings.Contains(res.Body, azEmail(a)) {
				t.Errorf("%s sees %s in the account list", viewer, a)
			}
		}
	}
	check("us.head", us, append(append([]string{}, cn...), sec...))
	check("cn.head", cn, append(append([]string{}, us...), sec...))
	check("admin", append(append(append([]string{}, us...), cn...), sec...), nil)
}

// Each side sees the shared chain and its own, never the other delegation's;
// the admin (secretariat) sees neither delegation's chain.
func TestAuditChainsPerSide(t *testing.T) {
	ts := newTestServer(t)
	clients := map[string]*client{}
	for _, a := range azAccounts { // every side now has internal records (sign-ins)
		clients[a] = ts.as(azEmail(a))
	}
	heads, _, err := ts.svc.DB().VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	hash := map[string]string{}
	for _, h := range heads {
		hash[h.Chain] = h.Hash
	}
	shared := hash[app.ChainShared]
	usChain := hash[app.SideChain(azSide(ts, "US").ID)]
	cnChain := hash[app.SideChain(azSide(ts, "CN").ID)]
	secChain := hash[app.SideChain(azSide(ts, "SEC").ID)]
	for name, h := range map[string]string{"shared": shared, "US": usChain, "CN": cnChain, "SEC": secChain} {
		if h == "" {
			t.Fatalf("no %s chain after every account signed in", name)
		}
	}
	for _, a := range azAccounts {
		res := clients[a].get("/audit")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: /audit status %d", a, res.StatusCode)
		}
		var want, never []string
		switch {
		case strings.HasPrefix(a, "us."):
			want, never = []string{shared, usChain}, []string{cnChain, secChain}
		case strings.HasPrefix(a, "cn."):
			want, never = []string{shared, cnChain}, []string{usChain, secChain}
		default:
			want, never = []string{shared, secChain}, []string{usChain, cnChain}
		}
		for _, h := range want {
			if !strings.Contains(res.Body, h) {
				t.Errorf("%s: /audit does not list chain head %s", a, h)
			}
		}
		for _, h := range never {
			if strings.Contains(res.Body, h) {
				t.Errorf("%s: /audit shows another side's chain head %s", a, h)
			}
		}
	}
	// The labels, in English, for a US member: shared and own side, not the other.
	body := clients["us.delegate"].get("/audit").Body
	if !strings.Contains(body, "Internal to United States delegation") || strings.Contains(body, "Chinese delegation") {
		t.Errorf("US /audit labels wrong:\n%s", body)
	}
	body = clients["admin"].get("/audit").Body
	if strings.Contains(body, "Internal to United States delegation") || strings.Contains(body, "Internal to Chinese delegation") {
		t.Errorf("admin /audit shows a delegation's chain:\n%s", body)
	}
	body = clients["cn.delegate"].get("/audit").Body // Chinese by default
	if !strings.Contains(body, "中国代表团内部") || strings.Contains(body, "美国代表团内部") {
		t.Errorf("CN /audit labels wrong:\n%s", body)
	}
}

// An account's page shows its side-internal history (sign-ins, settings)
// only to members of that side: the admin sees the shared records alone.
func TestAccountHistoryScopedToSide(t *testing.T) {
	ts := newTestServer(t)
	del := ts.as(azEmail("us.delegate"))
	me := azUser(ts, "us.delegate")
	res := del.post("/account", url.Values{"version": {itoa(me.Version)}, "language": {""}, "time_zone": {"Asia/Tokyo"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("settings: status %d", res.StatusCode)
	}
	page := "/admin/users/" + itoa(me.ID)
	head := ts.as(azEmail("us.head")).get(page)
	admin := ts.as(azEmail("admin")).get(page)
	if head.StatusCode != http.StatusOK || admin.StatusCode != http.StatusOK {
		t.Fatalf("status: head %d, admin %d", head.StatusCode, admin.StatusCode)
	}
	for _, s := range []string{"Account created", "Signed in", "Settings changed", "Asia/Tokyo"} {
		if !strings.Contains(head.Body, s) {
			t.Errorf("the US head does not see %q in the US delegate's history", s)
		}
	}
	if !strings.Contains(admin.Body, "Account created") {
		t.Errorf("the admin does not see the shared record in the history")
	}
	for _, s := range []string{"Signed in", "Settings changed", "Asia/Tokyo", "127.0.0.1"} {
		if strings.Contains(admin.Body, s) {
			t.Errorf("the admin sees the US-internal %q in the US delegate's history", s)
		}
	}
}
