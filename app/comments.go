package app

import (
	"context"
	"time"
)

// Comment threads, a record part for any registered kind of object: shared
// comments, and internal notes that only the author's side sees. Comments are
// never deleted; their author may correct them for a short while, and the
// earlier text is kept. Everything said about an internal object is internal.

// CommentEditWindow is how long an author may correct a comment.
const CommentEditWindow = 15 * time.Minute

// MaxCommentLen is the longest comment accepted.
const MaxCommentLen = 20000

// Comment is one entry of a thread.
type Comment struct {
	ID         int64
	PublicID   string
	ObjectType string
	ObjectID   int64
	SideID     int64 // the author's side
	Side       *Side
	AuthorID   int64
	Author     *User
	Visibility Visibility
	Body       string // Markdown
	EditedAt   *time.Time
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Edits      []CommentEdit `gorm:"foreignKey:CommentID"`
}

// CommentEdit keeps the text a comment had before an edit.
type CommentEdit struct {
	ID        int64
	CommentID int64
	Body      string // the text before the edit
	EditedAt  time.Time
}

// Editable reports whether the actor may still correct the comment at now.
func (c *Comment) Editable(actor *User, now time.Time) bool {
	return canWrite(actor) && c.AuthorID == actor.ID && now.Sub(c.CreatedAt) < CommentEditWindow
}

// AddComment adds a shared comment or an internal note to an object's thread.
func (s *Service) AddComment(ctx context.Context, actor *User, ref Ref, vis Visibility, body string) (*Comment, error) {
	obj, err := s.record(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	if !canWrite(actor) || !obj.CanComment {
		return nil, ErrForbidden
	}
	sharedAllowed := obj.Visibility == Shared
	body = CleanText(body)
	v := Validation{}
	checkText(v, "body", body, MaxCommentLen, true)
	switch {
	case vis != Shared && vis != Internal:
		v.Add("visibility", "comment.visibility_invalid")
	case vis == Shared && !sharedAllowed:
		v.Add("visibility", "comment.draft_internal_only")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var c *Comment
	err = s.write(ctx, func(tx *Tx) error {
		c, err = tx.AddComment(actor, ref, vis, body)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// AddComment appends a comment and its audit record inside a write
// transaction, for text already checked (AddComment, and the bulk seeder).
func (tx *Tx) AddComment(actor *User, ref Ref, vis Visibility, body string) (*Comment, error) {
	c := &Comment{ObjectType: string(ref.Kind), ObjectID: ref.ID, SideID: actor.SideID, AuthorID: actor.ID,
		Visibility: vis, Body: body, Version: 1, CreatedAt: tx.now, UpdatedAt: tx.now}
	if err := tx.createComment(c); err != nil {
		return nil, err
	}
	return c, tx.audit(actor, Audit{Action: "comment.add", ObjectType: string(ref.Kind), ObjectID: ref.ID,
		Visibility: vis, SideID: actor.SideID, Changes: map[string]any{"comment": c.PublicID, "body": body,
			"visibility": string(vis)}})
}

// Comments returns the thread of an object as the actor may see it: shared
// comments and their own side's internal notes, oldest first, with earlier
// texts of edited comments.
func (s *Service) Comments(ctx context.Context, actor *User, ref Ref) ([]Comment, error) {
	if _, err := s.record(ctx, actor, ref); err != nil {
		return nil, err
	}
	return s.db.comments(ctx, actor, ref)
}

// CommentOf returns one comment of an object its owner has just loaded for
// the actor, if the actor may see it (a shared comment, or an internal note
// of the actor's side); anything else is not found.
func (s *Service) CommentOf(ctx context.Context, actor *User, obj *Record, id int64) (*Comment, error) {
	if err := loaded(actor, obj); err != nil {
		return nil, err
	}
	return s.db.commentByID(ctx, actor, obj.Ref, id)
}

// ThreadPageSize is the number of comments a page of a thread shows.
const ThreadPageSize = 50

// ThreadCursor says which page of a thread to show: the comments before
// Before, or those from From on (opaque identifiers of comments); neither:
// the newest page, where new activity is.
type ThreadCursor struct {
	Before, From string
}

// ThreadPage is one page of a thread, oldest first, and whether there are
// comments before and after it.
type ThreadPage struct {
	Comments     []Comment
	Older, Newer bool
}

// ThreadOf is one page of the thread of an object its owner has just loaded
// for the actor: for the owner's own page, without loading it again. Its
// cost is the same whatever the length of the thread.
func (s *Service) ThreadOf(ctx context.Context, actor *User, obj *Record, cur ThreadCursor) (ThreadPage, error) {
	if err := loaded(actor, obj); err != nil {
		return ThreadPage{}, err
	}
	return s.db.threadPage(ctx, actor, obj.Ref, cur, ThreadPageSize)
}

// EditComment corrects the actor's own comment within the edit window. The
// earlier text is kept and the edit is audited.
func (s *Service) EditComment(ctx context.Context, actor *User, ref Ref, id, version int64, body string) error {
	if _, err := s.record(ctx, actor, ref); err != nil {
		return err
	}
	c, err := s.db.commentByID(ctx, actor, ref, id)
	if err != nil {
		return err
	}
	if c.AuthorID != actor.ID || !canWrite(actor) {
		return ErrForbidden
	}
	if !c.Editable(actor, s.now()) {
		return Errorf(EINVALID, "comment.edit_window_over")
	}
	body = CleanText(body)
	v := Validation{}
	checkText(v, "body", body, MaxCommentLen, true)
	if err := v.Err(); err != nil {
		return err
	}
	if body == c.Body {
		return nil
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.updateVersioned("comments", id, version, map[string]any{"body": body, "edited_at": tx.now}); err != nil {
			return err
		}
		if err := tx.createCommentEdit(&CommentEdit{CommentID: id, Body: c.Body, EditedAt: tx.now}); err != nil {
			return err
		}
		return tx.audit(actor, Audit{Action: "comment.edit", ObjectType: string(ref.Kind), ObjectID: ref.ID,
			Visibility: c.Visibility, SideID: c.SideID, Changes: map[string]any{"comment": c.PublicID, "body": []any{c.Body, body}}})
	})
}
