package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/actions"
)

// Every action page and view runs a fixed number of statements, at most 8
// with the session and the page frame, the same with the demo's four
// actions as with hundreds more and a long thread; the dashboard too.
func TestActionPagesQueryCountIsConstant(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	db := ts.svc.DB()
	contacts := azAction(ts, "contacts")
	base := "/actions/" + contacts.PublicID
	paths := []string{"/", "/actions", "/actions?view=mine", "/actions?view=side", "/actions?view=verify",
		"/actions?view=overdue", "/actions?view=week", "/actions?status=done", "/actions?source_type=meeting",
		"/actions/new", base, base + "/history", base + "/translation", "/actions/" + azAction(ts, "logs").PublicID}
	accounts := []string{"us.head", "cn.delegate", "secretariat", "us.observer"}
	// A thread with a comment: the page's shape with content.
	if _, err := ts.svc.AddComment(ctx, azUser(ts, "cn.head"), app.Ref{Kind: actions.KindAction, ID: contacts.ID},
		app.Shared, "first"); err != nil {
		t.Fatal(err)
	}
	count := func() map[string]int64 {
		out := map[string]int64{}
		for _, who := range accounts {
			c := ts.as(azEmail(who))
			c.get("/")
			for _, path := range paths {
				before := db.QueryCount()
				res := c.get(path)
				n := db.QueryCount() - before
				if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusForbidden {
					t.Fatalf("%s GET %s: status %d", who, path, res.StatusCode)
				}
				if n <= 0 || n > maxStatementsPerPage {
					t.Errorf("%s GET %s ran %d statements, want 1 to %d", who, path, n, maxStatementsPerPage)
				}
				out[who+" "+path] = n
			}
		}
		return out
	}
	small := count()
	sec, us, cn := azUser(ts, "secretariat"), azSide(ts, "US").ID, azSide(ts, "CN").ID
	for i := 0; i < 300; i++ {
		in := actions.Input{Title: fmt.Sprintf("Action %d", i), Language: "en", Due: "2013-07-20", OwnerSideID: us}
		switch i % 3 {
		case 1:
			in.OwnerSideID = cn
		case 2:
			in.OwnerSideID, in.Joint = 0, true
		}
		if _, err := ts.act.Create(ctx, sec, in); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 120; i++ {
		if _, err := ts.svc.AddComment(ctx, azUser(ts, "us.delegate"), app.Ref{Kind: actions.KindAction, ID: contacts.ID},
			app.Shared, fmt.Sprintf("comment %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	ts.clock.advance(30 * 24 * 60 * 60 * 1e9) // a month on: all of them overdue
	large := count()
	for k, n := range small {
		if large[k] != n {
			t.Errorf("%s: %d statements with the demo, %d with 300 more actions", k, n, large[k])
		}
	}
}
