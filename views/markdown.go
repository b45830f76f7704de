package views

import (
	"bytes"
	"context"
	"io"
	"strings"

	"github.com/a-h/templ"
	"github.com/microcosm-cc/bluemonday"
	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	md = goldmark.New(goldmark.WithExtensions(extension.GFM)) // raw HTML in the source is dropped
	// sanitizer allows what user content may contain: formatting, lists,
	// tables, links (made nofollow, and opened in a new tab without referrer).
	sanitizer = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoReferrerOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		return p
	}()
)

// RenderMarkdown turns user Markdown into sanitised HTML.
func RenderMarkdown(src string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return sanitizer.Sanitize("<p>" + templ.EscapeString(src) + "</p>")
	}
	return sanitizer.Sanitize(buf.String())
}

// Markdown renders user Markdown. The HTML is safe to insert: goldmark
// drops raw HTML and bluemonday's UGC policy sanitises the result.
func Markdown(src string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		_, err := io.WriteString(w, `<div class="prose">`+RenderMarkdown(src)+`</div>`)
		return err
	})
}

// DiffPart is a run of words that is the same, removed or added.
type DiffPart struct {
	Op   int // -1 removed, 0 same, 1 added
	Text string
}

// WordDiff compares two texts word by word (whitespace kept with the words;
// CJK text, which has no spaces, is compared character by character).
func WordDiff(a, b string) []DiffPart {
	dmp := diffmatchpatch.New()
	wa, wb, words := wordsToChars(a, b)
	diffs := dmp.DiffMain(wa, wb, false)
	out := make([]DiffPart, 0, len(diffs))
	for _, d := range diffs {
		op := 0
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = -1
		case diffmatchpatch.DiffInsert:
			op = 1
		}
		var sb strings.Builder
		for _, r := range d.Text {
			sb.WriteString(words[r-wordBase])
		}
		out = append(out, DiffPart{Op: op, Text: sb.String()})
	}
	return out
}

// wordBase puts word numbers in a private-use plane, clear of surrogates.
const wordBase = 0xF0000

// wordsToChars maps each word to one rune, so that the character diff works on words.
func wordsToChars(a, b string) (string, string, []string) {
	index := map[string]int{}
	var words []string
	enc := func(s string) string {
		var sb strings.Builder
		for _, w := range splitWords(s) {
			i, ok := index[w]
			if !ok {
				i = len(words)
				index[w] = i
				words = append(words, w)
			}
			sb.WriteRune(rune(wordBase + i))
		}
		return sb.String()
	}
	return enc(a), enc(b), words
}

// splitWords splits after each run of spaces, and around every CJK character.
func splitWords(s string) []string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isCJK(r):
			if start < i {
				out = append(out, string(rs[start:i]))
			}
			out = append(out, string(r))
			start = i + 1
		case r == ' ' || r == '\n' || r == '\t':
			j := i
			for j+1 < len(rs) && (rs[j+1] == ' ' || rs[j+1] == '\n' || rs[j+1] == '\t') {
				j++
			}
			out = append(out, string(rs[start:j+1]))
			start, i = j+1, j
		}
	}
	if start < len(rs) {
		out = append(out, string(rs[start:]))
	}
	return out
}

func isCJK(r rune) bool {
	return (r >= 0x3000 && r <= 0x9FFF) || (r >= 0xF900 && r <= 0xFAFF) || (r >= 0xFF00 && r <= 0xFFEF)
}
