package incidents

import (
	"fmt"
	"testing"
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
