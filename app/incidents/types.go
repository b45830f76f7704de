package incidents

import (
	"slices"
	"strings"
	"time"

	"github.com/parley/parley/app"
)

// Status is where an incident stands.
type Status string

// The statuses, in their order: a draft is internal to the reporting side;
// reported shares it; the addressed side acknowledges it, may investigate,
// and responds; closing ends it.
const (
	StatusDraft         Status = "draft"
	StatusReported      Status = "reported"
	StatusAcknowledged  Status = "acknowledged"
	StatusInvestigating Status = "under_investigation"
	StatusResponded     Status = "responded"
	StatusClosed        Status = "closed"
)

// Statuses lists the statuses in their order.
var Statuses = []Status{StatusDraft, StatusReported, StatusAcknowledged, StatusInvestigating, StatusResponded, StatusClosed}

// MessageKey is the catalogue key of the status's name.
func (s Status) MessageKey() string { return "incident.status." + string(s) }

// Shared reports whether the incident has been reported (is no draft).
func (s Status) Shared() bool { return s != StatusDraft && s != "" }

// TLP is a Traffic Light Protocol 2.0 marking (FIRST), written as FIRST
// writes it.
type TLP string

// The markings, from the least to the most restricted.
const (
	TLPClear       TLP = "CLEAR"
	TLPGreen       TLP = "GREEN"
	TLPAmber       TLP = "AMBER"
	TLPAmberStrict TLP = "AMBER+STRICT"
	TLPRed         TLP = "RED"
)

// TLPs lists the markings from the least to the most restricted.
var TLPs = []TLP{TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed}

// Level orders the markings: 0 for CLEAR to 4 for RED, -1 for no marking.
func (t TLP) Level() int {
	for i, m := range TLPs {
		if m == t {
			return i
		}
	}
	return -1
}

// Valid reports whether t is a TLP 2.0 marking.
func (t TLP) Valid() bool { return t.Level() >= 0 }

// Label is the marking as FIRST writes it, such as TLP:AMBER+STRICT.
func (t TLP) Label() string { return "TLP:" + string(t) }

// Lowers reports whether changing the marking from t to to lowers it.
func (t TLP) Lowers(to TLP) bool { return to.Level() < t.Level() }

// MessageKey is the catalogue key of the marking's one-line explanation
// (tlp.clear, tlp.amber_strict, …).
func (t TLP) MessageKey() string {
	if !t.Valid() {
		return ""
	}
	return "tlp." + strings.ReplaceAll(strings.ToLower(string(t)), "+", "_")
}

// Category is what kind of incident was reported.
type Category string

// The categories.
const (
	CategoryIntrusion  Category = "intrusion"
	CategoryDefacement Category = "defacement"
	CategoryDoS        Category = "denial_of_service"
	CategoryDataTheft  Category = "data_theft" // data theft and espionage
	CategoryMalware    Category = "malware"
	CategoryOther      Category = "other"
)

// MessageKey is the catalogue key of the category's name.
func (c Category) MessageKey() string { return "incident.category." + string(c) }

// Categories lists the categories in the order forms offer them.
var Categories = []Category{CategoryIntrusion, CategoryDefacement, CategoryDoS, CategoryDataTheft, CategoryMalware,
	CategoryOther}

// PositionKind is a delegation's position on a claim or an indicator.
type PositionKind string

// The positions; a disputed position needs a reason.
const (
	PositionConfirmed     PositionKind = "confirmed"
	PositionDisputed      PositionKind = "disputed"
	PositionUnknown       PositionKind = "unknown"
	PositionInvestigating PositionKind = "under_investigation"
)

// MessageKey is the catalogue key of the position's name.
func (k PositionKind) MessageKey() string { return "position." + string(k) }

// PositionKinds lists the positions in the order forms offer them.
var PositionKinds = []PositionKind{PositionConfirmed, PositionDisputed, PositionUnknown, PositionInvestigating}

// IndicatorRole is the part an indicator played.
type IndicatorRole string

// The roles.
const (
	RoleSource         IndicatorRole = "source"
	RoleTarget         IndicatorRole = "target"
	RoleInfrastructure IndicatorRole = "infrastructure"
)

// MessageKey is the catalogue key of the role's name.
func (r IndicatorRole) MessageKey() string { return "indicator.role." + string(r) }

// IndicatorRoles lists the roles in the order forms offer them.
var IndicatorRoles = []IndicatorRole{RoleSource, RoleTarget, RoleInfrastructure}

// Sector is a sector an incident affected.
type Sector string

// The sectors, in the order forms offer them.
var Sectors = []Sector{"government", "academia", "defence", "energy", "finance", "health", "telecommunications",
	"transport", "industry", "other"}

// Valid reports whether s is one of the sectors.
func (s Sector) Valid() bool { return slices.Contains(Sectors, s) }

// MessageKey is the catalogue key of the sector's name.
func (s Sector) MessageKey() string { return "incident.sector." + string(s) }

// Incident is one delegation's report to the other.
type Incident struct {
	ID              int64
	PublicID        string
	ReportingSideID int64 // the delegation that reports
	AddressedSideID int64 // the other delegation
	AuthorID        int64
	Status          Status
	TLP             TLP
	Category        Category
	Title           string
	Summary         string // Markdown, in Language
	Language        string
	// The observed window (either end may be unknown), and the zone in
	// which it was entered, to show it as its reporter wrote it.
	ObservedFrom *time.Time
	ObservedTo   *time.Time
	ObservedZone string
	Revision     int // of the shared text: 0 while a draft
	ReportedAt   *time.Time
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time

	ReportingSide *app.Side `gorm:"foreignKey:ReportingSideID"`
	AddressedSide *app.Side `gorm:"foreignKey:AddressedSideID"`
	Author        *app.User `gorm:"foreignKey:AuthorID"`
	// Translation is the title and summary in the other language, or nil
	// (the shared translations part).
	Translation *app.Translation `gorm:"polymorphic:Object;polymorphicValue:incident"`
	// Filled by the service.
	Sectors    []Sector `gorm:"-"`
	Recipients []int64  `gorm:"-"` // user ids, for a RED incident
	Recipient  bool     `gorm:"-"` // the actor it was loaded for is a named recipient
}

// TableName is the incidents' table.
func (Incident) TableName() string { return "incidents" }

// IsRecipient reports whether an account is a named recipient.
func (inc *Incident) IsRecipient(userID int64) bool { return slices.Contains(inc.Recipients, userID) }

// TranslationLanguage is the language of the translation: the other one.
func (inc *Incident) TranslationLanguage() string {
	if inc.Language == "zh" {
		return "en"
	}
	return "zh"
}

// KindIncident is the incidents' kind for the record parts.
const KindIncident app.Kind = "incident"
