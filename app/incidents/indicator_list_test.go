package incidents

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/app"
)

func TestBulkPasteOfIndicators(t *testing.T) {
	f := newFix(t)
	inc := f.reported("Scanning", TLPGreen)
	paste := "192.0.2.1\n198.51.100[.]7\nnot an indicator\n192.0.2.1\nexample[.]com\n"
	// All or nothing: an invalid line saves nothing.
	res, err := f.s.AddIndicators(f.ctx, f.u["cn.delegate"], inc.ID, inc.Version, paste, RoleSource, true)
	if err != nil || res.Saved || len(res.Lines) != 5 || res.Lines[2].Outcome != OutcomeInvalid {
		t.Fatalf("all or nothing: %+v %v", res, err)
	}
	list, _ := f.s.Indicators(f.ctx, f.u["cn.head"], inc.ID, IndicatorFilter{})
	if list.Total != 0 {
		t.Fatalf("all or nothing saved %d", list.Total)
	}
	// Otherwise the valid lines are saved in one go.
	res, err = f.s.AddIndicators(f.ctx, f.u["cn.delegate"], inc.ID, inc.Version, paste, RoleSource, false)
	if err != nil || !res.Saved || res.Added != 3 {
		t.Fatalf("paste: %+v %v", res, err)
	}
	outcomes := ""
	for _, l := range res.Lines {
		outcomes += string(l.Outcome) + " "
	}
	if outcomes != "added added invalid duplicate added " {
		t.Fatalf("outcomes: %s", outcomes)
	}
	// A second paste finds them on the incident; a stale page conflicts.
	if _, err := f.s.AddIndicators(f.ctx, f.u["cn.delegate"], inc.ID, inc.Version, "192.0.2.1", RoleSource, false); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("a paste on a stale page: %v", err)
	}
	cur, _ := f.s.Get(f.ctx, f.u["cn.head"], inc.PublicID)
	res, err = f.s.AddIndicators(f.ctx, f.u["cn.head"], inc.ID, cur.Version, "192.0.2.1\n203.0.113.5", RoleTarget, false)
	if err != nil || res.Added != 1 || res.Lines[0].Outcome != OutcomeDuplicate || res.Lines[0].Reason != "indicator.duplicate_on_incident" {
		t.Fatalf("second paste: %+v %v", res, err)
	}
	// The other side adds none; bad role or an empty paste is refused at the field.
	cur, _ = f.s.Get(f.ctx, f.u["us.head"], inc.PublicID)
	if _, err := f.s.AddIndicators(f.ctx, f.u["us.head"], inc.ID, cur.Version, "192.0.2.9", RoleSource, false); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("the US adds to the CN report: %v", err)
	}
	if _, err := f.s.AddIndicators(f.ctx, f.u["cn.head"], inc.ID, cur.Version, "\n# nothing\n", "C2", false); app.FieldErrors(err)["role"] == "" ||
		app.FieldErrors(err)["lines"] == "" {
		t.Fatalf("an empty paste with no role: %v", err)
	}
	// The list: by type, with each side's position, defanged.
	list, err = f.s.Indicators(f.ctx, f.u["us.observer"], inc.ID, IndicatorFilter{Type: TypeIPv4})
	if err != nil || list.Total != 3 || len(list.Items) != 3 || list.Items[0].Defanged() != "192[.]0[.]2[.]1" {
		t.Fatalf("IPv4 list: %+v %v", list, err)
	}
	first := list.Items[0]
	if err := f.s.SetPosition(f.ctx, f.u["us.delegate"], inc.ID, PositionInput{Target: TargetIndicator, TargetID: first.ID,
		Kind: PositionDisputed, Reason: "A documentation address."}); err != nil {
		t.Fatal(err)
	}
	list, _ = f.s.Indicators(f.ctx, f.u["cn.observer"], inc.ID, IndicatorFilter{Type: TypeIPv4})
	if p := list.Items[0].Positions[f.u["us.head"].SideID]; p == nil || p.Kind != PositionDisputed {
		t.Fatalf("the US position on the indicator: %+v", list.Items[0].Positions)
	}
}

// The same indicator in another incident is marked only if the viewer may
// see that incident.
func TestIndicatorsElsewhereRespectVisibility(t *testing.T) {
	f := newFix(t)
	a, red := f.reported("First", TLPGreen), f.reported("Secret", TLPRed)
	for _, inc := range []*Incident{a, red} {
		if _, err := f.s.AddIndicators(f.ctx, f.u["cn.delegate"], inc.ID, inc.Version, "198.51.100.23", RoleSource, false); err != nil {
			t.Fatal(err)
		}
	}
	seen := func(who string) []string {
		list, err := f.s.Indicators(f.ctx, f.u[who], a.ID, IndicatorFilter{})
		if err != nil || len(list.Items) != 1 {
			t.Fatalf("%s: %+v %v", who, list, err)
		}
		return list.Items[0].Elsewhere
	}
	if got := seen("cn.observer"); len(got) != 1 || got[0] != red.PublicID {
		t.Fatalf("the CN side sees it elsewhere in %v", got)
	}
	if got := seen("us.head"); len(got) != 0 {
		t.Fatalf("the US head, not named, learns of the RED incident: %v", got)
	}
}

// The indicator list costs the same statements with 10 and 10,000 indicators.
func TestIndicatorListQueryCountIsConstant(t *testing.T) {
	f := newFix(t)
	inc := f.reported("Many indicators", TLPGreen)
	count := func() int64 {
		db := f.s.core.DB()
		before := db.QueryCount()
		list, err := f.s.Indicators(f.ctx, f.u["us.head"], inc.ID, IndicatorFilter{Page: app.Page{Number: 2, Size: 50}})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) == 0 {
			t.Fatal("an empty page")
		}
		return db.QueryCount() - before
	}
	paste := func(from, n int) {
		var b strings.Builder
		for i := from; i < from+n; i++ {
			fmt.Fprintf(&b, "10.%d.%d.%d\n", i/65536, (i/256)%256, i%256)
		}
		cur, _ := f.s.Get(f.ctx, f.u["cn.head"], inc.PublicID)
		if _, err := f.s.AddIndicators(f.ctx, f.u["cn.delegate"], inc.ID, cur.Version, b.String(), RoleSource, false); err != nil {
			t.Fatal(err)
		}
	}
	paste(0, 60)
	small := count()
	paste(60, MaxBulkLines)
	large := count()
	list, _ := f.s.Indicators(f.ctx, f.u["us.head"], inc.ID, IndicatorFilter{})
	if small != large || small > 5 || list.Total != MaxCounted || !list.Capped {
		t.Fatalf("statements: %d with 60 indicators, %d with 10,060 (total %d, capped %v)", small, large, list.Total, list.Capped)
	}
}

// The list filters by each side's position (or its absence) and searches
// the values, defanged forms and wildcards typed included.
func TestIndicatorFiltersAndSearch(t *testing.T) {
	f := newFix(t)
	inc := f.reported("Filters", TLPGreen)
	if _, err := f.s.AddIndicators(f.ctx, f.u["cn.delegate"], inc.ID, inc.Version,
		"192.0.2.1\n192.0.2.2\nevil.example.com\nhttps://Example.org/file_100%25", RoleSource, false); err != nil {
		t.Fatal(err)
	}
	all, _ := f.s.Indicators(f.ctx, f.u["us.head"], inc.ID, IndicatorFilter{})
	us := f.u["us.head"].SideID
	if err := f.s.SetPosition(f.ctx, f.u["us.head"], inc.ID, PositionInput{Target: TargetIndicator, TargetID: all.Items[0].ID,
		Kind: PositionConfirmed}); err != nil {
		t.Fatal(err)
	}
	count := func(flt IndicatorFilter) int64 {
		t.Helper()
		l, err := f.s.Indicators(f.ctx, f.u["us.observer"], inc.ID, flt)
		if err != nil {
			t.Fatal(err)
		}
		return l.Total
	}
	for name, c := range map[string]struct {
		flt  IndicatorFilter
		want int64
	}{
		"confirmed by the US": {IndicatorFilter{Side: us, Position: PositionConfirmed}, 1},
		"no US position":      {IndicatorFilter{Side: us, Position: PositionNone}, 3},
		"disputed by the US":  {IndicatorFilter{Side: us, Position: PositionDisputed}, 0},
		"a part of a value":   {IndicatorFilter{Text: "0.2"}, 2},
		"defanged, any case":  {IndicatorFilter{Text: "EVIL[.]example"}, 1},
		"wildcards as typed":  {IndicatorFilter{Text: "_100%"}, 1},
		"a wildcard alone":    {IndicatorFilter{Text: "_"}, 1},
	} {
		if got := count(c.flt); got != c.want {
			t.Errorf("%s: %d, want %d", name, got, c.want)
		}
	}
	if _, err := f.s.Indicators(f.ctx, f.u["us.observer"], inc.ID, IndicatorFilter{Side: us, Position: "maybe"}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("an unknown position: %v", err)
	}
}

// A paste's times seen apply to each of its lines, in the zone given; a
// line's comment becomes its note; times out of order or to come are
// refused next to their field and nothing is saved.
func TestPasteTimesSeenAndNotes(t *testing.T) {
	f := newFix(t)
	inc := f.reported("Scans", TLPGreen)
	cur := func() *Incident { i, _ := f.s.Get(f.ctx, f.u["cn.delegate"], inc.PublicID); return i }
	res, err := f.s.Paste(f.ctx, f.u["cn.delegate"], inc.ID, cur().Version, Paste{Text: "192.0.2.1 # from the web server's log\n192.0.2.2",
		Role: RoleSource, FirstSeen: "2013-05-01T10:00", LastSeen: "2013-05-02T10:00", Zone: "Asia/Shanghai"})
	if err != nil || res.Added != 2 {
		t.Fatalf("paste: %v %+v", err, res)
	}
	list, err := f.s.Indicators(f.ctx, f.u["us.head"], inc.ID, IndicatorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list.Items {
		if r.FirstSeen == nil || !r.FirstSeen.Equal(time.Date(2013, 5, 1, 2, 0, 0, 0, time.UTC)) ||
			r.LastSeen == nil || !r.LastSeen.Equal(time.Date(2013, 5, 2, 2, 0, 0, 0, time.UTC)) {
			t.Errorf("%s seen %v – %v", r.Value, r.FirstSeen, r.LastSeen)
		}
		if want := map[string]string{"192.0.2.1": "from the web server's log", "192.0.2.2": ""}[r.Value]; r.Note != want {
			t.Errorf("%s note %q, want %q", r.Value, r.Note, want)
		}
	}
	for _, c := range []struct {
		p     Paste
		field string
	}{
		{Paste{Text: "192.0.2.3", Role: RoleSource, FirstSeen: "2013-05-02T10:00", LastSeen: "2013-05-01T10:00", Zone: "UTC"}, "last_seen"},
		{Paste{Text: "192.0.2.3", Role: RoleSource, FirstSeen: "2014-01-01T10:00", Zone: "UTC"}, "first_seen"},
		{Paste{Text: "192.0.2.3", Role: RoleSource, FirstSeen: "2013-05-01T10:00", Zone: "Mars/Olympus"}, "seen_zone"},
	} {
		_, err := f.s.Paste(f.ctx, f.u["cn.delegate"], inc.ID, cur().Version, c.p)
		if fe := app.FieldErrors(err); fe[c.field] == "" {
			t.Errorf("%+v: %v, want a message next to %s", c.p, err, c.field)
		}
	}
	if list, _ := f.s.Indicators(f.ctx, f.u["us.head"], inc.ID, IndicatorFilter{}); list.Total != 2 {
		t.Errorf("a refused paste saved indicators: %d", list.Total)
	}
}
