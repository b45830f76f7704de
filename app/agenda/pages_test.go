package agenda

import (
	"fmt"
	"testing"

	"github.com/parley/parley/app"
)

// The revisions page lists its page of revisions newest first, without
// their text, loads only the two compared with their text, and shows the
// newest DecisionsShown decisions given on the page's revisions.
func TestRevisionsArePaged(t *testing.T) {
	f := newAgFix(t)
	it := f.tabled(f.usDel, "Many revisions")
	err := f.s.write(f.ctx, func(tx wtx) error {
		for n := 2; n <= 120; n++ {
			if err := tx.AddRevision(it.ref(), n, fmt.Sprintf("Title %d", n), fmt.Sprintf("Text %d", n), f.usDel.ID, nil); err != nil {
				return err
			}
		}
		if err := tx.Gorm().Exec("UPDATE agenda_items SET revision = 120 WHERE id = ?", it.ID).Error; err != nil {
			return err
		}
		for i := 0; i < DecisionsShown+5; i++ { // a head who changes their mind often
			if err := tx.Decide(f.cnHead, it.ref(), 120, Concur, "", itemAudit(it, "agenda.concur", nil)); err != nil {
				return err
			}
		}
		return tx.Decide(f.cnHead, it.ref(), 3, Object, "Old", itemAudit(it, "agenda.object", nil))
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.s.ItemRevisions(f.ctx, f.cnObs, it.PublicID, 1, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	revs := v.Revisions.Items
	if v.Revisions.Total != 120 || v.Revisions.Pages() != 3 || len(revs) != RevisionsPageSize || revs[0].Number != 120 ||
		revs[len(revs)-1].Number != 71 || revs[0].Body != "" || revs[0].Author == nil {
		t.Fatalf("page 1: total %d, %d pages, %d revisions %d..%d, text %q", v.Revisions.Total, v.Revisions.Pages(), len(revs),
			revs[0].Number, revs[len(revs)-1].Number, revs[0].Body)
	}
	if v.From == nil || v.To == nil || v.From.Number != 119 || v.To.Body != "Text 120" {
		t.Fatalf("the last two are not compared: %+v %+v", v.From, v.To)
	}
	if len(v.Decisions) != DecisionsShown || !v.MoreDecisions || v.Decisions[0].Revision != 120 || v.Decisions[0].WithdrawnAt != nil {
		t.Fatalf("%d decisions (more: %v), the newest first: %+v", len(v.Decisions), v.MoreDecisions, v.Decisions[0])
	}
	v, err = f.s.ItemRevisions(f.ctx, f.cnObs, it.PublicID, 3, 5, 80)
	if err != nil {
		t.Fatal(err)
	}
	revs = v.Revisions.Items
	if len(revs) != 20 || revs[0].Number != 20 || revs[19].Number != 1 || v.From.Number != 5 || v.To.Body != "Text 80" {
		t.Fatalf("page 3: %d revisions from %d, compared %d and %d", len(revs), revs[0].Number, v.From.Number, v.To.Number)
	}
	if len(v.Decisions) != 1 || v.MoreDecisions || v.Decisions[0].Kind != Object || v.Decisions[0].Reason != "Old" {
		t.Fatalf("page 3 decisions: %+v (more: %v)", v.Decisions, v.MoreDecisions)
	}
	if v, err = f.s.ItemRevisions(f.ctx, f.cnObs, it.PublicID, 1<<62, 500, -1); err != nil || v.Revisions.Page.Number != 3 ||
		v.From.Number != 119 || v.To.Number != 120 {
		t.Fatalf("a page past the last, with numbers out of range: %v", err)
	}
}

// An item's page shows its newest AmendmentsShown amendments; the
// amendments page lists them all, newest first, a page at a time.
func TestAmendmentsArePaged(t *testing.T) {
	f := newAgFix(t)
	it := f.tabled(f.usDel, "Much amended")
	for i := 0; i < 60; i++ {
		if _, err := f.s.ProposeAmendment(f.ctx, f.cnDel, it.ID, AmendmentInput{Title: fmt.Sprintf("Amendment %02d", i),
			Description: "New text", Rationale: "Better"}); err != nil {
			t.Fatal(err)
		}
	}
	v, err := f.s.ItemView(f.ctx, f.usObs, it.PublicID, app.ThreadCursor{})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Amendments) != AmendmentsShown || !v.MoreAmendments || v.Amendments[0].Title != "Amendment 59" {
		t.Fatalf("the item page has %d amendments (more: %v), first %q", len(v.Amendments), v.MoreAmendments, v.Amendments[0].Title)
	}
	_, list, err := f.s.ItemAmendments(f.ctx, f.usObs, it.PublicID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if list.Total != 60 || list.Pages() != 2 || len(list.Items) != 10 || list.Items[0].Title != "Amendment 09" ||
		list.Items[9].Title != "Amendment 00" || list.Items[0].Author == nil || list.Items[0].Side == nil {
		t.Fatalf("page 2: total %d, %d pages, %d amendments from %q", list.Total, list.Pages(), len(list.Items), list.Items[0].Title)
	}
}
