package views

import (
	"strconv"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/actions"
)

// The actions' view models.

// ActionURL is an action's page.
func ActionURL(a *actions.Action) string { return "/actions/" + a.PublicID }

// ActionList is the action list.
type ActionList struct {
	List      *actions.List
	Filter    actions.Filter
	SourceRef string // the source filter's opaque identifier
	Pager     Pager
	CanCreate bool
}

// ActionListURL is the list with its filter and another view.
func ActionListURL(l ActionList, view string) string {
	u := "/actions?view=" + urlEscape(view)
	if l.Filter.Status != "" {
		u += "&status=" + urlEscape(string(l.Filter.Status))
	}
	if l.Filter.SourceType != "" {
		u += "&source_type=" + urlEscape(string(l.Filter.SourceType))
		if l.SourceRef != "" {
			u += "&source=" + urlEscape(l.SourceRef)
		}
	}
	return u
}

// ActionExportURL is the CSV export of the list as filtered.
func ActionExportURL(l ActionList) string {
	u := ActionListURL(l, l.Filter.View)
	return "/actions.csv" + u[len("/actions"):]
}

// ActionForm is the new-action form, as typed.
type ActionForm struct {
	Title, Description, Language string
	Owner                        string // a side's code, or "joint"
	Assignee                     string // an account's opaque identifier
	Due                          string
	Internal                     bool
	Source                       string // "<kind>:<opaque identifier>", or ""
	SourceTitle                  string
	Sides                        []app.Side // the owners the actor may choose
	Assignees                    []app.User
	Errors                       Errors
}

// ActionDetail is an action's page.
type ActionDetail struct {
	Action *actions.Action
	Source *actions.Source
	Thread Thread
	Perms  actions.Permissions
	Note   string // what was typed as the note of a part done, the reason of a reopening or a cancellation
	Due    string // a due date typed
	Errors Errors
	// Logged is where the newest verification of a part is in the audit
	// logs (nil when no part is verified).
	Logged *app.LogMark
}

// ActionsFrom is the list of the actions arising from a source.
func ActionsFrom(kind, ref string) string { return "/actions?source_type=" + kind + "&source=" + ref }

// NewActionFrom is the new-action form filled from a source.
func NewActionFrom(kind, ref string) string { return "/actions/new?source=" + kind + ":" + ref }

// ActionSourceURL is the page of what an action arises from.
func ActionSourceURL(s *actions.Source) string {
	switch s.Type {
	case actions.SourceAgenda:
		return "/agenda/" + s.Ref
	case actions.SourceMeeting:
		return "/meetings/" + s.Ref
	case actions.SourceIncident:
		return "/incidents/" + s.Ref
	case actions.SourceRequest:
		return "/incidents/" + s.Parent + "/requests#request-" + s.Ref
	}
	return ""
}

// DayOf shows a calendar date with its weekday, in the viewer's language:
// "Tue 15 Dec 2026". A date is the same day in every zone.
func (p Page) DayOf(d app.Date) string {
	t := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	return p.T("date.long", "Weekday", p.T("weekday."+strconv.Itoa(int(t.Weekday()))), "Day", t.Day(),
		"Month", p.T("month."+strconv.Itoa(int(t.Month()))), "MonthNum", int(t.Month()), "Year", t.Year())
}

// DueText is an action's due date as a date in its capital: "due Tue 15
// Dec 2026 (Washington time)".
func (p Page) DueText(a *actions.Action) string {
	return p.T("action.due_in", "Date", p.DayOf(a.Due()), "Zone", ZoneName(p.L, app.LoadLocation(a.DueZone)))
}

// PartSide is the side that does a part.
func (p Page) PartSide(part actions.Part) string { return p.SideName(p.SideByID(part.SideID)) }

// OwnerName is an action's owner: a side, or both delegations.
func (p Page) OwnerName(a *actions.Action) string {
	if a.Joint {
		return p.T("action.joint")
	}
	return p.SideName(p.SideByID(a.Owner()))
}
