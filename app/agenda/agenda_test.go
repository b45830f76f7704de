package agenda

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/app"
)

// Titles of the demo agenda items.
const (
	demoMechanism = "双边网络工作组机制"                                                    // CN, adopted
	demoRules     = "International cyberspace rules"                               // CN, proposed, CN concurred
	demoMeasures  = "Measures to boost dialogue and cooperation on cyber security" // US, proposed, CN concur, US object, open amendment
	demoUSDraft   = "Protecting intellectual property from cyber theft"            // US draft
	demoCNDraft   = "来自美国IP地址的对中国政府网站的攻击"                                          // CN draft
)

// agFix is the demo working group with its people at hand.
type agFix struct {
	t                                                      *testing.T
	s                                                      *Service
	c                                                      *clock
	ctx                                                    context.Context
	usHead, usDel, usObs, cnHead, cnDel, cnObs, sec, admin *app.User
	us, cn, secSide                                        *app.Side
	cats                                                   []Category
}

func newAgFix(t *testing.T) *agFix {
	t.Helper()
	s, c := newTestService(t)
	f := &agFix{t: t, s: s, c: c, ctx: context.Background()}
	f.usHead = user(t, s, "us.head@parley.example")
	f.usDel = user(t, s, "us.delegate@parley.example")
	f.usObs = user(t, s, "us.observer@parley.example")
	f.cnHead = user(t, s, "cn.head@parley.example")
	f.cnDel = user(t, s, "cn.delegate@parley.example")
	f.cnObs = user(t, s, "cn.observer@parley.example")
	f.sec = user(t, s, "secretariat@parley.example")
	f.admin = user(t, s, "admin@parley.example")
	f.us, f.cn, f.secSide = side(t, s, "US"), side(t, s, "CN"), side(t, s, "SEC")
	cats, err := s.Categories(f.ctx, f.sec, false)
	if err != nil || len(cats) != len(DemoCategories) {
		t.Fatalf("categories: %d %v", len(cats), err)
	}
	f.cats = cats
	c.advance(time.Minute)
	return f
}

// itemID finds an item by its title, whoever may see it.
func (f *agFix) itemID(title string) int64 {
	f.t.Helper()
	var id int64
	if err := f.s.core.DB().Reader().QueryRow("SELECT id FROM agenda_items WHERE title = ?", title).Scan(&id); err != nil {
		f.t.Fatalf("item %q: %v", title, err)
	}
	return id
}

// get reads an item as actor, failing on any error.
func (f *agFix) get(actor *app.User, id int64) *Item {
	f.t.Helper()
	it, err := f.s.GetItem(f.ctx, actor, id)
	if err != nil {
		f.t.Fatalf("GetItem(%s, %d): %v", actor.Email, id, err)
	}
	return it
}

func (f *agFix) input(title string) ItemInput {
	return ItemInput{Title: title, Description: "Text of " + title, CategoryID: f.cats[2].ID, DurationMinutes: 30, Language: "en"}
}

func (f *agFix) draft(actor *app.User, title string) *Item {
	f.t.Helper()
	it, err := f.s.CreateItem(f.ctx, actor, f.input(title))
	if err != nil {
		f.t.Fatalf("CreateItem(%s, %q): %v", actor.Email, title, err)
	}
	return it
}

func (f *agFix) table(actor *app.User, id int64) *Item {
	f.t.Helper()
	it := f.get(actor, id)
	if err := f.s.TableItem(f.ctx, actor, id, it.Version); err != nil {
		f.t.Fatalf("TableItem(%s, %d): %v", actor.Email, id, err)
	}
	return f.get(actor, id)
}

// tabled creates and tables an item on actor's side.
func (f *agFix) tabled(actor *app.User, title string) *Item {
	f.t.Helper()
	return f.table(actor, f.draft(actor, title).ID)
}

// decide records head's decision on the current revision.
func (f *agFix) decide(head *app.User, id int64, kind app.DecisionKind, reason string) {
	f.t.Helper()
	it := f.get(head, id)
	if err := f.s.Decide(f.ctx, head, id, it.Revision, kind, reason); err != nil {
		f.t.Fatalf("Decide(%s, %d, %s): %v", head.Email, id, kind, err)
	}
}

func (f *agFix) decisions(actor *app.User, id int64) []app.Decision {
	f.t.Helper()
	ds, err := f.s.core.Decisions(f.ctx, actor, app.Ref{Kind: KindItem, ID: id})
	if err != nil {
		f.t.Fatalf("Decisions: %v", err)
	}
	return ds
}

func (f *agFix) revisions(actor *app.User, id int64) []app.Revision {
	f.t.Helper()
	rs, err := f.s.core.Revisions(f.ctx, actor, app.Ref{Kind: KindItem, ID: id})
	if err != nil {
		f.t.Fatalf("Revisions: %v", err)
	}
	return rs
}

// itemActions lists the audit actions about an item on a chain ("" for all chains), oldest first.
func (f *agFix) itemActions(id int64, chain string) []string {
	f.t.Helper()
	var out []string
	for _, r := range auditRecords(f.t, f.s) {
		if r.ObjectType == "agenda_item" && r.ObjectID == id && (chain == "" || r.Chain == chain) {
			out = append(out, r.Action)
		}
	}
	return out
}

func (f *agFix) countAction(id int64, action string) int64 {
	f.t.Helper()
	return countRows(f.t, f.s, "SELECT COUNT(*) FROM audit_records WHERE object_type = 'agenda_item' AND object_id = ? AND action = ?", id, action)
}

// unchanged fails if any agenda table or the audit trail changed since snap.
type agSnap map[string]int64

func (f *agFix) snap() agSnap {
	f.t.Helper()
	m := agSnap{}
	for _, q := range []string{
		"SELECT COUNT(*) FROM audit_records",
		"SELECT COUNT(*) FROM agenda_items",
		"SELECT COUNT(*) FROM revisions",
		"SELECT COUNT(*) FROM decisions",
		"SELECT COUNT(*) FROM decisions WHERE withdrawn_at IS NOT NULL",
		"SELECT COUNT(*) FROM translations",
		"SELECT COALESCE(SUM(version), 0) FROM translations",
		"SELECT COUNT(*) FROM amendments",
		"SELECT COUNT(*) FROM comments",
		"SELECT COUNT(*) FROM comment_edits",
		"SELECT COALESCE(SUM(version), 0) FROM agenda_items",
		"SELECT COALESCE(SUM(version), 0) FROM amendments",
		"SELECT COALESCE(SUM(version), 0) FROM comments",
	} {
		m[q] = countRows(f.t, f.s, q)
	}
	return m
}

func (f *agFix) unchanged(label string, before agSnap) {
	f.t.Helper()
	for q, n := range f.snap() {
		if before[q] != n {
			f.t.Fatalf("%s changed the database: %s went from %d to %d", label, q, before[q], n)
		}
	}
}

func hasItem(items []Item, id int64) bool {
	for _, it := range items {
		if it.ID == id {
			return true
		}
	}
	return false
}

func actionsOf(recs []app.AuditRecord) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Action)
	}
	return out
}

// ---- create ------------------------------------------------------------------

func TestCreateItemWhoMay(t *testing.T) {
	f := newAgFix(t)
	for _, who := range []*app.User{f.usDel, f.usHead, f.cnDel, f.cnHead, f.sec, f.admin} {
		before := auditRecords(t, f.s)
		it, err := f.s.CreateItem(f.ctx, who, f.input("Item by "+who.Email))
		if err != nil {
			t.Fatalf("%s may propose items: %v", who.Email, err)
		}
		if it.Status != StatusDraft || it.SideID != who.SideID || it.AuthorID != who.ID || it.Revision != 1 ||
			it.Version != 1 || it.TabledAt != nil || it.Title != "Item by "+who.Email || it.DurationMinutes != 30 {
			t.Fatalf("%s created %+v", who.Email, it)
		}
		// The draft-phase record goes on the proposing side's own chain.
		r := checkAppended(t, f.s, before, app.SideChain(who.SideID), "agenda.create", it.ID, who)
		if ch := changesOf(t, r); ch["title"] != it.Title || ch["language"] != "en" {
			t.Fatalf("agenda.create changes = %s", r.Changes)
		}
	}
	// The language defaults to the author's own.
	in := f.input("默认语言")
	in.Language = ""
	it, err := f.s.CreateItem(f.ctx, f.cnDel, in)
	if err != nil || it.Language != "zh" {
		t.Fatalf("CN delegate's default language: %+v %v", it, err)
	}
	// Observers never write.
	for _, who := range []*app.User{f.usObs, f.cnObs} {
		before := f.snap()
		_, err := f.s.CreateItem(f.ctx, who, f.input("Observer item"))
		wantCode(t, err, app.EFORBIDDEN)
		f.unchanged("observer CreateItem", before)
	}
	_, err = f.s.CreateItem(f.ctx, nil, f.input("Nobody"))
	wantCode(t, err, app.EFORBIDDEN)
}

func TestCreateItemValidation(t *testing.T) {
	f := newAgFix(t)
	archived := f.cats[4]
	if err := f.s.UpdateCategory(f.ctx, f.sec, archived.ID, archived.Version, CategoryInput{NameEN: archived.NameEN,
		NameZH: archived.NameZH, Position: archived.Position, Archived: true}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		mod        func(*ItemInput)
		field, key string
	}{
		{"empty title", func(in *ItemInput) { in.Title = "" }, "title", "field.required"},
		{"blank title", func(in *ItemInput) { in.Title = " \t\n " }, "title", "field.required"},
		{"201-char title", func(in *ItemInput) { in.Title = strings.Repeat("a", 201) }, "title", "field.too_long"},
		{"201-rune Chinese title", func(in *ItemInput) { in.Title = strings.Repeat("议", 201) }, "title", "field.too_long"},
		{"description too long", func(in *ItemInput) { in.Description = strings.Repeat("d", MaxDescriptionLen+1) }, "description", "field.too_long"},
		{"no category", func(in *ItemInput) { in.CategoryID = 0 }, "category", "agenda.category_invalid"},
		{"unknown category", func(in *ItemInput) { in.CategoryID = 99999 }, "category", "agenda.category_invalid"},
		{"archived category", func(in *ItemInput) { in.CategoryID = archived.ID }, "category", "agenda.category_invalid"},
		{"duration 0", func(in *ItemInput) { in.DurationMinutes = 0 }, "duration", "agenda.duration_invalid"},
		{"duration 4", func(in *ItemInput) { in.DurationMinutes = 4 }, "duration", "agenda.duration_invalid"},
		{"duration negative", func(in *ItemInput) { in.DurationMinutes = -30 }, "duration", "agenda.duration_invalid"},
		{"duration 601", func(in *ItemInput) { in.DurationMinutes = MaxDuration + 1 }, "duration", "agenda.duration_invalid"},
		{"bad language", func(in *ItemInput) { in.Language = "fr" }, "language", "lang.invalid"},
		{"upper-case language", func(in *ItemInput) { in.Language = "EN" }, "language", "lang.invalid"},
	}
	before := f.snap()
	for _, c := range cases {
		in := f.input("A valid title")
		c.mod(&in)
		it, err := f.s.CreateItem(f.ctx, f.usDel, in)
		if it != nil {
			t.Fatalf("%s: returned an item", c.name)
		}
		wantField(t, err, c.field, c.key)
		if n := len(app.FieldErrors(err)); n != 1 {
			t.Fatalf("%s: field errors %v, want only %s", c.name, app.FieldErrors(err), c.field)
		}
	}
	// Everything wrong at once: every field is reported.
	_, err := f.s.CreateItem(f.ctx, f.usDel, ItemInput{Title: "", CategoryID: archived.ID, DurationMinutes: 700, Language: "de"})
	for field, key := range map[string]string{"title": "field.required", "category": "agenda.category_invalid",
		"duration": "agenda.duration_invalid", "language": "lang.invalid"} {
		wantField(t, err, field, key)
	}
	f.unchanged("invalid CreateItem", before)

	// The limits themselves are accepted.
	for i, in := range []ItemInput{
		{Title: strings.Repeat("a", MaxTitleLen), CategoryID: f.cats[0].ID, DurationMinutes: 5, Language: "en"},
		{Title: strings.Repeat("议", MaxTitleLen), CategoryID: f.cats[0].ID, DurationMinutes: MaxDuration, Language: "zh",
			Description: strings.Repeat("d", MaxDescriptionLen)},
		{Title: "  padded  ", CategoryID: f.cats[1].ID, DurationMinutes: 60, Language: "en"},
	} {
		it, err := f.s.CreateItem(f.ctx, f.usDel, in)
		if err != nil {
			t.Fatalf("boundary input %d refused: %v", i, err)
		}
		if it.Title != strings.TrimSpace(in.Title) || it.DurationMinutes != in.DurationMinutes {
			t.Fatalf("boundary input %d stored as %q/%d", i, it.Title, it.DurationMinutes)
		}
	}
}

// ---- edit ----------------------------------------------------------------------

func TestUpdateDraftInPlace(t *testing.T) {
	f := newAgFix(t)
	d := f.draft(f.usDel, "Draft title")
	in := f.input("Draft title, reworded")
	in.DurationMinutes = 45
	in.CategoryID = f.cats[3].ID
	before := auditRecords(t, f.s)
	got, err := f.s.UpdateItem(f.ctx, f.usDel, d.ID, d.Version, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusDraft || got.Revision != 1 || got.Version != d.Version+1 || got.Title != "Draft title, reworded" ||
		got.DurationMinutes != 45 || got.CategoryID != f.cats[3].ID {
		t.Fatalf("edited draft = %+v", got)
	}
	if n := countRows(t, f.s, "SELECT COUNT(*) FROM revisions WHERE object_type = 'agenda_item' AND object_id = ?", d.ID); n != 0 {
		t.Fatalf("a draft edit made %d revisions", n)
	}
	r := checkAppended(t, f.s, before, app.SideChain(f.us.ID), "agenda.update", d.ID, f.usDel)
	if ch := changesOf(t, r); ch["revision"] != nil || ch["title"] == nil || ch["duration"] == nil || ch["category"] == nil {
		t.Fatalf("agenda.update changes = %s", r.Changes)
	}

	// The head of the same side may edit too.
	in.Title = "Head's wording"
	if got, err = f.s.UpdateItem(f.ctx, f.usHead, d.ID, got.Version, in); err != nil || got.Title != "Head's wording" {
		t.Fatalf("US head edit: %+v %v", got, err)
	}

	snap := f.snap()
	// A stale version is a conflict, and nothing is written.
	in.Title = "Stale"
	_, err = f.s.UpdateItem(f.ctx, f.usDel, d.ID, d.Version, in)
	wantCode(t, err, app.ECONFLICT)
	// The other side and the secretariat do not know it exists.
	for _, who := range []*app.User{f.cnHead, f.cnDel, f.sec, f.admin} {
		_, err = f.s.UpdateItem(f.ctx, who, d.ID, got.Version, in)
		wantCode(t, err, app.ENOTFOUND)
	}
	// An observer of the side sees it but may not edit.
	_, err = f.s.UpdateItem(f.ctx, f.usObs, d.ID, got.Version, in)
	wantCode(t, err, app.EFORBIDDEN)
	// Validation errors save nothing.
	bad := in
	bad.Title = " "
	_, err = f.s.UpdateItem(f.ctx, f.usDel, d.ID, got.Version, bad)
	wantField(t, err, "title", "field.required")
	bad = in
	bad.DurationMinutes = 601
	_, err = f.s.UpdateItem(f.ctx, f.usDel, d.ID, got.Version, bad)
	wantField(t, err, "duration", "agenda.duration_invalid")
	// An unchanged save is no write at all.
	same := ItemInput{Title: " Head's wording ", Description: "Text of Draft title, reworded", CategoryID: f.cats[3].ID, DurationMinutes: 45}
	if _, err := f.s.UpdateItem(f.ctx, f.usDel, d.ID, got.Version, same); err != nil {
		t.Fatal(err)
	}
	f.unchanged("refused or unchanged edits", snap)
	if it := f.get(f.usDel, d.ID); it.Title != "Head's wording" {
		t.Fatalf("title now %q", it.Title)
	}
}

func TestUpdateTabledItemMakesRevision(t *testing.T) {
	f := newAgFix(t)
	it := f.tabled(f.usDel, "Tabled title")
	if rs := f.revisions(f.cnHead, it.ID); len(rs) != 1 || rs[0].Number != 1 || rs[0].Title != "Tabled title" {
		t.Fatalf("revisions after tabling = %+v", rs)
	}
	// Duration only: no new revision, audited on the shared chain.
	in := f.input("Tabled title")
	in.DurationMinutes = 90
	before := auditRecords(t, f.s)
	got, err := f.s.UpdateItem(f.ctx, f.usDel, it.ID, it.Version, in)
	if err != nil || got.Revision != 1 || got.DurationMinutes != 90 || got.Status != StatusProposed {
		t.Fatalf("duration edit: %+v %v", got, err)
	}
	checkAppended(t, f.s, before, app.ChainShared, "agenda.update", it.ID, f.usDel)

	// Text: a new revision with its own row.
	in.Title = "Tabled title, revised"
	in.Description = "New description"
	before = auditRecords(t, f.s)
	got, err = f.s.UpdateItem(f.ctx, f.usDel, it.ID, got.Version, in)
	if err != nil || got.Revision != 2 || got.Status != StatusProposed || got.Title != "Tabled title, revised" {
		t.Fatalf("text edit: %+v %v", got, err)
	}
	r := checkAppended(t, f.s, before, app.ChainShared, "agenda.revise", it.ID, f.usDel)
	if cl := changesOf(t, r); fmt.Sprint(cl["revision"]) != "[1 2]" {
		t.Fatalf("agenda.revise changes = %s", r.Changes)
	}
	rs := f.revisions(f.cnDel, it.ID)
	if len(rs) != 2 || rs[0].Title != "Tabled title" || rs[1].Number != 2 || rs[1].Title != "Tabled title, revised" ||
		rs[1].Body != "New description" || rs[1].AuthorID != f.usDel.ID || rs[1].SourceID != nil {
		t.Fatalf("revisions = %+v", rs)
	}

	// The other side sees it but may not edit it; nor may the secretariat.
	snap := f.snap()
	for _, who := range []*app.User{f.cnHead, f.cnDel, f.sec, f.usObs} {
		_, err := f.s.UpdateItem(f.ctx, who, it.ID, got.Version, f.input("Hijacked"))
		wantCode(t, err, app.EFORBIDDEN)
	}
	f.unchanged("refused edits of a tabled item", snap)
}

func TestEditAdoptedItemGoesBackToProposed(t *testing.T) {
	f := newAgFix(t)
	id := f.itemID(demoMechanism)
	it := f.get(f.cnDel, id)
	if it.Status != StatusAdopted || len(it.Standing) != 2 {
		t.Fatalf("demo mechanism item: %s with %d standing", it.Status, len(it.Standing))
	}
	in := ItemInput{Title: it.Title, Description: it.Description + "\n- 工作语言", CategoryID: it.CategoryID, DurationMinutes: it.DurationMinutes}
	before := auditRecords(t, f.s)
	got, err := f.s.UpdateItem(f.ctx, f.cnDel, id, it.Version, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusProposed || got.Revision != 2 || len(got.Standing) != 0 {
		t.Fatalf("after editing the adopted text: %s rev %d, %d standing", got.Status, got.Revision, len(got.Standing))
	}
	r := checkAppended(t, f.s, before, app.ChainShared, "agenda.revise", id, f.cnDel)
	if ch := changesOf(t, r); fmt.Sprint(ch["status"]) != "[adopted proposed]" {
		t.Fatalf("agenda.revise changes = %s", r.Changes)
	}
	// The decisions on revision 1 are still on record.
	ds := f.decisions(f.usHead, id)
	if len(ds) != 2 || ds[0].Revision != 1 || ds[1].Revision != 1 {
		t.Fatalf("decisions = %+v", ds)
	}
	// Adopting again needs both heads on revision 2.
	f.decide(f.cnHead, id, Concur, "")
	if f.get(f.cnHead, id).Status != StatusProposed {
		t.Fatal("adopted with one concurrence on the new revision")
	}
	f.decide(f.usHead, id, Concur, "")
	if got := f.get(f.cnHead, id); got.Status != StatusAdopted || got.Revision != 2 {
		t.Fatalf("after both concur on rev 2: %s rev %d", got.Status, got.Revision)
	}
	if n := f.countAction(id, "agenda.adopt"); n != 2 {
		t.Fatalf("%d agenda.adopt records, want 2 (one per adoption)", n)
	}
	// A non-text edit of an adopted item leaves it adopted.
	it = f.get(f.cnDel, id)
	in.DurationMinutes = 50
	if got, err := f.s.UpdateItem(f.ctx, f.cnDel, id, it.Version, in); err != nil || got.Status != StatusAdopted || got.Revision != 2 {
		t.Fatalf("duration edit of an adopted item: %+v %v", got, err)
	}
}

// ---- table -----------------------------------------------------------------------

func TestTableItem(t *testing.T) {
	f := newAgFix(t)
	d := f.draft(f.usDel, "To be tabled")
	snap := f.snap()
	for _, who := range []*app.User{f.cnHead, f.cnDel, f.sec} {
		wantCode(t, f.s.TableItem(f.ctx, who, d.ID, d.Version), app.ENOTFOUND)
	}
	wantCode(t, f.s.TableItem(f.ctx, f.usObs, d.ID, d.Version), app.EFORBIDDEN)
	wantCode(t, f.s.TableItem(f.ctx, f.usDel, d.ID, d.Version+1), app.ECONFLICT)
	f.unchanged("refused tabling", snap)

	before := auditRecords(t, f.s)
	if err := f.s.TableItem(f.ctx, f.usHead, d.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	r := checkAppended(t, f.s, before, app.ChainShared, "agenda.table", d.ID, f.usHead)
	if ch := changesOf(t, r); ch["title"] != "To be tabled" || fmt.Sprint(ch["status"]) != "[draft proposed]" {
		t.Fatalf("agenda.table changes = %s", r.Changes)
	}
	it := f.get(f.cnObs, d.ID) // now everyone sees it
	if it.Status != StatusProposed || it.Revision != 1 || it.TabledAt == nil || !it.TabledAt.Equal(f.s.core.Clock()) {
		t.Fatalf("tabled item = %+v", it)
	}
	if rs := f.revisions(f.sec, d.ID); len(rs) != 1 || rs[0].Title != "To be tabled" || rs[0].AuthorID != f.usHead.ID {
		t.Fatalf("revisions = %+v", rs)
	}
	// Not twice; and not by the other side.
	snap = f.snap()
	err := f.s.TableItem(f.ctx, f.usDel, d.ID, it.Version)
	wantCode(t, err, app.EINVALID)
	if app.ErrorMessage(err) != "agenda.not_in_this_state" {
		t.Fatalf("tabling twice: %v", err)
	}
	wantCode(t, f.s.TableItem(f.ctx, f.cnDel, d.ID, it.Version), app.EFORBIDDEN)
	f.unchanged("tabling twice", snap)

	// The secretariat tables its own procedural items.
	p := f.tabled(f.sec, "Adoption of the agenda")
	if p.Status != StatusProposed || p.SideID != f.secSide.ID {
		t.Fatalf("secretariat item = %+v", p)
	}
	if f.get(f.cnHead, p.ID).Status != StatusProposed {
		t.Fatal("CN cannot see the secretariat's tabled item")
	}
}

// ---- decide ------------------------------------------------------------------------

func wantMessage(t *testing.T, err error, code, msg string) {
	t.Helper()
	wantCode(t, err, code)
	if got := app.ErrorMessage(err); got != msg {
		t.Fatalf("error message %q (err %v), want %q", got, err, msg)
	}
}

func TestDecideOnlyHeadsOwnDelegation(t *testing.T) {
	f := newAgFix(t)
	it := f.tabled(f.usDel, "Points of contact")
	snap := f.snap()
	for _, who := range []*app.User{f.usDel, f.usObs, f.cnDel, f.cnObs, f.sec, f.admin} {
		for _, kind := range []app.DecisionKind{Concur, Object} {
			wantCode(t, f.s.Decide(f.ctx, who, it.ID, 1, kind, "a reason"), app.EFORBIDDEN)
		}
	}
	f.unchanged("decisions by non-heads", snap)

	// A CN head's decision is recorded for CN, whatever item it is.
	before := auditRecords(t, f.s)
	if err := f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Concur, ""); err != nil {
		t.Fatal(err)
	}
	r := checkAppended(t, f.s, before, app.ChainShared, "agenda.concur", it.ID, f.cnHead)
	if ch := changesOf(t, r); ch["side"] != "CN" || ch["revision"] != float64(1) {
		t.Fatalf("agenda.concur changes = %s", r.Changes)
	}
	ds := f.decisions(f.usObs, it.ID)
	if len(ds) != 1 || ds[0].SideID != f.cn.ID || ds[0].UserID != f.cnHead.ID || ds[0].Kind != Concur || ds[0].Revision != 1 || ds[0].WithdrawnAt != nil {
		t.Fatalf("decisions = %+v", ds)
	}
	got := f.get(f.usHead, it.ID)
	if d := got.StandingFor(f.cn.ID); d == nil || d.Kind != Concur {
		t.Fatalf("CN standing = %+v", d)
	}
	if got.StandingFor(f.us.ID) != nil || got.Status != StatusProposed {
		t.Fatalf("US standing without a US decision, or status %s", got.Status)
	}
}

func TestDecideValidationAndStates(t *testing.T) {
	f := newAgFix(t)
	it := f.tabled(f.usDel, "Incident hotline")
	snap := f.snap()
	// An objection needs a reason.
	wantField(t, f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Object, ""), "reason", "field.required")
	wantField(t, f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Object, "   "), "reason", "field.required")
	wantField(t, f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Object, strings.Repeat("理", MaxReasonLen+1)), "reason", "field.too_long")
	wantField(t, f.s.Decide(f.ctx, f.cnHead, it.ID, 1, "abstain", ""), "decision", "agenda.decision_invalid")
	// A revision the head did not read is a conflict.
	wantMessage(t, f.s.Decide(f.ctx, f.cnHead, it.ID, 2, Concur, ""), app.ECONFLICT, "agenda.revision_changed")
	wantMessage(t, f.s.Decide(f.ctx, f.cnHead, it.ID, 0, Concur, ""), app.ECONFLICT, "agenda.revision_changed")
	f.unchanged("invalid decisions", snap)

	// Concur, then the same again: already decided.
	f.decide(f.cnHead, it.ID, Concur, "")
	snap = f.snap()
	wantMessage(t, f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Concur, ""), app.EINVALID, "agenda.already_decided")
	f.unchanged("the same decision twice", snap)

	// Switching concur -> object replaces the standing decision.
	if err := f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Object, "Needs a sentence on sovereignty."); err != nil {
		t.Fatal(err)
	}
	got := f.get(f.usHead, it.ID)
	if d := got.StandingFor(f.cn.ID); d == nil || d.Kind != Object || d.Reason != "Needs a sentence on sovereignty." {
		t.Fatalf("CN standing after switching = %+v", d)
	}
	if len(got.Standing) != 1 || !got.Contested() {
		t.Fatalf("standing = %+v", got.Standing)
	}
	ds := f.decisions(f.usHead, it.ID)
	if len(ds) != 2 || ds[0].Kind != Concur || ds[0].WithdrawnAt == nil || ds[1].Kind != Object || ds[1].WithdrawnAt != nil {
		t.Fatalf("decisions after switching = %+v", ds)
	}
	wantMessage(t, f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Object, "again"), app.EINVALID, "agenda.already_decided")
	// With CN objecting, a US concurrence does not adopt.
	f.decide(f.usHead, it.ID, Concur, "")
	if got := f.get(f.usHead, it.ID); got.Status != StatusProposed || f.countAction(it.ID, "agenda.adopt") != 0 {
		t.Fatalf("adopted over an objection: %s", got.Status)
	}
	// Switching object -> concur adopts.
	f.decide(f.cnHead, it.ID, Concur, "")
	if got := f.get(f.usHead, it.ID); got.Status != StatusAdopted || f.countAction(it.ID, "agenda.adopt") != 1 {
		t.Fatalf("after CN switches to concur: %s", got.Status)
	}

	// Decisions on an adopted, a withdrawn or a draft item are refused.
	w := f.tabled(f.cnDel, "Withdrawn soon")
	if err := f.s.WithdrawItem(f.ctx, f.cnDel, w.ID, w.Version); err != nil {
		t.Fatal(err)
	}
	snap = f.snap()
	adopted := f.itemID(demoMechanism)
	wantMessage(t, f.s.Decide(f.ctx, f.usHead, adopted, 1, Object, "too late"), app.EINVALID, "agenda.not_in_this_state")
	wantMessage(t, f.s.Decide(f.ctx, f.usHead, it.ID, 1, Concur, ""), app.EINVALID, "agenda.not_in_this_state")
	wantMessage(t, f.s.Decide(f.ctx, f.usHead, w.ID, 1, Concur, ""), app.EINVALID, "agenda.not_in_this_state")
	wantMessage(t, f.s.Decide(f.ctx, f.cnHead, w.ID, 1, Object, "no"), app.EINVALID, "agenda.not_in_this_state")
	ownDraft := f.itemID(demoUSDraft)
	wantMessage(t, f.s.Decide(f.ctx, f.usHead, ownDraft, 1, Concur, ""), app.EINVALID, "agenda.not_in_this_state")
	wantCode(t, f.s.Decide(f.ctx, f.cnHead, ownDraft, 1, Concur, ""), app.ENOTFOUND)
	f.unchanged("decisions in the wrong state", snap)
}

func TestWithdrawObjection(t *testing.T) {
	f := newAgFix(t)
	id := f.itemID(demoMeasures)
	it := f.get(f.usHead, id)
	if d := it.StandingFor(f.us.ID); d == nil || d.Kind != Object {
		t.Fatalf("demo: US standing = %+v", d)
	}
	snap := f.snap()
	wantMessage(t, f.s.WithdrawObjection(f.ctx, f.cnHead, id), app.EINVALID, "agenda.no_objection") // CN concurs
	for _, who := range []*app.User{f.usDel, f.usObs, f.cnDel, f.sec, f.admin} {
		wantCode(t, f.s.WithdrawObjection(f.ctx, who, id), app.EFORBIDDEN)
	}
	f.unchanged("refused objection withdrawals", snap)

	before := auditRecords(t, f.s)
	if err := f.s.WithdrawObjection(f.ctx, f.usHead, id); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, f.s, before, app.ChainShared, "agenda.objection_withdraw", id, f.usHead)
	it = f.get(f.cnHead, id)
	if it.StandingFor(f.us.ID) != nil || it.Contested() || it.StandingFor(f.cn.ID) == nil || it.Status != StatusProposed {
		t.Fatalf("after withdrawing the objection: %+v", it.Standing)
	}
	wantMessage(t, f.s.WithdrawObjection(f.ctx, f.usHead, id), app.EINVALID, "agenda.no_objection")
	// The objection remains on record, withdrawn.
	var obj *app.Decision
	for _, d := range f.decisions(f.cnObs, id) {
		if d.Kind == Object {
			d := d
			obj = &d
		}
	}
	if obj == nil || obj.WithdrawnAt == nil || obj.SideID != f.us.ID {
		t.Fatalf("objection record = %+v", obj)
	}
	// Now a US concurrence adopts, CN's standing concurrence counting.
	f.decide(f.usHead, id, Concur, "")
	if f.get(f.cnHead, id).Status != StatusAdopted {
		t.Fatal("not adopted after the objection was lifted and the US concurred")
	}
}

// ---- withdraw -----------------------------------------------------------------------

func TestWithdrawItem(t *testing.T) {
	f := newAgFix(t)
	id := f.itemID(demoMeasures) // US, proposed
	it := f.get(f.usDel, id)
	snap := f.snap()
	for _, who := range []*app.User{f.cnHead, f.cnDel, f.cnObs, f.sec, f.usObs} {
		wantCode(t, f.s.WithdrawItem(f.ctx, who, id, it.Version), app.EFORBIDDEN)
	}
	wantCode(t, f.s.WithdrawItem(f.ctx, f.usDel, id, it.Version-1), app.ECONFLICT)
	// The other side's draft does not exist for them.
	usDraft := f.get(f.usDel, f.itemID(demoUSDraft))
	for _, who := range []*app.User{f.cnHead, f.cnDel, f.sec} {
		wantCode(t, f.s.WithdrawItem(f.ctx, who, usDraft.ID, usDraft.Version), app.ENOTFOUND)
	}
	f.unchanged("refused withdrawals", snap)

	before := auditRecords(t, f.s)
	if err := f.s.WithdrawItem(f.ctx, f.usDel, id, it.Version); err != nil {
		t.Fatal(err)
	}
	r := checkAppended(t, f.s, before, app.ChainShared, "agenda.withdraw", id, f.usDel)
	if ch := changesOf(t, r); fmt.Sprint(ch["status"]) != "[proposed withdrawn]" {
		t.Fatalf("agenda.withdraw changes = %s", r.Changes)
	}
	w := f.get(f.cnHead, id)
	if w.Status != StatusWithdrawn {
		t.Fatalf("status %s", w.Status)
	}
	// Nothing more happens to a withdrawn item.
	snap = f.snap()
	wantMessage(t, f.s.WithdrawItem(f.ctx, f.usDel, id, w.Version), app.EINVALID, "agenda.not_in_this_state")
	wantMessage(t, f.s.TableItem(f.ctx, f.usDel, id, w.Version), app.EINVALID, "agenda.not_in_this_state")
	_, err := f.s.UpdateItem(f.ctx, f.usDel, id, w.Version, f.input("Revived"))
	wantMessage(t, err, app.EINVALID, "agenda.not_in_this_state")
	_, err = f.s.ProposeAmendment(f.ctx, f.cnDel, id, AmendmentInput{Title: "X", Rationale: "Y"})
	wantMessage(t, err, app.EINVALID, "agenda.not_in_this_state")
	wantMessage(t, f.s.SetTranslation(f.ctx, f.sec, id, w.Version, "译文", ""), app.EINVALID, "agenda.not_in_this_state")
	f.unchanged("writes to a withdrawn item", snap)

	// An adopted item may be withdrawn by its side.
	adopted := f.get(f.cnDel, f.itemID(demoMechanism))
	wantCode(t, f.s.WithdrawItem(f.ctx, f.usHead, adopted.ID, adopted.Version), app.EFORBIDDEN)
	if err := f.s.WithdrawItem(f.ctx, f.cnHead, adopted.ID, adopted.Version); err != nil {
		t.Fatal(err)
	}
	// And a draft: its withdrawal stays on the side's chain.
	before = auditRecords(t, f.s)
	if err := f.s.WithdrawItem(f.ctx, f.usDel, usDraft.ID, usDraft.Version); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, f.s, before, app.SideChain(f.us.ID), "agenda.withdraw", usDraft.ID, f.usDel)
	if got := f.get(f.usHead, usDraft.ID); got.Status != StatusWithdrawn {
		t.Fatalf("withdrawn draft status %s", got.Status)
	}
}

// A draft that is withdrawn was never shared: it must stay internal to its side.
func TestWithdrawnDraftStaysInternal(t *testing.T) {
	f := newAgFix(t)
	d := f.get(f.usDel, f.itemID(demoUSDraft))
	if err := f.s.WithdrawItem(f.ctx, f.usDel, d.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GetItem(f.ctx, f.usObs, d.ID); err != nil {
		t.Fatalf("the US no longer sees its own withdrawn draft: %v", err)
	}
	for _, who := range []*app.User{f.cnHead, f.cnObs, f.sec} {
		if it, err := f.s.GetItem(f.ctx, who, d.ID); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("%s reads the US's withdrawn, never tabled draft %q (err %v), want not found", who.Email, titleOf(it), err)
		}
		l, err := f.s.ListItems(f.ctx, who, ItemFilter{Text: "intellectual property"})
		if err != nil {
			t.Fatal(err)
		}
		if hasItem(l.Items, d.ID) || l.Total != 0 || l.Counts[StatusWithdrawn] != 0 {
			t.Errorf("%s lists the US's withdrawn draft: total %d, counts %v", who.Email, l.Total, l.Counts)
		}
		if _, err := f.s.core.AddComment(f.ctx, who, app.Ref{Kind: KindItem, ID: d.ID}, app.Shared, "We saw your draft."); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("%s comments on the US's withdrawn draft: %v, want not found", who.Email, err)
		}
	}
}

func titleOf(it *Item) string {
	if it == nil {
		return ""
	}
	return it.Title
}

// ---- amendments -----------------------------------------------------------------------

func TestProposeAmendment(t *testing.T) {
	f := newAgFix(t)
	it := f.tabled(f.usDel, "Exchange of incident data")
	valid := AmendmentInput{Title: "Exchange of incident data", Description: "Through the CERTs only.", Rationale: "Clarity about channels."}
	snap := f.snap()
	for _, who := range []*app.User{f.usObs, f.cnObs, f.sec, f.admin} {
		_, err := f.s.ProposeAmendment(f.ctx, who, it.ID, valid)
		wantCode(t, err, app.EFORBIDDEN)
	}
	cases := []struct {
		name       string
		in         AmendmentInput
		field, key string
	}{
		{"no rationale", AmendmentInput{Title: "T2", Rationale: " "}, "rationale", "field.required"},
		{"long rationale", AmendmentInput{Title: "T2", Rationale: strings.Repeat("r", MaxReasonLen+1)}, "rationale", "field.too_long"},
		{"no title", AmendmentInput{Title: "", Description: "x", Rationale: "r"}, "title", "field.required"},
		{"long title", AmendmentInput{Title: strings.Repeat("t", MaxTitleLen+1), Rationale: "r"}, "title", "field.too_long"},
		{"long description", AmendmentInput{Title: "T2", Description: strings.Repeat("d", MaxDescriptionLen+1), Rationale: "r"}, "description", "field.too_long"},
		{"unchanged", AmendmentInput{Title: it.Title, Description: it.Description, Rationale: "r"}, "description", "amendment.unchanged"},
		{"unchanged but padded", AmendmentInput{Title: " " + it.Title + " ", Description: it.Description + "\n", Rationale: "r"}, "description", "amendment.unchanged"},
	}
	for _, c := range cases {
		_, err := f.s.ProposeAmendment(f.ctx, f.cnDel, it.ID, c.in)
		wantField(t, err, c.field, c.key)
	}
	// Not on drafts: one's own is in the wrong state, the other side's is unknown.
	ownDraft, otherDraft := f.itemID(demoCNDraft), f.itemID(demoUSDraft)
	_, err := f.s.ProposeAmendment(f.ctx, f.cnDel, ownDraft, valid)
	wantMessage(t, err, app.EINVALID, "agenda.not_in_this_state")
	_, err = f.s.ProposeAmendment(f.ctx, f.cnDel, otherDraft, valid)
	wantCode(t, err, app.ENOTFOUND)
	f.unchanged("refused amendments", snap)

	// Delegates and heads of either delegation may propose.
	for _, who := range []*app.User{f.cnDel, f.cnHead, f.usDel, f.usHead} {
		in := valid
		in.Rationale = "From " + who.Email
		before := auditRecords(t, f.s)
		a, err := f.s.ProposeAmendment(f.ctx, who, it.ID, in)
		if err != nil {
			t.Fatalf("%s: %v", who.Email, err)
		}
		if a.Status != AmendmentOpen || a.SideID != who.SideID || a.AuthorID != who.ID || a.BaseRevision != 1 || a.ItemID != it.ID {
			t.Fatalf("amendment = %+v", a)
		}
		checkAppended(t, f.s, before, app.ChainShared, "amendment.propose", it.ID, who)
	}
	as, err := f.amendments(f.sec, it.PublicID)
	if err != nil || len(as) != 4 {
		t.Fatalf("amendments seen by the secretariat: %d %v", len(as), err)
	}
	// On an adopted item too.
	adopted := f.itemID(demoMechanism)
	if _, err := f.s.ProposeAmendment(f.ctx, f.usDel, adopted, AmendmentInput{Title: "Mechanism of the working group", Rationale: "English original"}); err != nil {
		t.Fatalf("amendment of an adopted item: %v", err)
	}
}

func TestSettleAmendment(t *testing.T) {
	f := newAgFix(t)
	id := f.itemID(demoMeasures) // US item, CN concurs, US objects, open US amendment
	as, err := f.amendments(f.cnDel, f.get(f.cnDel, id).PublicID)
	if err != nil || len(as) != 1 {
		t.Fatalf("demo amendments: %d %v", len(as), err)
	}
	a := as[0]
	// A CN delegate proposes a second one.
	cnA, err := f.s.ProposeAmendment(f.ctx, f.cnDel, id, AmendmentInput{Title: a.Title, Description: "Practical steps only.", Rationale: "Keep it practical."})
	if err != nil {
		t.Fatal(err)
	}

	snap := f.snap()
	// Neither the other side's head, nor the proposing side's other members, nor the secretariat.
	for _, who := range []*app.User{f.cnHead, f.cnDel, f.cnObs, f.usObs, f.sec, f.admin} {
		wantCode(t, f.s.SettleAmendment(f.ctx, who, id, a.ID, a.Version, true, ""), app.EFORBIDDEN)
	}
	for _, who := range []*app.User{f.cnHead, f.usDel, f.usObs, f.sec} {
		wantCode(t, f.s.SettleAmendment(f.ctx, who, id, cnA.ID, cnA.Version, false, "no"), app.EFORBIDDEN)
	}
	// Declining needs a reason.
	wantField(t, f.s.SettleAmendment(f.ctx, f.usHead, id, a.ID, a.Version, false, " "), "reason", "field.required")
	// An amendment of another item is not found under this one.
	wantCode(t, f.s.SettleAmendment(f.ctx, f.usHead, f.itemID(demoRules), a.ID, a.Version, true, ""), app.ENOTFOUND)
	wantCode(t, f.s.SettleAmendment(f.ctx, f.usHead, id, a.ID, a.Version+1, true, ""), app.ECONFLICT)
	f.unchanged("refused settlements", snap)

	// The CN author may not settle their amendment of a US item; they may withdraw it.
	wantCode(t, f.s.SettleAmendment(f.ctx, f.cnDel, id, cnA.ID, cnA.Version, false, "Superseded."), app.EFORBIDDEN)
	wantCode(t, f.s.WithdrawAmendment(f.ctx, f.usHead, id, cnA.ID, cnA.Version), app.EFORBIDDEN)
	f.unchanged("refused settlements", snap)
	before := auditRecords(t, f.s)
	if err := f.s.WithdrawAmendment(f.ctx, f.cnDel, id, cnA.ID, cnA.Version); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, f.s, before, app.ChainShared, "amendment.withdraw", id, f.cnDel)
	_, got, err := f.s.GetAmendment(f.ctx, f.usHead, id, cnA.ID)
	if err != nil || got.Status != AmendmentWithdrawn || got.DecidedBy == nil || *got.DecidedBy != f.cnDel.ID {
		t.Fatalf("withdrawn amendment = %+v %v", got, err)
	}
	if it := f.get(f.usHead, id); it.Revision != 1 || len(it.Standing) != 2 {
		t.Fatal("declining changed the item")
	}

	// The US head accepts the US amendment: its text becomes revision 2 and voids every decision.
	before = auditRecords(t, f.s)
	if err := f.s.SettleAmendment(f.ctx, f.usHead, id, a.ID, a.Version, true, ""); err != nil {
		t.Fatal(err)
	}
	r := checkAppended(t, f.s, before, app.ChainShared, "amendment.accept", id, f.usHead)
	if ch := changesOf(t, r); fmt.Sprint(ch["revision"]) != "[1 2]" || ch["description"] == nil {
		t.Fatalf("amendment.accept changes = %s", r.Changes)
	}
	it := f.get(f.cnHead, id)
	if it.Revision != 2 || it.Description != a.Description || it.Status != StatusProposed || len(it.Standing) != 0 || it.Contested() {
		t.Fatalf("after acceptance: rev %d %s, standing %+v", it.Revision, it.Status, it.Standing)
	}
	rs := f.revisions(f.cnHead, id)
	if len(rs) != 2 || rs[1].Number != 2 || rs[1].SourceID == nil || *rs[1].SourceID != a.ID || rs[1].AuthorID != a.AuthorID || rs[1].Body != a.Description {
		t.Fatalf("revisions = %+v", rs)
	}
	if ds := f.decisions(f.cnHead, id); len(ds) != 2 || ds[0].Revision != 1 || ds[1].Revision != 1 {
		t.Fatalf("old decisions not kept: %+v", ds)
	}
	_, got, _ = f.s.GetAmendment(f.ctx, f.cnHead, id, a.ID)
	if got.Status != AmendmentAccepted || got.DecidedBy == nil || *got.DecidedBy != f.usHead.ID {
		t.Fatalf("accepted amendment = %+v", got)
	}
	// Settled once only.
	snap = f.snap()
	wantMessage(t, f.s.SettleAmendment(f.ctx, f.usHead, id, a.ID, got.Version, false, "changed my mind"), app.EINVALID, "agenda.not_in_this_state")
	wantMessage(t, f.s.SettleAmendment(f.ctx, f.usHead, id, cnA.ID, cnA.Version+1, false, "no"), app.EINVALID, "agenda.not_in_this_state")
	wantMessage(t, f.s.WithdrawAmendment(f.ctx, f.cnDel, id, cnA.ID, cnA.Version+1), app.EINVALID, "agenda.not_in_this_state")
	f.unchanged("settling twice", snap)
}

func TestAcceptAmendmentOnAdoptedItem(t *testing.T) {
	f := newAgFix(t)
	id := f.itemID(demoMechanism) // CN, adopted
	a, err := f.s.ProposeAmendment(f.ctx, f.usDel, id, AmendmentInput{Title: "双边网络工作组机制（修订）", Description: "改进工作组的运作。", Rationale: "Shorter."})
	if err != nil {
		t.Fatal(err)
	}
	// The US head is not the proposing side's head; the CN head is.
	wantCode(t, f.s.SettleAmendment(f.ctx, f.usHead, id, a.ID, a.Version, true, ""), app.EFORBIDDEN)
	if err := f.s.SettleAmendment(f.ctx, f.cnHead, id, a.ID, a.Version, true, ""); err != nil {
		t.Fatal(err)
	}
	it := f.get(f.usHead, id)
	if it.Status != StatusProposed || it.Revision != 2 || it.Title != "双边网络工作组机制（修订）" || len(it.Standing) != 0 {
		t.Fatalf("adopted item after an accepted amendment: %s rev %d %q standing %d", it.Status, it.Revision, it.Title, len(it.Standing))
	}
	if r := lastRecord(t, f.s); r.Action != "amendment.accept" || fmt.Sprint(changesOf(t, r)["status"]) != "[adopted proposed]" {
		t.Fatalf("last record %s %s", r.Action, r.Changes)
	}
}

// ---- translation ------------------------------------------------------------------------

func TestSetTranslation(t *testing.T) {
	f := newAgFix(t)
	id := f.itemID(demoRules) // CN, English original
	it := f.get(f.sec, id)
	snap := f.snap()
	for _, who := range []*app.User{f.usObs, f.cnObs} {
		wantCode(t, f.s.SetTranslation(f.ctx, who, id, trVersion(it), "网络空间国际规则", ""), app.EFORBIDDEN)
	}
	wantField(t, f.s.SetTranslation(f.ctx, f.sec, id, trVersion(it), " ", "描述"), "tr_title", "field.required")
	wantField(t, f.s.SetTranslation(f.ctx, f.sec, id, trVersion(it), strings.Repeat("译", MaxTitleLen+1), ""), "tr_title", "field.too_long")
	wantCode(t, f.s.SetTranslation(f.ctx, f.sec, id, trVersion(it)+1, "网络空间国际规则", ""), app.ECONFLICT)
	f.unchanged("refused translations", snap)

	// Anyone but observers, from either side or the secretariat.
	for i, who := range []*app.User{f.sec, f.usDel, f.cnHead} {
		it = f.get(who, id)
		title := fmt.Sprintf("网络空间国际规则 %d", i)
		before := auditRecords(t, f.s)
		if err := f.s.SetTranslation(f.ctx, who, id, trVersion(it), title, "交换意见"); err != nil {
			t.Fatalf("%s: %v", who.Email, err)
		}
		checkAppended(t, f.s, before, app.ChainShared, "agenda.translate", id, who)
		got := f.get(f.usObs, id)
		tr := got.Translation
		if !got.HasTranslation() || tr.Title != title || tr.Body != "交换意见" || tr.AuthorID != who.ID ||
			tr.Revision != 1 || tr.Language != "zh" || got.TranslationLanguage() != "zh" {
			t.Fatalf("translation by %s = %+v", who.Email, tr)
		}
		if got.Revision != 1 || got.Title != demoRules || got.StandingFor(f.cn.ID) == nil {
			t.Fatal("a translation changed the original or voided a decision")
		}
	}
	// A draft: only inside its side, and audited on the side's chain.
	d := f.get(f.cnDel, f.itemID(demoCNDraft))
	for _, who := range []*app.User{f.usDel, f.sec} {
		wantCode(t, f.s.SetTranslation(f.ctx, who, d.ID, trVersion(d), "Attacks", ""), app.ENOTFOUND)
	}
	before := auditRecords(t, f.s)
	if err := f.s.SetTranslation(f.ctx, f.cnDel, d.ID, trVersion(d), "Attacks from US IP addresses", "…"); err != nil {
		t.Fatal(err)
	}
	checkAppended(t, f.s, before, app.SideChain(f.cn.ID), "agenda.translate", d.ID, f.cnDel)
}

// trVersion is the version of an item's translation, 0 when it has none.
func trVersion(it *Item) int64 {
	if it.Translation == nil {
		return 0
	}
	return it.Translation.Version
}

// ---- visibility ------------------------------------------------------------------------

func TestDraftInvisibleToOtherSides(t *testing.T) {
	f := newAgFix(t)
	usDraft := f.get(f.usDel, f.itemID(demoUSDraft))
	cnDraft := f.get(f.cnDel, f.itemID(demoCNDraft))
	// A secretariat draft too.
	secDraft := f.draft(f.sec, "Secretariat's internal planning")
	noteOn := func(owner *app.User, id int64) app.Comment {
		cs, err := f.s.core.Comments(f.ctx, owner, app.Ref{Kind: KindItem, ID: id})
		if err != nil || len(cs) == 0 {
			t.Fatalf("notes on %d: %d %v", id, len(cs), err)
		}
		return cs[0]
	}
	if _, err := f.s.core.AddComment(f.ctx, f.sec, app.Ref{Kind: KindItem, ID: secDraft.ID}, app.Internal, "Internal planning note."); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		it        *Item
		owner     *app.User
		outsiders []*app.User
	}{
		{usDraft, f.usDel, []*app.User{f.cnHead, f.cnDel, f.cnObs, f.sec, f.admin}},
		{cnDraft, f.cnDel, []*app.User{f.usHead, f.usDel, f.usObs, f.sec, f.admin}},
		{secDraft, f.sec, []*app.User{f.usHead, f.usDel, f.cnHead, f.cnDel}},
	}
	for _, c := range cases {
		id, v := c.it.ID, c.it.Version
		note := noteOn(c.owner, id)
		snap := f.snap()
		for _, u := range c.outsiders {
			ops := map[string]func() error{
				"GetItem":       func() error { _, err := f.s.GetItem(f.ctx, u, id); return err },
				"ItemHistory":   func() error { _, err := f.s.ItemHistory(f.ctx, u, c.it.PublicID, 0); return err },
				"ItemRevisions": func() error { _, err := f.s.ItemRevisions(f.ctx, u, c.it.PublicID, 1, 0, 0); return err },
				"ItemAmendments": func() error {
					_, _, err := f.s.ItemAmendments(f.ctx, u, c.it.PublicID, 1)
					return err
				},
				"ItemView":  func() error { _, err := f.s.ItemView(f.ctx, u, c.it.PublicID, app.ThreadCursor{}); return err },
				"Revisions": func() error { _, err := f.s.core.Revisions(f.ctx, u, app.Ref{Kind: KindItem, ID: id}); return err },
				"Decisions": func() error { _, err := f.s.core.Decisions(f.ctx, u, app.Ref{Kind: KindItem, ID: id}); return err },
				"GetAmendment": func() error {
					_, _, err := f.s.GetAmendment(f.ctx, u, id, 1)
					return err
				},
				"Comments": func() error { _, err := f.s.core.Comments(f.ctx, u, app.Ref{Kind: KindItem, ID: id}); return err },
				"AddComment shared": func() error {
					_, err := f.s.core.AddComment(f.ctx, u, app.Ref{Kind: KindItem, ID: id}, app.Shared, "hello")
					return err
				},
				"AddComment internal": func() error {
					_, err := f.s.core.AddComment(f.ctx, u, app.Ref{Kind: KindItem, ID: id}, app.Internal, "hello")
					return err
				},
				"EditComment": func() error {
					return f.s.core.EditComment(f.ctx, u, app.Ref{Kind: KindItem, ID: id}, note.ID, note.Version, "changed")
				},
				"ProposeAmendment": func() error {
					_, err := f.s.ProposeAmendment(f.ctx, u, id, AmendmentInput{Title: "Other", Rationale: "r"})
					return err
				},
				"SettleAmendment": func() error { return f.s.SettleAmendment(f.ctx, u, id, 1, 1, true, "") },
				"UpdateItem": func() error {
					_, err := f.s.UpdateItem(f.ctx, u, id, v, f.input("Other"))
					return err
				},
				"TableItem":         func() error { return f.s.TableItem(f.ctx, u, id, v) },
				"WithdrawItem":      func() error { return f.s.WithdrawItem(f.ctx, u, id, v) },
				"Decide concur":     func() error { return f.s.Decide(f.ctx, u, id, 1, Concur, "") },
				"Decide object":     func() error { return f.s.Decide(f.ctx, u, id, 1, Object, "r") },
				"WithdrawObjection": func() error { return f.s.WithdrawObjection(f.ctx, u, id) },
				"SetTranslation":    func() error { return f.s.SetTranslation(f.ctx, u, id, v, "T", "D") },
			}
			for name, op := range ops {
				if err := op(); app.ErrorCode(err) != app.ENOTFOUND {
					t.Errorf("%s on %s's draft %d by %s: %v, want not found", name, c.owner.Side.Code, id, u.Email, err)
				}
			}
			// History itself shows nothing of it: every record is on the owner's chain.
			if _, recs, err := f.s.core.History(f.ctx, u, app.Ref{Kind: KindItem, ID: id}); app.ErrorCode(err) != app.ENOTFOUND || len(recs) != 0 {
				t.Errorf("History of %s's draft for %s: %v %v", c.owner.Side.Code, u.Email, actionsOf(recs), err)
			}
			a, err := f.s.Attention(f.ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if hasItem(a.Drafts, id) || hasItem(a.Awaiting, id) || hasItem(a.Contested, id) {
				t.Errorf("Attention of %s shows %s's draft", u.Email, c.owner.Side.Code)
			}
		}
		f.unchanged("outsiders acting on a draft", snap)
		// The owner's side does see it.
		if _, err := f.history(c.owner, id); err != nil {
			t.Fatal(err)
		}
	}
}

func TestListItemsNeverShowsOtherSidesDrafts(t *testing.T) {
	f := newAgFix(t)
	usDraft, cnDraft := f.itemID(demoUSDraft), f.itemID(demoCNDraft)
	zebra := f.draft(f.usDel, "Zebra crossing norms") // a distinctive word only a US draft holds
	hidden := []int64{usDraft, zebra.ID}
	list := func(u *app.User, filter ItemFilter) ItemList {
		t.Helper()
		l, err := f.s.ListItems(f.ctx, u, filter)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range hidden {
			if u.SideID != f.us.ID && hasItem(l.Items, id) {
				t.Fatalf("%s lists the US draft %d with filter %+v", u.Email, id, filter)
			}
		}
		var sum int64
		for _, n := range l.Counts {
			sum += n
		}
		if filter.Status == "" && sum != l.Total {
			t.Fatalf("%s filter %+v: counts %v add up to %d, total %d", u.Email, filter, l.Counts, sum, l.Total)
		}
		return l
	}
	visible := func(u *app.User) int64 {
		return countRows(t, f.s, "SELECT COUNT(*) FROM agenda_items WHERE status <> 'draft' OR side_id = ?", u.SideID)
	}
	for _, u := range []*app.User{f.cnHead, f.cnDel, f.cnObs} {
		l := list(u, ItemFilter{})
		if l.Total != visible(u) || l.Counts[StatusDraft] != 1 || !hasItem(l.Items, cnDraft) || int64(len(l.Items)) != l.Total {
			t.Fatalf("%s: total %d (want %d), counts %v", u.Email, l.Total, visible(u), l.Counts)
		}
		for _, filter := range []ItemFilter{
			{Text: "intellectual property"}, {Text: "ZEBRA"}, {Text: "internal discussion"},
			{Status: StatusDraft, SideID: f.us.ID}, {Status: StatusDraft, Text: "zebra"},
		} {
			l := list(u, filter)
			if l.Total != 0 || len(l.Items) != 0 || l.Counts[StatusDraft] != 0 {
				t.Fatalf("%s filter %+v: total %d, counts %v, want nothing", u.Email, filter, l.Total, l.Counts)
			}
		}
		l = list(u, ItemFilter{SideID: f.us.ID})
		if l.Total != 1 || l.Counts[StatusDraft] != 0 || l.Counts[StatusProposed] != 1 {
			t.Fatalf("%s US items: total %d counts %v", u.Email, l.Total, l.Counts)
		}
		l = list(u, ItemFilter{CategoryID: f.cats[3].ID}) // both demo drafts are in this category
		if l.Total != 1 || len(l.Items) != 1 || l.Items[0].ID != cnDraft || l.Counts[StatusDraft] != 1 {
			t.Fatalf("%s category filter: total %d counts %v", u.Email, l.Total, l.Counts)
		}
		l = list(u, ItemFilter{Status: StatusDraft})
		if l.Total != 1 || len(l.Items) != 1 || l.Items[0].ID != cnDraft {
			t.Fatalf("%s drafts: total %d", u.Email, l.Total)
		}
		// Every sort and every page of one.
		for _, sort := range []string{"", "title", "created", "duration"} {
			first := list(u, ItemFilter{Sort: sort, Page: app.Page{Number: 1, Size: 1}})
			for p := 2; p <= first.Pages()+1; p++ {
				list(u, ItemFilter{Sort: sort, Page: app.Page{Number: p, Size: 1}})
			}
		}
	}
	// The secretariat sees no draft at all.
	for _, u := range []*app.User{f.sec, f.admin} {
		hidden = []int64{usDraft, zebra.ID, cnDraft}
		l := list(u, ItemFilter{})
		if l.Counts[StatusDraft] != 0 || l.Total != visible(u) || hasItem(l.Items, cnDraft) {
			t.Fatalf("%s: total %d counts %v", u.Email, l.Total, l.Counts)
		}
		if l := list(u, ItemFilter{Status: StatusDraft}); l.Total != 0 || len(l.Items) != 0 {
			t.Fatalf("%s lists %d drafts", u.Email, l.Total)
		}
	}
	// The filters do match the drafts for their own side (so the checks above mean something).
	hidden = nil
	if l := list(f.usObs, ItemFilter{Text: "intellectual property"}); l.Total != 1 || l.Items[0].ID != usDraft {
		t.Fatalf("US text filter: %d", l.Total)
	}
	if l := list(f.usDel, ItemFilter{Text: "ZEBRA"}); l.Total != 1 || l.Counts[StatusDraft] != 1 {
		t.Fatalf("US zebra filter: %d", l.Total)
	}
	if l := list(f.usHead, ItemFilter{Status: StatusDraft, SideID: f.us.ID}); l.Total != 2 {
		t.Fatalf("US drafts: %d", l.Total)
	}
}

func TestHistoryOfTabledItemHidesDraftPhase(t *testing.T) {
	f := newAgFix(t)
	d := f.draft(f.usDel, "Early wording")
	in := f.input("Better wording")
	d, err := f.s.UpdateItem(f.ctx, f.usDel, d.ID, d.Version, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.core.AddComment(f.ctx, f.usHead, app.Ref{Kind: KindItem, ID: d.ID}, app.Internal, "Table it after the dialogue."); err != nil {
		t.Fatal(err)
	}
	f.table(f.usDel, d.ID)
	f.decide(f.cnHead, d.ID, Concur, "")
	if _, err := f.s.core.AddComment(f.ctx, f.cnDel, app.Ref{Kind: KindItem, ID: d.ID}, app.Internal, "我方已同意。"); err != nil {
		t.Fatal(err)
	}

	for _, u := range []*app.User{f.cnHead, f.cnObs} {
		recs, err := f.history(u, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(actionsOf(recs), ","); got != "agenda.table,agenda.concur,comment.add" {
			t.Fatalf("CN history = %s", got)
		}
		for _, r := range recs {
			if r.Chain == app.SideChain(f.us.ID) || strings.Contains(r.Changes, "Early wording") || strings.Contains(r.Changes, "after the dialogue") {
				t.Fatalf("CN sees a US internal record: %s %s %s", r.Chain, r.Action, r.Changes)
			}
		}
	}
	recs, err := f.history(f.sec, d.ID)
	if err != nil || strings.Join(actionsOf(recs), ",") != "agenda.table,agenda.concur" {
		t.Fatalf("secretariat history = %v %v", actionsOf(recs), err)
	}
	recs, err = f.history(f.usObs, d.ID)
	if err != nil || strings.Join(actionsOf(recs), ",") != "agenda.create,agenda.update,comment.add,agenda.table,agenda.concur" {
		t.Fatalf("US history = %v %v", actionsOf(recs), err)
	}
}

// ---- adoption --------------------------------------------------------------------------------

func TestAdoptionNeedsEveryDelegation(t *testing.T) {
	f := newAgFix(t)
	eu, err := f.s.core.CreateDelegation(f.ctx, app.System, app.SideInput{Code: "EU", NameEN: "EU delegation", NameZH: "欧盟代表团", TimeZone: "Europe/Brussels", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.core.CreateUser(f.ctx, app.System, app.UserInput{Email: "eu.head@parley.example", Name: "Hanna Berg", SideID: eu.ID, Role: app.RoleHead, Password: "fjord-lantern-2024"}); err != nil {
		t.Fatal(err)
	}
	euHead := user(t, f.s, "eu.head@parley.example")
	it := f.tabled(f.usDel, "Three-way item")
	f.decide(f.cnHead, it.ID, Concur, "")
	f.decide(f.usHead, it.ID, Concur, "")
	if got := f.get(euHead, it.ID); got.Status != StatusProposed || len(got.Standing) != 2 || got.StandingFor(eu.ID) != nil {
		t.Fatalf("two of three concurrences: %s, %d standing", got.Status, len(got.Standing))
	}
	if n := f.countAction(it.ID, "agenda.adopt"); n != 0 {
		t.Fatalf("%d agenda.adopt records with two of three", n)
	}
	// The EU head's view of what awaits them.
	a, err := f.s.Attention(f.ctx, euHead)
	if err != nil || !hasItem(a.Awaiting, it.ID) {
		t.Fatalf("EU head's attention lacks the item: %v", err)
	}
	before := auditRecords(t, f.s)
	if err := f.s.Decide(f.ctx, euHead, it.ID, 1, Concur, ""); err != nil {
		t.Fatal(err)
	}
	after := auditRecords(t, f.s)[len(before):]
	if got := strings.Join(actionsOf(after), ","); got != "agenda.concur,agenda.adopt" {
		t.Fatalf("records of the third concurrence: %s", got)
	}
	got := f.get(f.cnHead, it.ID)
	if got.Status != StatusAdopted || len(got.Standing) != 3 || got.StandingFor(eu.ID) == nil {
		t.Fatalf("three concurrences: %s, %d standing", got.Status, len(got.Standing))
	}
	// The secretariat's side is no delegation: it never counts, and its members never decide.
	wantCode(t, f.s.Decide(f.ctx, f.sec, it.ID, 1, Concur, ""), app.EFORBIDDEN)
	if _, problems, err := f.s.core.DB().VerifyAudit(f.ctx); err != nil || len(problems) != 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}
}

func TestEditVoidsEarlierDecisions(t *testing.T) {
	f := newAgFix(t)
	it := f.tabled(f.usDel, "Original wording")
	f.decide(f.cnHead, it.ID, Concur, "")
	it = f.get(f.usDel, it.ID)
	if it.StandingFor(f.cn.ID) == nil {
		t.Fatal("CN concurrence not standing")
	}
	in := f.input("Changed wording")
	it, err := f.s.UpdateItem(f.ctx, f.usDel, it.ID, it.Version, in)
	if err != nil {
		t.Fatal(err)
	}
	if it.Revision != 2 || it.StandingFor(f.cn.ID) != nil || len(it.Standing) != 0 {
		t.Fatalf("after the edit: rev %d, standing %+v", it.Revision, it.Standing)
	}
	ds := f.decisions(f.cnObs, it.ID)
	if len(ds) != 1 || ds[0].SideID != f.cn.ID || ds[0].Revision != 1 || ds[0].Kind != Concur {
		t.Fatalf("decisions = %+v", ds)
	}
	// The US concurrence on revision 2 does not combine with CN's on revision 1.
	f.decide(f.usHead, it.ID, Concur, "")
	if got := f.get(f.cnHead, it.ID); got.Status != StatusProposed || f.countAction(it.ID, "agenda.adopt") != 0 {
		t.Fatalf("adopted with CN's concurrence on an older revision: %s", got.Status)
	}
	// A head who read revision 1 cannot decide on it any more.
	wantMessage(t, f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Concur, ""), app.ECONFLICT, "agenda.revision_changed")
	wantMessage(t, f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Object, "old text"), app.ECONFLICT, "agenda.revision_changed")
	// CN has not decided on revision 2 yet, so a concurrence there is no repeat.
	f.decide(f.cnHead, it.ID, Concur, "")
	if got := f.get(f.cnHead, it.ID); got.Status != StatusAdopted || got.Revision != 2 {
		t.Fatalf("both on revision 2: %s rev %d", got.Status, got.Revision)
	}
	if ds := f.decisions(f.cnObs, it.ID); len(ds) != 3 {
		t.Fatalf("%d decisions on record, want 3", len(ds))
	}
}

// ---- concurrency -------------------------------------------------------------------------------

func TestConcurrentConcurrencesAdoptExactlyOnce(t *testing.T) {
	f := newAgFix(t)
	for i := 0; i < 20; i++ {
		it := f.tabled(f.usDel, fmt.Sprintf("Race %d", i))
		errs := together(
			func() error { return f.s.Decide(f.ctx, f.usHead, it.ID, 1, Concur, "") },
			func() error { return f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Concur, "") },
		)
		for j, err := range errs {
			if err != nil {
				t.Fatalf("round %d: concurrence %d failed: %v", i, j, err)
			}
		}
		got := f.get(f.cnHead, it.ID)
		if got.Status != StatusAdopted || len(got.Standing) != 2 || got.StandingFor(f.us.ID) == nil || got.StandingFor(f.cn.ID) == nil {
			t.Fatalf("round %d: %s with %d standing", i, got.Status, len(got.Standing))
		}
		if n := f.countAction(it.ID, "agenda.adopt"); n != 1 {
			t.Fatalf("round %d: %d agenda.adopt records, want exactly 1", i, n)
		}
		if n := f.countAction(it.ID, "agenda.concur"); n != 2 {
			t.Fatalf("round %d: %d agenda.concur records, want 2", i, n)
		}
		if ds := f.decisions(f.usHead, it.ID); len(ds) != 2 {
			t.Fatalf("round %d: %d decisions recorded", i, len(ds))
		}
	}
	if _, problems, err := f.s.core.DB().VerifyAudit(f.ctx); err != nil || len(problems) != 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}
}

func TestConcurrentEditsOneWins(t *testing.T) {
	f := newAgFix(t)
	for i := 0; i < 10; i++ {
		tabled := i%2 == 1
		it := f.draft(f.usDel, fmt.Sprintf("Edit race %d", i))
		if tabled {
			it = f.table(f.usDel, it.ID)
		}
		titles := []string{fmt.Sprintf("Delegate's wording %d", i), fmt.Sprintf("Head's wording %d", i)}
		editors := []*app.User{f.usDel, f.usHead}
		var fns []func() error
		for k := range editors {
			fns = append(fns, func() error {
				_, err := f.s.UpdateItem(f.ctx, editors[k], it.ID, it.Version, f.input(titles[k]))
				return err
			})
		}
		errs := together(fns...)
		winner := -1
		for k, err := range errs {
			switch app.ErrorCode(err) {
			case "":
				if winner >= 0 {
					t.Fatalf("round %d: both edits with version %d succeeded", i, it.Version)
				}
				winner = k
			case app.ECONFLICT:
			default:
				t.Fatalf("round %d: edit %d: %v", i, k, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: both edits failed: %v", i, errs)
		}
		got := f.get(f.usObs, it.ID)
		if got.Title != titles[winner] || got.Version != it.Version+1 {
			t.Fatalf("round %d: stored %q v%d, want the winner's %q v%d", i, got.Title, got.Version, titles[winner], it.Version+1)
		}
		action := "agenda.update"
		if tabled {
			action = "agenda.revise"
			rs := f.revisions(f.usObs, it.ID)
			if got.Revision != 2 || len(rs) != 2 || rs[1].Title != titles[winner] || rs[1].AuthorID != editors[winner].ID {
				t.Fatalf("round %d: revision %d, revisions %+v", i, got.Revision, rs)
			}
		}
		if n := f.countAction(it.ID, action); n != 1 {
			t.Fatalf("round %d: %d %s records, want 1", i, n, action)
		}
	}
}

// A concurrence racing an edit of the text: either the concurrence lands
// first (and adopts revision 1; the edit with the version read before is then
// stale) or the edit lands first (and the concurrence on revision 1 is
// refused). Never both, never an adoption of text nobody concurred on.
func TestConcurrentConcurrenceAndEdit(t *testing.T) {
	f := newAgFix(t)
	for i := 0; i < 10; i++ {
		it := f.tabled(f.usDel, fmt.Sprintf("Concur or edit %d", i))
		f.decide(f.cnHead, it.ID, Concur, "")
		it = f.get(f.usDel, it.ID)
		errs := together(
			func() error { return f.s.Decide(f.ctx, f.usHead, it.ID, 1, Concur, "") },
			func() error {
				_, err := f.s.UpdateItem(f.ctx, f.usDel, it.ID, it.Version, f.input(fmt.Sprintf("Reworded %d", i)))
				return err
			},
		)
		got := f.get(f.cnHead, it.ID)
		switch {
		case errs[0] == nil && app.ErrorCode(errs[1]) == app.ECONFLICT:
			if got.Status != StatusAdopted || got.Revision != 1 || got.Title != it.Title {
				t.Fatalf("round %d: concurrence won but item is %s rev %d %q", i, got.Status, got.Revision, got.Title)
			}
		case errs[1] == nil && app.ErrorCode(errs[0]) == app.ECONFLICT:
			if got.Status != StatusProposed || got.Revision != 2 || len(got.Standing) != 0 {
				t.Fatalf("round %d: edit won but item is %s rev %d with %d standing", i, got.Status, got.Revision, len(got.Standing))
			}
		default:
			t.Fatalf("round %d: decide %v, edit %v: want exactly one to succeed and the other to conflict", i, errs[0], errs[1])
		}
	}
}

// ---- query count ---------------------------------------------------------------------------------

// bulkItems inserts n agenda items in one transaction: US tabled items with a
// CN concurrence (an objection on every other one), US drafts and CN drafts.
func (f *agFix) bulkItems(n int) {
	f.t.Helper()
	err := f.s.write(f.ctx, func(tx wtx) error {
		for i := 0; i < n; i++ {
			it := &Item{SideID: f.us.ID, AuthorID: f.usDel.ID, CategoryID: f.cats[i%len(f.cats)].ID, Status: StatusProposed,
				Title: fmt.Sprintf("Bulk item %04d", i), Description: "Bulk", Language: "en", DurationMinutes: 5 + i%100,
				Revision: 1, Version: 1, CreatedAt: tx.Now(), UpdatedAt: tx.Now()}
			switch i % 3 {
			case 1:
				it.Status = StatusDraft
			case 2:
				it.Status, it.SideID, it.AuthorID = StatusDraft, f.cn.ID, f.cnDel.ID
			default:
				now := tx.Now()
				it.TabledAt = &now
			}
			if err := tx.createItem(it); err != nil {
				return err
			}
			if it.Status == StatusProposed {
				k, reason := Concur, ""
				if i%2 == 1 {
					k, reason = Object, "Not yet"
				}
				if err := tx.Decide(f.cnHead, it.ref(), 1, k, reason, itemAudit(it, "agenda.concur", nil)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

func TestListItemsQueryCountIndependentOfSize(t *testing.T) {
	filters := []ItemFilter{
		{},
		{Status: StatusProposed},
		{Status: StatusDraft},
		{Text: "bulk"},
		{Sort: "title", SideID: 0},
		{Status: StatusProposed, Sort: "duration"},
	}
	measure := func(n int) []int64 {
		f := newAgFix(t)
		f.bulkItems(n)
		var out []int64
		for _, filter := range filters {
			filter.Page = app.Page{Number: 1, Size: 50}
			before := f.s.core.DB().QueryCount()
			l, err := f.s.ListItems(f.ctx, f.usHead, filter)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, f.s.core.DB().QueryCount()-before)
			if len(l.Items) == 0 {
				t.Fatalf("n=%d filter %+v: empty page", n, filter)
			}
			if n >= 50 && len(l.Items) != 50 {
				t.Fatalf("n=%d filter %+v: page of %d", n, filter, len(l.Items))
			}
			for _, it := range l.Items {
				if it.Side == nil || it.Category == nil || it.Author == nil {
					t.Fatalf("n=%d: item %d listed without its side, category or author", n, it.ID)
				}
				if it.Status == StatusDraft && it.SideID != f.us.ID {
					t.Fatalf("n=%d: the US head lists a CN draft", n)
				}
				var i int
				if _, err := fmt.Sscanf(it.Title, "Bulk item %d", &i); err == nil && it.Status == StatusProposed && it.Contested() != (i%2 == 1) {
					t.Fatalf("n=%d: item %q listed as contested: %v", n, it.Title, it.Contested())
				}
			}
			if filter.Status == "" && filter.Text == "" {
				wantTotal := countRows(t, f.s, "SELECT COUNT(*) FROM agenda_items WHERE status <> 'draft' OR side_id = ?", f.us.ID)
				if l.Total != wantTotal {
					t.Fatalf("n=%d: total %d, want %d", n, l.Total, wantTotal)
				}
			}
		}
		return out
	}
	small, large := measure(10), measure(1000)
	for i := range filters {
		if small[i] != large[i] || small[i] == 0 {
			t.Fatalf("filter %+v: ListItems ran %d statements for 10 items and %d for 1,000", filters[i], small[i], large[i])
		}
	}
	t.Logf("statements per ListItems page: %v", small)
}

// ---- audit -------------------------------------------------------------------------------------

func TestAgendaAuditFullFlow(t *testing.T) {
	f := newAgFix(t)
	usChain, cnChain := app.SideChain(f.us.ID), app.SideChain(f.cn.ID)

	f.c.advance(time.Minute)
	before := auditRecords(t, f.s)
	it, err := f.s.CreateItem(f.ctx, f.usDel, f.input("Full flow"))
	if err != nil {
		t.Fatal(err)
	}
	id := it.ID
	checkAppended(t, f.s, before, usChain, "agenda.create", id, f.usDel)

	step := func(label, chain, action string, actor *app.User, fn func() error) {
		t.Helper()
		f.c.advance(time.Minute)
		before := auditRecords(t, f.s)
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		checkAppended(t, f.s, before, chain, action, id, actor)
	}
	step("edit draft", usChain, "agenda.update", f.usHead, func() error {
		_, err := f.s.UpdateItem(f.ctx, f.usHead, id, it.Version, f.input("Full flow, reworded"))
		return err
	})
	step("internal note on the draft", usChain, "comment.add", f.usDel, func() error {
		_, err := f.s.core.AddComment(f.ctx, f.usDel, app.Ref{Kind: KindItem, ID: id}, app.Internal, "Ready to table.")
		return err
	})
	step("translate the draft", usChain, "agenda.translate", f.usDel, func() error {
		return f.s.SetTranslation(f.ctx, f.usDel, id, trVersion(f.get(f.usDel, id)), "全流程", "")
	})
	step("table", app.ChainShared, "agenda.table", f.usDel, func() error {
		return f.s.TableItem(f.ctx, f.usDel, id, f.get(f.usDel, id).Version)
	})
	step("CN internal note", cnChain, "comment.add", f.cnDel, func() error {
		_, err := f.s.core.AddComment(f.ctx, f.cnDel, app.Ref{Kind: KindItem, ID: id}, app.Internal, "建议同意。")
		return err
	})
	step("secretariat comment", app.ChainShared, "comment.add", f.sec, func() error {
		_, err := f.s.core.AddComment(f.ctx, f.sec, app.Ref{Kind: KindItem, ID: id}, app.Shared, "Noted for the next meeting.")
		return err
	})
	step("CN concurs", app.ChainShared, "agenda.concur", f.cnHead, func() error {
		return f.s.Decide(f.ctx, f.cnHead, id, 1, Concur, "")
	})
	// The US concurrence appends two records: the concurrence and the adoption.
	f.c.advance(time.Minute)
	before = auditRecords(t, f.s)
	if err := f.s.Decide(f.ctx, f.usHead, id, 1, Concur, ""); err != nil {
		t.Fatal(err)
	}
	after := auditRecords(t, f.s)
	if len(after) != len(before)+2 {
		t.Fatalf("the adopting concurrence appended %d records, want 2", len(after)-len(before))
	}
	concur, adopt := after[len(after)-2], after[len(after)-1]
	prevShared := chainRecords(t, f.s, app.ChainShared)
	if concur.Chain != app.ChainShared || concur.Action != "agenda.concur" || concur.ObjectID != id || *concur.ActorID != f.usHead.ID ||
		concur.Seq != prevShared[len(prevShared)-2].Seq || concur.PrevHash != prevShared[len(prevShared)-3].Hash {
		t.Fatalf("concurrence record = %+v", concur)
	}
	if adopt.Chain != app.ChainShared || adopt.Action != "agenda.adopt" || adopt.ObjectID != id || adopt.Seq != concur.Seq+1 ||
		adopt.PrevHash != concur.Hash || !adopt.At.Equal(f.s.core.Clock()) {
		t.Fatalf("adoption record = %+v", adopt)
	}
	if f.get(f.cnObs, id).Status != StatusAdopted {
		t.Fatal("not adopted")
	}

	if _, problems, err := f.s.core.DB().VerifyAudit(f.ctx); err != nil || len(problems) != 0 {
		t.Fatalf("VerifyAudit: %v %v", problems, err)
	}
	if got := strings.Join(f.itemActions(id, usChain), ","); got != "agenda.create,agenda.update,comment.add,agenda.translate" {
		t.Fatalf("US chain about the item: %s", got)
	}
	if got := strings.Join(f.itemActions(id, app.ChainShared), ","); got != "agenda.table,comment.add,agenda.concur,agenda.concur,agenda.adopt" {
		t.Fatalf("shared chain about the item: %s", got)
	}
	if got := strings.Join(f.itemActions(id, cnChain), ","); got != "comment.add" {
		t.Fatalf("CN chain about the item: %s", got)
	}
	if got := strings.Join(f.itemActions(id, app.SideChain(f.secSide.ID)), ","); got != "" {
		t.Fatalf("secretariat chain about the item: %s", got)
	}
}

// A head's double submission of the same decision: the rule "the same
// decision twice is refused" holds however close together they arrive.
func TestConcurrentSameDecisionRecordedOnce(t *testing.T) {
	f := newAgFix(t)
	for i := 0; i < 10; i++ {
		it := f.tabled(f.usDel, fmt.Sprintf("Double click %d", i))
		errs := together(
			func() error { return f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Concur, "") },
			func() error { return f.s.Decide(f.ctx, f.cnHead, it.ID, 1, Concur, "") },
		)
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if app.ErrorMessage(err) != "agenda.already_decided" {
				t.Fatalf("round %d: %v", i, err)
			}
		}
		ds := f.decisions(f.cnHead, it.ID)
		if ok != 1 || len(ds) != 1 || ds[0].WithdrawnAt != nil || f.countAction(it.ID, "agenda.concur") != 1 {
			t.Fatalf("round %d: the same concurrence submitted twice at once: %d accepted, %d decisions on record (%d shown withdrawn), %d agenda.concur records; want 1, 1, 0, 1",
				i, ok, len(ds), countWithdrawn(ds), f.countAction(it.ID, "agenda.concur"))
		}
	}
}

func countWithdrawn(ds []app.Decision) int {
	n := 0
	for _, d := range ds {
		if d.WithdrawnAt != nil {
			n++
		}
	}
	return n
}

// Withdrawing an objection twice at once lifts it once: one record, the
// other attempt told there is no objection.
func TestConcurrentWithdrawObjectionRecordedOnce(t *testing.T) {
	f := newAgFix(t)
	for i := 0; i < 10; i++ {
		it := f.tabled(f.usDel, fmt.Sprintf("Lift once %d", i))
		f.decide(f.cnHead, it.ID, Object, "Not acceptable.")
		errs := together(
			func() error { return f.s.WithdrawObjection(f.ctx, f.cnHead, it.ID) },
			func() error { return f.s.WithdrawObjection(f.ctx, f.cnHead, it.ID) },
		)
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if app.ErrorMessage(err) != "agenda.no_objection" {
				t.Fatalf("round %d: %v", i, err)
			}
		}
		if n := f.countAction(it.ID, "agenda.objection_withdraw"); ok != 1 || n != 1 {
			t.Fatalf("round %d: one objection withdrawn twice at once: %d accepted, %d agenda.objection_withdraw records; want 1 and 1", i, ok, n)
		}
	}
}

// history is an item's history as the actor may see it (through the record parts).
func (f *agFix) history(actor *app.User, id int64) ([]app.AuditRecord, error) {
	_, recs, err := f.s.core.History(f.ctx, actor, app.Ref{Kind: KindItem, ID: id})
	return recs, err
}

// amendments lists an item's amendments as the actor sees them on its page.
func (f *agFix) amendments(actor *app.User, publicID string) ([]Amendment, error) {
	v, err := f.s.ItemView(f.ctx, actor, publicID, app.ThreadCursor{})
	if err != nil {
		return nil, err
	}
	return v.Amendments, nil
}
