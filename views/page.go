// Package views renders Parley's pages with templ. Views get typed data.
package views

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/i18n"
)

// Page is what every page needs: the viewer, their language and zone, and
// the per-response security values.
type Page struct {
	L     *i18n.Localizer
	Title string // message id
	User  *app.User
	Loc   *time.Location
	Nonce string
	CSRF  string
	Demo  bool
	Flash string // message id of a one-time notice
	// FailedLogins is the number of failed sign-in attempts on the viewer's
	// account between their previous sign-in and this session's.
	FailedLogins int
	Path         string // current path, for navigation
	Here         string // where the language switch returns: the page with its query
	Now          time.Time
	Sides        []app.Side // all sides, for names (small, loaded once per page)
	// MainStatus, when set, is the data-status of the main element, so that
	// tools can read an object's state whatever the language.
	MainStatus string
	// MainAttrs are more data- attributes of the main element (an
	// object's other states, such as its marking).
	MainAttrs templ.Attributes
}

// FlashFailedLogins is the one-time notice of failed sign-in attempts on
// the first page after signing in (the dashboard shows them all session).
const FlashFailedLogins = "flash.failed_logins"

// T translates a message id.
func (p Page) T(id string, args ...any) string { return p.L.T(id, args...) }

// SideName returns a side's name in the viewer's language.
func (p Page) SideName(s *app.Side) string {
	if s == nil {
		return ""
	}
	return s.Name(p.L.Lang())
}

// SideByID finds a side among the page's sides.
func (p Page) SideByID(id int64) *app.Side {
	for i := range p.Sides {
		if p.Sides[i].ID == id {
			return &p.Sides[i]
		}
	}
	return nil
}

// Delegations returns the delegations among the page's sides.
func (p Page) Delegations() []app.Side {
	var out []app.Side
	for _, s := range p.Sides {
		if s.IsDelegation() {
			out = append(out, s)
		}
	}
	return out
}

// RoleName is the translated name of a role.
func (p Page) RoleName(r app.Role) string { return p.T("role." + string(r)) }

// FormLevel is the Errors key of a message about the whole form (e.g. a conflict).
const FormLevel = "_form"

// Errors holds the message ids of field errors.
type Errors struct{ fields map[string]string }

// NewErrors wraps field errors from the domain.
func NewErrors(fields map[string]string) Errors { return Errors{fields: fields} }

// FormError returns errors holding one message about the whole form.
func FormError(id string) Errors { return Errors{fields: map[string]string{FormLevel: id}} }

// Get returns the message id for a field, or "".
func (e Errors) Get(field string) string { return e.fields[field] }

// Any reports whether there is any error.
func (e Errors) Any() bool { return len(e.fields) > 0 }

// Pager describes pagination links.
type Pager struct {
	Number, Pages int
	Total         int64
	BaseURL       string // with query, without page
}

// URL returns the link to page n.
func (pg Pager) URL(n int) string {
	sep := "?"
	for _, c := range pg.BaseURL {
		if c == '?' {
			sep = "&"
		}
	}
	return pg.BaseURL + sep + "page=" + strconv.Itoa(n)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func urlEscape(s string) string { return url.QueryEscape(s) }

// ZoneName names a time zone for people: "Beijing time", "Washington time",
// else its IANA name.
func ZoneName(l *i18n.Localizer, loc *time.Location) string {
	switch loc.String() {
	case "Asia/Shanghai":
		return l.T("tz.beijing")
	case "America/New_York":
		return l.T("tz.washington")
	case "UTC":
		return "UTC"
	}
	return loc.String()
}

// UTCOffset writes a zone's offset at an instant, e.g. "UTC+8", "UTC−4".
func UTCOffset(t time.Time) string {
	_, off := t.Zone()
	sign := "+"
	if off < 0 {
		sign = "−"
		off = -off
	}
	h, m := off/3600, off%3600/60
	if m != 0 {
		return fmt.Sprintf("UTC%s%d:%02d", sign, h, m)
	}
	return fmt.Sprintf("UTC%s%d", sign, h)
}

// FormatTime shows an instant in a zone, naming the zone and its offset, so
// that it is never ambiguous: "Thu 11 Jul 2013, 09:30 Beijing time (UTC+8)".
func FormatTime(l *i18n.Localizer, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	zone := ZoneName(l, loc)
	id := "time.format"
	if zone == "UTC" {
		id = "time.format_utc"
	}
	return l.T(id,
		"Weekday", l.T("weekday."+strconv.Itoa(int(t.Weekday()))),
		"Day", t.Day(), "Month", l.T("month."+strconv.Itoa(int(t.Month()))), "MonthNum", int(t.Month()),
		"Year", t.Year(), "Clock", t.Format("15:04"), "Zone", zone, "Offset", UTCOffset(t))
}

// ChangeField names a field of an audit record's changes for people.
func (p Page) ChangeField(field string) string {
	if id := "change." + field; p.L.Has(id) {
		return p.T(id)
	}
	return field
}

// ChangeValue shows a recorded value in the viewer's language where it is a
// code (a status, role, visibility, language or yes/no).
func (p Page) ChangeValue(field, value string) string {
	var id string
	switch field {
	case "status":
		id = "status." + value
	case "role":
		id = "role." + value
	case "visibility":
		id = "visibility." + value
	case "language":
		id = "lang." + value
	case "kind":
		id = "position." + value // a position's kind; other kinds have no such key and show as recorded
	}
	switch value {
	case "true":
		id = "change.yes"
	case "false":
		id = "change.no"
	}
	if id != "" && p.L.Has(id) {
		return p.T(id)
	}
	return value
}
