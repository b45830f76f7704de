package meetings

import (
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
)

// Status is where a meeting is in its life.
type Status string

const (
	StatusPlanning        Status = "planning"         // the availability poll is open
	StatusScheduled       Status = "scheduled"        // a time is confirmed
	StatusHeld            Status = "held"             // it took place; minutes are drafted
	StatusMinutesApproved Status = "minutes_approved" // every delegation approved the minutes
	StatusCancelled       Status = "cancelled"
)

// Statuses lists every status in display order.
var Statuses = []Status{StatusPlanning, StatusScheduled, StatusHeld, StatusMinutesApproved, StatusCancelled}

// Valid reports whether st is a known status.
func (st Status) Valid() bool {
	for _, x := range Statuses {
		if st == x {
			return true
		}
	}
	return false
}

// Kind is what sort of meeting it is.
type Kind string

// Kinds lists every kind of meeting.
var Kinds = []Kind{"plenary", "informal", "working_level", "experts"}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// Format: in person at a venue, or by video.
type Format string

const (
	InPerson Format = "in_person"
	Video    Format = "video"
)

// Answer is a member's answer to a slot of the poll.
type Answer string

const (
	Yes      Answer = "yes"
	IfNeedBe Answer = "if_need_be"
	No       Answer = "no"
)

// Answers lists the answers in display order.
var Answers = []Answer{Yes, IfNeedBe, No}

// Valid reports whether a is a known answer.
func (a Answer) Valid() bool { return a == Yes || a == IfNeedBe || a == No }

// Outcome is what the minutes record for an agenda line.
type Outcome string

const (
	Agreed      Outcome = "agreed"
	Noted       Outcome = "noted"
	Deferred    Outcome = "deferred"
	NoConsensus Outcome = "no_consensus"
)

// Outcomes lists the outcomes in display order.
var Outcomes = []Outcome{Agreed, Noted, Deferred, NoConsensus}

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool {
	for _, x := range Outcomes {
		if o == x {
			return true
		}
	}
	return false
}

// itemStatus is where an outcome puts the agenda item of its line.
func (o Outcome) itemStatus() agenda.Status {
	if o == Agreed || o == Noted {
		return agenda.StatusClosed
	}
	return agenda.StatusAdopted
}

// Procedures are the procedural lines a meeting agenda may hold.
var Procedures = []string{"opening", "adoption", "actions_review", "aob", "closing"}

// ProcedureActionsReview is the line under which the open, done and
// overdue actions are reviewed (the actions list them in its slot).
const ProcedureActionsReview = "actions_review"

// ValidProcedure reports whether p is a known procedural line.
func ValidProcedure(p string) bool {
	for _, x := range Procedures {
		if p == x {
			return true
		}
	}
	return false
}

// Approve is the heads' decision on a meeting agenda's or minutes' exact revision.
const Approve app.DecisionKind = "approve"

// Limits.
const (
	MaxTitleLen     = 200
	MaxVenueLen     = 200
	MaxLinkLen      = 500
	MaxNoteLen      = 500
	MaxReasonLen    = 2000
	MaxSectionLen   = 20000
	MaxStatementLen = 20000
	MaxGuestLen     = 200
	MaxSlots        = 30
	MaxLines        = 60
	MaxAttendees    = 100 // per side
	MaxListed       = 800 // attendees and members a meeting's page reads at most
	MinDuration     = 15
	MaxDuration     = 1440
	PageSize        = 20
	MaxListPage     = 200
	// FeedMonths is how far back the personal calendar feed reaches.
	FeedMonths = 13
	// MaxFeedEvents caps a calendar feed.
	MaxFeedEvents = 500
)

// Milestone is a dated event meetings are planned against.
type Milestone struct {
	ID        int64
	PublicID  string
	NameEN    string
	NameZH    string
	StartsAt  time.Time
	Zone      string
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Name is the milestone's name in a language.
func (m *Milestone) Name(lang string) string {
	if m == nil {
		return ""
	}
	if lang == "zh" && m.NameZH != "" {
		return m.NameZH
	}
	return m.NameEN
}

// Meeting is a meeting of the working group. Meetings are shared with every side.
type Meeting struct {
	ID              int64
	PublicID        string
	Kind            Kind
	TitleEN         string
	TitleZH         string
	Format          Format
	Venue           string
	Zone            string // the venue's IANA zone
	VideoLink       string
	DurationMinutes int
	MilestoneID     *int64
	Milestone       *Milestone
	Status          Status
	StartsAt        *time.Time
	SlotID          *int64
	CancelReason    string
	Sequence        int // the calendar's SEQUENCE
	AgendaRevision  int // the current revision of its agenda (0: none yet)
	AgendaAgreed    int // the revision every delegation approved (0: none)
	MinutesRevision int
	MinutesApproved int
	CreatedBy       int64
	Version         int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Title is the meeting's title in a language.
func (m *Meeting) Title(lang string) string {
	if lang == "zh" && m.TitleZH != "" {
		return m.TitleZH
	}
	return m.TitleEN
}

// Duration is the meeting's length.
func (m *Meeting) Duration() time.Duration { return time.Duration(m.DurationMinutes) * time.Minute }

// Location is the venue's zone.
func (m *Meeting) Location() *time.Location { return app.LoadLocation(m.Zone) }

// PollOpen reports whether members may answer the poll.
func (m *Meeting) PollOpen() bool { return m.Status == StatusPlanning }

// Before is the latest instant a meeting may end: its milestone's time.
func (m *Meeting) Before() *time.Time {
	if m.Milestone == nil {
		return nil
	}
	return &m.Milestone.StartsAt
}

func (m *Meeting) ref() app.Ref        { return app.Ref{Kind: KindMeeting, ID: m.ID} }
func (m *Meeting) agendaRef() app.Ref  { return app.Ref{Kind: KindAgenda, ID: m.ID} }
func (m *Meeting) minutesRef() app.Ref { return app.Ref{Kind: KindMinutes, ID: m.ID} }
func (m *Meeting) audit(action string, ch map[string]any) app.Audit {
	return app.Audit{Action: action, ObjectType: string(KindMeeting), ObjectID: m.ID, Visibility: app.Shared, Changes: ch}
}

// Slot is a candidate time of a meeting's poll.
type Slot struct {
	ID        int64
	PublicID  string
	MeetingID int64
	StartsAt  time.Time
	Zone      string // the zone it was entered in
	CreatedAt time.Time
}

// SlotAnswer is one member's answer to one slot.
type SlotAnswer struct {
	SlotID   int64
	UserID   int64
	UserName string
	SideID   int64
	IsHead   bool
	Answer   Answer
	Note     string
}

// SideTally is one delegation's answers to one slot: what every side sees.
type SideTally struct {
	SideID            int64
	Yes, IfNeedBe, No int
	HeadYes, HeadNo   bool // a head answered yes (or if need be) / no
}

// Answered is how many of the delegation answered.
func (t SideTally) Answered() int { return t.Yes + t.IfNeedBe + t.No }

// SlotSummary is a slot with its tallies, the answers the viewer may read,
// and its rank.
type SlotSummary struct {
	Slot
	Tallies []SideTally // one per delegation, in the order of the delegations
	Answers []SlotAnswer
	Mine    *SlotAnswer // the viewer's own answer
	Score   float64     // 0..1, equal weight per delegation
	HeadNo  bool        // some delegation's head cannot attend
	Rank    int         // 1 is best
	Best    bool        // ranked first and no head said no
	Beyond  bool        // ends after the milestone
	Past    bool        // starts before now
}

// Line is one line of a meeting's agenda: an adopted agenda item, or a procedural line.
type Line struct {
	ID              int64
	PublicID        string
	MeetingID       int64
	Position        int
	ItemID          *int64
	Item            *agenda.Item `gorm:"-"`
	Procedure       string
	DurationMinutes int
	LeadSideID      *int64
	Minutes         string
	Outcome         Outcome
	CreatedAt       time.Time
	// Filled for display: the item's opaque identifier and titles.
	ItemRef, ItemTitle, ItemLang string `gorm:"-"`
	ItemTrTitle                  string `gorm:"-"`
	ItemStatus                   string `gorm:"-"`
}

// Attendee is a person listed for a meeting by their side.
type Attendee struct {
	ID        int64
	PublicID  string
	MeetingID int64
	SideID    int64
	UserID    *int64
	GuestName string
	Attended  bool
	CreatedAt time.Time
	Name      string `gorm:"-"` // the member's name, or the guest's
}

// Statement is a delegation's statement for the record of a meeting.
type Statement struct {
	ID        int64
	MeetingID int64
	SideID    int64
	Body      string
	AuthorID  int64
	Author    string `gorm:"-"`
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MeetingInput is the new-meeting form.
type MeetingInput struct {
	Kind            Kind
	TitleEN         string
	TitleZH         string
	Format          Format
	Venue           string
	Zone            string
	VideoLink       string
	DurationMinutes int
	MilestoneID     int64
}

// MilestoneInput is the milestone form.
type MilestoneInput struct {
	NameEN, NameZH string
	Start, Zone    string // "YYYY-MM-DDTHH:MM" in Zone
}

// LineInput adds a line to a meeting's agenda.
type LineInput struct {
	ItemID          int64  // an adopted item, or
	Procedure       string // a procedural line
	DurationMinutes int
	LeadSideID      int64
}

// SectionInput is the minutes of one agenda line.
type SectionInput struct {
	LineID  int64
	Text    string
	Outcome Outcome
}

// Filter narrows the meetings list.
type Filter struct {
	When   string // "upcoming" (default) or "past"
	Status Status
	Page   app.Page
}
