// Package i18n holds Parley's message catalogues (English and Simplified
// Chinese) and picks the language of each request.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var locales embed.FS

// Languages Parley speaks, in display order; the first is the fallback.
var Languages = []string{"en", "zh"}

var tags = []language.Tag{language.English, language.SimplifiedChinese}

var matcher = language.NewMatcher(tags)

// Bundle holds every catalogue.
type Bundle struct {
	b    *goi18n.Bundle
	keys map[string][]string // language -> sorted message ids
	// msgs holds every message cut into literal text and {{.Name}}
	// placeholders once, so that translating costs no template execution
	// (every page translates hundreds of messages).
	msgs map[string]map[string][]part
}

// part is literal text, or a placeholder (Arg) filled in from T's arguments.
type part struct {
	Text, Arg string
}

// compile cuts a message into parts. Parley's messages use no template
// construct but {{.Name}}; anything else is kept as literal text (and the
// test comparing T with go-i18n for every message would catch it).
func compile(msg string) []part {
	var out []part
	for msg != "" {
		i := strings.Index(msg, "{{.")
		j := -1
		if i >= 0 {
			j = strings.Index(msg[i:], "}}")
		}
		if i < 0 || j < 0 {
			out = append(out, part{Text: msg})
			break
		}
		if i > 0 {
			out = append(out, part{Text: msg[:i]})
		}
		out = append(out, part{Arg: msg[i+3 : i+j]})
		msg = msg[i+j+2:]
	}
	return out
}

// Load reads the embedded catalogues.
func Load() (*Bundle, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	out := &Bundle{b: b, keys: map[string][]string{}, msgs: map[string]map[string][]part{}}
	for _, lang := range Languages {
		name := path.Join("locales", lang+".json")
		data, err := locales.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, name); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out.msgs[lang] = map[string][]part{}
		for k, v := range m {
			out.keys[lang] = append(out.keys[lang], k)
			out.msgs[lang][k] = compile(v)
		}
		sort.Strings(out.keys[lang])
	}
	return out, nil
}

// MustLoad is Load for program start, where a broken catalogue is a build error.
func MustLoad() *Bundle {
	b, err := Load()
	if err != nil {
		panic(err)
	}
	return b
}

// Keys returns the message ids of one language's catalogue.
func (b *Bundle) Keys(lang string) []string { return b.keys[lang] }

// Match picks the best language for the given preferences, each either a
// language code or an Accept-Language header value; "" entries are skipped.
func Match(prefs ...string) string {
	for _, p := range prefs {
		if p == "" {
			continue
		}
		accepted, _, err := language.ParseAcceptLanguage(p)
		if err != nil || len(accepted) == 0 {
			continue
		}
		_, idx, conf := matcher.Match(accepted...)
		if conf != language.No {
			return Languages[idx]
		}
	}
	return Languages[0]
}

// Localizer translates into one language.
type Localizer struct {
	lang string
	msgs map[string][]part
}

// For returns a localizer for lang ("en" or "zh").
func (b *Bundle) For(lang string) *Localizer {
	if lang != "zh" {
		lang = "en"
	}
	return &Localizer{lang: lang, msgs: b.msgs[lang]}
}

// Lang is the localizer's language code, for <html lang> ("en" or "zh-Hans").
func (l *Localizer) Lang() string { return l.lang }

// HTMLLang is the BCP 47 tag for the lang attribute.
func (l *Localizer) HTMLLang() string {
	if l.lang == "zh" {
		return "zh-Hans"
	}
	return "en"
}

// Has reports whether the catalogue has a message id.
func (l *Localizer) Has(id string) bool {
	_, ok := l.msgs[id]
	return ok
}

// T translates a message id. Arguments are name/value pairs for the
// message's {{.Name}} placeholders, printed as text/template prints them. A
// missing id shows as itself and is logged (a test keeps that from shipping).
func (l *Localizer) T(id string, args ...any) string {
	parts, ok := l.msgs[id]
	if !ok {
		slog.Error("missing translation", "id", id, "lang", l.lang)
		return id
	}
	if len(parts) == 1 && parts[0].Arg == "" {
		return parts[0].Text
	}
	var b strings.Builder
	for _, p := range parts {
		if p.Arg == "" {
			b.WriteString(p.Text)
			continue
		}
		b.WriteString(argValue(p.Arg, args))
	}
	return b.String()
}

// argValue is the named argument as text/template would print it.
func argValue(name string, args []any) string {
	for i := 0; i+1 < len(args); i += 2 {
		if n, ok := args[i].(string); ok && n == name {
			switch v := args[i+1].(type) {
			case string:
				return v
			case int:
				return strconv.Itoa(v)
			case int64:
				return strconv.FormatInt(v, 10)
			default:
				return fmt.Sprint(v)
			}
		}
	}
	return "<no value>"
}
