package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parley/parley/app"
)

// The account list is the one paginated list: the statements one page costs
// must not grow with the number of accounts (no query per row).
func TestUserListQueryCountIsConstant(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.as("admin@parley.example")
	db := ts.svc.DB()
	count := func(path string) (int64, *response) {
		t.Helper()
		before := db.QueryCount()
		res := admin.get(path)
		n := db.QueryCount() - before
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		if n <= 0 {
			t.Fatalf("GET %s ran %d statements: the counter does not count", path, n)
		}
		return n, res
	}
	admin.get("/admin/users") // warm up (cookies settled)
	small, res := count("/admin/users")
	if got := strings.Count(res.Body, `<a href="/admin/users/`); got != 8 {
		t.Fatalf("demo list shows %d accounts, want 8", got)
	}

	ctx := t.Context()
	cn, err := ts.svc.SideByCode(ctx, app.System, "CN")
	if err != nil {
		t.Fatal(err)
	}
	us, err := ts.svc.SideByCode(ctx, app.System, "US")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 120; i++ {
		side, role := us.ID, app.RoleDelegate
		if i%2 == 1 {
			side, role = cn.ID, app.RoleObserver
		}
		_, _, err := ts.svc.CreateUser(ctx, app.System, app.UserInput{Email: fmt.Sprintf("person%03d@parley.example", i),
			Name: fmt.Sprintf("Person %03d", i), SideID: side, Role: role})
		if err != nil {
			t.Fatal(err)
		}
	}

	page1, res1 := count("/admin/users?page=1")
	page2, res2 := count("/admin/users?page=2")
	for i, r := range []*response{res1, res2} {
		if got := strings.Count(r.Body, `<a href="/admin/users/`); got != 50 {
			t.Errorf("page %d shows %d accounts, want 50", i+1, got)
		}
	}
	if !strings.Contains(res2.Body, "Page 2 of 3 (128 in all)") {
		t.Errorf("page 2 does not say where it is")
	}
	if page1 != small || page2 != small {
		t.Errorf("statements per GET /admin/users: %d with 8 accounts, %d for page 1 and %d for page 2 of 128",
			small, page1, page2)
	}
}

// The health check answers without looking up the caller's session.
func TestHealthzRunsNoStatement(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as("us.head@parley.example")
	before := ts.svc.DB().QueryCount()
	if res := c.get("/healthz"); res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if n := ts.svc.DB().QueryCount() - before; n != 0 {
		t.Fatalf("/healthz with a session ran %d statements", n)
	}
}
