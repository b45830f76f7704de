package app

import (
	"strings"
	"time"
)

// Date is a calendar date, not an instant: a due date. A due date means
// the same day in every capital, so it is kept as a date (2026-12-15) with
// the zone it is due in kept beside it, and only its end — the midnight
// that ends the day in that zone — is an instant. No conversion between
// zones can move it by a day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// dateLayout is how dates are written in forms, URLs and the database.
const dateLayout = "2006-01-02"

// ParseDate reads a date written as 2026-12-15 (what a browser's date field
// sends); anything else, or a day that does not exist, is refused.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, strings.TrimSpace(s))
	if err != nil {
		return Date{}, Errorf(EINVALID, "date.invalid")
	}
	return DateOf(t), nil
}

// DateOf is the date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today is the date it is now in loc.
func Today(now time.Time, loc *time.Location) Date { return DateOf(now.In(loc)) }

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String writes the date as 2026-12-15.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Format(dateLayout)
}

// Start is the first instant of the date in loc (its midnight, or the first
// instant after it where a change of clocks skips midnight).
func (d Date) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// End is the instant the date ends in loc: the start of the next day there.
// Something due on the date is on time before End and overdue from End on.
func (d Date) End(loc *time.Location) time.Time { return d.AddDays(1).Start(loc) }

// AddDays is the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Before reports whether d comes before o.
func (d Date) Before(o Date) bool {
	if d.Year != o.Year {
		return d.Year < o.Year
	}
	if d.Month != o.Month {
		return d.Month < o.Month
	}
	return d.Day < o.Day
}

// Overdue reports whether something due on the date in loc is overdue at now.
func (d Date) Overdue(now time.Time, loc *time.Location) bool { return !now.Before(d.End(loc)) }
