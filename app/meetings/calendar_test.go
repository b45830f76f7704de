package meetings

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

// testEvents returns a cancelled meeting and one with a long Chinese
// description that needs escaping and folding.
func testEvents(t *testing.T) []Event {
	stamp := time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)
	return []Event{
		{
			UID:         "0a1b2c3d4e5f60718293@parley",
			Sequence:    3,
			Stamp:       stamp,
			Start:       mustParse(t, "2027-03-12T08:00", washington),
			Duration:    90 * time.Minute,
			Summary:     "Plenary, cancelled",
			Description: "Postponed.",
			Cancelled:   true,
		},
		{
			UID:      "ffeeddccbbaa99887766@parley",
			Sequence: 0,
			Stamp:    stamp,
			Start:    mustParse(t, "2027-03-16T08:00", beijing).In(mustLoad(t, washington)),
			Duration: time.Hour,
			Summary:  "Working group on trade, second session",
			Description: "议程：\n" +
				"一、开幕致辞，双方代表团团长；\n" +
				"二、审议上次会议纪要，确认行动项目；讨论贸易与投资合作的下一步安排，包括市场准入、标准互认和争端解决机制。\r\n" +
				"三、其他事项; see C:\\minutes\\2027, items 3,4 and 5.\n" +
				"\n" +
				"Agenda: opening remarks; minutes, action items.",
			Location: "Beijing; Diaoyutai, Building 5",
			URL:      "https://example.org/m/ffeeddccbbaa99887766?lang=zh,en;x=1",
		},
	}
}

func TestWriteCalendarRoundTrip(t *testing.T) {
	events := testEvents(t)
	const name = "美中工作组, Working Group; 2027"
	var buf bytes.Buffer
	if err := WriteCalendar(&buf, name, events); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()

	cal, err := ics.ParseCalendar(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, out)
	}
	props := map[string]string{}
	for _, p := range cal.CalendarProperties {
		props[p.IANAToken] = p.Value
	}
	for k, want := range map[string]string{
		"VERSION":      "2.0",
		"PRODID":       "-//Parley//Parley//EN",
		"CALSCALE":     "GREGORIAN",
		"METHOD":       "PUBLISH",
		"X-WR-CALNAME": name,
	} {
		if props[k] != want {
			t.Errorf("%s = %q, want %q", k, props[k], want)
		}
	}

	got := cal.Events()
	if len(got) != len(events) {
		t.Fatalf("%d events, want %d", len(got), len(events))
	}
	for i, e := range events {
		g := got[i]
		value := func(p ics.ComponentProperty) string {
			if prop := g.GetProperty(p); prop != nil {
				return prop.Value
			}
			return ""
		}
		if g.Id() != e.UID {
			t.Errorf("event %d: UID %q, want %q", i, g.Id(), e.UID)
		}
		if s := value(ics.ComponentPropertySequence); s != strconv.Itoa(e.Sequence) {
			t.Errorf("event %d: SEQUENCE %q, want %d", i, s, e.Sequence)
		}
		if s := value(ics.ComponentPropertyDtstamp); s != "20270301T090000Z" {
			t.Errorf("event %d: DTSTAMP %q", i, s)
		}
		start, err := g.GetStartAt()
		if err != nil || !start.Equal(e.Start) || start.Location() != time.UTC {
			t.Errorf("event %d: DTSTART %v (%v), want %v in UTC", i, start, err, e.Start.UTC())
		}
		end, err := g.GetEndAt()
		if err != nil || !end.Equal(e.Start.Add(e.Duration)) || end.Location() != time.UTC {
			t.Errorf("event %d: DTEND %v (%v), want %v in UTC", i, end, err, e.Start.Add(e.Duration).UTC())
		}
		status := "CONFIRMED"
		if e.Cancelled {
			status = "CANCELLED"
		}
		wantDescription := strings.ReplaceAll(e.Description, "\r\n", "\n")
		for p, want := range map[ics.ComponentProperty]string{
			ics.ComponentPropertyStatus:      status,
			ics.ComponentPropertySummary:     e.Summary,
			ics.ComponentPropertyDescription: wantDescription,
			ics.ComponentPropertyLocation:    e.Location,
			ics.ComponentPropertyUrl:         e.URL,
		} {
			if s := value(p); s != want {
				t.Errorf("event %d: %s = %q, want %q", i, p, s, want)
			}
		}
	}

	// The cancelled event has no location or link, so none is written.
	if first := out[:bytes.Index(out, []byte("END:VEVENT"))]; bytes.Contains(first, []byte("LOCATION")) || bytes.Contains(first, []byte("URL")) {
		t.Errorf("empty LOCATION or URL written:\n%s", first)
	}
	checkLines(t, out)
	if !bytes.Contains(out, []byte("\r\n ")) {
		t.Error("the long description was not folded")
	}
}

// checkLines checks that out is made of physical lines of at most 75
// octets, each valid UTF-8 and ending in CRLF.
func checkLines(t *testing.T, out []byte) {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Error("output does not end with CRLF")
	}
	lines := bytes.Split(out, []byte("\r\n"))
	for i, l := range lines[:len(lines)-1] {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8.Valid(l) {
			t.Errorf("line %d is not UTF-8: %q", i+1, l)
		}
		if bytes.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF: %q", i+1, l)
		}
	}
}

func TestWriteCalendarLayout(t *testing.T) {
	var buf bytes.Buffer
	start := time.Date(2027, time.March, 15, 12, 0, 0, 0, time.UTC)
	err := WriteCalendar(&buf, "Parley", []Event{{
		UID:      "u@parley",
		Sequence: 1,
		Stamp:    start.Add(-time.Hour).In(mustLoad(t, beijing)),
		Start:    start.In(mustLoad(t, washington)),
		Duration: 45 * time.Minute,
		Summary:  "Call",
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//Parley//Parley//EN",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		"X-WR-CALNAME:Parley",
		"BEGIN:VEVENT",
		"UID:u@parley",
		"SEQUENCE:1",
		"DTSTAMP:20270315T110000Z",
		"DTSTART:20270315T120000Z",
		"DTEND:20270315T124500Z",
		"SUMMARY:Call",
		"STATUS:CONFIRMED",
		"END:VEVENT",
		"END:VCALENDAR",
		"",
	}, "\r\n")
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	buf.Reset()
	if err := WriteCalendar(&buf, "Empty", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ics.ParseCalendar(&buf); err != nil {
		t.Errorf("empty calendar: %v", err)
	}
}

func TestEscapeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{`a\b`, `a\\b`},
		{"a;b,c", `a\;b\,c`},
		{"one\ntwo\r\nthree\rfour", `one\ntwo\nthree\nfour`},
		{`\n`, `\\n`},
		{"tab\there", "tab\there"},
		{"bell\a, nul\x00, del\x7f", `bell\, nul\, del`},
		{"中文，标点；", "中文，标点；"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"SUMMARY:x\r\nEND:VEVENT", `SUMMARY:x\nEND:VEVENT`},
	}
	for _, tt := range tests {
		if got := escapeText(tt.in); got != tt.want {
			t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := cleanURI("https://x.org/a?b=1\r\nEND:VEVENT"); got != "https://x.org/a?b=1END:VEVENT" {
		t.Errorf("cleanURI kept a line break: %q", got)
	}
}

func TestWriteFolded(t *testing.T) {
	for _, line := range []string{
		"",
		strings.Repeat("a", 75),
		strings.Repeat("a", 76),
		strings.Repeat("a", 500),
		"DESCRIPTION:" + strings.Repeat("中", 100),
		"DESCRIPTION:x" + strings.Repeat("中", 100),
		"DESCRIPTION:xy" + strings.Repeat("中", 100),
		"DESCRIPTION:" + strings.Repeat("é中😀", 40),
	} {
		var b bytes.Buffer
		writeFolded(&b, line)
		out := b.Bytes()
		checkLines(t, out)
		if got := strings.ReplaceAll(b.String(), "\r\n ", ""); got != line+"\r\n" {
			t.Errorf("unfolded %q, want %q", got, line)
		}
		physical := strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n")
		for i, l := range physical {
			if i > 0 && !strings.HasPrefix(l, " ") {
				t.Errorf("continuation line %q does not start with a space", l)
			}
			// A fold backs off at most three octets, to the start of a rune.
			if i < len(physical)-1 && len(l) < 72 {
				t.Errorf("line %q folded early at %d octets", l, len(l))
			}
		}
		if want := len(line) <= 75; want != (len(physical) == 1) {
			t.Errorf("%d octets folded into %d lines", len(line), len(physical))
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteCalendarError(t *testing.T) {
	if err := WriteCalendar(failWriter{}, "x", testEvents(t)); err == nil || err.Error() != "disk full" {
		t.Errorf("got %v, want the writer's error", err)
	}
}
