package views

import (
	"strconv"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/incidents"
)

// The incidents' view models: what each incident page shows, and what its
// forms keep of what was typed when they are refused.

// IncidentURL is an incident's page.
func IncidentURL(inc *incidents.Incident) string { return "/incidents/" + inc.PublicID }

// IncidentList is the incident list.
type IncidentList struct {
	List      *incidents.List
	Filter    incidents.Filter
	SideRef   string // the side filter's opaque identifier, "" for both
	Pager     Pager
	CanReport bool
}

// IncidentListURL is the list with its filter and another status.
func IncidentListURL(l IncidentList, status incidents.Status) string {
	u := "/incidents?status=" + string(status)
	if l.SideRef != "" {
		u += "&side=" + urlEscape(l.SideRef)
	}
	if l.Filter.Category != "" {
		u += "&category=" + urlEscape(string(l.Filter.Category))
	}
	if l.Filter.TLP != "" {
		u += "&tlp=" + urlEscape(string(l.Filter.TLP))
	}
	if l.Filter.Text != "" {
		u += "&q=" + urlEscape(l.Filter.Text)
	}
	return u
}

// IncidentExportURL is the list's CSV export with its filter.
func IncidentExportURL(l IncidentList) string {
	u := IncidentListURL(l, l.Filter.Status)
	return "/incidents/export.csv" + u[len("/incidents"):]
}

// AllIncidents counts the incidents of every status in the list's counts.
func AllIncidents(l IncidentList) int64 {
	var n int64
	for _, c := range l.List.Counts {
		n += c
	}
	return min(n, incidents.CountCap)
}

// IncidentForm is the new-incident and edit-draft form, as typed.
type IncidentForm struct {
	Ref                                    string // "" for a new incident
	Version                                int64
	Title, Summary, Language               string
	Category, TLP                          string
	Sectors                                []string
	ObservedFrom, ObservedTo, ObservedZone string
	Errors                                 Errors
}

// HasSector reports whether the form has a sector ticked.
func (f IncidentForm) HasSector(s incidents.Sector) bool {
	for _, x := range f.Sectors {
		if x == string(s) {
			return true
		}
	}
	return false
}

// ClaimForm is a claim as typed.
type ClaimForm struct {
	Text, Figure string
}

// TLPForm is a change of marking as typed.
type TLPForm struct {
	TLP, Reason string
}

// IncidentDetail is an incident's main page.
type IncidentDetail struct {
	Incident   *incidents.Incident
	Claims     *incidents.ClaimsView
	Thread     Thread
	Perms      incidents.Permissions
	Candidates []app.User // who may be named recipients (for the reporting side)
	Claim      ClaimForm
	TLP        TLPForm
	Errors     Errors
}

// PositionForm is a position as typed: on what (target and opaque id).
type PositionForm struct {
	Target, Of, Kind, Reason, Body string
}

// PositionsDetail is an incident's positions page.
type PositionsDetail struct {
	View   *incidents.PositionsView
	Perms  incidents.Permissions
	Form   PositionForm
	Pager  Pager // of the claims
	Errors Errors
	// Logged is where the newest position set on the incident is in the
	// audit logs (nil when there is none).
	Logged *app.LogMark
}

// How many claims the main page shows, and the positions page a page.
const (
	ClaimsShown   = 20
	ClaimsPerPage = 25
)

// ClaimsPage is page n (from 1) of claims, size to a page.
func ClaimsPage(claims []incidents.ClaimView, n, size int) []incidents.ClaimView {
	lo := (max(n, 1) - 1) * size
	if lo >= len(claims) {
		return nil
	}
	return claims[lo:min(lo+size, len(claims))]
}

// PasteForm is a bulk paste of indicators as typed, and what became of it.
type PasteForm struct {
	Lines                     string
	Role                      string
	AllOrNothing              bool
	FirstSeen, LastSeen, Zone string
	Result                    *incidents.PasteResult
}

// IndicatorsDetail is an incident's indicators page.
type IndicatorsDetail struct {
	Incident *incidents.Incident
	List     *incidents.IndicatorList
	Filter   incidents.IndicatorFilter
	SideRef  string // the position filter's side, by opaque identifier
	Pager    Pager
	Perms    incidents.Permissions
	Paste    PasteForm
	Position PositionForm // a refused position, to show again
	Errors   Errors
}

// IndicatorFilterURL is the indicators page with its filter (for paging).
func IndicatorFilterURL(d IndicatorsDetail) string {
	u := IncidentURL(d.Incident) + "/indicators?type=" + urlEscape(string(d.Filter.Type)) +
		"&position=" + urlEscape(string(d.Filter.Position))
	if d.SideRef != "" {
		u += "&side=" + urlEscape(d.SideRef)
	}
	if d.Filter.Text != "" {
		u += "&q=" + urlEscape(d.Filter.Text)
	}
	return u
}

// AskForm is an information request as typed.
type AskForm struct {
	Question, Due string
}

// AnswerForm is an answer as typed, to which request.
type AnswerForm struct {
	Request, Answer string
}

// RequestsDetail is an incident's information requests page.
type RequestsDetail struct {
	Incident *incidents.Incident
	Requests []incidents.Request
	Files    []incidents.Attachment
	Perms    incidents.Permissions
	Ask      AskForm
	Answer   AnswerForm
	Errors   Errors
}

// FilesOn are the files attached to one request.
func (d RequestsDetail) FilesOn(r incidents.Request) []incidents.Attachment {
	var out []incidents.Attachment
	for _, a := range d.Files {
		if a.ParentType == incidents.TargetRequest && a.ParentID == r.ID {
			out = append(out, a)
		}
	}
	return out
}

// AttachmentsDetail is an incident's files page.
type AttachmentsDetail struct {
	Incident *incidents.Incident
	Files    []incidents.FileRow
	Requests []incidents.Request // to which a file may be attached
	Comment  string              // the comment a file is to be attached to, by opaque identifier
	Parent   string              // the parent chosen, as typed
	Perms    incidents.Permissions
	Max      int64 // the largest file taken, in bytes
	Errors   Errors
}

// StatsView is the statistics page.
type StatsView struct {
	Stats *incidents.Stats
}

// Size is a file's size for people: bytes, KB or MB.
func Size(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// IncidentDelegations are the incident's two delegations, in the order
// every page shows their columns (the page's order of the delegations).
func (p Page) IncidentDelegations(inc *incidents.Incident) []app.Side {
	var out []app.Side
	for _, s := range p.Delegations() {
		if s.ID == inc.ReportingSideID || s.ID == inc.AddressedSideID {
			out = append(out, s)
		}
	}
	return out
}

// Secretariat is the secretariat among the page's sides, or nil.
func (p Page) Secretariat() *app.Side {
	for i := range p.Sides {
		if p.Sides[i].Kind == app.KindSecretariat {
			return &p.Sides[i]
		}
	}
	return nil
}

// DueIn shows a due date as the calendar date it is in its zone, and the
// instant it ends in each capital.
func (p Page) DueEnd(r incidents.Request) time.Time {
	return r.Due().End(app.LoadLocation(r.DueZone))
}

// ObservedWindow shows the observed window in the zone it was entered in.
func (p Page) Observed(t *time.Time, zone string) string {
	if t == nil {
		return p.T("incident.observed_unknown")
	}
	return FormatTime(p.L, *t, app.LoadLocation(zone))
}

// LocalInput is an instant as a datetime-local field's value in a zone.
func LocalInput(t *time.Time, zone string) string {
	if t == nil {
		return ""
	}
	return t.In(app.LoadLocation(zone)).Format("2006-01-02T15:04")
}

// StatsCharts are the statistics as charts, their labels translated.
func StatsCharts(p Page, st *incidents.Stats) []BarChart {
	chart := func(id, title, label string, counts []incidents.Count, name func(incidents.Count) string) BarChart {
		c := BarChart{ID: id, Title: p.T(title), LabelHeader: p.T(label), ValueHeader: p.T("stats.number")}
		for _, x := range counts {
			c.Labels = append(c.Labels, name(x))
			c.Values = append(c.Values, x.N)
		}
		return c
	}
	side := func(id int64) string { return p.SideName(p.SideByID(id)) }
	out := []BarChart{
		chart("by-month", "stats.by_month", "stats.month", st.ByMonth, func(c incidents.Count) string { return c.Key }),
		chart("by-category", "stats.by_category", "incident.category", st.ByCategory,
			func(c incidents.Count) string { return p.T(incidents.Category(c.Key).MessageKey()) }),
		chart("by-status", "stats.by_status", "incident.status", st.ByStatus,
			func(c incidents.Count) string { return p.T(incidents.Status(c.Key).MessageKey()) }),
		chart("by-side", "stats.by_side", "incident.reporting_side", st.BySide,
			func(c incidents.Count) string { id, _ := strconv.ParseInt(c.Key, 10, 64); return side(id) }),
	}
	for _, d := range p.Delegations() {
		var counts []incidents.Count
		for _, c := range st.IndicatorPositions {
			if c.Side == d.ID {
				counts = append(counts, c)
			}
		}
		c := chart("positions-"+d.Code, "stats.indicator_positions", "incident.position", counts, func(c incidents.Count) string {
			if c.Key == "" {
				return p.T("position.none")
			}
			return p.T(incidents.PositionKind(c.Key).MessageKey())
		})
		c.Title = p.T("stats.indicator_positions", "Side", p.SideName(&d))
		out = append(out, c)
	}
	return out
}
