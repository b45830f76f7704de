package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parley/parley/app/agenda"
)

// The agenda list costs the same number of SQL statements whatever the
// number of items: no query per row (sides, categories, authors, decisions).
func TestAgendaListQueryCountIsConstant(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	viewer := ts.as(azEmail("us.delegate"))
	del, cnHead := azUser(ts, "us.delegate"), azUser(ts, "cn.head")
	cat := azCategory(ts, "Confidence-building measures").ID
	db := ts.svc.DB()

	created := 0
	addItems := func(n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			it, err := ts.agenda.CreateItem(ctx, del, agenda.ItemInput{Title: fmt.Sprintf("Item %04d", created),
				Description: "Generated for counting.", CategoryID: cat, DurationMinutes: 30, Language: "en"})
			if err != nil {
				t.Fatal(err)
			}
			if err := ts.agenda.TableItem(ctx, del, it.ID, it.Version); err != nil {
				t.Fatal(err)
			}
			if created%25 == 0 { // every page holds items with decisions standing
				if err := ts.agenda.Decide(ctx, cnHead, it.ID, 1, agenda.Concur, ""); err != nil {
					t.Fatal(err)
				}
			}
			created++
		}
	}
	count := func(path string, wantRows int) int64 {
		t.Helper()
		before := db.QueryCount()
		res := viewer.get(path)
		n := db.QueryCount() - before
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		if n <= 0 {
			t.Fatalf("GET %s ran %d statements: the counter does not count", path, n)
		}
		if got := len(ts.ahRows(res.Body)); got != wantRows {
			t.Fatalf("GET %s shows %d items, want %d", path, got, wantRows)
		}
		return n
	}

	// The demo shows the US delegate 4 items (3 tabled, the US draft): 10 in all.
	addItems(6)
	viewer.get("/agenda") // warm up (cookies settled)
	small := count("/agenda", 10)
	smallByTitle := count("/agenda?sort=title", 10)
	all, counts := ahCounts(t, viewer.get("/agenda").Body)
	if all != 10 || counts["draft"] != 1 || counts["proposed"] != 8 || counts["adopted"] != 1 {
		t.Fatalf("with 10 items the tabs count %d: %v", all, counts)
	}

	addItems(990)
	page1 := count("/agenda", 50)
	page2 := count("/agenda?page=2", 50)
	last := count("/agenda?page=20", 50)
	byTitle := count("/agenda?sort=title", 50)
	res := viewer.get("/agenda?page=2")
	if !strings.Contains(res.Body, "Page 2 of 20 (1000 in all)") {
		t.Errorf("page 2 does not say where it is")
	}
	all, counts = ahCounts(t, res.Body)
	if all != 1000 || counts["proposed"] != 998 {
		t.Errorf("with 1,000 items the tabs count %d: %v", all, counts)
	}
	if page1 != small || page2 != small || last != small || byTitle != smallByTitle {
		t.Errorf("statements per GET /agenda: %d with 10 items; with 1,000: %d (page 1), %d (page 2), %d (page 20); "+
			"sorted by title: %d with 10, %d with 1,000", small, page1, page2, last, smallByTitle, byTitle)
	}
}
