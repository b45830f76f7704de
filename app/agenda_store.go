package app

import (
	"context"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

func (Revision) TableName() string { return "agenda_revisions" }
func (Decision) TableName() string { return "agenda_decisions" }

// visibleItems limits a query to the items the actor may see: an item never
// tabled only inside its side. Every read of agenda items goes through it;
// canSeeItem is its twin in Go.
func visibleItems(actor *User) func(*gorm.DB) *gorm.DB {
	return func(q *gorm.DB) *gorm.DB {
		return q.Where("(agenda_items.tabled_at IS NOT NULL OR agenda_items.side_id = ?)", actor.InternalSideID())
	}
}

func (db *DB) categoryByID(ctx context.Context, id int64) (*Category, error) {
	var c Category
	if err := db.read(ctx).Where("id = ?", id).Take(&c).Error; err != nil {
		return nil, dbErr(err)
	}
	return &c, nil
}

func (db *DB) categories(ctx context.Context, withArchived bool) ([]Category, error) {
	q := db.read(ctx).Order("position, id")
	if !withArchived {
		q = q.Where("archived = ?", false)
	}
	var out []Category
	return out, dbErr(q.Find(&out).Error)
}

func (tx *Tx) createCategory(c *Category) error {
	c.PublicID = newPublicID()
	return tx.g.Create(c).Error
}

func (tx *Tx) createItem(it *AgendaItem) error {
	it.PublicID = newPublicID()
	return tx.g.Omit(clause.Associations).Create(it).Error
}

func (tx *Tx) createRevision(r *Revision) error {
	return tx.g.Omit(clause.Associations).Create(r).Error
}

func (tx *Tx) createDecision(d *Decision) error {
	return tx.g.Omit(clause.Associations).Create(d).Error
}

func (tx *Tx) createAmendment(a *Amendment) error {
	a.PublicID = newPublicID()
	return tx.g.Omit(clause.Associations).Create(a).Error
}

// itemForUpdate reads an item inside the write transaction.
func (tx *Tx) itemForUpdate(id int64) (*AgendaItem, error) {
	var it AgendaItem
	if err := tx.g.Where("id = ?", id).Take(&it).Error; err != nil {
		return nil, err
	}
	return &it, nil
}

// withdrawStanding withdraws a side's standing decision on a revision and
// reports whether there was one.
func (tx *Tx) withdrawStanding(itemID, sideID int64, revision int) (bool, error) {
	res := tx.g.Model(&Decision{}).Where("item_id = ? AND side_id = ? AND revision = ? AND withdrawn_at IS NULL",
		itemID, sideID, revision).Update("withdrawn_at", tx.now)
	return res.RowsAffected > 0, res.Error
}

// standingKind is the kind of a side's standing decision on a revision, or "".
func (tx *Tx) standingKind(itemID, sideID int64, revision int) (string, error) {
	var kinds []string
	err := tx.g.Model(&Decision{}).Where("item_id = ? AND side_id = ? AND revision = ? AND withdrawn_at IS NULL",
		itemID, sideID, revision).Limit(1).Pluck("kind", &kinds).Error
	if err != nil || len(kinds) == 0 {
		return "", err
	}
	return kinds[0], nil
}

// fixParties records, at tabling, the delegations whose concurrence the item needs.
func (tx *Tx) fixParties(itemID int64) error {
	return tx.g.Exec(`INSERT INTO agenda_item_parties (item_id, side_id) SELECT ?, id FROM sides WHERE kind = ?`,
		itemID, KindDelegation).Error
}

// itemParties lists the delegations whose concurrence an item needs.
func (db *DB) itemParties(ctx context.Context, itemID int64) ([]int64, error) {
	var ids []int64
	err := db.read(ctx).Table("agenda_item_parties").Where("item_id = ?", itemID).Order("side_id").Pluck("side_id", &ids).Error
	return ids, dbErr(err)
}

// adoptIfAllConcur adopts the item when every party to it has a standing
// concurrence on the given (current) revision. The conditional update makes
// adoption happen once.
func (tx *Tx) adoptIfAllConcur(itemID int64, revision int) (bool, error) {
	res := tx.g.Exec(`UPDATE agenda_items SET status = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND status = ? AND revision = ?
		AND EXISTS (SELECT 1 FROM agenda_item_parties p WHERE p.item_id = ?)
		AND NOT EXISTS (SELECT 1 FROM agenda_item_parties p WHERE p.item_id = ? AND NOT EXISTS (
		    SELECT 1 FROM agenda_decisions d WHERE d.item_id = p.item_id AND d.side_id = p.side_id
		    AND d.revision = ? AND d.kind = ? AND d.withdrawn_at IS NULL))`,
		StatusAdopted, tx.now, itemID, StatusProposed, revision, itemID, itemID, revision, Concur)
	return res.RowsAffected == 1, res.Error
}

func (db *DB) itemByID(ctx context.Context, actor *User, id int64) (*AgendaItem, error) {
	var it AgendaItem
	err := db.read(ctx).Scopes(visibleItems(actor)).Preload("Side").Preload("Category").Preload("Author").
		Preload("TrAuthor").Where("agenda_items.id = ?", id).Take(&it).Error
	if err != nil {
		return nil, dbErr(err)
	}
	return &it, nil
}

// fillStanding loads the decisions standing on each item's current revision, in one query.
func (db *DB) fillStanding(ctx context.Context, items []*AgendaItem) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]int64, len(items))
	byID := map[int64]*AgendaItem{}
	for i, it := range items {
		ids[i] = it.ID
		byID[it.ID] = it
		it.Standing = nil
	}
	var ds []Decision
	err := db.read(ctx).Preload("Side").Preload("User").
		Joins("JOIN agenda_items ON agenda_items.id = agenda_decisions.item_id AND agenda_items.revision = agenda_decisions.revision").
		Where("agenda_decisions.item_id IN ? AND agenda_decisions.withdrawn_at IS NULL", ids).
		Order("agenda_decisions.side_id").Find(&ds).Error
	if err != nil {
		return dbErr(err)
	}
	for _, d := range ds {
		byID[d.ItemID].Standing = append(byID[d.ItemID].Standing, d)
	}
	return nil
}

// likePattern escapes a user's text for a LIKE match anywhere.
func likePattern(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(s))
	return "%" + s + "%"
}

// listItems runs a fixed number of queries whatever the page holds: the
// counts per status, the total, the page, its sides, categories and authors,
// and the standing decisions.
func (db *DB) listItems(ctx context.Context, actor *User, f ItemFilter) (ItemList, error) {
	base := func() *gorm.DB {
		q := db.read(ctx).Model(&AgendaItem{}).Scopes(visibleItems(actor))
		if f.SideID != 0 {
			q = q.Where("agenda_items.side_id = ?", f.SideID)
		}
		if f.CategoryID != 0 {
			q = q.Where("agenda_items.category_id = ?", f.CategoryID)
		}
		if f.Text != "" {
			p := likePattern(f.Text)
			q = q.Where(`(LOWER(agenda_items.title) LIKE ? ESCAPE '\' OR LOWER(agenda_items.description) LIKE ? ESCAPE '\'
				OR LOWER(agenda_items.tr_title) LIKE ? ESCAPE '\' OR LOWER(agenda_items.tr_description) LIKE ? ESCAPE '\')`, p, p, p, p)
		}
		return q
	}
	out := ItemList{Counts: map[ItemStatus]int64{}}
	out.Page = f.Page
	var counts []struct {
		Status ItemStatus
		N      int64
	}
	if err := base().Select("agenda_items.status AS status, COUNT(*) AS n").Group("agenda_items.status").Scan(&counts).Error; err != nil {
		return out, dbErr(err)
	}
	for _, c := range counts {
		out.Counts[c.Status] = c.N
	}
	filtered := func() *gorm.DB {
		q := base()
		if f.Status != "" {
			q = q.Where("agenda_items.status = ?", f.Status)
		}
		return q
	}
	if err := filtered().Count(&out.Total).Error; err != nil {
		return out, dbErr(err)
	}
	order := "agenda_items.updated_at DESC, agenda_items.id DESC"
	switch f.Sort {
	case "title":
		order = "agenda_items.title, agenda_items.id"
	case "created":
		order = "COALESCE(agenda_items.tabled_at, agenda_items.created_at) DESC, agenda_items.id DESC" // the other sides know only when it was tabled
	case "duration":
		order = "agenda_items.duration_minutes DESC, agenda_items.id DESC"
	}
	if err := filtered().Preload("Side").Preload("Category").Preload("Author").Order(order).
		Limit(f.Page.Size).Offset(f.Page.Offset()).Find(&out.Items).Error; err != nil {
		return out, dbErr(err)
	}
	return out, db.fillStandingOf(ctx, out.Items)
}

// awaitingDecision: proposed items without a standing decision of the actor's side.
func (db *DB) awaitingDecision(ctx context.Context, actor *User, limit int) ([]AgendaItem, error) {
	var out []AgendaItem
	err := db.read(ctx).Scopes(visibleItems(actor)).Preload("Side").Preload("Category").
		Where("agenda_items.status = ?", StatusProposed).
		Where("EXISTS (SELECT 1 FROM agenda_item_parties p WHERE p.item_id = agenda_items.id AND p.side_id = ?)", actor.SideID).
		Where(`NOT EXISTS (SELECT 1 FROM agenda_decisions d WHERE d.item_id = agenda_items.id AND d.side_id = ?
			AND d.revision = agenda_items.revision AND d.withdrawn_at IS NULL)`, actor.SideID).
		Order("agenda_items.tabled_at, agenda_items.id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, dbErr(err)
	}
	return out, db.fillStandingOf(ctx, out)
}

// contestedItems: proposed items with a standing objection on their current revision.
func (db *DB) contestedItems(ctx context.Context, actor *User, limit int) ([]AgendaItem, error) {
	var out []AgendaItem
	err := db.read(ctx).Scopes(visibleItems(actor)).Preload("Side").Preload("Category").
		Where("agenda_items.status = ?", StatusProposed).
		Where(`EXISTS (SELECT 1 FROM agenda_decisions d WHERE d.item_id = agenda_items.id AND d.kind = ?
			AND d.revision = agenda_items.revision AND d.withdrawn_at IS NULL)`, Object).
		Order("agenda_items.updated_at DESC, agenda_items.id DESC").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, dbErr(err)
	}
	return out, db.fillStandingOf(ctx, out)
}

// fillStandingOf fills the standing decisions of a slice of items.
func (db *DB) fillStandingOf(ctx context.Context, items []AgendaItem) error {
	ptrs := make([]*AgendaItem, len(items))
	for i := range items {
		ptrs[i] = &items[i]
	}
	return db.fillStanding(ctx, ptrs)
}

// itemsWhere lists visible items with a status in statuses, optionally only a side's, newest first.
func (db *DB) itemsWhere(ctx context.Context, actor *User, sideID int64, statuses []ItemStatus, limit int) ([]AgendaItem, error) {
	q := db.read(ctx).Scopes(visibleItems(actor)).Preload("Side").Preload("Category").
		Where("agenda_items.status IN ?", statuses)
	if sideID != 0 {
		q = q.Where("agenda_items.side_id = ?", sideID)
	}
	var out []AgendaItem
	if err := q.Order("agenda_items.updated_at DESC, agenda_items.id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, dbErr(err)
	}
	return out, db.fillStandingOf(ctx, out)
}

func (db *DB) revisions(ctx context.Context, itemID int64) ([]Revision, error) {
	var out []Revision
	err := db.read(ctx).Preload("Author").Where("item_id = ?", itemID).Order("number").Find(&out).Error
	return out, dbErr(err)
}

func (db *DB) decisions(ctx context.Context, itemID int64) ([]Decision, error) {
	var out []Decision
	err := db.read(ctx).Preload("Side").Preload("User").Where("item_id = ?", itemID).Order("created_at, id").Find(&out).Error
	return out, dbErr(err)
}

func (db *DB) amendments(ctx context.Context, itemID int64) ([]Amendment, error) {
	var out []Amendment
	err := db.read(ctx).Preload("Side").Preload("Author").Preload("Decider").Where("item_id = ?", itemID).
		Order("created_at DESC, id DESC").Find(&out).Error
	return out, dbErr(err)
}

func (db *DB) amendmentByID(ctx context.Context, itemID, id int64) (*Amendment, error) {
	var a Amendment
	err := db.read(ctx).Preload("Side").Preload("Author").Preload("Decider").Where("item_id = ? AND id = ?", itemID, id).Take(&a).Error
	if err != nil {
		return nil, dbErr(err)
	}
	return &a, nil
}
