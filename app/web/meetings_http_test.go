package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/meetings"
)

// Meetings over HTTP: creating one, the poll across the two capitals, who
// reads whose answers, confirming, calendar files and the personal feed,
// and a crawl of every meeting page by every account for what must not be
// there. The demo meetings are found with azMeeting (authz_test.go).

// ---- reading meeting pages -------------------------------------------------

var (
	mtReSlot     = regexp.MustCompile(`<li class="slot[^"]*" data-utc="([^"]+)" data-slot="([^"]+)"`)
	mtReZoneTime = regexp.MustCompile(`<span class="zone-name">([^<]*)</span>\s*<time datetime="([^"]*)">([^<]*)</time>`)
	mtReTime     = regexp.MustCompile(`<dd id="meeting-time">\s*<[a-z]+ data-utc="([^"]+)">`)
	mtReTally    = regexp.MustCompile(`<li data-side="([^"]*)"><strong>[^<]*</strong>:([^<]*)<`)
	mtReAnswer   = regexp.MustCompile(`<li data-answer="[a-z_]+">([^<(]*)\(([^)]*)\):`)
	mtReFeedURL  = regexp.MustCompile(`<input type="text" id="feed-url" readonly value="([^"]*)"`)
)

// mtSlot is one candidate time of a meeting page's poll.
type mtSlot struct {
	utc, id string
	html    string // the slot's part of the page
}

// mtSlots lists the poll's slots as the page shows them, in order.
func mtSlots(body string) []mtSlot {
	idx := mtReSlot.FindAllStringSubmatchIndex(body, -1)
	var out []mtSlot
	for i, m := range idx {
		end := len(body)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		} else if j := strings.Index(body[m[0]:], "</ol>"); j >= 0 {
			end = m[0] + j
		}
		out = append(out, mtSlot{utc: body[m[2]:m[3]], id: body[m[4]:m[5]], html: body[m[0]:end]})
	}
	return out
}

// mtSlotAt is the page's slot starting at the given UTC instant (RFC 3339).
func mtSlotAt(t *testing.T, body, utc string) mtSlot {
	t.Helper()
	for _, s := range mtSlots(body) {
		if s.utc == utc {
			return s
		}
	}
	t.Fatalf("no slot with data-utc=%q on the page (slots: %v)", utc, mtSlots(body))
	return mtSlot{}
}

// zoneTimes maps the zone labels of a slot to the times shown under them.
func (s mtSlot) zoneTimes(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range mtReZoneTime.FindAllStringSubmatch(s.html, -1) {
		if m[2] != s.utc {
			t.Errorf("slot %s: a time under %q is marked %s", s.utc, m[1], m[2])
		}
		out[html.UnescapeString(m[1])] = html.UnescapeString(m[3])
	}
	return out
}

// timeUnder is the time shown under the zone whose label starts with name.
func (s mtSlot) timeUnder(t *testing.T, name string) string {
	t.Helper()
	for label, when := range s.zoneTimes(t) {
		if strings.HasPrefix(label, name) {
			return when
		}
	}
	t.Errorf("slot %s shows no %q; it shows %v", s.utc, name, s.zoneTimes(t))
	return ""
}

// tallies maps the delegations' names to the totals the slot shows for them.
func (s mtSlot) tallies() map[string]string {
	out := map[string]string{}
	for _, m := range mtReTally.FindAllStringSubmatch(s.html, -1) {
		out[html.UnescapeString(m[1])] = strings.TrimSpace(html.UnescapeString(m[2]))
	}
	return out
}

// answerSides lists the sides named in the slot's individual answers.
func (s mtSlot) answerSides() []string {
	var out []string
	for _, m := range mtReAnswer.FindAllStringSubmatch(s.html, -1) {
		out = append(out, html.UnescapeString(m[2]))
	}
	return out
}

// mtMeetingTime is the data-utc of the meeting's confirmed time ("" if none).
func mtMeetingTime(body string) string { return firstMatch(mtReTime, body) }

// mtCount counts the rows of a table.
func mtCount(t *testing.T, ts *testServer, table string) int {
	t.Helper()
	var n int
	if err := ts.svc.DB().Reader().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantLocation checks a 303 to exactly the given address.
func wantLocation(t *testing.T, what string, res *response, loc string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != loc {
		t.Fatalf("%s: status %d, Location %q; want 303 to %s\n%s", what, res.StatusCode, res.Header.Get("Location"), loc,
			res.Body)
	}
}

// inChinese switches a signed-in account to Chinese (its own setting).
func inChinese(t *testing.T, ts *testServer, short string) *client {
	t.Helper()
	c := ts.as(azEmail(short))
	res := c.post("/account", url.Values{"version": {itoa(azUser(ts, short).Version)}, "language": {"zh"}, "time_zone": {""}})
	wantRedirect(t, short+" switches to Chinese", res, "/account")
	if lang := htmlLang(c.get("/meetings").Body); lang != "zh-Hans" {
		t.Fatalf("%s: pages in %q after switching to Chinese", short, lang)
	}
	return c
}

// mtCalendar parses a calendar file and returns its events.
func mtCalendar(t *testing.T, what string, res *response) []*ics.VEvent {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d\n%s", what, res.StatusCode, res.Body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(res.Body))
	if err != nil {
		t.Fatalf("%s: %v\n%s", what, err, res.Body)
	}
	var out []*ics.VEvent // the meetings: actions' due dates are their own test's
	for _, e := range cal.Events() {
		if !strings.HasSuffix(e.Id(), "-due@parley") {
			out = append(out, e)
		}
	}
	return out
}

// prop is an event's property value ("" if absent).
func prop(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

// eventByUID finds an event.
func eventByUID(events []*ics.VEvent, uid string) *ics.VEvent {
	for _, e := range events {
		if e.Id() == uid {
			return e
		}
	}
	return nil
}

// The demo informal meeting's video link, which no calendar file may carry.
const demoVideoLink = "https://video.parley.example/informal-2013"

// ---- creating a meeting ------------------------------------------------------

func TestMeetingCreateOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	next := azMilestone(ts, "Next Strategic Security Dialogue")
	last := azMilestone(ts, "Strategic Security Dialogue (last round)")
	good := func() url.Values {
		return url.Values{"title_en": {"Experts' meeting on incident response"}, "title_zh": {"事件响应专家会议"},
			"kind": {"experts"}, "duration": {"60"}, "format": {"video"}, "video_link": {"https://video.parley.example/experts?a=1&b=2"},
			"venue": {""}, "zone": {"Asia/Shanghai"}, "milestone": {next.PublicID}}
	}

	type lang struct {
		who       string
		c         *client
		hasErrors string
		msgs      map[string]string
	}
	langs := []lang{
		{"secretariat", ts.as(azEmail("secretariat")), "Please correct the marked fields. Nothing has been saved yet.",
			map[string]string{
				"required": "This field is required.", "long": "This is too long.",
				"duration": "The duration must be between 15 and 1,440 minutes.",
				"link":     "The video link must be an https:// address.",
				"kind":     "Choose a kind of meeting.", "format": "Choose in person or video.",
				"zone": "Choose a time zone from the list.", "milestone_past": "This milestone has passed.",
				"milestone": "Choose a milestone from the list."}},
		{"admin", inChinese(t, ts, "admin"), "请更正标出的字段。尚未保存任何内容。",
			map[string]string{
				"required": "此项为必填项。", "long": "内容过长。",
				"duration": "时长须在15至1440分钟之间。",
				"link":     "视频链接须为 https:// 地址。",
				"kind":     "请选择会议类型。", "format": "请选择现场或视频。",
				"zone": "请从列表中选择时区。", "milestone_past": "该节点已过。",
				"milestone": "请从列表中选择节点。"}},
	}
	cases := []struct {
		what, field, msg string
		change           func(url.Values)
	}{
		{"no English title", "title_en", "required", func(v url.Values) { v.Set("title_en", "  ") }},
		{"a 201-character Chinese title", "title_zh", "long", func(v url.Values) { v.Set("title_zh", strings.Repeat("会", 201)) }},
		{"5 minutes", "duration", "duration", func(v url.Values) { v.Set("duration", "5") }},
		{"duration abc", "duration", "duration", func(v url.Values) { v.Set("duration", "abc") }},
		{"an http:// video link", "video_link", "link", func(v url.Values) { v.Set("video_link", "http://video.parley.example/x") }},
		{"in person without a venue", "venue", "required", func(v url.Values) { v.Set("format", "in_person") }},
		{"an unknown kind", "kind", "kind", func(v url.Values) { v.Set("kind", "banquet") }},
		{"an unknown format", "format", "format", func(v url.Values) { v.Set("format", "hologram") }},
		{"an unknown zone", "zone", "zone", func(v url.Values) { v.Set("zone", "Mars/Olympus") }},
		{"a milestone that has passed", "milestone", "milestone_past", func(v url.Values) { v.Set("milestone", last.PublicID) }},
		{"no such milestone", "milestone", "milestone", func(v url.Values) { v.Set("milestone", azNoSuchRef) }},
	}
	fields := []string{"title_en", "title_zh", "kind", "format", "venue", "video_link", "zone", "duration", "milestone"}
	for _, l := range langs {
		wantStatus(t, l.who+" new meeting form", l.c.get("/meetings/new"), http.StatusOK)
		for _, tc := range cases {
			what := l.who + ", " + tc.what
			form := good()
			tc.change(form)
			beforeAudit, beforeCount := auditState(ts), mtCount(t, ts, "meetings")
			res := l.c.post("/meetings/new", form)
			if !wantRefusedAt(t, what, res, tc.field, l.msgs[tc.msg], fields, l.hasErrors) {
				continue
			}
			// What was typed is kept (an over-long title up to the limit).
			for _, f := range []string{"title_en", "title_zh", "duration", "venue", "video_link"} {
				if got, ok := ahInput(res.Body, f); !ok || got != app.ClipText(form.Get(f), meetings.MaxTitleLen) {
					t.Errorf("%s: %s holds %q, want what was typed, %q", what, f, got, form.Get(f))
				}
			}
			for _, f := range []string{"kind", "format", "zone", "milestone"} {
				want := form.Get(f)
				switch {
				case f == "kind" && want == "banquet", f == "format" && want == "hologram", f == "milestone" && want != next.PublicID:
					want = "" // no such option to select
				}
				if got := ahSelected(res.Body, f); got != want {
					t.Errorf("%s: %s selected %q, want %q", what, f, got, want)
				}
			}
			if mtCount(t, ts, "meetings") != beforeCount || auditState(ts) != beforeAudit {
				t.Errorf("%s: a refused meeting changed data", what)
			}
		}
	}

	// The form, as it should be: a meeting in planning, and its page.
	sec := langs[0].c
	res := sec.post("/meetings/new", good())
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/meetings/[0-9a-f]{20}$`).MatchString(loc) {
		t.Fatalf("create: status %d, Location %q\n%s", res.StatusCode, loc, res.Body)
	}
	id := ts.ahID(t, res, meetings.RefMeeting, "/meetings/")
	m, err := ts.meet.Get(ctx, azUser(ts, "secretariat"), id)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != meetings.StatusPlanning || m.Kind != "experts" || m.Format != meetings.Video || m.Zone != "Asia/Shanghai" ||
		m.DurationMinutes != 60 || m.MilestoneID == nil || *m.MilestoneID != next.ID || m.TitleZH != "事件响应专家会议" ||
		m.VideoLink != "https://video.parley.example/experts?a=1&b=2" || m.StartsAt != nil {
		t.Errorf("the new meeting is %+v", m)
	}
	page := sec.get(res.Header.Get("Location"))
	wantStatus(t, "the new meeting's page", page, http.StatusOK)
	if st := ahMainStatus(page.Body); st != "planning" {
		t.Errorf("the new meeting's page: data-status %q, want planning", st)
	}
	if !strings.Contains(page.Body, "Experts&#39; meeting on incident response") || !strings.Contains(page.Body, "Time not yet confirmed") {
		t.Errorf("the new meeting's page does not show its title and that it has no time yet")
	}
	if zh := ts.as(azEmail("cn.delegate")).get(res.Header.Get("Location")).Body; !strings.Contains(zh, "<h1>事件响应专家会议</h1>") ||
		!strings.Contains(zh, "时间尚未确定") {
		t.Errorf("the Chinese delegate does not see the Chinese title")
	}
	// Nobody else gets the form.
	for _, who := range []string{"us.head", "cn.delegate", "us.observer"} {
		wantStatus(t, who+" new meeting form", ts.as(azEmail(who)).get("/meetings/new"), http.StatusForbidden)
	}
}

// ---- the poll across the two capitals ---------------------------------------------

func TestMeetingSlotsShowBothCapitals(t *testing.T) {
	ts := newTestServer(t)
	m := azMeeting(ts, "informal")
	path := "/meetings/" + m.PublicID
	sec := ts.as(azEmail("secretariat"))

	// 08:00 on 20 August in Washington is 20:00 in Beijing; 21:00 on 21
	// August in Beijing is 09:00 in Washington.
	wantLocation(t, "a slot in Washington time", sec.post(path+"/slots",
		url.Values{"start": {"2013-08-20T08:00"}, "zone": {"America/New_York"}}), path+"#poll")
	wantLocation(t, "a slot in Beijing time", sec.post(path+"/slots",
		url.Values{"start": {"2013-08-21T21:00"}, "zone": {"Asia/Shanghai"}}), path+"#poll")
	if n := len(azSlots(ts, "informal")); n != 6 {
		t.Fatalf("the poll has %d slots, want the demo's 4 and 2 more", n)
	}

	for _, v := range []struct {
		who, washington, beijing string
		c                        *client
	}{
		{"us.delegate", "Washington time", "Beijing time", ts.as(azEmail("us.delegate"))},
		{"secretariat", "Washington time", "Beijing time", sec},
		{"cn.delegate", "华盛顿时间", "北京时间", ts.as(azEmail("cn.delegate"))}, // Chinese by default
	} {
		body := v.c.get(path).Body
		for _, want := range []struct{ utc, washington, beijing string }{
			{"2013-08-20T12:00:00Z", "08:00 – 09:30", "20:00 – 21:30"},
			{"2013-08-21T13:00:00Z", "09:00 – 10:30", "21:00 – 22:30"},
		} {
			s := mtSlotAt(t, body, want.utc)
			if !app.ValidPublicID(s.id) {
				t.Errorf("%s: slot %s is named %q", v.who, want.utc, s.id)
			}
			if got := s.timeUnder(t, v.washington); !strings.Contains(got, want.washington) {
				t.Errorf("%s: slot %s under %s shows %q, want %s", v.who, want.utc, v.washington, got, want.washington)
			}
			if got := s.timeUnder(t, v.beijing); !strings.Contains(got, want.beijing) {
				t.Errorf("%s: slot %s under %s shows %q, want %s", v.who, want.utc, v.beijing, got, want.beijing)
			}
		}
		// Every slot of the page is shown in both capitals.
		for _, s := range mtSlots(body) {
			s.timeUnder(t, v.washington)
			s.timeUnder(t, v.beijing)
		}
	}

	// Refused times: the message next to the field, what was typed kept, nothing saved.
	zh := inChinese(t, ts, "admin")
	for _, tc := range []struct {
		what, start, zone, field, en, zh string
	}{
		{"a time after the milestone", "2014-03-04T08:00", "America/New_York", "start",
			"The meeting would end after its milestone. Choose an earlier time.", "会议将在节点之后结束，请选择更早的时间。"},
		{"a time that has passed", "2013-07-09T08:00", "America/New_York", "start",
			"This time has passed. Choose a future time.", "该时间已过，请选择将来的时间。"},
		{"a time proposed already", "2013-08-20T20:00", "Asia/Shanghai", "start",
			"This time is already proposed.", "该时间已被提出。"},
		{"no time", "next Tuesday", "Asia/Shanghai", "start",
			"Enter a date and time as YYYY-MM-DD HH:MM.", "请按 YYYY-MM-DD HH:MM 格式填写日期和时间。"},
		{"an unknown zone", "2013-08-22T08:00", "Mars/Olympus", "zone",
			"Choose a time zone from the list.", "请从列表中选择时区。"},
	} {
		for _, l := range []struct {
			who, msg string
			c        *client
		}{{"secretariat", tc.en, sec}, {"admin", tc.zh, zh}} {
			what := l.who + ", " + tc.what
			before := auditState(ts)
			res := l.c.post(path+"/slots", url.Values{"start": {tc.start}, "zone": {tc.zone}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", what, res.StatusCode)
				continue
			}
			if got := fieldError(res.Body, tc.field); got != l.msg {
				t.Errorf("%s: message next to %s is %q, want %q", what, tc.field, got, l.msg)
			}
			if got, _ := ahInput(res.Body, "start"); got != tc.start {
				t.Errorf("%s: the start field holds %q, want %q", what, got, tc.start)
			}
			if got := ahSelected(res.Body, "zone"); got != tc.zone {
				t.Errorf("%s: the zone selected is %q, want %q", what, got, tc.zone)
			}
			if auditState(ts) != before || len(azSlots(ts, "informal")) != 6 {
				t.Errorf("%s: a refused slot changed data", what)
			}
		}
	}
}

func TestMeetingPollAnswersOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	m := azMeeting(ts, "informal")
	path := "/meetings/" + m.PublicID
	slots := azSlots(ts, "informal")
	const (
		note0    = "Only before noon: the Hill hearing (note Q7)."
		note1    = "Friday evenings are family time (note R2)."
		usSeeded = "Congressional hearing that week; mornings only."
		cnSeeded = "周六不便，但可以安排。"
	)

	// The US delegate answers the first and the last slots; the others
	// (an empty field) are left as the demo answered them.
	del := ts.as(azEmail("us.delegate"))
	res := del.post(path+"/answers", url.Values{
		"slot-" + slots[0].PublicID: {"no"}, "note-" + slots[0].PublicID: {note0},
		"slot-" + slots[3].PublicID: {"if_need_be"}, "note-" + slots[3].PublicID: {note1},
		"slot-" + slots[2].PublicID: {""}})
	wantLocation(t, "the US delegate's answers", res, path+"#poll")
	mine, err := ts.meet.MeetingView(t.Context(), azUser(ts, "us.delegate"), m.PublicID, app.ThreadCursor{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []meetings.Answer{meetings.No, meetings.No, meetings.IfNeedBe, meetings.IfNeedBe} {
		if got := mine.Slots[i].Mine; got == nil || got.Answer != want {
			t.Errorf("slot %d: the US delegate's answer is %+v, want %s", i, got, want)
		}
	}

	us := ts.srv.msgs.For("en")
	zh := ts.srv.msgs.For("zh")
	for _, v := range []struct {
		who      string
		seesUS   bool // the US delegation's individual answers and notes
		seesCN   bool
		usName   string
		usTally  string // the US totals for the first and the last slots
		usTally3 string
	}{
		{who: "us.head", seesUS: true, usName: "United States delegation",
			usTally: us.T("meeting.tally", "Yes", 1, "Maybe", 0, "No", 1), usTally3: us.T("meeting.tally", "Yes", 1, "Maybe", 1, "No", 0)},
		{who: "us.observer", seesUS: true, usName: "United States delegation",
			usTally: us.T("meeting.tally", "Yes", 1, "Maybe", 0, "No", 1), usTally3: us.T("meeting.tally", "Yes", 1, "Maybe", 1, "No", 0)},
		{who: "secretariat", seesUS: true, seesCN: true, usName: "United States delegation",
			usTally: us.T("meeting.tally", "Yes", 1, "Maybe", 0, "No", 1), usTally3: us.T("meeting.tally", "Yes", 1, "Maybe", 1, "No", 0)},
		{who: "admin", seesUS: true, seesCN: true, usName: "United States delegation",
			usTally: us.T("meeting.tally", "Yes", 1, "Maybe", 0, "No", 1), usTally3: us.T("meeting.tally", "Yes", 1, "Maybe", 1, "No", 0)},
		{who: "cn.head", seesCN: true, usName: "美国代表团",
			usTally: zh.T("meeting.tally", "Yes", 1, "Maybe", 0, "No", 1), usTally3: zh.T("meeting.tally", "Yes", 1, "Maybe", 1, "No", 0)},
		{who: "cn.delegate", seesCN: true, usName: "美国代表团",
			usTally: zh.T("meeting.tally", "Yes", 1, "Maybe", 0, "No", 1), usTally3: zh.T("meeting.tally", "Yes", 1, "Maybe", 1, "No", 0)},
		{who: "cn.observer", seesCN: true, usName: "美国代表团",
			usTally: zh.T("meeting.tally", "Yes", 1, "Maybe", 0, "No", 1), usTally3: zh.T("meeting.tally", "Yes", 1, "Maybe", 1, "No", 0)},
	} {
		res := ts.as(azEmail(v.who)).get(path)
		wantStatus(t, v.who+" meeting page", res, http.StatusOK)
		body := res.Body
		for _, note := range []string{note0, note1, usSeeded} {
			if got := strings.Contains(body, html.EscapeString(note)) || strings.Contains(body, note); got != v.seesUS {
				t.Errorf("%s: the US delegate's note %q on the page: %v, want %v", v.who, note, got, v.seesUS)
			}
		}
		if got := strings.Contains(body, cnSeeded); got != v.seesCN {
			t.Errorf("%s: the CN delegate's note on the page: %v, want %v", v.who, got, v.seesCN)
		}
		// Everyone sees every delegation's totals.
		page := mtSlots(body)
		if len(page) != len(slots) {
			t.Fatalf("%s: %d slots on the page, want %d", v.who, len(page), len(slots))
		}
		if got := page[0].tallies()[v.usName]; got != v.usTally {
			t.Errorf("%s: the US totals for the first slot read %q, want %q (all: %v)", v.who, got, v.usTally, page[0].tallies())
		}
		if got := page[3].tallies()[v.usName]; got != v.usTally3 {
			t.Errorf("%s: the US totals for the last slot read %q, want %q", v.who, got, v.usTally3)
		}
		if n := len(page[0].tallies()); n != 2 {
			t.Errorf("%s: totals for %d delegations, want 2", v.who, n)
		}
		// Individual answers: one's own side's, or every side's for the secretariat.
		for _, s := range page {
			for _, side := range s.answerSides() {
				us := side == "United States delegation" || side == "美国代表团"
				if (us && !v.seesUS) || (!us && !v.seesCN) {
					t.Errorf("%s: an individual answer of %s on slot %s", v.who, side, s.utc)
				}
			}
		}
	}

	// Nobody but the delegations' heads and delegates answers.
	for _, who := range []string{"us.observer", "secretariat"} {
		c := ts.as(azEmail(who))
		before := auditState(ts)
		res := c.post(path+"/answers", url.Values{"slot-" + slots[0].PublicID: {"yes"}})
		if res.StatusCode != http.StatusForbidden || auditState(ts) != before {
			t.Errorf("%s answers the poll: status %d, or data changed", who, res.StatusCode)
		}
	}

	// Once the time is set, the poll is closed: answers are refused, with the reason.
	sec := ts.as(azEmail("secretariat"))
	wantLocation(t, "confirm", sec.post(path+"/confirm", url.Values{"slot": {slots[2].PublicID},
		"version": {itoa(azMeeting(ts, "informal").Version)}}), path)
	for _, l := range []struct{ who, msg string }{
		{"us.delegate", "The poll is closed: the meeting's time is set."},
		{"cn.delegate", "时间征询已结束：会议时间已确定。"},
	} {
		c := ts.as(azEmail(l.who))
		before := auditState(ts)
		res := c.post(path+"/answers", url.Values{"slot-" + slots[0].PublicID: {"yes"},
			"note-" + slots[0].PublicID: {"Changed my mind."}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s answers the closed poll: status %d, want 422", l.who, res.StatusCode)
			continue
		}
		if got := alertText(res.Body); got != l.msg {
			t.Errorf("%s answers the closed poll: message %q, want %q", l.who, got, l.msg)
		}
		if ahMainStatus(res.Body) != "scheduled" || auditState(ts) != before {
			t.Errorf("%s: the refusal is not on the scheduled meeting's page, or data changed", l.who)
		}
	}
}

// ---- confirming, rescheduling, cancelling: the page and the calendar file ----------

func TestMeetingConfirmRescheduleCancelAndCalendarFile(t *testing.T) {
	ts := newTestServer(t)
	m := azMeeting(ts, "informal")
	path := "/meetings/" + m.PublicID
	slots := azSlots(ts, "informal")
	sec := ts.as(azEmail("secretariat"))
	del := ts.as(azEmail("us.delegate"))
	cn := ts.as(azEmail("cn.delegate"))
	uid := m.PublicID + "@parley"

	wantStatus(t, "the calendar file of a meeting without a time", del.get(path+"/calendar.ics"), http.StatusNotFound)

	// A slot of another meeting is refused next to the field.
	before := auditState(ts)
	res := sec.post(path+"/confirm", url.Values{"slot": {azSlots(ts, "past")[0].PublicID}, "version": {itoa(m.Version)}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("confirm another meeting's slot: status %d, want 422", res.StatusCode)
	}
	if got := fieldError(res.Body, "slot"); got != "This time is not one of this meeting's candidate times." {
		t.Errorf("confirm another meeting's slot: message %q", got)
	}
	if ahMainStatus(res.Body) != "planning" || auditState(ts) != before {
		t.Errorf("the refused confirmation changed the meeting")
	}

	// Confirmed: scheduled, at the slot's instant, for everyone.
	wantLocation(t, "confirm", sec.post(path+"/confirm", url.Values{"slot": {slots[0].PublicID}, "version": {itoa(m.Version)}}), path)
	first := slots[0].StartsAt.UTC().Format(time.RFC3339)
	for who, c := range map[string]*client{"secretariat": sec, "us.delegate": del, "cn.delegate": cn} {
		body := c.get(path).Body
		if st := ahMainStatus(body); st != "scheduled" {
			t.Errorf("%s: data-status %q after the confirmation, want scheduled", who, st)
		}
		if got := mtMeetingTime(body); got != first {
			t.Errorf("%s: the meeting's time is %q, want %s", who, got, first)
		}
	}

	check := func(step string, c *client, sequence, status, start, summary string) {
		t.Helper()
		res := c.get(path + "/calendar.ics")
		events := mtCalendar(t, step, res)
		if len(events) != 1 {
			t.Fatalf("%s: %d events, want 1", step, len(events))
		}
		e := events[0]
		if e.Id() != uid {
			t.Errorf("%s: UID %q, want %q", step, e.Id(), uid)
		}
		if got := prop(e, ics.ComponentPropertySequence); got != sequence {
			t.Errorf("%s: SEQUENCE %s, want %s", step, got, sequence)
		}
		if got := prop(e, ics.ComponentPropertyStatus); got != status {
			t.Errorf("%s: STATUS %s, want %s", step, got, status)
		}
		if at, err := e.GetStartAt(); err != nil || at.UTC().Format(time.RFC3339) != start {
			t.Errorf("%s: DTSTART %v (%v), want %s", step, at, err, start)
		}
		if end, err := e.GetEndAt(); err != nil || end.Sub(mustTime(t, start)) != 90*time.Minute {
			t.Errorf("%s: DTEND %v (%v), want 90 minutes after %s", step, end, err, start)
		}
		if got := prop(e, ics.ComponentPropertySummary); got != summary {
			t.Errorf("%s: SUMMARY %q, want %q", step, got, summary)
		}
		if strings.Contains(res.Body, demoVideoLink) || strings.Contains(res.Body, "video.parley.example") {
			t.Errorf("%s: the calendar file carries the video link:\n%s", step, res.Body)
		}
		if d := prop(e, ics.ComponentPropertyDescription); c == del && (!strings.Contains(d, "Washington time") || !strings.Contains(d, "Beijing time")) {
			t.Errorf("%s: the description does not give the time in both capitals: %q", step, d)
		}
	}
	check("confirmed", del, "1", "CONFIRMED", first, "Informal meeting before the next dialogue")
	check("confirmed, in Chinese", cn, "1", "CONFIRMED", first, "下一轮对话前的非正式会议")

	// Moved to another slot: the same event, a higher SEQUENCE.
	m = azMeeting(ts, "informal")
	wantLocation(t, "reschedule", sec.post(path+"/confirm", url.Values{"slot": {slots[3].PublicID}, "version": {itoa(m.Version)}}), path)
	moved := slots[3].StartsAt.UTC().Format(time.RFC3339)
	if got := mtMeetingTime(del.get(path).Body); got != moved {
		t.Errorf("after rescheduling, the meeting's time is %q, want %s", got, moved)
	}
	check("rescheduled", del, "2", "CONFIRMED", moved, "Informal meeting before the next dialogue")

	// Cancelled: still the same event, now cancelled.
	m = azMeeting(ts, "informal")
	wantLocation(t, "cancel", sec.post(path+"/cancel", url.Values{"reason": {"The dialogue was postponed."},
		"version": {itoa(m.Version)}}), path)
	if st := ahMainStatus(del.get(path).Body); st != "cancelled" {
		t.Errorf("after cancelling, data-status %q", st)
	}
	check("cancelled", del, "3", "CANCELLED", moved, "Cancelled: Informal meeting before the next dialogue")
	check("cancelled, in Chinese", cn, "3", "CANCELLED", moved, "已取消：下一轮对话前的非正式会议")
}

func mustTime(t *testing.T, rfc3339 string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// ---- the personal calendar feed ------------------------------------------------

func TestMeetingCalendarFeed(t *testing.T) {
	ts := newTestServer(t)
	del := ts.as(azEmail("us.delegate"))
	past, informal := azMeeting(ts, "past"), azMeeting(ts, "informal")

	page := del.get("/account").Body
	if strings.Contains(page, `id="feed-url"`) || !strings.Contains(page, "Create my calendar feed") {
		t.Fatal("before making one, /account shows a feed address, or does not offer one")
	}
	wantLocation(t, "make the feed", del.post("/account/calendar", nil), "/account#calendar")
	feed := firstMatch(mtReFeedURL, del.get("/account").Body)
	tokenRe := regexp.MustCompile(`^` + regexp.QuoteMeta(ts.http.URL) + `/calendar/([0-9a-f]{64})\.ics$`)
	if !tokenRe.MatchString(feed) {
		t.Fatalf("/account shows the feed address %q", feed)
	}
	feedPath := strings.TrimPrefix(feed, ts.http.URL)

	// A calendar program has no session.
	anon := ts.client()
	res := anon.get(feedPath)
	events := mtCalendar(t, "the feed", res)
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") || !strings.Contains(cc, "private") {
		t.Errorf("the feed's Cache-Control is %q", cc)
	}
	if len(events) != 1 || eventByUID(events, past.PublicID+"@parley") == nil {
		t.Fatalf("the feed lists %d events, want the past meeting (the informal one has no time yet)", len(events))
	}
	if got := prop(events[0], ics.ComponentPropertySummary); got != past.TitleEN {
		t.Errorf("the US delegate's feed is not in English: %q", got)
	}
	if got := prop(events[0], ics.ComponentPropertyLocation); got != "Diaoyutai State Guesthouse, Beijing" {
		t.Errorf("the past meeting's LOCATION is %q", got)
	}

	// Once the informal meeting has a time, the feed lists it too, without its video link.
	m := informal
	s := azSlots(ts, "informal")[0]
	if err := ts.meet.Confirm(t.Context(), azUser(ts, "secretariat"), m.ID, m.Version, s.ID); err != nil {
		t.Fatal(err)
	}
	res = anon.get(feedPath)
	events = mtCalendar(t, "the feed with the scheduled meeting", res)
	e := eventByUID(events, informal.PublicID+"@parley")
	if len(events) != 2 || e == nil {
		t.Fatalf("the feed lists %d events, want both demo meetings", len(events))
	}
	if at, err := e.GetStartAt(); err != nil || !at.Equal(s.StartsAt) {
		t.Errorf("the scheduled meeting starts at %v in the feed, want %v", at, s.StartsAt)
	}
	if got := prop(e, ics.ComponentPropertyLocation); got != "Video conference" {
		t.Errorf("the video meeting's LOCATION is %q", got)
	}
	if strings.Contains(res.Body, "video.parley.example") {
		t.Errorf("the feed carries the video link:\n%s", res.Body)
	}
	// A Chinese member's feed is in Chinese.
	cn := ts.as(azEmail("cn.delegate"))
	wantLocation(t, "the CN delegate's feed", cn.post("/account/calendar", nil), "/account#calendar")
	cnFeed := strings.TrimPrefix(firstMatch(mtReFeedURL, cn.get("/account").Body), ts.http.URL)
	if cnFeed == feedPath || !tokenRe.MatchString(ts.http.URL+cnFeed) {
		t.Fatalf("the CN delegate's feed address is %q", cnFeed)
	}
	if e := eventByUID(mtCalendar(t, "the CN feed", ts.client().get(cnFeed)), informal.PublicID+"@parley"); e == nil ||
		prop(e, ics.ComponentPropertySummary) != informal.TitleZH {
		t.Errorf("the CN delegate's feed does not name the meeting in Chinese")
	}

	// Replaced: the old address names nothing, at once.
	wantLocation(t, "replace the feed", del.post("/account/calendar", nil), "/account#calendar")
	replaced := strings.TrimPrefix(firstMatch(mtReFeedURL, del.get("/account").Body), ts.http.URL)
	if replaced == feedPath || !tokenRe.MatchString(ts.http.URL+replaced) {
		t.Fatalf("after replacing, the feed address is %q (was %q)", replaced, feedPath)
	}
	wantStatus(t, "the old feed", anon.get(feedPath), http.StatusNotFound)
	mtCalendar(t, "the new feed", anon.get(replaced))
	for _, bad := range []string{strings.TrimSuffix(replaced, ".ics"), "/calendar/" + strings.ToUpper(strings.TrimPrefix(replaced, "/calendar/")),
		"/calendar/" + strings.Repeat("a", 63) + ".ics", "/calendar/.ics"} {
		wantStatus(t, "the feed at "+bad, anon.get(bad), http.StatusNotFound)
	}

	// A disabled account's feed stops too.
	u := azUser(ts, "us.delegate")
	if err := ts.svc.SetUserDisabled(t.Context(), app.System, u.ID, u.Version, true); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "a disabled account's feed", anon.get(replaced), http.StatusNotFound)
}

// ---- a crawl for what each side must not read ------------------------------------

// Internal notes on a meeting are their side's alone (never the secretariat's
// or the other delegation's); a delegation's individual poll answers and
// notes are its own and the secretariat's. Every account reads every page of
// both demo meetings.
func TestMeetingCrawlKeepsEachSidesNotesAndAnswers(t *testing.T) {
	ts := newTestServer(t)
	informal, past := azMeeting(ts, "informal"), azMeeting(ts, "past")
	slots := azSlots(ts, "informal")
	const (
		usNote    = "Canary US-internal 3f9a: hold the line on attribution."
		cnNote    = "金丝雀 CN-internal 8c21：坚持立场。"
		secNote   = "Canary SEC-internal 55d0: book the interpreters."
		usPoll    = "Canary US-poll 71be: not during the NDAA markup."
		cnPoll    = "金丝雀 CN-poll 0d4e：国庆节前不行。"
		usSeeded  = "Congressional hearing that week; mornings only."
		cnSeeded  = "周六不便，但可以安排。"
		usNoteKey = "US-internal 3f9a"
		cnNoteKey = "CN-internal 8c21"
	)
	base := "/meetings/" + informal.PublicID
	for _, w := range []struct{ who, body string }{{"us.delegate", usNote}, {"cn.delegate", cnNote}, {"secretariat", secNote}} {
		res := ts.as(azEmail(w.who)).post(base+"/comments", url.Values{"visibility": {"internal"}, "body": {w.body}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther ||
			!regexp.MustCompile(`^`+regexp.QuoteMeta(base)+`#comment-[0-9a-f]{20}$`).MatchString(loc) {
			t.Fatalf("%s's internal note: status %d, Location %q", w.who, res.StatusCode, loc)
		}
	}
	for _, w := range []struct{ who, note string }{{"us.delegate", usPoll}, {"cn.delegate", cnPoll}} {
		res := ts.as(azEmail(w.who)).post(base+"/answers", url.Values{"slot-" + slots[3].PublicID: {"no"},
			"note-" + slots[3].PublicID: {w.note}})
		wantLocation(t, w.who+"'s answer", res, base+"#poll")
	}

	var pages []string
	for _, m := range []*meetings.Meeting{informal, past} {
		p := "/meetings/" + m.PublicID
		pages = append(pages, p, p+"/agenda", p+"/agenda/print", p+"/minutes", p+"/history", p+"/calendar.ics")
	}
	pages = append(pages, "/", "/meetings", "/meetings?when=past", "/milestones", "/audit")
	keyLike := regexp.MustCompile(`\b(meeting|procedure|milestone|calendar|flash|dashboard|tz|time|weekday|month|change|decision|history)\.[a-z_]+[a-z]\b`)
	tag := regexp.MustCompile(`(?s)<[^>]*>`)

	for _, who := range azAccounts {
		side := "SEC"
		if strings.HasPrefix(who, "us.") {
			side = "US"
		} else if strings.HasPrefix(who, "cn.") {
			side = "CN"
		}
		c := ts.as(azEmail(who))
		var all strings.Builder
		for _, p := range pages {
			res := c.get(p)
			want := http.StatusOK
			if p == base+"/calendar.ics" {
				want = http.StatusNotFound // no time yet
			}
			if res.StatusCode != want {
				t.Errorf("%s GET %s: status %d, want %d", who, p, res.StatusCode, want)
			}
			body := html.UnescapeString(res.Body)
			all.WriteString(body)
			if !strings.HasSuffix(p, ".ics") {
				if k := keyLike.FindString(tag.ReplaceAllString(res.Body, " ")); k != "" {
					t.Errorf("%s GET %s: an untranslated message %q", who, p, k)
				}
			}
		}
		body := all.String()
		for _, canary := range []struct {
			text string
			seen bool
		}{
			{usNote, side == "US"}, {usNoteKey, side == "US"},
			{cnNote, side == "CN"}, {cnNoteKey, side == "CN"},
			{secNote, side == "SEC"},
			{usPoll, side == "US" || side == "SEC"}, {usSeeded, side == "US" || side == "SEC"},
			{cnPoll, side == "CN" || side == "SEC"}, {cnSeeded, side == "CN" || side == "SEC"},
		} {
			if got := strings.Contains(body, canary.text); got != canary.seen {
				t.Errorf("%s (%s) reads %q on the meeting pages: %v, want %v", who, side, canary.text, got, canary.seen)
			}
		}
	}
}

// ---- opaque identifiers ------------------------------------------------------------

// Every address on a meeting's pages names records by their 20-hex opaque
// identifiers, and so do the forms' values (slots, lines, members, sides,
// items, attendees) and the redirects.
func TestMeetingPagesNameRecordsByOpaqueIDs(t *testing.T) {
	ts := newTestServer(t)
	agendaFirst(t, ts)
	listFirst(t, ts)
	informal, past := azMeeting(ts, "informal"), azMeeting(ts, "past")
	words := map[string]bool{"new": true, "slots": true, "answers": true, "confirm": true, "cancel": true, "held": true, "edit": true,
		"comments": true, "attendees": true, "remove": true, "attendance": true, "agenda": true, "approve": true,
		"print": true, "minutes": true, "statement": true, "history": true, "calendar.ics": true}
	hex20 := regexp.MustCompile(`^[0-9a-f]{20}$`)
	link := regexp.MustCompile(`(?:href|action)="(/meetings/[^"]*)"`)
	value := regexp.MustCompile(`<(?:option|input)\b[^>]*?\bvalue="([^"]*)"[^>]*>`)
	name := regexp.MustCompile(`\bname="([^"]*)"`)
	idNames := regexp.MustCompile(`^(slot|member|entry|lead|milestone|attended|line-\d+)$`)
	idAttrs := regexp.MustCompile(`\bdata-(slot|line|meeting|milestone|item)="([^"]*)"`)
	allowed := map[string]bool{"": true, "procedure:opening": true, "procedure:adoption": true, "procedure:aob": true, "procedure:actions_review": true,
		"procedure:closing": true}

	for _, who := range azAccounts {
		c := ts.as(azEmail(who))
		seen := map[string]int{} // identifiers checked, by where they were: the test must not pass on pages it cannot read
		var paths []string
		for _, m := range []*meetings.Meeting{informal, past} {
			p := "/meetings/" + m.PublicID
			paths = append(paths, p, p+"/agenda", p+"/agenda/print", p+"/minutes", p+"/history")
		}
		paths = append(paths, "/", "/meetings", "/meetings?when=past", "/milestones", "/meetings/new")
		for _, p := range paths {
			res := c.get(p)
			if res.StatusCode != http.StatusOK && !(p == "/meetings/new" && res.StatusCode == http.StatusForbidden) {
				t.Errorf("%s GET %s: status %d", who, p, res.StatusCode)
			}
			for _, m := range link.FindAllStringSubmatch(res.Body, -1) {
				u, err := url.Parse(html.UnescapeString(m[1]))
				if err != nil {
					t.Errorf("%s %s: bad address %q", who, p, m[1])
					continue
				}
				for _, seg := range strings.Split(strings.TrimPrefix(u.Path, "/meetings/"), "/") {
					if !words[seg] && !hex20.MatchString(seg) {
						t.Errorf("%s %s: the address %q names %q", who, p, m[1], seg)
					}
					if hex20.MatchString(seg) {
						seen["link"]++
					}
				}
				for k, vs := range u.Query() {
					for _, v := range vs {
						if (k == "comment" || k == "before") && !hex20.MatchString(v) {
							t.Errorf("%s %s: the address %q has %s=%s", who, p, m[1], k, v)
						}
					}
				}
			}
			for _, m := range value.FindAllStringSubmatch(res.Body, -1) {
				n := firstMatch(name, m[0])
				if strings.HasPrefix(m[0], "<option") || n == "" {
					n = enclosingSelect(res.Body, m[0])
				}
				if v := html.UnescapeString(m[1]); idNames.MatchString(n) && !allowed[v] && !hex20.MatchString(v) {
					t.Errorf("%s %s: the form field %s carries %q", who, p, n, v)
				} else if idNames.MatchString(n) && hex20.MatchString(v) {
					seen["form"]++
				}
			}
			for _, m := range regexp.MustCompile(`\bname="(slot|note)-([^"]*)"`).FindAllStringSubmatch(res.Body, -1) {
				if !hex20.MatchString(m[2]) {
					t.Errorf("%s %s: a poll field is named %s-%s", who, p, m[1], m[2])
				}
			}
			for _, m := range idAttrs.FindAllStringSubmatch(res.Body, -1) {
				if !hex20.MatchString(m[2]) {
					t.Errorf("%s %s: data-%s=%q", who, p, m[1], m[2])
				}
				seen["data-"+m[1]]++
			}
		}
		for _, where := range []string{"link", "data-slot", "data-line", "data-meeting"} {
			if seen[where] == 0 {
				t.Errorf("%s: no identifier found in any %s on the meeting pages: has their markup changed?", who, where)
			}
		}
		// Those who fill the forms see identifiers in them: slots to
		// confirm, lines, members, sides, items to add.
		if (who == "secretariat" || who == "us.delegate") && seen["form"] == 0 {
			t.Errorf("%s: no identifier found in the meeting pages' forms", who)
		}
	}

	// Redirects name what they made by its identifier.
	sec := ts.as(azEmail("secretariat"))
	res := sec.post("/meetings/new", meetingForm(nil)(azForm{ts: ts}))
	if loc := res.Header.Get("Location"); !regexp.MustCompile(`^/meetings/[0-9a-f]{20}$`).MatchString(loc) {
		t.Errorf("new meeting redirect %q", loc)
	}
	base := "/meetings/" + informal.PublicID
	res = sec.post(base+"/comments", url.Values{"visibility": {"shared"}, "body": {"Noted."}})
	if loc := res.Header.Get("Location"); !regexp.MustCompile(`^` + base + `#comment-[0-9a-f]{20}$`).MatchString(loc) {
		t.Errorf("meeting comment redirect %q", loc)
	}
}

// enclosingSelect is the name of the select an option (given by its markup) is in.
func enclosingSelect(body, option string) string {
	i := strings.Index(body, option)
	if i < 0 {
		return ""
	}
	j := strings.LastIndex(body[:i], "<select")
	if j < 0 || strings.LastIndex(body[:i], "</select>") > j {
		return ""
	}
	return firstMatch(regexp.MustCompile(`^<select[^>]*\bname="([^"]*)"`), body[j:])
}

// ---- who may act is checked before what they typed -----------------------------------

// A person who may not build a meeting's agenda, or answer its poll, is
// refused (403) whatever they typed, as everywhere else in Parley: they must
// not be told to "correct the marked fields" of a form they do not have.
// The right person with bad input gets 422 and the message.
func TestMeetingFormsRefuseWhoMayNotActBeforeReadingThem(t *testing.T) {
	ts := newTestServer(t)
	agendaFirst(t, ts)
	m := azMeeting(ts, "informal")
	_, line := azLine(ts, "informal/1")
	path := "/meetings/" + m.PublicID
	forms := []struct {
		what, path string
		form       url.Values
		refused    []string // 403
		corrected  string   // 422
	}{
		{"a line of 0 minutes", path + "/agenda",
			url.Values{"version": {itoa(m.Version)}, "entry": {"procedure:opening"}, "duration": {"0"}},
			[]string{"us.observer", "us.delegate", "cn.head"}, "secretariat"},
		{"a line of no known kind", path + "/agenda",
			url.Values{"version": {itoa(m.Version)}, "entry": {"procedure:banquet"}, "duration": {"10"}},
			[]string{"us.observer", "cn.delegate"}, "secretariat"},
		{"a line changed to 0 minutes", path + "/agenda/" + line.PublicID,
			url.Values{"version": {itoa(m.Version)}, "duration": {"0"}, "do": {"save"}},
			[]string{"cn.observer", "us.head"}, "admin"},
		{"an answer to a time nobody proposed", path + "/answers",
			url.Values{"slot-" + azNoSuchRef: {"yes"}},
			[]string{"us.observer", "secretariat", "admin"}, "us.delegate"},
	}
	for _, f := range forms {
		for _, who := range f.refused {
			c := ts.as(azEmail(who))
			before := auditState(ts)
			res := c.post(f.path, clone(f.form))
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s as %s: status %d, want 403 (alert %q)", f.what, who, res.StatusCode, alertText(res.Body))
			}
			if auditState(ts) != before {
				t.Errorf("%s as %s changed data", f.what, who)
			}
		}
		c := ts.as(azEmail(f.corrected))
		before := auditState(ts)
		res := c.post(f.path, clone(f.form))
		if res.StatusCode != http.StatusUnprocessableEntity || alertText(res.Body) == "" || auditState(ts) != before {
			t.Errorf("%s as %s: status %d, alert %q; want 422 with a message, and nothing changed", f.what, f.corrected,
				res.StatusCode, alertText(res.Body))
		}
	}
}

// clone copies a form, so that each client posts it with its own CSRF token.
func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// A hostile form naming thousands of candidate times is refused before any
// of them is looked up: its cost does not grow with what it names.
func TestAnswerFormWithTooManySlotsIsRefusedCheaply(t *testing.T) {
	ts := newTestServer(t)
	informal := azMeeting(ts, "informal")
	c := ts.as("us.delegate@parley.example")
	c.get("/meetings/" + informal.PublicID)
	form := url.Values{}
	for i := 0; i < 5000; i++ {
		form.Set(fmt.Sprintf("slot-%020x", i), "yes")
	}
	before := ts.svc.DB().QueryCount()
	res := c.post("/meetings/"+informal.PublicID+"/answers", form)
	n := ts.svc.DB().QueryCount() - before
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	if n > 2*int64(meetings.MaxSlots)+20 {
		t.Fatalf("a form naming 5,000 slots ran %d statements", n)
	}
}
