package app

import (
	"context"
	"strings"
	"unicode"
)

// Full-text search, a record part: each object's text is indexed as terms
// in an SQLite FTS4 table, in the same transaction as the change. FTS4 is
// compiled into the bundled SQLite by default (FTS5 would need a build tag
// that every way of building must carry), and its tokenizers do not cut
// Chinese, written without spaces, into words; so Parley cuts the text in
// Go: words of letters and digits in lower case, and runs of Chinese (and
// Japanese and Korean) characters as overlapping pairs — 网络安全 is indexed
// as 网络 络安 安全 — which finds any word of two characters or more, and a
// single character as a prefix. Owners index their own text (IndexText)
// inside their writes; translations are indexed by the translations part.
// Searches are SQL conditions (TextMatches) that an owner's list query puts
// beside its visibility filter, so a PostgreSQL variant can use its own full
// text behind the same function.

// Parts of an object's indexed text.
const (
	SearchText        = "text"        // the owner's own text
	SearchTranslation = "translation" // the translation beside it
)

// IndexText replaces the indexed terms of one part of an object's text,
// inside the owner's write transaction.
func (tx *Tx) IndexText(ref Ref, part string, texts ...string) error {
	return tx.indexText(ref, part, SearchTerms(texts...))
}

// SearchTerms cuts texts into the terms Parley indexes, space-separated.
func SearchTerms(texts ...string) string {
	var terms []string
	for _, t := range texts {
		terms = appendTerms(terms, t)
	}
	return strings.Join(terms, " ")
}

// maxSearchTerms bounds the words a search looks for.
const maxSearchTerms = 8

// searchQuery turns what a person typed into FTS4 queries, one per word (as
// a prefix) or run of Chinese characters (as a phrase of its pairs), all of
// which must match; none when nothing searchable was typed.
func searchQuery(q string) []string {
	var parts []string
	for _, run := range runs(strings.ToLower(q)) {
		switch {
		case run.cjk && len([]rune(run.text)) == 1:
			parts = append(parts, run.text+"*")
		case run.cjk:
			parts = append(parts, `"`+strings.Join(pairs(run.text), " ")+`"`)
		default:
			parts = append(parts, run.text+"*")
		}
	}
	return parts[:min(len(parts), maxSearchTerms)]
}

func appendTerms(terms []string, text string) []string {
	for _, run := range runs(strings.ToLower(text)) {
		if run.cjk {
			terms = append(terms, pairs(run.text)...)
		} else {
			terms = append(terms, run.text)
		}
	}
	return terms
}

type textRun struct {
	text string
	cjk  bool
}

// runs splits text into runs of letters and digits (other than Chinese,
// Japanese and Korean characters) and runs of those characters; everything
// else separates runs.
func runs(text string) []textRun {
	var out []textRun
	var cur []rune
	cjk := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, textRun{string(cur), cjk})
			cur = cur[:0]
		}
	}
	for _, r := range text {
		isCJK := unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
		switch {
		case isCJK || unicode.IsLetter(r) || unicode.IsDigit(r):
			if len(cur) > 0 && isCJK != cjk {
				flush()
			}
			cjk = isCJK
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// pairs are the overlapping pairs of characters of a run (the run itself
// when it has one character).
func pairs(run string) []string {
	rs := []rune(run)
	if len(rs) < 2 {
		return []string{run}
	}
	out := make([]string, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

// TextMatches is an SQL condition: the object in idCol, of the kind, has
// indexed text (its own or its translation's) matching what was typed. ok is
// false when nothing searchable was typed (then nothing matches). many says
// that the matches are many (the owner has counted them): the query then
// walks its own sort order testing each row, instead of sorting every match.
func TextMatches(kind Kind, idCol, typed string, many bool) (cond string, args []any, ok bool) {
	col := idCol
	if many {
		col = "+" + idCol // not an index to drive the query by
	}
	var conds []string
	for _, q := range searchQuery(typed) { // each word in any part: the text or its translation
		// CROSS JOIN keeps SQLite from reversing the join: the full-text
		// match runs once, and its documents are looked up by docid.
		conds = append(conds, col+` IN (SELECT d.object_id FROM search_terms CROSS JOIN search_docs d
		ON d.docid = search_terms.docid WHERE search_terms MATCH ? AND d.object_type = ?)`)
		args = append(args, q, string(kind))
	}
	if len(conds) == 0 {
		return "", nil, false
	}
	return "(" + strings.Join(conds, " AND ") + ")", args, true
}

// Unindexed lists, in batches, objects of a kind whose own text has no
// index yet (rows written before search existed), for the owner to index.
func (s *Service) Unindexed(ctx context.Context, kind Kind, table string, limit int) ([]int64, error) {
	return s.db.unindexed(ctx, kind, table, limit)
}
