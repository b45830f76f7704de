package meetings

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/parley/parley/app"
)

// store is the meetings' database access: the only meetings file that uses gorm.
type store struct{ db *app.DB }

// wtx is a write transaction, for the meetings' writes.
type wtx struct{ *app.Tx }

func (Milestone) TableName() string { return "milestones" }
func (Meeting) TableName() string   { return "meetings" }
func (Slot) TableName() string      { return "meeting_slots" }
func (Line) TableName() string      { return "meeting_lines" }
func (Attendee) TableName() string  { return "meeting_attendees" }
func (Statement) TableName() string { return "meeting_statements" }

// Milestones.

func (st store) milestones(ctx context.Context, limit int) ([]Milestone, error) {
	var out []Milestone
	err := st.db.Read(ctx).Order("starts_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, app.DBErr(err)
}

func (st store) milestone(ctx context.Context, id int64) (*Milestone, error) {
	var m Milestone
	if err := st.db.Read(ctx).Where("id = ?", id).Take(&m).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &m, nil
}

func (tx wtx) createMilestone(m *Milestone) error {
	m.PublicID = app.NewPublicID()
	return tx.Gorm().Create(m).Error
}

// Meetings.

func (tx wtx) createMeeting(m *Meeting) error {
	m.PublicID = app.NewPublicID()
	return tx.Gorm().Omit(clause.Associations).Create(m).Error
}

// meeting loads one meeting with its milestone, by row id or opaque identifier.
func (st store) meeting(ctx context.Context, column string, value any) (*Meeting, error) {
	var m Meeting
	if err := st.db.Read(ctx).Joins("Milestone").Where("meetings."+column+" = ?", value).Take(&m).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &m, nil
}

// meetingForUpdate reads a meeting inside the write transaction.
func (tx wtx) meetingForUpdate(id int64) (*Meeting, error) {
	var m Meeting
	if err := tx.Gorm().Joins("Milestone").Where("meetings.id = ?", id).Take(&m).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &m, nil
}

// listMeetings is one page of meetings: upcoming ones soonest first (those
// without a time yet first of all), past ones latest first. It counts at
// most CountCap, like the agenda.
func (st store) listMeetings(ctx context.Context, f Filter, now time.Time) (app.PageOf[Meeting], bool, error) {
	base := func() *gorm.DB {
		q := st.db.Read(ctx).Model(&Meeting{})
		if f.When == "past" {
			// The unary + keeps SQLite from gathering every past meeting through
			// two indexes and sorting them: it walks the index on the start
			// time from the latest down, and stops at the page's end.
			q = q.Where("+meetings.status IN ? OR (+meetings.starts_at IS NOT NULL AND +meetings.starts_at < ?)",
				[]Status{StatusHeld, StatusMinutesApproved, StatusCancelled}, now)
		} else {
			q = q.Where("meetings.status IN ? AND (meetings.starts_at IS NULL OR meetings.starts_at >= ?)",
				[]Status{StatusPlanning, StatusScheduled}, now)
		}
		if f.Status != "" {
			q = q.Where("meetings.status = ?", f.Status)
		}
		return q
	}
	out := app.PageOf[Meeting]{Page: f.Page}
	var n int64
	capped := base().Select("meetings.id").Limit(CountCap + 1)
	if err := st.db.Read(ctx).Table("(?) AS capped", capped).Count(&n).Error; err != nil {
		return out, false, app.DBErr(err)
	}
	out.Total = min(n, CountCap)
	order := "meetings.starts_at IS NOT NULL, meetings.starts_at, meetings.id"
	if f.When == "past" {
		order = "meetings.starts_at DESC, meetings.id DESC"
	}
	err := base().Joins("Milestone").Order(order).Limit(f.Page.Size).Offset(f.Page.Offset()).Find(&out.Items).Error
	return out, n > CountCap, app.DBErr(err)
}

// CountCap is how many meetings a list counts at most.
const CountCap = 1000

// Slots and answers.

func (tx wtx) slotCount(meetingID int64) (int64, error) {
	var n int64
	err := tx.Gorm().Model(&Slot{}).Where("meeting_id = ?", meetingID).Count(&n).Error
	return n, err
}

func (tx wtx) slot(meetingID, slotID int64) (*Slot, error) {
	var s Slot
	if err := tx.Gorm().Where("meeting_id = ? AND id = ?", meetingID, slotID).Take(&s).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &s, nil
}

func (tx wtx) createSlot(s *Slot) error {
	s.PublicID = app.NewPublicID()
	return tx.Gorm().Create(s).Error
}

// slotGrid loads, in one query, a meeting's slots and, for each slot and
// each delegation, that delegation's answers counted and whether a head of
// it answered yes (or if need be) or no: what every side may see.
func (st store) slotGrid(ctx context.Context, meetingID int64) ([]Slot, map[int64][]SideTally, error) {
	rows, err := st.db.Read(ctx).Raw(`SELECT s.id, s.public_id, s.starts_at, s.zone, s.created_at, d.id,
		    COALESCE(t.yes, 0), COALESCE(t.maybe, 0), COALESCE(t.no, 0), COALESCE(t.head_yes, 0), COALESCE(t.head_no, 0)
		FROM meeting_slots s
		CROSS JOIN sides d
		LEFT JOIN (SELECT slot_id, side_id, SUM(answer = 'yes') AS yes, SUM(answer = 'if_need_be') AS maybe,
		        SUM(answer = 'no') AS no, MAX(is_head = 1 AND answer <> 'no') AS head_yes, MAX(is_head = 1 AND answer = 'no') AS head_no
		    FROM slot_answers WHERE meeting_id = ? GROUP BY slot_id, side_id) t ON t.slot_id = s.id AND t.side_id = d.id
		WHERE s.meeting_id = ? AND d.kind = ?
		ORDER BY s.starts_at, s.id, d.id LIMIT ?`, meetingID, meetingID, app.KindDelegation, MaxSlots*20).Rows()
	if err != nil {
		return nil, nil, app.DBErr(err)
	}
	defer rows.Close()
	var slots []Slot
	tallies := map[int64][]SideTally{}
	for rows.Next() {
		var sl Slot
		var t SideTally
		if err := rows.Scan(&sl.ID, &sl.PublicID, &sl.StartsAt, &sl.Zone, &sl.CreatedAt, &t.SideID,
			&t.Yes, &t.IfNeedBe, &t.No, &t.HeadYes, &t.HeadNo); err != nil {
			return nil, nil, app.DBErr(err)
		}
		if n := len(slots); n == 0 || slots[n-1].ID != sl.ID {
			sl.MeetingID = meetingID
			sl.StartsAt = sl.StartsAt.UTC()
			slots = append(slots, sl)
		}
		tallies[sl.ID] = append(tallies[sl.ID], t)
	}
	return slots, tallies, app.DBErr(rows.Err())
}

// answers lists the individual answers to a meeting's slots given by the
// members of one side (sideID), or of every side (0), with their names.
// The caller has decided, by the policy, which the actor may read.
func (st store) answers(ctx context.Context, meetingID, sideID int64) ([]SlotAnswer, error) {
	q := st.db.Read(ctx).Table("slot_answers a").Joins("JOIN users u ON u.id = a.user_id").
		Select("a.slot_id, a.user_id, u.name AS user_name, a.side_id, a.is_head, a.answer, a.note").
		Where("a.meeting_id = ?", meetingID)
	if sideID != 0 {
		q = q.Where("a.side_id = ?", sideID)
	}
	var out []SlotAnswer
	err := q.Order("a.side_id, u.name, a.user_id").Limit(MaxSlots * 200).Scan(&out).Error
	return out, app.DBErr(err)
}

// ownAnswers lists one member's answers to a meeting's slots.
func (st store) ownAnswers(ctx context.Context, meetingID, userID int64) ([]SlotAnswer, error) {
	var out []SlotAnswer
	err := st.db.Read(ctx).Table("slot_answers").Select("slot_id, user_id, side_id, is_head, answer, note").
		Where("meeting_id = ? AND user_id = ?", meetingID, userID).Scan(&out).Error
	return out, app.DBErr(err)
}

func (tx wtx) saveAnswer(a SlotAnswer, meetingID int64) error {
	return tx.Gorm().Exec(`INSERT INTO slot_answers (slot_id, user_id, meeting_id, side_id, is_head, answer, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (slot_id, user_id) DO UPDATE SET answer = excluded.answer, note = excluded.note,
		    side_id = excluded.side_id, is_head = excluded.is_head, updated_at = excluded.updated_at`,
		a.SlotID, a.UserID, meetingID, a.SideID, a.IsHead, a.Answer, a.Note, tx.Now(), tx.Now()).Error
}

// Agenda lines.

// lines loads a meeting's agenda lines with their items' identifiers,
// titles and translated titles, in one query.
func (st store) lines(ctx context.Context, meetingID int64) ([]Line, error) {
	return linesIn(st.db.Read(ctx), meetingID)
}

func (tx wtx) lines(meetingID int64) ([]Line, error) { return linesIn(tx.Gorm(), meetingID) }

// linesOf loads the agenda lines of several meetings, by meeting, in one query.
func (st store) linesOf(ctx context.Context, meetingIDs []int64) (map[int64][]Line, error) {
	all, err := scanLines(st.db.Read(ctx), "l.meeting_id IN ?", meetingIDs, MaxLines*len(meetingIDs))
	out := map[int64][]Line{}
	for _, l := range all {
		out[l.MeetingID] = append(out[l.MeetingID], l)
	}
	return out, err
}

func linesIn(g *gorm.DB, meetingID int64) ([]Line, error) {
	return scanLines(g, "l.meeting_id = ?", meetingID, MaxLines)
}

func scanLines(g *gorm.DB, where string, arg any, limit int) ([]Line, error) {
	rows, err := g.Raw(`SELECT l.meeting_id, l.id, l.public_id, l.position, l.item_id, l.procedure, l.duration_minutes, l.lead_side_id,
		    l.minutes, l.outcome, l.created_at, COALESCE(i.public_id, ''), COALESCE(i.title, ''), COALESCE(i.language, ''),
		    COALESCE(t.title, ''), COALESCE(i.status, '')
		FROM meeting_lines l
		LEFT JOIN agenda_items i ON i.id = l.item_id
		LEFT JOIN translations t ON t.object_type = 'agenda_item' AND t.object_id = l.item_id
		WHERE `+where+` ORDER BY l.meeting_id, l.position, l.id LIMIT ?`, arg, limit).Rows()
	if err != nil {
		return nil, app.DBErr(err)
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		var l Line
		var item, lead sql.NullInt64
		var itemStatus string
		if err := rows.Scan(&l.MeetingID, &l.ID, &l.PublicID, &l.Position, &item, &l.Procedure, &l.DurationMinutes, &lead, &l.Minutes,
			&l.Outcome, &l.CreatedAt, &l.ItemRef, &l.ItemTitle, &l.ItemLang, &l.ItemTrTitle, &itemStatus); err != nil {
			return nil, app.DBErr(err)
		}
		if item.Valid {
			l.ItemID = &item.Int64
			l.ItemStatus = itemStatus
		}
		if lead.Valid {
			l.LeadSideID = &lead.Int64
		}
		out = append(out, l)
	}
	return out, app.DBErr(rows.Err())
}

func (tx wtx) createLine(l *Line) error {
	l.PublicID = app.NewPublicID()
	return tx.Gorm().Omit(clause.Associations).Create(l).Error
}

func (tx wtx) updateLine(id int64, fields map[string]any) error {
	return tx.Gorm().Model(&Line{}).Where("id = ?", id).Updates(fields).Error
}

func (tx wtx) deleteLine(id int64) error {
	return tx.Gorm().Where("id = ?", id).Delete(&Line{}).Error
}

// plannedElsewhere reports whether a meeting other than meetingID, still to
// be held, has the item on its agenda.
func (tx wtx) plannedElsewhere(itemID, meetingID int64) (bool, error) {
	var n int64
	err := tx.Gorm().Table("meeting_lines l").Joins("JOIN meetings m ON m.id = l.meeting_id").
		Where("l.item_id = ? AND l.meeting_id <> ? AND m.status IN ?", itemID, meetingID, []Status{StatusPlanning, StatusScheduled}).
		Count(&n).Error
	return n > 0, err
}

// Attendance.

// attendance loads, in one query, a meeting's attendees and the confirmed,
// enabled members of the side memberSide (0: none), among whom that side
// chooses its attendees.
func (st store) attendance(ctx context.Context, meetingID, memberSide int64) ([]Attendee, []app.User, error) {
	rows, err := st.db.Read(ctx).Raw(`SELECT 0, a.id, a.public_id, a.side_id, a.user_id, a.guest_name, a.attended, COALESCE(u.name, a.guest_name)
		FROM meeting_attendees a LEFT JOIN users u ON u.id = a.user_id WHERE a.meeting_id = ?
		UNION ALL
		SELECT 1, u.id, u.public_id, u.side_id, u.id, '', 0, u.name
		FROM users u WHERE u.side_id = ? AND u.pending = 0 AND u.disabled_at IS NULL
		ORDER BY 1, 4, 2 LIMIT ?`, meetingID, memberSide, MaxListed).Rows()
	if err != nil {
		return nil, nil, app.DBErr(err)
	}
	defer rows.Close()
	var attendees []Attendee
	var members []app.User
	for rows.Next() {
		var member bool
		var a Attendee
		var user sql.NullInt64
		if err := rows.Scan(&member, &a.ID, &a.PublicID, &a.SideID, &user, &a.GuestName, &a.Attended, &a.Name); err != nil {
			return nil, nil, app.DBErr(err)
		}
		if member {
			members = append(members, app.User{ID: a.ID, PublicID: a.PublicID, SideID: a.SideID, Name: a.Name})
			continue
		}
		a.MeetingID = meetingID
		if user.Valid {
			a.UserID = &user.Int64
		}
		attendees = append(attendees, a)
	}
	return attendees, members, app.DBErr(rows.Err())
}

func (tx wtx) attendeeCount(meetingID, sideID int64) (int64, error) {
	var n int64
	err := tx.Gorm().Model(&Attendee{}).Where("meeting_id = ? AND side_id = ?", meetingID, sideID).Count(&n).Error
	return n, err
}

func (tx wtx) createAttendee(a *Attendee) error {
	a.PublicID = app.NewPublicID()
	return tx.Gorm().Create(a).Error
}

func (tx wtx) attendee(meetingID, id int64) (*Attendee, error) {
	var a Attendee
	if err := tx.Gorm().Where("meeting_id = ? AND id = ?", meetingID, id).Take(&a).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &a, nil
}

func (tx wtx) deleteAttendee(id int64) error {
	return tx.Gorm().Where("id = ?", id).Delete(&Attendee{}).Error
}

func (tx wtx) setAttended(meetingID int64, attended []int64) error {
	if err := tx.Gorm().Model(&Attendee{}).Where("meeting_id = ?", meetingID).Update("attended", false).Error; err != nil {
		return err
	}
	if len(attended) == 0 {
		return nil
	}
	return tx.Gorm().Model(&Attendee{}).Where("meeting_id = ? AND id IN ?", meetingID, attended).Update("attended", true).Error
}

// memberOf is a confirmed, enabled member of a side, for the attendance list.
func (tx wtx) memberOf(sideID, userID int64) (string, bool, error) {
	var names []string
	err := tx.Gorm().Table("users").Where("id = ? AND side_id = ? AND pending = ? AND disabled_at IS NULL", userID, sideID, false).
		Limit(1).Pluck("name", &names).Error
	if err != nil || len(names) == 0 {
		return "", false, err
	}
	return names[0], true, nil
}

// Statements.

func (st store) statements(ctx context.Context, meetingID int64) ([]Statement, error) {
	rows, err := st.db.Read(ctx).Raw(`SELECT s.id, s.side_id, s.body, s.author_id, u.name, s.version, s.created_at, s.updated_at
		FROM meeting_statements s JOIN users u ON u.id = s.author_id WHERE s.meeting_id = ? ORDER BY s.side_id`, meetingID).Rows()
	if err != nil {
		return nil, app.DBErr(err)
	}
	defer rows.Close()
	var out []Statement
	for rows.Next() {
		s := Statement{MeetingID: meetingID}
		if err := rows.Scan(&s.ID, &s.SideID, &s.Body, &s.AuthorID, &s.Author, &s.Version, &s.CreatedAt, &s.UpdatedAt); err != nil {
			return nil, app.DBErr(err)
		}
		out = append(out, s)
	}
	return out, app.DBErr(rows.Err())
}

func (tx wtx) statement(meetingID, sideID int64) (*Statement, error) {
	var s Statement
	res := tx.Gorm().Where("meeting_id = ? AND side_id = ?", meetingID, sideID).Limit(1).Find(&s)
	if res.Error != nil || res.RowsAffected == 0 {
		return nil, res.Error
	}
	return &s, nil
}

func (tx wtx) createStatement(s *Statement) error { return tx.Gorm().Create(s).Error }

// Calendar feeds.

func (st store) feedToken(ctx context.Context, userID int64) (string, error) {
	var tokens []string
	err := st.db.Read(ctx).Table("calendar_feeds").Where("user_id = ?", userID).Limit(1).Pluck("token", &tokens).Error
	if err != nil || len(tokens) == 0 {
		return "", app.DBErr(err)
	}
	return tokens[0], nil
}

func (tx wtx) setFeedToken(userID int64, token string) error {
	return tx.Gorm().Exec(`INSERT INTO calendar_feeds (user_id, token, created_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at`,
		userID, token, tx.Now()).Error
}

// feedUser is the enabled account a feed token belongs to (0 when none).
func (st store) feedUser(ctx context.Context, token string) (int64, error) {
	var ids []int64
	err := st.db.Read(ctx).Table("calendar_feeds f").Joins("JOIN users u ON u.id = f.user_id").
		Where("f.token = ? AND u.disabled_at IS NULL", token).Limit(1).Pluck("f.user_id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, app.DBErr(err)
	}
	return ids[0], nil
}

// timed lists the meetings with a time from since on, soonest first.
func (st store) timed(ctx context.Context, since time.Time, statuses []Status, limit int) ([]Meeting, error) {
	var out []Meeting
	err := st.db.Read(ctx).Where("starts_at IS NOT NULL AND starts_at >= ? AND status IN ?", since, statuses).
		Order("starts_at, id").Limit(limit).Find(&out).Error
	return out, app.DBErr(err)
}

// Dashboard.

// attention finds, in one query, the meetings that await something of the
// actor: an answer to the open poll (members who answer polls), an approval
// of the agenda or of the minutes by their delegation (heads), and the next
// meetings with a time.
func (st store) attention(ctx context.Context, actor *app.User, answers, approves bool, now time.Time, limit int) ([]attentionRow, error) {
	agendaDecided, a1 := app.HasStanding(KindAgenda, "m.id", "m.agenda_revision", actor.SideID, Approve)
	minutesDecided, a2 := app.HasStanding(KindMinutes, "m.id", "m.minutes_revision", actor.SideID, Approve)
	agendaParty, a3 := app.IsParty(KindAgenda, "m.id", actor.SideID)
	minutesParty, a4 := app.IsParty(KindMinutes, "m.id", actor.SideID)
	args := []any{answers, actor.ID}
	args = append(args, approves)
	args = append(args, a3...)
	args = append(args, a1...)
	args = append(args, approves)
	args = append(args, a4...)
	args = append(args, a2...)
	args = append(args, now, limit)
	rows, err := st.db.Read(ctx).Raw(`SELECT * FROM (SELECT m.id, m.public_id, m.title_en, m.title_zh, m.status, m.starts_at,
		    m.duration_minutes,
		    (? AND m.status = 'planning' AND EXISTS (SELECT 1 FROM meeting_slots s WHERE s.meeting_id = m.id
		        AND NOT EXISTS (SELECT 1 FROM slot_answers a WHERE a.slot_id = s.id AND a.user_id = ?))) AS poll,
		    (? AND m.status IN ('planning', 'scheduled') AND m.agenda_revision > 0 AND `+agendaParty+` AND NOT `+agendaDecided+`) AS agenda,
		    (? AND m.status = 'held' AND m.minutes_revision > 0 AND `+minutesParty+` AND NOT `+minutesDecided+`) AS minutes,
		    (m.status = 'scheduled' AND m.starts_at >= ?) AS upcoming
		FROM meetings m WHERE m.status IN ('planning', 'scheduled', 'held')) x
		WHERE poll OR agenda OR minutes OR upcoming
		ORDER BY starts_at IS NULL, starts_at, id LIMIT ?`, args...).Rows()
	if err != nil {
		return nil, app.DBErr(err)
	}
	defer rows.Close()
	var out []attentionRow
	for rows.Next() {
		var r attentionRow
		var at sql.NullTime
		if err := rows.Scan(&r.ID, &r.PublicID, &r.TitleEN, &r.TitleZH, &r.Status, &at, &r.DurationMinutes,
			&r.Poll, &r.Agenda, &r.Minutes, &r.Upcoming); err != nil {
			return nil, app.DBErr(err)
		}
		if at.Valid {
			t := at.Time.UTC()
			r.StartsAt = &t
		}
		out = append(out, r)
	}
	return out, app.DBErr(rows.Err())
}

type attentionRow struct {
	Meeting
	Poll, Agenda, Minutes, Upcoming bool
}
