package actions

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/parley/parley/app"
)

// store is the actions' database access: the only actions file that uses gorm.
type store struct{ db *app.DB }

// wtx is a write transaction, for the actions' writes.
type wtx struct{ *app.Tx }

// visibleActions limits a query to the actions the actor may see: the SQL
// twin of canSee (policy.go), held to it by TestVisibilityInSQLIsThePolicy.
func visibleActions(actor *app.User) func(*gorm.DB) *gorm.DB {
	if actor != nil && actor.Disabled() {
		return func(q *gorm.DB) *gorm.DB { return q.Where("1 = 0") }
	}
	return app.VisibleTo(actor, "actions.visibility = 'shared'", "actions.side_id")
}

// action loads one action the actor may see, by its row id or its opaque
// identifier, with its owner side, assignee and creator (one query) and its
// parts (one more).
func (st store) action(ctx context.Context, actor *app.User, column string, value any) (*Action, error) {
	var a Action
	err := st.db.Read(ctx).Scopes(visibleActions(actor)).Joins("OwnerSide").Joins("Assignee").Joins("Creator").
		Joins("Translation").Where("actions."+column+" = ?", value).Take(&a).Error
	if err != nil {
		return nil, app.DBErr(err)
	}
	if err := st.db.Read(ctx).Joins("File").Where("action_parts.action_id = ?", a.ID).
		Order("action_parts.side_id").Find(&a.Parts).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &a, nil
}

func (tx wtx) createAction(a *Action) error {
	a.PublicID = app.NewPublicID()
	if err := tx.Gorm().Omit(clause.Associations).Create(a).Error; err != nil {
		return err
	}
	for i := range a.Parts {
		a.Parts[i].ActionID = a.ID
		if err := tx.Gorm().Create(&a.Parts[i]).Error; err != nil {
			return err
		}
	}
	return nil
}

// savePart writes a part's new state and the action's status that follows
// from its parts, if the action is still at version.
func (tx wtx) savePart(a *Action, version int64, p *Part, fields map[string]any) error {
	for i := range a.Parts {
		if a.Parts[i].ID == p.ID {
			a.Parts[i].Status = fields["status"].(Status)
		}
	}
	if err := tx.UpdateVersioned("actions", a.ID, version, map[string]any{"status": statusOf(a.Parts),
		"updated_at": tx.Now(), "version": version + 1}); err != nil {
		return err
	}
	fields["version"] = p.Version + 1
	return tx.Gorm().Model(&Part{}).Where("id = ? AND version = ?", p.ID, p.Version).Updates(fields).Error
}

// members counts the confirmed, enabled accounts among ids that belong to
// one of the sides.
func (st store) members(ctx context.Context, ids []int64, sides []int64) (int64, error) {
	var n int64
	err := st.db.Read(ctx).Table("users").Where("id IN ? AND side_id IN ? AND pending = ? AND disabled_at IS NULL",
		ids, sides, false).Count(&n).Error
	return n, app.DBErr(err)
}

// side loads a side by its row id.
func (st store) side(ctx context.Context, id int64) (*app.Side, error) {
	var s app.Side
	if err := st.db.Read(ctx).Where("id = ?", id).Take(&s).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &s, nil
}

// delegations lists the delegations, in their order.
func (st store) delegations(ctx context.Context) ([]app.Side, error) {
	var out []app.Side
	err := st.db.Read(ctx).Where("kind = ?", app.KindDelegation).Order("id").Find(&out).Error
	return out, app.DBErr(err)
}

// matching narrows the visible actions to a list's view and filter.
func (st store) matching(ctx context.Context, actor *app.User, f Filter, now time.Time) *gorm.DB {
	q := st.db.Read(ctx).Model(&Action{}).Scopes(visibleActions(actor))
	switch f.View {
	case ViewMine:
		q = q.Where("(actions.assignee_id = ? OR actions.creator_id = ?)", actor.ID, actor.ID)
	case ViewSide:
		q = q.Where("(actions.owner_side_id = ? OR actions.joint)", actor.SideID)
	case ViewVerify:
		// Done parts the actor's side verifies: another delegation's, or the
		// secretariat's for a head. Driven by the parts awaiting
		// verification (their index), not by every action.
		q = q.Where(`actions.visibility = 'shared' AND actions.id IN (SELECT p.action_id FROM action_parts p
			JOIN sides s ON s.id = p.side_id WHERE p.status = 'done' AND p.side_id <> ? AND (s.kind = ? OR ?))`,
			actor.SideID, app.KindDelegation, app.IsDelegationHead(actor))
		if !delegationWriter(actor) {
			q = q.Where("1 = 0")
		}
	case ViewOverdue:
		q = q.Where("actions.status IN ? AND actions.due_end <= ?", []Status{StatusOpen, StatusInProgress}, now)
	case ViewReview:
		q = q.Where("actions.status IN ?", []Status{StatusOpen, StatusInProgress, StatusDone})
	case ViewWeek:
		q = q.Where("actions.status IN ? AND actions.due_end > ? AND actions.due_end <= ?",
			[]Status{StatusOpen, StatusInProgress}, now, now.AddDate(0, 0, 7))
	}
	if f.Status != "" {
		q = q.Where("actions.status = ?", f.Status)
	}
	if f.SourceType != "" {
		q = q.Where("actions.source_type = ?", f.SourceType)
		if f.SourceID != 0 {
			q = q.Where("actions.source_id = ?", f.SourceID)
		}
	}
	return q
}

// list counts up to CountCap+1 of the matching actions and reads a page:
// two queries.
func (st store) list(ctx context.Context, actor *app.User, f Filter, now time.Time) (int64, []Action, error) {
	var n int64
	capped := st.matching(ctx, actor, f, now).Select("actions.id").Limit(CountCap + 1)
	if err := st.db.Read(ctx).Table("(?) AS capped", capped).Count(&n).Error; err != nil {
		return 0, nil, app.DBErr(err)
	}
	order := "actions.updated_at DESC, actions.id DESC"
	if f.View == ViewOverdue || f.View == ViewWeek || f.View == ViewReview {
		order = "actions.due_end, actions.id"
	}
	var items []Action
	err := st.matching(ctx, actor, f, now).Omit("description").Order(order).Limit(f.Page.Size).
		Offset(f.Page.Offset()).Find(&items).Error
	return n, items, app.DBErr(err)
}

// attention counts, up to CountCap each, the actor's side's overdue actions
// and the actions awaiting its verification: one query, each count read
// from an index (the owner's, and the parts' by status).
func (st store) attention(ctx context.Context, actor *app.User, now time.Time) (overdue, verify int64, err error) {
	pending := []Status{StatusOpen, StatusInProgress}
	over := st.db.Read(ctx).Model(&Action{}).Scopes(visibleActions(actor)).
		Where(`((actions.owner_side_id = ? AND actions.status IN ? AND actions.due_end <= ?)
			OR (actions.owner_side_id IS NULL AND actions.status IN ? AND actions.due_end <= ?))`,
			actor.SideID, pending, now, pending, now).Select("actions.id").Limit(CountCap)
	ver := st.db.Read(ctx).Table("action_parts AS p").Joins("JOIN sides s ON s.id = p.side_id").
		Joins("JOIN actions ON actions.id = p.action_id").
		Where("p.status = 'done' AND p.side_id <> ? AND (s.kind = ? OR ?) AND actions.visibility = 'shared'",
			actor.SideID, app.KindDelegation, app.IsDelegationHead(actor)).Select("DISTINCT p.action_id").Limit(CountCap)
	if !delegationWriter(actor) {
		ver = ver.Where("1 = 0")
	}
	var row struct{ Overdue, Verify int64 }
	err = st.db.Read(ctx).Raw("SELECT (SELECT COUNT(*) FROM (?) AS o) AS overdue, (SELECT COUNT(*) FROM (?) AS v) AS verify",
		over, ver).Scan(&row).Error
	return row.Overdue, row.Verify, app.DBErr(err)
}

// assignees lists the confirmed, enabled members of every side, by side
// and name (a few hundred at most).
func (st store) assignees(ctx context.Context) ([]app.User, error) {
	var out []app.User
	err := st.db.Read(ctx).Joins("Side").Where("users.pending = ? AND users.disabled_at IS NULL", false).
		Order("users.side_id, users.name").Limit(2000).Find(&out).Error
	return out, app.DBErr(err)
}

// exportBatch reads, in row order after the row id after, up to limit of
// the actions of a view, with their owner and assignee.
func (st store) exportBatch(ctx context.Context, actor *app.User, f Filter, now time.Time, after int64, limit int) ([]Action, error) {
	var out []Action
	err := st.matching(ctx, actor, f, now).Joins("OwnerSide").Joins("Assignee").Where("actions.id > ?", after).
		Order("actions.id").Limit(limit).Find(&out).Error
	return out, app.DBErr(err)
}

// calendar reads the pending and done actions the actor may see that are
// due between from and to, soonest first (the index on status and due_end).
func (st store) calendar(ctx context.Context, actor *app.User, from, to time.Time, limit int) ([]Action, error) {
	var out []Action
	err := st.db.Read(ctx).Model(&Action{}).Scopes(visibleActions(actor)).Omit("description").
		Where("actions.status IN ? AND actions.due_end > ? AND actions.due_end <= ?",
			[]Status{StatusOpen, StatusInProgress, StatusDone}, from, to).
		Order("actions.due_end, actions.id").Limit(limit).Find(&out).Error
	return out, app.DBErr(err)
}

// review reads the open, in-progress and done actions the actor may see,
// soonest due first, with their owner and assignee.
func (st store) review(ctx context.Context, actor *app.User, limit int) ([]Action, error) {
	var out []Action
	err := st.db.Read(ctx).Model(&Action{}).Scopes(visibleActions(actor)).Omit("description").
		Where("actions.status IN ?", []Status{StatusOpen, StatusInProgress, StatusDone}).
		Order("actions.due_end, actions.id").Limit(limit).Find(&out).Error
	return out, app.DBErr(err)
}

// fileRow is a file with its content, as it is written and downloaded.
type fileRow struct {
	File
	Content []byte
}

func (tx wtx) createFile(f *File) error {
	f.PublicID = app.NewPublicID()
	row := fileRow{File: *f, Content: f.Content}
	if err := tx.Gorm().Table("action_files").Create(&row).Error; err != nil {
		return err
	}
	f.ID = row.ID
	return nil
}

// file loads one evidence file of an action, with its content.
func (st store) file(ctx context.Context, actionID int64, publicID string) (*File, error) {
	var row fileRow
	if err := st.db.Read(ctx).Table("action_files").Where("action_id = ? AND public_id = ?", actionID, publicID).
		Take(&row).Error; err != nil {
		return nil, app.DBErr(err)
	}
	row.File.Content = row.Content
	return &row.File, nil
}
