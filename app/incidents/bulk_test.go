package incidents

import (
	"testing"
)

// The bulk records are what the pages expect: drafts and RED incidents are
// seen only by whom they should be, the shared ones are found by search,
// and the Chinese report carries the indicators.
func TestSeedBulk(t *testing.T) {
	f := newFix(t)
	before, err := f.s.List(f.ctx, f.u["secretariat"], Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.SeedBulk(f.ctx, BulkInput{Incidents: 600, Indicators: 12000}); err != nil {
		t.Fatal(err)
	}
	sec, err := f.s.List(f.ctx, f.u["secretariat"], Filter{})
	if err != nil {
		t.Fatal(err)
	}
	// 600: 60 drafts, 30 RED (i%20 == 3, never a draft), 510 shared with everyone.
	if got := sec.Total - before.Total; got != 510 {
		t.Errorf("the secretariat sees %d more incidents, want 510", got)
	}
	// The drafts are the Chinese side's (every tenth incident, reported by the Chinese delegate).
	for who, want := range map[string]int64{"cn.head": 60, "us.head": 0} {
		drafts, err := f.s.List(f.ctx, f.u[who], Filter{Status: StatusDraft})
		if err != nil {
			t.Fatal(err)
		}
		if drafts.Total != want {
			t.Errorf("%s sees %d drafts, want %d", who, drafts.Total, want)
		}
	}
	found, err := f.s.List(f.ctx, f.u["secretariat"], Filter{Text: "Phishing"})
	if err != nil || found.Total == 0 {
		t.Errorf("search finds %v: %v", found, err)
	}
	cn, err := f.s.st.demoReport(f.ctx, f.u["cn.delegate"].SideID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := f.s.Indicators(f.ctx, f.u["cn.head"], cn, IndicatorFilter{})
	if err != nil || list.Total != MaxCounted || !list.Capped {
		t.Errorf("the Chinese report's indicators: %v, %d capped %v", err, list.Total, list.Capped)
	}
}
