package agenda

import (
	"testing"

	"github.com/parley/parley/app"
)

// Search finds Chinese words inside text written without spaces, English
// words by their beginning, and an item by its translation; it never finds
// the other side's drafts, nor counts them.
func TestSearchInBothLanguagesAndNeverAcrossSides(t *testing.T) {
	f := newAgFix(t)
	titles := func(actor *app.User, q string) map[string]bool {
		t.Helper()
		list, err := f.s.ListItems(f.ctx, actor, ItemFilter{Text: q, Page: app.Page{Size: 200}})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, it := range list.Items {
			out[it.Title] = true
		}
		if int64(len(out)) != list.Total {
			t.Fatalf("%q: %d shown, %d counted", q, len(out), list.Total)
		}
		return out
	}
	for _, c := range []struct {
		q    string
		want string
	}{
		{"网络", demoMechanism},    // inside 双边网络工作组机制
		{"工作组机制", demoMechanism}, // a longer run
		{"机", demoMechanism},     // a single character, as a prefix
		{"cyberspace", demoRules},
		{"COOPERAT", demoMeasures},      // a prefix, any case
		{"mutual trust", demoMechanism}, // words of its English translation
		{"互信 mutual", demoMechanism},    // both languages at once: its text and its translation
	} {
		if got := titles(f.usObs, c.q); !got[c.want] {
			t.Errorf("%q does not find %q: %v", c.q, c.want, got)
		}
	}
	if got := titles(f.usObs, "网络 nonexistentword"); len(got) != 0 {
		t.Errorf("every word must match: %v", got)
	}
	if got := titles(f.usObs, "!!! ??"); len(got) != 0 {
		t.Errorf("nothing searchable finds %v", got)
	}
	// The US draft's words find it for the US side only; the CN side finds nothing and counts nothing.
	if got := titles(f.usDel, "intellectual property"); !got[demoUSDraft] {
		t.Fatalf("the US side does not find its draft: %v", got)
	}
	if got := titles(f.cnDel, "intellectual property"); got[demoUSDraft] {
		t.Fatal("the CN side finds the US draft")
	}
	if got := titles(f.cnDel, "美国IP地址"); !got[demoCNDraft] {
		t.Fatalf("the CN side does not find its own draft: %v", got)
	}
	if got := titles(f.usHead, "美国IP地址"); got[demoCNDraft] {
		t.Fatal("the US side finds the CN draft")
	}
	// An edit moves the index with the text; a revision too.
	d := f.draft(f.usDel, "Points of contact")
	in := f.input("Hotline arrangements")
	if _, err := f.s.UpdateItem(f.ctx, f.usDel, d.ID, d.Version, in); err != nil {
		t.Fatal(err)
	}
	if got := titles(f.usDel, "hotline"); !got["Hotline arrangements"] || titles(f.usDel, "points")["Hotline arrangements"] {
		t.Fatalf("the index did not follow the edit: %v", got)
	}
}

// Items written before search existed are indexed when the server starts.
func TestIndexMissing(t *testing.T) {
	f := newAgFix(t)
	if _, err := f.s.core.DB().Writer().Exec("DELETE FROM search_terms"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.core.DB().Writer().Exec("DELETE FROM search_docs"); err != nil {
		t.Fatal(err)
	}
	list, _ := f.s.ListItems(f.ctx, f.usObs, ItemFilter{Text: "cyberspace"})
	if list.Total != 0 {
		t.Fatal("the index was not emptied")
	}
	n, err := f.s.IndexMissing(f.ctx)
	if err != nil || n == 0 {
		t.Fatalf("indexed %d: %v", n, err)
	}
	if list, _ = f.s.ListItems(f.ctx, f.usObs, ItemFilter{Text: "mutual trust"}); list.Total != 1 {
		t.Fatalf("after indexing, the translation finds %d items", list.Total)
	}
	if again, _ := f.s.IndexMissing(f.ctx); again != 0 {
		t.Fatalf("indexed %d again", again)
	}
}

// A search that matches more than CountCap items the actor may see lists
// the newest CountCap+1 of them and says the count is capped; the other
// side's drafts that match never take a place among them, nor count.
func TestSearchOfACommonWordIsCappedAmongVisibleItems(t *testing.T) {
	f := newAgFix(t)
	f.bulkItems(1600) // a third each: tabled US items, US drafts, CN drafts; all say "Bulk"
	visible := map[int64]bool{}
	var ids []int64
	rows, err := f.s.core.DB().Reader().Query(`SELECT id FROM agenda_items WHERE title LIKE 'Bulk item %'
		AND (tabled_at IS NOT NULL OR side_id = ?) ORDER BY id DESC`, f.cn.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) <= CountCap+1 {
		t.Fatalf("only %d visible matches", len(ids))
	}
	for _, id := range ids[:CountCap+1] {
		visible[id] = true
	}
	seen := map[int64]bool{}
	for page := 1; ; page++ {
		l, err := f.s.ListItems(f.ctx, f.cnObs, ItemFilter{Text: "bulk", Sort: "title", Page: app.Page{Number: page, Size: 200}})
		if err != nil {
			t.Fatal(err)
		}
		if !l.Capped || l.Total != CountCap+1 || l.Counts[StatusDraft]+l.Counts[StatusProposed] != CountCap+1 {
			t.Fatalf("page %d: total %d, counts %v, capped %v", page, l.Total, l.Counts, l.Capped)
		}
		if len(l.Items) == 0 {
			break
		}
		for _, it := range l.Items {
			if !visible[it.ID] || seen[it.ID] {
				t.Fatalf("listed %q (%d): not among the newest visible matches, or twice", it.Title, it.ID)
			}
			seen[it.ID] = true
		}
	}
	if len(seen) != CountCap+1 {
		t.Fatalf("the pages list %d items, want %d", len(seen), CountCap+1)
	}
	// A filter by status lists those of the same matches.
	l, err := f.s.ListItems(f.ctx, f.cnObs, ItemFilter{Text: "bulk", Status: StatusDraft, Page: app.Page{Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range l.Items {
		if it.Status != StatusDraft || it.SideID != f.cn.ID || !visible[it.ID] {
			t.Fatalf("the drafts among the matches list %q", it.Title)
		}
	}
}
