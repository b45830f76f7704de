package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
)

// HTTP tests for the rules of the first outside review: demoted authors and
// pending members write nothing, and no page or redirect carries a row id.

// ownAccountRoutes are the writes everyone may make on their own account.
// A calendar feed holds only meetings, which everyone signed in reads
// (app/meetings/feed.go): a pending member may make one too.
var ownAccountRoutes = map[string]bool{"POST /account": true, "POST /account/password": true, "POST /logout": true,
	"POST /account/calendar": true}

// Every POST route, as the US delegate — author of the demo amendment and of
// internal notes — made an observer while signed in: exactly what the US
// observer gets, and nothing changes.
func TestDemotedAuthorWalksEveryPostRoute(t *testing.T) {
	for _, row := range authzMatrix {
		if !strings.HasPrefix(row.route, "POST ") || ownAccountRoutes[row.route] {
			continue
		}
		t.Run(row.route+" "+row.what, func(t *testing.T) {
			ts := newTestServer(t)
			c := ts.as(azEmail("us.delegate"))
			demoted := row
			demoted.setup = func(t *testing.T, ts *testServer) {
				if row.setup != nil {
					row.setup(t, ts) // what the row needs done first, while the delegate still was one
				}
				u := azUser(ts, "us.delegate")
				if _, err := ts.svc.UpdateUser(context.Background(), azUser(ts, "us.head"), u.ID, u.Version,
					app.UserEdit{Email: u.Email, Name: u.Name, Role: app.RoleObserver}); err != nil {
					t.Fatal(err)
				}
			}
			want := row.want[2] // the US observer's column
			if want == oLogin {
				want = o404 // the row disabled the US observer; the demoted author is still signed in
			}
			runAuthzAs(t, ts, c, demoted, "us.delegate", func(got outcome) bool { return got == want }, string(want))
		})
	}
}

// Every POST route, as a US head account an administrator created and no US
// head has confirmed: refused, nothing changes, and what is internal to the
// United States is not even found.
func TestPendingMemberWalksEveryPostRoute(t *testing.T) {
	for _, row := range authzMatrix {
		if !strings.HasPrefix(row.route, "POST ") || ownAccountRoutes[row.route] {
			continue
		}
		t.Run(row.route+" "+row.what, func(t *testing.T) {
			ts := newTestServer(t)
			if _, _, err := ts.svc.CreateUser(context.Background(), azUser(ts, "admin"), app.UserInput{Email: azEmail("pending.head"),
				Name: "Pending Head", SideID: azSide(ts, "US").ID, Role: app.RoleHead, Password: app.DemoPassword}); err != nil {
				t.Fatal(err)
			}
			c := ts.as(azEmail("pending.head"))
			internal := strings.Contains(row.target, "usdraft") || strings.Contains(row.target, "us-note")
			ok := func(got outcome) bool {
				if internal {
					return got == o404
				}
				return got == o403 || got == o404 || got == o422 || got == o409
			}
			want := "a refusal"
			if internal {
				want = "404"
			}
			runAuthzAs(t, ts, c, row, "pending.head", ok, want)
		})
	}
}

// A pending member reads every page a member reads, and meets none of its
// delegation's internal text; after a head confirms it, it does.
func TestPendingMemberSeesNoInternalText(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	p, _, err := ts.svc.CreateUser(ctx, azUser(ts, "admin"), app.UserInput{Email: azEmail("pending.obs"), Name: "Pending Observer",
		SideID: azSide(ts, "US").ID, Role: app.RoleObserver, Password: app.DemoPassword})
	if err != nil {
		t.Fatal(err)
	}
	usDraft := azItem(ts, "usdraft")
	_, note := azComment(ts, "us-note")
	canaries := []string{usDraft.Title, note.Body}
	c := ts.as(azEmail("pending.obs"))
	crawl := func() string {
		var all strings.Builder
		for _, path := range []string{"/", "/agenda", "/agenda?status=draft", "/audit", "/agenda/" + usDraft.PublicID,
			"/agenda/" + azItem(ts, "contested").PublicID, "/agenda/" + azItem(ts, "contested").PublicID + "/history"} {
			all.WriteString(c.get(path).Body)
		}
		return all.String()
	}
	body := crawl()
	for _, canary := range canaries {
		if strings.Contains(body, canary) {
			t.Fatalf("a pending member reads %q", canary)
		}
	}
	if !strings.Contains(body, `id="pending-notice"`) {
		t.Fatal("the pending member is not told why")
	}
	// The US head sees the account waiting on the dashboard and confirms it.
	head := ts.as(azEmail("us.head"))
	dash := head.get("/").Body
	if !strings.Contains(dash, `id="pending-members"`) || !strings.Contains(dash, p.PublicID) {
		t.Fatal("the US head's dashboard does not show the pending account")
	}
	if cn := ts.as(azEmail("cn.head")).get("/").Body; strings.Contains(cn, p.PublicID) {
		t.Fatal("the CN head's dashboard shows the US pending account")
	}
	page := head.get("/admin/users/" + p.PublicID).Body
	if !strings.Contains(page, "/admin/users/"+p.PublicID+"/confirm") {
		t.Fatal("the US head is not offered the confirmation")
	}
	if adminPage := ts.as(azEmail("admin")).get("/admin/users/" + p.PublicID).Body; strings.Contains(adminPage, "/confirm") {
		t.Fatal("the administrator is offered the confirmation")
	}
	u := azUser(ts, "pending.obs")
	res := head.post("/admin/users/"+p.PublicID+"/confirm", map[string][]string{"version": {itoa(u.Version)}})
	wantRedirect(t, "confirm", res, "/admin/users/"+p.PublicID)
	body = crawl()
	for _, canary := range canaries {
		if !strings.Contains(body, canary) {
			t.Fatalf("the confirmed member does not read %q", canary)
		}
	}
}

// No page, form or redirect names a record by its row id.
func TestNoRowIDsInPagesOrRedirects(t *testing.T) {
	ts := newTestServer(t)
	agendaFirst(t, ts) // the informal meeting's agenda has lines, and its attendance list a name
	listFirst(t, ts)
	// A row id has at most 19 digits; an opaque identifier has 20 hex
	// digits, which may all be decimal ones (about once in 12,000).
	rowURL := regexp.MustCompile(`/(agenda|admin/users|admin/sides|agenda/categories|meetings|milestones|incidents)/\d{1,19}\b|amendments/\d{1,19}\b|comments/\d{1,19}\b|attendees/\d{1,19}\b|(requests|attachments)/\d{1,19}\b|#(comment|claim|indicator|request)-\d{1,19}\b|data-(item|meeting|slot|line|milestone|incident|claim|indicator|request|file)="\d{1,19}"|name="(slot|note)-\d{1,19}"`)
	rowValue := regexp.MustCompile(`<(option|input type="hidden" name="(category|side|item|aid|cid|id|of|line-\d+)"|input type="checkbox" name="(attended|recipient)")[^>]* value="\d{1,19}"`)
	for _, who := range azAccounts {
		c := ts.as(azEmail(who))
		paths := []string{"/", "/agenda", "/agenda/new", "/agenda/categories", "/audit", "/account", "/admin/users",
			"/admin/users/new", "/admin/sides"}
		for _, key := range []string{"adopted", "awaiting", "contested", "usdraft", "cndraft"} {
			it := azItem(ts, key)
			paths = append(paths, "/agenda/"+it.PublicID, "/agenda/"+it.PublicID+"/history", "/agenda/"+it.PublicID+"/revisions")
		}
		it, a := azAmendment(ts, "open")
		paths = append(paths, "/agenda/"+it.PublicID+"/amendments/"+a.PublicID)
		paths = append(paths, "/meetings", "/meetings?when=past", "/meetings/new", "/milestones")
		for _, key := range []string{"informal", "past"} {
			m := azMeeting(ts, key)
			for _, page := range []string{"", "/agenda", "/agenda/print", "/minutes", "/history"} {
				paths = append(paths, "/meetings/"+m.PublicID+page)
			}
		}
		paths = append(paths, "/incidents", "/incidents/new", "/incidents/stats")
		for _, key := range []string{"cn", "us", "usdraft", "cnred"} {
			inc := azIncident(ts, key)
			for _, page := range []string{"", "/positions", "/indicators", "/requests", "/attachments", "/history", "/edit"} {
				paths = append(paths, "/incidents/"+inc.PublicID+page)
			}
		}
		for _, path := range paths {
			res := c.get(path)
			if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s: status %d", who, path, res.StatusCode)
			}
			if m := rowURL.FindString(res.Body); m != "" {
				t.Errorf("%s %s: a row id in %q", who, path, m)
			}
			if m := rowValue.FindString(res.Body); m != "" {
				t.Errorf("%s %s: a row id in a form: %q", who, path, m)
			}
		}
	}
	// A comment's redirect names it by its identifier.
	c := ts.as(azEmail("cn.delegate"))
	it := azItem(ts, "contested")
	res := c.post("/agenda/"+it.PublicID+"/comments", map[string][]string{"visibility": {"internal"}, "body": {"Note."}})
	if loc := res.Header.Get("Location"); !regexp.MustCompile(`^/agenda/[0-9a-f]{20}#comment-[0-9a-f]{20}$`).MatchString(loc) {
		t.Fatalf("comment redirect %q", loc)
	}
	// So do a new meeting's and a meeting comment's.
	res = ts.as(azEmail("secretariat")).post("/meetings/new", meetingForm(nil)(azForm{ts: ts}))
	if loc := res.Header.Get("Location"); !regexp.MustCompile(`^/meetings/[0-9a-f]{20}$`).MatchString(loc) {
		t.Fatalf("new meeting redirect %q", loc)
	}
	res = c.post("/meetings/"+azMeeting(ts, "informal").PublicID+"/comments", map[string][]string{"visibility": {"internal"}, "body": {"Note."}})
	if loc := res.Header.Get("Location"); !regexp.MustCompile(`^/meetings/[0-9a-f]{20}#comment-[0-9a-f]{20}$`).MatchString(loc) {
		t.Fatalf("meeting comment redirect %q", loc)
	}
}

// Accepting an amendment the text has moved past is a conflict that says so
// and shows the amendment against the current text; nothing changes.
func TestStaleAmendmentConflictPage(t *testing.T) {
	ts := newTestServer(t)
	it, a := azAmendment(ts, "open")
	reviseFirst("contested")(t, ts)
	head := ts.as(azEmail("us.head"))
	page := head.get("/agenda/" + it.PublicID + "/amendments/" + a.PublicID).Body
	if strings.Contains(page, "/accept") || !strings.Contains(page, `data-stale="true"`) {
		t.Fatal("a stale amendment is offered for acceptance, or not marked stale")
	}
	before := auditState(ts)
	res := head.post("/agenda/"+it.PublicID+"/amendments/"+a.PublicID+"/accept", map[string][]string{"version": {itoa(a.Version)}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("status %d", res.StatusCode)
	}
	if !strings.Contains(res.Body, "written against an earlier revision") || !strings.Contains(res.Body, "(revised)") {
		t.Fatalf("the conflict page does not explain or show the current text:\n%s", res.Body)
	}
	if auditState(ts) != before {
		t.Fatal("the refused acceptance changed data")
	}
}

// The form's base revision is not believed: the server records the revision
// the amendment was written against.
func TestAmendmentBaseRevisionSetByServer(t *testing.T) {
	ts := newTestServer(t)
	it := azItem(ts, "contested")
	c := ts.as(azEmail("cn.delegate"))
	for _, forged := range []string{"-42", "999999", "0"} {
		res := c.post("/agenda/"+it.PublicID+"/amendments", map[string][]string{"title": {it.Title + " " + forged},
			"description": {it.Description}, "rationale": {"Forged base."}, "base_revision": {forged}})
		aid := ts.ahID(t, res, agenda.RefAmendment, "/agenda/"+it.PublicID+"/amendments/")
		_, a, err := ts.agenda.GetAmendment(context.Background(), azUser(ts, "cn.delegate"), it.ID, aid)
		if err != nil || a.BaseRevision != it.Revision {
			t.Fatalf("base_revision=%s recorded as %d (%v)", forged, a.BaseRevision, err)
		}
	}
}

// A megabyte-long title is refused and not sent back whole.
func TestOverlongInputIsNotEchoed(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as(azEmail("us.delegate"))
	huge := strings.Repeat("x", 1<<20)
	res := c.post("/agenda/new", map[string][]string{"title": {huge}, "description": {"d"},
		"category": {azCategory(ts, "Other").PublicID}, "duration": {"30"}, "language": {"en"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	if len(res.Body) > 64<<10 {
		t.Fatalf("the refusal is %d bytes long", len(res.Body))
	}
	if fieldError(res.Body, "title") == "" {
		t.Fatal("no message next to the title")
	}
	// Invalid UTF-8 and NUL are refused with a message, and not echoed raw.
	res = c.post("/agenda/new", map[string][]string{"title": {"bad\xff\x00"}, "description": {"d"},
		"category": {azCategory(ts, "Other").PublicID}, "duration": {"30"}, "language": {"en"}})
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(res.Body, "\xff") || strings.Contains(res.Body, "\x00") {
		t.Fatalf("status %d; raw bytes echoed: %v", res.StatusCode, strings.Contains(res.Body, "\xff"))
	}
}

// A long thread is shown a page at a time: the newest comments first, a link
// to earlier ones, a stable link to any comment; the other side's internal
// notes appear on no page, and naming one as a cursor shows nothing.
func TestThreadIsPaged(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	it := azItem(ts, "contested")
	ref := app.Ref{Kind: agenda.KindItem, ID: it.ID}
	var first, usNote *app.Comment
	for i := 0; i < 2*app.ThreadPageSize+10; i++ {
		cm, err := ts.svc.AddComment(ctx, azUser(ts, "cn.delegate"), ref, app.Shared, fmt.Sprintf("CN comment number %03d.", i))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = cm
		}
		if i%20 == 0 {
			if usNote, err = ts.svc.AddComment(ctx, azUser(ts, "us.delegate"), ref, app.Internal, fmt.Sprintf("US secret note %03d.", i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	cn := ts.as(azEmail("cn.head"))
	base := "/agenda/" + it.PublicID
	newest := cn.get(base).Body
	shown := regexp.MustCompile(`CN comment number (\d{3})\.`).FindAllStringSubmatch(newest, -1)
	if len(shown) != app.ThreadPageSize || shown[len(shown)-1][1] != fmt.Sprintf("%03d", 2*app.ThreadPageSize+9) {
		t.Fatalf("the first page shows %d comments, the last %v", len(shown), shown[len(shown)-1])
	}
	older := regexp.MustCompile(`href="(` + regexp.QuoteMeta(base) + `\?before=[0-9a-f]{20})#thread-title"`).FindStringSubmatch(newest)
	if older == nil {
		t.Fatal("no link to earlier comments")
	}
	prev := cn.get(older[1]).Body
	if got := regexp.MustCompile(`CN comment number (\d{3})\.`).FindAllStringSubmatch(prev, -1); len(got) != app.ThreadPageSize ||
		got[len(got)-1][1] != fmt.Sprintf("%03d", app.ThreadPageSize+9) || !strings.Contains(prev, "rel=\"next\"") {
		t.Fatalf("the earlier page: %d comments, ends at %v", len(got), got[len(got)-1])
	}
	stable := cn.get(base + "?comment=" + first.PublicID).Body
	if got := regexp.MustCompile(`CN comment number (\d{3})\.`).FindAllStringSubmatch(stable, -1); len(got) != app.ThreadPageSize || got[0][1] != "000" {
		t.Fatalf("the link to the first comment shows %d comments from %v", len(got), got[0])
	}
	for _, body := range []string{newest, prev, stable} {
		if strings.Contains(body, "US secret note") {
			t.Fatal("a US internal note on a CN page")
		}
	}
	// The other side's note as a cursor names no page; it shows no comment, and no error that would confirm it.
	for _, q := range []string{"?comment=", "?before="} {
		res := cn.get(base + q + usNote.PublicID)
		if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "CN comment number") {
			t.Fatalf("%s with the US note: status %d", q, res.StatusCode)
		}
	}
	// The US side sees its own notes in order.
	if us := ts.as(azEmail("us.delegate")).get(base).Body; !strings.Contains(us, "US secret note 100.") {
		t.Fatal("the US delegate misses their own newest note")
	}
}
