package views

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/parley/parley/app"
)

// WitnessesPage is a delegation's witness tokens page (its heads only).
type WitnessesPage struct {
	Tokens    []app.WitnessToken
	ServerKey string // the server's verifier key, for the witness to pin ("" when none is set)
	Form      WitnessForm
	Errors    Errors
	// NewToken is the token just created, shown on this answer only;
	// NewLabel is its label.
	NewToken string
	NewLabel string
	// BaseURL is the server's address for the example command line; ""
	// shows a placeholder.
	BaseURL string
}

// WitnessForm keeps what was typed into the new-token form.
type WitnessForm struct {
	Label, Key string
}

// WitnessCommand is the command line that runs a witness with a new token.
func WitnessCommand(base, token string) string {
	if base == "" {
		base = "https://PARLEY-ADDRESS"
	}
	return "parley witness --url " + strings.TrimSuffix(base, "/") + " --token " + token + " --state DIR --key FILE"
}

// timeMark stands for a time in a translated sentence, so that the time can
// be rendered as its own <time> element wherever the language puts it.
const timeMark = "\x00"

// Digits writes a count with thousands separators: 1,204.
func Digits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// JoinAnd joins words as a list in the viewer's language: "US and CN",
// "US, CN and EU"; "US和CN", "US、CN和EU".
func (p Page) JoinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return p.T("list.and", "Init", strings.Join(words[:len(words)-1], p.T("list.sep")), "Last", words[len(words)-1])
}

// cosignerSides lists the sides (by code) that cosigned, each once.
func cosignerSides(cs []app.Cosigner) []string {
	var out []string
	for _, c := range cs {
		if c.Side != "" && !contains(out, c.Side) {
			out = append(out, c.Side)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// logWhere names a mark's log in a sentence: the shared log, a side's
// internal log, or the object's own log.
func logWhere(p Page, m *app.LogMark) string {
	switch {
	case m.Shared:
		return p.T("log.where_shared")
	case strings.HasPrefix(m.Log, "side-"):
		return p.T("log.where_side", "Log", m.Log)
	default:
		return p.T("log.where_own", "Log", m.Log)
	}
}

// logMarkText is the sentence of a mark, with timeMark where the
// checkpoint's time goes.
func logMarkText(p Page, m *app.LogMark) string {
	where := logWhere(p, m)
	entry := Digits(m.Entry)
	switch {
	case m.Number == 0:
		return p.T("log.mark_pending", "Where", where, "Entry", entry)
	case len(cosignerSides(m.Cosigners)) == 0:
		return p.T("log.mark_uncosigned", "Where", where, "N", Digits(m.Number), "Entry", entry, "Time", timeMark)
	default:
		return p.T("log.mark_cosigned", "Where", where, "N", Digits(m.Number), "Entry", entry, "Time", timeMark,
			"Sides", p.JoinAnd(cosignerSides(m.Cosigners)))
	}
}

// describedBy is a field's aria-describedby: its hint, and its error when
// it has one (FieldError's id).
func describedBy(hint string, errs Errors, field string) string {
	if errs.Get(field) != "" {
		return hint + " " + field + "-error"
	}
	return hint
}

// textWithTime writes a translated sentence whose timeMark stands for t,
// shown in the viewer's zone as a <time> element.
func textWithTime(p Page, msg string, t time.Time) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		before, after, ok := strings.Cut(msg, timeMark)
		if _, err := io.WriteString(w, templ.EscapeString(before)); err != nil || !ok {
			return err
		}
		if err := Time(p, t).Render(ctx, w); err != nil {
			return err
		}
		_, err := io.WriteString(w, templ.EscapeString(after))
		return err
	})
}
