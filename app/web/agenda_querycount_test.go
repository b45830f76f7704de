package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/parley/parley/app"
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
	if small > maxStatementsPerPage || smallByTitle > maxStatementsPerPage {
		t.Errorf("GET /agenda runs %d statements (%d sorted by title), want at most %d", small, smallByTitle, maxStatementsPerPage)
	}
	if page1 != small || page2 != small || last != small || byTitle != smallByTitle {
		t.Errorf("statements per GET /agenda: %d with 10 items; with 1,000: %d (page 1), %d (page 2), %d (page 20); "+
			"sorted by title: %d with 10, %d with 1,000", small, page1, page2, last, smallByTitle, byTitle)
	}
}

// maxStatementsPerPage bounds the SQL statements of one page, session and
// page frame included.
const maxStatementsPerPage = 8

// maxPageBytes bounds a page's HTML, before compression, whatever lies behind it.
const maxPageBytes = 150 << 10

// An item's page, history, revisions and amendments cost the same few
// statements whether the item has a handful of comments, revisions,
// amendments and decisions or a thousand comments and their audit records,
// sixty long revisions and thirty amendments; and their size stays bounded.
func TestItemPagesQueryCountIsConstant(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	viewer := ts.as(azEmail("us.head"))
	it := azItem(ts, "contested")
	db := ts.svc.DB()
	paths := []string{"/agenda/" + it.PublicID, "/agenda/" + it.PublicID + "/history", "/agenda/" + it.PublicID + "/revisions",
		"/agenda/" + it.PublicID + "/revisions?page=2&from=1&to=3", "/agenda/" + it.PublicID + "/amendments"}
	sizes := map[string]int{}
	count := func() []int64 {
		t.Helper()
		var out []int64
		for _, path := range paths {
			viewer.get(path) // warm up
			before := db.QueryCount()
			res := viewer.get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: status %d", path, res.StatusCode)
			}
			out = append(out, db.QueryCount()-before)
			sizes[path] = len(res.Body)
		}
		return out
	}
	small := count()
	for i, n := range small {
		if n <= 0 || n > maxStatementsPerPage {
			t.Errorf("GET %s runs %d statements, want 1 to %d", paths[i], n, maxStatementsPerPage)
		}
	}
	del, cnDel := azUser(ts, "us.delegate"), azUser(ts, "cn.delegate")
	ref := app.Ref{Kind: agenda.KindItem, ID: it.ID}
	for i := 0; i < 500; i++ {
		if _, err := ts.svc.AddComment(ctx, del, ref, app.Internal, fmt.Sprintf("US note %d", i)); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.svc.AddComment(ctx, cnDel, ref, app.Shared, fmt.Sprintf("CN comment %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	long := strings.Repeat("A long paragraph of the shared text. ", 100)
	for i := 0; i < 60; i++ { // new long revisions, each voiding the decisions before it
		cur := ahItem(t, ts, "us.delegate", it.ID)
		in := agenda.ItemInput{Title: cur.Title, Description: fmt.Sprintf("%s (%d)", long, i), CategoryID: cur.CategoryID,
			DurationMinutes: cur.DurationMinutes}
		if _, err := ts.agenda.UpdateItem(ctx, del, it.ID, cur.Version, in); err != nil {
			t.Fatal(err)
		}
		if err := ts.agenda.Decide(ctx, azUser(ts, "cn.head"), it.ID, cur.Revision+1, agenda.Concur, ""); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 30; i++ {
		if _, err := ts.agenda.ProposeAmendment(ctx, cnDel, it.ID, agenda.AmendmentInput{Title: fmt.Sprintf("Amended title %d", i),
			Description: long, Rationale: "Clearer."}); err != nil {
			t.Fatal(err)
		}
	}
	large := count()
	itemPage := viewer.get(paths[0]).Body
	if n := len(regexp.MustCompile(`/amendments/[0-9a-f]{20}"`).FindAllString(itemPage, -1)); n != agenda.AmendmentsShown || !strings.Contains(itemPage, `href="`+paths[4]+`"`) {
		t.Errorf("the item page links %d amendments (want %d) and the amendments page: %v", n, agenda.AmendmentsShown,
			strings.Contains(itemPage, paths[4]))
	}
	for i := range paths {
		if large[i] != small[i] {
			t.Errorf("GET %s: %d statements with the demo's content, %d with a thousand comments", paths[i], small[i], large[i])
		}
		// A page's size is bounded by its page of records, not by all there are.
		if sizes[paths[i]] > maxPageBytes {
			t.Errorf("GET %s is %d bytes with a thousand comments, want at most %d", paths[i], sizes[paths[i]], maxPageBytes)
		}
	}
}
