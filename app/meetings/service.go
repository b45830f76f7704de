package meetings

import (
	"context"
	"net/url"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
)

// Service is the meetings: every method takes the acting user and checks the
// meetings' policy (policy.go) itself.
type Service struct {
	core   *app.Service
	agenda *agenda.Service
	st     store
}

// Record kinds of a meeting: the meeting (thread, history), its agenda and
// its minutes (revisions and the heads' approvals on them).
const (
	KindMeeting app.Kind = "meeting"
	KindAgenda  app.Kind = "meeting_agenda"
	KindMinutes app.Kind = "meeting_minutes"
)

// Kinds of opaque identifier in the meetings' URLs and forms.
const (
	RefMeeting   = "meeting"
	RefMilestone = "milestone"
	RefSlot      = "meeting_slot"
	RefLine      = "meeting_line"
	RefAttendee  = "meeting_attendee"
)

// New sets up the meetings on the core service and the agenda.
func New(core *app.Service, ag *agenda.Service) *Service {
	s := &Service{core: core, agenda: ag, st: store{db: core.DB()}}
	for _, k := range []app.Kind{KindMeeting, KindAgenda, KindMinutes} {
		core.Register(k, owner{s, k})
	}
	core.RegisterRef(RefMeeting, "meetings")
	core.RegisterRef(RefMilestone, "milestones")
	core.RegisterRef(RefSlot, "meeting_slots")
	core.RegisterRef(RefLine, "meeting_lines")
	core.RegisterRef(RefAttendee, "meeting_attendees")
	return s
}

// owner answers the record parts' questions about a meeting, its agenda and its minutes.
type owner struct {
	s    *Service
	kind app.Kind
}

func (o owner) Record(ctx context.Context, actor *app.User, id int64) (*app.Record, error) {
	m, err := o.s.meeting(ctx, actor, "id", id)
	if err != nil {
		return nil, err
	}
	return record(actor, m, o.kind), nil
}

// record is what the record parts know of a meeting, its agenda or its minutes.
func record(actor *app.User, m *Meeting, kind app.Kind) *app.Record {
	r := &app.Record{Ref: app.Ref{Kind: kind, ID: m.ID}, Visibility: app.Shared, Title: m.TitleEN}
	switch kind {
	case KindAgenda:
		r.Revision = m.AgendaRevision
	case KindMinutes:
		r.Revision = m.MinutesRevision
	default:
		r.CanComment = app.CanWrite(actor)
	}
	return r
}

func (s *Service) write(ctx context.Context, fn func(tx wtx) error) error {
	return s.core.Write(ctx, func(tx *app.Tx) error { return fn(wtx{tx}) })
}

// meeting loads a meeting for an actor. Meetings are shared: every account
// that is signed in sees them.
func (s *Service) meeting(ctx context.Context, actor *app.User, column string, value any) (*Meeting, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	return s.st.meeting(ctx, column, value)
}

// Get returns a meeting by row id.
func (s *Service) Get(ctx context.Context, actor *app.User, id int64) (*Meeting, error) {
	return s.meeting(ctx, actor, "id", id)
}

// ByRef returns a meeting by its opaque identifier.
func (s *Service) ByRef(ctx context.Context, actor *app.User, publicID string) (*Meeting, error) {
	if !app.ValidPublicID(publicID) {
		return nil, app.ErrNotFound
	}
	return s.meeting(ctx, actor, "public_id", publicID)
}

// Milestones.

// Milestones lists the milestones, latest first (at most 200).
func (s *Service) Milestones(ctx context.Context, actor *app.User) ([]Milestone, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	return s.st.milestones(ctx, 200)
}

// UpcomingMilestones lists the milestones a new meeting may be planned
// against: those still ahead, soonest last (as Milestones).
func (s *Service) UpcomingMilestones(ctx context.Context, actor *app.User) ([]Milestone, error) {
	all, err := s.Milestones(ctx, actor)
	now := s.core.Clock()
	var out []Milestone
	for _, m := range all {
		if m.StartsAt.After(now) {
			out = append(out, m)
		}
	}
	return out, err
}

// CreateMilestone adds a milestone (the secretariat).
func (s *Service) CreateMilestone(ctx context.Context, actor *app.User, in MilestoneInput) (*Milestone, error) {
	if !canManage(actor) {
		return nil, app.ErrForbidden
	}
	in.NameEN, in.NameZH = app.CleanText(in.NameEN), app.CleanText(in.NameZH)
	v := app.Validation{}
	app.CheckText(v, "name_en", in.NameEN, MaxTitleLen, true)
	app.CheckText(v, "name_zh", in.NameZH, MaxTitleLen, true)
	at := parseField(v, "start", "zone", in.Start, in.Zone)
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.core.Clock()
	m := &Milestone{NameEN: in.NameEN, NameZH: in.NameZH, StartsAt: at, Zone: in.Zone, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.write(ctx, func(tx wtx) error {
		if err := tx.createMilestone(m); err != nil {
			return err
		}
		return tx.Audit(actor, app.Audit{Action: "milestone.create", ObjectType: "milestone", ObjectID: m.ID,
			Visibility: app.Shared, Changes: map[string]any{"name_en": m.NameEN, "name_zh": m.NameZH,
				"starts_at": m.StartsAt.Format(time.RFC3339), "zone": m.Zone}})
	})
	return m, err
}

// parseField reads a wall-clock time in a zone from two form fields,
// recording a translated problem against the right one.
func parseField(v app.Validation, timeField, zoneField, value, zone string) time.Time {
	t, err := ParseLocal(value, zone)
	switch err {
	case nil:
	case ErrBadZone:
		v.Add(zoneField, "meeting.zone_invalid")
	case ErrSkippedTime:
		v.Add(timeField, "meeting.time_skipped")
	case ErrRepeatedTime:
		v.Add(timeField, "meeting.time_repeated")
	default:
		v.Add(timeField, "meeting.time_invalid")
	}
	return t
}

// Meetings.

// validate checks a new meeting's fields and returns its milestone.
func (s *Service) validate(ctx context.Context, in *MeetingInput) (*Milestone, error) {
	in.TitleEN, in.TitleZH = app.CleanText(in.TitleEN), app.CleanText(in.TitleZH)
	in.Venue, in.VideoLink = app.CleanText(in.Venue), app.CleanText(in.VideoLink)
	v := app.Validation{}
	app.CheckText(v, "title_en", in.TitleEN, MaxTitleLen, true)
	app.CheckText(v, "title_zh", in.TitleZH, MaxTitleLen, true)
	if !in.Kind.Valid() {
		v.Add("kind", "meeting.kind_invalid")
	}
	if in.DurationMinutes < MinDuration || in.DurationMinutes > MaxDuration {
		v.Add("duration", "meeting.duration_invalid")
	}
	if !app.ValidTimeZone(in.Zone) {
		v.Add("zone", "meeting.zone_invalid")
	}
	switch in.Format {
	case InPerson:
		app.CheckText(v, "venue", in.Venue, MaxVenueLen, true)
		in.VideoLink = ""
	case Video:
		app.CheckText(v, "video_link", in.VideoLink, MaxLinkLen, true)
		if u, err := url.Parse(in.VideoLink); in.VideoLink != "" && (err != nil || u.Scheme != "https" || u.Host == "") {
			v.Add("video_link", "meeting.link_invalid")
		}
		app.CheckText(v, "venue", in.Venue, MaxVenueLen, false)
	default:
		v.Add("format", "meeting.format_invalid")
	}
	var ms *Milestone
	if in.MilestoneID != 0 {
		var err error
		if ms, err = s.st.milestone(ctx, in.MilestoneID); err != nil {
			v.Add("milestone", "meeting.milestone_invalid")
		} else if !ms.StartsAt.After(s.core.Clock()) {
			v.Add("milestone", "meeting.milestone_past")
		}
	}
	return ms, v.Err()
}

// Create adds a meeting in planning (the secretariat). The delegations that
// exist now are the parties whose heads approve its agenda and minutes.
func (s *Service) Create(ctx context.Context, actor *app.User, in MeetingInput) (*Meeting, error) {
	if !canManage(actor) {
		return nil, app.ErrForbidden
	}
	ms, err := s.validate(ctx, &in)
	if err != nil {
		return nil, err
	}
	now := s.core.Clock()
	m := &Meeting{Kind: in.Kind, TitleEN: in.TitleEN, TitleZH: in.TitleZH, Format: in.Format, Venue: in.Venue, Zone: in.Zone,
		VideoLink: in.VideoLink, DurationMinutes: in.DurationMinutes, Status: StatusPlanning, CreatedBy: actor.ID,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	ch := map[string]any{"kind": string(m.Kind), "title_en": m.TitleEN, "title_zh": m.TitleZH, "format": string(m.Format),
		"venue": m.Venue, "zone": m.Zone, "duration": m.DurationMinutes, "status": string(m.Status)}
	if ms != nil {
		m.MilestoneID = &ms.ID
		ch["milestone"] = ms.NameEN
	}
	err = s.write(ctx, func(tx wtx) error {
		if err := tx.createMeeting(m); err != nil {
			return err
		}
		if err := tx.FixParties(m.agendaRef()); err != nil {
			return err
		}
		if err := tx.FixParties(m.minutesRef()); err != nil {
			return err
		}
		return tx.Audit(actor, m.audit("meeting.create", ch))
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, m.ID)
}

// Update edits a meeting's titles, kind, format, venue or link, zone and
// duration (the secretariat) while it is in planning or scheduled; its
// milestone stays. A scheduled meeting must still end by its milestone. Any
// change a calendar shows raises the SEQUENCE, so that calendars take it.
func (s *Service) Update(ctx context.Context, actor *app.User, id, version int64, in MeetingInput) error {
	m, err := s.managed(ctx, actor, id, StatusPlanning, StatusScheduled)
	if err != nil {
		return err
	}
	in.MilestoneID = 0 // the milestone is not edited (nor checked again: it may have passed)
	if _, err := s.validate(ctx, &in); err != nil {
		return err
	}
	if b := m.Before(); b != nil && m.StartsAt != nil &&
		m.StartsAt.Add(time.Duration(in.DurationMinutes)*time.Minute).After(*b) {
		return fieldErr("duration", "meeting.duration_after_milestone")
	}
	ch := map[string]any{}
	app.Diff(ch, "kind", string(m.Kind), string(in.Kind))
	app.Diff(ch, "title_en", m.TitleEN, in.TitleEN)
	app.Diff(ch, "title_zh", m.TitleZH, in.TitleZH)
	app.Diff(ch, "format", string(m.Format), string(in.Format))
	app.Diff(ch, "venue", m.Venue, in.Venue)
	app.Diff(ch, "zone", m.Zone, in.Zone)
	app.Diff(ch, "duration", m.DurationMinutes, in.DurationMinutes)
	if m.VideoLink != in.VideoLink {
		ch["video_link"] = true // the link itself stays out of the audit trail's text
	}
	if len(ch) == 0 {
		return nil
	}
	return s.write(ctx, func(tx wtx) error {
		cur, err := tx.inState(id, version, StatusPlanning, StatusScheduled)
		if err != nil {
			return err
		}
		fields := map[string]any{"kind": in.Kind, "title_en": in.TitleEN, "title_zh": in.TitleZH, "format": in.Format,
			"venue": in.Venue, "zone": in.Zone, "video_link": in.VideoLink, "duration_minutes": in.DurationMinutes,
			"sequence": cur.Sequence + 1}
		if err := tx.UpdateVersioned("meetings", id, cur.Version, fields); err != nil {
			return err
		}
		return tx.Audit(actor, cur.audit("meeting.update", ch))
	})
}

// List is one page of upcoming or past meetings.
func (s *Service) List(ctx context.Context, actor *app.User, f Filter) (app.PageOf[Meeting], bool, error) {
	if actor == nil {
		return app.PageOf[Meeting]{}, false, app.ErrNotFound
	}
	if f.When != "past" {
		f.When = "upcoming"
	}
	if !f.Status.Valid() {
		f.Status = ""
	}
	f.Page = f.Page.Normalize()
	f.Page.Size = PageSize
	f.Page.Number = min(f.Page.Number, MaxListPage)
	return s.st.listMeetings(ctx, f, s.core.Clock())
}

// managed loads a meeting the actor (the secretariat) may manage now, and
// checks the version the form was read at.
func (s *Service) managed(ctx context.Context, actor *app.User, id int64, states ...Status) (*Meeting, error) {
	m, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !canManage(actor) {
		return nil, app.ErrForbidden
	}
	for _, st := range states {
		if m.Status == st {
			return m, nil
		}
	}
	return nil, app.Errorf(app.EINVALID, "meeting.not_in_this_state")
}

// anyVersion tells inState not to check the version: for writes that are
// not edits of what a form showed (a slot added, an approval on a revision).
const anyVersion = -1

// inState re-reads the meeting inside the write and checks its version (a
// form without one is as stale as one with the wrong one) and state.
func (tx wtx) inState(id, version int64, states ...Status) (*Meeting, error) {
	m, err := tx.meetingForUpdate(id)
	if err != nil {
		return nil, err
	}
	if version != anyVersion && m.Version != version {
		return nil, app.ErrConflict
	}
	for _, st := range states {
		if m.Status == st {
			return m, nil
		}
	}
	return nil, app.Errorf(app.EINVALID, "meeting.not_in_this_state")
}

// Cancel cancels a meeting with a reason (the secretariat). The agenda items
// on its agenda return to adopted.
func (s *Service) Cancel(ctx context.Context, actor *app.User, id, version int64, reason string) error {
	if _, err := s.managed(ctx, actor, id, StatusPlanning, StatusScheduled); err != nil {
		return err
	}
	reason = app.CleanText(reason)
	v := app.Validation{}
	app.CheckText(v, "reason", reason, MaxReasonLen, true)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		m, err := tx.inState(id, version, StatusPlanning, StatusScheduled)
		if err != nil {
			return err
		}
		if err := tx.UpdateVersioned("meetings", id, m.Version, map[string]any{"status": StatusCancelled,
			"cancel_reason": reason, "sequence": m.Sequence + 1}); err != nil {
			return err
		}
		if err := tx.Audit(actor, m.audit("meeting.cancel", map[string]any{"status": []any{string(m.Status), "cancelled"},
			"reason": reason})); err != nil {
			return err
		}
		return s.releaseItems(tx, actor, m)
	})
}

// releaseItems returns the items on a meeting's agenda to adopted.
func (s *Service) releaseItems(tx wtx, actor *app.User, m *Meeting) error {
	lines, err := tx.lines(m.ID)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if l.ItemID == nil {
			continue
		}
		if _, err := s.agenda.MoveItem(tx.Tx, actor, *l.ItemID, []agenda.Status{agenda.StatusScheduled}, agenda.StatusAdopted,
			map[string]any{"meeting": m.TitleEN}); err != nil {
			return err
		}
	}
	return nil
}

// MarkHeld records that a scheduled meeting took place (the secretariat),
// once its time has come: the secretariat then drafts the minutes.
func (s *Service) MarkHeld(ctx context.Context, actor *app.User, id, version int64) error {
	m, err := s.managed(ctx, actor, id, StatusScheduled)
	if err != nil {
		return err
	}
	if m.StartsAt == nil || m.StartsAt.After(s.core.Clock()) {
		return app.Errorf(app.EINVALID, "meeting.not_started")
	}
	return s.write(ctx, func(tx wtx) error {
		m, err := tx.inState(id, version, StatusScheduled)
		if err != nil {
			return err
		}
		if err := tx.UpdateVersioned("meetings", id, m.Version, map[string]any{"status": StatusHeld,
			"sequence": m.Sequence + 1}); err != nil {
			return err
		}
		return tx.Audit(actor, m.audit("meeting.held", map[string]any{"status": []any{"scheduled", "held"}}))
	})
}

// View is what a meeting's main page shows.
type View struct {
	Meeting   *Meeting
	Slots     []SlotSummary
	Attendees []Attendee
	Members   []app.User // the actor's side's members, when the actor may list attendees
	Thread    app.ThreadPage
	// SeesAnswersOf lists the delegations whose individual answers the viewer reads.
	SeesAnswersOf []int64
}

// MeetingView loads a meeting's page: the meeting, its poll as the actor may
// see it, its attendance and a page of its thread.
func (s *Service) MeetingView(ctx context.Context, actor *app.User, publicID string, cur app.ThreadCursor) (*View, error) {
	m, err := s.ByRef(ctx, actor, publicID)
	if err != nil {
		return nil, err
	}
	v := &View{Meeting: m}
	if v.Slots, v.SeesAnswersOf, err = s.poll(ctx, actor, m); err != nil {
		return nil, err
	}
	var side int64
	if canListAttendees(actor, m) {
		side = actor.SideID
	}
	if v.Attendees, v.Members, err = s.st.attendance(ctx, m.ID, side); err != nil {
		return nil, err
	}
	if v.Thread, err = s.core.ThreadOf(ctx, actor, record(actor, m, KindMeeting), cur); err != nil {
		return nil, err
	}
	return v, nil
}

// History is one page of a meeting's history (page 0: the newest), on the
// chains the actor may see.
func (s *Service) History(ctx context.Context, actor *app.User, publicID string, page int) (*Meeting, app.PageOf[app.AuditRecord], error) {
	m, err := s.ByRef(ctx, actor, publicID)
	if err != nil {
		return nil, app.PageOf[app.AuditRecord]{}, err
	}
	recs, err := s.core.HistoryOf(ctx, actor, record(actor, m, KindMeeting), page)
	return m, recs, err
}

// Ref is a meeting's reference for the record parts (its comment thread).
func Ref(m *Meeting) app.Ref { return m.ref() }

// Capitals are the zones every time of a meeting is shown in: the
// delegations' home zones, west to east (Washington, then Beijing).
func Capitals(sides []app.Side, at time.Time) []*time.Location {
	var zones []*time.Location
	for _, sd := range sides {
		if sd.IsDelegation() {
			zones = append(zones, sd.Location())
		}
	}
	return OrderWestToEast(at, zones)
}

// Attention is what the dashboard shows of meetings.
type Attention struct {
	Polls   []Meeting // polls awaiting the actor's answer
	Next    []Meeting // the next scheduled meetings
	Agendas []Meeting // heads: agendas awaiting their delegation's approval
	Minutes []Meeting // heads: minutes awaiting their delegation's approval
}

// attentionLimit caps the dashboard's meetings; the meetings page has the rest.
const attentionLimit = 10

// Attention gathers, in one query, the meetings that await the actor.
func (s *Service) Attention(ctx context.Context, actor *app.User) (Attention, error) {
	var a Attention
	if actor == nil {
		return a, app.ErrNotFound
	}
	rows, err := s.st.attention(ctx, actor, isDelegationWriter(actor), canApprove(actor), s.core.Clock(), 4*attentionLimit)
	if err != nil {
		return a, err
	}
	add := func(list *[]Meeting, m Meeting) {
		if len(*list) < attentionLimit {
			*list = append(*list, m)
		}
	}
	for _, r := range rows {
		if r.Poll {
			add(&a.Polls, r.Meeting)
		}
		if r.Upcoming {
			add(&a.Next, r.Meeting)
		}
		if r.Agenda {
			add(&a.Agendas, r.Meeting)
		}
		if r.Minutes {
			add(&a.Minutes, r.Meeting)
		}
	}
	return a, nil
}
