package incidents

import (
	"fmt"
	"testing"

	"github.com/parley/parley/app"
)

// The statistics count what the actor may see, and nothing else.
func TestStatsCountOnlyWhatTheActorSees(t *testing.T) {
	f := newFix(t)
	exportFixture(t, f, TLPGreen)
	f.reported("Secret", TLPRed)
	if _, err := f.s.Create(f.ctx, f.u["cn.delegate"], f.input("Draft", TLPGreen)); err != nil {
		t.Fatal(err)
	}
	total := func(cs []Count) (n int64) {
		for _, c := range cs {
			n += c.N
		}
		return n
	}
	us, err := f.s.Stats(f.ctx, f.u["us.head"])
	if err != nil {
		t.Fatal(err)
	}
	cn, _ := f.s.Stats(f.ctx, f.u["cn.head"])
	if total(us.ByStatus) != 1 || total(cn.ByStatus) != 2 || total(us.ByMonth) != 1 || us.ByMonth[0].Key != "2013-07" ||
		total(cn.ByCategory) != 2 || total(cn.BySide) != 2 {
		t.Fatalf("US %+v; CN %+v", us, cn)
	}
	got := fmt.Sprint(us.IndicatorPositions)
	// Three indicators: the US disputes one, the CN side has taken no position.
	usSide, cnSide := f.u["us.head"].SideID, f.u["cn.head"].SideID
	want := map[string]int64{fmt.Sprint(usSide, "disputed"): 1, fmt.Sprint(usSide, ""): 2, fmt.Sprint(cnSide, ""): 3}
	for _, c := range us.IndicatorPositions {
		if want[fmt.Sprint(c.Side, c.Key)] != c.N {
			t.Errorf("indicators by position: %s", got)
		}
	}
	if len(us.IndicatorPositions) != len(want) {
		t.Errorf("indicators by position: %s", got)
	}
}

// The counters the database keeps (migration 00017) give, for every kind
// of account, what reading every incident and indicator gives, through
// reports, moves, changes of marking (to RED and back), positions set and
// superseded, and indicators added before and after reporting.
func TestStatsCountersAreTheScan(t *testing.T) {
	f := newFix(t)
	if err := f.s.SeedDemoIncidents(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SeedBulk(f.ctx, BulkInput{Incidents: 120}); err != nil {
		t.Fatal(err)
	}
	pending, _, err := f.s.core.CreateUser(f.ctx, f.u["admin"], app.UserInput{Email: "pending@parley.example",
		Name: "Pending", SideID: f.u["cn.head"].SideID, Role: app.RoleDelegate, Password: "quiet harbour lantern 42"})
	if err != nil {
		t.Fatal(err)
	}
	accounts := map[string]*app.User{"pending": pending}
	for k, u := range f.u {
		accounts[k] = u
	}
	compare := func(step string) {
		t.Helper()
		for who, u := range accounts {
			u, err := f.s.core.GetUser(f.ctx, app.System, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.s.st.stats(f.ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			want, err := f.s.st.statsScan(f.ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(*got) != fmt.Sprint(*want) {
				t.Errorf("%s, %s:\ncounters %+v\nscan     %+v", step, who, *got, *want)
			}
		}
	}
	compare("the demo and bulk incidents")

	cnDel, usDel, cnHead := f.u["cn.delegate"], f.u["us.delegate"], f.u["cn.head"]
	// A draft with indicators, then reported: its indicators count from then on.
	d, err := f.s.Create(f.ctx, cnDel, f.input("Draft with indicators", TLPAmber))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddIndicators(f.ctx, cnDel, d.ID, d.Version, "192.0.2.1\n192.0.2.2\n192.0.2.3", RoleSource, true); err != nil {
		t.Fatal(err)
	}
	compare("a draft with indicators")
	d, _ = f.s.Get(f.ctx, cnDel, d.PublicID)
	if err := f.s.Report(f.ctx, cnDel, d.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	compare("reported")
	// Positions set, then changed.
	list, err := f.s.Indicators(f.ctx, usDel, d.ID, IndicatorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range list.Items {
		kind := []PositionKind{PositionDisputed, PositionConfirmed, PositionUnknown}[i%3]
		if err := f.s.SetPosition(f.ctx, usDel, d.ID, PositionInput{Target: TargetIndicator, TargetID: r.ID, Kind: kind,
			Reason: "Because."}); err != nil {
			t.Fatal(err)
		}
	}
	list, _ = f.s.Indicators(f.ctx, usDel, d.ID, IndicatorFilter{})
	if err := f.s.SetPosition(f.ctx, usDel, d.ID, PositionInput{Target: TargetIndicator, TargetID: list.Items[0].ID,
		Kind: PositionInvestigating, Standing: list.Items[0].Positions[usDel.SideID].Token()}); err != nil {
		t.Fatal(err)
	}
	compare("positions")
	// More indicators after reporting; moves; RED with a recipient; back to AMBER.
	d, _ = f.s.Get(f.ctx, cnDel, d.PublicID)
	if _, err := f.s.AddIndicators(f.ctx, cnDel, d.ID, d.Version, "198.51.100.1", RoleTarget, true); err != nil {
		t.Fatal(err)
	}
	d, _ = f.s.Get(f.ctx, cnDel, d.PublicID)
	if err := f.s.Move(f.ctx, usDel, d.ID, d.Version, StatusAcknowledged); err != nil {
		t.Fatal(err)
	}
	compare("moved")
	d, _ = f.s.Get(f.ctx, cnDel, d.PublicID)
	if err := f.s.ChangeTLP(f.ctx, cnDel, d.ID, d.Version, TLPRed, ""); err != nil {
		t.Fatal(err)
	}
	compare("RED, no one named")
	d, _ = f.s.Get(f.ctx, cnDel, d.PublicID)
	if err := f.s.SetRecipients(f.ctx, cnDel, d.ID, d.Version, []int64{f.u["us.head"].ID, f.u["secretariat"].ID}); err != nil {
		t.Fatal(err)
	}
	compare("RED, named")
	d, _ = f.s.Get(f.ctx, cnDel, d.PublicID)
	if err := f.s.ChangeTLP(f.ctx, cnDel, d.ID, d.Version, TLPAmber, "Shared again."); err != nil {
		t.Fatal(err)
	}
	d, _ = f.s.Get(f.ctx, cnDel, d.PublicID)
	if err := f.s.Move(f.ctx, cnHead, d.ID, d.Version, StatusClosed); err != nil {
		t.Fatal(err)
	}
	compare("AMBER again, closed")
}
