package meetings

import (
	"errors"
	"slices"
	"time"
	_ "time/tzdata" // time zones work on any host, even without a system zone database
)

// Errors returned by ParseLocal; the caller maps them to translated messages.
var (
	ErrBadTime      = errors.New("time: not YYYY-MM-DDTHH:MM")
	ErrBadZone      = errors.New("time: unknown zone")
	ErrSkippedTime  = errors.New("time: skipped by a daylight-saving change")
	ErrRepeatedTime = errors.New("time: occurs twice (daylight-saving change)")
)

// localLayout is the form of an HTML datetime-local value without seconds.
const localLayout = "2006-01-02T15:04"

// ParseLocal reads a wall-clock time "YYYY-MM-DDTHH:MM", as an HTML
// datetime-local input sends it (a trailing ":00" is also accepted), in the
// IANA zone named zone, and returns the instant in UTC. The zone must be
// named: "" and "Local" are ErrBadZone. A wall-clock time that a change of
// offset skips is ErrSkippedTime, and one that it repeats is ErrRepeatedTime,
// rather than a guess at which instant was meant.
func ParseLocal(value, zone string) (time.Time, error) {
	if zone == "" || zone == "Local" {
		return time.Time{}, ErrBadZone
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return time.Time{}, ErrBadZone
	}
	if len(value) == len(localLayout)+3 && value[len(localLayout):] == ":00" {
		value = value[:len(localLayout)]
	}
	if !localShape(value) {
		return time.Time{}, ErrBadTime
	}
	// The shape is fixed, so time.Parse only checks the ranges, including the
	// length of the month.
	wall, err := time.Parse(localLayout, value)
	if err != nil {
		return time.Time{}, ErrBadTime
	}

	y, mo, d := wall.Date()
	h, mi, _ := wall.Clock()
	t := time.Date(y, mo, d, h, mi, 0, 0, loc)
	if !sameWall(t, wall) {
		// time.Date moved a time in a gap to one side of it.
		return time.Time{}, ErrSkippedTime
	}

	// The wall clock occurs twice if it also occurs under the offset of the
	// zone period before or after the one holding t. wall is the wall clock
	// read as UTC, so the instant showing it under offset off is wall-off.
	start, end := t.ZoneBounds()
	if !start.IsZero() {
		_, off := start.Add(-time.Nanosecond).Zone()
		if u := wall.Add(-time.Duration(off) * time.Second); u.Before(start) && sameWall(u.In(loc), wall) {
			return time.Time{}, ErrRepeatedTime
		}
	}
	if !end.IsZero() {
		_, off := end.Zone()
		if u := wall.Add(-time.Duration(off) * time.Second); !u.Before(end) && sameWall(u.In(loc), wall) {
			return time.Time{}, ErrRepeatedTime
		}
	}
	return t.UTC(), nil
}

// localShape reports whether s has the form YYYY-MM-DDTHH:MM, digits in
// every place, whatever their values.
func localShape(s string) bool {
	if len(s) != len(localLayout) {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; i {
		case 4, 7:
			if c != '-' {
				return false
			}
		case 10:
			if c != 'T' {
				return false
			}
		case 13:
			if c != ':' {
				return false
			}
		default:
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

// sameWall reports whether t shows the date, hour and minute of wall.
func sameWall(t, wall time.Time) bool {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := wall.Date()
	return y1 == y2 && m1 == m2 && d1 == d2 && t.Hour() == wall.Hour() && t.Minute() == wall.Minute()
}

// ZoneTime is one instant (a meeting slot) as seen in one zone.
type ZoneTime struct {
	Zone     *time.Location
	Start    time.Time // in Zone
	End      time.Time // in Zone
	DayShift int       // calendar days from the date of Start in the first zone of the list: -1, 0, +1 ("next day in Beijing")
	Outside  bool      // some part of [Start, End) lies outside 08:00–20:00 local time (a slot ending at 20:00 is inside)
	Weekend  bool      // some part of [Start, End) falls on a Saturday or Sunday local time
}

// Working hours, local time: a slot is inside them if it lies within
// [workStart, workEnd] of one day.
const (
	workStart = 8
	workEnd   = 20
)

// Across shows a slot of the given duration starting at start in each zone,
// in the order given. The first zone is the reference for DayShift.
func Across(start time.Time, d time.Duration, zones []*time.Location) []ZoneTime {
	out := make([]ZoneTime, 0, len(zones))
	var first time.Time
	for i, loc := range zones {
		s, e := start.In(loc), start.Add(d).In(loc)
		if i == 0 {
			first = s
		}
		out = append(out, ZoneTime{
			Zone:     loc,
			Start:    s,
			End:      e,
			DayShift: daysBetween(first, s),
			Outside:  outsideHours(s, e),
			Weekend:  onWeekend(s, e),
		})
	}
	return out
}

// civilDay returns t's local calendar date as a UTC midnight, for counting
// days without daylight-saving changes getting in the way.
func civilDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysBetween returns the number of calendar days from a's local date to b's.
func daysBetween(a, b time.Time) int {
	return int(civilDay(b).Sub(civilDay(a)) / (24 * time.Hour))
}

// outsideHours reports whether some part of [s, e) lies outside working
// hours on the day s falls on; s and e are in the same zone.
func outsideHours(s, e time.Time) bool {
	y, m, d := s.Date()
	open := time.Date(y, m, d, workStart, 0, 0, 0, s.Location())
	shut := time.Date(y, m, d, workEnd, 0, 0, 0, s.Location())
	return s.Before(open) || e.After(shut)
}

// onWeekend reports whether some part of [s, e) falls on a Saturday or a
// Sunday; s and e are in the same zone. An empty slot counts by s.
func onWeekend(s, e time.Time) bool {
	last := s
	if e.After(s) {
		last = e.Add(-time.Nanosecond)
	}
	// A week holds a weekend, so no more than seven days need a look.
	day, lastDay := civilDay(s), civilDay(last)
	for i := 0; i < 7 && !day.After(lastDay); i++ {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return true
		}
		day = day.AddDate(0, 0, 1)
	}
	return false
}

// OrderWestToEast sorts zones by their UTC offset at instant t, west first
// (Washington before Beijing), dropping later zones of the same name. Zones
// with the same offset keep their order. It returns a new slice.
func OrderWestToEast(t time.Time, zones []*time.Location) []*time.Location {
	out := make([]*time.Location, 0, len(zones))
	seen := make(map[string]bool, len(zones))
	for _, loc := range zones {
		if !seen[loc.String()] {
			seen[loc.String()] = true
			out = append(out, loc)
		}
	}
	slices.SortStableFunc(out, func(a, b *time.Location) int {
		_, oa := t.In(a).Zone()
		_, ob := t.In(b).Zone()
		return oa - ob
	})
	return out
}
