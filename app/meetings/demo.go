package meetings

import (
	"context"
	"fmt"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
)

// SeedDemo loads the demo working group and its agenda (agenda.SeedDemo),
// then its meetings; it does nothing and returns false when any account exists.
func (s *Service) SeedDemo(ctx context.Context) (bool, error) {
	seeded, err := s.agenda.SeedDemo(ctx)
	if err != nil || !seeded {
		return seeded, err
	}
	if err := s.seedDemoMeetings(ctx); err != nil {
		return false, fmt.Errorf("demo meetings: %w", err)
	}
	return true, nil
}

// seedDemoMeetings loads, relative to today: the next Strategic Security
// Dialogue about four months ahead; the informal meeting "before the next
// dialogue" in planning, with four slots (08:00 Washington = 21:00 Beijing,
// a Saturday in Beijing, one after a US daylight-saving change, one more)
// answered by both sides; and a meeting on the sidelines of the last
// dialogue, with an agreed agenda built from the adopted item (deferred to
// the next meeting, so that it is adopted again), approved minutes and a
// Chinese statement for the record. The past meeting is
// written with the service clock set to the times it took place, so that
// its history reads as it happened.
func (s *Service) seedDemoMeetings(ctx context.Context) error {
	acct, err := s.core.DemoUsers(ctx)
	if err != nil {
		return err
	}
	sec, usHead, usDel, cnHead, cnDel := acct["secretariat"], acct["us.head"], acct["us.delegate"], acct["cn.head"], acct["cn.delegate"]
	clock := s.core.Now
	defer func() { s.core.Now = clock }()
	now := clock().UTC()
	washington, beijing := app.LoadLocation("America/New_York"), app.LoadLocation("Asia/Shanghai")
	local := func(t time.Time) string { return t.Format("2006-01-02T15:04") }

	// The past meeting, on the sidelines of the last dialogue: five months ago.
	past := time.Date(now.Year(), now.Month(), now.Day(), 9, 0, 0, 0, beijing).AddDate(0, -5, 0)
	s.core.Now = func() time.Time { return past.Add(-30 * 24 * time.Hour).UTC() }
	last, err := s.CreateMilestone(ctx, sec, MilestoneInput{NameEN: "Strategic Security Dialogue (last round)",
		NameZH: "战略安全对话（上一轮）", Start: local(past.AddDate(0, 0, 1)), Zone: "Asia/Shanghai"})
	if err != nil {
		return err
	}
	side, err := s.Create(ctx, sec, MeetingInput{Kind: "plenary", TitleEN: "Working group meeting on the sidelines of the dialogue",
		TitleZH: "对话期间的工作组会议", Format: InPerson, Venue: "Diaoyutai State Guesthouse, Beijing", Zone: "Asia/Shanghai",
		DurationMinutes: 120, MilestoneID: last.ID})
	if err != nil {
		return err
	}
	slot, err := s.AddSlot(ctx, sec, side.ID, local(past), "Asia/Shanghai")
	if err != nil {
		return err
	}
	if err := s.Confirm(ctx, sec, side.ID, side.Version, slot.ID); err != nil {
		return err
	}
	adopted, err := s.agenda.ListItems(ctx, sec, agenda.ItemFilter{Status: agenda.StatusAdopted, Page: app.Page{Number: 1, Size: 10}})
	if err != nil {
		return err
	}
	lines := []LineInput{{Procedure: "opening", DurationMinutes: 10}, {Procedure: "adoption", DurationMinutes: 5}}
	for _, it := range adopted.Items {
		lines = append(lines, LineInput{ItemID: it.ID, DurationMinutes: 60, LeadSideID: it.SideID})
	}
	lines = append(lines, LineInput{Procedure: "aob", DurationMinutes: 15}, LineInput{Procedure: "closing", DurationMinutes: 10})
	for _, l := range lines {
		m, err := s.Get(ctx, sec, side.ID)
		if err != nil {
			return err
		}
		if err := s.AddLine(ctx, sec, side.ID, m.Version, l); err != nil {
			return err
		}
	}
	m, err := s.Get(ctx, sec, side.ID)
	if err != nil {
		return err
	}
	for _, head := range []*app.User{usHead, cnHead} {
		if err := s.ApproveAgenda(ctx, head, side.ID, m.AgendaRevision); err != nil {
			return err
		}
	}
	for _, u := range []*app.User{usHead, usDel, cnHead, cnDel} {
		if err := s.AddAttendee(ctx, u, side.ID, u.ID, ""); err != nil {
			return err
		}
	}
	s.core.Now = func() time.Time { return past.Add(3 * time.Hour).UTC() }
	if m, err = s.Get(ctx, sec, side.ID); err != nil {
		return err
	}
	if err := s.MarkHeld(ctx, sec, side.ID, m.Version); err != nil {
		return err
	}
	view, err := s.Minutes(ctx, sec, side.PublicID)
	if err != nil {
		return err
	}
	var sections []SectionInput
	for _, l := range view.Lines {
		sec := SectionInput{LineID: l.ID, Outcome: Noted, Text: "The chairs opened the meeting and welcomed both delegations."}
		switch {
		case l.ItemID != nil:
			// Deferred: the item goes back to adopted, for the informal meeting before the next dialogue.
			sec.Outcome = Deferred
			sec.Text = "Both sides agreed to hold an informal meeting at an appropriate time before the next dialogue " +
				"and to take the working group's mechanism further there.\n\n" +
				"双方同意在下一轮对话前适当时候举行一次非正式会议，并在会上进一步讨论工作组机制。"
		case l.Procedure == "adoption":
			sec.Text = "The agenda was adopted as circulated."
		case l.Procedure == "aob":
			sec.Text = "No other business was raised."
		case l.Procedure == "closing":
			sec.Text = "The chairs closed the meeting."
		}
		sections = append(sections, sec)
	}
	if err := s.SaveMinutes(ctx, acct["secretariat"], side.ID, 0, sections); err != nil {
		return err
	}
	for _, head := range []*app.User{usHead, cnHead} {
		if err := s.ApproveMinutes(ctx, head, side.ID, 1); err != nil {
			return err
		}
	}
	if err := s.SaveStatement(ctx, cnHead, side.ID, 0, "中方重申，中国是网络攻击的主要受害国之一。中方愿在相互尊重、平等互利的基础上，"+
		"通过工作组与美方开展建设性对话。"); err != nil {
		return err
	}

	// The next dialogue, about four months ahead, and the informal meeting before it.
	s.core.Now = clock
	slots := demoSlots(now, washington)
	dialogue := now.In(washington).AddDate(0, 4, 0)
	if last := slots[2].AddDate(0, 0, 14); last.After(dialogue) {
		dialogue = last // the daylight-saving change is more than four months away
	}
	next, err := s.CreateMilestone(ctx, sec, MilestoneInput{NameEN: "Next Strategic Security Dialogue",
		NameZH: "下一轮战略安全对话", Start: local(time.Date(dialogue.Year(), dialogue.Month(), dialogue.Day(), 9, 0, 0, 0, washington)),
		Zone: "America/New_York"})
	if err != nil {
		return err
	}
	informal, err := s.Create(ctx, sec, MeetingInput{Kind: "informal", TitleEN: "Informal meeting before the next dialogue",
		TitleZH: "下一轮对话前的非正式会议", Format: Video, VideoLink: "https://video.parley.example/informal-2013",
		Zone: "America/New_York", DurationMinutes: 90, MilestoneID: next.ID})
	if err != nil {
		return err
	}
	var ids []int64
	for _, sl := range slots {
		added, err := s.AddSlot(ctx, sec, informal.ID, local(sl.In(washington)), "America/New_York")
		if err != nil {
			return err
		}
		ids = append(ids, added.ID)
	}
	answers := map[*app.User][]Answer{
		usHead: {Yes, IfNeedBe, Yes, No},
		usDel:  {Yes, No, Yes, IfNeedBe},
		cnHead: {Yes, No, IfNeedBe, Yes},
		cnDel:  {IfNeedBe, Yes, Yes, Yes},
	}
	notes := map[*app.User]string{usDel: "Congressional hearing that week; mornings only.", cnDel: "周六不便，但可以安排。"}
	for _, u := range []*app.User{usHead, usDel, cnHead, cnDel} {
		var in []AnswerInput
		for i, a := range answers[u] {
			in = append(in, AnswerInput{SlotID: ids[i], Answer: a, Note: map[bool]string{true: notes[u]}[i == 1]})
		}
		if err := s.Answer(ctx, u, informal.ID, in); err != nil {
			return err
		}
	}
	return nil
}

// demoSlots are the informal meeting's candidate times: 08:00 Washington
// (21:00 or 20:00 Beijing) three weeks out; a Friday evening in Washington
// that is Saturday morning in Beijing; 08:00 Washington just after the next
// US daylight-saving change (an hour closer to Beijing, or farther); and a
// Tuesday evening in Washington that is Wednesday morning in Beijing.
func demoSlots(now time.Time, washington *time.Location) []time.Time {
	day := func(t time.Time, wd time.Weekday) time.Time {
		for t.Weekday() != wd {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
	base := now.In(washington).AddDate(0, 0, 21)
	at := func(t time.Time, h int) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), h, 0, 0, 0, washington)
	}
	first := at(day(base, time.Thursday), 8)
	saturday := at(day(base.AddDate(0, 0, 7), time.Friday), 20)
	// The first day after the next change of Washington's offset (within a year).
	_, off := first.Zone()
	change := first
	for i := 0; i < 366; i++ {
		change = change.AddDate(0, 0, 1)
		if _, o := at(change, 8).Zone(); o != off {
			break
		}
	}
	afterChange := at(day(change.AddDate(0, 0, 1), time.Tuesday), 8)
	evening := at(day(base.AddDate(0, 0, 14), time.Tuesday), 19)
	return []time.Time{first, saturday, afterChange, evening}
}
