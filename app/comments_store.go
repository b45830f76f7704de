package app

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// visibleComments limits a query to shared comments and the actor's side's notes.
func visibleComments(actor *User) func(*gorm.DB) *gorm.DB {
	return VisibleTo(actor, "comments.visibility = 'shared'", "comments.side_id")
}

func (tx *Tx) createComment(c *Comment) error {
	c.PublicID = newPublicID()
	return tx.g.Omit(clause.Associations).Create(c).Error
}

func (tx *Tx) createCommentEdit(e *CommentEdit) error { return tx.g.Create(e).Error }

// comments loads a thread in a fixed number of queries (comments, authors, sides, edits).
func (db *DB) comments(ctx context.Context, actor *User, ref Ref) ([]Comment, error) {
	var out []Comment
	err := db.read(ctx).Scopes(visibleComments(actor)).Joins("Author").Joins("Side").
		Preload("Edits", func(q *gorm.DB) *gorm.DB { return q.Order("edited_at, id") }).
		Where("comments.object_type = ? AND comments.object_id = ?", string(ref.Kind), ref.ID).
		Order("comments.created_at, comments.id").Find(&out).Error
	return out, dbErr(err)
}

func (db *DB) commentByID(ctx context.Context, actor *User, ref Ref, id int64) (*Comment, error) {
	var c Comment
	err := db.read(ctx).Scopes(visibleComments(actor)).
		Where("comments.id = ? AND comments.object_type = ? AND comments.object_id = ?", id, string(ref.Kind), ref.ID).Take(&c).Error
	if err != nil {
		return nil, dbErr(err)
	}
	return &c, nil
}

// threadPage loads one page of a thread in two queries (the comments with
// their authors and sides, and the earlier texts of those edited), paging by
// (created_at, id) from the cursor comment, never by offset.
func (db *DB) threadPage(ctx context.Context, actor *User, ref Ref, cur ThreadCursor, size int) (ThreadPage, error) {
	q := db.read(ctx).Scopes(visibleComments(actor)).Joins("Author").Joins("Side").
		Preload("Edits", func(q *gorm.DB) *gorm.DB { return q.Order("edited_at, id") }).
		Where("comments.object_type = ? AND comments.object_id = ?", string(ref.Kind), ref.ID)
	at := func(op, publicID string) *gorm.DB {
		// The cursor must be a comment of this thread the actor may see; any other names no page.
		return q.Where("(comments.created_at, comments.id) "+op+` (SELECT c.created_at, c.id FROM comments c
			WHERE c.public_id = ? AND c.object_type = ? AND c.object_id = ? AND (c.visibility = 'shared' OR c.side_id = ?))`,
			publicID, string(ref.Kind), ref.ID, actor.InternalSideID())
	}
	var out []Comment
	var page ThreadPage
	switch {
	case cur.From != "":
		if err := at(">=", cur.From).Order("comments.created_at, comments.id").Limit(size + 1).Find(&out).Error; err != nil {
			return page, dbErr(err)
		}
		page.Older, page.Newer = true, len(out) > size
		if page.Newer {
			out = out[:size]
		}
	default:
		qq := q
		if cur.Before != "" {
			qq, page.Newer = at("<", cur.Before), true
		}
		if err := qq.Order("comments.created_at DESC, comments.id DESC").Limit(size + 1).Find(&out).Error; err != nil {
			return page, dbErr(err)
		}
		if page.Older = len(out) > size; page.Older {
			out = out[:size]
		}
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	page.Comments = out
	return page, nil
}
