package app

import (
	"strings"
	"testing"
)

// The rules for text a person types (found lacking by the first outside review).

func TestTextHygiene(t *testing.T) {
	for _, c := range []struct {
		name, value string
		want        string
	}{
		{"single NUL", "\x00", "field.control_chars"},
		{"NUL inside", "Points\x00of contact", "field.control_chars"},
		{"bell", "a\x07b", "field.control_chars"},
		{"escape", "a\x1b[31mred", "field.control_chars"},
		{"C1 control", "a\u0085b", "field.control_chars"},
		{"right-to-left override", "abc\u202Edef", "field.control_chars"},
		{"isolate", "abc\u2066def", "field.control_chars"},
		{"invalid UTF-8", "caf\xe9", "field.invalid_text"},
		{"lone surrogate bytes", "\xed\xa0\x80", "field.invalid_text"},
		{"only spaces", "   ", "field.required"},
		{"only zero-width space", "\u200B", "field.required"},
		{"only ideographic space", "\u3000\u3000", "field.required"},
		{"only a BOM", "\uFEFF", "field.required"},
		{"too long", strings.Repeat("议", 11), "field.too_long"},
		{"newline and tab", "one\n\ttwo", ""},
		{"Chinese", "双边网络工作组", ""},
		{"emoji with joiner", "👩\u200d💻 ok", ""},
	} {
		if got := textProblem(c.value, 10, true); got != c.want {
			t.Errorf("%s: textProblem(%q) = %q, want %q", c.name, c.value, got, c.want)
		}
	}
	if got := CleanText("  one\r\ntwo\r\n  "); got != "one\ntwo" {
		t.Errorf("CleanText = %q", got)
	}
	if got := ClipText(strings.Repeat("议", 20)+"\xff", 5); got != strings.Repeat("议", 5) {
		t.Errorf("ClipText = %q", got)
	}
	if got := ClipText("ok\xff\x00\u202e", 10); got != "ok\uFFFD\uFFFD\uFFFD" {
		t.Errorf("ClipText of invalid = %q", got)
	}
}

// The search terms: words in lower case, Chinese runs as overlapping pairs;
// queries hold only letters and digits, so nothing typed is FTS syntax.
func TestSearchTerms(t *testing.T) {
	if got := SearchTerms("双边网络工作组 Working-Group", "IP地址 2013"); got != "双边 边网 网络 络工 工作 作组 working group ip 地址 2013" {
		t.Errorf("terms %q", got)
	}
	for typed, want := range map[string]string{
		"网络安全":                  `"网络 络安 安全"`,
		"网":                     "网*",
		"Trust OR NOT -x \"a\"": "trust* or* not* x* a*",
		"!!! () *":              "",
		"NEAR/3 网络":             `near* 3* "网络"`,
	} {
		if got := strings.Join(searchQuery(typed), " "); got != want {
			t.Errorf("query of %q = %q, want %q", typed, got, want)
		}
	}
}
