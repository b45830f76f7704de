package agenda

import (
	"time"

	"github.com/parley/parley/app"
)

// Agenda items: delegates propose what the working group discusses; nothing
// is adopted unless every delegation's head concurs on the exact text.

// Status is where an agenda item is in its life.
type Status string

const (
	StatusDraft     Status = "draft"     // internal to the proposing side
	StatusProposed  Status = "proposed"  // tabled: shared with every side
	StatusAdopted   Status = "adopted"   // every delegation concurred on the current revision
	StatusWithdrawn Status = "withdrawn" // withdrawn by the proposing side
	StatusScheduled Status = "scheduled" // on a meeting's agenda (set by meetings)
	StatusClosed    Status = "closed"    // dealt with (set by meetings)
)

// Statuses lists every status in display order.
var Statuses = []Status{StatusDraft, StatusProposed, StatusAdopted, StatusScheduled, StatusClosed, StatusWithdrawn}

// The agenda's kinds of decision, on the exact revision of an item.
const (
	Concur app.DecisionKind = "concur"
	Object app.DecisionKind = "object"
)

// Limits of an agenda item's fields.
const (
	MaxTitleLen       = 200
	MaxDescriptionLen = 20000
	MaxReasonLen      = 2000
	MaxDuration       = 600
)

// Category groups agenda items. The list is editable by the secretariat.
type Category struct {
	ID        int64
	PublicID  string
	NameEN    string
	NameZH    string
	Position  int
	Archived  bool
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Name returns the category's name in a language.
func (c *Category) Name(lang string) string {
	if c == nil {
		return ""
	}
	if lang == "zh" && c.NameZH != "" {
		return c.NameZH
	}
	return c.NameEN
}

// Item is a proposed subject for the working group.
type Item struct {
	ID              int64
	PublicID        string
	SideID          int64 // the proposing side
	Side            *app.Side
	AuthorID        int64
	Author          *app.User
	CategoryID      int64
	Category        *Category
	Status          Status
	Title           string
	Description     string // Markdown
	Language        string // the language of the original text
	DurationMinutes int
	Revision        int // the current revision of the shared text
	TabledAt        *time.Time
	Version         int64
	CreatedAt       time.Time
	UpdatedAt       time.Time

	// Decisions standing on the current revision (filled by the service).
	Standing app.Standing `gorm:"-"`
	// Objected: an objection stands on the current revision. Lists read
	// only this, in their own query, instead of every standing decision.
	Objected bool `gorm:"-"`
	// Translation is the text in the other language, or nil (the shared
	// translations part, joined when one item is loaded).
	Translation *app.Translation `gorm:"polymorphic:Object;polymorphicValue:agenda_item"`
	// Parties are the delegations whose concurrence the item needs: those
	// that existed when it was tabled (filled by GetItem).
	Parties []int64 `gorm:"-"`
}

// IsParty reports whether a side's concurrence is needed for the item.
func (it *Item) IsParty(sideID int64) bool {
	for _, id := range it.Parties {
		if id == sideID {
			return true
		}
	}
	return false
}

// Tabled reports whether the item was ever tabled (shared with every side).
func (it *Item) Tabled() bool { return it.TabledAt != nil }

// Visibility is internal until the item is tabled, shared from then on. A
// draft withdrawn before tabling stays internal to its side for ever.
func (it *Item) Visibility() app.Visibility {
	if !it.Tabled() {
		return app.Internal
	}
	return app.Shared
}

// HasTranslation reports whether the item has a translation.
func (it *Item) HasTranslation() bool { return it.Translation != nil }

// TranslationLanguage is the language of the translation: the other one.
func (it *Item) TranslationLanguage() string {
	if it.Language == "zh" {
		return "en"
	}
	return "zh"
}

// Contested reports whether a delegation objects to the current revision.
func (it *Item) Contested() bool { return it.Objected || it.Standing.Any(Object) }

// StandingFor returns the decision a side has standing on the current revision.
func (it *Item) StandingFor(sideID int64) *app.Decision { return it.Standing.For(sideID) }

// ref is the item's reference for the record parts.
func (it *Item) ref() app.Ref { return app.Ref{Kind: KindItem, ID: it.ID} }

// Amendment is a proposed new text for a tabled item.
type Amendment struct {
	ID             int64
	PublicID       string
	ItemID         int64
	SideID         int64
	Side           *app.Side
	AuthorID       int64
	Author         *app.User
	BaseRevision   int
	Title          string
	Description    string
	Rationale      string
	Status         AmendmentStatus
	DecidedBy      *int64
	Decider        *app.User `gorm:"foreignKey:DecidedBy"`
	DecisionReason string
	DecidedAt      *time.Time
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// AmendmentStatus is where an amendment is in its life.
type AmendmentStatus string

// Amendment statuses.
const (
	AmendmentOpen      AmendmentStatus = "open"
	AmendmentAccepted  AmendmentStatus = "accepted"
	AmendmentDeclined  AmendmentStatus = "declined"
	AmendmentWithdrawn AmendmentStatus = "withdrawn" // by its author
)

// ItemInput is what a person fills in for an agenda item.
type ItemInput struct {
	Title           string
	Description     string
	CategoryID      int64
	DurationMinutes int
	Language        string
}

// ItemFilter narrows the agenda list.
type ItemFilter struct {
	Status     Status // "" for all
	SideID     int64
	CategoryID int64
	Text       string
	Sort       string // "updated" (default), "title", "created", "duration"
	Page       app.Page
}

// ItemList is one page of the agenda and the counts per status.
type ItemList struct {
	app.PageOf[Item]
	Counts map[Status]int64
	// Capped: a filtered list counted only its first CountCap items; the
	// counts and the total are "at least".
	Capped bool
}

// setTotal sets the list's total: the count of the status listed, or all.
func (l *ItemList) setTotal(status Status, all int64) {
	if status != "" {
		l.Total = l.Counts[status]
	} else {
		l.Total = all
	}
}

// CountCap is how many items a filtered list counts at most: beyond it the
// list says "more than", as large trackers do, instead of counting every row.
const CountCap = 1000

// MaxListPage is the deepest page a list offers: beyond it, a filter finds
// the item sooner than paging would.
const MaxListPage = 200
