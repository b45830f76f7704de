package app

import (
	"testing"
	"time"
)

func TestDatesEndInTheirOwnZone(t *testing.T) {
	dc, _ := time.LoadLocation("America/New_York")
	bj, _ := time.LoadLocation("Asia/Shanghai")
	d, err := ParseDate(" 2026-12-15 ")
	if err != nil || d != (Date{2026, time.December, 15}) || d.String() != "2026-12-15" {
		t.Fatalf("parse: %v %v", d, err)
	}
	// Due on 15 December in Washington: it ends at midnight there, 13:00 on the 16th in Beijing.
	end := d.End(dc)
	if got := end.In(bj).Format("2006-01-02 15:04"); got != "2026-12-16 13:00" {
		t.Errorf("the end of 15 December in Washington is %s in Beijing", got)
	}
	if d.Overdue(end.Add(-time.Second), dc) || !d.Overdue(end, dc) {
		t.Error("overdue from the end of the day on, not before")
	}
	// Seen from Beijing the same date stays the 15th: only its end is an instant.
	if d.String() != "2026-12-15" || Today(end.Add(-time.Minute), dc) != d || Today(end.Add(-time.Minute), bj) == d {
		t.Error("a date is the same in every zone; today is not")
	}
	// Across the changes of clocks in Washington, a day ends at its midnight.
	for _, c := range []struct {
		date string
		hrs  float64
	}{{"2026-03-08", 23}, {"2026-11-01", 25}, {"2026-07-04", 24}} {
		d, _ := ParseDate(c.date)
		if got := d.End(dc).Sub(d.Start(dc)).Hours(); got != c.hrs {
			t.Errorf("%s lasts %v hours in Washington, want %v", c.date, got, c.hrs)
		}
		if d.End(dc).In(dc).Format("15:04") != "00:00" {
			t.Errorf("%s does not end at midnight", c.date)
		}
	}
	for _, bad := range []string{"", "2026-02-30", "15/12/2026", "2026-12-15T00:00", "2026-13-01"} {
		if _, err := ParseDate(bad); ErrorCode(err) != EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if !(Date{2026, 12, 31}).Before(Date{2027, 1, 1}) || (Date{2026, 12, 31}).AddDays(1) != (Date{2027, 1, 1}) ||
		(Date{2024, 3, 1}).AddDays(-1) != (Date{2024, 2, 29}) || !(Date{}).IsZero() || (Date{}).String() != "" {
		t.Error("date arithmetic")
	}
}
