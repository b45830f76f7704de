package agenda

import (
	"context"
	"fmt"
	"testing"

	"github.com/parley/parley/app"
)

// Every page of an item's history holds exactly its share of the whole
// history in order, whether it is read from the oldest end or (in the
// newer half) from the newest; page 0 is the newest page; internal notes of
// the other side are on no page.
func TestHistoryPagesSliceTheWholeHistory(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	us, cn := user(t, s, "us.delegate@parley.example"), user(t, s, "cn.delegate@parley.example")
	list, err := s.ListItems(ctx, us, ItemFilter{Status: StatusAdopted, Page: app.Page{Number: 1, Size: 1}})
	if err != nil || len(list.Items) == 0 {
		t.Fatalf("an adopted item: %v", err)
	}
	it := list.Items[0]
	ref := app.Ref{Kind: KindItem, ID: it.ID}
	for i := 0; i < 5*app.HistoryPageSize+7; i++ {
		who, vis := us, app.Shared
		if i%5 == 0 {
			who, vis = cn, app.Internal
		}
		if _, err := s.core.AddComment(ctx, who, ref, vis, fmt.Sprintf("comment %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	for _, viewer := range []*app.User{us, cn} {
		_, all, err := s.core.History(ctx, viewer, ref)
		if err != nil {
			t.Fatal(err)
		}
		rec := &app.Record{Ref: ref, Visibility: app.Shared, SideID: it.SideID}
		first, err := s.core.HistoryOf(ctx, viewer, rec, 1)
		if err != nil {
			t.Fatal(err)
		}
		pages := first.Pages()
		if first.Total != int64(len(all)) || pages < 4 {
			t.Fatalf("%s: total %d of %d records, %d pages", viewer.Email, first.Total, len(all), pages)
		}
		for n := 0; n <= pages; n++ {
			pg, err := s.core.HistoryOf(ctx, viewer, rec, n)
			if err != nil {
				t.Fatal(err)
			}
			number := n
			if n == 0 {
				number = pages
			}
			from := (number - 1) * app.HistoryPageSize
			want := all[from:min(from+app.HistoryPageSize, len(all))]
			if pg.Page.Number != number || len(pg.Items) != len(want) {
				t.Fatalf("%s page %d: number %d with %d records, want %d with %d", viewer.Email, n, pg.Page.Number,
					len(pg.Items), number, len(want))
			}
			for i := range want {
				if pg.Items[i].ID != want[i].ID {
					t.Fatalf("%s page %d, record %d: id %d, want %d", viewer.Email, n, i, pg.Items[i].ID, want[i].ID)
				}
				if pg.Items[i].Chain != app.ChainShared && pg.Items[i].Chain != app.SideChain(viewer.SideID) {
					t.Fatalf("%s sees a record of chain %s", viewer.Email, pg.Items[i].Chain)
				}
			}
		}
	}
}
