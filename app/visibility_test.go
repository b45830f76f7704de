package app

import (
	"context"
	"testing"
)

// CanSee and VisibleTo say the same for every role of every side, pending
// members and the command line included, on every kind of content.
func TestVisibilityRuleSameInGoAndSQL(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	sides, err := s.db.listSides(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		ID     int64
		Shared bool
		SideID int64
	}
	var rows []row
	if err := s.write(ctx, func(tx *Tx) error {
		if err := tx.g.Exec("CREATE TABLE vis_rows (id INTEGER PRIMARY KEY, shared BOOLEAN NOT NULL, side_id INTEGER NOT NULL)").Error; err != nil {
			return err
		}
		for _, shared := range []bool{true, false} {
			for _, sd := range append(sides, Side{ID: 0}) {
				r := row{ID: int64(len(rows) + 1), Shared: shared, SideID: sd.ID}
				rows = append(rows, r)
				if err := tx.g.Exec("INSERT INTO vis_rows VALUES (?, ?, ?)", r.ID, r.Shared, r.SideID).Error; err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var actors []*User
	for _, a := range DemoAccounts {
		actors = append(actors, user(t, s, a.Email))
	}
	pending := *user(t, s, "us.delegate@parley.example")
	pending.Pending = true
	actors = append(actors, &pending, System, nil)
	for _, u := range actors {
		var ids []int64
		if err := s.db.read(ctx).Table("vis_rows").Scopes(VisibleTo(u, "vis_rows.shared", "vis_rows.side_id")).
			Order("id").Pluck("id", &ids).Error; err != nil {
			t.Fatal(err)
		}
		inSQL := map[int64]bool{}
		for _, id := range ids {
			inSQL[id] = true
		}
		name := "nobody"
		if u != nil {
			name = u.Email + map[bool]string{true: " (pending)"}[u.Pending]
		}
		seen := 0
		for _, r := range rows {
			if got := CanSee(u, r.Shared, r.SideID); got != inSQL[r.ID] {
				t.Errorf("%s, shared=%v side %d: Go says %v, SQL says %v", name, r.Shared, r.SideID, got, inSQL[r.ID])
			}
			if inSQL[r.ID] {
				seen++
			}
		}
		// Everyone signed in sees the shared rows; a confirmed member also their side's one.
		want := len(sides) + 1
		if u == nil {
			want = 0
		} else if u.InternalSideID() != 0 {
			want++
		}
		if seen != want {
			t.Errorf("%s sees %d rows, want %d", name, seen, want)
		}
	}
}
