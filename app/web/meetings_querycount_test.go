package web

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/meetings"
)

// Every meeting page runs a fixed number of statements, at most 8 with the
// session and the page frame, however many slots, answers, notes, lines,
// attendees and meetings there are.
func TestMeetingPagesQueryCountIsConstant(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	db := ts.svc.DB()
	list, _, err := ts.meet.List(ctx, app.System, meetings.Filter{})
	if err != nil || len(list.Items) == 0 {
		t.Fatalf("demo meetings: %v, %d", err, len(list.Items))
	}
	informal := list.Items[0]
	past, _, err := ts.meet.List(ctx, app.System, meetings.Filter{When: "past"})
	if err != nil || len(past.Items) == 0 {
		t.Fatalf("past demo meeting: %v", err)
	}
	held := past.Items[0]
	pages := []string{"/", "/meetings", "/meetings?when=past", "/milestones",
		"/meetings/" + informal.PublicID, "/meetings/" + informal.PublicID + "/agenda",
		"/meetings/" + informal.PublicID + "/history", "/meetings/" + held.PublicID + "/minutes",
		"/meetings/" + held.PublicID + "/agenda", "/meetings/" + held.PublicID + "/agenda/print",
		"/meetings/" + held.PublicID + "/calendar.ics"}
	accounts := []string{"us.head", "cn.delegate", "secretariat", "us.observer"}
	// A thread with a comment, a line on the agenda: the pages' shape with content.
	if _, err := ts.svc.AddComment(ctx, azUser(ts, "us.head"), meetings.Ref(&informal), app.Shared, "first"); err != nil {
		t.Fatal(err)
	}
	if err := ts.meet.AddLine(ctx, azUser(ts, "secretariat"), informal.ID, informal.Version,
		meetings.LineInput{Procedure: "opening", DurationMinutes: 10}); err != nil {
		t.Fatal(err)
	}
	count := func() map[string]int64 {
		out := map[string]int64{}
		for _, who := range accounts {
			c := ts.as(who + "@parley.example")
			c.get("/") // warm up
			for _, path := range pages {
				before := db.QueryCount()
				res := c.get(path)
				n := db.QueryCount() - before
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s GET %s: status %d", who, path, res.StatusCode)
				}
				if n > 8 {
					t.Errorf("%s GET %s ran %d statements, more than 8", who, path, n)
				}
				out[who+" "+path] = n
			}
		}
		return out
	}
	small := count()

	// Many more of everything.
	sec := azUser(ts, "secretariat")
	for i := 0; i < 20; i++ {
		start := ts.clock.t.Add(time.Duration(48+i) * time.Hour).In(time.UTC).Format("2006-01-02T15:04")
		if _, err := ts.meet.AddSlot(ctx, sec, informal.ID, start, "UTC"); err != nil {
			t.Fatal(err)
		}
	}
	view, err := ts.meet.MeetingView(ctx, sec, informal.PublicID, app.ThreadCursor{})
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"us.head", "us.delegate", "cn.head", "cn.delegate"} {
		u := azUser(ts, who)
		var in []meetings.AnswerInput
		for _, s := range view.Slots {
			in = append(in, meetings.AnswerInput{SlotID: s.ID, Answer: meetings.Yes, Note: "note of " + who})
		}
		if err := ts.meet.Answer(ctx, u, informal.ID, in); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 30; i++ {
			vis := app.Internal
			if i%2 == 0 {
				vis = app.Shared
			}
			if _, err := ts.svc.AddComment(ctx, u, meetings.Ref(&informal), vis, fmt.Sprintf("comment %d of %s", i, who)); err != nil {
				t.Fatal(err)
			}
		}
		if err := ts.meet.AddAttendee(ctx, u, informal.ID, u.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 10; i++ {
		m, err := ts.meet.Get(ctx, sec, informal.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := ts.meet.AddLine(ctx, sec, informal.ID, m.Version, meetings.LineInput{Procedure: "aob", DurationMinutes: 5}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 30; i++ {
		if _, err := ts.meet.Create(ctx, sec, meetings.MeetingInput{Kind: "experts", TitleEN: fmt.Sprintf("Experts %d", i),
			TitleZH: fmt.Sprintf("专家会议 %d", i), Format: meetings.InPerson, Venue: "Geneva", Zone: "Europe/Zurich",
			DurationMinutes: 60}); err != nil {
			t.Fatal(err)
		}
	}
	large := count()
	for k, n := range small {
		if large[k] != n {
			t.Errorf("%s: %d statements with the demo, %d with many more records", k, n, large[k])
		}
	}
}
