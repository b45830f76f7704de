package incidents

import (
	"strings"
	"testing"

	"github.com/parley/parley/app"
)

// The demo incidents load, each side sees what it should, and no internal
// note crosses to the other side or the secretariat.
func TestSeedDemoIncidents(t *testing.T) {
	f := newFix(t)
	if err := f.s.SeedDemoIncidents(f.ctx); err != nil {
		t.Fatal(err)
	}
	for who, want := range map[string]int64{"us.head": 2, "cn.observer": 2, "secretariat": 2} {
		l, err := f.s.List(f.ctx, f.u[who], Filter{})
		if err != nil || l.Total != want {
			t.Fatalf("%s lists %d incidents (%v)", who, l.Total, err)
		}
		for _, inc := range l.Items {
			cs, err := f.s.core.Comments(f.ctx, f.u[who], app.Ref{Kind: KindIncident, ID: inc.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				if c.Visibility == app.Internal && c.SideID != f.u[who].SideID {
					t.Errorf("%s reads another side's note on %q", who, inc.Title)
				}
			}
			ind, _ := f.s.Indicators(f.ctx, f.u[who], inc.ID, IndicatorFilter{})
			if ind.Total < 9 {
				t.Errorf("%q has %d indicators", inc.Title, ind.Total)
			}
		}
	}
	l, _ := f.s.List(f.ctx, f.u["us.head"], Filter{Category: CategoryDefacement})
	if files, err := f.s.Attachments(f.ctx, f.u["us.head"], l.Items[0].ID); err != nil || len(files) != 1 || files[0].MediaType != "text/plain" {
		t.Fatalf("the evidence file: %+v %v", files, err)
	}
	cnAwaits, _ := f.s.AwaitingAnswer(f.ctx, f.u["cn.head"], 10)
	usAwaits, _ := f.s.AwaitingAnswer(f.ctx, f.u["us.head"], 10)
	if len(cnAwaits) != 1 || len(usAwaits) != 1 || !strings.Contains(cnAwaits[0].Question, "54") {
		t.Fatalf("requests awaiting: CN %+v, US %+v", cnAwaits, usAwaits)
	}
}
