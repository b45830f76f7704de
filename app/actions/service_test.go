package actions

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/app/meetings"
)

// fix is a fresh temp-file database with the demo accounts and the actions,
// on a clock the test moves.
type fix struct {
	t   *testing.T
	s   *Service
	inc *incidents.Service
	ctx context.Context
	u   map[string]*app.User // by demo key: "us.head", "cn.delegate", …
	now time.Time
}

func newFix(t *testing.T) *fix {
	t.Helper()
	ctx := context.Background()
	db, err := app.OpenDB(ctx, filepath.Join(t.TempDir(), "parley.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	core := app.NewService(db)
	f := &fix{t: t, ctx: ctx, now: time.Date(2013, 7, 10, 9, 0, 0, 0, time.UTC)}
	core.Now = func() time.Time { return f.now }
	core.Argon = app.ArgonParams{Memory: 64, Time: 1, Threads: 1}
	if _, err := core.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if f.u, err = core.DemoUsers(ctx); err != nil {
		t.Fatal(err)
	}
	ag := agenda.New(core)
	mt := meetings.New(core, ag)
	f.inc = incidents.New(core)
	f.s = New(core, ag, mt, f.inc)
	return f
}

// side is a demo side's id by its code.
func (f *fix) side(code string) int64 {
	f.t.Helper()
	s, err := f.s.core.SideByCode(f.ctx, app.System, code)
	if err != nil {
		f.t.Fatal(err)
	}
	return s.ID
}

// create makes an action as who, failing the test on a refusal.
func (f *fix) create(who string, in Input) *Action {
	f.t.Helper()
	if in.Title == "" {
		in.Title = "Exchange points of contact"
	}
	if in.Language == "" {
		in.Language = "en"
	}
	if in.Due == "" {
		in.Due = "2013-07-20"
	}
	a, err := f.s.Create(f.ctx, f.u[who], in)
	if err != nil {
		f.t.Fatalf("create as %s: %v", who, err)
	}
	return a
}

// get is the action as who sees it now.
func (f *fix) get(who string, a *Action) *Action {
	f.t.Helper()
	cur, err := f.s.Get(f.ctx, f.u[who], a.PublicID)
	if err != nil {
		f.t.Fatalf("get as %s: %v", who, err)
	}
	return cur
}

// step runs a change as who and checks the outcome: "" for success, else
// the error code wanted.
func (f *fix) step(who, what string, want string, fn func(u *app.User, version int64) error, a *Action) {
	f.t.Helper()
	cur, err := f.s.Get(f.ctx, f.u[who], a.PublicID)
	version := int64(0)
	if err == nil {
		version = cur.Version
	} else {
		version = f.get("secretariat", a).Version
	}
	err = fn(f.u[who], version)
	got := ""
	if err != nil {
		got = app.ErrorCode(err)
	}
	if got != want {
		f.f(who, what, got, want, err)
	}
}

func (f *fix) f(who, what, got, want string, err error) {
	f.t.Helper()
	f.t.Errorf("%s %s: got %q (%v), want %q", who, what, got, err, want)
}

// An action of a delegation: done by its side, verified by the other —
// never by its own side, not even its head; observers change nothing.
func TestActionOfADelegation(t *testing.T) {
	f := newFix(t)
	a := f.create("secretariat", Input{OwnerSideID: f.side("US"), AssigneeID: f.u["us.delegate"].ID})
	if a.Status != StatusOpen || len(a.Parts) != 1 || a.DueZone != "America/New_York" || a.DueDate != "2013-07-20" {
		t.Fatalf("created %+v", a)
	}
	start := func(u *app.User, v int64) error { return f.s.Start(f.ctx, u, a.ID, v) }
	done := func(note string) func(u *app.User, v int64) error {
		return func(u *app.User, v int64) error { return f.s.Done(f.ctx, u, a.ID, v, note) }
	}
	verify := func(u *app.User, v int64) error { return f.s.Verify(f.ctx, u, a.ID, v) }
	f.step("cn.delegate", "starts the US action", app.EFORBIDDEN, start, a)
	f.step("us.observer", "starts it", app.EFORBIDDEN, start, a)
	f.step("us.delegate", "starts it", "", start, a)
	f.step("us.delegate", "starts it again", app.EINVALID, start, a)
	if f.get("cn.head", a).Status != StatusInProgress {
		t.Fatal("not in progress")
	}
	f.step("cn.head", "marks the US action done", app.EFORBIDDEN, done("Done."), a)
	f.step("us.delegate", "marks it done without a note", app.EINVALID, done(" "), a)
	f.step("us.delegate", "marks it done", "", done("Contact list sent on 12 July."), a)
	f.step("us.head", "verifies the US's own work", app.EFORBIDDEN, verify, a)
	f.step("us.delegate", "verifies the US's own work", app.EFORBIDDEN, verify, a)
	f.step("secretariat", "verifies a delegation's work", app.EFORBIDDEN, verify, a)
	f.step("cn.observer", "verifies it", app.EFORBIDDEN, verify, a)
	// Reopened by the other side with a reason, done again, verified.
	reopen := func(reason string) func(u *app.User, v int64) error {
		return func(u *app.User, v int64) error { return f.s.Reopen(f.ctx, u, a.ID, v, reason) }
	}
	f.step("cn.delegate", "reopens without a reason", app.EINVALID, reopen(""), a)
	f.step("cn.delegate", "reopens it", "", reopen("The list lacks the 24-hour number."), a)
	if got := f.get("us.head", a); got.Status != StatusInProgress || got.Parts[0].Status != StatusInProgress {
		t.Fatalf("after reopening: %s / %s", got.Status, got.Parts[0].Status)
	}
	f.step("us.delegate", "marks it done again", "", done("The 24-hour number added."), a)
	f.step("cn.delegate", "verifies it", "", verify, a)
	got := f.get("us.head", a)
	if got.Status != StatusVerified || got.Parts[0].VerifiedBy == nil || *got.Parts[0].VerifiedBy != f.u["cn.delegate"].ID {
		t.Fatalf("after verifying: %+v", got.Parts[0])
	}
	// A stale form is a conflict, never an overwrite.
	b := f.create("us.delegate", Input{OwnerSideID: f.side("US")})
	if err := f.s.Start(f.ctx, f.u["us.delegate"], b.ID, b.Version-1); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a stale start: %v", err)
	}
}

// A joint action: each delegation marks its own part done and the other
// verifies it; the action is verified when both parts are.
func TestJointAction(t *testing.T) {
	f := newFix(t)
	a := f.create("cn.head", Input{Joint: true})
	if len(a.Parts) != 2 || a.OwnerSideID != nil || a.DueZone != "Asia/Shanghai" {
		t.Fatalf("joint: %+v", a)
	}
	done := func(u *app.User, v int64) error { return f.s.Done(f.ctx, u, a.ID, v, "Our part is done.") }
	verify := func(u *app.User, v int64) error { return f.s.Verify(f.ctx, u, a.ID, v) }
	f.step("us.delegate", "marks the US part done", "", done, a)
	f.step("us.head", "verifies the US part", app.EFORBIDDEN, verify, a)
	f.step("cn.delegate", "verifies the US part", "", verify, a)
	if got := f.get("us.head", a); got.Status != StatusInProgress || got.PartOf(f.side("US")).Status != StatusVerified {
		t.Fatalf("one part verified: %s", got.Status)
	}
	f.step("cn.delegate", "marks the CN part done", "", done, a)
	if got := f.get("us.head", a); got.Status != StatusDone {
		t.Fatalf("one verified, one done (awaiting verification): %s", got.Status)
	}
	f.step("cn.head", "verifies the CN part", app.EFORBIDDEN, verify, a)
	f.step("us.head", "verifies the CN part", "", verify, a)
	if got := f.get("secretariat", a); got.Status != StatusVerified {
		t.Fatalf("both verified: %s", got.Status)
	}
}

// A secretariat action is verified by either head, not by delegates.
func TestSecretariatAction(t *testing.T) {
	f := newFix(t)
	a := f.create("secretariat", Input{OwnerSideID: f.side("SEC")})
	f.step("us.delegate", "marks the secretariat's action done", app.EFORBIDDEN,
		func(u *app.User, v int64) error { return f.s.Done(f.ctx, u, a.ID, v, "Done.") }, a)
	f.step("secretariat", "marks it done", "",
		func(u *app.User, v int64) error { return f.s.Done(f.ctx, u, a.ID, v, "Draft terms circulated.") }, a)
	verify := func(u *app.User, v int64) error { return f.s.Verify(f.ctx, u, a.ID, v) }
	f.step("secretariat", "verifies its own work", app.EFORBIDDEN, verify, a)
	f.step("cn.delegate", "verifies it", app.EFORBIDDEN, verify, a)
	f.step("us.head", "verifies it", "", verify, a)
}

// An internal action is its side's alone: not found by the other side or
// the secretariat, in no list of theirs; done is its end; its side sets its
// own dates.
func TestInternalAction(t *testing.T) {
	f := newFix(t)
	a := f.create("us.delegate", Input{OwnerSideID: f.side("US"), Internal: true, Title: "Prepare talking points"})
	for _, who := range []string{"cn.head", "cn.delegate", "secretariat", "admin"} {
		if _, err := f.s.Get(f.ctx, f.u[who], a.PublicID); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("%s finds a US internal action: %v", who, err)
		}
		list, _ := f.s.List(f.ctx, f.u[who], Filter{})
		for _, it := range list.Items {
			if it.ID == a.ID {
				t.Errorf("%s lists a US internal action", who)
			}
		}
	}
	if _, err := f.s.Create(f.ctx, f.u["us.delegate"], Input{Title: "x", Language: "en", Due: "2013-07-20",
		OwnerSideID: f.side("CN"), Internal: true}); app.FieldErrors(err)["owner"] == "" {
		t.Errorf("an internal action for the other side: %v", err)
	}
	f.step("us.head", "changes its due date", "", func(u *app.User, v int64) error {
		return f.s.ProposeDue(f.ctx, u, a.ID, v, "2013-07-25")
	}, a)
	if got := f.get("us.head", a); got.DueDate != "2013-07-25" || got.ProposedDue != "" || got.DueSequence != 1 {
		t.Fatalf("internal due date: %+v", got)
	}
	f.step("us.delegate", "marks it done", "", func(u *app.User, v int64) error {
		return f.s.Done(f.ctx, u, a.ID, v, "Ready.")
	}, a)
	if got := f.get("us.head", a); got.Status != StatusVerified {
		t.Fatalf("an internal action done: %s", got.Status)
	}
}

// Bad input is refused next to its field and nothing is made.
func TestCreateRefusesBadInput(t *testing.T) {
	f := newFix(t)
	draft, err := f.inc.Create(f.ctx, f.u["cn.delegate"], incidents.Input{AddressedSideID: f.side("US"), TLP: incidents.TLPGreen,
		Category: incidents.CategoryOther, Title: "Draft", Summary: "草稿。", Language: "zh",
		Sectors: []incidents.Sector{"other"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		who   string
		in    Input
		field string
	}{
		{"secretariat", Input{Title: " ", Language: "en", Due: "2013-07-20", OwnerSideID: f.side("US")}, "title"},
		{"secretariat", Input{Title: "x", Language: "en", Due: "2013-02-30", OwnerSideID: f.side("US")}, "due"},
		{"secretariat", Input{Title: "x", Language: "en", Due: "20 July", OwnerSideID: f.side("US")}, "due"},
		{"secretariat", Input{Title: "x", Language: "en", Due: "2013-07-09", OwnerSideID: f.side("US")}, "due"},
		{"secretariat", Input{Title: "x", Language: "en", Due: "2013-07-20", OwnerSideID: f.side("US"),
			AssigneeID: f.u["cn.delegate"].ID}, "assignee"},
		{"us.head", Input{Title: "x", Language: "en", Due: "2013-07-20", OwnerSideID: f.side("US"),
			SourceType: SourceIncident, SourceID: draft.ID}, "source"},
		{"us.head", Input{Title: "x", Language: "en", Due: "2013-07-20", OwnerSideID: f.side("US"),
			SourceType: SourceAgenda, SourceID: 99999}, "source"},
		{"us.head", Input{Title: "x", Language: "en", Due: "2013-07-20", OwnerSideID: f.side("CN")}, "owner"},
	}
	for _, c := range cases {
		_, err := f.s.Create(f.ctx, f.u[c.who], c.in)
		if app.FieldErrors(err)[c.field] == "" {
			t.Errorf("%s %+v: %v, want a message next to %s", c.who, c.in, err, c.field)
		}
	}
	if _, err := f.s.Create(f.ctx, f.u["us.observer"], Input{Title: "x", Language: "en", Due: "2013-07-20",
		OwnerSideID: f.side("US")}); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("an observer creates: %v", err)
	}
	if list, _ := f.s.List(f.ctx, f.u["secretariat"], Filter{}); list.Total != 0 {
		t.Errorf("refusals made %d actions", list.Total)
	}
	// A source the actor may see is taken; a draft's actions stay internal to its side.
	if _, err := f.s.Create(f.ctx, f.u["cn.head"], Input{Title: "x", Language: "en", Due: "2013-07-20", OwnerSideID: f.side("CN"),
		SourceType: SourceIncident, SourceID: draft.ID}); app.FieldErrors(err)["source"] != "action.source_restricted" {
		t.Errorf("a shared action from a draft: %v", err)
	}
	a := f.create("cn.head", Input{OwnerSideID: f.side("CN"), SourceType: SourceIncident, SourceID: draft.ID, Internal: true})
	if a.SourceType != SourceIncident || a.Visibility != app.Internal {
		t.Fatal("the source was not kept")
	}
}

// A due date is a calendar date in its owner's capital: overdue from the
// midnight that ends it there — around the US daylight-saving changes too —
// and the same date for every viewer, whatever their zone.
func TestDueDatesAcrossCapitals(t *testing.T) {
	f := newFix(t)
	cases := []struct {
		owner, due string
		end        time.Time // the midnight that ends the date in the owner's capital
	}{
		{"US", "2013-11-03", time.Date(2013, 11, 4, 5, 0, 0, 0, time.UTC)},  // the day US clocks go back: EST after it
		{"US", "2013-11-02", time.Date(2013, 11, 3, 4, 0, 0, 0, time.UTC)},  // the day before: EDT
		{"US", "2013-03-10", time.Date(2013, 3, 11, 4, 0, 0, 0, time.UTC)},  // the day US clocks go forward
		{"US", "2013-03-09", time.Date(2013, 3, 10, 5, 0, 0, 0, time.UTC)},  // the day before: EST
		{"CN", "2013-11-03", time.Date(2013, 11, 3, 16, 0, 0, 0, time.UTC)}, // Beijing: no daylight saving
		{"CN", "2013-03-10", time.Date(2013, 3, 10, 16, 0, 0, 0, time.UTC)},
	}
	f.now = time.Date(2013, 3, 1, 0, 0, 0, 0, time.UTC)
	var made []*Action
	for _, c := range cases {
		a := f.create("secretariat", Input{OwnerSideID: f.side(c.owner), Due: c.due})
		if !a.DueEnd.Equal(c.end) {
			t.Errorf("%s due %s ends %s, want %s", c.owner, c.due, a.DueEnd, c.end)
		}
		made = append(made, a)
	}
	for i, c := range cases {
		for _, at := range []struct {
			d       time.Duration
			overdue bool
		}{{-time.Minute, false}, {0, true}, {time.Minute, true}} {
			f.now = c.end.Add(at.d)
			a := f.get("cn.head", made[i])
			if a.Overdue(f.now) != at.overdue {
				t.Errorf("%s due %s at %s: overdue %v", c.owner, c.due, f.now, a.Overdue(f.now))
			}
			list, err := f.s.List(f.ctx, f.u["us.head"], Filter{View: ViewOverdue, Page: app.Page{Size: 50}})
			if err != nil {
				t.Fatal(err)
			}
			listed := false
			for _, it := range list.Items {
				listed = listed || it.ID == a.ID
			}
			if listed != at.overdue {
				t.Errorf("%s due %s at %s: in the overdue list %v", c.owner, c.due, f.now, listed)
			}
			// 23:59 and 00:01 in both capitals: the date never moves.
			for _, who := range []string{"us.head", "cn.head"} {
				if got := f.get(who, made[i]).DueDate; got != c.due {
					t.Errorf("%s reads the due date as %s, want %s", who, got, c.due)
				}
			}
		}
	}
}

// A new due date is proposed by an owning side and takes effect when a
// head of another delegation agrees on that very proposal; the history
// keeps every date agreed.
func TestDueDateChange(t *testing.T) {
	f := newFix(t)
	a := f.create("secretariat", Input{OwnerSideID: f.side("US")})
	propose := func(due string) func(u *app.User, v int64) error {
		return func(u *app.User, v int64) error { return f.s.ProposeDue(f.ctx, u, a.ID, v, due) }
	}
	f.step("cn.delegate", "proposes for the US", app.EFORBIDDEN, propose("2013-07-30"), a)
	f.step("us.delegate", "proposes a past date", app.EINVALID, propose("2013-07-01"), a)
	f.step("us.delegate", "proposes a new date", "", propose("2013-07-30"), a)
	cur := f.get("us.head", a)
	if cur.DueDate != "2013-07-20" || cur.ProposedDue != "2013-07-30" {
		t.Fatalf("a proposal changed the date: %+v", cur)
	}
	if err := f.s.AgreeDue(f.ctx, f.u["us.head"], a.ID, cur.Revision); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("the proposing side's head agrees: %v", err)
	}
	if err := f.s.AgreeDue(f.ctx, f.u["cn.delegate"], a.ID, cur.Revision); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("a delegate agrees: %v", err)
	}
	if err := f.s.AgreeDue(f.ctx, f.u["cn.head"], a.ID, cur.Revision-1); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("an agreement on an earlier proposal: %v", err)
	}
	if err := f.s.AgreeDue(f.ctx, f.u["cn.head"], a.ID, cur.Revision); err != nil {
		t.Fatal(err)
	}
	cur = f.get("us.head", a)
	if cur.DueDate != "2013-07-30" || cur.ProposedDue != "" || cur.DueSequence != 1 {
		t.Fatalf("after agreement: %+v", cur)
	}
	_, recs, err := f.s.core.History(f.ctx, f.u["cn.head"], app.Ref{Kind: KindAction, ID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, r := range recs {
		if r.Action == "action.due" {
			dates = append(dates, r.Changes)
		}
	}
	if len(dates) != 1 {
		t.Fatalf("the history keeps %d date changes: %v", len(dates), dates)
	}
}

// Cancelling needs a reason, by the creator or the secretariat.
func TestCancel(t *testing.T) {
	f := newFix(t)
	a := f.create("us.delegate", Input{OwnerSideID: f.side("US")})
	cancel := func(reason string) func(u *app.User, v int64) error {
		return func(u *app.User, v int64) error { return f.s.Cancel(f.ctx, u, a.ID, v, reason) }
	}
	f.step("cn.head", "cancels a US action", app.EFORBIDDEN, cancel("No."), a)
	f.step("us.head", "cancels the delegate's action", app.EFORBIDDEN, cancel("No."), a)
	f.step("us.delegate", "cancels without a reason", app.EINVALID, cancel(""), a)
	f.step("secretariat", "cancels it", "", cancel("Overtaken by the new mechanism."), a)
	if got := f.get("us.head", a); got.Status != StatusCancelled || got.CancelReason == "" {
		t.Fatalf("cancelled: %+v", got)
	}
	f.step("us.delegate", "cancels it again", app.EINVALID, cancel("Again."), a)
}

// The views list what they say, and the dashboard counts them.
func TestViewsAndAttention(t *testing.T) {
	f := newFix(t)
	us, cn := f.side("US"), f.side("CN")
	mine := f.create("secretariat", Input{OwnerSideID: us, AssigneeID: f.u["us.delegate"].ID, Due: "2013-07-12"})
	late := f.create("secretariat", Input{OwnerSideID: us, Due: "2013-07-10"})
	cnDone := f.create("secretariat", Input{OwnerSideID: cn, Due: "2013-08-30"})
	if err := f.s.Done(f.ctx, f.u["cn.delegate"], cnDone.ID, cnDone.Version, "Done."); err != nil {
		t.Fatal(err)
	}
	f.now = time.Date(2013, 7, 11, 12, 0, 0, 0, time.UTC) // 10 July has ended in Washington
	ids := func(who, view string) map[int64]bool {
		list, err := f.s.List(f.ctx, f.u[who], Filter{View: view})
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]bool{}
		for _, a := range list.Items {
			out[a.ID] = true
		}
		return out
	}
	if got := ids("us.delegate", ViewMine); !got[mine.ID] || got[late.ID] {
		t.Errorf("mine: %v", got)
	}
	if got := ids("us.head", ViewSide); !got[mine.ID] || !got[late.ID] || got[cnDone.ID] {
		t.Errorf("the US side's: %v", got)
	}
	if got := ids("us.head", ViewOverdue); !got[late.ID] || got[mine.ID] {
		t.Errorf("overdue: %v", got)
	}
	if got := ids("us.head", ViewWeek); !got[mine.ID] || got[late.ID] {
		t.Errorf("this week: %v", got)
	}
	if got := ids("us.delegate", ViewVerify); !got[cnDone.ID] || len(got) != 1 {
		t.Errorf("awaiting US verification: %v", got)
	}
	if got := ids("cn.head", ViewVerify); len(got) != 0 {
		t.Errorf("awaiting CN verification: %v", got)
	}
	att, err := f.s.Attention(f.ctx, f.u["us.head"])
	if err != nil || att.Overdue != 1 || att.Verify != 1 {
		t.Errorf("US dashboard: %+v %v", att, err)
	}
	if att, _ := f.s.Attention(f.ctx, f.u["cn.head"]); att.Overdue != 0 || att.Verify != 0 {
		t.Errorf("CN dashboard: %+v", att)
	}
}

// visibleActions is canSee, for every account and every kind of action.
func TestVisibilityInSQLIsThePolicy(t *testing.T) {
	f := newFix(t)
	var all []*Action
	all = append(all, f.create("secretariat", Input{OwnerSideID: f.side("US")}),
		f.create("us.delegate", Input{OwnerSideID: f.side("US"), Internal: true}),
		f.create("cn.delegate", Input{OwnerSideID: f.side("CN"), Internal: true}),
		f.create("cn.head", Input{Joint: true}))
	pending, _, err := f.s.core.CreateUser(f.ctx, f.u["admin"], app.UserInput{Email: "p@parley.example", Name: "P",
		SideID: f.side("US"), Role: app.RoleDelegate, Password: "quiet harbour lantern 42"})
	if err != nil {
		t.Fatal(err)
	}
	accounts := map[string]*app.User{"pending": pending}
	for k, u := range f.u {
		accounts[k] = u
	}
	for who, u := range accounts {
		u, _ = f.s.core.GetUser(f.ctx, app.System, u.ID)
		list, err := f.s.List(f.ctx, u, Filter{Page: app.Page{Size: 50}})
		if err != nil {
			t.Fatal(err)
		}
		listed := map[int64]bool{}
		for _, a := range list.Items {
			listed[a.ID] = true
		}
		for _, a := range all {
			if canSee(u, a) != listed[a.ID] {
				t.Errorf("%s: policy %v, list %v for %q (%s)", who, canSee(u, a), listed[a.ID], a.Title, a.Visibility)
			}
		}
	}
}

// A part done may carry a file as evidence: typed by its content, hashed,
// kept with the part; a refused file refuses the whole step.
func TestDoneWithEvidence(t *testing.T) {
	f := newFix(t)
	a := f.create("secretariat", Input{OwnerSideID: f.side("US")})
	err := f.s.DoneWith(f.ctx, f.u["us.delegate"], a.ID, a.Version, "Sent.", &Evidence{Name: "x.pdf", Data: []byte("<html></html>")})
	if app.FieldErrors(err)["file"] == "" {
		t.Fatalf("HTML named .pdf: %v", err)
	}
	if got := f.get("us.head", a); got.Status != StatusOpen {
		t.Fatalf("a refused file changed the action: %s", got.Status)
	}
	if err := f.s.DoneWith(f.ctx, f.u["us.delegate"], a.ID, a.Version, "Sent.", &Evidence{Name: "../contacts.csv",
		Data: []byte("name,phone\nduty officer,+1 202 555 0100\n")}); err != nil {
		t.Fatal(err)
	}
	got := f.get("cn.head", a)
	ev := got.Parts[0].File
	if ev == nil || ev.Name != "contacts.csv" || ev.MediaType != "text/csv" || len(ev.SHA256) != 64 || ev.Content != nil {
		t.Fatalf("evidence %+v", ev)
	}
	file, err := f.s.File(f.ctx, f.u["cn.head"], a.ID, ev.PublicID)
	if err != nil || !strings.Contains(string(file.Content), "duty officer") {
		t.Fatalf("download: %v", err)
	}
	prep := f.create("us.delegate", Input{OwnerSideID: f.side("US"), Internal: true})
	if err := f.s.DoneWith(f.ctx, f.u["us.delegate"], prep.ID, prep.Version, "Ready.", &Evidence{Name: "notes.txt",
		Data: []byte("talking points")}); err != nil {
		t.Fatal(err)
	}
	pf := f.get("us.head", prep).Parts[0].File
	if _, err := f.s.File(f.ctx, f.u["cn.head"], prep.ID, pf.PublicID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("the Chinese head downloads a US internal file: %v", err)
	}
}
