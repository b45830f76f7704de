package meetings

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
)

// Creating meetings.

func TestCreateOnlyBySecretariat(t *testing.T) {
	e := newEnv(t)
	before := e.count("SELECT COUNT(*) FROM meetings")
	for _, u := range []*app.User{e.usHead, e.usDel, e.usObs, e.cnHead, e.cnDel, e.cnObs} {
		if _, err := e.mt.Create(e.ctx, u, e.input()); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("Create by %s: %v, want EFORBIDDEN", u.Email, err)
		}
	}
	// An administrator on a delegation gets no secretariat rights from the flag.
	if _, _, err := e.core.CreateUser(e.ctx, e.admin, app.UserInput{Email: "it.admin@parley.example", Name: "Delegation IT administrator",
		SideID: e.us.ID, Role: app.RoleDelegate, Admin: true, Password: "correct horse battery staple 42"}); err != nil {
		t.Fatal(err)
	}
	adminDel := e.user("it.admin@parley.example")
	if !adminDel.Pending {
		t.Fatal("an account an admin creates on a delegation should be pending")
	}
	if err := e.core.ConfirmMember(e.ctx, e.usHead, adminDel.ID, adminDel.Version); err != nil {
		t.Fatal(err)
	}
	adminDel = e.user(adminDel.Email)
	if !adminDel.Admin || adminDel.Pending {
		t.Fatalf("admin %v pending %v", adminDel.Admin, adminDel.Pending)
	}
	_, err := e.mt.Create(e.ctx, adminDel, e.input())
	wantCode(t, err, app.EFORBIDDEN)
	if n := e.count("SELECT COUNT(*) FROM meetings"); n != before {
		t.Fatalf("%d meetings after refusals, want %d", n, before)
	}

	// The demo's administrator holds the secretariat role on the secretariat: it manages.
	if e.admin.Side.Kind != app.KindSecretariat || e.admin.Role != app.RoleSecretariat || !e.admin.Admin {
		t.Fatalf("demo admin: side %s role %s admin %v", e.admin.Side.Kind, e.admin.Role, e.admin.Admin)
	}
	if _, err := e.mt.Create(e.ctx, e.admin, e.input()); err != nil {
		t.Fatalf("Create by the demo admin (secretariat role): %v", err)
	}

	m, err := e.mt.Create(e.ctx, e.sec, e.input())
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != StatusPlanning || m.Sequence != 0 || m.AgendaRevision != 0 || m.StartsAt != nil || m.CreatedBy != e.sec.ID {
		t.Fatalf("new meeting: %+v", m)
	}
	if m.Milestone == nil || m.Milestone.ID != e.later.ID || !app.ValidPublicID(m.PublicID) {
		t.Fatalf("new meeting milestone %+v public id %q", m.Milestone, m.PublicID)
	}
	if n := e.countAudit(m, "meeting.create"); n != 1 {
		t.Fatalf("%d meeting.create records", n)
	}
	// The delegations are the parties of its agenda and minutes.
	v := e.agendaOf(e.usHead, m)
	if !slices.Equal(v.Parties, []int64{e.us.ID, e.cn.ID}) && !slices.Equal(v.Parties, []int64{e.cn.ID, e.us.ID}) {
		t.Fatalf("parties %v, want US and CN", v.Parties)
	}
	e.verify()
}

func TestCreateValidation(t *testing.T) {
	e := newEnv(t)
	past := e.byTitle(demoPast).Milestone
	if past == nil {
		t.Fatal("the demo's past meeting has no milestone")
	}
	cases := []struct {
		name  string
		edit  func(in *MeetingInput)
		field string
		key   string
	}{
		{"no English title", func(in *MeetingInput) { in.TitleEN = "" }, "title_en", "field.required"},
		{"blank Chinese title", func(in *MeetingInput) { in.TitleZH = "   " }, "title_zh", "field.required"},
		{"long title", func(in *MeetingInput) { in.TitleEN = strings.Repeat("x", MaxTitleLen+1) }, "title_en", "field.too_long"},
		{"unknown zone", func(in *MeetingInput) { in.Zone = "Mars/Olympus_Mons" }, "zone", "meeting.zone_invalid"},
		{"empty zone", func(in *MeetingInput) { in.Zone = "" }, "zone", "meeting.zone_invalid"},
		{"Local zone", func(in *MeetingInput) { in.Zone = "Local" }, "zone", "meeting.zone_invalid"},
		{"unknown kind", func(in *MeetingInput) { in.Kind = "gala_dinner" }, "kind", "meeting.kind_invalid"},
		{"too short", func(in *MeetingInput) { in.DurationMinutes = MinDuration - 1 }, "duration", "meeting.duration_invalid"},
		{"too long", func(in *MeetingInput) { in.DurationMinutes = MaxDuration + 1 }, "duration", "meeting.duration_invalid"},
		{"unknown format", func(in *MeetingInput) { in.Format = "hybrid" }, "format", "meeting.format_invalid"},
		{"in person without venue", func(in *MeetingInput) { in.Venue = "" }, "venue", "field.required"},
		{"video without link", func(in *MeetingInput) { in.Format, in.VideoLink = Video, "" }, "video_link", "field.required"},
		{"video over http", func(in *MeetingInput) { in.Format, in.VideoLink = Video, "http://video.example/room" }, "video_link", "meeting.link_invalid"},
		{"video link without host", func(in *MeetingInput) { in.Format, in.VideoLink = Video, "https:///room" }, "video_link", "meeting.link_invalid"},
		{"video link not a URL", func(in *MeetingInput) { in.Format, in.VideoLink = Video, "video room 4" }, "video_link", "meeting.link_invalid"},
		{"unknown milestone", func(in *MeetingInput) { in.MilestoneID = 987654 }, "milestone", "meeting.milestone_invalid"},
		{"past milestone", func(in *MeetingInput) { in.MilestoneID = past.ID }, "milestone", "meeting.milestone_past"},
	}
	before := e.count("SELECT COUNT(*) FROM meetings")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := e.input()
			c.edit(&in)
			_, err := e.mt.Create(e.ctx, e.sec, in)
			wantField(t, err, c.field, c.key)
		})
	}
	// Several problems are reported together.
	_, err := e.mt.Create(e.ctx, e.sec, MeetingInput{Kind: "x", Format: Video, VideoLink: "ftp://x", Zone: "Nowhere", DurationMinutes: 5})
	want := map[string]string{"title_en": "field.required", "title_zh": "field.required", "kind": "meeting.kind_invalid",
		"duration": "meeting.duration_invalid", "zone": "meeting.zone_invalid", "video_link": "meeting.link_invalid"}
	got := app.FieldErrors(err)
	for f, k := range want {
		if got[f] != k {
			t.Errorf("field %s = %q, want %q (all %v)", f, got[f], k, got)
		}
	}
	if n := e.count("SELECT COUNT(*) FROM meetings"); n != before {
		t.Fatalf("%d meetings after refusals, want %d", n, before)
	}

	// The limits themselves are fine, and a video meeting keeps its link
	// while an in-person one drops any.
	in := e.input()
	in.DurationMinutes = MinDuration
	in.VideoLink = "https://video.example/ignored"
	m := e.create(in)
	if m.DurationMinutes != MinDuration || m.VideoLink != "" {
		t.Fatalf("in person: duration %d link %q", m.DurationMinutes, m.VideoLink)
	}
	in = e.input()
	in.Format, in.VideoLink, in.Venue, in.DurationMinutes, in.MilestoneID = Video, "https://video.example/room", "", MaxDuration, 0
	m = e.create(in)
	if m.Format != Video || m.VideoLink != "https://video.example/room" || m.DurationMinutes != MaxDuration || m.Milestone != nil {
		t.Fatalf("video meeting: %+v", m)
	}
}

// Slots, time zones and daylight saving.

func TestAddSlotChecks(t *testing.T) {
	e := newEnv(t)
	dialogue := e.byTitle(demoInformal).Milestone
	if dialogue == nil || dialogue.NameEN != demoDialogue {
		t.Fatalf("the informal meeting's milestone: %+v", dialogue)
	}
	in := e.input()
	in.MilestoneID = dialogue.ID // 2027-04-03 09:00 Washington
	m := e.create(in)            // 90 minutes, in Washington

	// Only the secretariat adds slots.
	for _, u := range []*app.User{e.usHead, e.cnDel, e.cnObs} {
		_, err := e.mt.AddSlot(e.ctx, u, m.ID, "2027-02-01T09:00", washington)
		wantCode(t, err, app.EFORBIDDEN)
	}

	cases := []struct {
		start, zone, field, key string
	}{
		// e.clock is 2026-12-03 12:01 UTC, 07:01 in Washington.
		{"2026-12-03T07:01", washington, "start", "meeting.slot_past"},
		{"2026-12-01T10:00", beijing, "start", "meeting.slot_past"},
		{"2027-04-03T07:31", washington, "start", "meeting.slot_after_milestone"}, // ends 09:01
		{"2027-04-03T20:00", beijing, "start", "meeting.slot_after_milestone"},    // 08:00 Washington, ends 09:30
		{"2027-03-14T02:30", washington, "start", "meeting.time_skipped"},
		{"2027-02-30T10:00", washington, "start", "meeting.time_invalid"},
		{"2027-02-03 10:00", washington, "start", "meeting.time_invalid"},
		{"2027-02-03T10:00", "Atlantis/Capital", "zone", "meeting.zone_invalid"},
	}
	for _, c := range cases {
		_, err := e.mt.AddSlot(e.ctx, e.sec, m.ID, c.start, c.zone)
		wantField(t, err, c.field, c.key)
	}
	if n := e.count("SELECT COUNT(*) FROM meeting_slots WHERE meeting_id = ?", m.ID); n != 0 {
		t.Fatalf("%d slots after refusals", n)
	}

	// The boundaries: a slot a minute from now, and one ending exactly at the milestone.
	soon := e.addSlot(m, "2026-12-03T07:02", washington)
	if !soon.StartsAt.Equal(time.Date(2026, 12, 3, 12, 2, 0, 0, time.UTC)) {
		t.Fatalf("soon = %v", soon.StartsAt)
	}
	last := e.addSlot(m, "2027-04-03T07:30", washington)
	if end := last.StartsAt.Add(m.Duration()); !end.Equal(dialogue.StartsAt) {
		t.Fatalf("last slot ends %v, milestone %v", end, dialogue.StartsAt)
	}
	// An empty zone is the meeting's.
	sl := e.addSlot(m, "2027-02-01T09:00", "")
	if sl.Zone != washington || !sl.StartsAt.Equal(time.Date(2027, 2, 1, 14, 0, 0, 0, time.UTC)) {
		t.Fatalf("slot in the meeting's zone: %s %v", sl.Zone, sl.StartsAt)
	}
	// A trailing ":00" second is accepted.
	e.addSlot(m, "2027-02-02T09:00:00", washington)

	// A meeting cancelled takes no slots.
	if err := e.mt.Cancel(e.ctx, e.sec, m.ID, e.get(m.ID).Version, "Postponed"); err != nil {
		t.Fatal(err)
	}
	_, err := e.mt.AddSlot(e.ctx, e.sec, m.ID, "2027-02-05T09:00", washington)
	wantMessage(t, err, app.EINVALID, "meeting.not_in_this_state")
}

func TestSlotsAcrossZonesAndDaylightSaving(t *testing.T) {
	e := newEnv(t)
	m := e.create(e.input()) // milestone 2027-12-15 09:00 Beijing
	cases := []struct {
		start, zone string
		want        time.Time
	}{
		// Washington keeps standard time (UTC-5) until 14 March 2027 ...
		{"2027-03-12T08:00", washington, time.Date(2027, 3, 12, 13, 0, 0, 0, time.UTC)},
		// ... and then daylight time (UTC-4): the same wall clock is an hour earlier.
		{"2027-03-15T08:00", washington, time.Date(2027, 3, 15, 12, 0, 0, 0, time.UTC)},
		{"2027-03-14T03:00", washington, time.Date(2027, 3, 14, 7, 0, 0, 0, time.UTC)},
		{"2027-03-14T01:59", washington, time.Date(2027, 3, 14, 6, 59, 0, 0, time.UTC)},
		// Beijing keeps UTC+8 all year.
		{"2027-03-16T21:00", beijing, time.Date(2027, 3, 16, 13, 0, 0, 0, time.UTC)},
		{"2027-07-01T09:00", beijing, time.Date(2027, 7, 1, 1, 0, 0, 0, time.UTC)},
		// After the November change Washington is back at UTC-5.
		{"2027-11-08T08:00", washington, time.Date(2027, 11, 8, 13, 0, 0, 0, time.UTC)},
		{"2027-11-07T02:30", washington, time.Date(2027, 11, 7, 7, 30, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		sl := e.addSlot(m, c.start, c.zone)
		if !sl.StartsAt.Equal(c.want) || sl.Zone != c.zone {
			t.Errorf("%s %s = %v (%s), want %v", c.start, c.zone, sl.StartsAt, sl.Zone, c.want)
		}
	}
	// Stored as the right instants: read back through the view.
	v := e.view(e.sec, m)
	if len(v.Slots) != len(cases) {
		t.Fatalf("%d slots, want %d", len(v.Slots), len(cases))
	}
	for _, s := range v.Slots {
		found := false
		for _, c := range cases {
			found = found || (s.StartsAt.Equal(c.want) && s.Zone == c.zone)
		}
		if !found {
			t.Errorf("stored slot %v (%s) is none of the entered ones", s.StartsAt, s.Zone)
		}
	}
	for i := 1; i < len(v.Slots); i++ {
		if v.Slots[i].StartsAt.Before(v.Slots[i-1].StartsAt) {
			t.Fatalf("slots not in time order: %v before %v", v.Slots[i-1].StartsAt, v.Slots[i].StartsAt)
		}
	}

	// Wall-clock times a change skips or repeats are refused, not guessed.
	_, err := e.mt.AddSlot(e.ctx, e.sec, m.ID, "2027-03-14T02:30", washington)
	wantField(t, err, "start", "meeting.time_skipped")
	_, err = e.mt.AddSlot(e.ctx, e.sec, m.ID, "2027-11-07T01:30", washington)
	wantField(t, err, "start", "meeting.time_repeated")

	// The same instant entered in another zone is the same slot.
	_, err = e.mt.AddSlot(e.ctx, e.sec, m.ID, "2027-03-12T21:00", beijing) // 08:00 Washington
	wantField(t, err, "start", "meeting.slot_exists")
	_, err = e.mt.AddSlot(e.ctx, e.sec, m.ID, "2027-03-15T08:00", washington)
	wantField(t, err, "start", "meeting.slot_exists")
	if n := e.count("SELECT COUNT(*) FROM meeting_slots WHERE meeting_id = ?", m.ID); n != int64(len(cases)) {
		t.Fatalf("%d slots after refusals, want %d", n, len(cases))
	}
	if n := e.countAudit(m, "meeting.slot_add"); n != int64(len(cases)) {
		t.Fatalf("%d meeting.slot_add records, want %d", n, len(cases))
	}

	// A meeting without a milestone takes a slot years ahead.
	in := e.input()
	in.MilestoneID = 0
	free := e.create(in)
	e.addSlot(free, "2031-06-01T10:00", beijing)
	if free.Before() != nil {
		t.Fatalf("a meeting without milestone has a limit %v", free.Before())
	}
}

func TestTooManySlots(t *testing.T) {
	e := newEnv(t)
	m := e.create(e.input())
	day := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	for i := 0; i < MaxSlots; i++ {
		e.addSlot(m, day.AddDate(0, 0, i).Format("2006-01-02")+"T10:00", beijing)
	}
	_, err := e.mt.AddSlot(e.ctx, e.sec, m.ID, "2027-06-01T10:00", beijing)
	wantField(t, err, "start", "meeting.too_many_slots")
}

// The availability poll.

// informal is the demo's informal meeting, in planning, with its slots in time order.
func (e *env) informal() (*Meeting, []Slot) {
	e.t.Helper()
	m := e.byTitle(demoInformal)
	slots, _, err := e.mt.st.slotGrid(e.ctx, m.ID)
	if err != nil || len(slots) != 4 {
		e.t.Fatalf("the informal meeting's slots: %d %v", len(slots), err)
	}
	return m, slots
}

// answersBySide counts the individual answers a view shows, by side.
func answersBySide(v *View) map[int64]int {
	out := map[int64]int{}
	for _, s := range v.Slots {
		for _, a := range s.Answers {
			out[a.SideID]++
		}
	}
	return out
}

func TestPollPrivacy(t *testing.T) {
	e := newEnv(t)
	m, slots := e.informal()
	usNote := "Congressional hearing that week; mornings only." // the demo's US delegate's note on the second slot

	// Every reader sees both delegations' totals and whether a head can come.
	for _, u := range []*app.User{e.usHead, e.usDel, e.usObs, e.cnHead, e.cnDel, e.cnObs, e.sec, e.admin} {
		v := e.view(u, m)
		if len(v.Slots) != 4 {
			t.Fatalf("%s sees %d slots", u.Email, len(v.Slots))
		}
		first := v.Slots[0]
		if len(first.Tallies) != 2 {
			t.Fatalf("%s sees %d tallies", u.Email, len(first.Tallies))
		}
		for _, tl := range first.Tallies {
			// The demo: US head yes, US delegate yes; CN head yes, CN delegate if need be.
			want := SideTally{SideID: e.us.ID, Yes: 2, HeadYes: true}
			if tl.SideID == e.cn.ID {
				want = SideTally{SideID: e.cn.ID, Yes: 1, IfNeedBe: 1, HeadYes: true}
			}
			if tl != want {
				t.Errorf("%s: tally %+v, want %+v", u.Email, tl, want)
			}
		}
		// The second slot: the US head said if need be, the CN head no.
		for _, tl := range v.Slots[1].Tallies {
			if tl.SideID == e.cn.ID && (!tl.HeadNo || tl.HeadYes || tl.No != 1 || tl.Yes != 1) {
				t.Errorf("%s: CN tally of the second slot %+v", u.Email, tl)
			}
			if tl.SideID == e.us.ID && (tl.HeadNo || !tl.HeadYes || tl.IfNeedBe != 1 || tl.No != 1) {
				t.Errorf("%s: US tally of the second slot %+v", u.Email, tl)
			}
		}
	}

	// The US side and the secretariat read the US answers and notes.
	for _, u := range []*app.User{e.usHead, e.usDel, e.usObs, e.sec, e.admin} {
		v := e.view(u, m)
		found := false
		for _, a := range v.Slots[1].Answers {
			if a.UserID == e.usDel.ID {
				found = a.Answer == No && a.Note == usNote && a.UserName == "Sarah Collins" && a.SideID == e.us.ID
			}
		}
		if !found {
			t.Errorf("%s does not read the US delegate's answer and note: %+v", u.Email, v.Slots[1].Answers)
		}
		if n := answersBySide(v)[e.us.ID]; n != 8 {
			t.Errorf("%s reads %d US answers, want 8", u.Email, n)
		}
		if !slices.Contains(v.SeesAnswersOf, e.us.ID) {
			t.Errorf("%s: SeesAnswersOf %v lacks US", u.Email, v.SeesAnswersOf)
		}
	}
	// The Chinese side reads its own answers, never the US ones.
	for _, u := range []*app.User{e.cnHead, e.cnDel, e.cnObs} {
		v := e.view(u, m)
		by := answersBySide(v)
		if by[e.us.ID] != 0 || by[e.cn.ID] != 8 {
			t.Errorf("%s reads answers by side %v, want CN only (8)", u.Email, by)
		}
		if !slices.Equal(v.SeesAnswersOf, []int64{e.cn.ID}) {
			t.Errorf("%s: SeesAnswersOf %v", u.Email, v.SeesAnswersOf)
		}
		for _, s := range v.Slots {
			for _, a := range s.Answers {
				if a.Note == usNote || a.UserID == e.usDel.ID || a.UserID == e.usHead.ID {
					t.Errorf("%s reads a US answer: %+v", u.Email, a)
				}
			}
			if s.Mine != nil && s.Mine.UserID != u.ID {
				t.Errorf("%s: Mine is %+v", u.Email, s.Mine)
			}
		}
	}
	// The secretariat reads both.
	if by := answersBySide(e.view(e.sec, m)); by[e.us.ID] != 8 || by[e.cn.ID] != 8 {
		t.Errorf("secretariat reads %v", by)
	}
	// The US side does not read the Chinese answers.
	if by := answersBySide(e.view(e.usObs, m)); by[e.cn.ID] != 0 {
		t.Errorf("US observer reads %d CN answers", by[e.cn.ID])
	}
	// A member's own answer is marked.
	if mine := e.view(e.cnHead, m).Slots[1].Mine; mine == nil || mine.Answer != No {
		t.Errorf("cn.head's own answer to the second slot: %+v", mine)
	}

	// A pending member of either side reads only the totals.
	pending := e.newMember(e.admin, "cn.new@parley.example", "New Chinese member", e.cn, app.RoleDelegate)
	if !pending.Pending {
		t.Fatal("the new member should be pending")
	}
	v := e.view(pending, m)
	if by := answersBySide(v); len(by) != 0 || len(v.SeesAnswersOf) != 0 {
		t.Errorf("pending member reads answers %v (sees %v)", by, v.SeesAnswersOf)
	}
	if len(v.Slots) != 4 || v.Slots[0].Tallies[0].Answered()+v.Slots[0].Tallies[1].Answered() != 4 {
		t.Errorf("pending member's totals: %+v", v.Slots[0].Tallies)
	}
	err := e.mt.Answer(e.ctx, pending, m.ID, []AnswerInput{{SlotID: slots[0].ID, Answer: Yes}})
	wantCode(t, err, app.EFORBIDDEN)

	// Answers are audited on the member's own side's chain only.
	// answerRecords counts the answer records a reader finds in the history, by chain.
	answerRecords := func(u *app.User) map[string]int {
		out := map[string]int{}
		for _, r := range e.history(u, m) {
			if r.Action != "meeting.answer" {
				continue
			}
			out[r.Chain]++
			if strings.Contains(r.Changes, usNote) {
				out["US note"]++
			}
		}
		return out
	}
	usChain, cnChain := app.SideChain(e.us.ID), app.SideChain(e.cn.ID)
	for _, u := range []*app.User{e.usHead, e.usObs} {
		if got := answerRecords(u); got[usChain] != 8 || got["US note"] != 1 || got[cnChain] != 0 {
			t.Errorf("%s finds answer records %v, want the 8 US ones with the note", u.Email, got)
		}
	}
	for _, u := range []*app.User{e.cnHead, e.cnDel, e.cnObs} {
		if got := answerRecords(u); got[usChain] != 0 || got["US note"] != 0 || got[cnChain] != 8 {
			t.Errorf("%s finds answer records %v, want the 8 CN ones only", u.Email, got)
		}
	}
	if got := answerRecords(e.sec); len(got) != 0 {
		t.Errorf("the secretariat finds answer records %v in the history", got)
	}
	if n := e.count("SELECT COUNT(*) FROM audit_records WHERE action = 'meeting.answer' AND chain = ?", app.SideChain(e.us.ID)); n != 8 {
		t.Errorf("%d US answer records on the US chain, want 8", n)
	}
	if n := e.count("SELECT COUNT(*) FROM audit_records WHERE action = 'meeting.answer' AND chain = ?", app.ChainShared); n != 0 {
		t.Errorf("%d answer records on the shared chain", n)
	}
}

func TestAnswerRules(t *testing.T) {
	e := newEnv(t)
	m, slots := e.informal()
	answers := func() int64 { return e.count("SELECT COUNT(*) FROM slot_answers WHERE meeting_id = ?", m.ID) }
	records := func() int64 { return e.count("SELECT COUNT(*) FROM audit_records") }
	n0, r0 := answers(), records()

	// Observers and the secretariat do not answer.
	for _, u := range []*app.User{e.usObs, e.cnObs, e.sec, e.admin} {
		err := e.mt.Answer(e.ctx, u, m.ID, []AnswerInput{{SlotID: slots[0].ID, Answer: Yes}})
		wantCode(t, err, app.EFORBIDDEN)
	}
	// Bad answers, no answers, a long note, a slot of another meeting.
	err := e.mt.Answer(e.ctx, e.usDel, m.ID, []AnswerInput{{SlotID: slots[0].ID, Answer: "maybe"}})
	wantField(t, err, "slot", "meeting.answer_invalid")
	err = e.mt.Answer(e.ctx, e.usDel, m.ID, nil)
	wantField(t, err, "slot", "meeting.answer_none")
	err = e.mt.Answer(e.ctx, e.usDel, m.ID, []AnswerInput{{SlotID: slots[0].ID, Answer: Yes, Note: strings.Repeat("n", MaxNoteLen+1)}})
	wantField(t, err, "note", "field.too_long")
	other := e.create(e.input())
	foreign := e.addSlot(other, "2027-02-01T09:00", washington)
	err = e.mt.Answer(e.ctx, e.usDel, m.ID, []AnswerInput{{SlotID: slots[0].ID, Answer: No}, {SlotID: foreign.ID, Answer: Yes}})
	wantMessage(t, err, app.EINVALID, "meeting.slot_not_in_poll")
	if answers() != n0 || records() != r0+2 { // the two records: creating the other meeting and its slot
		t.Fatalf("refused answers changed something: %d answers (was %d), %d records (was %d)", answers(), n0, records(), r0)
	}
	if a := e.view(e.usDel, m).Slots[0].Mine; a == nil || a.Answer != Yes {
		t.Fatalf("the refused batch changed the first answer: %+v", a)
	}

	// A member changes an answer while the poll is open.
	e.answer(e.usDel, m, AnswerInput{SlotID: slots[0].ID, Answer: IfNeedBe, Note: "  Only by video.  "})
	mine := e.view(e.usDel, m).Slots[0].Mine
	if mine == nil || mine.Answer != IfNeedBe || mine.Note != "Only by video." {
		t.Fatalf("changed answer: %+v", mine)
	}
	if answers() != n0 {
		t.Fatalf("a changed answer added a row: %d, was %d", answers(), n0)
	}
	for _, tl := range e.view(e.cnObs, m).Slots[0].Tallies {
		if tl.SideID == e.us.ID && (tl.Yes != 1 || tl.IfNeedBe != 1) {
			t.Fatalf("US tally after the change: %+v", tl)
		}
	}

	// Once the meeting is confirmed the poll is closed.
	e.confirm(m, &slots[0])
	n1, r1 := answers(), records()
	err = e.mt.Answer(e.ctx, e.usDel, m.ID, []AnswerInput{{SlotID: slots[1].ID, Answer: Yes}})
	wantMessage(t, err, app.EINVALID, "meeting.poll_closed")
	err = e.mt.Answer(e.ctx, e.cnHead, m.ID, []AnswerInput{{SlotID: slots[0].ID, Answer: No}})
	wantMessage(t, err, app.EINVALID, "meeting.poll_closed")
	if answers() != n1 || records() != r1 {
		t.Fatal("an answer to a closed poll changed something")
	}
	if a := e.view(e.usDel, m).Slots[1].Mine; a == nil || a.Answer != No {
		t.Fatalf("the US delegate's answer to the second slot changed: %+v", a)
	}
}

// Ranking.

func TestScore(t *testing.T) {
	const us, cn = 1, 2
	cases := []struct {
		name    string
		tallies []SideTally
		score   float64
		headNo  bool
	}{
		{"no delegations", nil, 0, false},
		{"nobody answered", []SideTally{{SideID: us}, {SideID: cn}}, 0, false},
		{"all yes", []SideTally{{SideID: us, Yes: 2, HeadYes: true}, {SideID: cn, Yes: 5}}, 1, false},
		{"one side silent counts 0", []SideTally{{SideID: us, Yes: 3}, {SideID: cn}}, 0.5, false},
		{"if need be is half", []SideTally{{SideID: us, IfNeedBe: 2}, {SideID: cn, IfNeedBe: 1, No: 1}}, 0.375, false},
		// Equal weight per delegation, whatever its size: 3 US yes and 1 CN no ...
		{"3 yes against 1 no", []SideTally{{SideID: us, Yes: 3}, {SideID: cn, No: 1}}, 0.5, false},
		// ... is no better than each delegation split evenly.
		{"both split", []SideTally{{SideID: us, Yes: 1, No: 1}, {SideID: cn, Yes: 1, No: 1}}, 0.5, false},
		{"a head no", []SideTally{{SideID: us, Yes: 4}, {SideID: cn, Yes: 3, No: 1, HeadNo: true}}, 0.875, true},
	}
	for _, c := range cases {
		score, headNo := Score(c.tallies)
		if score != c.score || headNo != c.headNo {
			t.Errorf("%s: Score = %v, %v; want %v, %v", c.name, score, headNo, c.score, c.headNo)
		}
	}
}

func TestRank(t *testing.T) {
	at := func(day int) time.Time { return time.Date(2027, 2, day, 14, 0, 0, 0, time.UTC) }
	both := []SideTally{{SideID: 1, Yes: 1}, {SideID: 2, Yes: 1}}
	one := []SideTally{{SideID: 1, Yes: 1}, {SideID: 2}}
	slots := []SlotSummary{
		{Slot: Slot{ID: 1, StartsAt: at(1)}, Score: 1, Past: true, Tallies: both},         // past: never first
		{Slot: Slot{ID: 2, StartsAt: at(2)}, Score: 1, HeadNo: true, Tallies: both},       // a head cannot come
		{Slot: Slot{ID: 3, StartsAt: at(3)}, Score: 0.5, Tallies: one},                    // fewer delegations answered
		{Slot: Slot{ID: 4, StartsAt: at(4)}, Score: 0.5, Tallies: both},                   // same score, both answered
		{Slot: Slot{ID: 5, StartsAt: at(5)}, Score: 0.75, Tallies: both},                  // the best
		{Slot: Slot{ID: 6, StartsAt: at(6)}, Score: 0.75, Tallies: both},                  // same, later
		{Slot: Slot{ID: 7, StartsAt: at(7)}, Score: 1, Beyond: true, Tallies: both},       // after the milestone
		{Slot: Slot{ID: 8, StartsAt: at(8)}, Score: 0, Tallies: []SideTally{{SideID: 1}}}, // nobody answered
	}
	rank(slots)
	want := map[int64]int{5: 1, 6: 2, 4: 3, 3: 4, 8: 5}
	for _, s := range slots {
		if r, ok := want[s.ID]; ok && s.Rank != r {
			t.Errorf("slot %d: rank %d, want %d", s.ID, s.Rank, r)
		}
		if (s.Past || s.HeadNo || s.Beyond) && s.Rank <= 5 {
			t.Errorf("slot %d (closed or refused by a head) ranks %d, before an open one", s.ID, s.Rank)
		}
		if s.Best != (s.ID == 5) {
			t.Errorf("slot %d: Best = %v", s.ID, s.Best)
		}
	}
	// The slots stay where they were.
	for i, s := range slots {
		if s.ID != int64(i+1) {
			t.Fatalf("rank moved slot %d to %d", s.ID, i)
		}
	}
	// Nothing is best when every slot is refused or unanswered.
	none := []SlotSummary{
		{Slot: Slot{ID: 1, StartsAt: at(1)}, Score: 1, HeadNo: true, Tallies: both},
		{Slot: Slot{ID: 2, StartsAt: at(2)}, Score: 0, Tallies: both},
	}
	rank(none)
	if none[0].Best || none[1].Best || none[1].Rank != 1 || none[0].Rank != 2 {
		t.Fatalf("all refused: %+v", none)
	}
}

func TestRankingInService(t *testing.T) {
	e := newEnv(t)
	usDel2 := e.newMember(e.usHead, "us.delegate2@parley.example", "Emily Hart", e.us, app.RoleDelegate)
	if usDel2.Pending {
		t.Fatal("a member a head creates should not be pending")
	}
	m := e.create(e.input())
	a := e.addSlot(m, "2027-02-01T09:00", washington) // earliest
	b := e.addSlot(m, "2027-02-02T09:00", washington)
	c := e.addSlot(m, "2027-02-03T09:00", washington)

	// A: three US yes, one CN no. Counted per person that is 3 of 4; per delegation 1 and 0.
	// B: the US split, the CN yes and if need be: per person 2.5 of 4; per delegation 0.5 and 0.75.
	// C: the best score, but the US head cannot come.
	e.answer(e.usHead, m, AnswerInput{SlotID: a.ID, Answer: Yes}, AnswerInput{SlotID: b.ID, Answer: Yes}, AnswerInput{SlotID: c.ID, Answer: No})
	e.answer(e.usDel, m, AnswerInput{SlotID: a.ID, Answer: Yes}, AnswerInput{SlotID: b.ID, Answer: No}, AnswerInput{SlotID: c.ID, Answer: Yes})
	e.answer(usDel2, m, AnswerInput{SlotID: a.ID, Answer: Yes}, AnswerInput{SlotID: c.ID, Answer: Yes})
	e.answer(e.cnDel, m, AnswerInput{SlotID: a.ID, Answer: No}, AnswerInput{SlotID: b.ID, Answer: IfNeedBe}, AnswerInput{SlotID: c.ID, Answer: Yes})
	e.answer(e.cnHead, m, AnswerInput{SlotID: b.ID, Answer: Yes}, AnswerInput{SlotID: c.ID, Answer: Yes})

	for _, u := range []*app.User{e.sec, e.usObs, e.cnObs} { // the ranking is the same for every reader
		v := e.view(u, m)
		got := map[int64]SlotSummary{}
		for _, s := range v.Slots {
			got[s.ID] = s
		}
		sa, sb, sc := got[a.ID], got[b.ID], got[c.ID]
		if sa.Score != 0.5 || sb.Score != 0.625 || sc.Score <= sb.Score {
			t.Fatalf("%s: scores A %v B %v C %v", u.Email, sa.Score, sb.Score, sc.Score)
		}
		if !sc.HeadNo || sa.HeadNo || sb.HeadNo {
			t.Fatalf("%s: HeadNo A %v B %v C %v", u.Email, sa.HeadNo, sb.HeadNo, sc.HeadNo)
		}
		if sb.Rank != 1 || !sb.Best || sa.Rank != 2 || sa.Best || sc.Rank != 3 || sc.Best {
			t.Fatalf("%s: ranks A %d/%v B %d/%v C %d/%v", u.Email, sa.Rank, sa.Best, sb.Rank, sb.Best, sc.Rank, sc.Best)
		}
	}

	// Once its time has passed, a slot is never best.
	e.clock.set(time.Date(2027, 2, 2, 15, 0, 0, 0, time.UTC)) // B started at 14:00 UTC
	v := e.view(e.sec, m)
	for _, s := range v.Slots {
		if s.ID == b.ID && (!s.Past || s.Best || s.Rank == 1) {
			t.Fatalf("a past slot: %+v", s)
		}
		if s.ID == c.ID && (s.Best || s.Rank != 1) { // C is the only open slot, but a head said no
			t.Fatalf("the open slot a head refused: rank %d best %v", s.Rank, s.Best)
		}
	}
}

// Confirming and rescheduling.

func TestConfirmAndReschedule(t *testing.T) {
	e := newEnv(t)
	m, slots := e.informal()
	other := e.create(e.input())
	foreign := e.addSlot(other, "2027-02-01T09:00", washington)
	m = e.get(m.ID)

	for _, u := range []*app.User{e.usHead, e.cnHead, e.usDel, e.cnObs} {
		err := e.mt.Confirm(e.ctx, u, m.ID, m.Version, slots[0].ID)
		wantCode(t, err, app.EFORBIDDEN)
	}
	err := e.mt.Confirm(e.ctx, e.sec, m.ID, m.Version, foreign.ID)
	wantField(t, err, "slot", "meeting.slot_not_in_poll")
	// A form read before another change of the meeting is stale.
	stale := m.Version
	m = e.addLine(m, LineInput{Procedure: "opening", DurationMinutes: 10})
	err = e.mt.Confirm(e.ctx, e.sec, m.ID, stale, slots[0].ID)
	wantCode(t, err, app.ECONFLICT)
	if cur := e.get(m.ID); cur.Status != StatusPlanning || cur.Version != m.Version || cur.StartsAt != nil || cur.Sequence != 0 {
		t.Fatalf("refused confirmations changed the meeting: %+v", cur)
	}

	if err := e.mt.Confirm(e.ctx, e.sec, m.ID, m.Version, slots[0].ID); err != nil {
		t.Fatal(err)
	}
	c := e.get(m.ID)
	if c.Status != StatusScheduled || c.StartsAt == nil || !c.StartsAt.Equal(slots[0].StartsAt) || c.Sequence != 1 ||
		c.SlotID == nil || *c.SlotID != slots[0].ID || c.Version <= m.Version {
		t.Fatalf("confirmed: %+v", c)
	}
	if e.view(e.usHead, c).Meeting.PollOpen() {
		t.Fatal("the poll is open after the confirmation")
	}
	err = e.mt.Confirm(e.ctx, e.sec, m.ID, c.Version, slots[0].ID)
	wantField(t, err, "slot", "meeting.slot_already_confirmed")
	// The version the form was read at no longer holds.
	err = e.mt.Confirm(e.ctx, e.sec, m.ID, m.Version, slots[2].ID)
	wantCode(t, err, app.ECONFLICT)

	// Rescheduling: another slot of the poll; the meeting keeps its identity.
	if err := e.mt.Confirm(e.ctx, e.sec, m.ID, c.Version, slots[2].ID); err != nil {
		t.Fatal(err)
	}
	r := e.get(m.ID)
	if r.PublicID != m.PublicID || r.ID != m.ID || r.Status != StatusScheduled || !r.StartsAt.Equal(slots[2].StartsAt) || r.Sequence != 2 {
		t.Fatalf("rescheduled: %+v", r)
	}
	// A new slot may be added to a scheduled meeting, to move it there.
	moved := e.addSlot(r, "2027-03-02T08:00", washington)
	if err := e.mt.Confirm(e.ctx, e.sec, m.ID, e.get(m.ID).Version, moved.ID); err != nil {
		t.Fatal(err)
	}
	if r = e.get(m.ID); r.Sequence != 3 || !r.StartsAt.Equal(moved.StartsAt) {
		t.Fatalf("moved to a new slot: %+v", r)
	}

	var actions []string
	var resched []app.AuditRecord
	for _, rec := range e.history(e.cnObs, m) {
		actions = append(actions, rec.Action)
		if rec.Action == "meeting.reschedule" {
			resched = append(resched, rec)
		}
	}
	if !slices.Contains(actions, "meeting.confirm") || len(resched) != 2 {
		t.Fatalf("history: %v", actions)
	}
	ch := changesOf(t, resched[0])
	if pair, ok := ch["starts_at"].([]any); !ok || len(pair) != 2 ||
		pair[0] != slots[0].StartsAt.Format(time.RFC3339) || pair[1] != slots[2].StartsAt.Format(time.RFC3339) {
		t.Fatalf("reschedule changes: %v", ch)
	}

	// A slot whose time has passed is not confirmed.
	e.clock.set(slots[1].StartsAt.Add(time.Minute))
	err = e.mt.Confirm(e.ctx, e.sec, m.ID, e.get(m.ID).Version, slots[1].ID)
	wantField(t, err, "slot", "meeting.slot_past")
	e.verify()
}

// The meeting's agenda.

func TestMeetingAgenda(t *testing.T) {
	e := newEnv(t)
	rules := e.itemID("International cyberspace rules") // proposed; the CN head concurred
	cur, err := e.ag.GetItem(e.ctx, e.usHead, rules)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.ag.Decide(e.ctx, e.usHead, rules, cur.Revision, agenda.Concur, ""); err != nil {
		t.Fatal(err)
	}
	if st := e.itemStatus(rules); st != agenda.StatusAdopted {
		t.Fatalf("rules: %s", st)
	}
	measures := e.itemID("Measures to boost dialogue and cooperation on cyber security") // proposed, contested
	m := e.create(e.input())

	// Only the secretariat builds the agenda.
	for _, u := range []*app.User{e.usHead, e.cnDel, e.usObs} {
		err := e.mt.AddLine(e.ctx, u, m.ID, m.Version, LineInput{Procedure: "opening", DurationMinutes: 10})
		wantCode(t, err, app.EFORBIDDEN)
	}
	// Checks of the line.
	err = e.mt.AddLine(e.ctx, e.sec, m.ID, m.Version, LineInput{Procedure: "banquet", DurationMinutes: 10})
	wantField(t, err, "entry", "meeting.entry_invalid")
	err = e.mt.AddLine(e.ctx, e.sec, m.ID, m.Version, LineInput{Procedure: "opening", DurationMinutes: 0})
	wantField(t, err, "duration", "meeting.line_duration_invalid")
	err = e.mt.AddLine(e.ctx, e.sec, m.ID, m.Version, LineInput{Procedure: "opening", DurationMinutes: 10, LeadSideID: 98765})
	wantField(t, err, "lead", "meeting.lead_invalid")
	// A proposed item is not adopted: refused, and nothing changes.
	err = e.mt.AddLine(e.ctx, e.sec, m.ID, m.Version, LineInput{ItemID: measures, DurationMinutes: 30})
	wantField(t, err, "entry", "meeting.item_not_adopted")
	if st := e.itemStatus(measures); st != agenda.StatusProposed {
		t.Fatalf("measures: %s", st)
	}
	if cur := e.get(m.ID); cur.AgendaRevision != 0 || cur.Version != m.Version {
		t.Fatalf("refused lines changed the meeting: revision %d version %d", cur.AgendaRevision, cur.Version)
	}

	// Each change is a new revision.
	m = e.addLine(m, LineInput{Procedure: "opening", DurationMinutes: 10})
	if m.AgendaRevision != 1 {
		t.Fatalf("revision %d, want 1", m.AgendaRevision)
	}
	m = e.addLine(m, LineInput{ItemID: rules, DurationMinutes: 45, LeadSideID: e.cn.ID})
	if m.AgendaRevision != 2 {
		t.Fatalf("revision %d, want 2", m.AgendaRevision)
	}
	if st := e.itemStatus(rules); st != agenda.StatusScheduled {
		t.Fatalf("an adopted item on a meeting's agenda is %s, want scheduled", st)
	}
	// A scheduled item is on one meeting's agenda only.
	other := e.create(e.input())
	err = e.mt.AddLine(e.ctx, e.sec, other.ID, other.Version, LineInput{ItemID: rules, DurationMinutes: 45})
	wantField(t, err, "entry", "meeting.item_not_adopted")

	v := e.agendaOf(e.cnObs, m)
	if len(v.Lines) != 2 || v.Lines[0].Procedure != "opening" || v.Lines[1].ItemID == nil || *v.Lines[1].ItemID != rules ||
		v.Lines[1].LeadSideID == nil || *v.Lines[1].LeadSideID != e.cn.ID || v.Lines[1].ItemStatus != string(agenda.StatusScheduled) {
		t.Fatalf("lines: %+v", v.Lines)
	}
	if len(v.Revisions) != 2 || v.Revisions[1].Number != 2 || !strings.Contains(v.Revisions[1].Body, "International cyberspace rules") ||
		!strings.Contains(v.Revisions[1].Body, "45 min, CN") {
		t.Fatalf("revisions: %+v", v.Revisions)
	}

	// Approval by the heads, on the exact revision.
	for _, u := range []*app.User{e.usDel, e.cnDel, e.usObs, e.cnObs, e.sec, e.admin} {
		err := e.mt.ApproveAgenda(e.ctx, u, m.ID, m.AgendaRevision)
		wantCode(t, err, app.EFORBIDDEN)
	}
	err = e.mt.ApproveAgenda(e.ctx, e.usHead, m.ID, 1)
	wantMessage(t, err, app.ECONFLICT, "meeting.revision_changed")
	if err := e.mt.ApproveAgenda(e.ctx, e.usHead, m.ID, 2); err != nil {
		t.Fatal(err)
	}
	err = e.mt.ApproveAgenda(e.ctx, e.usHead, m.ID, 2)
	wantMessage(t, err, app.EINVALID, "meeting.already_approved")
	v = e.agendaOf(e.cnHead, m)
	if d := v.Standing.For(e.us.ID); d == nil || d.Kind != Approve || v.Standing.For(e.cn.ID) != nil {
		t.Fatalf("standing after the US approval: %+v", v.Standing)
	}
	if e.get(m.ID).AgendaAgreed != 0 {
		t.Fatal("agreed with one approval")
	}

	// A change voids the approval.
	m = e.addLine(e.get(m.ID), LineInput{Procedure: "closing", DurationMinutes: 5})
	if m.AgendaRevision != 3 {
		t.Fatalf("revision %d, want 3", m.AgendaRevision)
	}
	v = e.agendaOf(e.usHead, m)
	if len(v.Standing) != 0 {
		t.Fatalf("an approval stands after a change: %+v", v.Standing)
	}
	_, standing, err := e.core.PartiesAndStanding(e.ctx, e.usHead, record(e.usHead, m, KindAgenda))
	if err != nil || standing.For(e.us.ID) != nil {
		t.Fatalf("PartiesAndStanding after a change: %+v %v", standing, err)
	}
	err = e.mt.ApproveAgenda(e.ctx, e.usHead, m.ID, 2)
	wantMessage(t, err, app.ECONFLICT, "meeting.revision_changed")

	// Both heads approve the same revision at the same moment: agreed once.
	errs := together(
		func() error { return e.mt.ApproveAgenda(e.ctx, e.usHead, m.ID, 3) },
		func() error { return e.mt.ApproveAgenda(e.ctx, e.cnHead, m.ID, 3) },
	)
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent approvals: %v", errs)
		}
	}
	if a := e.get(m.ID); a.AgendaAgreed != 3 {
		t.Fatalf("AgendaAgreed = %d, want 3", a.AgendaAgreed)
	}
	if n := e.countAudit(m, "meeting.agenda_agreed"); n != 1 {
		t.Fatalf("%d meeting.agenda_agreed records, want 1", n)
	}
	if n := e.countAudit(m, "meeting.agenda_approve"); n != 3 {
		t.Fatalf("%d meeting.agenda_approve records, want 3", n)
	}

	// Moving and editing lines; removing the item's line returns it to adopted.
	m = e.get(m.ID)
	lines := e.agendaOf(e.sec, m).Lines
	if err := e.mt.ChangeLine(e.ctx, e.sec, m.ID, m.Version, LineChange{LineID: lines[0].ID, Move: -1}); app.ErrorMessage(err) != "meeting.cannot_move" {
		t.Fatalf("moving the first line up: %v", err)
	}
	m = e.get(m.ID)
	if err := e.mt.ChangeLine(e.ctx, e.sec, m.ID, m.Version, LineChange{LineID: lines[2].ID, Move: -1}); err != nil {
		t.Fatal(err)
	}
	m = e.get(m.ID)
	if err := e.mt.ChangeLine(e.ctx, e.sec, m.ID, m.Version, LineChange{LineID: lines[0].ID, DurationMinutes: 20, LeadSideID: e.us.ID}); err != nil {
		t.Fatal(err)
	}
	got := e.agendaOf(e.sec, m).Lines
	if len(got) != 3 || got[0].DurationMinutes != 20 || got[0].LeadSideID == nil || *got[0].LeadSideID != e.us.ID ||
		got[1].Procedure != "closing" || got[2].ItemID == nil {
		t.Fatalf("after moving and editing: %+v", got)
	}
	m = e.get(m.ID)
	if m.AgendaRevision != 5 || m.AgendaAgreed != 3 {
		t.Fatalf("revision %d agreed %d, want 5 and 3", m.AgendaRevision, m.AgendaAgreed)
	}
	if err := e.mt.ChangeLine(e.ctx, e.sec, m.ID, m.Version, LineChange{LineID: got[2].ID, Remove: true}); err != nil {
		t.Fatal(err)
	}
	if st := e.itemStatus(rules); st != agenda.StatusAdopted {
		t.Fatalf("an item taken off the agenda is %s, want adopted", st)
	}
	m = e.get(m.ID)
	if m.AgendaRevision != 6 || len(e.agendaOf(e.sec, m).Lines) != 2 {
		t.Fatalf("after the removal: revision %d", m.AgendaRevision)
	}
	// A stale form is refused.
	err = e.mt.AddLine(e.ctx, e.sec, m.ID, m.Version-1, LineInput{Procedure: "aob", DurationMinutes: 5})
	wantCode(t, err, app.ECONFLICT)
	e.verify()
}

func TestCancelReleasesItems(t *testing.T) {
	e := newEnv(t)
	a, b := e.adoptedItem("Points of contact"), e.adoptedItem("Incident notification")
	m := e.scheduled()
	m = e.addLine(m, LineInput{ItemID: a, DurationMinutes: 30})
	m = e.addLine(m, LineInput{Procedure: "aob", DurationMinutes: 10})
	m = e.addLine(m, LineInput{ItemID: b, DurationMinutes: 30})
	if e.itemStatus(a) != agenda.StatusScheduled || e.itemStatus(b) != agenda.StatusScheduled {
		t.Fatal("items not scheduled")
	}
	for _, u := range []*app.User{e.usHead, e.cnDel} {
		wantCode(t, e.mt.Cancel(e.ctx, u, m.ID, m.Version, "No quorum"), app.EFORBIDDEN)
	}
	wantField(t, e.mt.Cancel(e.ctx, e.sec, m.ID, m.Version, "  "), "reason", "field.required")
	wantCode(t, e.mt.Cancel(e.ctx, e.sec, m.ID, m.Version-1, "No quorum"), app.ECONFLICT)
	if e.itemStatus(a) != agenda.StatusScheduled || e.get(m.ID).Status != StatusScheduled {
		t.Fatal("a refused cancellation changed something")
	}

	if err := e.mt.Cancel(e.ctx, e.sec, m.ID, m.Version, "The delegations agreed to postpone."); err != nil {
		t.Fatal(err)
	}
	c := e.get(m.ID)
	if c.Status != StatusCancelled || c.Sequence != m.Sequence+1 || c.CancelReason != "The delegations agreed to postpone." {
		t.Fatalf("cancelled: %+v", c)
	}
	if e.itemStatus(a) != agenda.StatusAdopted || e.itemStatus(b) != agenda.StatusAdopted {
		t.Fatalf("items after the cancellation: %s %s", e.itemStatus(a), e.itemStatus(b))
	}
	// The items' histories say why.
	if n := e.count("SELECT COUNT(*) FROM audit_records WHERE action = 'agenda.status' AND object_id IN (?, ?) AND changes LIKE '%adopted%'", a, b); n < 2 {
		t.Fatalf("%d agenda.status records", n)
	}
	// Nothing more happens to a cancelled meeting.
	wantMessage(t, e.mt.Cancel(e.ctx, e.sec, m.ID, c.Version, "Again"), app.EINVALID, "meeting.not_in_this_state")
	wantMessage(t, e.mt.AddLine(e.ctx, e.sec, m.ID, c.Version, LineInput{Procedure: "aob", DurationMinutes: 5}),
		app.EINVALID, "meeting.not_in_this_state")
	wantMessage(t, e.mt.ApproveAgenda(e.ctx, e.usHead, m.ID, c.AgendaRevision), app.EINVALID, "meeting.not_in_this_state")
	// The items are free for another meeting.
	other := e.create(e.input())
	e.addLine(other, LineInput{ItemID: a, DurationMinutes: 30})
	e.verify()
}

// Holding the meeting and its minutes.

// sections is a minutes form for the lines, with the outcomes in order.
func sections(lines []Line, outcomes ...Outcome) []SectionInput {
	var out []SectionInput
	for i, l := range lines {
		out = append(out, SectionInput{LineID: l.ID, Text: "Minutes of line " + string(rune('A'+i)), Outcome: outcomes[i]})
	}
	return out
}

func TestMinutes(t *testing.T) {
	e := newEnv(t)
	a, b := e.adoptedItem("Points of contact"), e.adoptedItem("Incident notification")
	m := e.scheduled() // 2027-01-14 09:00 Washington = 14:00 UTC
	m = e.addLine(m, LineInput{Procedure: "opening", DurationMinutes: 10})
	m = e.addLine(m, LineInput{ItemID: a, DurationMinutes: 30})
	m = e.addLine(m, LineInput{ItemID: b, DurationMinutes: 30})
	lines := e.agendaOf(e.sec, m).Lines

	// Not held before its time, and only by the secretariat.
	wantMessage(t, e.mt.MarkHeld(e.ctx, e.sec, m.ID, m.Version), app.EINVALID, "meeting.not_started")
	e.clock.set(time.Date(2027, 1, 14, 13, 59, 0, 0, time.UTC))
	wantMessage(t, e.mt.MarkHeld(e.ctx, e.sec, m.ID, m.Version), app.EINVALID, "meeting.not_started")
	wantMessage(t, e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 0, sections(lines, Noted, Agreed, Deferred)), app.EINVALID, "meeting.not_in_this_state")
	e.clock.set(time.Date(2027, 1, 14, 14, 0, 0, 0, time.UTC))
	wantCode(t, e.mt.MarkHeld(e.ctx, e.usHead, m.ID, m.Version), app.EFORBIDDEN)
	if err := e.mt.MarkHeld(e.ctx, e.sec, m.ID, m.Version); err != nil {
		t.Fatal(err)
	}
	h := e.get(m.ID)
	if h.Status != StatusHeld || h.Sequence != m.Sequence+1 {
		t.Fatalf("held: %+v", h)
	}
	wantMessage(t, e.mt.MarkHeld(e.ctx, e.sec, m.ID, h.Version), app.EINVALID, "meeting.not_in_this_state")
	e.clock.advance(3 * time.Hour)

	// Only the secretariat drafts the minutes: a section and an outcome per line.
	for _, u := range []*app.User{e.usHead, e.cnDel, e.cnObs} {
		wantCode(t, e.mt.SaveMinutes(e.ctx, u, m.ID, 0, sections(lines, Noted, Agreed, Deferred)), app.EFORBIDDEN)
	}
	wantField(t, e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 0, sections(lines, Noted, Agreed, "postponed")), "outcome-2", "meeting.outcome_invalid")
	wantField(t, e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 0, sections(lines, "", Agreed, Deferred)), "outcome-0", "meeting.outcome_invalid")
	wantCode(t, e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 0, sections(lines[:2], Noted, Agreed)), app.ECONFLICT)
	wantCode(t, e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 1, sections(lines, Noted, Agreed, Deferred)), app.ECONFLICT)
	swapped := sections(lines, Noted, Agreed, Deferred)
	swapped[1].LineID, swapped[2].LineID = swapped[2].LineID, swapped[1].LineID
	wantCode(t, e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 0, swapped), app.ECONFLICT)
	if cur := e.get(m.ID); cur.MinutesRevision != 0 {
		t.Fatalf("refused minutes made revision %d", cur.MinutesRevision)
	}

	if err := e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 0, sections(lines, Noted, Agreed, Deferred)); err != nil {
		t.Fatal(err)
	}
	v := e.minutesOf(e.cnObs, m)
	if v.Meeting.MinutesRevision != 1 || v.Current == nil || v.Current.Number != 1 || v.Previous != nil {
		t.Fatalf("minutes revision %d current %+v", v.Meeting.MinutesRevision, v.Current)
	}
	sum := sha256.Sum256([]byte(v.Current.Body))
	if Digest(v.Current.Body) != hex.EncodeToString(sum[:]) || !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(Digest(v.Current.Body)) {
		t.Fatalf("Digest = %s", Digest(v.Current.Body))
	}
	if !strings.Contains(v.Current.Body, "Outcome: agreed") || !strings.Contains(v.Current.Body, "Points of contact") ||
		!strings.Contains(v.Current.Body, "Minutes of line C") {
		t.Fatalf("minutes text: %q", v.Current.Body)
	}
	var saved app.AuditRecord
	for _, r := range e.history(e.cnObs, m) {
		if r.Action == "meeting.minutes_save" {
			saved = r
		}
	}
	if ch := changesOf(t, saved); ch["sha256"] != Digest(v.Current.Body) {
		t.Fatalf("the recorded digest %v is not the revision's %s", ch["sha256"], Digest(v.Current.Body))
	}
	wantMessage(t, e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 1, sections(lines, Noted, Agreed, Deferred)), app.EINVALID, "meeting.minutes_unchanged")

	// The heads approve the exact revision.
	for _, u := range []*app.User{e.usDel, e.cnDel, e.usObs, e.sec} {
		wantCode(t, e.mt.ApproveMinutes(e.ctx, u, m.ID, 1), app.EFORBIDDEN)
	}
	wantMessage(t, e.mt.ApproveMinutes(e.ctx, e.usHead, m.ID, 2), app.ECONFLICT, "meeting.revision_changed")
	wantMessage(t, e.mt.ApproveMinutes(e.ctx, e.usHead, m.ID, 0), app.ECONFLICT, "meeting.revision_changed")
	if err := e.mt.ApproveMinutes(e.ctx, e.usHead, m.ID, 1); err != nil {
		t.Fatal(err)
	}
	if cur := e.get(m.ID); cur.Status != StatusHeld || cur.MinutesApproved != 0 || e.itemStatus(a) != agenda.StatusScheduled {
		t.Fatalf("after one approval: %s %d item %s", cur.Status, cur.MinutesApproved, e.itemStatus(a))
	}
	seq := e.get(m.ID).Sequence
	if err := e.mt.ApproveMinutes(e.ctx, e.cnHead, m.ID, 1); err != nil {
		t.Fatal(err)
	}
	ap := e.get(m.ID)
	if ap.Status != StatusMinutesApproved || ap.MinutesApproved != 1 || ap.Sequence != seq+1 {
		t.Fatalf("approved: %+v", ap)
	}
	if sa, sb := e.itemStatus(a), e.itemStatus(b); sa != agenda.StatusClosed || sb != agenda.StatusAdopted {
		t.Fatalf("items after approval: agreed %s (want closed), deferred %s (want adopted)", sa, sb)
	}
	if n := e.countAudit(m, "meeting.minutes_approved"); n != 1 {
		t.Fatalf("%d meeting.minutes_approved records", n)
	}
	wantMessage(t, e.mt.ApproveMinutes(e.ctx, e.usHead, m.ID, 1), app.EINVALID, "meeting.already_approved")

	// A correction of approved minutes needs both approvals again.
	wantCode(t, e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 0, sections(lines, Noted, Agreed, Agreed)), app.ECONFLICT)
	if err := e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 1, sections(lines, Noted, Agreed, Agreed)); err != nil {
		t.Fatal(err)
	}
	c := e.get(m.ID)
	if c.Status != StatusHeld || c.MinutesRevision != 2 || c.Sequence != ap.Sequence+1 {
		t.Fatalf("corrected: %+v", c)
	}
	v = e.minutesOf(e.usHead, m)
	if len(v.Standing) != 0 || v.Previous == nil || v.Previous.Number != 1 || v.Current.Number != 2 {
		t.Fatalf("after the correction: standing %+v previous %+v", v.Standing, v.Previous)
	}
	wantMessage(t, e.mt.ApproveMinutes(e.ctx, e.cnHead, m.ID, 1), app.ECONFLICT, "meeting.revision_changed")
	if err := e.mt.ApproveMinutes(e.ctx, e.cnHead, m.ID, 2); err != nil {
		t.Fatal(err)
	}
	if cur := e.get(m.ID); cur.Status != StatusHeld || e.itemStatus(b) != agenda.StatusAdopted {
		t.Fatalf("after one approval of the correction: %s, item %s", cur.Status, e.itemStatus(b))
	}
	if err := e.mt.ApproveMinutes(e.ctx, e.usHead, m.ID, 2); err != nil {
		t.Fatal(err)
	}
	if cur := e.get(m.ID); cur.Status != StatusMinutesApproved || cur.MinutesApproved != 2 {
		t.Fatalf("after the second approval of the correction: %+v", cur)
	}
	if sa, sb := e.itemStatus(a), e.itemStatus(b); sa != agenda.StatusClosed || sb != agenda.StatusClosed {
		t.Fatalf("items after the correction: %s %s, want closed", sa, sb)
	}
	if n := e.countAudit(m, "meeting.minutes_approved"); n != 2 {
		t.Fatalf("%d meeting.minutes_approved records, want 2", n)
	}
	e.verify()
}

func TestConcurrentMinutesApproval(t *testing.T) {
	e := newEnv(t)
	a := e.adoptedItem("Points of contact")
	m := e.scheduled()
	m = e.addLine(m, LineInput{ItemID: a, DurationMinutes: 30})
	e.clock.set(time.Date(2027, 1, 14, 16, 0, 0, 0, time.UTC))
	if err := e.mt.MarkHeld(e.ctx, e.sec, m.ID, m.Version); err != nil {
		t.Fatal(err)
	}
	if err := e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 0, sections(e.agendaOf(e.sec, m).Lines, Agreed)); err != nil {
		t.Fatal(err)
	}
	errs := together(
		func() error { return e.mt.ApproveMinutes(e.ctx, e.usHead, m.ID, 1) },
		func() error { return e.mt.ApproveMinutes(e.ctx, e.cnHead, m.ID, 1) },
	)
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("concurrent approvals: %v", errs)
	}
	if cur := e.get(m.ID); cur.Status != StatusMinutesApproved || cur.MinutesApproved != 1 {
		t.Fatalf("after both approvals: %+v", cur)
	}
	if n := e.countAudit(m, "meeting.minutes_approved"); n != 1 {
		t.Fatalf("%d meeting.minutes_approved records, want 1", n)
	}
	if n := e.count("SELECT COUNT(*) FROM audit_records WHERE action = 'agenda.status' AND object_id = ? AND changes LIKE '%closed%'", a); n != 1 {
		t.Fatalf("%d closings of the item, want 1", n)
	}
	if e.itemStatus(a) != agenda.StatusClosed {
		t.Fatalf("item %s", e.itemStatus(a))
	}
	e.verify()
}

// Statements for the record.

func TestStatements(t *testing.T) {
	e := newEnv(t)
	m := e.byTitle(demoPast)
	statements := func() map[int64]Statement {
		out := map[int64]Statement{}
		for _, s := range e.minutesOf(e.usObs, m).Statements {
			out[s.SideID] = s
		}
		return out
	}
	cn := statements()[e.cn.ID]
	if cn.Version != 1 || cn.AuthorID != e.cnHead.ID || !strings.Contains(cn.Body, "中方") {
		t.Fatalf("the demo's CN statement: %+v", cn)
	}

	for _, u := range []*app.User{e.usObs, e.cnObs, e.sec, e.admin} {
		wantCode(t, e.mt.SaveStatement(e.ctx, u, m.ID, 0, "A statement"), app.EFORBIDDEN)
	}
	wantField(t, e.mt.SaveStatement(e.ctx, e.cnDel, m.ID, cn.Version, " "), "statement", "field.required")

	// The CN delegate revises the CN statement.
	if err := e.mt.SaveStatement(e.ctx, e.cnDel, m.ID, cn.Version, "中方的修订声明。"); err != nil {
		t.Fatal(err)
	}
	cn2 := statements()[e.cn.ID]
	if cn2.Body != "中方的修订声明。" || cn2.AuthorID != e.cnDel.ID || cn2.Version != cn.Version+1 || cn2.ID != cn.ID {
		t.Fatalf("revised CN statement: %+v", cn2)
	}
	// A stale form is refused and changes nothing.
	wantCode(t, e.mt.SaveStatement(e.ctx, e.cnHead, m.ID, cn.Version, "Stale"), app.ECONFLICT)
	wantCode(t, e.mt.SaveStatement(e.ctx, e.cnHead, m.ID, 0, "As if new"), app.ECONFLICT)

	// The US head's save writes the US statement, never the Chinese one,
	// whatever version the form carries.
	wantCode(t, e.mt.SaveStatement(e.ctx, e.usHead, m.ID, cn2.Version, "Overwrite?"), app.ECONFLICT)
	if err := e.mt.SaveStatement(e.ctx, e.usHead, m.ID, 0, "The United States statement."); err != nil {
		t.Fatal(err)
	}
	all := statements()
	if len(all) != 2 || all[e.us.ID].Body != "The United States statement." || all[e.us.ID].AuthorID != e.usHead.ID {
		t.Fatalf("statements: %+v", all)
	}
	if all[e.cn.ID] != cn2 {
		t.Fatalf("the CN statement changed: %+v, was %+v", all[e.cn.ID], cn2)
	}
	if err := e.mt.SaveStatement(e.ctx, e.usDel, m.ID, all[e.us.ID].Version, "The United States statement, revised."); err != nil {
		t.Fatal(err)
	}
	if s := statements(); s[e.us.ID].Body != "The United States statement, revised." || s[e.cn.ID] != cn2 {
		t.Fatalf("after the US revision: %+v", s)
	}

	// Only a meeting that took place has statements.
	planning := e.create(e.input())
	wantMessage(t, e.mt.SaveStatement(e.ctx, e.cnDel, planning.ID, 0, "Too early"), app.EINVALID, "meeting.not_in_this_state")
	e.verify()
}

// Attendance.

func TestAttendance(t *testing.T) {
	e := newEnv(t)
	m := e.scheduled()
	attendees := func() []Attendee { return e.view(e.cnObs, m).Attendees }

	if err := e.mt.AddAttendee(e.ctx, e.usDel, m.ID, e.usHead.ID, ""); err != nil {
		t.Fatalf("a delegate lists their head: %v", err)
	}
	wantField(t, e.mt.AddAttendee(e.ctx, e.usDel, m.ID, e.cnDel.ID, ""), "member", "meeting.member_invalid")
	wantField(t, e.mt.AddAttendee(e.ctx, e.usDel, m.ID, e.usHead.ID, ""), "member", "meeting.attendee_exists")
	wantField(t, e.mt.AddAttendee(e.ctx, e.usDel, m.ID, 0, " "), "guest", "meeting.attendee_none")
	wantField(t, e.mt.AddAttendee(e.ctx, e.usDel, m.ID, e.usDel.ID, "Someone"), "guest", "meeting.attendee_both")
	pending := e.newMember(e.admin, "us.new@parley.example", "New US member", e.us, app.RoleDelegate)
	wantField(t, e.mt.AddAttendee(e.ctx, e.usDel, m.ID, pending.ID, ""), "member", "meeting.member_invalid")
	wantCode(t, e.mt.AddAttendee(e.ctx, pending, m.ID, pending.ID, ""), app.EFORBIDDEN)
	wantCode(t, e.mt.AddAttendee(e.ctx, e.usObs, m.ID, e.usObs.ID, ""), app.EFORBIDDEN)
	if err := e.mt.AddAttendee(e.ctx, e.usDel, m.ID, 0, "Dr. Jane Doe, technical adviser"); err != nil {
		t.Fatalf("a guest: %v", err)
	}
	// An observer of one's own side may be listed by a writer of that side.
	if err := e.mt.AddAttendee(e.ctx, e.usHead, m.ID, e.usObs.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.mt.AddAttendee(e.ctx, e.cnDel, m.ID, e.cnDel.ID, ""); err != nil {
		t.Fatal(err)
	}

	list := attendees()
	if len(list) != 4 {
		t.Fatalf("attendees: %+v", list)
	}
	var usHeadRow, guestRow, cnRow Attendee
	for _, a := range list {
		switch {
		case a.UserID != nil && *a.UserID == e.usHead.ID:
			usHeadRow = a
		case a.GuestName != "":
			guestRow = a
		case a.UserID != nil && *a.UserID == e.cnDel.ID:
			cnRow = a
		}
	}
	if usHeadRow.SideID != e.us.ID || usHeadRow.Name != "Michael Reed" || guestRow.SideID != e.us.ID ||
		guestRow.Name != "Dr. Jane Doe, technical adviser" || cnRow.SideID != e.cn.ID {
		t.Fatalf("rows: %+v %+v %+v", usHeadRow, guestRow, cnRow)
	}

	// Nobody removes the other side's attendees.
	wantCode(t, e.mt.RemoveAttendee(e.ctx, e.cnDel, m.ID, usHeadRow.ID), app.EFORBIDDEN)
	wantCode(t, e.mt.RemoveAttendee(e.ctx, e.cnHead, m.ID, guestRow.ID), app.EFORBIDDEN)
	wantCode(t, e.mt.RemoveAttendee(e.ctx, e.sec, m.ID, guestRow.ID), app.EFORBIDDEN)
	wantCode(t, e.mt.RemoveAttendee(e.ctx, e.usDel, m.ID, cnRow.ID), app.EFORBIDDEN)
	wantCode(t, e.mt.RemoveAttendee(e.ctx, e.usObs, m.ID, guestRow.ID), app.EFORBIDDEN)
	if len(attendees()) != 4 {
		t.Fatal("a refused removal removed someone")
	}
	if err := e.mt.RemoveAttendee(e.ctx, e.usHead, m.ID, guestRow.ID); err != nil {
		t.Fatal(err)
	}
	if len(attendees()) != 3 {
		t.Fatal("the guest is still listed")
	}

	// The secretariat records who attended.
	wantCode(t, e.mt.RecordAttendance(e.ctx, e.usHead, m.ID, []int64{usHeadRow.ID}), app.EFORBIDDEN)
	if err := e.mt.RecordAttendance(e.ctx, e.sec, m.ID, []int64{usHeadRow.ID, cnRow.ID}); err != nil {
		t.Fatal(err)
	}
	for _, a := range attendees() {
		want := a.ID == usHeadRow.ID || a.ID == cnRow.ID
		if a.Attended != want {
			t.Errorf("%s attended %v, want %v", a.Name, a.Attended, want)
		}
	}
	if err := e.mt.RecordAttendance(e.ctx, e.sec, m.ID, []int64{cnRow.ID}); err != nil {
		t.Fatal(err)
	}
	for _, a := range attendees() {
		if a.Attended != (a.ID == cnRow.ID) {
			t.Errorf("after the second record, %s attended %v", a.Name, a.Attended)
		}
	}
	// Attendees of another meeting are not touched.
	past := e.byTitle(demoPast)
	before := e.count("SELECT COUNT(*) FROM meeting_attendees WHERE meeting_id = ? AND attended = 1", past.ID)
	if err := e.mt.RecordAttendance(e.ctx, e.sec, m.ID, nil); err != nil {
		t.Fatal(err)
	}
	if after := e.count("SELECT COUNT(*) FROM meeting_attendees WHERE meeting_id = ? AND attended = 1", past.ID); after != before {
		t.Fatalf("another meeting's attendance changed: %d, was %d", after, before)
	}
	// The list of a meeting whose minutes are approved is closed.
	wantMessage(t, e.mt.AddAttendee(e.ctx, e.usDel, past.ID, 0, "Late guest"), app.EINVALID, "meeting.not_in_this_state")
	e.verify()
}

// The calendar feed.

func TestFeedTokens(t *testing.T) {
	e := newEnv(t)
	hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)
	// No token until the member makes one.
	if tok, err := e.mt.FeedToken(e.ctx, e.usDel); err != nil || tok != "" {
		t.Fatalf("FeedToken before any = %q, %v", tok, err)
	}
	if _, err := e.mt.FeedToken(e.ctx, nil); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("FeedToken without an account: %v", err)
	}
	tok, err := e.mt.ReplaceFeedToken(e.ctx, e.usDel)
	if err != nil || !hex64.MatchString(tok) {
		t.Fatalf("ReplaceFeedToken = %q, %v", tok, err)
	}
	for i := 0; i < 2; i++ {
		again, err := e.mt.FeedToken(e.ctx, e.usDel)
		if err != nil || again != tok {
			t.Fatalf("FeedToken = %q, want the token made %q (%v)", again, tok, err)
		}
	}
	if id, err := e.mt.FeedOwner(e.ctx, tok); err != nil || id != e.usDel.ID {
		t.Fatalf("FeedOwner = %d, %v", id, err)
	}
	other, err := e.mt.ReplaceFeedToken(e.ctx, e.cnDel)
	if err != nil || !hex64.MatchString(other) || other == tok {
		t.Fatalf("another member's token %q (%v)", other, err)
	}

	fresh, err := e.mt.ReplaceFeedToken(e.ctx, e.usDel)
	if err != nil || !hex64.MatchString(fresh) || fresh == tok {
		t.Fatalf("ReplaceFeedToken = %q, %v", fresh, err)
	}
	_, err = e.mt.FeedOwner(e.ctx, tok)
	wantCode(t, err, app.ENOTFOUND)
	if id, err := e.mt.FeedOwner(e.ctx, fresh); err != nil || id != e.usDel.ID {
		t.Fatalf("FeedOwner(new) = %d, %v", id, err)
	}
	if cur, _ := e.mt.FeedToken(e.ctx, e.usDel); cur != fresh {
		t.Fatalf("FeedToken after the replacement = %q, want %q", cur, fresh)
	}
	// The replacement is audited on the member's own side.
	if n := e.count("SELECT COUNT(*) FROM audit_records WHERE action = 'calendar.token_replace' AND object_id = ? AND chain = ?",
		e.usDel.ID, app.SideChain(e.us.ID)); n != 2 {
		t.Fatalf("%d calendar.token_replace records on the US chain, want 2", n)
	}
	if n := e.count("SELECT COUNT(*) FROM audit_records WHERE changes LIKE ?", "%"+fresh+"%"); n != 0 {
		t.Fatal("a token is written into the audit trail")
	}

	// Malformed tokens are not found.
	for _, bad := range []string{"", "abc", strings.ToUpper(fresh), fresh[:63], fresh + "0", strings.Repeat("g", 64)} {
		_, err := e.mt.FeedOwner(e.ctx, bad)
		wantCode(t, err, app.ENOTFOUND)
	}
	// A disabled account's token stops working, and it gets no new one.
	if err := e.core.SetUserDisabled(e.ctx, e.admin, e.usDel.ID, e.user(e.usDel.Email).Version, true); err != nil {
		t.Fatal(err)
	}
	_, err = e.mt.FeedOwner(e.ctx, fresh)
	wantCode(t, err, app.ENOTFOUND)
	_, err = e.mt.ReplaceFeedToken(e.ctx, e.user(e.usDel.Email))
	wantCode(t, err, app.EFORBIDDEN)
	if id, err := e.mt.FeedOwner(e.ctx, other); err != nil || id != e.cnDel.ID {
		t.Fatalf("the other member's token: %d, %v", id, err)
	}
}

func TestFeedAndEvents(t *testing.T) {
	e := newEnv(t)
	past := e.byTitle(demoPast)
	informal, slots := e.informal()
	ids := func(ms []Meeting) []int64 {
		var out []int64
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}

	ms, lines, err := e.mt.Feed(e.ctx, e.cnObs)
	if err != nil {
		t.Fatal(err)
	}
	// The past meeting (five months ago) is in; the meeting in planning has no time yet.
	if !slices.Equal(ids(ms), []int64{past.ID}) {
		t.Fatalf("feed: %v, want only the past meeting %d", ids(ms), past.ID)
	}
	if len(lines[past.ID]) != 5 || lines[past.ID][2].ItemID == nil {
		t.Fatalf("the past meeting's lines in the feed: %+v", lines[past.ID])
	}

	e.confirm(informal, &slots[1])
	m := e.scheduled()
	if err := e.mt.Cancel(e.ctx, e.sec, m.ID, m.Version, "Postponed"); err != nil {
		t.Fatal(err)
	}
	ms, _, err = e.mt.Feed(e.ctx, e.usHead)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(ms), []int64{past.ID, informal.ID, m.ID}) { // soonest first
		t.Fatalf("feed: %v", ids(ms))
	}

	stamp := e.clock.now()
	events := Events(ms, stamp, func(m *Meeting) (string, string, string) { return m.Title("zh"), string(m.Kind), m.Venue })
	if len(events) != 3 {
		t.Fatalf("%d events", len(events))
	}
	for i, ev := range events {
		mt := ms[i]
		if ev.UID != mt.PublicID+"@parley" || ev.Sequence != mt.Sequence || !ev.Start.Equal(*mt.StartsAt) ||
			ev.Duration != mt.Duration() || ev.Summary != mt.TitleZH || !ev.Stamp.Equal(stamp) || ev.Location != mt.Venue {
			t.Errorf("event %d: %+v for %+v", i, ev, mt)
		}
		if ev.Cancelled != (mt.ID == m.ID) {
			t.Errorf("event %d cancelled = %v", i, ev.Cancelled)
		}
	}
	if events[1].Sequence != 1 || events[2].Sequence != 2 {
		t.Errorf("sequences %d %d, want 1 (confirmed) and 2 (confirmed, cancelled)", events[1].Sequence, events[2].Sequence)
	}
	// A meeting without a time makes no event.
	if got := Events([]Meeting{*e.create(e.input())}, stamp, func(*Meeting) (string, string, string) { return "", "", "" }); len(got) != 0 {
		t.Fatalf("events of a meeting in planning: %+v", got)
	}
	// The calendar file carries no video link.
	var b strings.Builder
	if err := WriteCalendar(&b, "Parley", events); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), informal.VideoLink) || !strings.Contains(b.String(), "UID:"+informal.PublicID+"@parley") {
		t.Fatalf("calendar file:\n%s", b.String())
	}

	// The feed reaches back thirteen months.
	e.clock.set(past.StartsAt.AddDate(1, 1, 1))
	ms, _, err = e.mt.Feed(e.ctx, e.usHead)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ids(ms), past.ID) {
		t.Fatalf("a meeting more than %d months old is in the feed", FeedMonths)
	}
	if _, _, err := e.mt.Feed(e.ctx, nil); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a feed without an account: %v", err)
	}
}

// The demo.

func TestSeedDemo(t *testing.T) {
	e := newEnv(t)
	// Seeding again does nothing.
	if seeded, err := e.mt.SeedDemo(e.ctx); err != nil || seeded {
		t.Fatalf("second SeedDemo: %v %v", seeded, err)
	}
	if n := e.count("SELECT COUNT(*) FROM meetings"); n != 2 {
		t.Fatalf("%d demo meetings, want 2", n)
	}

	past := e.byTitle(demoPast)
	if past.Status != StatusMinutesApproved || past.MinutesApproved != 1 || past.MinutesRevision != 1 ||
		past.AgendaAgreed != past.AgendaRevision || past.AgendaRevision == 0 {
		t.Fatalf("the past meeting: %+v", past)
	}
	if past.StartsAt == nil || !past.StartsAt.Before(testNow) || past.StartsAt.Before(testNow.AddDate(0, -FeedMonths, 0)) {
		t.Fatalf("the past meeting's time: %v", past.StartsAt)
	}
	mv := e.minutesOf(e.usObs, past)
	if len(mv.Statements) != 1 || mv.Statements[0].SideID != e.cn.ID || mv.Current == nil {
		t.Fatalf("the past meeting's statements %+v, minutes %+v", mv.Statements, mv.Current)
	}
	if len(mv.Standing) != 2 {
		t.Fatalf("the past meeting's minutes approvals: %+v", mv.Standing)
	}
	// Its item lines have outcomes, which the item's status follows.
	items := 0
	for _, l := range mv.Lines {
		if l.ItemID == nil {
			continue
		}
		items++
		if !l.Outcome.Valid() || l.ItemStatus != string(l.Outcome.itemStatus()) {
			t.Fatalf("the past meeting's item line: outcome %q, item %s", l.Outcome, l.ItemStatus)
		}
	}
	if items == 0 {
		t.Fatal("the past meeting has no agenda item")
	}
	if len(e.view(e.sec, past).Attendees) != 4 {
		t.Fatal("the past meeting's attendance")
	}
	// Its history reads as it happened: before the demo was seeded.
	for _, r := range e.history(e.sec, past) {
		if !r.At.Before(testNow) {
			t.Fatalf("a record of the past meeting dated %v", r.At)
		}
	}

	informal, slots := e.informal()
	if informal.Status != StatusPlanning || informal.Format != Video || informal.Milestone == nil ||
		informal.Milestone.NameEN != demoDialogue {
		t.Fatalf("the informal meeting: %+v", informal)
	}
	limit := informal.Milestone.StartsAt
	saturday := false
	zones := []*time.Location{mustLoad(t, washington), mustLoad(t, beijing)}
	for _, sl := range slots {
		if !sl.StartsAt.After(testNow) || sl.StartsAt.Add(informal.Duration()).After(limit) {
			t.Errorf("slot %v is not between now and the milestone %v", sl.StartsAt, limit)
		}
		across := Across(sl.StartsAt, informal.Duration(), zones)
		if across[1].Start.Weekday() == time.Saturday {
			saturday = true
			if !across[1].Weekend || across[1].DayShift != 1 {
				t.Errorf("the Saturday slot across the zones: %+v", across)
			}
		}
	}
	if !saturday {
		t.Error("no slot falls on a Saturday in Beijing")
	}
	// One slot falls after the US change of offset: the same 08:00 in
	// Washington is another hour in Beijing.
	hours := map[int]bool{}
	for _, sl := range slots {
		if w := sl.StartsAt.In(zones[0]); w.Hour() == 8 {
			hours[sl.StartsAt.In(zones[1]).Hour()] = true
		}
	}
	if len(hours) != 2 {
		t.Errorf("08:00 Washington slots fall at Beijing hours %v, want two different", hours)
	}
	v := e.view(e.sec, informal)
	for _, s := range v.Slots {
		if s.Tallies[0].Answered() != 2 || s.Tallies[1].Answered() != 2 || s.Past || s.Beyond {
			t.Errorf("slot %v: %+v", s.StartsAt, s)
		}
	}
	if _, problems, err := e.core.DB().VerifyAudit(e.ctx); err != nil || len(problems) != 0 {
		t.Fatalf("VerifyAudit: %v %v", problems, err)
	}
}

// The dashboard.

func (e *env) attention(u *app.User) Attention {
	e.t.Helper()
	a, err := e.mt.Attention(e.ctx, u)
	if err != nil {
		e.t.Fatalf("Attention(%s): %v", u.Email, err)
	}
	return a
}

func hasMeeting(list []Meeting, m *Meeting) bool {
	for _, x := range list {
		if x.ID == m.ID {
			return true
		}
	}
	return false
}

func TestAttention(t *testing.T) {
	e := newEnv(t)
	informal, _ := e.informal()
	usDel2 := e.newMember(e.usHead, "us.delegate2@parley.example", "Emily Hart", e.us, app.RoleDelegate)
	pending := e.newMember(e.admin, "cn.new@parley.example", "New Chinese member", e.cn, app.RoleDelegate)

	// Polls: members who answer and have not answered every slot.
	for _, u := range []*app.User{e.usHead, e.usDel, e.cnHead, e.cnDel, e.usObs, e.cnObs, e.sec, pending} {
		if a := e.attention(u); hasMeeting(a.Polls, informal) {
			t.Errorf("%s is asked to answer a poll they answered or may not answer", u.Email)
		}
	}
	if a := e.attention(usDel2); !hasMeeting(a.Polls, informal) {
		t.Error("a new delegate is not asked to answer the open poll")
	}
	extra := e.addSlot(informal, "2027-02-09T08:00", washington)
	for _, u := range []*app.User{e.usHead, e.cnDel} {
		if a := e.attention(u); !hasMeeting(a.Polls, informal) {
			t.Errorf("%s is not asked about the new slot", u.Email)
		}
	}
	e.answer(e.usHead, informal, AnswerInput{SlotID: extra.ID, Answer: Yes})
	if a := e.attention(e.usHead); hasMeeting(a.Polls, informal) {
		t.Error("the US head is still asked after answering every slot")
	}

	// Agendas: heads of the parties, until their delegation approves the current revision.
	m := e.scheduled()
	if a := e.attention(e.usHead); hasMeeting(a.Agendas, m) {
		t.Error("an agenda without a revision awaits approval")
	}
	m = e.addLine(m, LineInput{Procedure: "opening", DurationMinutes: 10})
	for _, u := range []*app.User{e.usHead, e.cnHead} {
		if a := e.attention(u); !hasMeeting(a.Agendas, m) {
			t.Errorf("%s is not asked to approve the agenda", u.Email)
		}
	}
	for _, u := range []*app.User{e.usDel, e.cnObs, e.sec, pending} {
		if a := e.attention(u); len(a.Agendas) != 0 || len(a.Minutes) != 0 {
			t.Errorf("%s is asked to approve: %+v %+v", u.Email, a.Agendas, a.Minutes)
		}
	}
	if err := e.mt.ApproveAgenda(e.ctx, e.usHead, m.ID, m.AgendaRevision); err != nil {
		t.Fatal(err)
	}
	if hasMeeting(e.attention(e.usHead).Agendas, m) || !hasMeeting(e.attention(e.cnHead).Agendas, m) {
		t.Error("after the US approval, the agendas awaiting the heads are wrong")
	}
	m = e.addLine(e.get(m.ID), LineInput{Procedure: "closing", DurationMinutes: 5})
	if !hasMeeting(e.attention(e.usHead).Agendas, m) {
		t.Error("a changed agenda does not await the US head again")
	}

	// Next: scheduled meetings still to come, for everyone.
	for _, u := range []*app.User{e.usObs, e.cnDel, e.sec, pending} {
		if a := e.attention(u); !hasMeeting(a.Next, m) || hasMeeting(a.Next, informal) {
			t.Errorf("%s: next meetings %+v", u.Email, a.Next)
		}
	}
	for _, x := range e.attention(e.cnObs).Next {
		if x.ID == m.ID && (x.StartsAt == nil || !x.StartsAt.Equal(*m.StartsAt) || x.PublicID != m.PublicID) {
			t.Errorf("next meeting as listed: %+v", x)
		}
	}

	// Minutes: heads, once the meeting is held and the minutes drafted.
	e.clock.set(m.StartsAt.Add(2 * time.Hour))
	if a := e.attention(e.cnObs); hasMeeting(a.Next, m) {
		t.Error("a meeting that has begun is still among the next")
	}
	if err := e.mt.MarkHeld(e.ctx, e.sec, m.ID, e.get(m.ID).Version); err != nil {
		t.Fatal(err)
	}
	if a := e.attention(e.cnHead); hasMeeting(a.Minutes, m) || hasMeeting(a.Agendas, m) {
		t.Error("a held meeting without minutes awaits approval")
	}
	if err := e.mt.SaveMinutes(e.ctx, e.sec, m.ID, 0, sections(e.agendaOf(e.sec, m).Lines, Noted, Noted)); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*app.User{e.usHead, e.cnHead} {
		if a := e.attention(u); !hasMeeting(a.Minutes, m) {
			t.Errorf("%s is not asked to approve the minutes", u.Email)
		}
	}
	if err := e.mt.ApproveMinutes(e.ctx, e.cnHead, m.ID, 1); err != nil {
		t.Fatal(err)
	}
	if hasMeeting(e.attention(e.cnHead).Minutes, m) || !hasMeeting(e.attention(e.usHead).Minutes, m) {
		t.Error("after the CN approval, the minutes awaiting the heads are wrong")
	}
	if _, err := e.mt.Attention(e.ctx, nil); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("Attention without an account: %v", err)
	}
}

// The list, the thread, and the rules the views ask.

func TestList(t *testing.T) {
	e := newEnv(t)
	past := e.byTitle(demoPast)
	informal, _ := e.informal()
	soon := e.scheduled() // 2027-01-14
	later := e.create(e.input())
	later = e.confirm(later, e.addSlot(later, "2027-01-07T09:00", washington))
	cancelled := e.create(e.input())
	if err := e.mt.Cancel(e.ctx, e.sec, cancelled.ID, cancelled.Version, "Not needed"); err != nil {
		t.Fatal(err)
	}
	list := func(f Filter) []int64 {
		t.Helper()
		page, capped, err := e.mt.List(e.ctx, e.cnObs, f)
		if err != nil || capped {
			t.Fatalf("List(%+v): %v %v", f, capped, err)
		}
		var out []int64
		for _, m := range page.Items {
			out = append(out, m.ID)
		}
		if int64(len(out)) != page.Total {
			t.Fatalf("List(%+v): %d items, total %d", f, len(out), page.Total)
		}
		return out
	}
	// Upcoming: those without a time first, then the soonest.
	if got, want := list(Filter{}), []int64{informal.ID, later.ID, soon.ID}; !slices.Equal(got, want) {
		t.Fatalf("upcoming %v, want %v", got, want)
	}
	if got := list(Filter{When: "past"}); !slices.Contains(got, past.ID) || !slices.Contains(got, cancelled.ID) || len(got) != 2 {
		t.Fatalf("past %v", got)
	}
	if got := list(Filter{Status: StatusScheduled}); !slices.Equal(got, []int64{later.ID, soon.ID}) {
		t.Fatalf("upcoming scheduled %v", got)
	}
	if got := list(Filter{When: "past", Status: StatusMinutesApproved}); !slices.Equal(got, []int64{past.ID}) {
		t.Fatalf("past approved %v", got)
	}
	// A scheduled meeting whose time has come is past, though not yet marked held.
	e.clock.set(time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC))
	if got := list(Filter{}); !slices.Equal(got, []int64{informal.ID, soon.ID}) {
		t.Fatalf("upcoming after the first meeting %v", got)
	}
	if got := list(Filter{When: "past"}); got[0] != later.ID {
		t.Fatalf("past after the first meeting %v: the latest should come first", got)
	}
	if _, _, err := e.mt.List(e.ctx, nil, Filter{}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("List without an account: %v", err)
	}
}

func TestMeetingThread(t *testing.T) {
	e := newEnv(t)
	m := e.scheduled()
	if _, err := e.core.AddComment(e.ctx, e.cnDel, Ref(m), app.Internal, "内部：我们的立场。"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.core.AddComment(e.ctx, e.usDel, Ref(m), app.Shared, "Looking forward to it."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.core.AddComment(e.ctx, e.usObs, Ref(m), app.Shared, "Observers do not write."); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("an observer's comment: %v", err)
	}
	count := func(u *app.User) (shared, internal int) {
		for _, c := range e.view(u, m).Thread.Comments {
			if c.Visibility == app.Internal {
				internal++
			} else {
				shared++
			}
		}
		return
	}
	if s, i := count(e.cnObs); s != 1 || i != 1 {
		t.Errorf("cn.observer reads %d shared and %d internal comments", s, i)
	}
	for _, u := range []*app.User{e.usHead, e.sec} {
		if s, i := count(u); s != 1 || i != 0 {
			t.Errorf("%s reads %d shared and %d internal comments", u.Email, s, i)
		}
	}
	// The agenda and the minutes take no comments of their own.
	if _, err := e.core.AddComment(e.ctx, e.usDel, app.Ref{Kind: KindAgenda, ID: m.ID}, app.Shared, "On the agenda"); err == nil {
		t.Fatal("a comment on a meeting's agenda record was accepted")
	}
}

func TestApprovalByNonParty(t *testing.T) {
	e := newEnv(t)
	m := e.scheduled()
	m = e.addLine(m, LineInput{Procedure: "opening", DurationMinutes: 10})
	// A delegation that joins later is no party to the meeting's agenda.
	eu, err := e.core.CreateDelegation(e.ctx, app.System, app.SideInput{Code: "EU", NameEN: "European delegation", NameZH: "欧洲代表团",
		TimeZone: "Europe/Brussels", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	euHead := e.newMember(app.System, "eu.head@parley.example", "Anne Dupont", eu, app.RoleHead)
	wantMessage(t, e.mt.ApproveAgenda(e.ctx, euHead, m.ID, m.AgendaRevision), app.EFORBIDDEN, "meeting.not_a_party")
	for _, head := range []*app.User{e.usHead, e.cnHead} {
		if err := e.mt.ApproveAgenda(e.ctx, head, m.ID, m.AgendaRevision); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.get(m.ID).AgendaAgreed; got != m.AgendaRevision {
		t.Fatalf("the parties' approvals did not agree the agenda: %d", got)
	}
	if p := PermissionsOn(euHead, e.get(m.ID), e.agendaOf(euHead, m).Parties); p.ApproveAgenda {
		t.Fatal("the views offer a non-party head the approval")
	}
}

func TestPermissionsOn(t *testing.T) {
	e := newEnv(t)
	informal, _ := e.informal()
	parties := []int64{e.us.ID, e.cn.ID}
	p := func(u *app.User, m *Meeting) Permissions { return PermissionsOn(u, m, parties) }

	if got := p(e.sec, informal); !got.Manage || got.Answer || !got.EditAgenda || got.ApproveAgenda || !got.SeeEveryAnswer || got.MarkHeld {
		t.Errorf("secretariat on the poll: %+v", got)
	}
	if got := p(e.usDel, informal); got.Manage || !got.Answer || got.EditAgenda || got.SeeEveryAnswer || !got.Comment {
		t.Errorf("US delegate on the poll: %+v", got)
	}
	if got := p(e.cnObs, informal); got.Answer || got.Comment || got.ListAttendees || got.Manage {
		t.Errorf("CN observer on the poll: %+v", got)
	}
	if got := p(e.usHead, informal); got.ApproveAgenda { // no agenda yet
		t.Errorf("US head before any agenda: %+v", got)
	}
	m := e.scheduled()
	m = e.addLine(m, LineInput{Procedure: "opening", DurationMinutes: 10})
	if got := p(e.cnHead, m); !got.ApproveAgenda || got.Answer || got.ApproveMinutes || !got.ListAttendees {
		t.Errorf("CN head on a scheduled meeting: %+v", got)
	}
	if got := p(e.sec, m); !got.MarkHeld || !got.RecordAttended || got.EditMinutes {
		t.Errorf("secretariat on a scheduled meeting: %+v", got)
	}
	past := e.byTitle(demoPast)
	if got := p(e.usDel, past); !got.WriteStatement || got.ListAttendees || got.ApproveMinutes {
		t.Errorf("US delegate on the past meeting: %+v", got)
	}
	if got := p(e.sec, past); !got.EditMinutes || got.Manage || got.RecordAttended {
		t.Errorf("secretariat on the past meeting: %+v", got)
	}
	if !CanManage(e.sec) || !CanManage(e.admin) || CanManage(e.usHead) || CanManage(nil) {
		t.Error("CanManage")
	}
}

// The secretariat edits a meeting while it is to come: calendars take the
// change (SEQUENCE rises), the milestone still bounds a scheduled meeting,
// stale forms and other people are refused and change nothing, and the
// history records each change but never the video link itself.
func TestUpdateMeeting(t *testing.T) {
	e := newEnv(t)
	m := e.scheduled()
	in := e.input()
	in.TitleEN, in.DurationMinutes = "Working-level meeting on incident cooperation", 120
	for _, u := range []*app.User{e.usHead, e.cnDel, e.cnObs} {
		wantCode(t, e.mt.Update(e.ctx, u, m.ID, m.Version, in), app.EFORBIDDEN)
	}
	wantCode(t, e.mt.Update(e.ctx, e.sec, m.ID, m.Version-1, in), app.ECONFLICT)
	bad := in
	bad.TitleZH = "  "
	wantField(t, e.mt.Update(e.ctx, e.sec, m.ID, m.Version, bad), "title_zh", "field.required")
	if cur := e.get(m.ID); cur.Version != m.Version || cur.Sequence != m.Sequence || cur.TitleEN != m.TitleEN {
		t.Fatalf("refused edits changed the meeting: %+v", cur)
	}

	if err := e.mt.Update(e.ctx, e.sec, m.ID, m.Version, in); err != nil {
		t.Fatal(err)
	}
	got := e.get(m.ID)
	if got.TitleEN != in.TitleEN || got.DurationMinutes != 120 || got.Sequence != m.Sequence+1 || got.PublicID != m.PublicID ||
		got.MilestoneID == nil || *got.MilestoneID != e.later.ID {
		t.Fatalf("edited: %+v", got)
	}
	if n := e.countAudit(m, "meeting.update"); n != 1 {
		t.Fatalf("%d meeting.update records, want 1", n)
	}
	// Nothing changed: nothing written.
	if err := e.mt.Update(e.ctx, e.sec, m.ID, got.Version, in); err != nil || e.get(m.ID).Version != got.Version {
		t.Fatalf("an edit changing nothing: %v, version %d → %d", err, got.Version, e.get(m.ID).Version)
	}

	// A video link is recorded as changed, never as text.
	video := in
	video.Format, video.Venue, video.VideoLink = Video, "", "https://video.parley.example/secret-room"
	if err := e.mt.Update(e.ctx, e.sec, m.ID, got.Version, video); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.history(e.sec, m) {
		if strings.Contains(r.Changes, "secret-room") {
			t.Fatalf("the video link is in the history: %s", r.Changes)
		}
	}

	// Longer than the time left before its milestone: refused.
	soon, err := e.mt.CreateMilestone(e.ctx, e.sec, MilestoneInput{NameEN: "Consultations", NameZH: "磋商",
		Start: "2027-01-14T12:00", Zone: washington})
	if err != nil {
		t.Fatal(err)
	}
	near := e.input()
	near.MilestoneID = soon.ID
	n := e.create(near)
	n = e.confirm(n, e.addSlot(n, "2027-01-14T09:00", washington))
	near.DurationMinutes = 181
	wantField(t, e.mt.Update(e.ctx, e.sec, n.ID, n.Version, near), "duration", "meeting.duration_after_milestone")
	near.DurationMinutes = 180
	if err := e.mt.Update(e.ctx, e.sec, n.ID, n.Version, near); err != nil {
		t.Fatalf("a meeting ending at its milestone: %v", err)
	}

	// The past meeting is not edited.
	past := e.byTitle(demoPast)
	wantMessage(t, e.mt.Update(e.ctx, e.sec, past.ID, past.Version, in), app.EINVALID, "meeting.not_in_this_state")
}
