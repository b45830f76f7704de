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
}

// Load reads the embedded catalogues.
func Load() (*Bundle, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	out := &Bundle{b: b, keys: map[string][]string{}}
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
		for k := range m {
			out.keys[lang] = append(out.keys[lang], k)
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
	l    *goi18n.Localizer
}

// For returns a localizer for lang ("en" or "zh").
func (b *Bundle) For(lang string) *Localizer {
	if lang != "zh" {
		lang = "en"
	}
	return &Localizer{lang: lang, l: goi18n.NewLocalizer(b.b, lang)}
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
	_, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: id})
	return err == nil
}

// T translates a message id. Arguments are name/value pairs for the
// message's {{.Name}} placeholders. A missing id shows as itself and is
// logged (a test keeps that from shipping).
func (l *Localizer) T(id string, args ...any) string {
	var data map[string]any
	if len(args) > 0 {
		data = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	s, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		slog.Error("missing translation", "id", id, "lang", l.lang)
		return id
	}
	return s
}
