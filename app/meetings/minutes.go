package meetings

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
)

// Minutes, statements for the record and attendance.

// minutesText is the recorded text of the minutes: a section per agenda line
// with its outcome.
func minutesText(lines []Line) string {
	var b strings.Builder
	for i, l := range lines {
		title := procedureTitles[l.Procedure]
		if l.ItemID != nil {
			title = l.ItemTitle
		}
		fmt.Fprintf(&b, "## %d. %s\n\nOutcome: %s\n\n%s\n\n", i+1, title, l.Outcome, l.Minutes)
	}
	return b.String()
}

// Digest is the SHA-256 of a revision's text, which the approvals name.
func Digest(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// MinutesView is a meeting's minutes page.
type MinutesView struct {
	Meeting    *Meeting
	Lines      []Line
	Parties    []int64
	Standing   app.Standing
	Current    *app.Revision // the current revision of the minutes, or nil
	Previous   *app.Revision // the one before, for the comparison
	Statements []Statement
}

// Minutes loads a meeting's minutes as the actor sees them.
func (s *Service) Minutes(ctx context.Context, actor *app.User, publicID string) (*MinutesView, error) {
	m, err := s.ByRef(ctx, actor, publicID)
	if err != nil {
		return nil, err
	}
	v := &MinutesView{Meeting: m}
	if v.Lines, err = s.st.lines(ctx, m.ID); err != nil {
		return nil, err
	}
	rec := record(actor, m, KindMinutes)
	if v.Parties, v.Standing, err = s.core.PartiesAndStanding(ctx, actor, rec); err != nil {
		return nil, err
	}
	revs, err := s.core.LatestRevisionsOf(ctx, actor, rec, 2)
	if err != nil {
		return nil, err
	}
	if n := len(revs); n > 0 {
		v.Current = &revs[n-1]
		if n > 1 {
			v.Previous = &revs[n-2]
		}
	}
	if v.Statements, err = s.st.statements(ctx, m.ID); err != nil {
		return nil, err
	}
	return v, nil
}

// SaveMinutes records the minutes (the secretariat): a section and an
// outcome per agenda line, as a new revision, on the revision the form was
// read at. A correction of approved minutes puts the meeting back to held
// until every delegation approves again.
func (s *Service) SaveMinutes(ctx context.Context, actor *app.User, id int64, revision int, sections []SectionInput) error {
	m, err := s.Get(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canManage(actor) {
		return app.ErrForbidden
	}
	if !canEditMinutes(actor, m) {
		return app.Errorf(app.EINVALID, "meeting.not_in_this_state")
	}
	v := app.Validation{}
	for i := range sections {
		sec := &sections[i]
		sec.Text = app.CleanText(sec.Text)
		field := fmt.Sprintf("section-%d", i)
		app.CheckText(v, field, sec.Text, MaxSectionLen, false)
		if !sec.Outcome.Valid() {
			v.Add(fmt.Sprintf("outcome-%d", i), "meeting.outcome_invalid")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		cur, err := tx.inState(id, anyVersion, StatusHeld, StatusMinutesApproved)
		if err != nil {
			return err
		}
		if cur.MinutesRevision != revision {
			return app.Errorf(app.ECONFLICT, "meeting.revision_changed")
		}
		lines, err := tx.lines(id)
		if err != nil {
			return err
		}
		if len(lines) == 0 || len(sections) != len(lines) {
			return app.Errorf(app.ECONFLICT, "meeting.revision_changed")
		}
		changed := false
		for i, l := range lines {
			sec := sections[i]
			if sec.LineID != l.ID {
				return app.Errorf(app.ECONFLICT, "meeting.revision_changed")
			}
			if sec.Text != l.Minutes || sec.Outcome != l.Outcome {
				changed = true
				if err := tx.updateLine(l.ID, map[string]any{"minutes": sec.Text, "outcome": sec.Outcome}); err != nil {
					return err
				}
				lines[i].Minutes, lines[i].Outcome = sec.Text, sec.Outcome
			}
		}
		if !changed && cur.MinutesRevision > 0 {
			return app.Errorf(app.EINVALID, "meeting.minutes_unchanged")
		}
		rev := cur.MinutesRevision + 1
		fields := map[string]any{"minutes_revision": rev}
		ch := map[string]any{"minutes_revision": rev}
		if cur.Status == StatusMinutesApproved {
			fields["status"], fields["sequence"] = StatusHeld, cur.Sequence+1
			ch["status"] = []any{string(cur.Status), string(StatusHeld)}
		}
		if err := tx.UpdateVersioned("meetings", id, cur.Version, fields); err != nil {
			return err
		}
		text := minutesText(lines)
		if err := tx.AddRevision(cur.minutesRef(), rev, cur.TitleEN, text, actor.ID, nil); err != nil {
			return err
		}
		ch["minutes"] = text
		ch["sha256"] = Digest(text)
		return tx.Audit(actor, cur.audit("meeting.minutes_save", ch))
	})
}

// ApproveMinutes approves the exact revision of the minutes for the actor's
// delegation. Approved by every party, the minutes are locked, the meeting's
// status is minutes_approved, and the outcomes act on the agenda items:
// agreed and noted close them, deferred and no consensus return them to
// adopted (an item another meeting has since scheduled is left alone).
func (s *Service) ApproveMinutes(ctx context.Context, actor *app.User, id int64, revision int) error {
	return s.approve(ctx, actor, id, revision, KindMinutes, []Status{StatusHeld},
		func(tx wtx, m *Meeting) error {
			approved, err := tx.settle(KindMinutes, id, "minutes_revision", map[string]any{"minutes_approved": revision,
				"status": StatusMinutesApproved, "sequence": m.Sequence + 1})
			if err != nil || !approved {
				return err
			}
			if err := tx.Audit(actor, m.audit("meeting.minutes_approved", map[string]any{"revision": revision,
				"status": []any{string(StatusHeld), string(StatusMinutesApproved)}})); err != nil {
				return err
			}
			lines, err := tx.lines(id)
			if err != nil {
				return err
			}
			for _, l := range lines {
				if l.ItemID == nil || !l.Outcome.Valid() {
					continue
				}
				from := []agenda.Status{agenda.StatusScheduled, agenda.StatusClosed, agenda.StatusAdopted}
				to := l.Outcome.itemStatus()
				if agenda.Status(l.ItemStatus) == to {
					continue
				}
				if l.ItemStatus == string(agenda.StatusScheduled) {
					if elsewhere, err := tx.plannedElsewhere(*l.ItemID, id); err != nil || elsewhere {
						if err != nil {
							return err
						}
						continue // a later meeting has taken it: a corrected outcome leaves it there
					}
				}
				if _, err := s.agenda.MoveItem(tx.Tx, actor, *l.ItemID, from, to,
					map[string]any{"meeting": m.TitleEN, "outcome": string(l.Outcome)}); err != nil {
					return err
				}
			}
			return nil
		})
}

// SaveStatement writes the actor's delegation's statement for the record
// (heads and delegates). Only that delegation ever writes it.
func (s *Service) SaveStatement(ctx context.Context, actor *app.User, id, version int64, body string) error {
	m, err := s.Get(ctx, actor, id)
	if err != nil {
		return err
	}
	if !isDelegationWriter(actor) {
		return app.ErrForbidden
	}
	if !canWriteStatement(actor, m) {
		return app.Errorf(app.EINVALID, "meeting.not_in_this_state")
	}
	body = app.CleanText(body)
	v := app.Validation{}
	app.CheckText(v, "statement", body, MaxStatementLen, true)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		cur, err := tx.statement(id, actor.SideID)
		if err != nil {
			return err
		}
		ch := map[string]any{"side": actor.Side.Code, "statement": body}
		if cur == nil {
			if version != 0 {
				return app.ErrConflict
			}
			now := tx.Now()
			err = tx.createStatement(&Statement{MeetingID: id, SideID: actor.SideID, Body: body, AuthorID: actor.ID,
				Version: 1, CreatedAt: now, UpdatedAt: now})
		} else {
			app.Diff(ch, "statement", cur.Body, body)
			err = tx.UpdateVersioned("meeting_statements", cur.ID, version, map[string]any{"body": body, "author_id": actor.ID})
		}
		if err != nil {
			return err
		}
		return tx.Audit(actor, m.audit("meeting.statement", ch))
	})
}

// AddAttendee lists a member of the actor's own side, or a named guest, as
// attending for that side.
func (s *Service) AddAttendee(ctx context.Context, actor *app.User, id, userID int64, guest string) error {
	m, err := s.Get(ctx, actor, id)
	if err != nil {
		return err
	}
	if !app.CanWrite(actor) {
		return app.ErrForbidden
	}
	if !canListAttendees(actor, m) {
		return app.Errorf(app.EINVALID, "meeting.not_in_this_state")
	}
	guest = app.CleanText(guest)
	v := app.Validation{}
	switch {
	case userID == 0 && guest == "":
		v.Add("guest", "meeting.attendee_none")
	case userID != 0 && guest != "":
		v.Add("guest", "meeting.attendee_both")
	default:
		app.CheckText(v, "guest", guest, MaxGuestLen, false)
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		n, err := tx.attendeeCount(id, actor.SideID)
		if err != nil {
			return err
		}
		if n >= MaxAttendees {
			return fieldErr("guest", "meeting.too_many_attendees")
		}
		a := &Attendee{MeetingID: id, SideID: actor.SideID, GuestName: guest, CreatedAt: tx.Now()}
		name := guest
		if userID != 0 {
			member, ok, err := tx.memberOf(actor.SideID, userID)
			if err != nil {
				return err
			}
			if !ok {
				return fieldErr("member", "meeting.member_invalid")
			}
			a.UserID, name = &userID, member
		}
		if err := tx.createAttendee(a); err != nil {
			if app.IsUniqueViolation(err) {
				return fieldErr("member", "meeting.attendee_exists")
			}
			return err
		}
		return tx.Audit(actor, m.audit("meeting.attendee_add", map[string]any{"side": actor.Side.Code, "attendee": name}))
	})
}

// RemoveAttendee takes one of the actor's own side's attendees off the list.
func (s *Service) RemoveAttendee(ctx context.Context, actor *app.User, id, attendeeID int64) error {
	m, err := s.Get(ctx, actor, id)
	if err != nil {
		return err
	}
	if !app.CanWrite(actor) {
		return app.ErrForbidden
	}
	if !canListAttendees(actor, m) {
		return app.Errorf(app.EINVALID, "meeting.not_in_this_state")
	}
	return s.write(ctx, func(tx wtx) error {
		a, err := tx.attendee(id, attendeeID)
		if err != nil {
			return err
		}
		if a.SideID != actor.SideID {
			return app.ErrForbidden
		}
		if err := tx.deleteAttendee(a.ID); err != nil {
			return err
		}
		name := a.GuestName
		if a.UserID != nil {
			name, _, _ = tx.memberOf(a.SideID, *a.UserID)
		}
		return tx.Audit(actor, m.audit("meeting.attendee_remove", map[string]any{"side": actor.Side.Code, "attendee": name}))
	})
}

// RecordAttendance records who attended (the secretariat): the listed
// attendees in attended did, the others did not.
func (s *Service) RecordAttendance(ctx context.Context, actor *app.User, id int64, attended []int64) error {
	m, err := s.managed(ctx, actor, id, StatusScheduled, StatusHeld)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.setAttended(id, attended); err != nil {
			return err
		}
		return tx.Audit(actor, m.audit("meeting.attendance", map[string]any{"attended": len(attended)}))
	})
}
