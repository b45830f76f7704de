package agenda

import (
	"context"

	"github.com/parley/parley/app"
)

// AmendmentInput is a proposed new text. The revision it amends is the
// item's current one, set by the server, never by the form.
type AmendmentInput struct {
	Title, Description, Rationale string
}

// ProposeAmendment proposes a new text for a tabled item.
func (s *Service) ProposeAmendment(ctx context.Context, actor *app.User, itemID int64, in AmendmentInput) (*Amendment, error) {
	it, err := s.GetItem(ctx, actor, itemID)
	if err != nil {
		return nil, err
	}
	if !canAmend(actor) {
		return nil, app.ErrForbidden
	}
	if it.Status != StatusProposed && it.Status != StatusAdopted {
		return nil, app.Errorf(app.EINVALID, "agenda.not_in_this_state")
	}
	in.Title, in.Description, in.Rationale = app.CleanText(in.Title), app.CleanText(in.Description), app.CleanText(in.Rationale)
	v := app.Validation{}
	app.CheckText(v, "title", in.Title, MaxTitleLen, true)
	app.CheckText(v, "description", in.Description, MaxDescriptionLen, false)
	checkReason(v, "rationale", in.Rationale, true)
	if in.Title == it.Title && in.Description == it.Description {
		v.Add("description", "amendment.unchanged")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.core.Clock()
	a := &Amendment{ItemID: itemID, SideID: actor.SideID, AuthorID: actor.ID, BaseRevision: it.Revision,
		Title: in.Title, Description: in.Description, Rationale: in.Rationale, Status: AmendmentOpen, Version: 1,
		CreatedAt: now, UpdatedAt: now}
	err = s.write(ctx, func(tx wtx) error {
		if err := tx.createAmendment(a); err != nil {
			return err
		}
		return tx.Audit(actor, itemAudit(it, "amendment.propose", map[string]any{"amendment": a.PublicID,
			"title": a.Title, "description": a.Description, "rationale": a.Rationale, "base_revision": a.BaseRevision}))
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// GetAmendment returns one amendment of an item the actor may see.
func (s *Service) GetAmendment(ctx context.Context, actor *app.User, itemID, id int64) (*Item, *Amendment, error) {
	it, err := s.GetItem(ctx, actor, itemID)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.st.amendmentByID(ctx, itemID, id)
	if err != nil {
		return nil, nil, err
	}
	return it, a, nil
}

// openAmendment loads an amendment the actor may act on, or says why not.
func (s *Service) openAmendment(ctx context.Context, actor *app.User, itemID, id int64, allowed func(*app.User, *Item, *Amendment) bool) (*Item, *Amendment, error) {
	it, a, err := s.GetAmendment(ctx, actor, itemID, id)
	if err != nil {
		return nil, nil, err
	}
	if !allowed(actor, it, a) {
		return nil, nil, app.ErrForbidden
	}
	if a.Status != AmendmentOpen || (it.Status != StatusProposed && it.Status != StatusAdopted) {
		return nil, nil, app.Errorf(app.EINVALID, "agenda.not_in_this_state")
	}
	return it, a, nil
}

// SettleAmendment is the proposing side's decision on an amendment: accept
// it (its text becomes the next revision, voiding earlier decisions) or
// decline it with a reason. Only an amendment written against the current
// revision can be accepted; the check is repeated inside the transaction,
// so that of an edit and an acceptance at the same moment exactly one wins.
func (s *Service) SettleAmendment(ctx context.Context, actor *app.User, itemID, id, version int64, accept bool, reason string) error {
	it, a, err := s.openAmendment(ctx, actor, itemID, id, func(u *app.User, it *Item, _ *Amendment) bool {
		return canDecideText(u, it)
	})
	if err != nil {
		return err
	}
	stale := app.Errorf(app.ECONFLICT, "amendment.stale")
	if accept && a.BaseRevision != it.Revision {
		return stale
	}
	reason = app.CleanText(reason)
	v := app.Validation{}
	checkReason(v, "reason", reason, !accept)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		status := AmendmentDeclined
		if accept {
			status = AmendmentAccepted
		}
		if err := tx.UpdateVersioned("amendments", id, version, map[string]any{"status": status, "decided_by": actor.ID,
			"decision_reason": reason, "decided_at": tx.Now()}); err != nil {
			return err
		}
		if !accept {
			return tx.Audit(actor, itemAudit(it, "amendment.decline", map[string]any{"amendment": a.PublicID, "reason": reason}))
		}
		cur, err := tx.itemForUpdate(itemID)
		if err != nil {
			return err
		}
		if cur.Revision != a.BaseRevision {
			return stale
		}
		if cur.Status != StatusProposed && cur.Status != StatusAdopted {
			return app.Errorf(app.EINVALID, "agenda.not_in_this_state")
		}
		next := cur.Revision + 1
		fields := map[string]any{"title": a.Title, "description": a.Description, "revision": next}
		ch := map[string]any{"amendment": a.PublicID, "revision": []any{cur.Revision, next}}
		app.Diff(ch, "title", cur.Title, a.Title)
		app.Diff(ch, "description", cur.Description, a.Description)
		if cur.Status == StatusAdopted {
			fields["status"] = StatusProposed
			ch["status"] = []any{"adopted", "proposed"}
		}
		if err := tx.UpdateVersioned("agenda_items", itemID, cur.Version, fields); err != nil {
			return err
		}
		aid := id
		if err := tx.AddRevision(cur.ref(), next, a.Title, a.Description, a.AuthorID, &aid); err != nil {
			return err
		}
		if err := tx.IndexText(cur.ref(), app.SearchText, a.Title, a.Description); err != nil {
			return err
		}
		return tx.Audit(actor, itemAudit(it, "amendment.accept", ch))
	})
}

// WithdrawAmendment lets its author take back an open amendment.
func (s *Service) WithdrawAmendment(ctx context.Context, actor *app.User, itemID, id, version int64) error {
	it, a, err := s.openAmendment(ctx, actor, itemID, id, func(u *app.User, _ *Item, a *Amendment) bool {
		return canWithdrawAmendment(u, a)
	})
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("amendments", id, version, map[string]any{"status": AmendmentWithdrawn,
			"decided_by": actor.ID, "decided_at": tx.Now()}); err != nil {
			return err
		}
		return tx.Audit(actor, itemAudit(it, "amendment.withdraw", map[string]any{"amendment": a.PublicID}))
	})
}
