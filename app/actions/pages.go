package actions

import (
	"context"
	"io"
	"time"

	"github.com/parley/parley/app"
)

// What each page of an action reads, in one call that loads the action
// once for the actor.

// View is an action's page: the action with its parts, owner, assignee,
// creator and translation, what it arises from, and a page of its thread.
// Five queries (six with a source).
type View struct {
	Action *Action
	Source *Source // nil when none, or when the actor may no longer see it
	Thread app.ThreadPage
}

// View loads an action's page for the actor.
func (s *Service) View(ctx context.Context, actor *app.User, publicID string, cur app.ThreadCursor) (*View, error) {
	a, err := s.Get(ctx, actor, publicID)
	if err != nil {
		return nil, err
	}
	v := &View{Action: a}
	if find, ok := s.sources[a.SourceType]; ok && a.SourceID != 0 {
		if src, err := find(ctx, actor, a.SourceID); err == nil {
			v.Source = src
		} else if app.ErrorCode(err) != app.ENOTFOUND {
			return nil, err
		}
	}
	if v.Thread, err = s.core.ThreadOf(ctx, actor, record(actor, a), cur); err != nil {
		return nil, err
	}
	return v, nil
}

// Source finds a source the actor may see, by its kind and row id (to
// fill the new-action form from it).
func (s *Service) Source(ctx context.Context, actor *app.User, t SourceType, id int64) (*Source, error) {
	find, ok := s.sources[t]
	if !ok || id == 0 || actor == nil {
		return nil, app.ErrNotFound
	}
	return find(ctx, actor, id)
}

// History is one page of an action's history (page 0: the newest).
func (s *Service) History(ctx context.Context, actor *app.User, publicID string, page int) (*Action, app.PageOf[app.AuditRecord], error) {
	a, err := s.Get(ctx, actor, publicID)
	if err != nil {
		return nil, app.PageOf[app.AuditRecord]{}, err
	}
	recs, err := s.core.HistoryOf(ctx, actor, record(actor, a), page)
	return a, recs, err
}

// Assignees are the people an action may be assigned to, by side and name:
// the confirmed, enabled members of every side (for those who create
// actions; none for others). One query.
func (s *Service) Assignees(ctx context.Context, actor *app.User) ([]app.User, error) {
	if !delegationWriter(actor) && !isSecretariat(actor) {
		return nil, nil
	}
	return s.st.assignees(ctx)
}

// SetTranslation saves the title and description of a shared action in
// the other language (the shared translations part).
func (s *Service) SetTranslation(ctx context.Context, actor *app.User, id, version int64, title, description string) error {
	a, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	if !app.CanWrite(actor) {
		return app.ErrForbidden
	}
	return s.core.SetTranslation(ctx, actor, app.Ref{Kind: KindAction, ID: a.ID}, app.TranslationInput{
		Language: a.TranslationLanguage(), Title: title, Body: description, Version: version, Action: "action.translate"})
}

// ExportBatch is how many actions the export reads at a time.
const ExportBatch = 500

// ExportCSV writes the actions of a view the actor may see, one row each,
// in the order they were made; cells no spreadsheet runs as formulas.
func (s *Service) ExportCSV(ctx context.Context, actor *app.User, f Filter, w io.Writer) error {
	if actor == nil {
		return app.ErrNotFound
	}
	cw, err := app.NewCSVWriter(w)
	if err != nil {
		return err
	}
	if err := cw.Write("id", "title", "status", "owner", "assignee", "due_date", "due_zone", "overdue", "source",
		"created_at", "updated_at"); err != nil {
		return err
	}
	now := s.core.Clock()
	var after int64
	for {
		batch, err := s.st.exportBatch(ctx, actor, f, now, after, ExportBatch)
		if err != nil {
			return err
		}
		for _, a := range batch {
			owner := "joint"
			if a.OwnerSide != nil {
				owner = a.OwnerSide.Code
			}
			assignee := ""
			if a.Assignee != nil {
				assignee = a.Assignee.Name
			}
			overdue := "no"
			if a.Overdue(now) {
				overdue = "yes"
			}
			if err := cw.Write(a.PublicID, a.Title, string(a.Status), owner, assignee, a.DueDate, a.DueZone, overdue,
				string(a.SourceType), a.CreatedAt.UTC().Format(time.RFC3339), a.UpdatedAt.UTC().Format(time.RFC3339)); err != nil {
				return err
			}
		}
		if len(batch) < ExportBatch {
			return cw.Close()
		}
		after = batch[len(batch)-1].ID
	}
}

// CalendarLimit is how many due dates a calendar feed holds at most.
const CalendarLimit = 500

// Calendar lists, for a personal calendar feed, the actions the actor may
// see whose work is not verified or cancelled, due from 90 days ago to a
// year ahead, soonest first, at most CalendarLimit: one query.
func (s *Service) Calendar(ctx context.Context, actor *app.User) ([]Action, error) {
	if actor == nil {
		return nil, nil
	}
	now := s.core.Clock()
	return s.st.calendar(ctx, actor, now.AddDate(0, 0, -90), now.AddDate(1, 0, 0), CalendarLimit)
}

// ReviewLimit is how many actions a meeting agenda's review line lists.
const ReviewLimit = 30

// Review lists, for the review of open actions on a meeting's agenda, the
// actions the actor may see whose work is open, in progress or done and
// awaiting verification, soonest due first (the overdue ones first of
// all), at most ReviewLimit, and whether there are more: one query.
func (s *Service) Review(ctx context.Context, actor *app.User) ([]Action, bool, error) {
	if actor == nil {
		return nil, false, nil
	}
	list, err := s.st.review(ctx, actor, ReviewLimit+1)
	if err != nil {
		return nil, false, err
	}
	return list[:min(len(list), ReviewLimit)], len(list) > ReviewLimit, nil
}

// File returns an evidence file of an action the actor may see, with its
// content, to download.
func (s *Service) File(ctx context.Context, actor *app.User, actionID int64, publicID string) (*File, error) {
	a, err := s.byID(ctx, actor, actionID)
	if err != nil {
		return nil, err
	}
	if !app.ValidPublicID(publicID) {
		return nil, app.ErrNotFound
	}
	return s.st.file(ctx, a.ID, publicID)
}
