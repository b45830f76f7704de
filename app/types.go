package app

import (
	"sync"
	"time"

	_ "time/tzdata" // time zones work on any host, even without a system zone database
)

// Role is what a user does within their side.
type Role string

const (
	RoleHead        Role = "head"        // head of delegation: decides for the delegation
	RoleDelegate    Role = "delegate"    // proposes, comments, works
	RoleObserver    Role = "observer"    // reads only
	RoleSecretariat Role = "secretariat" // member of the neutral secretariat
)

// Roles lists every role, in display order.
var Roles = []Role{RoleHead, RoleDelegate, RoleObserver, RoleSecretariat}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// SideKind tells a delegation from the secretariat.
type SideKind string

const (
	KindDelegation  SideKind = "delegation"
	KindSecretariat SideKind = "secretariat"
)

// Languages Parley speaks; the first is the fallback.
var Languages = []string{"en", "zh"}

// ValidLanguage reports whether lang is one Parley speaks.
func ValidLanguage(lang string) bool { return lang == "en" || lang == "zh" }

// Side is a delegation or the secretariat.
type Side struct {
	ID        int64
	PublicID  string
	Code      string // US, CN, SEC
	Kind      SideKind
	NameEN    string
	NameZH    string
	TimeZone  string // IANA name, e.g. Asia/Shanghai
	Language  string // default language of its members
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// IsDelegation reports whether the side is a delegation (not the secretariat).
func (s *Side) IsDelegation() bool { return s.Kind == KindDelegation }

// Name returns the side's name in the given language.
func (s *Side) Name(lang string) string {
	if lang == "zh" && s.NameZH != "" {
		return s.NameZH
	}
	return s.NameEN
}

// Location returns the side's home time zone (UTC if it cannot be loaded).
func (s *Side) Location() *time.Location { return LoadLocation(s.TimeZone) }

// User is a person with an account. Every user belongs to exactly one side.
type User struct {
	ID                 int64
	PublicID           string
	SideID             int64
	Side               *Side
	Email              string
	Name               string
	Role               Role
	Admin              bool // may manage accounts; sees no delegation's private content by it
	PasswordHash       string
	MustChangePassword bool
	Language           string // "" means the side's default
	TimeZone           string // "" means the side's home zone
	DisabledAt         *time.Time
	// Pending: the account was created in (or moved into) a delegation by
	// an administrator and awaits a head's confirmation. Until then it reads
	// only shared content and writes nothing.
	Pending   bool
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Disabled reports whether the account is disabled.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

// InternalSideID is the side whose internal content the user may see: their
// own, once they are a confirmed member of it; none (0) while pending.
func (u *User) InternalSideID() int64 {
	if u == nil || u.Pending {
		return 0
	}
	return u.SideID
}

// PreferredLanguage is the user's own setting, else their side's default.
func (u *User) PreferredLanguage() string {
	if ValidLanguage(u.Language) {
		return u.Language
	}
	if u.Side != nil && ValidLanguage(u.Side.Language) {
		return u.Side.Language
	}
	return "en"
}

// Location is the user's own time zone, else their side's home zone.
func (u *User) Location() *time.Location {
	if u.TimeZone != "" {
		return LoadLocation(u.TimeZone)
	}
	if u.Side != nil {
		return u.Side.Location()
	}
	return time.UTC
}

// LoadLocation loads an IANA zone, falling back to UTC. Zones are read from
// the zone database once per process and kept (they never change while it
// runs; this is a cache of the program's own data, not of any record).
func LoadLocation(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	zones.Store(name, loc)
	return loc
}

// zones holds the zones loaded so far, by name.
var zones sync.Map

// ValidTimeZone reports whether name is a loadable IANA zone name.
func ValidTimeZone(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// Visibility says who may see a piece of content.
type Visibility string

const (
	Shared   Visibility = "shared"   // both delegations and the secretariat
	Internal Visibility = "internal" // only the owning side
)

// Page asks for one page of a list.
type Page struct {
	Number int // 1-based
	Size   int
}

// Normalize clamps the page to sane bounds.
func (p Page) Normalize() Page {
	if p.Size <= 0 || p.Size > 200 {
		p.Size = 50
	}
	if p.Number < 1 {
		p.Number = 1
	}
	return p
}

// Offset is the number of rows before the page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// PageOf is one page of a list and the total count.
type PageOf[T any] struct {
	Items []T
	Page  Page
	Total int64
}

// Pages is the number of pages.
func (p PageOf[T]) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return int((p.Total + int64(p.Page.Size) - 1) / int64(p.Page.Size))
}
