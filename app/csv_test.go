package app

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestCSVCellsCannotRunAsFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+1":                       "'+1",
		"-2":                       "'-2",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\tx":                      "'\tx",
		"\rx":                      "'\rx",
		"":                         "",
		"192.0.2.1":                "192.0.2.1",
		"a=b":                      "a=b",
		"双边网络":                     "双边网络",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	var buf bytes.Buffer
	w, err := NewCSVWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write("value", "note"); err != nil {
		t.Fatal(err)
	}
	if err := w.Write("=1+1", "line one\nline \"two\""); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFF") || !strings.Contains(out, "\r\n") {
		t.Fatalf("no byte order mark or no CRLF: %q", out)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][0] != "'=1+1" || rows[1][1] != "line one\nline \"two\"" {
		t.Fatalf("read back: %q %v", rows, err)
	}
}
