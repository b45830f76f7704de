package meetings

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one meeting in a calendar file.
type Event struct {
	UID         string    // stable per meeting, e.g. "<opaque id>@parley"
	Sequence    int       // rises with each change a calendar should pick up
	Stamp       time.Time // DTSTAMP: when this version of the event was written
	Start       time.Time
	Duration    time.Duration
	Summary     string
	Description string // may contain newlines and any Unicode
	Location    string // may be ""
	URL         string // may be ""
	Cancelled   bool   // STATUS:CANCELLED, else STATUS:CONFIRMED
	// Day, when set, makes the event an all-day one on that calendar date
	// (DTSTART;VALUE=DATE), the same date in every zone; Start and
	// Duration are then unused.
	Day string // 20131215
}

// icsDate is the RFC 5545 form of a date.
const icsDate = "20060102"

// icsTime is the RFC 5545 form of a date-time in UTC.
const icsTime = "20060102T150405Z"

// maxLineOctets is the longest a physical line may be, CRLF not counted.
const maxLineOctets = 75

// WriteCalendar writes an RFC 5545 calendar (METHOD:PUBLISH) named name that
// holds the events. Times are written in UTC, so the file needs no time-zone
// definitions; the reader's calendar shows them in its own zone.
func WriteCalendar(w io.Writer, name string, events []Event) error {
	var b bytes.Buffer
	line := func(prop, value string) { writeFolded(&b, prop+":"+value) }

	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//Parley//Parley//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", escapeText(name))
	for _, e := range events {
		line("BEGIN", "VEVENT")
		line("UID", escapeText(e.UID))
		line("SEQUENCE", strconv.Itoa(e.Sequence))
		line("DTSTAMP", e.Stamp.UTC().Format(icsTime))
		if day, err := time.Parse(icsDate, e.Day); e.Day != "" && err == nil {
			line("DTSTART;VALUE=DATE", day.Format(icsDate))
			line("DTEND;VALUE=DATE", day.AddDate(0, 0, 1).Format(icsDate))
		} else {
			line("DTSTART", e.Start.UTC().Format(icsTime))
			line("DTEND", e.Start.Add(e.Duration).UTC().Format(icsTime))
		}
		line("SUMMARY", escapeText(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION", escapeText(e.Description))
		}
		if e.Location != "" {
			line("LOCATION", escapeText(e.Location))
		}
		if e.URL != "" {
			line("URL", cleanURI(e.URL))
		}
		status := "CONFIRMED"
		if e.Cancelled {
			status = "CANCELLED"
		}
		line("STATUS", status)
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	_, err := b.WriteTo(w)
	return err
}

// textEscaper escapes a TEXT value (RFC 5545, section 3.3.11).
var textEscaper = strings.NewReplacer(
	`\`, `\\`,
	`;`, `\;`,
	`,`, `\,`,
	"\r\n", `\n`,
	"\r", `\n`,
	"\n", `\n`,
)

// escapeText returns s as a TEXT value: backslashes, semicolons, commas and
// line breaks escaped, other control characters but tab dropped (TEXT may not
// hold them) and invalid UTF-8 replaced.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = textEscaper.Replace(s)
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// cleanURI returns s with control characters, which no URI holds, dropped,
// so that a bad link cannot break the line it is written on.
func cleanURI(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// writeFolded writes one content line ending in CRLF, folded so that no
// physical line is longer than 75 octets. A fold never splits a UTF-8
// sequence; each continuation line starts with a space.
func writeFolded(b *bytes.Buffer, s string) {
	limit := maxLineOctets
	for len(s) > limit {
		i := limit
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		if i == 0 { // not UTF-8 after all; cut at the limit
			i = limit
		}
		b.WriteString(s[:i])
		b.WriteString("\r\n ")
		s = s[i:]
		limit = maxLineOctets - 1 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
