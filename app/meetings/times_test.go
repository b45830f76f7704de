package meetings

import (
	"errors"
	"slices"
	"testing"
	"time"
)

const (
	washington = "America/New_York"
	beijing    = "Asia/Shanghai"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// mustParse is ParseLocal for inputs a test knows to be good.
func mustParse(t *testing.T, value, zone string) time.Time {
	t.Helper()
	u, err := ParseLocal(value, zone)
	if err != nil {
		t.Fatalf("ParseLocal(%q, %q): %v", value, zone, err)
	}
	return u
}

// The US changes its clocks in 2027 on the second Sunday of March and the
// first Sunday of November; the tests below rely on those dates.
func TestUSDaylightSavingDates2027(t *testing.T) {
	ny := mustLoad(t, washington)
	start, end := time.Date(2027, time.July, 1, 12, 0, 0, 0, ny).ZoneBounds()
	if got, want := start.UTC(), time.Date(2027, time.March, 14, 7, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("summer time starts %v, want %v", got, want)
	}
	if got, want := end.UTC(), time.Date(2027, time.November, 7, 6, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("summer time ends %v, want %v", got, want)
	}
}

func TestParseLocal(t *testing.T) {
	tests := []struct {
		value, zone string
		want        string // RFC 3339 in UTC, if no error
		err         error
	}{
		// Winter: Washington is UTC-5, Beijing UTC+8.
		{"2027-03-12T08:00", washington, "2027-03-12T13:00:00Z", nil},
		{"2027-03-12T21:00", beijing, "2027-03-12T13:00:00Z", nil},
		// Summer time: Washington is UTC-4.
		{"2027-03-15T08:00", washington, "2027-03-15T12:00:00Z", nil},
		{"2027-03-15T20:00", beijing, "2027-03-15T12:00:00Z", nil},
		{"2027-03-15T08:00:00", washington, "2027-03-15T12:00:00Z", nil},
		{"2027-07-01T00:00", "UTC", "2027-07-01T00:00:00Z", nil},
		{"2028-02-29T10:00", beijing, "2028-02-29T02:00:00Z", nil},

		// Spring forward: 02:00 to 02:59 on 2027-03-14 do not happen in New York.
		{"2027-03-14T01:59", washington, "2027-03-14T06:59:00Z", nil},
		{"2027-03-14T02:00", washington, "", ErrSkippedTime},
		{"2027-03-14T02:30", washington, "", ErrSkippedTime},
		{"2027-03-14T02:59", washington, "", ErrSkippedTime},
		{"2027-03-14T03:00", washington, "2027-03-14T07:00:00Z", nil},
		// Fall back: 01:00 to 01:59 on 2027-11-07 happen twice.
		{"2027-11-07T00:59", washington, "2027-11-07T04:59:00Z", nil},
		{"2027-11-07T01:00", washington, "", ErrRepeatedTime},
		{"2027-11-07T01:30", washington, "", ErrRepeatedTime},
		{"2027-11-07T01:30:00", washington, "", ErrRepeatedTime},
		{"2027-11-07T01:59", washington, "", ErrRepeatedTime},
		{"2027-11-07T02:00", washington, "2027-11-07T07:00:00Z", nil},
		// Beijing keeps one offset: New York's odd hours are ordinary there.
		{"2027-03-14T02:30", beijing, "2027-03-13T18:30:00Z", nil},
		{"2027-11-07T01:30", beijing, "2027-11-06T17:30:00Z", nil},
		// Lord Howe Island moves its clocks by half an hour, the other way
		// round in the year (first Sundays of April and October).
		{"2027-04-04T01:15", "Australia/Lord_Howe", "2027-04-03T14:15:00Z", nil},
		{"2027-04-04T01:45", "Australia/Lord_Howe", "", ErrRepeatedTime},
		{"2027-10-03T02:15", "Australia/Lord_Howe", "", ErrSkippedTime},
		{"2027-10-03T02:30", "Australia/Lord_Howe", "2027-10-02T15:30:00Z", nil},

		// Bad forms.
		{"2027-13-01T10:00", washington, "", ErrBadTime},
		{"2027-03-14 10:00", washington, "", ErrBadTime},
		{"", washington, "", ErrBadTime},
		{"2027-03-14T25:00", washington, "", ErrBadTime},
		{"2027-03-14T24:00", washington, "", ErrBadTime},
		{"2027-03-14T10:60", washington, "", ErrBadTime},
		{"2027-02-29T10:00", washington, "", ErrBadTime},
		{"2027-04-31T10:00", washington, "", ErrBadTime},
		{"2027-00-10T10:00", washington, "", ErrBadTime},
		{"2027-03-14T10:00:30", washington, "", ErrBadTime},
		{"2027-03-14T10:00:00.000", washington, "", ErrBadTime},
		{"2027-03-14T10:00Z", washington, "", ErrBadTime},
		{"2027-03-14T10:00-05:00", washington, "", ErrBadTime},
		{"2027-03-14T9:00", washington, "", ErrBadTime},
		{"2027-3-14T09:00", washington, "", ErrBadTime},
		{"2027-03-14t10:00", washington, "", ErrBadTime},
		{"2027/03/14T10:00", washington, "", ErrBadTime},
		{"2027-03-14T10.00", washington, "", ErrBadTime},
		{" 2027-03-14T10:00", washington, "", ErrBadTime},
		{"2027-03-14T10:00 ", washington, "", ErrBadTime},
		{"+2027-03-14T10:00", washington, "", ErrBadTime},
		{"２０２７-03-14T10:00", washington, "", ErrBadTime},

		// Bad zones, whatever the time.
		{"2027-03-14T10:00", "Mars/Olympus", "", ErrBadZone},
		{"2027-03-14T10:00", "", "", ErrBadZone},
		{"2027-03-14T10:00", "Local", "", ErrBadZone},
		{"2027-03-14T10:00", "../etc/passwd", "", ErrBadZone},
		{"garbage", "Mars/Olympus", "", ErrBadZone},
	}
	for _, tt := range tests {
		got, err := ParseLocal(tt.value, tt.zone)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseLocal(%q, %q) = %v, %v; want error %v", tt.value, tt.zone, got, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseLocal(%q, %q): %v", tt.value, tt.zone, err)
			continue
		}
		if s := got.Format(time.RFC3339); s != tt.want || got.Location() != time.UTC {
			t.Errorf("ParseLocal(%q, %q) = %s (%v), want %s in UTC", tt.value, tt.zone, s, got.Location(), tt.want)
		}
	}
}

// Every half hour of 2027, parsed back from its wall clock: in Beijing all
// parse, in Washington all but the two skipped and the two repeated.
func TestParseLocalWholeYear(t *testing.T) {
	for _, tt := range []struct {
		zone              string
		skipped, repeated []string
	}{
		{beijing, nil, nil},
		{washington,
			[]string{"2027-03-14T02:00", "2027-03-14T02:30"},
			[]string{"2027-11-07T01:00", "2027-11-07T01:30"}},
	} {
		loc := mustLoad(t, tt.zone)
		var skipped, repeated []string
		for h := range 365 * 24 * 2 {
			// Walk the wall clock, not the instants, to meet skipped times.
			wall := time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(h) * 30 * time.Minute)
			value := wall.Format(localLayout)
			got, err := ParseLocal(value, tt.zone)
			switch {
			case errors.Is(err, ErrSkippedTime):
				skipped = append(skipped, value)
			case errors.Is(err, ErrRepeatedTime):
				repeated = append(repeated, value)
			case err != nil:
				t.Fatalf("ParseLocal(%q, %q): %v", value, tt.zone, err)
			case got.In(loc).Format(localLayout) != value:
				t.Fatalf("ParseLocal(%q, %q) = %v, which is %v there", value, tt.zone, got, got.In(loc))
			}
		}
		if !slices.Equal(skipped, tt.skipped) || !slices.Equal(repeated, tt.repeated) {
			t.Errorf("%s: skipped %q, repeated %q; want %q, %q", tt.zone, skipped, repeated, tt.skipped, tt.repeated)
		}
	}
}

func TestAcross(t *testing.T) {
	ny, bj := mustLoad(t, washington), mustLoad(t, beijing)
	zones := []*time.Location{ny, bj}
	type view struct {
		start, end string // local, "2006-01-02T15:04"
		shift      int
		outside    bool
		weekend    bool
	}
	tests := []struct {
		name  string
		start string // Washington wall clock
		d     time.Duration
		want  [2]view // Washington, Beijing
	}{
		{"winter: 13 hours apart, same day", "2027-03-12T08:00", time.Hour, [2]view{
			{"2027-03-12T08:00", "2027-03-12T09:00", 0, false, false},
			{"2027-03-12T21:00", "2027-03-12T22:00", 0, true, false},
		}},
		{"summer: 12 hours apart, same day", "2027-03-15T08:00", time.Hour, [2]view{
			{"2027-03-15T08:00", "2027-03-15T09:00", 0, false, false},
			{"2027-03-15T20:00", "2027-03-15T21:00", 0, true, false},
		}},
		{"evening in Washington is next morning in Beijing", "2027-03-15T20:00", time.Hour, [2]view{
			{"2027-03-15T20:00", "2027-03-15T21:00", 0, true, false},
			{"2027-03-16T08:00", "2027-03-16T09:00", 1, false, false},
		}},
		{"Friday evening in winter is Saturday in Beijing", "2027-03-12T21:00", time.Hour, [2]view{
			{"2027-03-12T21:00", "2027-03-12T22:00", 0, true, false},
			{"2027-03-13T10:00", "2027-03-13T11:00", 1, false, true},
		}},
		{"Friday evening in summer is Saturday in Beijing", "2027-03-19T21:00", time.Hour, [2]view{
			{"2027-03-19T21:00", "2027-03-19T22:00", 0, true, false},
			{"2027-03-20T09:00", "2027-03-20T10:00", 1, false, true},
		}},
		{"Sunday evening is Monday in Beijing", "2027-03-21T19:00", time.Hour, [2]view{
			{"2027-03-21T19:00", "2027-03-21T20:00", 0, false, true},
			{"2027-03-22T07:00", "2027-03-22T08:00", 1, true, false},
		}},
		{"starts before 08:00", "2027-06-01T07:30", time.Hour, [2]view{
			{"2027-06-01T07:30", "2027-06-01T08:30", 0, true, false},
			{"2027-06-01T19:30", "2027-06-01T20:30", 0, true, false},
		}},
		{"ends after 20:00", "2027-06-01T19:30", time.Hour, [2]view{
			{"2027-06-01T19:30", "2027-06-01T20:30", 0, true, false},
			{"2027-06-02T07:30", "2027-06-02T08:30", 1, true, false},
		}},
		{"ends at 20:00", "2027-06-01T19:00", time.Hour, [2]view{
			{"2027-06-01T19:00", "2027-06-01T20:00", 0, false, false},
			{"2027-06-02T07:00", "2027-06-02T08:00", 1, true, false},
		}},
		{"08:00 to 20:00 exactly", "2027-06-01T08:00", 12 * time.Hour, [2]view{
			{"2027-06-01T08:00", "2027-06-01T20:00", 0, false, false},
			{"2027-06-01T20:00", "2027-06-02T08:00", 0, true, false},
		}},
		{"ends at midnight Friday", "2027-06-04T23:00", time.Hour, [2]view{
			{"2027-06-04T23:00", "2027-06-05T00:00", 0, true, false},
			{"2027-06-05T11:00", "2027-06-05T12:00", 1, false, true},
		}},
		{"runs into Saturday", "2027-06-04T23:30", time.Hour, [2]view{
			{"2027-06-04T23:30", "2027-06-05T00:30", 0, true, true},
			{"2027-06-05T11:30", "2027-06-05T12:30", 1, false, true},
		}},
		{"across the spring change", "2027-03-14T01:30", time.Hour, [2]view{
			{"2027-03-14T01:30", "2027-03-14T03:30", 0, true, true},
			{"2027-03-14T14:30", "2027-03-14T15:30", 0, false, true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := mustParse(t, tt.start, washington)
			got := Across(start, tt.d, zones)
			if len(got) != 2 {
				t.Fatalf("got %d zones, want 2", len(got))
			}
			for i, zt := range got {
				if zt.Zone != zones[i] || zt.Start.Location() != zones[i] || zt.End.Location() != zones[i] {
					t.Errorf("%d: zone %v, start in %v, end in %v; want %v", i, zt.Zone, zt.Start.Location(), zt.End.Location(), zones[i])
				}
				if !zt.Start.Equal(start) || !zt.End.Equal(start.Add(tt.d)) {
					t.Errorf("%d: slot %v to %v, want %v to %v", i, zt.Start, zt.End, start, start.Add(tt.d))
				}
				w := tt.want[i]
				v := view{zt.Start.Format(localLayout), zt.End.Format(localLayout), zt.DayShift, zt.Outside, zt.Weekend}
				if v != w {
					t.Errorf("%s: got %+v, want %+v", zt.Zone, v, w)
				}
			}
		})
	}
}

func TestAcrossBeijingFirst(t *testing.T) {
	ny, bj := mustLoad(t, washington), mustLoad(t, beijing)
	start := mustParse(t, "2027-03-16T08:00", beijing) // 20:00 the day before in Washington
	got := Across(start, time.Hour, []*time.Location{bj, ny})
	if got[0].DayShift != 0 || got[1].DayShift != -1 {
		t.Errorf("day shifts %d, %d; want 0, -1", got[0].DayShift, got[1].DayShift)
	}
	if Across(start, time.Hour, nil) == nil || len(Across(start, time.Hour, nil)) != 0 {
		t.Error("no zones should give an empty slice")
	}
}

func TestOrderWestToEast(t *testing.T) {
	ny, bj := mustLoad(t, washington), mustLoad(t, beijing)
	london, tokyo := mustLoad(t, "Europe/London"), mustLoad(t, "Asia/Tokyo")
	ny2 := mustLoad(t, washington) // another value, the same zone
	winter := time.Date(2027, time.January, 10, 12, 0, 0, 0, time.UTC)
	summer := time.Date(2027, time.July, 10, 12, 0, 0, 0, time.UTC)
	// Halifax and Santiago keep summer time in opposite halves of the year,
	// so their order flips; Phoenix keeps none, so it ties with Los Angeles
	// in summer.
	halifax, santiago := mustLoad(t, "America/Halifax"), mustLoad(t, "America/Santiago")
	phoenix, la := mustLoad(t, "America/Phoenix"), mustLoad(t, "America/Los_Angeles")

	names := func(zones []*time.Location) []string {
		var s []string
		for _, z := range zones {
			s = append(s, z.String())
		}
		return s
	}
	tests := []struct {
		at    time.Time
		zones []*time.Location
		want  []string
	}{
		{winter, []*time.Location{bj, ny}, []string{washington, beijing}},
		{summer, []*time.Location{bj, ny}, []string{washington, beijing}},
		{winter, []*time.Location{ny, bj}, []string{washington, beijing}},
		{winter, []*time.Location{bj, ny, bj, ny2}, []string{washington, beijing}},
		{winter, []*time.Location{tokyo, london, bj, ny, time.UTC}, []string{washington, "Europe/London", "UTC", beijing, "Asia/Tokyo"}},
		{summer, []*time.Location{tokyo, time.UTC, london, bj, ny}, []string{washington, "UTC", "Europe/London", beijing, "Asia/Tokyo"}},
		{winter, []*time.Location{santiago, halifax}, []string{"America/Halifax", "America/Santiago"}},
		{summer, []*time.Location{halifax, santiago}, []string{"America/Santiago", "America/Halifax"}},
		{winter, []*time.Location{phoenix, la}, []string{"America/Los_Angeles", "America/Phoenix"}},
		{summer, []*time.Location{phoenix, la}, []string{"America/Phoenix", "America/Los_Angeles"}},
		{summer, []*time.Location{la, phoenix}, []string{"America/Los_Angeles", "America/Phoenix"}},
		{winter, nil, nil},
	}
	for _, tt := range tests {
		in := slices.Clone(tt.zones)
		got := OrderWestToEast(tt.at, tt.zones)
		if !slices.Equal(names(got), tt.want) {
			t.Errorf("OrderWestToEast(%v, %q) = %q, want %q", tt.at, names(tt.zones), names(got), tt.want)
		}
		if !slices.Equal(in, tt.zones) {
			t.Errorf("OrderWestToEast changed its argument: %q", names(tt.zones))
		}
		if len(got) > 0 && len(tt.zones) > 0 && &got[0] == &tt.zones[0] {
			t.Error("OrderWestToEast returned its argument")
		}
	}
}
