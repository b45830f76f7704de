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
		if it.Status == StatusAdopted && len(it.Standing) != 2 {
			t.Fatalf("adopted %q with %d concurrences", it.Title, len(it.Standing))
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
