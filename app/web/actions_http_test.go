package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/parley/parley/app/actions"
	"github.com/parley/parley/app/meetings"
)

var reActionRef = regexp.MustCompile(`^/actions/([0-9a-f]{20})$`)

// The secretariat creates an action from an incident, for the United
// States; the US marks it done; the US head cannot verify it; the Chinese
// head does; both dashboards follow.
func TestActionDoneAndVerifiedOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	inc := azIncident(ts, "cn")
	sec := ts.as(azEmail("secretariat"))
	form := sec.get("/actions/new?source=incident:" + inc.PublicID)
	wantStatus(t, "new action from an incident", form, http.StatusOK)
	if !strings.Contains(form.Body, `value="incident:`+inc.PublicID+`"`) || !strings.Contains(form.Body, inc.Title) {
		t.Fatal("the form does not carry its source")
	}
	// Bad input: refused next to the field, kept, nothing made.
	res := sec.post("/actions/new", url.Values{"title": {"Share the logs"}, "language": {"en"}, "owner": {"US"},
		"assignee": {azUser(ts, "cn.delegate").PublicID}, "due": {"2013-07-30"}, "source": {"incident:" + inc.PublicID}})
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "assignee") == "" ||
		!strings.Contains(res.Body, "Share the logs") {
		t.Fatalf("an assignee from the wrong side: status %d, %q", res.StatusCode, fieldError(res.Body, "assignee"))
	}
	res = sec.post("/actions/new", url.Values{"title": {"Share the logs"}, "language": {"en"}, "owner": {"US"},
		"due": {"30/07/2013"}, "source": {"incident:" + inc.PublicID}})
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "due") == "" {
		t.Fatalf("a due date that is not a date: status %d", res.StatusCode)
	}
	res = sec.post("/actions/new", url.Values{"title": {"Share the logs"}, "language": {"en"}, "owner": {"US"},
		"due": {"2013-07-30"}, "source": {"incident:" + azNoSuchRef}})
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "source") == "" {
		t.Fatalf("an unknown source: status %d", res.StatusCode)
	}
	res = sec.post("/actions/new", url.Values{"title": {"Share the logs"}, "language": {"en"}, "owner": {"US"},
		"assignee": {azUser(ts, "us.delegate").PublicID}, "due": {"2013-07-30"}, "source": {"incident:" + inc.PublicID}})
	wantRedirect(t, "create", res, "/actions/")
	m := reActionRef.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("redirect %q", res.Header.Get("Location"))
	}
	base := "/actions/" + m[1]
	page := sec.get(base).Body
	if !strings.Contains(page, `data-status="open"`) || !strings.Contains(page, `data-due="2013-07-30"`) ||
		!strings.Contains(page, "/incidents/"+inc.PublicID) {
		t.Fatal("the action's page lacks its status, due date or source")
	}
	version := func() string {
		a, err := ts.act.Get(context.Background(), azUser(ts, "secretariat"), m[1])
		if err != nil {
			t.Fatal(err)
		}
		return itoa(a.Version)
	}
	usDel := ts.as(azEmail("us.delegate"))
	res = usDel.post(base+"/done", url.Values{"version": {version()}, "note": {"Logs shared on the secure channel."}})
	wantRedirect(t, "done", res, base)
	usHead := ts.as(azEmail("us.head"))
	if body := usHead.get(base).Body; strings.Contains(body, `action="`+base+`/verify"`) {
		t.Error("the US head is offered to verify the US's own work")
	}
	res = usHead.post(base+"/verify", url.Values{"version": {version()}})
	wantStatus(t, "the US head verifies its own side's work", res, http.StatusForbidden)
	cnHead := ts.as(azEmail("cn.head"))
	before := countOf(cnHead.get("/").Body, "verify")
	if !strings.Contains(cnHead.get(base).Body, `action="`+base+`/verify"`) {
		t.Fatal("the Chinese head is not offered to verify")
	}
	res = cnHead.post(base+"/verify", url.Values{"version": {version()}})
	wantRedirect(t, "verify", res, base)
	if after := countOf(cnHead.get("/").Body, "verify"); after != before-1 {
		t.Errorf("the Chinese dashboard's verification count went from %d to %d", before, after)
	}
	if body := sec.get(base).Body; !strings.Contains(body, `data-status="verified"`) {
		t.Error("not verified")
	}
	hist := cnHead.get(base + "/history").Body
	for _, want := range []string{"Logs shared on the secure channel.", "行动已创建"} {
		if !strings.Contains(hist, want) {
			t.Errorf("the history lacks %q", want)
		}
	}
}

// countOf reads a dashboard count ("overdue", "verify"): 0 when absent.
func countOf(body, which string) int {
	m := regexp.MustCompile(`data-count="` + which + `"><a [^>]*>(\d+)`).FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

// The list's views and the CSV export; a US preparation task reaches no
// one else, in any view, count or export.
func TestActionViewsAndExportOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	prep := azAction(ts, "usprep")
	for _, who := range azAccounts {
		c := ts.as(azEmail(who))
		var all strings.Builder
		for _, v := range actions.Views {
			res := c.get("/actions?view=" + v)
			wantStatus(t, who+" view "+v, res, http.StatusOK)
			all.WriteString(res.Body)
			all.WriteString(c.get("/actions.csv?view=" + v).Body)
		}
		all.WriteString(c.get("/").Body)
		reads := strings.Contains(all.String(), prep.Title)
		if us := strings.HasPrefix(who, "us."); reads != us {
			t.Errorf("%s reads the US preparation task: %v", who, reads)
		}
	}
	c := ts.as(azEmail("us.head"))
	rows := func(view string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<tr data-action="[0-9a-f]{20}" data-status="\w+">\s*<td><a [^>]*>([^<]*)</a>`).
			FindAllStringSubmatch(c.get("/actions?view="+view).Body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	if got := rows("overdue"); len(got) != 1 || got[0] != "Provide server logs for the reported addresses" {
		t.Errorf("overdue for the US head: %v", got)
	}
	if got := rows("verify"); len(got) != 1 || got[0] != "Exchange points of contact for incident notification" {
		t.Errorf("awaiting US verification: %v", got)
	}
	dash := c.get("/").Body
	if countOf(dash, "overdue") != 1 || countOf(dash, "verify") != 1 {
		t.Errorf("the US dashboard counts %d overdue, %d to verify", countOf(dash, "overdue"), countOf(dash, "verify"))
	}
	res := c.get("/actions.csv?view=overdue")
	if !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
		t.Error("the export is not a download")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][7] != "yes" {
		t.Fatalf("overdue CSV: %v %v", err, recs)
	}
}

// A new due date: proposed by the US, agreed by the Chinese head, on the
// page in both capitals; the history keeps the earlier date.
func TestActionDueDateOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	a := azAction(ts, "logs")
	base := "/actions/" + a.PublicID
	usDel := ts.as(azEmail("us.delegate"))
	res := usDel.post(base+"/due-date", url.Values{"version": {itoa(a.Version)}, "due": {"2013-13-01"}})
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "due") == "" {
		t.Fatalf("a due date that is not a date: %d", res.StatusCode)
	}
	res = usDel.post(base+"/due-date", url.Values{"version": {itoa(a.Version)}, "due": {"2013-08-30"}})
	wantRedirect(t, "propose", res, base)
	cnHead := ts.as(azEmail("cn.head"))
	page := cnHead.get(base).Body
	if !strings.Contains(page, `id="proposed-due" data-due="2013-08-30"`) || !strings.Contains(page, base+"/agree-due") {
		t.Fatal("the Chinese head is not offered to agree")
	}
	rev := firstMatch(regexp.MustCompile(`name="revision" value="(\d+)"`), page)
	res = cnHead.post(base+"/agree-due", url.Values{"revision": {rev}})
	wantRedirect(t, "agree", res, base)
	page = ts.as(azEmail("us.head")).get(base).Body
	// Due 30 August in Washington: it ends at 04:00 UTC on the 31st, 12:00 in Beijing.
	if !strings.Contains(page, `data-due="2013-08-30"`) || !strings.Contains(page, "2013-08-31T04:00:00Z") {
		t.Error("the new date, or its end in both capitals, is not shown")
	}
	if hist := cnHead.get(base + "/history").Body; !strings.Contains(hist, "2013-08-30") || !strings.Contains(hist, a.DueDate) {
		t.Error("the history does not keep both dates")
	}
}

// The personal calendar feed carries the due dates of the actions its owner
// may see as all-day entries (VALUE=DATE), the same date in every zone,
// with a UID that stays and a SEQUENCE that rises with each date agreed.
func TestActionDueDatesInTheCalendarFeed(t *testing.T) {
	ts := newTestServer(t)
	logs, prep := azAction(ts, "logs"), azAction(ts, "usprep")
	feedOf := func(who string) string {
		c := ts.as(azEmail(who))
		wantLocation(t, "make the feed", c.post("/account/calendar", nil), "/account#calendar")
		return strings.TrimPrefix(firstMatch(mtReFeedURL, c.get("/account").Body), ts.http.URL)
	}
	dues := func(path string) map[string]*ics.VEvent {
		res := ts.client().get(path)
		cal, err := ics.ParseCalendar(strings.NewReader(res.Body))
		if err != nil {
			t.Fatalf("the feed: %v", err)
		}
		out := map[string]*ics.VEvent{}
		for _, e := range cal.Events() {
			if strings.HasSuffix(e.Id(), "-due@parley") {
				out[e.Id()] = e
			}
		}
		return out
	}
	us, cn := feedOf("us.head"), feedOf("cn.head")
	e := dues(us)[logs.PublicID+"-due@parley"]
	if e == nil {
		t.Fatal("the US head's feed lacks the logs' due date")
	}
	start := e.GetProperty(ics.ComponentPropertyDtStart)
	want := strings.ReplaceAll(logs.DueDate, "-", "")
	if start == nil || start.Value != want || len(start.ICalParameters["VALUE"]) != 1 || start.ICalParameters["VALUE"][0] != "DATE" {
		t.Fatalf("DTSTART %+v, want %s as a DATE", start, want)
	}
	if prop(e, ics.ComponentPropertySequence) != "0" {
		t.Errorf("SEQUENCE %q before any new date", prop(e, ics.ComponentPropertySequence))
	}
	if _, ok := dues(us)[prep.PublicID+"-due@parley"]; !ok {
		t.Error("the US head's feed lacks the US task")
	}
	cnDues := dues(cn)
	if _, ok := cnDues[prep.PublicID+"-due@parley"]; ok {
		t.Error("the Chinese head's feed carries the US's internal task")
	}
	if c := cnDues[logs.PublicID+"-due@parley"]; c == nil || c.GetProperty(ics.ComponentPropertyDtStart).Value != want {
		t.Error("the Chinese head's feed does not have the same date")
	}
	// A new date agreed: the same UID, the new date, SEQUENCE 1.
	if err := ts.act.ProposeDue(t.Context(), azUser(ts, "us.delegate"), logs.ID, logs.Version, "2013-08-30"); err != nil {
		t.Fatal(err)
	}
	cur := azAction(ts, "logs")
	if err := ts.act.AgreeDue(t.Context(), azUser(ts, "cn.head"), cur.ID, cur.Revision); err != nil {
		t.Fatal(err)
	}
	e = dues(us)[logs.PublicID+"-due@parley"]
	if e == nil || e.GetProperty(ics.ComponentPropertyDtStart).Value != "20130830" || prop(e, ics.ComponentPropertySequence) != "1" {
		t.Errorf("after the new date: %v", e)
	}
}

// A meeting's agenda can carry the review of open actions: its slot lists
// every open, done and overdue action the reader may see, with its owner
// and due date, within the page's statement budget.
func TestActionsReviewOnAMeetingAgenda(t *testing.T) {
	ts := newTestServer(t)
	m := azMeeting(ts, "informal")
	if err := ts.meet.AddLine(t.Context(), azUser(ts, "secretariat"), m.ID, m.Version,
		meetings.LineInput{Procedure: meetings.ProcedureActionsReview, DurationMinutes: 15}); err != nil {
		t.Fatal(err)
	}
	logs, contacts, prep := azAction(ts, "logs"), azAction(ts, "contacts"), azAction(ts, "usprep")
	for who, wantPrep := range map[string]bool{"us.head": true, "cn.head": false, "secretariat": false} {
		c := ts.as(azEmail(who))
		c.get("/")
		before := ts.svc.DB().QueryCount()
		res := c.get("/meetings/" + m.PublicID + "/agenda")
		if n := ts.svc.DB().QueryCount() - before; n > maxStatementsPerPage {
			t.Errorf("%s: the agenda with the review runs %d statements", who, n)
		}
		wantStatus(t, who+" agenda", res, http.StatusOK)
		review := firstMatch(regexp.MustCompile(`(?s)<ul class="review-actions">(.*?)</ul>`), res.Body)
		for _, a := range []*actions.Action{logs, contacts} {
			if !strings.Contains(review, a.PublicID) {
				t.Errorf("%s: the review does not list %q", who, a.Title)
			}
		}
		if strings.Contains(review, prep.PublicID) != wantPrep {
			t.Errorf("%s: the review lists the US task: %v", who, !wantPrep)
		}
		if !strings.Contains(review, `data-overdue="true"`) {
			t.Errorf("%s: the overdue action is not marked", who)
		}
	}
	if body := ts.as(azEmail("us.head")).get("/meetings/" + m.PublicID + "/agenda/print").Body; !strings.Contains(body, logs.PublicID) {
		t.Error("the printed agenda lacks the review")
	}
}

// A part marked done with a file: the file is typed by its content, a
// refused one refuses the step and keeps the note typed, and the evidence
// is served only as a download.
func TestActionEvidenceOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	a := azAction(ts, "logs")
	base := "/actions/" + a.PublicID
	usDel := ts.as(azEmail("us.delegate"))
	res := usDel.postFile(base+"/done", url.Values{"version": {itoa(a.Version)}, "note": {"Logs attached."}}, "logs.pdf",
		[]byte("<html><script>alert(1)</script></html>"))
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "file") == "" || !strings.Contains(res.Body, "Logs attached.") {
		t.Fatalf("HTML named .pdf: status %d, %q", res.StatusCode, fieldError(res.Body, "file"))
	}
	res = usDel.postFile(base+"/done", url.Values{"version": {itoa(a.Version)}, "note": {"Logs attached."}}, "logs.csv",
		[]byte("time,address\n2013-05-01T00:00:00Z,192.0.2.1\n"))
	wantRedirect(t, "done with evidence", res, base)
	page := ts.as(azEmail("cn.head")).get(base).Body
	ref := firstMatch(regexp.MustCompile(`/files/([0-9a-f]{20})" download`), page)
	if ref == "" {
		t.Fatal("the evidence is not listed")
	}
	dl := ts.as(azEmail("cn.head")).get(base + "/files/" + ref)
	wantStatus(t, "download", dl, http.StatusOK)
	if !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment;") || dl.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(dl.Body, "192.0.2.1") {
		t.Errorf("download %v %q", dl.Header, dl.Body)
	}
}
