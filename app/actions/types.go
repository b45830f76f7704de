package actions

import (
	"time"

	"github.com/parley/parley/app"
)

// Status is where an action stands. It follows from its parts: open until
// work starts, in progress until every part is done, done until every part
// is verified; cancelled with a reason. Reopening a part sends it, and the
// action, back to in progress.
type Status string

// The statuses of an action (and, but cancelled, of a part).
const (
	StatusOpen       Status = "open"
	StatusInProgress Status = "in_progress"
	StatusDone       Status = "done"
	StatusVerified   Status = "verified"
	StatusCancelled  Status = "cancelled"
)

// Statuses lists the statuses in their order.
var Statuses = []Status{StatusOpen, StatusInProgress, StatusDone, StatusVerified, StatusCancelled}

// MessageKey is the catalogue key of the status's name.
func (s Status) MessageKey() string { return "action.status." + string(s) }

// Pending reports whether work on the action is still to be done (it can be overdue).
func (s Status) Pending() bool { return s == StatusOpen || s == StatusInProgress }

// SourceType is what an action arises from.
type SourceType string

// The sources of an action: none, an agenda item, a meeting (its minutes),
// an incident, an information request.
const (
	SourceNone     SourceType = ""
	SourceAgenda   SourceType = "agenda_item"
	SourceMeeting  SourceType = "meeting"
	SourceIncident SourceType = "incident"
	SourceRequest  SourceType = "request"
)

// KindAction is the actions' kind for the record parts, RefAction the kind
// of their opaque identifiers, DecideDueDate a head's agreement to a new
// due date.
const (
	KindAction    app.Kind         = "action"
	RefAction                      = "action"
	DecideDueDate app.DecisionKind = "due_date"
)

// SourceTypes lists the kinds of source.
var SourceTypes = []SourceType{SourceAgenda, SourceMeeting, SourceIncident, SourceRequest}

// Action is something a side (or both delegations, jointly) undertook.
type Action struct {
	ID             int64
	PublicID       string
	Title          string
	Description    string // Markdown, in Language
	Language       string
	SourceType     SourceType
	SourceID       int64
	Joint          bool
	OwnerSideID    *int64 // nil for a joint action
	AssigneeID     *int64
	DueDate        string // 2026-12-15, a calendar date in DueZone
	DueZone        string
	DueEnd         time.Time // when the due date ends in DueZone
	DueSequence    int       // how many times a new due date was agreed
	ProposedDue    string    // a change of due date awaiting agreement
	ProposedBySide *int64    `gorm:"column:proposed_by_side"`
	Revision       int       // of the due date proposals: an agreement is on one
	Status         Status
	CancelReason   string
	Visibility     app.Visibility
	SideID         *int64 // the side an internal action belongs to
	CreatorID      int64
	CreatorSideID  int64
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time

	Parts []Part `gorm:"foreignKey:ActionID"`
	// Translation is the title and description in the other language, or
	// nil (the shared translations part).
	Translation *app.Translation `gorm:"polymorphic:Object;polymorphicValue:action"`
	OwnerSide   *app.Side        `gorm:"foreignKey:OwnerSideID"`
	Assignee    *app.User        `gorm:"foreignKey:AssigneeID"`
	Creator     *app.User        `gorm:"foreignKey:CreatorID"`
}

// TableName is the actions' table.
func (Action) TableName() string { return "actions" }

// Due is the action's due date.
func (a *Action) Due() app.Date { d, _ := app.ParseDate(a.DueDate); return d }

// ProposedDueDate is the due date proposed, if any.
func (a *Action) ProposedDueDate() app.Date { d, _ := app.ParseDate(a.ProposedDue); return d }

// Overdue reports whether work on the action is still to be done after
// its due date has ended in its capital.
func (a *Action) Overdue(now time.Time) bool { return a.Status.Pending() && !now.Before(a.DueEnd) }

// Owner is the owning side's id, 0 for a joint action.
func (a *Action) Owner() int64 {
	if a.OwnerSideID == nil {
		return 0
	}
	return *a.OwnerSideID
}

// TranslationLanguage is the language of the translation: the other one.
func (a *Action) TranslationLanguage() string {
	if a.Language == "zh" {
		return "en"
	}
	return "zh"
}

// OwnedBySecretariat reports whether the action is the secretariat's (its
// owner, loaded with it, is not a delegation).
func (a *Action) OwnedBySecretariat() bool {
	return !a.Joint && a.OwnerSide != nil && !a.OwnerSide.IsDelegation()
}

// Part is one owner's share of an action: done by its side, verified by
// another.
type Part struct {
	ID         int64
	ActionID   int64
	SideID     int64
	Status     Status
	DoneNote   string
	DoneBy     *int64
	DoneAt     *time.Time
	VerifiedBy *int64
	VerifiedAt *time.Time
	Version    int64
	FileID     *int64 // the evidence given when it was last marked done
	File       *File  `gorm:"foreignKey:FileID"`
}

// File is evidence of a part done (its content is read only to download it).
type File struct {
	ID         int64
	PublicID   string
	ActionID   int64
	PartID     int64
	Name       string
	MediaType  string
	Size       int64
	SHA256     string `gorm:"column:sha256"`
	Content    []byte `gorm:"-"` // filled only to download the file
	UploadedBy int64
	CreatedAt  time.Time
}

// TableName is the files' table.
func (File) TableName() string { return "action_files" }

// TableName is the parts' table.
func (Part) TableName() string { return "action_parts" }

// PartOf is the action's part done by a side, or nil.
func (a *Action) PartOf(sideID int64) *Part {
	for i := range a.Parts {
		if a.Parts[i].SideID == sideID {
			return &a.Parts[i]
		}
	}
	return nil
}

// statusOf is an action's status from its parts.
func statusOf(parts []Part) Status {
	all := func(ok func(Status) bool) bool {
		for _, p := range parts {
			if !ok(p.Status) {
				return false
			}
		}
		return len(parts) > 0
	}
	switch {
	case all(func(s Status) bool { return s == StatusVerified }):
		return StatusVerified
	case all(func(s Status) bool { return s == StatusDone || s == StatusVerified }):
		return StatusDone
	case all(func(s Status) bool { return s == StatusOpen }):
		return StatusOpen
	}
	return StatusInProgress
}
