package agenda

import (
	"context"
	"database/sql"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/parley/parley/app"
)

// store is the agenda's database access: the only agenda file that uses gorm.
type store struct{ db *app.DB }

// wtx is a write transaction, for the agenda's writes.
type wtx struct{ *app.Tx }

func (Item) TableName() string { return "agenda_items" }

// visibleItems limits a query to the items the actor may see: an item never
// tabled only inside its side. Every read of agenda items goes through it;
// canSeeItem is its twin in Go.
func visibleItems(actor *app.User) func(*gorm.DB) *gorm.DB {
	return app.VisibleTo(actor, "agenda_items.tabled_at IS NOT NULL", "agenda_items.side_id")
}

func (st store) categoryByID(ctx context.Context, id int64) (*Category, error) {
	var c Category
	if err := st.db.Read(ctx).Where("id = ?", id).Take(&c).Error; err != nil {
		return nil, app.DBErr(err)
	}
	return &c, nil
}

func (st store) categories(ctx context.Context, withArchived bool) ([]Category, error) {
	q := st.db.Read(ctx).Order("position, id")
	if !withArchived {
		q = q.Where("archived = ?", false)
	}
	var out []Category
	return out, app.DBErr(q.Find(&out).Error)
}

func (tx wtx) createCategory(c *Category) error {
	c.PublicID = app.NewPublicID()
	return tx.Gorm().Create(c).Error
}

// createItem inserts an item and indexes its text for search.
func (tx wtx) createItem(it *Item) error {
	it.PublicID = app.NewPublicID()
	if err := tx.Gorm().Omit(clause.Associations).Create(it).Error; err != nil {
		return err
	}
	return tx.IndexText(it.ref(), app.SearchText, it.Title, it.Description)
}

func (tx wtx) createAmendment(a *Amendment) error {
	a.PublicID = app.NewPublicID()
	return tx.Gorm().Omit(clause.Associations).Create(a).Error
}

// itemForUpdate reads an item inside the write transaction.
func (tx wtx) itemForUpdate(id int64) (*Item, error) {
	var it Item
	if err := tx.Gorm().Where("id = ?", id).Take(&it).Error; err != nil {
		return nil, err
	}
	return &it, nil
}

// adoptIfAllConcur adopts the item when every party to it has a standing
// concurrence on the given (current) revision. The conditional update makes
// adoption happen once.
func (tx wtx) adoptIfAllConcur(itemID int64, revision int) (bool, error) {
	all, args := app.AllPartiesDecided(KindItem, "agenda_items.id", "agenda_items.revision", Concur)
	res := tx.Gorm().Exec(`UPDATE agenda_items SET status = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND status = ? AND revision = ? AND `+all,
		append([]any{StatusAdopted, tx.Now(), itemID, StatusProposed, revision}, args...)...)
	return res.RowsAffected == 1, res.Error
}

// moveStatus changes a tabled item's status if it is in one of from.
func (tx wtx) moveStatus(itemID int64, from []Status, to Status) (bool, error) {
	res := tx.Gorm().Exec(`UPDATE agenda_items SET status = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND tabled_at IS NOT NULL AND status IN ?`, to, tx.Now(), itemID, from)
	return res.RowsAffected == 1, res.Error
}

// item loads one item the actor may see, by its row id or its opaque
// identifier (column "id" or "public_id"), with its side, category, author
// and translation, in one query.
func (st store) item(ctx context.Context, actor *app.User, column string, value any) (*Item, error) {
	var it Item
	err := st.db.Read(ctx).Scopes(visibleItems(actor)).Joins("Side").Joins("Category").Joins("Author").
		Joins("Translation").Joins("Translation.Author").Where("agenda_items."+column+" = ?", value).Take(&it).Error
	if err != nil {
		return nil, app.DBErr(err)
	}
	return &it, nil
}

// listItems runs a fixed number of queries whatever the page holds: the
// counts per status, then the page with its sides, categories and authors
// joined. A search is driven by the full-text index, newest text first, and
// stops at the first CountCap+1 matching items the actor may see: the
// counts and the page are taken among those, in one statement that reads
// the index once, so that a word found in half the agenda costs what a rare
// one does.
func (st store) listItems(ctx context.Context, actor *app.User, f ItemFilter) (ItemList, error) {
	out := ItemList{Counts: map[Status]int64{}}
	out.Page = f.Page
	filters := func(q *gorm.DB) *gorm.DB {
		if f.SideID != 0 {
			q = q.Where("agenda_items.side_id = ?", f.SideID)
		}
		if f.CategoryID != 0 {
			q = q.Where("agenda_items.category_id = ?", f.CategoryID)
		}
		return q
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
	if f.Text != "" {
		return st.searchItems(ctx, actor, f, filters, order)
	}
	var counts []struct {
		Status Status
		N      int64
	}
	var err error
	if f.SideID == 0 && f.CategoryID == 0 {
		// The whole agenda: the counts the triggers keep, as the actor may see them.
		err = st.db.Read(ctx).Table("agenda_counts").
			Scopes(app.VisibleTo(actor, "agenda_counts.tabled = 1", "agenda_counts.side_id")).
			Select("status, SUM(n) AS n").Group("status").Scan(&counts).Error
	} else {
		// A filtered list: count its first CountCap items, no more.
		capped := st.db.Read(ctx).Model(&Item{}).Scopes(visibleItems(actor), filters).
			Select("agenda_items.status AS status").Limit(CountCap + 1)
		err = st.db.Read(ctx).Table("(?) AS capped", capped).Select("status, COUNT(*) AS n").
			Group("status").Scan(&counts).Error
	}
	if err != nil {
		return out, app.DBErr(err)
	}
	var all int64
	for _, c := range counts {
		out.Counts[c.Status] = c.N
		all += c.N
	}
	out.Capped = all > CountCap && (f.SideID != 0 || f.CategoryID != 0)
	out.setTotal(f.Status, all)
	q := st.db.Read(ctx).Model(&Item{}).Scopes(visibleItems(actor), filters)
	if f.Status != "" {
		q = q.Where("agenda_items.status = ?", f.Status)
	}
	items, err := scanList(q.Order(order).Limit(f.Page.Size).Offset(f.Page.Offset()))
	out.Items = items
	return out, err
}

// searchItems lists the items matching f.Text in two statements. The
// first reads the index once: the matching items the actor may see (at
// most CountCap+1 texts, newest first) become a materialized table, from
// which come the counts per status and the identifiers of the page, in the
// requested order. The second reads the page's rows.
func (st store) searchItems(ctx context.Context, actor *app.User, f ItemFilter, filters func(*gorm.DB) *gorm.DB,
	order string) (ItemList, error) {
	out := ItemList{Counts: map[Status]int64{}}
	out.Page = f.Page
	from, where, args, docOrder, ok := app.SearchSource(KindItem, "agenda_items", f.Text)
	if !ok {
		return out, nil // nothing searchable was typed: nothing matches
	}
	found := st.db.Read(ctx).Table(from).Scopes(visibleItems(actor), filters).Where(where, args...).
		Select("agenda_items.id AS id, agenda_items.status AS status").Order(docOrder).Limit(CountCap + 1)
	page := st.db.Read(ctx).Model(&Item{}).Select("agenda_items.id").Where("agenda_items.id IN (SELECT id FROM found)")
	if f.Status != "" {
		page = page.Where("agenda_items.status = ?", f.Status)
	}
	page = page.Order(order).Limit(f.Page.Size).Offset(f.Page.Offset())
	// Counts: one row per status (each matching text counts towards the cap,
	// each item once); then one row per item of the page, in order.
	rows, err := st.db.Read(ctx).Raw(`WITH found AS MATERIALIZED (?)
		SELECT 0 AS part, status, COUNT(DISTINCT id) AS n, COUNT(*) AS docs, 0 AS id FROM found GROUP BY status
		UNION ALL
		SELECT 1, '', 0, 0, page.id FROM (?) AS page`, found, page).Rows()
	if err != nil {
		return out, app.DBErr(err)
	}
	defer rows.Close()
	var all, docs int64
	var ids []int64
	for rows.Next() {
		var part int
		var status Status
		var n, d, id int64
		if err := rows.Scan(&part, &status, &n, &d, &id); err != nil {
			return out, app.DBErr(err)
		}
		if part == 0 {
			out.Counts[status] = n
			all += n
			docs += d
		} else {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return out, app.DBErr(err)
	}
	rows.Close()
	out.Capped = docs > CountCap
	out.setTotal(f.Status, all)
	if len(ids) == 0 {
		return out, nil
	}
	out.Items, err = scanList(st.db.Read(ctx).Model(&Item{}).Scopes(visibleItems(actor)).
		Where("agenda_items.id IN ?", ids).Order(order))
	return out, err
}

// listColumns are what a row of a list shows: no description; the side's,
// the category's and the author's names joined; and whether an objection
// stands on the current revision (all a list shows of the decisions).
const listColumns = `agenda_items.id, agenda_items.public_id, agenda_items.side_id, agenda_items.category_id,
	agenda_items.status, agenda_items.title, agenda_items.language, agenda_items.duration_minutes, agenda_items.revision,
	agenda_items.tabled_at, agenda_items.version, agenda_items.created_at, agenda_items.updated_at,
	list_side.code, list_side.kind, list_side.name_en, list_side.name_zh, list_cat.name_en, list_cat.name_zh,
	agenda_items.author_id, list_author.name, `

// scanList runs a list query with the list's columns and scans its rows by
// hand: the lists are on the pages people open most, and gorm's reflection
// over every column of three joined tables cost more than the query.
func scanList(q *gorm.DB) ([]Item, error) {
	objected, args := app.HasStanding(KindItem, "agenda_items.id", "agenda_items.revision", 0, Object)
	rows, err := q.Select(listColumns+objected, args...).Joins("JOIN sides list_side ON list_side.id = agenda_items.side_id").
		Joins("JOIN categories list_cat ON list_cat.id = agenda_items.category_id").
		Joins("JOIN users list_author ON list_author.id = agenda_items.author_id").Rows()
	if err != nil {
		return nil, app.DBErr(err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it := Item{Side: &app.Side{}, Category: &Category{}, Author: &app.User{}}
		var tabled sql.NullTime
		if err := rows.Scan(&it.ID, &it.PublicID, &it.SideID, &it.CategoryID, &it.Status, &it.Title, &it.Language,
			&it.DurationMinutes, &it.Revision, &tabled, &it.Version, &it.CreatedAt, &it.UpdatedAt,
			&it.Side.Code, &it.Side.Kind, &it.Side.NameEN, &it.Side.NameZH, &it.Category.NameEN, &it.Category.NameZH,
			&it.AuthorID, &it.Author.Name, &it.Objected); err != nil {
			return nil, app.DBErr(err)
		}
		if tabled.Valid {
			t := tabled.Time
			it.TabledAt = &t
		}
		it.Side.ID, it.Category.ID, it.Author.ID, it.Author.SideID = it.SideID, it.CategoryID, it.AuthorID, it.SideID
		out = append(out, it)
	}
	return out, app.DBErr(rows.Err())
}

// attentionGroups finds, in one query, the items of the dashboard's lists:
// for a head, the proposed items awaiting their delegation's decision
// (oldest tabled first); the side's drafts and the contested items
// (newest first); at most limit of each. An item may be in several.
func (st store) attentionGroups(ctx context.Context, actor *app.User, decides bool, side int64, limit int) (map[int64][]string, error) {
	var parts []string
	var args []any
	add := func(group string, q *gorm.DB) {
		parts = append(parts, "SELECT id, '"+group+"' AS g FROM (?) AS "+"g"+group)
		args = append(args, q.Select("agenda_items.id AS id").Limit(limit))
	}
	if decides {
		party, partyArgs := app.IsParty(KindItem, "agenda_items.id", actor.SideID)
		decided, decidedArgs := app.HasStanding(KindItem, "agenda_items.id", "agenda_items.revision", actor.SideID, "")
		add(attentionAwaiting, st.db.Read(ctx).Model(&Item{}).Scopes(visibleItems(actor)).
			Where("agenda_items.status = ?", StatusProposed).
			Where(party, partyArgs...).Where("NOT "+decided, decidedArgs...).
			Order("agenda_items.tabled_at, agenda_items.id"))
	}
	if side != 0 {
		add(attentionDraft, st.db.Read(ctx).Model(&Item{}).Scopes(visibleItems(actor)).
			Where("agenda_items.status = ? AND agenda_items.side_id = ?", StatusDraft, side).
			Order("agenda_items.updated_at DESC, agenda_items.id DESC"))
	}
	objected, objArgs := app.HasStanding(KindItem, "agenda_items.id", "agenda_items.revision", 0, Object)
	add(attentionContested, st.db.Read(ctx).Model(&Item{}).Scopes(visibleItems(actor)).
		Where("agenda_items.status = ?", StatusProposed).Where(objected, objArgs...).
		Order("agenda_items.updated_at DESC, agenda_items.id DESC"))
	var rows []struct {
		ID int64
		G  string
	}
	if err := st.db.Read(ctx).Raw(strings.Join(parts, " UNION ALL "), args...).Scan(&rows).Error; err != nil {
		return nil, app.DBErr(err)
	}
	out := map[int64][]string{}
	for _, r := range rows {
		out[r.ID] = append(out[r.ID], r.G)
	}
	return out, nil
}

// itemsByID lists the visible items among ids, as lists show them.
func (st store) itemsByID(ctx context.Context, actor *app.User, ids []int64) ([]Item, error) {
	return scanList(st.db.Read(ctx).Model(&Item{}).Scopes(visibleItems(actor)).Where("agenda_items.id IN ?", ids))
}

// amendments reads a slice of an item's amendments, newest first (by row
// id, in the order of the index on the item).
func (st store) amendments(ctx context.Context, itemID int64, offset, limit int) ([]Amendment, error) {
	var out []Amendment
	err := st.db.Read(ctx).Joins("Side").Joins("Author").Joins("Decider").Where("amendments.item_id = ?", itemID).
		Order("amendments.id DESC").Offset(offset).Limit(limit).Find(&out).Error
	return out, app.DBErr(err)
}

// countAmendments counts an item's amendments, up to CountCap+1.
func (st store) countAmendments(ctx context.Context, itemID int64) (int64, error) {
	var n int64
	capped := st.db.Read(ctx).Model(&Amendment{}).Select("1").Where("item_id = ?", itemID).Limit(CountCap + 1)
	err := st.db.Read(ctx).Table("(?) AS capped", capped).Count(&n).Error
	return n, app.DBErr(err)
}

func (st store) amendmentByID(ctx context.Context, itemID, id int64) (*Amendment, error) {
	var a Amendment
	err := st.db.Read(ctx).Joins("Side").Joins("Author").Joins("Decider").Where("amendments.item_id = ? AND amendments.id = ?", itemID, id).Take(&a).Error
	if err != nil {
		return nil, app.DBErr(err)
	}
	return &a, nil
}

// itemsForIndex loads items with their translations, whoever may see them,
// for the search index only.
func (st store) itemsForIndex(ctx context.Context, ids []int64) ([]Item, error) {
	var out []Item
	err := st.db.Read(ctx).Joins("Translation").Where("agenda_items.id IN ?", ids).Find(&out).Error
	return out, app.DBErr(err)
}

// adopted lists visible adopted items by title, without their joins.
func (st store) adopted(ctx context.Context, actor *app.User, limit int) ([]Item, error) {
	return scanList(st.db.Read(ctx).Model(&Item{}).Scopes(visibleItems(actor)).Where("agenda_items.status = ?", StatusAdopted).
		Order("agenda_items.title, agenda_items.id").Limit(limit))
}
