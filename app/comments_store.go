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
