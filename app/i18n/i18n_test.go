package i18n

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en, zh := b.Keys("en"), b.Keys("zh")
	if len(en) < 100 {
		t.Fatalf("the English catalogue has only %d messages", len(en))
	}
	for _, k := range en {
		if !slices.Contains(zh, k) {
			t.Errorf("%q is missing in Chinese", k)
		}
	}
	for _, k := range zh {
		if !slices.Contains(en, k) {
			t.Errorf("%q is missing in English", k)
		}
	}
}

func TestTranslations(t *testing.T) {
	b := MustLoad()
	if got := b.For("zh").T("login.submit"); got != "登录" {
		t.Errorf("zh login.submit = %q", got)
	}
	if got := b.For("en").T("login.throttled", "Minutes", 3); !strings.Contains(got, "3 minute") {
		t.Errorf("placeholder not filled: %q", got)
	}
	if got := b.For("fr").Lang(); got != "en" {
		t.Errorf("unknown language falls back to %q", got)
	}
	if got := b.For("en").T("no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key shows %q", got)
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		prefs []string
		want  string
	}{
		{[]string{"", "zh-CN,zh;q=0.9,en;q=0.8"}, "zh"},
		{[]string{"", "en-US,en;q=0.9"}, "en"},
		{[]string{"zh", "en-US"}, "zh"},
		{[]string{"", "fr-FR"}, "en"},
		{[]string{"", ""}, "en"},
		{[]string{"", "zh-Hans"}, "zh"},
	} {
		if got := Match(c.prefs...); got != c.want {
			t.Errorf("Match(%q) = %q, want %q", c.prefs, got, c.want)
		}
	}
}

// TestEveryKeyUsedExists reads the source for message ids: literals passed to
// T(...), validation keys, flash notices and audit actions (shown as
// "audit.action.<action>"), and checks that both catalogues have them.
func TestEveryKeyUsedExists(t *testing.T) {
	b := MustLoad()
	en := b.Keys("en")
	known := map[string]bool{}
	namespaces := map[string]bool{}
	for _, k := range en {
		known[k] = true
		namespaces[k[:strings.IndexByte(k+".", '.')]] = true
	}
	literal := regexp.MustCompile(`"([a-z_]+\.[a-z_.0-9]+)"`)
	action := regexp.MustCompile(`Action:\s*"([a-z_]+\.[a-z_]+)"`)
	root := filepath.Join("..", "..")
	checked := 0
	for _, dir := range []string{"app", "app/web", "views", "app/agenda", "app/meetings", "app/incidents", "app/actions"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*"))
		for _, f := range files {
			if !(strings.HasSuffix(f, ".go") || strings.HasSuffix(f, ".templ")) || strings.HasSuffix(f, "_templ.go") ||
				strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range action.FindAllStringSubmatch(string(src), -1) {
				checked++
				if !known["audit.action."+m[1]] {
					t.Errorf("%s: audit action %q has no message audit.action.%s", f, m[1], m[1])
				}
			}
			for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
				key := m[1]
				ns := key[:strings.IndexByte(key, '.')]
				if !namespaces[ns] || strings.HasSuffix(key, ".") || strings.HasSuffix(key, "_") || strings.HasSuffix(key, ".go") || strings.HasSuffix(key, ".json") ||
					strings.HasSuffix(key, ".js") || strings.HasSuffix(key, ".css") || strings.HasSuffix(key, ".svg") {
					continue
				}
				if action.MatchString(`Action: "`+key+`"`) && known["audit.action."+key] {
					continue
				}
				checked++
				if !known[key] {
					t.Errorf("%s: message %q is not in the catalogues", f, key)
				}
			}
		}
	}
	if checked < 80 {
		t.Fatalf("only %d message ids found in the source: the scan is broken", checked)
	}
	for _, dyn := range []string{"role.head", "role.delegate", "role.observer", "role.secretariat", "lang.en", "lang.zh",
		"weekday.0", "weekday.6", "month.1", "month.12", "tlp.clear", "tlp.green", "tlp.amber", "tlp.amber_strict", "tlp.red"} {
		if !known[dyn] {
			t.Errorf("dynamic message %q missing", dyn)
		}
	}
}

// T fills in messages itself instead of running go-i18n's templates: for
// every message of both catalogues, with every placeholder given a string,
// a number or nothing, it must say exactly what go-i18n says.
func TestTMatchesGoI18n(t *testing.T) {
	b := MustLoad()
	for _, lang := range Languages {
		gl := goi18n.NewLocalizer(b.b, lang)
		l := b.For(lang)
		for _, id := range b.Keys(lang) {
			var names []string
			for _, p := range l.msgs[id] {
				if p.Arg != "" && !slices.Contains(names, p.Arg) {
					names = append(names, p.Arg)
				}
			}
			for _, kind := range []string{"string", "number", "none"} {
				var args []any
				data := map[string]any{}
				for i, n := range names {
					var v any = fmt.Sprintf("«%s %d»", n, i)
					if kind == "number" {
						v = 1000 + i
					}
					if kind != "none" {
						args = append(args, n, v)
						data[n] = v
					}
				}
				want, err := gl.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
				if err != nil {
					t.Fatalf("%s %s: %v", lang, id, err)
				}
				if got := l.T(id, args...); got != want {
					t.Errorf("%s %s (%s): T says %q, go-i18n %q", lang, id, kind, got, want)
				}
			}
		}
	}
}
