package app

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Validation of text a person types. Every text field goes through
// CleanText and checkText, so that what is saved — and audited — is exactly
// what the person will read back: valid UTF-8, no control characters but
// newline and tab, and "required" meaning at least one visible character.

// CleanText normalises what a browser sends: line endings become "\n" (forms
// send CRLF), and surrounding white space is dropped. Invalid bytes are kept,
// so that checkText can refuse them rather than store a silent replacement.
func CleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSpace(s)
}

// checkText records the first problem with a text field.
func checkText(v Validation, field, value string, max int, required bool) {
	if key := textProblem(value, max, required); key != "" {
		v.Add(field, key)
	}
}

// textProblem returns the message key of what is wrong with value, or "".
func textProblem(value string, max int, required bool) string {
	switch {
	case !utf8.ValidString(value):
		return "field.invalid_text"
	case hasForbiddenRune(value):
		return "field.control_chars"
	case utf8.RuneCountInString(value) > max:
		return "field.too_long"
	case required && !hasVisible(value):
		return "field.required"
	}
	return ""
}

// hasForbiddenRune reports control characters other than newline and tab,
// and the bidirectional overrides and isolates that make a text display in
// another order than it is stored (so that no one can make words read
// differently from what was written).
func hasForbiddenRune(s string) bool {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case unicode.IsControl(r):
			return true
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return true
		}
	}
	return false
}

// hasVisible reports whether s has a character that shows: a letter, mark,
// number, punctuation or symbol — not only spaces or invisible formatting.
func hasVisible(s string) bool {
	for _, r := range s {
		if unicode.IsGraphic(r) && !unicode.IsSpace(r) {
			return true
		}
	}
	return false
}

// ClipText returns at most max characters of s as valid UTF-8 without
// control characters (each broken byte run or control character shows as
// U+FFFD, so the person sees where it was): what a form shows again of a
// refused value, so that an over-long or broken value is never sent back whole.
func ClipText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && r != '\r' && hasForbiddenRune(string(r)) {
			return '\uFFFD'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i]
		}
		n++
	}
	return s
}
