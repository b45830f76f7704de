package app

import (
	"strings"
	"testing"
)

// Tests for the rules an outside security review asked for. Each would fail
// on the code the review found.

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
	if got := ClipText("ok\xff", 10); got != "ok\uFFFD" {
		t.Errorf("ClipText of invalid = %q", got)
	}
}

// Bad text is refused on every kind of record, changes nothing, and what is
// saved is audited exactly as saved.
func TestBadTextRefusedEverywhereAndAuditedExactly(t *testing.T) {
	f := newAgFix(t)
	before := f.snap()
	in := f.input("x")
	in.Title = "\x00"
	_, err := f.s.CreateItem(f.ctx, f.usDel, in)
	wantField(t, err, "title", "field.control_chars")
	in.Title, in.Description = "Fine", "bad \xff byte"
	_, err = f.s.CreateItem(f.ctx, f.usDel, in)
	wantField(t, err, "description", "field.invalid_text")
	in.Title = "\u200B\u200B"
	_, err = f.s.CreateItem(f.ctx, f.usDel, in)
	wantField(t, err, "title", "field.required")
	it := f.tabled(f.usDel, "Hygiene")
	_, err = f.s.AddComment(f.ctx, f.cnDel, "agenda_item", it.ID, Shared, "\x00\x01")
	wantField(t, err, "body", "field.control_chars")
	err = f.s.Decide(f.ctx, f.cnHead, it.ID, it.Revision, Object, "\u202Ereversed")
	wantField(t, err, "reason", "field.control_chars")
	before = f.snap()
	_, err = f.s.ProposeAmendment(f.ctx, f.cnDel, it.ID, AmendmentInput{Title: "T", Description: "D\xc3", Rationale: "R"})
	wantField(t, err, "description", "field.invalid_text")
	f.unchanged("refused text", before)

	// Saved with a CRLF from the browser: stored and audited with "\n", byte for byte.
	in = f.input("x")
	in.Title, in.Description = "议程 🛰", "first line\r\nsecond line\t(tab)"
	got, err := f.s.CreateItem(f.ctx, f.usDel, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Description != "first line\nsecond line\t(tab)" {
		t.Fatalf("saved %q", got.Description)
	}
	recs := auditRecords(t, f.s)
	ch := changesOf(t, recs[len(recs)-1])
	if ch["title"] != got.Title || ch["description"] != got.Description {
		t.Fatalf("audited %q / %q, saved %q / %q", ch["title"], ch["description"], got.Title, got.Description)
	}
}
