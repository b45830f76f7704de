package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/actions"
	"github.com/parley/parley/app/i18n"
	"github.com/parley/parley/app/meetings"
)

// MilestoneForm is the new-milestone form.
type MilestoneForm struct {
	NameEN, NameZH, Start, Zone string
	Errors                      Errors
}

// MeetingList is the meetings page.
type MeetingList struct {
	Meetings []meetings.Meeting
	When     string // upcoming or past
	Status   string // "" for any
	Capped   bool
	Pager    Pager
}

// MeetingForm is the new-meeting and edit-meeting form.
type MeetingForm struct {
	Ref                                                                         string // the meeting's; "" for a new one
	Version                                                                     int64
	TitleEN, TitleZH, Kind, Format, Venue, VideoLink, Duration, Zone, Milestone string
	Milestones                                                                  []meetings.Milestone
	Errors                                                                      Errors
}

// SlotForm keeps a refused slot.
type SlotForm struct{ Start, Zone string }

// MeetingDetail is a meeting's page.
type MeetingDetail struct {
	Meeting       *meetings.Meeting
	Perms         meetings.Permissions
	Slots         []meetings.SlotSummary
	SeesAnswersOf []int64
	Attendees     []meetings.Attendee
	Members       []app.User // the viewer's side's members, for the attendance form
	Thread        Thread
	Slot          SlotForm
	Cancel        string // the reason typed, after a refusal
	Guest         string
	Errors        Errors
}

// LineForm keeps a refused agenda line.
type LineForm struct{ Entry, Duration, Lead string }

// AgendaDetail is a meeting's agenda page.
type AgendaDetail struct {
	View   *meetings.AgendaView
	Perms  meetings.Permissions
	Line   LineForm
	Errors Errors
	// Review is what the review of open actions lists, when the agenda has
	// that line; ReviewMore says that there are more than it shows.
	Review     []actions.Action
	ReviewMore bool
}

// SectionForm is the minutes of one line as typed.
type SectionForm struct{ Text, Outcome string }

// MinutesDetail is a meeting's minutes page.
type MinutesDetail struct {
	View           *meetings.MinutesView
	Perms          meetings.Permissions
	Sections       []SectionForm
	Statement      string
	StatementTyped bool
	Errors         Errors
	// Logged is where the newest approval of the minutes (every
	// delegation's, else one delegation's) is in the audit logs.
	Logged *app.LogMark
}

// MeetingURL is a meeting's page.
func MeetingURL(m *meetings.Meeting) string { return "/meetings/" + m.PublicID }

// Capitals are the zones every time of a meeting is shown in: the
// delegations' home zones west to east, and the viewer's own if it is neither.
func (p Page) Capitals(at time.Time) []*time.Location {
	zones := meetings.Capitals(p.Sides, at)
	for _, z := range zones {
		if z.String() == p.Loc.String() {
			return zones
		}
	}
	return append(zones, p.Loc)
}

// SlotTimes shows a slot in every capital.
func (p Page) SlotTimes(start time.Time, m *meetings.Meeting) []meetings.ZoneTime {
	return meetings.Across(start, m.Duration(), p.Capitals(start))
}

// ClockIn is a short local time: "Thu 12 Mar, 08:00".
func (p Page) ClockIn(t time.Time) string {
	return p.T("time.short", "Weekday", p.T("weekday."+strconv.Itoa(int(t.Weekday()))), "Day", t.Day(),
		"Month", p.T("month."+strconv.Itoa(int(t.Month()))), "MonthNum", int(t.Month()), "Clock", t.Format("15:04"))
}

// DayIn is a short local date: "Thu 12 Mar".
func (p Page) DayIn(t time.Time) string {
	return p.T("time.day", "Weekday", p.T("weekday."+strconv.Itoa(int(t.Weekday()))), "Day", t.Day(),
		"Month", p.T("month."+strconv.Itoa(int(t.Month()))), "MonthNum", int(t.Month()))
}

// ZoneLabel names a zone with its offset at t.
func (p Page) ZoneLabel(t time.Time) string {
	return ZoneName(p.L, t.Location()) + " (" + UTCOffset(t) + ")"
}

// MeetingTitle is a meeting's title in the viewer's language.
func (p Page) MeetingTitle(m *meetings.Meeting) string { return m.Title(p.L.Lang()) }

// LineTitle is an agenda line's title in the viewer's language.
func (p Page) LineTitle(l meetings.Line) string {
	if l.ItemID == nil {
		return p.T("procedure." + l.Procedure)
	}
	if l.ItemTrTitle != "" && l.ItemLang != p.L.Lang() {
		return l.ItemTrTitle
	}
	return l.ItemTitle
}

// SideCode names a side by its code, or "".
func (p Page) SideCode(id *int64) string {
	if id == nil {
		return ""
	}
	if s := p.SideByID(*id); s != nil {
		return p.SideName(s)
	}
	return ""
}

// Parties are the sides among the page's sides whose ids are given.
func (p Page) Parties(ids []int64) []app.Side {
	var out []app.Side
	for _, id := range ids {
		if s := p.SideByID(id); s != nil {
			out = append(out, *s)
		}
	}
	return out
}

// ApprovalBlock is the two-sided decision block for a meeting's agenda or minutes.
func ApprovalBlock(p Page, parties []int64, standing app.Standing, revision int, title, url string, can bool) Decisions {
	d := Decisions{Revision: revision, Parties: p.Parties(parties), Standing: standing, Title: title,
		Hints: []string{"meeting.approve_hint"}, Awaiting: "meeting.awaiting_approval",
		Kinds: map[app.DecisionKind]DecisionKindView{meetings.Approve: {Label: "meeting.approved"}}}
	if can && standing.For(p.User.SideID) == nil {
		d.Actions = []DecisionAction{{URL: url, Label: "meeting.approve_for", Class: "primary", Revision: true}}
	}
	return d
}

// Minutes shows the duration of a line or a meeting.
func (p Page) Minutes(n int) string { return p.T("agenda.minutes", "N", n) }

// Offset adds minutes to an instant.
func Offset(t time.Time, d time.Duration) time.Time { return t.Add(d) }

// EventText builds calendar events' text in a reader's language: the title,
// the time in both capitals and the agenda's titles; the venue as location.
// The video link is never written into a calendar file.
func EventText(l *i18n.Localizer, sides []app.Side, lines map[int64][]meetings.Line) meetings.EventText {
	p := Page{L: l, Sides: sides, Loc: time.UTC}
	return func(m *meetings.Meeting) (string, string, string) {
		var b strings.Builder
		summary := m.Title(l.Lang())
		if m.Status == meetings.StatusCancelled {
			summary = l.T("meeting.cancelled_summary", "Title", summary)
		}
		for _, z := range meetings.Capitals(sides, *m.StartsAt) {
			b.WriteString(FormatTime(l, *m.StartsAt, z) + "\n")
		}
		b.WriteString(l.T("meeting.duration_n", "N", m.DurationMinutes) + "\n")
		if ls := lines[m.ID]; len(ls) > 0 {
			b.WriteString("\n" + l.T("meeting.agenda_title") + ":\n")
			for i, line := range ls {
				b.WriteString(strconv.Itoa(i+1) + ". " + p.LineTitle(line) + "\n")
			}
		}
		loc := m.Venue
		if m.Format == meetings.Video {
			loc = l.T("meeting.format.video")
		}
		return summary, strings.TrimSpace(b.String()), loc
	}
}

// EntryZones are the zones offered for entering a time: those the settings
// offer (the capitals, UTC, common venues), the sides' home zones, and the
// one already chosen.
func EntryZones(p Page, chosen string) []string {
	zones := append([]string(nil), TimeZones...)
	for _, s := range p.Sides {
		found := false
		for _, z := range zones {
			found = found || z == s.TimeZone
		}
		if !found && s.TimeZone != "" {
			zones = append(zones, s.TimeZone)
		}
	}
	for _, z := range zones {
		if z == chosen {
			return zones
		}
	}
	if chosen != "" {
		zones = append(zones, chosen)
	}
	return zones
}

// ZoneOption names a zone in a list: "Beijing time (Asia/Shanghai)".
func ZoneOption(p Page, zone string) string {
	loc := app.LoadLocation(zone)
	if name := ZoneName(p.L, loc); name != zone {
		return name + " (" + zone + ")"
	}
	return zone
}

func myNote(s meetings.SlotSummary) string {
	if s.Mine == nil {
		return ""
	}
	return s.Mine.Note
}

func lineDuration(typed string) string {
	if typed == "" {
		return "30"
	}
	return typed
}

func sectionAt(s []SectionForm, i int) SectionForm {
	if i < len(s) {
		return s[i]
	}
	return SectionForm{}
}

func ownStatement(list []meetings.Statement, sideID int64) meetings.Statement {
	for _, s := range list {
		if s.SideID == sideID {
			return s
		}
	}
	return meetings.Statement{}
}

func meetingFormAction(ref string) string {
	if ref == "" {
		return "/meetings/new"
	}
	return "/meetings/" + ref + "/edit"
}
