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
// A search is the source of an owner's list query (SearchSource), beside
// which the owner puts its visibility filter, so a PostgreSQL variant can
// use its own full text behind the same function.

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

// SearchSource drives an owner's list from the full-text index. from joins
// the documents that match the first word typed, newest first (order), to
// the owner's rows in table (by its "id" column); where, with args, keeps
// the documents of the kind, and the rows whose text or translation has
// every other word too. Owners add their visibility filter and a limit:
// the index yields matches newest first, so a query that stops after a
// bounded number of them costs the same however many documents match.
// ok is false when nothing searchable was typed (then nothing matches).
func SearchSource(kind Kind, table, typed string) (from, where string, args []any, order string, ok bool) {
	words := searchQuery(typed)
	if len(words) == 0 {
		return "", "", nil, "", false
	}
	from = `search_terms CROSS JOIN search_docs sd ON sd.docid = search_terms.docid CROSS JOIN ` + table +
		` ON ` + table + `.id = sd.object_id`
	// CROSS JOIN keeps SQLite from reordering: the index drives, in its order.
	where = `search_terms MATCH ? AND sd.object_type = ?`
	args = []any{words[0], string(kind)}
	for _, w := range words[1:] {
		where += ` AND EXISTS (SELECT 1 FROM search_docs sd2 WHERE sd2.object_type = ? AND sd2.object_id = ` + table +
			`.id AND sd2.docid IN (SELECT t2.docid FROM search_terms t2 WHERE t2.terms MATCH ?))`
		args = append(args, string(kind), w)
	}
	return from, where, args, "search_terms.docid DESC", true
}

// Unindexed lists, in batches, objects of a kind whose own text has no
// index yet (rows written before search existed), for the owner to index.
func (s *Service) Unindexed(ctx context.Context, kind Kind, table string, limit int) ([]int64, error) {
	return s.db.unindexed(ctx, kind, table, limit)
}
