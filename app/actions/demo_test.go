package actions

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/app/meetings"
)

// The demo's actions are in the states the demo promises, and the US
// preparation task is the US side's alone.
func TestSeedDemoActions(t *testing.T) {
	ctx := context.Background()
	db, err := app.OpenDB(ctx, filepath.Join(t.TempDir(), "parley.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	core := app.NewService(db)
	now := time.Date(2013, 7, 10, 9, 0, 0, 0, time.UTC)
	core.Now = func() time.Time { return now }
	core.Argon = app.ArgonParams{Memory: 64, Time: 1, Threads: 1}
	ag := agenda.New(core)
	mt := meetings.New(core, ag)
	inc := incidents.New(core)
	s := New(core, ag, mt, inc)
	if seeded, err := s.SeedDemo(ctx, inc, mt); err != nil || !seeded {
		t.Fatalf("seeded %v: %v", seeded, err)
	}
	u, _ := core.DemoUsers(ctx)
	list, err := s.List(ctx, u["us.head"], Filter{})
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]Action{}
	for _, a := range list.Items {
		byTitle[a.Title] = a
	}
	contacts := byTitle["Exchange points of contact for incident notification"]
	if contacts.Status != StatusDone || !contacts.Joint || contacts.SourceType != SourceMeeting {
		t.Errorf("points of contact: %+v", contacts)
	}
	full, err := s.Get(ctx, u["us.head"], contacts.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	if full.PartOf(u["us.head"].SideID).Status != StatusVerified || full.PartOf(u["cn.head"].SideID).Status != StatusDone {
		t.Errorf("points of contact's parts: %+v", full.Parts)
	}
	if !PermissionsOn(u["us.head"], full).Verify || PermissionsOn(u["cn.head"], full).Verify {
		t.Error("the Chinese part does not await US verification")
	}
	logs := byTitle["Provide server logs for the reported addresses"]
	if !logs.Overdue(now) || logs.SourceType != SourceRequest || logs.Owner() != u["us.head"].SideID {
		t.Errorf("server logs: overdue %v, %+v", logs.Overdue(now), logs)
	}
	if terms := byTitle["Circulate draft terms of reference for the working group"]; terms.Status != StatusInProgress {
		t.Errorf("terms of reference: %s", terms.Status)
	}
	if _, ok := byTitle["Prepare talking points on the theft of intellectual property"]; !ok {
		t.Error("the US head does not see the US preparation task")
	}
	cn, _ := s.List(ctx, u["cn.head"], Filter{})
	if cn.Total != list.Total-1 {
		t.Errorf("the Chinese head sees %d actions, the US head %d: the internal task is the only difference", cn.Total, list.Total)
	}
	if att, _ := s.Attention(ctx, u["us.head"]); att.Overdue != 1 || att.Verify != 1 {
		t.Errorf("US dashboard: %+v", att)
	}
}
