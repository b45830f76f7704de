package app

import (
	"context"
	"time"
)

// Revisions, a record part: the shared text of an object, one row per
// revision, kept for ever so that any two can be compared word by word.
// Translations, another: the text in the other language beside the
// original, marked with its translator and the revision it translates.

// Revision is one version of an object's shared text.
type Revision struct {
	ID         int64
	ObjectType string
	ObjectID   int64
	Number     int
	Title      string
	Body       string // Markdown
	AuthorID   int64
	Author     *User
	// SourceID is the owner's record the text came from (an accepted
	// amendment, say), or nil.
	SourceID  *int64
	CreatedAt time.Time
}

// AddRevision records revision number of the object's text inside the
// owner's write transaction (its audit record is the owner's).
func (tx *Tx) AddRevision(ref Ref, number int, title, body string, authorID int64, sourceID *int64) error {
	return tx.createRevision(&Revision{ObjectType: string(ref.Kind), ObjectID: ref.ID, Number: number, Title: title,
		Body: body, AuthorID: authorID, SourceID: sourceID, CreatedAt: tx.now})
}

// Revisions lists the revisions of an object the actor may see, oldest first.
func (s *Service) Revisions(ctx context.Context, actor *User, ref Ref) ([]Revision, error) {
	if _, err := s.record(ctx, actor, ref); err != nil {
		return nil, err
	}
	return s.db.revisions(ctx, ref)
}

// RevisionPageOf is a page of the revisions of an object its owner has
// just loaded for the actor, newest first and without their text. Revisions
// are numbered 1 to the current one, so a page is a range of numbers: one
// query, whatever their number.
func (s *Service) RevisionPageOf(ctx context.Context, actor *User, rec *Record, page Page) (PageOf[Revision], error) {
	out := PageOf[Revision]{Page: page.Normalize(), Total: int64(rec.Revision)}
	if err := loaded(actor, rec); err != nil {
		return out, err
	}
	out.Page.Number = min(out.Page.Number, out.Pages()) // past the last page: the last page
	hi := rec.Revision - out.Page.Offset()
	var err error
	out.Items, err = s.db.revisionRange(ctx, rec.Ref, max(1, hi-out.Page.Size+1), hi)
	return out, err
}

// RevisionsNumberedOf returns, with their text, the revisions of the given
// numbers of an object its owner has just loaded for the actor, oldest
// first; numbers that do not exist are left out.
func (s *Service) RevisionsNumberedOf(ctx context.Context, actor *User, rec *Record, numbers ...int) ([]Revision, error) {
	if err := loaded(actor, rec); err != nil {
		return nil, err
	}
	return s.db.revisionsNumbered(ctx, rec.Ref, numbers)
}

// LatestRevisionsOf is the last n revisions of an object its owner has just
// loaded for the actor, oldest first: one query, however many there are.
func (s *Service) LatestRevisionsOf(ctx context.Context, actor *User, rec *Record, n int) ([]Revision, error) {
	if err := loaded(actor, rec); err != nil {
		return nil, err
	}
	return s.db.latestRevisions(ctx, rec.Ref, n)
}

// MaxTranslationTitle and MaxTranslationBody bound a translation's fields.
const (
	MaxTranslationTitle = 200
	MaxTranslationBody  = 20000
)

// Translation is an object's text in the other language.
type Translation struct {
	ID         int64
	ObjectType string
	ObjectID   int64
	Language   string
	Title      string
	Body       string
	Revision   int // the revision of the original it translates
	AuthorID   int64
	Author     *User
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Stale reports whether the original has moved on since the translation.
func (t *Translation) Stale(currentRevision int) bool {
	return t != nil && t.Revision != currentRevision
}

// TranslationInput is the translation form.
type TranslationInput struct {
	Language    string
	Title, Body string
	Version     int64  // of the translation being replaced; 0 for the first
	Action      string // the audit action the owner names it by; "translation.set" when empty
}

// SetTranslation saves the object's text in another language, tied to its
// current revision, for an actor its owner lets translate.
func (s *Service) SetTranslation(ctx context.Context, actor *User, ref Ref, in TranslationInput) error {
	rec, err := s.record(ctx, actor, ref)
	if err != nil {
		return err
	}
	if !canWrite(actor) {
		return ErrForbidden
	}
	if !rec.CanTranslate {
		return Errorf(EINVALID, "translation.not_now")
	}
	in.Title, in.Body = CleanText(in.Title), CleanText(in.Body)
	v := Validation{}
	checkText(v, "tr_title", in.Title, MaxTranslationTitle, true)
	checkText(v, "tr_description", in.Body, MaxTranslationBody, false)
	if !ValidLanguage(in.Language) {
		v.Add("language", "lang.invalid")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.saveTranslation(ref, in, actor.ID, rec.Revision); err != nil {
			return err
		}
		if err := tx.IndexText(ref, SearchTranslation, in.Title, in.Body); err != nil {
			return err
		}
		action := in.Action
		if action == "" {
			action = "translation.set"
		}
		return tx.audit(actor, Audit{Action: action, ObjectType: string(ref.Kind), ObjectID: ref.ID,
			Visibility: rec.Visibility, SideID: rec.SideID, Changes: map[string]any{"language": in.Language,
				"title": in.Title, "description": in.Body, "revision": rec.Revision}})
	})
}

// Translation returns the translation of an object the actor may see, or nil.
func (s *Service) Translation(ctx context.Context, actor *User, ref Ref) (*Translation, error) {
	if _, err := s.record(ctx, actor, ref); err != nil {
		return nil, err
	}
	ts, err := s.db.translations(ctx, ref.Kind, []int64{ref.ID})
	return ts[ref.ID], err
}
