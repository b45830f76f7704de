package incidents

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley/parley/app"
)

// fix is a fresh temp-file database with the demo accounts and the incidents.
type fix struct {
	t   *testing.T
	s   *Service
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
	now := time.Date(2013, 7, 10, 9, 0, 0, 0, time.UTC)
	core.Now = func() time.Time { return now }
	core.Argon = app.ArgonParams{Memory: 64, Time: 1, Threads: 1}
	if _, err := core.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	users, err := core.DemoUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &fix{t: t, s: New(core), ctx: ctx, u: users, now: now}
}

// reload loads an account as the next request would.
func (f *fix) reload(key string) *app.User {
	f.t.Helper()
	u, err := f.s.core.GetUser(f.ctx, app.System, f.u[key].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

func (f *fix) input(title string, tlp TLP) Input {
	return Input{AddressedSideID: f.u["us.head"].SideID, TLP: tlp, Category: CategoryDefacement, Title: title,
		Summary: "Websites of government and academic institutions were **defaced**.", Language: "zh",
		Sectors: []Sector{"government", "academia"}, ObservedFrom: "2013-01-01T00:00", ObservedTo: "2013-05-31T23:59",
		ObservedZone: "Asia/Shanghai"}
}

// reported writes and reports a CN incident marked tlp.
func (f *fix) reported(title string, tlp TLP) *Incident {
	f.t.Helper()
	inc, err := f.s.Create(f.ctx, f.u["cn.delegate"], f.input(title, tlp))
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.s.Report(f.ctx, f.u["cn.head"], inc.ID, inc.Version); err != nil {
		f.t.Fatal(err)
	}
	inc, err = f.s.Get(f.ctx, f.u["cn.head"], inc.PublicID)
	if err != nil {
		f.t.Fatal(err)
	}
	return inc
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("error %v, want %s", err, code)
	}
}

// An incident from draft to closed: each step by the side whose step it is,
// each in the history; out of order or by the wrong side, refused.
func TestAnIncidentsLife(t *testing.T) {
	f := newFix(t)
	inc, err := f.s.Create(f.ctx, f.u["cn.delegate"], f.input("249 websites defaced, January–May", TLPAmber))
	if err != nil {
		t.Fatal(err)
	}
	if inc.Status != StatusDraft || inc.ReportingSideID != f.u["cn.head"].SideID || inc.Revision != 0 ||
		len(inc.Sectors) != 2 || inc.ObservedFrom == nil || inc.ObservedFrom.Format(time.RFC3339) != "2012-12-31T16:00:00Z" {
		t.Fatalf("the draft: %+v", inc)
	}
	if _, err := f.s.Get(f.ctx, f.u["us.head"], inc.PublicID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("the US head sees a CN draft: %v", err)
	}
	wantCode(t, f.s.Move(f.ctx, f.u["us.head"], inc.ID, inc.Version, StatusAcknowledged), app.ENOTFOUND)
	wantCode(t, f.s.Report(f.ctx, f.u["cn.observer"], inc.ID, inc.Version), app.EFORBIDDEN)
	wantCode(t, f.s.Report(f.ctx, f.u["cn.head"], inc.ID, inc.Version+1), app.ECONFLICT)
	if err := f.s.Report(f.ctx, f.u["cn.head"], inc.ID, inc.Version); err != nil {
		t.Fatal(err)
	}
	inc, _ = f.s.Get(f.ctx, f.u["us.head"], inc.PublicID)
	if inc == nil || inc.Status != StatusReported || inc.Revision != 1 || inc.ReportedAt == nil {
		t.Fatalf("the US side does not see the report: %+v", inc)
	}
	wantCode(t, f.s.UpdateDraft(f.ctx, f.u["cn.delegate"], inc.ID, inc.Version, f.input("x", TLPAmber)), app.EFORBIDDEN)
	wantCode(t, f.s.Move(f.ctx, f.u["cn.head"], inc.ID, inc.Version, StatusAcknowledged), app.EFORBIDDEN)
	wantCode(t, f.s.Move(f.ctx, f.u["us.delegate"], inc.ID, inc.Version, StatusResponded), app.EINVALID)
	wantCode(t, f.s.Move(f.ctx, f.u["us.observer"], inc.ID, inc.Version, StatusAcknowledged), app.EFORBIDDEN)
	for _, step := range []struct {
		who string
		to  Status
	}{{"us.delegate", StatusAcknowledged}, {"us.head", StatusInvestigating}, {"us.delegate", StatusResponded},
		{"cn.head", StatusClosed}} {
		cur, _ := f.s.Get(f.ctx, f.u[step.who], inc.PublicID)
		if err := f.s.Move(f.ctx, f.u[step.who], inc.ID, cur.Version, step.to); err != nil {
			t.Fatalf("%s → %s: %v", step.who, step.to, err)
		}
	}
	cur, _ := f.s.Get(f.ctx, f.u["secretariat"], inc.PublicID)
	if cur == nil || cur.Status != StatusClosed {
		t.Fatalf("closed: %+v", cur)
	}
	_, recs, err := f.s.core.History(f.ctx, f.u["us.head"], app.Ref{Kind: KindIncident, ID: inc.ID})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range recs {
		if r.Chain != app.ObjectChain(app.Ref{Kind: KindIncident, ID: inc.ID}) {
			t.Errorf("the US side reads %s from chain %s", r.Action, r.Chain)
		}
		actions = append(actions, r.Action)
	}
	if want := "[incident.report incident.status incident.status incident.status incident.status]"; fmt.Sprint(actions) != want {
		t.Errorf("the US side's history: %v, want %s", actions, want)
	}
	_, recs, _ = f.s.core.History(f.ctx, f.u["cn.delegate"], app.Ref{Kind: KindIncident, ID: inc.ID})
	if len(recs) != 6 || recs[0].Action != "incident.create" || recs[0].Chain != app.SideChain(inc.ReportingSideID) {
		t.Errorf("the CN side's history starts with its draft, in its own chain: %+v", recs)
	}
}

// Bad input is refused field by field and writes nothing.
func TestBadIncidentsAreRefused(t *testing.T) {
	f := newFix(t)
	bad := f.input("", "PURPLE")
	bad.Category, bad.Language, bad.Sectors = "gossip", "fr", []Sector{"government", "government"}
	bad.AddressedSideID = f.u["cn.head"].SideID // its own side
	bad.ObservedFrom, bad.ObservedTo = "2013-06-01T00:00", "2013-05-01T00:00"
	_, err := f.s.Create(f.ctx, f.u["cn.delegate"], bad)
	fields := app.FieldErrors(err)
	for field, key := range map[string]string{"title": "validation.required", "tlp": "incident.tlp_invalid",
		"category": "incident.category_invalid", "language": "incident.language_invalid",
		"sectors": "incident.sectors_invalid", "addressed_side": "incident.addressed_invalid",
		"observed_to": "incident.observed_order"} {
		if fields[field] == "" || (key != "validation.required" && fields[field] != key) {
			t.Errorf("%s: %q, want %q (all: %v)", field, fields[field], key, fields)
		}
	}
	for name, in := range map[string]func(*Input){
		"future":  func(in *Input) { in.ObservedTo = "2014-01-01T00:00" },
		"skipped": func(in *Input) { in.ObservedZone, in.ObservedFrom = "America/New_York", "2013-03-10T02:30" },
		"zone":    func(in *Input) { in.ObservedZone = "Mars/Olympus" },
		"shape":   func(in *Input) { in.ObservedFrom = "yesterday" },
	} {
		i := f.input("Fine", TLPGreen)
		in(&i)
		if _, err := f.s.Create(f.ctx, f.u["cn.delegate"], i); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, who := range []string{"cn.observer", "secretariat", "admin"} {
		if _, err := f.s.Create(f.ctx, f.u[who], f.input("Fine", TLPGreen)); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("%s writes an incident: %v", who, err)
		}
	}
	var n int64
	if err := f.s.core.DB().Reader().QueryRow("SELECT COUNT(*) FROM incidents").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d incidents written (%v)", n, err)
	}
}

// The SQL visibility rule is the policy's: for every account, every status
// and every marking, with and without named recipients.
func TestVisibilityInSQLIsThePolicy(t *testing.T) {
	f := newFix(t)
	type made struct {
		inc       *Incident
		recipient map[int64]bool
	}
	var all []made
	for _, tlp := range TLPs {
		draft, err := f.s.Create(f.ctx, f.u["cn.delegate"], f.input("draft "+string(tlp), tlp))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, made{draft, nil})
		inc := f.reported("reported "+string(tlp), tlp)
		rec := map[int64]bool{}
		if tlp == TLPRed {
			if err := f.s.SetRecipients(f.ctx, f.u["cn.head"], inc.ID, inc.Version,
				[]int64{f.u["us.head"].ID, f.u["secretariat"].ID}); err != nil {
				t.Fatal(err)
			}
			rec[f.u["us.head"].ID], rec[f.u["secretariat"].ID] = true, true
		}
		all = append(all, made{inc, rec})
	}
	// A pending member of each delegation and a disabled one, besides the demo's accounts.
	for _, extra := range []struct {
		key, side, sql string
	}{{"us.pending", "us.head", "UPDATE users SET pending = 1 WHERE id = ?"},
		{"cn.pending", "cn.head", "UPDATE users SET pending = 1 WHERE id = ?"},
		{"us.disabled", "us.head", "UPDATE users SET disabled_at = CURRENT_TIMESTAMP WHERE id = ?"}} {
		u, _, err := f.s.core.CreateUser(f.ctx, app.System, app.UserInput{Email: extra.key + "@parley.example", Name: extra.key,
			SideID: f.u[extra.side].SideID, Role: app.RoleDelegate, Password: "a long enough password 2013"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.core.DB().Writer().Exec(extra.sql, u.ID); err != nil {
			t.Fatal(err)
		}
		f.u[extra.key] = u
	}
	if len(f.u) != 11 || len(all) != 10 {
		t.Fatalf("%d accounts, %d incidents", len(f.u), len(all))
	}
	for key := range f.u {
		u := f.reload(key)
		l, err := f.s.List(f.ctx, u, Filter{Page: app.Page{Size: 200}})
		if err != nil {
			t.Fatal(err)
		}
		listed := map[int64]bool{}
		for _, inc := range l.Items {
			listed[inc.ID] = true
		}
		for _, m := range all {
			if want := canSee(u, m.inc, m.recipient[u.ID]); listed[m.inc.ID] != want {
				t.Errorf("%s, %s %s: SQL says %v, the policy %v", key, m.inc.Status, m.inc.TLP, listed[m.inc.ID], want)
			}
		}
	}
	// A recipient must be of the addressed side or the secretariat, and confirmed.
	red := all[len(all)-1].inc
	cur, _ := f.s.Get(f.ctx, f.u["cn.head"], red.PublicID)
	if err := f.s.SetRecipients(f.ctx, f.u["cn.head"], red.ID, cur.Version, []int64{f.u["cn.delegate"].ID}); app.FieldErrors(err)["recipients"] == "" {
		t.Fatalf("a member of the reporting side named as recipient: %v", err)
	}
	wantCode(t, f.s.SetRecipients(f.ctx, f.u["us.head"], red.ID, cur.Version, nil), app.EFORBIDDEN)
}

// Lowering the marking needs a reason; only the reporting side marks.
func TestMarkingChanges(t *testing.T) {
	f := newFix(t)
	inc := f.reported("Marked", TLPRed)
	if err := f.s.ChangeTLP(f.ctx, f.u["cn.delegate"], inc.ID, inc.Version, TLPGreen, " "); app.FieldErrors(err)["reason"] == "" {
		t.Fatalf("lowered without a reason: %v", err)
	}
	wantCode(t, f.s.ChangeTLP(f.ctx, f.u["cn.delegate"], inc.ID, inc.Version, TLPRed, ""), app.EINVALID)
	wantCode(t, f.s.ChangeTLP(f.ctx, f.u["cn.observer"], inc.ID, inc.Version, TLPGreen, "why"), app.EFORBIDDEN)
	if _, err := f.s.Get(f.ctx, f.u["us.head"], inc.PublicID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("the US head sees a RED incident without being named: %v", err)
	}
	if err := f.s.ChangeTLP(f.ctx, f.u["cn.delegate"], inc.ID, inc.Version, TLPGreen, "Agreed to share"); err != nil {
		t.Fatal(err)
	}
	cur, err := f.s.Get(f.ctx, f.u["us.observer"], inc.PublicID)
	if err != nil || cur.TLP != TLPGreen {
		t.Fatalf("after lowering, the US observer reads %+v %v", cur, err)
	}
	_, recs, _ := f.s.core.History(f.ctx, f.u["us.observer"], app.Ref{Kind: KindIncident, ID: inc.ID})
	if last := recs[len(recs)-1]; last.Action != "incident.tlp" || last.ChangeList() == nil {
		t.Fatalf("the history does not keep the change and its reason: %+v", last)
	}
	var shared int64
	if err := f.s.core.DB().Reader().QueryRow(`SELECT COUNT(*) FROM audit_records WHERE chain = ? AND object_type = ?`,
		app.ChainShared, string(KindIncident)).Scan(&shared); err != nil || shared != 0 {
		t.Fatalf("%d incident records in the shared chain (%v)", shared, err)
	}
}

// The list shows and counts only what the actor may see, filters, searches
// (in Chinese too), and costs the same statements however many incidents.
func TestIncidentList(t *testing.T) {
	f := newFix(t)
	f.reported("网站被篡改 defacement of portals", TLPGreen)
	f.reported("Secret intrusion", TLPRed)
	if _, err := f.s.Create(f.ctx, f.u["cn.delegate"], f.input("CN draft", TLPGreen)); err != nil {
		t.Fatal(err)
	}
	titles := func(who string, flt Filter) []string {
		t.Helper()
		l, err := f.s.List(f.ctx, f.u[who], flt)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, inc := range l.Items {
			out = append(out, inc.Title)
		}
		if int64(len(out)) != l.Total {
			t.Fatalf("%s: %d listed, %d counted", who, len(out), l.Total)
		}
		return out
	}
	if got := titles("cn.observer", Filter{}); len(got) != 3 {
		t.Errorf("the CN side lists %v", got)
	}
	if got := titles("us.head", Filter{}); len(got) != 1 || got[0] != "网站被篡改 defacement of portals" {
		t.Errorf("the US head lists %v", got)
	}
	if got := titles("cn.head", Filter{TLP: TLPRed}); len(got) != 1 {
		t.Errorf("by marking: %v", got)
	}
	// The tabs count every status, whichever is listed; never what the actor may not see.
	for who, want := range map[string]map[Status]int64{"cn.head": {StatusDraft: 1, StatusReported: 2},
		"us.head": {StatusReported: 1}} {
		l, err := f.s.List(f.ctx, f.u[who], Filter{Status: StatusReported})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(l.Counts) != fmt.Sprint(want) || l.Total != want[StatusReported] {
			t.Errorf("%s: counts %v (total %d), want %v", who, l.Counts, l.Total, want)
		}
	}
	if got := titles("us.head", Filter{Text: "篡改"}); len(got) != 1 {
		t.Errorf("a Chinese search: %v", got)
	}
	if got := titles("us.head", Filter{Text: "intrusion"}); len(got) != 0 {
		t.Errorf("the US head finds the RED incident by searching: %v", got)
	}
	if got := titles("cn.head", Filter{Text: "intrusion"}); len(got) != 1 {
		t.Errorf("the CN head does not find its RED incident: %v", got)
	}
	count := func(flt Filter) int64 {
		before := f.s.core.DB().QueryCount()
		if _, err := f.s.List(f.ctx, f.u["us.head"], flt); err != nil {
			t.Fatal(err)
		}
		return f.s.core.DB().QueryCount() - before
	}
	small, smallSearch := count(Filter{}), count(Filter{Text: "portals"})
	for i := 0; i < 60; i++ {
		f.reported(fmt.Sprintf("Portals %d", i), TLPAmber)
	}
	if large, largeSearch := count(Filter{}), count(Filter{Text: "portals"}); large != small || largeSearch != smallSearch || small > 2 {
		t.Fatalf("statements: %d and %d (search) with 3 incidents, %d and %d with 63", small, smallSearch, large, largeSearch)
	}
}

// The secretariat closes an incident once both heads have agreed, and not before.
func TestSecretariatClosesWhenBothHeadsAgree(t *testing.T) {
	f := newFix(t)
	inc := f.reported("To be closed", TLPAmber)
	version := func() int64 { cur, _ := f.s.Get(f.ctx, f.u["secretariat"], inc.PublicID); return cur.Version }
	wantCode(t, f.s.Move(f.ctx, f.u["secretariat"], inc.ID, version(), StatusClosed), app.EFORBIDDEN)
	wantCode(t, f.s.AgreeToClose(f.ctx, f.u["us.delegate"], inc.ID), app.EFORBIDDEN)
	wantCode(t, f.s.AgreeToClose(f.ctx, f.u["secretariat"], inc.ID), app.EFORBIDDEN)
	if err := f.s.AgreeToClose(f.ctx, f.u["us.head"], inc.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.s.Move(f.ctx, f.u["secretariat"], inc.ID, version(), StatusClosed), app.EFORBIDDEN)
	if err := f.s.AgreeToClose(f.ctx, f.u["cn.head"], inc.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Move(f.ctx, f.u["secretariat"], inc.ID, version(), StatusClosed); err != nil {
		t.Fatal(err)
	}
	if cur, _ := f.s.Get(f.ctx, f.u["us.head"], inc.PublicID); cur.Status != StatusClosed {
		t.Fatalf("status %s", cur.Status)
	}
}
