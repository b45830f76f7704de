package meetings

import (
	"context"
	"sort"
	"time"

	"github.com/parley/parley/app"
)

// The availability poll: the secretariat proposes slots, members of both
// delegations answer each one, and the secretariat confirms one.

// AddSlot adds a candidate time to a meeting's poll (the secretariat), entered
// as a wall-clock time in a zone. A slot must start in the future and end by
// the meeting's milestone; a scheduled meeting may get one to move to.
func (s *Service) AddSlot(ctx context.Context, actor *app.User, id int64, start, zone string) (*Slot, error) {
	m, err := s.managed(ctx, actor, id, StatusPlanning, StatusScheduled)
	if err != nil {
		return nil, err
	}
	if zone == "" {
		zone = m.Zone
	}
	v := app.Validation{}
	at := parseField(v, "start", "zone", start, zone)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.checkTime(m, at); err != nil {
		return nil, err
	}
	sl := &Slot{MeetingID: m.ID, StartsAt: at, Zone: zone, CreatedAt: s.core.Clock()}
	err = s.write(ctx, func(tx wtx) error {
		cur, err := tx.inState(id, anyVersion, StatusPlanning, StatusScheduled)
		if err != nil {
			return err
		}
		n, err := tx.slotCount(id)
		if err != nil {
			return err
		}
		if n >= MaxSlots {
			return fieldErr("start", "meeting.too_many_slots")
		}
		if err := tx.createSlot(sl); err != nil {
			if app.IsUniqueViolation(err) {
				return fieldErr("start", "meeting.slot_exists")
			}
			return err
		}
		return tx.Audit(actor, cur.audit("meeting.slot_add", map[string]any{"slot": at.Format(time.RFC3339), "zone": zone}))
	})
	return sl, err
}

func fieldErr(field, key string) error {
	v := app.Validation{}
	v.Add(field, key)
	return v.Err()
}

// checkTime refuses a time in the past or one whose meeting would end after
// the milestone it must come before.
func (s *Service) checkTime(m *Meeting, at time.Time) error {
	if !at.After(s.core.Clock()) {
		return fieldErr("start", "meeting.slot_past")
	}
	if b := m.Before(); b != nil && at.Add(m.Duration()).After(*b) {
		return fieldErr("start", "meeting.slot_after_milestone")
	}
	return nil
}

// AnswerInput is one answer to one slot.
type AnswerInput struct {
	SlotID int64
	Answer Answer
	Note   string
}

// Answer records the actor's answers to slots of the open poll; they may
// change them while it is open. Each answer is audited on the member's own
// side's chain: the other delegation learns only the totals.
func (s *Service) Answer(ctx context.Context, actor *app.User, id int64, answers []AnswerInput) error {
	m, err := s.Get(ctx, actor, id)
	if err != nil {
		return err
	}
	if !isDelegationWriter(actor) {
		return app.ErrForbidden
	}
	if !canAnswer(actor, m) {
		return app.Errorf(app.EINVALID, "meeting.poll_closed")
	}
	v := app.Validation{}
	for i := range answers {
		a := &answers[i]
		a.Note = app.CleanText(a.Note)
		if !a.Answer.Valid() {
			v.Add("slot", "meeting.answer_invalid")
		}
		app.CheckText(v, "note", a.Note, MaxNoteLen, false)
	}
	if len(answers) == 0 {
		v.Add("slot", "meeting.answer_none")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		cur, err := tx.meetingForUpdate(id)
		if err != nil {
			return err
		}
		if !cur.PollOpen() {
			return app.Errorf(app.EINVALID, "meeting.poll_closed")
		}
		for _, a := range answers {
			sl, err := tx.slot(id, a.SlotID)
			if err != nil {
				return app.Errorf(app.EINVALID, "meeting.slot_not_in_poll")
			}
			if err := tx.saveAnswer(SlotAnswer{SlotID: sl.ID, UserID: actor.ID, SideID: actor.SideID,
				IsHead: actor.Role == app.RoleHead, Answer: a.Answer, Note: a.Note}, id); err != nil {
				return err
			}
			if err := tx.Audit(actor, app.Audit{Action: "meeting.answer", ObjectType: string(KindMeeting), ObjectID: id,
				Visibility: app.Internal, SideID: actor.SideID, Changes: map[string]any{"slot": sl.StartsAt.Format(time.RFC3339),
					"answer": string(a.Answer), "note": a.Note}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Confirm fixes the meeting's time at one of its poll's slots (the
// secretariat): the poll closes and the meeting is scheduled. Confirming
// another slot of a scheduled meeting reschedules it: the meeting keeps its
// identity and its calendar entry moves (its SEQUENCE rises).
func (s *Service) Confirm(ctx context.Context, actor *app.User, id, version, slotID int64) error {
	m, err := s.managed(ctx, actor, id, StatusPlanning, StatusScheduled)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		cur, err := tx.inState(id, version, StatusPlanning, StatusScheduled)
		if err != nil {
			return err
		}
		sl, err := tx.slot(id, slotID)
		if err != nil {
			return fieldErr("slot", "meeting.slot_not_in_poll")
		}
		if cur.SlotID != nil && *cur.SlotID == sl.ID {
			return fieldErr("slot", "meeting.slot_already_confirmed")
		}
		if err := s.checkTime(m, sl.StartsAt); err != nil {
			return fieldErr("slot", app.FieldErrors(err)["start"])
		}
		if err := tx.UpdateVersioned("meetings", id, cur.Version, map[string]any{"status": StatusScheduled,
			"starts_at": sl.StartsAt, "slot_id": sl.ID, "sequence": cur.Sequence + 1}); err != nil {
			return err
		}
		action, ch := "meeting.confirm", map[string]any{"status": []any{string(cur.Status), "scheduled"},
			"starts_at": sl.StartsAt.Format(time.RFC3339)}
		if cur.StartsAt != nil {
			action = "meeting.reschedule"
			ch["starts_at"] = []any{cur.StartsAt.UTC().Format(time.RFC3339), sl.StartsAt.Format(time.RFC3339)}
			delete(ch, "status")
		}
		return tx.Audit(actor, cur.audit(action, ch))
	})
}

// poll summarises a meeting's slots for the actor: every delegation's
// totals, the individual answers the actor may read (their own side's; the
// secretariat's every side's), and the ranking.
func (s *Service) poll(ctx context.Context, actor *app.User, m *Meeting) ([]SlotSummary, []int64, error) {
	slots, tallies, err := s.st.slotGrid(ctx, m.ID)
	if err != nil || len(slots) == 0 {
		return nil, nil, err
	}
	var answers []SlotAnswer
	var readable []int64
	switch {
	case seesEveryAnswer(actor):
		answers, err = s.st.answers(ctx, m.ID, 0)
	case actor.InternalSideID() != 0:
		answers, err = s.st.answers(ctx, m.ID, actor.InternalSideID())
		readable = []int64{actor.InternalSideID()}
	default: // a pending member reads only the totals, and their own answers if any
		answers, err = s.st.ownAnswers(ctx, m.ID, actor.ID)
	}
	if err != nil {
		return nil, nil, err
	}
	if seesEveryAnswer(actor) {
		for _, t := range tallies[slots[0].ID] {
			readable = append(readable, t.SideID)
		}
	}
	now := s.core.Clock()
	out := make([]SlotSummary, len(slots))
	for i, sl := range slots {
		sum := SlotSummary{Slot: sl, Past: !sl.StartsAt.After(now)}
		if b := m.Before(); b != nil && sl.StartsAt.Add(m.Duration()).After(*b) {
			sum.Beyond = true
		}
		sum.Tallies = tallies[sl.ID]
		for _, a := range answers {
			if a.SlotID != sl.ID {
				continue
			}
			if a.UserID == actor.ID {
				mine := a
				sum.Mine = &mine
			}
			if canSeeAnswersOf(actor, a.SideID) {
				sum.Answers = append(sum.Answers, a)
			}
		}
		sum.Score, sum.HeadNo = Score(sum.Tallies)
		out[i] = sum
	}
	rank(out)
	return out, readable, nil
}

// Score rates a slot with equal weight per delegation: each delegation's
// share is (yes + ½ if-need-be) over those of it who answered; a delegation
// nobody of which answered counts 0. headNo: some delegation's head cannot attend.
func Score(tallies []SideTally) (score float64, headNo bool) {
	if len(tallies) == 0 {
		return 0, false
	}
	for _, t := range tallies {
		if n := t.Answered(); n > 0 {
			score += (float64(t.Yes) + float64(t.IfNeedBe)/2) / float64(n)
		}
		headNo = headNo || t.HeadNo
	}
	return score / float64(len(tallies)), headNo
}

// rank orders slots best first without moving them: a slot a head cannot
// attend never comes before one every head can; then the higher score; then
// the slot more delegations answered; then the earlier. Only an open slot
// (not past, not beyond the milestone) that no head refused is "best".
func rank(slots []SlotSummary) {
	idx := make([]int, len(slots))
	for i := range idx {
		idx[i] = i
	}
	answered := func(s SlotSummary) int {
		n := 0
		for _, t := range s.Tallies {
			if t.Answered() > 0 {
				n++
			}
		}
		return n
	}
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := slots[idx[a]], slots[idx[b]]
		if xo, yo := x.HeadNo || x.Past || x.Beyond, y.HeadNo || y.Past || y.Beyond; xo != yo {
			return !xo
		}
		if x.Score != y.Score {
			return x.Score > y.Score
		}
		if ax, ay := answered(x), answered(y); ax != ay {
			return ax > ay
		}
		return x.StartsAt.Before(y.StartsAt)
	})
	for r, i := range idx {
		slots[i].Rank = r + 1
		slots[i].Best = r == 0 && !slots[i].HeadNo && !slots[i].Past && !slots[i].Beyond && slots[i].Score > 0
	}
}
