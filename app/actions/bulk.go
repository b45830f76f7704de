package actions

import (
	"context"
	"fmt"

	"github.com/parley/parley/app"
)

// Bulk records for measuring: `parley seed --actions N` and `make bench`
// fill a demo database with many actions, written straight through the
// store in batches (each batch one transaction with its audit records).

const bulkBatch = 500

var bulkTitles = []string{"Share the contact list", "Provide the requested logs", "Circulate the draft report",
	"交换事件通报联络人名单", "提供所请求的日志"}

// SeedBulk adds n actions on a database that has the demo working group:
// of every owner (a tenth internal to the US), every status, due over two
// years around today.
func (s *Service) SeedBulk(ctx context.Context, n int) error {
	acct, err := s.core.DemoUsers(ctx)
	if err != nil {
		return fmt.Errorf("the bulk records need the demo accounts: %w", err)
	}
	sec, us, cn := acct["secretariat"], acct["us.head"], acct["cn.head"]
	today := app.Today(s.core.Clock(), app.LoadLocation(us.Side.TimeZone))
	statuses := []Status{StatusOpen, StatusInProgress, StatusDone, StatusVerified, StatusCancelled}
	for start := 0; start < n; start += bulkBatch {
		err := s.write(ctx, func(tx wtx) error {
			for i := start; i < min(start+bulkBatch, n); i++ {
				owner := []*app.User{us, cn, sec}[i%3]
				due := today.AddDays(i%730 - 365)
				zone := owner.Side.TimeZone
				st := statuses[i%len(statuses)]
				a := &Action{Title: fmt.Sprintf("%s %d", bulkTitles[i%len(bulkTitles)], i), Language: []string{"en", "zh"}[i%2],
					DueDate: due.String(), DueZone: zone, DueEnd: due.End(app.LoadLocation(zone)).UTC(), Revision: 1, Status: st,
					Visibility: app.Shared, CreatorID: sec.ID, CreatorSideID: sec.SideID, Version: 1, CreatedAt: tx.Now(),
					UpdatedAt: tx.Now()}
				side := owner.SideID
				a.OwnerSideID = &side
				if i%10 == 7 {
					a.Visibility, a.SideID, a.OwnerSideID, a.CreatorID, a.CreatorSideID = app.Internal, &us.SideID, &us.SideID, us.ID, us.SideID
					side = us.SideID
				}
				partStatus := st
				if st == StatusCancelled {
					partStatus = StatusInProgress
				}
				a.Parts = []Part{{SideID: side, Status: partStatus, Version: 1}}
				if err := tx.createAction(a); err != nil {
					return err
				}
				if err := tx.Audit(sec, audit(a, "action.create", map[string]any{"title": a.Title, "due": a.DueDate})); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
