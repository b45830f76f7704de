package agenda

import (
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/app"
)

// thread returns the comments actor sees on a demo item, failing on error.
func (f *agFix) thread(actor *app.User, id int64) []app.Comment {
	f.t.Helper()
	cs, err := f.s.core.Comments(f.ctx, actor, app.Ref{Kind: KindItem, ID: id})
	if err != nil {
		f.t.Fatalf("Comments(%s, %d): %v", actor.Email, id, err)
	}
	return cs
}

func (f *agFix) comment(actor *app.User, id int64, vis app.Visibility, body string) *app.Comment {
	f.t.Helper()
	c, err := f.s.core.AddComment(f.ctx, actor, app.Ref{Kind: KindItem, ID: id}, vis, body)
	if err != nil {
		f.t.Fatalf("AddComment(%s): %v", actor.Email, err)
	}
	return c
}

func bodies(cs []app.Comment) string {
	var b []string
	for _, c := range cs {
		b = append(b, c.Body)
	}
	return strings.Join(b, " | ")
}

func TestCommentsInternalNotesStayOnTheirSide(t *testing.T) {
	f := newAgFix(t)
	id := f.itemID(demoMeasures)
	usNote, cnNote, cnShared := "Hold firm on the out-of-bounds language", "参考国家互联网应急中心的数据", "中方愿意讨论具体措施"
	f.comment(f.sec, id, app.Internal, "Secretariat internal: seat the delegations apart.")
	f.comment(f.sec, id, app.Shared, "Secretariat: the room is booked.")
	for _, c := range []struct {
		who       *app.User
		see, hide []string
	}{
		{f.usObs, []string{usNote, cnShared, "the room is booked"}, []string{cnNote, "seat the delegations"}},
		{f.usHead, []string{usNote, cnShared}, []string{cnNote, "seat the delegations"}},
		{f.cnObs, []string{cnNote, cnShared, "the room is booked"}, []string{usNote, "seat the delegations"}},
		{f.sec, []string{cnShared, "the room is booked", "seat the delegations"}, []string{usNote, cnNote}},
		{f.admin, []string{cnShared, "seat the delegations"}, []string{usNote, cnNote}},
	} {
		cs := f.thread(c.who, id)
		all := bodies(cs)
		for _, s := range c.see {
			if !strings.Contains(all, s) {
				t.Fatalf("%s does not see %q in %s", c.who.Email, s, all)
			}
		}
		for _, s := range c.hide {
			if strings.Contains(all, s) {
				t.Fatalf("%s sees %q", c.who.Email, s)
			}
		}
		for _, cm := range cs {
			if cm.Visibility == app.Internal && cm.SideID != c.who.SideID {
				t.Fatalf("%s gets another side's internal note %d", c.who.Email, cm.ID)
			}
			if cm.Author == nil || cm.Side == nil {
				t.Fatalf("comment %d without author or side", cm.ID)
			}
		}
		for i := 1; i < len(cs); i++ {
			if cs[i].CreatedAt.Before(cs[i-1].CreatedAt) {
				t.Fatal("thread not oldest first")
			}
		}
	}
	// Another side's note cannot be reached by id either.
	var usNoteID int64
	for _, c := range f.thread(f.usDel, id) {
		if c.Visibility == app.Internal {
			usNoteID = c.ID
		}
	}
	snap := f.snap()
	wantCode(t, f.s.core.EditComment(f.ctx, f.cnHead, app.Ref{Kind: KindItem, ID: id}, usNoteID, 1, "changed"), app.ENOTFOUND)
	wantCode(t, f.s.core.EditComment(f.ctx, f.sec, app.Ref{Kind: KindItem, ID: id}, usNoteID, 1, "changed"), app.ENOTFOUND)
	// Nor under another object.
	wantCode(t, f.s.core.EditComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: f.itemID(demoRules)}, usNoteID, 1, "changed"), app.ENOTFOUND)
	f.unchanged("reaching another side's note", snap)
}

func TestAddCommentRules(t *testing.T) {
	f := newAgFix(t)
	tabled := f.itemID(demoRules)
	snap := f.snap()
	// Observers never comment, not even internally.
	for _, who := range []*app.User{f.usObs, f.cnObs} {
		for _, vis := range []app.Visibility{app.Shared, app.Internal} {
			c, err := f.s.core.AddComment(f.ctx, who, app.Ref{Kind: KindItem, ID: tabled}, vis, "An observer's view.")
			wantCode(t, err, app.EFORBIDDEN)
			if c != nil {
				t.Fatal("observer comment returned")
			}
		}
	}
	// Validation.
	_, err := f.s.core.AddComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: tabled}, app.Shared, "  \n ")
	wantField(t, err, "body", "field.required")
	_, err = f.s.core.AddComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: tabled}, app.Shared, strings.Repeat("长", app.MaxCommentLen+1))
	wantField(t, err, "body", "field.too_long")
	_, err = f.s.core.AddComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: tabled}, app.Visibility("public"), "Hello")
	wantField(t, err, "visibility", "comment.visibility_invalid")
	_, err = f.s.core.AddComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: tabled}, "", "Hello")
	wantField(t, err, "visibility", "comment.visibility_invalid")
	// Unknown objects.
	_, err = f.s.core.AddComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: 99999}, app.Shared, "Hello")
	wantCode(t, err, app.ENOTFOUND)
	_, err = f.s.core.AddComment(f.ctx, f.usDel, app.Ref{Kind: "meeting", ID: tabled}, app.Shared, "Hello")
	wantCode(t, err, app.ENOTFOUND)
	_, err = f.s.core.Comments(f.ctx, f.usDel, app.Ref{Kind: "user", ID: f.usDel.ID})
	wantCode(t, err, app.ENOTFOUND)
	_, err = f.s.core.Comments(f.ctx, nil, app.Ref{Kind: KindItem, ID: tabled})
	wantCode(t, err, app.ENOTFOUND)
	f.unchanged("refused comments", snap)

	// A shared comment by the secretariat, on the shared chain; the body is trimmed.
	before := auditRecords(t, f.s)
	c, err := f.s.core.AddComment(f.ctx, f.sec, app.Ref{Kind: KindItem, ID: tabled}, app.Shared, "  Minutes will follow.  ")
	if err != nil {
		t.Fatal(err)
	}
	r := checkAppended(t, f.s, before, app.ChainShared, "comment.add", tabled, f.sec)
	if c.Body != "Minutes will follow." || c.SideID != f.secSide.ID || c.AuthorID != f.sec.ID || c.Version != 1 || c.EditedAt != nil {
		t.Fatalf("comment = %+v", c)
	}
	if ch := changesOf(t, r); ch["body"] != "Minutes will follow." || ch["visibility"] != "shared" || ch["comment"] != c.PublicID {
		t.Fatalf("comment.add changes = %s", r.Changes)
	}
	// Internal notes go on the author's side chain: CN, US, secretariat.
	for _, who := range []*app.User{f.cnDel, f.usHead, f.sec} {
		before := auditRecords(t, f.s)
		n := f.comment(who, tabled, app.Internal, "Note by "+who.Email)
		if n.Visibility != app.Internal || n.SideID != who.SideID {
			t.Fatalf("note = %+v", n)
		}
		checkAppended(t, f.s, before, app.SideChain(who.SideID), "comment.add", tabled, who)
	}
	if _, problems, err := f.s.core.DB().VerifyAudit(f.ctx); err != nil || len(problems) != 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}
}

func TestCommentsOnDraftAreInternalOnly(t *testing.T) {
	f := newAgFix(t)
	d := f.draft(f.usDel, "Draft under discussion")
	snap := f.snap()
	for _, who := range []*app.User{f.usDel, f.usHead} {
		_, err := f.s.core.AddComment(f.ctx, who, app.Ref{Kind: KindItem, ID: d.ID}, app.Shared, "Everyone should see this.")
		wantField(t, err, "visibility", "comment.draft_internal_only")
	}
	// The other side cannot even find the thread.
	for _, who := range []*app.User{f.cnHead, f.cnDel, f.sec} {
		_, err := f.s.core.AddComment(f.ctx, who, app.Ref{Kind: KindItem, ID: d.ID}, app.Internal, "We know.")
		wantCode(t, err, app.ENOTFOUND)
		_, err = f.s.core.Comments(f.ctx, who, app.Ref{Kind: KindItem, ID: d.ID})
		wantCode(t, err, app.ENOTFOUND)
	}
	f.unchanged("shared comment on a draft", snap)

	before := auditRecords(t, f.s)
	f.comment(f.usHead, d.ID, app.Internal, "Wait for the dialogue.")
	checkAppended(t, f.s, before, app.SideChain(f.us.ID), "comment.add", d.ID, f.usHead)
	if cs := f.thread(f.usObs, d.ID); len(cs) != 1 || cs[0].Visibility != app.Internal {
		t.Fatalf("draft thread = %+v", cs)
	}
	// Once tabled, shared comments are allowed and everyone sees them; the draft note stays internal.
	f.table(f.usDel, d.ID)
	f.comment(f.usDel, d.ID, app.Shared, "Tabled for discussion.")
	cs := f.thread(f.cnObs, d.ID)
	if len(cs) != 1 || cs[0].Body != "Tabled for discussion." {
		t.Fatalf("CN thread after tabling = %s", bodies(cs))
	}
}

func TestEditCommentWithinWindow(t *testing.T) {
	f := newAgFix(t)
	id := f.itemID(demoMeasures)
	c := f.comment(f.usDel, id, app.Shared, "We propose three steps.")
	f.c.advance(10 * time.Minute)
	before := auditRecords(t, f.s)
	if err := f.s.core.EditComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: id}, c.ID, c.Version, "We propose four steps."); err != nil {
		t.Fatal(err)
	}
	r := checkAppended(t, f.s, before, app.ChainShared, "comment.edit", id, f.usDel)
	if cl := r.ChangeList(); len(cl) != 2 || cl[0].Field != "body" || cl[0].Old != "We propose three steps." || cl[0].New != "We propose four steps." {
		t.Fatalf("comment.edit changes = %+v", cl)
	}
	find := func(who *app.User) app.Comment {
		t.Helper()
		for _, x := range f.thread(who, id) {
			if x.ID == c.ID {
				return x
			}
		}
		t.Fatalf("%s does not see comment %d", who.Email, c.ID)
		return app.Comment{}
	}
	got := find(f.cnObs) // the other side sees the edit and what it replaced
	if got.Body != "We propose four steps." || got.EditedAt == nil || !got.EditedAt.Equal(f.s.core.Clock()) || got.Version != 2 {
		t.Fatalf("edited comment = %+v", got)
	}
	if len(got.Edits) != 1 || got.Edits[0].Body != "We propose three steps." {
		t.Fatalf("edits = %+v", got.Edits)
	}
	// A stale version is a conflict; an unchanged body is no write.
	snap := f.snap()
	wantCode(t, f.s.core.EditComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: id}, c.ID, c.Version, "Stale"), app.ECONFLICT)
	if err := f.s.core.EditComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: id}, c.ID, got.Version, " We propose four steps. "); err != nil {
		t.Fatal(err)
	}
	wantField(t, f.s.core.EditComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: id}, c.ID, got.Version, "  "), "body", "field.required")
	f.unchanged("stale, unchanged or empty edits", snap)

	// A second edit keeps both earlier texts, oldest first.
	f.c.advance(4 * time.Minute) // 14 minutes after writing: still open
	if err := f.s.core.EditComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: id}, c.ID, got.Version, "We propose five steps."); err != nil {
		t.Fatal(err)
	}
	got = find(f.sec)
	if got.Body != "We propose five steps." || len(got.Edits) != 2 || got.Edits[0].Body != "We propose three steps." || got.Edits[1].Body != "We propose four steps." {
		t.Fatalf("after two edits: %q, edits %+v", got.Body, got.Edits)
	}
	if n := countRows(t, f.s, "SELECT COUNT(*) FROM comment_edits WHERE comment_id = ?", c.ID); n != 2 {
		t.Fatalf("%d comment_edits rows", n)
	}
}

func TestEditCommentAfterWindow(t *testing.T) {
	f := newAgFix(t)
	id := f.itemID(demoRules)
	c := f.comment(f.cnDel, id, app.Shared, "原文")
	f.c.advance(16 * time.Minute)
	snap := f.snap()
	wantMessage(t, f.s.core.EditComment(f.ctx, f.cnDel, app.Ref{Kind: KindItem, ID: id}, c.ID, c.Version, "修改"), app.EINVALID, "comment.edit_window_over")
	f.unchanged("an edit after the window", snap)
	if cs := f.thread(f.cnDel, id); cs[len(cs)-1].Body != "原文" || cs[len(cs)-1].EditedAt != nil || len(cs[len(cs)-1].Edits) != 0 {
		t.Fatalf("comment after a refused edit = %+v", cs[len(cs)-1])
	}
	// Exactly at the end of the window it is closed too.
	c2 := f.comment(f.cnDel, id, app.Internal, "内部")
	f.c.advance(app.CommentEditWindow)
	wantMessage(t, f.s.core.EditComment(f.ctx, f.cnDel, app.Ref{Kind: KindItem, ID: id}, c2.ID, c2.Version, "修改"), app.EINVALID, "comment.edit_window_over")
	// The demo's own comments are long past their window.
	var old app.Comment
	for _, x := range f.thread(f.cnHead, f.itemID(demoMeasures)) {
		if x.AuthorID == f.cnHead.ID {
			old = x
		}
	}
	if old.ID == 0 {
		t.Fatal("demo: no CN head comment")
	}
	f.c.advance(24 * time.Hour)
	wantMessage(t, f.s.core.EditComment(f.ctx, f.cnHead, app.Ref{Kind: KindItem, ID: old.ObjectID}, old.ID, old.Version, "改"), app.EINVALID, "comment.edit_window_over")
}

func TestEditSomeoneElsesComment(t *testing.T) {
	f := newAgFix(t)
	id := f.itemID(demoMeasures)
	shared := f.comment(f.usDel, id, app.Shared, "A US delegate's comment.")
	note := f.comment(f.usDel, id, app.Internal, "A US delegate's note.")
	snap := f.snap()
	// Someone else on the same side, even their head: forbidden.
	for _, who := range []*app.User{f.usHead, f.usObs} {
		wantCode(t, f.s.core.EditComment(f.ctx, who, app.Ref{Kind: KindItem, ID: id}, shared.ID, shared.Version, "Rewritten"), app.EFORBIDDEN)
		wantCode(t, f.s.core.EditComment(f.ctx, who, app.Ref{Kind: KindItem, ID: id}, note.ID, note.Version, "Rewritten"), app.EFORBIDDEN)
	}
	// The other side and the secretariat see the shared comment but may not edit it; the note does not exist for them.
	for _, who := range []*app.User{f.cnHead, f.cnDel, f.sec, f.admin} {
		wantCode(t, f.s.core.EditComment(f.ctx, who, app.Ref{Kind: KindItem, ID: id}, shared.ID, shared.Version, "Rewritten"), app.EFORBIDDEN)
		wantCode(t, f.s.core.EditComment(f.ctx, who, app.Ref{Kind: KindItem, ID: id}, note.ID, note.Version, "Rewritten"), app.ENOTFOUND)
	}
	f.unchanged("edits of someone else's comment", snap)

	// The author's own edit of the note is audited on the US chain.
	before := auditRecords(t, f.s)
	if err := f.s.core.EditComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: id}, note.ID, note.Version, "A US delegate's corrected note."); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, f.s, before, app.SideChain(f.us.ID), "comment.edit", id, f.usDel)
	for _, c := range f.thread(f.cnHead, id) {
		if strings.Contains(c.Body, "US delegate's") && c.Visibility == app.Internal {
			t.Fatal("CN sees the US note")
		}
	}
	if _, problems, err := f.s.core.DB().VerifyAudit(f.ctx); err != nil || len(problems) != 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}
}
