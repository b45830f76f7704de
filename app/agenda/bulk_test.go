package agenda

import (
	"context"
	"testing"

	"github.com/parley/parley/app"
)

// The bulk records keep every rule the services keep: the audit chains
// verify, drafts and internal notes stay with their side, adopted items had
// every party concur, and the long thread is there.
func TestSeedBulkKeepsTheInvariants(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	if err := s.SeedBulk(ctx, BulkInput{Items: 60, Comments: 120, Thread: 70}); err != nil {
		t.Fatal(err)
	}
	if _, problems, err := s.core.DB().VerifyAudit(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("the chains do not verify: %v %v", problems, err)
	}
	cn := user(t, s, "cn.delegate@parley.example")
	list, err := s.ListItems(ctx, cn, ItemFilter{Page: app.Page{Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []Status{StatusDraft, StatusProposed, StatusAdopted, StatusWithdrawn} {
		if list.Counts[st] == 0 {
			t.Errorf("no %s items among %v", st, list.Counts)
		}
	}
	for _, it := range list.Items {
		if !it.Tabled() && it.SideID != cn.SideID {
			t.Fatalf("CN lists a US draft %q", it.Title)
		}
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM comments"); n < 190 {
		t.Fatalf("%d comments", n)
	}
	var usNotes int64
	for _, it := range list.Items {
		v, err := s.ItemView(ctx, cn, it.PublicID, app.ThreadCursor{})
		if err != nil {
			t.Fatal(err)
		}
		if it.Status == StatusAdopted && len(v.Item.Standing) != 2 {
			t.Fatalf("adopted %q with %d concurrences", it.Title, len(v.Item.Standing))
		}
		for _, c := range v.Thread.Comments {
			if c.Visibility == app.Internal && c.SideID != cn.SideID {
				usNotes++
			}
		}
	}
	if usNotes != 0 {
		t.Fatalf("CN reads %d US internal notes", usNotes)
	}
}

// The counts the triggers keep are the counts of the rows, after every kind
// of change; a side added later gets its own; a filtered list counts at
// most CountCap items and says so.
func TestAgendaCountsFollowEveryChange(t *testing.T) {
	f := newAgFix(t)
	check := func(when string) {
		t.Helper()
		var wrong int64
		wrong = countRows(t, f.s, `SELECT COUNT(*) FROM agenda_counts c WHERE c.n <> (SELECT COUNT(*) FROM agenda_items i
			WHERE i.side_id = c.side_id AND (i.tabled_at IS NOT NULL) = c.tabled AND i.status = c.status)`)
		if wrong != 0 {
			t.Fatalf("%s: %d counters differ from the rows", when, wrong)
		}
	}
	check("after the demo")
	it := f.tabled(f.usDel, "Counted")
	check("after tabling")
	f.decide(f.cnHead, it.ID, Concur, "")
	f.decide(f.usHead, it.ID, Concur, "")
	check("after adoption")
	cur := f.get(f.usDel, it.ID)
	in := f.input("Counted")
	in.Description = "Revised after adoption"
	if _, err := f.s.UpdateItem(f.ctx, f.usDel, it.ID, cur.Version, in); err != nil {
		t.Fatal(err)
	}
	check("after a revision sent it back to proposed")
	cur = f.get(f.usDel, it.ID)
	if err := f.s.WithdrawItem(f.ctx, f.usDel, it.ID, cur.Version); err != nil {
		t.Fatal(err)
	}
	d := f.draft(f.cnDel, "A CN draft")
	if err := f.s.WithdrawItem(f.ctx, f.cnDel, d.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	check("after withdrawals")
	if _, err := f.s.core.CreateDelegation(f.ctx, f.admin, app.SideInput{Code: "EU", NameEN: "EU", NameZH: "欧盟",
		TimeZone: "Europe/Brussels", Language: "en"}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SeedBulk(f.ctx, BulkInput{Items: 3 * CountCap, Comments: 10}); err != nil {
		t.Fatal(err)
	}
	check("after the bulk records")
	// The whole agenda counts exactly, from the counters; CN sees no US draft counted.
	list, err := f.s.ListItems(f.ctx, f.cnObs, ItemFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := countRows(t, f.s, "SELECT COUNT(*) FROM agenda_items WHERE tabled_at IS NOT NULL OR side_id = ?", f.cn.ID)
	if list.Total != want || list.Capped {
		t.Fatalf("CN counts %d (capped %v), the rows say %d", list.Total, list.Capped, want)
	}
	// A filter counts at most CountCap and says so.
	filtered, err := f.s.ListItems(f.ctx, f.cnObs, ItemFilter{SideID: f.us.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !filtered.Capped || filtered.Total != CountCap+1 {
		t.Fatalf("a filter over %d+ items counts %d (capped %v)", CountCap, filtered.Total, filtered.Capped)
	}
	small, err := f.s.ListItems(f.ctx, f.cnObs, ItemFilter{Text: "Counted"})
	if err != nil || small.Capped || small.Total != 1 {
		t.Fatalf("a small filtered list: %d (capped %v) %v", small.Total, small.Capped, err)
	}
}
