package meetings

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
)

// The meeting's agenda: adopted agenda items and procedural lines in an
// order, with durations and a lead side, agreed by every delegation's head
// on its exact revision. Every change makes a new revision, which voids the
// approvals given on earlier ones.

// procedureTitles name the procedural lines in the agenda's recorded text
// (both languages: the revision is one text for every reader).
var procedureTitles = map[string]string{
	"opening":        "Opening / 开幕",
	"adoption":       "Adoption of the agenda / 通过议程",
	"actions_review": "Review of open actions / 审议未完成的行动",
	"aob":            "Any other business / 其他事项",
	"closing":        "Closing / 闭幕",
}

// agendaText is the recorded text of a meeting agenda: one line per entry.
func agendaText(lines []Line, sides map[int64]string) string {
	var b strings.Builder
	for i, l := range lines {
		title := procedureTitles[l.Procedure]
		if l.ItemID != nil {
			title = l.ItemTitle
			if l.ItemTrTitle != "" {
				title += " / " + l.ItemTrTitle
			}
		}
		lead := ""
		if l.LeadSideID != nil {
			lead = ", " + sides[*l.LeadSideID]
		}
		fmt.Fprintf(&b, "%d. %s (%d min%s)\n", i+1, title, l.DurationMinutes, lead)
	}
	return b.String()
}

// AgendaView is a meeting's agenda page.
type AgendaView struct {
	Meeting   *Meeting
	Lines     []Line
	Parties   []int64
	Standing  app.Standing
	Revisions []app.Revision // the last two, for the comparison
	Adopted   []agenda.Item  // adopted items the secretariat may add (when it may edit)
}

// Agenda loads a meeting's agenda as the actor sees it.
func (s *Service) Agenda(ctx context.Context, actor *app.User, publicID string) (*AgendaView, error) {
	m, err := s.ByRef(ctx, actor, publicID)
	if err != nil {
		return nil, err
	}
	v := &AgendaView{Meeting: m}
	if v.Lines, err = s.st.lines(ctx, m.ID); err != nil {
		return nil, err
	}
	rec := record(actor, m, KindAgenda)
	if v.Parties, v.Standing, err = s.core.PartiesAndStanding(ctx, actor, rec); err != nil {
		return nil, err
	}
	if v.Revisions, err = s.core.LatestRevisionsOf(ctx, actor, rec, 2); err != nil {
		return nil, err
	}
	if canEditAgenda(actor, m) {
		if v.Adopted, err = s.agenda.Adopted(ctx, actor, 200); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// sideCodes names the sides by code, for recorded texts.
func (s *Service) sideCodes(ctx context.Context, actor *app.User) (map[int64]string, error) {
	sides, err := s.core.ListSides(ctx, actor)
	out := map[int64]string{}
	for _, sd := range sides {
		out[sd.ID] = sd.Code
	}
	return out, err
}

// changeAgenda runs an edit of a meeting's agenda (the secretariat) and
// records the new revision of its text, in one transaction.
func (s *Service) changeAgenda(ctx context.Context, actor *app.User, id, version int64, action string,
	edit func(tx wtx, m *Meeting, lines []Line) (map[string]any, error)) error {
	if _, err := s.managed(ctx, actor, id, StatusPlanning, StatusScheduled); err != nil {
		return err
	}
	codes, err := s.sideCodes(ctx, actor)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		m, err := tx.inState(id, version, StatusPlanning, StatusScheduled)
		if err != nil {
			return err
		}
		lines, err := tx.lines(id)
		if err != nil {
			return err
		}
		ch, err := edit(tx, m, lines)
		if err != nil {
			return err
		}
		if lines, err = tx.lines(id); err != nil {
			return err
		}
		rev := m.AgendaRevision + 1
		if err := tx.UpdateVersioned("meetings", id, m.Version, map[string]any{"agenda_revision": rev}); err != nil {
			return err
		}
		text := agendaText(lines, codes)
		if err := tx.AddRevision(m.agendaRef(), rev, m.TitleEN, text, actor.ID, nil); err != nil {
			return err
		}
		ch["agenda_revision"] = rev
		ch["agenda"] = text
		return tx.Audit(actor, m.audit(action, ch))
	})
}

func (s *Service) checkLine(in *LineInput, sides map[int64]string, v app.Validation) {
	if in.DurationMinutes < 1 || in.DurationMinutes > agenda.MaxDuration {
		v.Add("duration", "meeting.line_duration_invalid")
	}
	if in.LeadSideID != 0 {
		if _, ok := sides[in.LeadSideID]; !ok {
			v.Add("lead", "meeting.lead_invalid")
		}
	}
}

// AddLine adds an adopted agenda item (which becomes scheduled) or a
// procedural line at the end of a meeting's agenda.
func (s *Service) AddLine(ctx context.Context, actor *app.User, id, version int64, in LineInput) error {
	if _, err := s.managed(ctx, actor, id, StatusPlanning, StatusScheduled); err != nil {
		return err // who may act is checked before what they typed
	}
	codes, err := s.sideCodes(ctx, actor)
	if err != nil {
		return err
	}
	v := app.Validation{}
	s.checkLine(&in, codes, v)
	if in.ItemID == 0 && !ValidProcedure(in.Procedure) {
		v.Add("entry", "meeting.entry_invalid")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.changeAgenda(ctx, actor, id, version, "meeting.agenda_add", func(tx wtx, m *Meeting, lines []Line) (map[string]any, error) {
		if len(lines) >= MaxLines {
			return nil, fieldErr("entry", "meeting.too_many_lines")
		}
		l := &Line{MeetingID: id, Position: len(lines) + 1, DurationMinutes: in.DurationMinutes, CreatedAt: tx.Now()}
		if len(lines) > 0 {
			l.Position = lines[len(lines)-1].Position + 1
		}
		if in.LeadSideID != 0 {
			l.LeadSideID = &in.LeadSideID
		}
		ch := map[string]any{"duration": in.DurationMinutes}
		if in.ItemID != 0 {
			moved, err := s.agenda.MoveItem(tx.Tx, actor, in.ItemID, []agenda.Status{agenda.StatusAdopted}, agenda.StatusScheduled,
				map[string]any{"meeting": m.TitleEN})
			if err != nil {
				return nil, err
			}
			if !moved {
				return nil, fieldErr("entry", "meeting.item_not_adopted")
			}
			l.ItemID = &in.ItemID
		} else {
			l.Procedure = in.Procedure
			ch["procedure"] = in.Procedure
		}
		return ch, tx.createLine(l)
	})
}

// LineChange edits, moves or removes a line of a meeting's agenda.
type LineChange struct {
	LineID          int64
	Move            int // -1 up, +1 down, 0 stay
	Remove          bool
	DurationMinutes int
	LeadSideID      int64
}

// ChangeLine edits a line's duration and lead side, moves it up or down, or
// removes it (its item, if any, returns to adopted).
func (s *Service) ChangeLine(ctx context.Context, actor *app.User, id, version int64, in LineChange) error {
	if _, err := s.managed(ctx, actor, id, StatusPlanning, StatusScheduled); err != nil {
		return err // who may act is checked before what they typed
	}
	codes, err := s.sideCodes(ctx, actor)
	if err != nil {
		return err
	}
	if !in.Remove && in.Move == 0 {
		v := app.Validation{}
		s.checkLine(&LineInput{DurationMinutes: in.DurationMinutes, LeadSideID: in.LeadSideID}, codes, v)
		if err := v.Err(); err != nil {
			return err
		}
	}
	return s.changeAgenda(ctx, actor, id, version, "meeting.agenda_change", func(tx wtx, m *Meeting, lines []Line) (map[string]any, error) {
		at := -1
		for i, l := range lines {
			if l.ID == in.LineID {
				at = i
			}
		}
		if at < 0 {
			return nil, app.ErrNotFound
		}
		l := lines[at]
		ch := map[string]any{"line": at + 1}
		switch {
		case in.Remove:
			ch["removed"] = true
			if l.ItemID != nil {
				if _, err := s.agenda.MoveItem(tx.Tx, actor, *l.ItemID, []agenda.Status{agenda.StatusScheduled}, agenda.StatusAdopted,
					map[string]any{"meeting": m.TitleEN}); err != nil {
					return nil, err
				}
			}
			return ch, tx.deleteLine(l.ID)
		case in.Move != 0:
			to := at + in.Move
			if to < 0 || to >= len(lines) {
				return nil, app.Errorf(app.EINVALID, "meeting.cannot_move")
			}
			ch["moved"] = []any{at + 1, to + 1}
			if err := tx.updateLine(l.ID, map[string]any{"position": lines[to].Position}); err != nil {
				return nil, err
			}
			return ch, tx.updateLine(lines[to].ID, map[string]any{"position": l.Position})
		}
		fields := map[string]any{"duration_minutes": in.DurationMinutes, "lead_side_id": nil}
		if in.LeadSideID != 0 {
			fields["lead_side_id"] = in.LeadSideID
		}
		app.Diff(ch, "duration", l.DurationMinutes, in.DurationMinutes)
		return ch, tx.updateLine(l.ID, fields)
	})
}

// approve records the actor's delegation's approval of the exact revision of
// a meeting's agenda or minutes, and, when every party has approved it, sets
// the outcome once (done runs inside the same transaction).
func (s *Service) approve(ctx context.Context, actor *app.User, id int64, revision int, kind app.Kind,
	states []Status, done func(tx wtx, m *Meeting) error) error {
	m, err := s.Get(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canApprove(actor) {
		return app.ErrForbidden
	}
	rec := record(actor, m, kind)
	parties, standing, err := s.core.PartiesAndStanding(ctx, actor, rec)
	if err != nil {
		return err
	}
	party := false
	for _, p := range parties {
		party = party || p == actor.SideID
	}
	if !party {
		return app.Errorf(app.EFORBIDDEN, "meeting.not_a_party")
	}
	if rec.Revision == 0 {
		return app.Errorf(app.EINVALID, "meeting.not_in_this_state")
	}
	if revision != rec.Revision {
		return app.Errorf(app.ECONFLICT, "meeting.revision_changed")
	}
	if d := standing.For(actor.SideID); d != nil {
		return app.Errorf(app.EINVALID, "meeting.already_approved")
	}
	return s.write(ctx, func(tx wtx) error {
		cur, err := tx.inState(id, anyVersion, states...)
		if err != nil {
			return err
		}
		now := record(actor, cur, kind)
		if now.Revision != revision {
			return app.Errorf(app.ECONFLICT, "meeting.revision_changed")
		}
		if k, err := tx.StandingKind(now.Ref, actor.SideID, revision); err != nil || k != "" {
			if err == nil {
				err = app.Errorf(app.EINVALID, "meeting.already_approved")
			}
			return err
		}
		ch := map[string]any{"side": actor.Side.Code, "revision": revision}
		action := "meeting.agenda_approve"
		if kind == KindMinutes {
			action = "meeting.minutes_approve"
		}
		if err := tx.Decide(actor, now.Ref, revision, Approve, "", cur.audit(action, ch)); err != nil {
			return err
		}
		return done(tx, cur)
	})
}

// ApproveAgenda approves the exact revision of a meeting's agenda for the
// actor's delegation; approved by every party, the agenda is agreed.
func (s *Service) ApproveAgenda(ctx context.Context, actor *app.User, id int64, revision int) error {
	return s.approve(ctx, actor, id, revision, KindAgenda, []Status{StatusPlanning, StatusScheduled},
		func(tx wtx, m *Meeting) error {
			agreed, err := tx.settle(KindAgenda, id, "agenda_revision", map[string]any{"agenda_agreed": revision})
			if err != nil || !agreed {
				return err
			}
			return tx.Audit(actor, m.audit("meeting.agenda_agreed", map[string]any{"revision": revision}))
		})
}

// settle sets fields on a meeting when every party has approved the
// revision in revCol: a conditional update, so that it happens once.
func (tx wtx) settle(kind app.Kind, id int64, revCol string, fields map[string]any) (bool, error) {
	all, args := app.AllPartiesDecided(kind, "meetings.id", "meetings."+revCol, Approve)
	set, vals := []string{"version = version + 1", "updated_at = ?"}, []any{tx.Now()}
	for k, v := range fields {
		set = append(set, k+" = ?")
		vals = append(vals, v)
	}
	res := tx.Gorm().Exec("UPDATE meetings SET "+strings.Join(set, ", ")+" WHERE id = ? AND "+all,
		append(append(vals, id), args...)...)
	return res.RowsAffected == 1, res.Error
}

// Timetable is each line's start, from the meeting's start, and whether the
// agenda overruns the meeting.
func Timetable(m *Meeting, lines []Line) (starts []time.Duration, total time.Duration, overrun bool) {
	for _, l := range lines {
		starts = append(starts, total)
		total += time.Duration(l.DurationMinutes) * time.Minute
	}
	return starts, total, total > m.Duration()
}
