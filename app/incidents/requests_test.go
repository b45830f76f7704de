package incidents

import (
	"testing"
	"time"

	"github.com/parley/parley/app"
)

// The US side asks for logs; the CN side answers; due dates are calendar
// dates in the asking side's capital, overdue from the midnight that ends
// them there; the other side neither answers its own question nor withdraws
// the other's; what the actor may not see is not on their dashboard.
func TestInformationRequests(t *testing.T) {
	f := newFix(t)
	inc := f.reported("Attacks on websites", TLPAmber)
	ask := func(who, due string) (*Request, error) {
		return f.s.Ask(f.ctx, f.u[who], inc.ID, "Please provide the server logs for the 54 addresses.", due)
	}
	if _, err := ask("us.head", "2013-07-09"); app.FieldErrors(err)["due"] != "incident.due_past" {
		t.Fatalf("a due date in the past: %v", err)
	}
	if _, err := ask("us.head", "next week"); app.FieldErrors(err)["due"] != "date.invalid" {
		t.Fatalf("not a date: %v", err)
	}
	if _, err := f.s.Ask(f.ctx, f.u["us.head"], inc.ID, " ", "2013-07-15"); app.FieldErrors(err)["question"] == "" {
		t.Fatalf("no question: %v", err)
	}
	for _, who := range []string{"us.observer", "secretariat"} {
		if _, err := ask(who, "2013-07-15"); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Fatalf("%s asks: %v", who, err)
		}
	}
	r, err := ask("us.delegate", "2013-07-15")
	if err != nil {
		t.Fatal(err)
	}
	if r.AskedSideID != inc.ReportingSideID || r.DueZone != "America/New_York" || r.DueDate != "2013-07-15" {
		t.Fatalf("the request: %+v", r)
	}
	// Due 15 July in Washington: on time at 23:59 there, overdue at midnight (12:00 on the 16th in Beijing).
	dc := app.LoadLocation("America/New_York")
	if r.Overdue(time.Date(2013, 7, 15, 23, 59, 0, 0, dc)) || !r.Overdue(time.Date(2013, 7, 16, 0, 0, 0, 0, dc)) {
		t.Fatal("overdue from the end of the due date in Washington, not before")
	}
	// On the CN dashboard, not on the US one.
	if got, _ := f.s.AwaitingAnswer(f.ctx, f.u["cn.observer"], 10); len(got) != 1 || got[0].ID != r.ID {
		t.Fatalf("the CN side awaits %+v", got)
	}
	if got, _ := f.s.AwaitingAnswer(f.ctx, f.u["us.head"], 10); len(got) != 0 {
		t.Fatalf("the US side awaits its own question: %+v", got)
	}
	wantCode(t, f.s.Answer(f.ctx, f.u["us.head"], inc.ID, r.ID, r.Version, "We answer ourselves"), app.EFORBIDDEN)
	wantCode(t, f.s.Withdraw(f.ctx, f.u["cn.head"], inc.ID, r.ID, r.Version), app.EFORBIDDEN)
	if err := f.s.Answer(f.ctx, f.u["cn.delegate"], inc.ID, r.ID, r.Version, " "); app.FieldErrors(err)["answer"] == "" {
		t.Fatalf("an empty answer: %v", err)
	}
	wantCode(t, f.s.Answer(f.ctx, f.u["cn.delegate"], inc.ID, r.ID, r.Version+1, "Logs attached."), app.ECONFLICT)
	if err := f.s.Answer(f.ctx, f.u["cn.delegate"], inc.ID, r.ID, r.Version, "Logs attached."); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.s.Withdraw(f.ctx, f.u["us.head"], inc.ID, r.ID, r.Version+1), app.EINVALID)
	reqs, err := f.s.Requests(f.ctx, f.u["secretariat"], inc.ID)
	if err != nil || len(reqs) != 1 || reqs[0].Status != RequestAnswered || reqs[0].Answer != "Logs attached." ||
		reqs[0].Overdue(time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("requests: %+v %v", reqs, err)
	}
	if got, _ := f.s.AwaitingAnswer(f.ctx, f.u["cn.head"], 10); len(got) != 0 {
		t.Fatalf("an answered request still awaits: %+v", got)
	}
	// A RED incident's request is on the dashboard of no one who may not see it.
	red := f.reported("Secret", TLPRed)
	if _, err := f.s.Ask(f.ctx, f.u["cn.head"], red.ID, "Anything?", "2013-07-20"); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.s.AwaitingAnswer(f.ctx, f.u["us.head"], 10); len(got) != 0 {
		t.Fatalf("the US head, not named, sees a request on a RED incident: %+v", got)
	}
}
