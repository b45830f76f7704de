package agenda

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/parley/parley/app"
)

// Service is the agenda: every method takes the acting user and checks the
// agenda's policy (policy section below) itself.
type Service struct {
	core *app.Service
	st   store
}

// New sets up the agenda on the core service: it registers agenda items with
// the record parts (threads, history) and its kinds of opaque identifier.
func New(core *app.Service) *Service {
	s := &Service{core: core, st: store{db: core.DB()}}
	core.Register(KindItem, itemOwner{s})
	core.RegisterRef(RefItem, "agenda_items")
	core.RegisterRef(RefAmendment, "amendments")
	core.RegisterRef(RefCategory, "categories")
	return s
}

// KindItem is the record kind of agenda items (threads, history, audit).
const KindItem app.Kind = "agenda_item"

// Kinds of opaque identifier in the agenda's URLs and forms.
const (
	RefItem      = "agenda_item"
	RefAmendment = "amendment"
	RefCategory  = "category"
)

// itemOwner answers the record parts' questions about agenda items.
type itemOwner struct{ s *Service }

func (o itemOwner) Record(ctx context.Context, actor *app.User, id int64) (*app.Record, error) {
	it, err := o.s.itemOnly(ctx, actor, "id", id)
	if err != nil {
		return nil, err
	}
	return itemRecord(actor, it), nil
}

// itemRecord is what the record parts know of an item the actor sees.
func itemRecord(actor *app.User, it *Item) *app.Record {
	return &app.Record{Ref: app.Ref{Kind: KindItem, ID: it.ID}, Visibility: it.Visibility(), SideID: it.SideID,
		Title: it.Title, Revision: it.Revision, CanComment: app.CanWrite(actor) && canSeeItem(actor, it),
		CanTranslate: canTranslate(actor, it)}
}

// write runs fn in one transaction with its audit records.
func (s *Service) write(ctx context.Context, fn func(tx wtx) error) error {
	return s.core.Write(ctx, func(tx *app.Tx) error { return fn(wtx{tx}) })
}

// validateItem checks an item's fields and returns its category.
func (s *Service) validateItem(ctx context.Context, in *ItemInput, requireLanguage bool) (*Category, error) {
	in.Title = app.CleanText(in.Title)
	in.Description = app.CleanText(in.Description)
	v := app.Validation{}
	app.CheckText(v, "title", in.Title, MaxTitleLen, true)
	app.CheckText(v, "description", in.Description, MaxDescriptionLen, false)
	c, err := s.st.categoryByID(ctx, in.CategoryID)
	if err != nil || c.Archived {
		v.Add("category", "agenda.category_invalid")
	}
	if in.DurationMinutes < 5 || in.DurationMinutes > MaxDuration {
		v.Add("duration", "agenda.duration_invalid")
	}
	if requireLanguage && !app.ValidLanguage(in.Language) {
		v.Add("language", "lang.invalid")
	}
	return c, v.Err()
}

// Label names a category in both languages, as the audit trail records it.
func (c *Category) Label() string {
	if c == nil {
		return ""
	}
	return c.NameEN + " / " + c.NameZH
}

func checkReason(v app.Validation, field, reason string, required bool) {
	app.CheckText(v, field, reason, MaxReasonLen, required)
}

// itemAudit records a change to an item on the chain its visibility calls for.
func itemAudit(it *Item, action string, changes map[string]any) app.Audit {
	return app.Audit{Action: action, ObjectType: string(KindItem), ObjectID: it.ID, Visibility: it.Visibility(),
		SideID: it.SideID, Changes: changes}
}

// CreateItem starts a draft on the actor's side.
func (s *Service) CreateItem(ctx context.Context, actor *app.User, in ItemInput) (*Item, error) {
	if !canProposeItems(actor) {
		return nil, app.ErrForbidden
	}
	if in.Language == "" {
		in.Language = actor.PreferredLanguage()
	}
	cat, err := s.validateItem(ctx, &in, true)
	if err != nil {
		return nil, err
	}
	now := s.core.Clock()
	it := &Item{SideID: actor.SideID, AuthorID: actor.ID, CategoryID: in.CategoryID, Status: StatusDraft,
		Title: in.Title, Description: in.Description, Language: in.Language, DurationMinutes: in.DurationMinutes,
		Revision: 1, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.write(ctx, func(tx wtx) error {
		if err := tx.createItem(it); err != nil {
			return err
		}
		return tx.Audit(actor, itemAudit(it, "agenda.create", map[string]any{"title": it.Title,
			"description": it.Description, "category": cat.Label(), "duration": it.DurationMinutes, "language": it.Language}))
	})
	if err != nil {
		return nil, err
	}
	return s.GetItem(ctx, actor, it.ID)
}

// GetItem returns an item the actor may see, with its translation, its
// parties and the decisions standing on its current revision, in two
// queries. Anything else is not found.
func (s *Service) GetItem(ctx context.Context, actor *app.User, id int64) (*Item, error) {
	return s.loadItem(ctx, actor, "id", id)
}

// ItemByRef is GetItem by the item's opaque identifier (one query fewer
// than resolving it first, for the pages).
func (s *Service) ItemByRef(ctx context.Context, actor *app.User, publicID string) (*Item, error) {
	if !app.ValidPublicID(publicID) {
		return nil, app.ErrNotFound
	}
	return s.loadItem(ctx, actor, "public_id", publicID)
}

func (s *Service) loadItem(ctx context.Context, actor *app.User, column string, value any) (*Item, error) {
	it, err := s.itemOnly(ctx, actor, column, value)
	if err != nil {
		return nil, err
	}
	if it.Tabled() {
		if it.Parties, it.Standing, err = s.core.PartiesAndStanding(ctx, actor, itemRecord(actor, it)); err != nil {
			return nil, err
		}
	}
	return it, nil
}

// itemOnly loads the item row as the actor may see it, without its decisions.
func (s *Service) itemOnly(ctx context.Context, actor *app.User, column string, value any) (*Item, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	return s.st.item(ctx, actor, column, value)
}

// ItemView is everything an item's page shows.
type ItemView struct {
	Item *Item
	// Amendments are the newest AmendmentsShown; MoreAmendments says that
	// there are older ones (the amendments page lists them all).
	Amendments     []Amendment
	MoreAmendments bool
	Thread         app.ThreadPage
}

// AmendmentsShown is how many amendments an item's page shows.
const AmendmentsShown = 10

// ItemView loads an item, its amendments and its thread as the actor may
// see them, checking visibility once.
func (s *Service) ItemView(ctx context.Context, actor *app.User, publicID string, cur app.ThreadCursor) (*ItemView, error) {
	it, err := s.ItemByRef(ctx, actor, publicID)
	if err != nil {
		return nil, err
	}
	v := &ItemView{Item: it}
	if v.Amendments, err = s.st.amendments(ctx, it.ID, 0, AmendmentsShown+1); err != nil {
		return nil, err
	}
	if len(v.Amendments) > AmendmentsShown {
		v.Amendments, v.MoreAmendments = v.Amendments[:AmendmentsShown], true
	}
	if v.Thread, err = s.core.ThreadOf(ctx, actor, itemRecord(actor, it), cur); err != nil {
		return nil, err
	}
	return v, nil
}

// ListItems lists the items the actor may see, with counts per status.
func (s *Service) ListItems(ctx context.Context, actor *app.User, f ItemFilter) (ItemList, error) {
	if actor == nil {
		return ItemList{}, app.ErrNotFound
	}
	f.Page = f.Page.Normalize()
	f.Page.Number = min(f.Page.Number, MaxListPage)
	f.Text = strings.TrimSpace(f.Text)
	return s.st.listItems(ctx, actor, f)
}

// UpdateItem edits an item. On a tabled item a change of title or
// description makes a new revision, which voids the decisions given on
// earlier ones; an adopted item goes back to proposed.
func (s *Service) UpdateItem(ctx context.Context, actor *app.User, id, version int64, in ItemInput) (*Item, error) {
	it, err := s.editableItem(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	cat, err := s.validateItem(ctx, &in, false)
	if err != nil {
		return nil, err
	}
	textChanged := in.Title != it.Title || in.Description != it.Description
	ch := map[string]any{}
	app.Diff(ch, "title", it.Title, in.Title)
	app.Diff(ch, "description", it.Description, in.Description)
	app.Diff(ch, "category", it.Category.Label(), cat.Label())
	app.Diff(ch, "duration", it.DurationMinutes, in.DurationMinutes)
	if len(ch) == 0 {
		return it, nil
	}
	err = s.write(ctx, func(tx wtx) error {
		fields := map[string]any{"title": in.Title, "description": in.Description, "category_id": in.CategoryID,
			"duration_minutes": in.DurationMinutes}
		action := "agenda.update"
		if textChanged && it.Status != StatusDraft {
			action = "agenda.revise"
			fields["revision"] = it.Revision + 1
			ch["revision"] = []any{it.Revision, it.Revision + 1}
			if it.Status == StatusAdopted {
				fields["status"] = StatusProposed
				ch["status"] = []any{string(StatusAdopted), string(StatusProposed)}
			}
		}
		if err := tx.UpdateVersioned("agenda_items", id, version, fields); err != nil {
			return err
		}
		if action == "agenda.revise" {
			if err := tx.AddRevision(it.ref(), it.Revision+1, in.Title, in.Description, actor.ID, nil); err != nil {
				return err
			}
		}
		if textChanged {
			if err := tx.IndexText(it.ref(), app.SearchText, in.Title, in.Description); err != nil {
				return err
			}
		}
		return tx.Audit(actor, itemAudit(it, action, ch))
	})
	if err != nil {
		return nil, err
	}
	return s.GetItem(ctx, actor, id)
}

// editableItem loads an item the actor may edit now, or says why not.
func (s *Service) editableItem(ctx context.Context, actor *app.User, id int64) (*Item, error) {
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !canEditItem(actor, it) {
		return nil, s.refusal(actor, it)
	}
	return it, nil
}

// refusal is the error for an action the actor may not take on an item they
// can see: forbidden for the wrong person, invalid for the wrong state.
func (s *Service) refusal(actor *app.User, it *Item) error {
	if actor.SideID == it.SideID && canProposeItems(actor) {
		return app.Errorf(app.EINVALID, "agenda.not_in_this_state")
	}
	return app.ErrForbidden
}

// TableItem shares a draft with every side: it becomes proposed, revision 1.
func (s *Service) TableItem(ctx context.Context, actor *app.User, id, version int64) error {
	it, err := s.editableItem(ctx, actor, id)
	if err != nil {
		return err
	}
	if it.Status != StatusDraft {
		return app.Errorf(app.EINVALID, "agenda.not_in_this_state")
	}
	return s.write(ctx, func(tx wtx) error {
		// The version jumps by a random step, so that the version the other
		// sides see tells nothing of how often the draft was edited.
		if err := tx.UpdateVersioned("agenda_items", id, version, map[string]any{"status": StatusProposed,
			"tabled_at": tx.Now(), "revision": 1, "version": version + app.VersionJump()}); err != nil {
			return err
		}
		if err := tx.FixParties(it.ref()); err != nil {
			return err
		}
		if err := tx.AddRevision(it.ref(), 1, it.Title, it.Description, actor.ID, nil); err != nil {
			return err
		}
		now := tx.Now()
		it.Status, it.TabledAt = StatusProposed, &now // the tabling and the text are shared from now on
		return tx.Audit(actor, itemAudit(it, "agenda.table", map[string]any{"status": []any{"draft", "proposed"},
			"title": it.Title, "description": it.Description, "category": it.Category.Label(),
			"duration": it.DurationMinutes, "revision": 1}))
	})
}

// itemToDecide loads an item on which the actor, a head, may now decide.
func (s *Service) itemToDecide(ctx context.Context, actor *app.User, id int64) (*Item, error) {
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !canDecide(actor) {
		return nil, app.ErrForbidden
	}
	if it.Status != StatusProposed {
		return nil, app.Errorf(app.EINVALID, "agenda.not_in_this_state")
	}
	if !it.IsParty(actor.SideID) {
		return nil, app.Errorf(app.EFORBIDDEN, "agenda.not_a_party")
	}
	return it, nil
}

// Decide records the actor's delegation's concurrence or objection on the
// revision the head read. An objection needs a reason. When every
// delegation has concurred on the current revision the item is adopted —
// exactly once, as the single writer serialises concurrent decisions.
func (s *Service) Decide(ctx context.Context, actor *app.User, id int64, revision int, kind app.DecisionKind, reason string) error {
	it, err := s.itemToDecide(ctx, actor, id)
	if err != nil {
		return err
	}
	reason = app.CleanText(reason)
	v := app.Validation{}
	if kind != Concur && kind != Object {
		v.Add("decision", "agenda.decision_invalid")
	}
	checkReason(v, "reason", reason, kind == Object)
	if err := v.Err(); err != nil {
		return err
	}
	if revision != it.Revision {
		return app.Errorf(app.ECONFLICT, "agenda.revision_changed")
	}
	if d := it.StandingFor(actor.SideID); d != nil && d.Kind == kind {
		return app.Errorf(app.EINVALID, "agenda.already_decided")
	}
	return s.write(ctx, func(tx wtx) error {
		cur, err := tx.itemForUpdate(id)
		if err != nil {
			return err
		}
		if cur.Revision != revision {
			return app.Errorf(app.ECONFLICT, "agenda.revision_changed")
		}
		if cur.Status != StatusProposed {
			return app.Errorf(app.EINVALID, "agenda.not_in_this_state")
		}
		standing, err := tx.StandingKind(cur.ref(), actor.SideID, revision)
		if err != nil {
			return err
		}
		if standing == kind {
			return app.Errorf(app.EINVALID, "agenda.already_decided")
		}
		ch := map[string]any{"side": actor.Side.Code, "revision": revision}
		if reason != "" {
			ch["reason"] = reason
		}
		if err := tx.Decide(actor, cur.ref(), revision, kind, reason, itemAudit(cur, "agenda."+string(kind), ch)); err != nil {
			return err
		}
		if kind != Concur {
			return nil
		}
		adopted, err := tx.adoptIfAllConcur(id, revision)
		if err != nil || !adopted {
			return err
		}
		return tx.Audit(actor, itemAudit(cur, "agenda.adopt", map[string]any{"status": []any{"proposed", "adopted"},
			"revision": revision}))
	})
}

// WithdrawObjection lifts the actor's delegation's objection to the current revision.
func (s *Service) WithdrawObjection(ctx context.Context, actor *app.User, id int64) error {
	it, err := s.itemToDecide(ctx, actor, id)
	if err != nil {
		return err
	}
	noObjection := app.Errorf(app.EINVALID, "agenda.no_objection")
	if d := it.StandingFor(actor.SideID); d == nil || d.Kind != Object {
		return noObjection
	}
	return s.write(ctx, func(tx wtx) error {
		cur, err := tx.itemForUpdate(id)
		if err != nil {
			return err
		}
		if cur.Status != StatusProposed {
			return app.Errorf(app.EINVALID, "agenda.not_in_this_state")
		}
		withdrawn, err := tx.WithdrawDecision(actor, cur.ref(), cur.Revision, Object,
			itemAudit(cur, "agenda.objection_withdraw", map[string]any{"side": actor.Side.Code, "revision": cur.Revision}))
		if err == nil && !withdrawn {
			return noObjection // withdrawn meanwhile, or the text changed
		}
		return err
	})
}

// WithdrawItem withdraws an item before it is scheduled (proposing side only).
func (s *Service) WithdrawItem(ctx context.Context, actor *app.User, id, version int64) error {
	it, err := s.editableItem(ctx, actor, id)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("agenda_items", id, version, map[string]any{"status": StatusWithdrawn}); err != nil {
			return err
		}
		return tx.Audit(actor, itemAudit(it, "agenda.withdraw", map[string]any{"status": []any{string(it.Status), "withdrawn"}}))
	})
}

// SetTranslation saves the title and description in the other language,
// marked with its translator and the revision it translates; version is the
// translation's (0 for the first one).
func (s *Service) SetTranslation(ctx context.Context, actor *app.User, id, version int64, title, description string) error {
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return err
	}
	if !app.CanWrite(actor) {
		return app.ErrForbidden
	}
	if !canTranslate(actor, it) {
		return app.Errorf(app.EINVALID, "agenda.not_in_this_state")
	}
	return s.core.SetTranslation(ctx, actor, it.ref(), app.TranslationInput{Language: it.TranslationLanguage(),
		Title: title, Body: description, Version: version, Action: "agenda.translate"})
}

// HistoryView is an item's history page.
type HistoryView struct {
	Item    *Item
	Records app.PageOf[app.AuditRecord]
}

// ItemHistory returns an item (by its opaque identifier) and one page of its
// audit records on the chains the actor may see (page 0: the newest), in
// three queries.
func (s *Service) ItemHistory(ctx context.Context, actor *app.User, publicID string, page int) (*HistoryView, error) {
	it, err := s.itemOnly(ctx, actor, "public_id", publicID)
	if err != nil {
		return nil, err
	}
	recs, err := s.core.HistoryOf(ctx, actor, itemRecord(actor, it), page)
	if err != nil {
		return nil, err
	}
	return &HistoryView{Item: it, Records: recs}, nil
}

// ItemAmendments returns an item (by its opaque identifier) and a page of
// its amendments, newest first, counted up to CountCap+1: three queries.
func (s *Service) ItemAmendments(ctx context.Context, actor *app.User, publicID string, page int) (*Item, app.PageOf[Amendment], error) {
	out := app.PageOf[Amendment]{Page: app.Page{Number: min(page, MaxListPage)}.Normalize()}
	it, err := s.itemOnly(ctx, actor, "public_id", publicID)
	if err != nil {
		return nil, out, err
	}
	if out.Total, err = s.st.countAmendments(ctx, it.ID); err != nil {
		return nil, out, err
	}
	out.Items, err = s.st.amendments(ctx, it.ID, out.Page.Offset(), out.Page.Size)
	return it, out, err
}

// RevisionsView is a page of an item's revisions (newest first, without
// their text), two of them with their text to compare, and the decisions
// given on the page's revisions.
type RevisionsView struct {
	Item      *Item
	Revisions app.PageOf[app.Revision]
	// From and To are the revisions compared (nil when there is one revision).
	From, To *app.Revision
	// Decisions given on the page's revisions, newest first: at most
	// DecisionsShown; MoreDecisions says that there are others (the
	// history has them all).
	Decisions     []app.Decision
	MoreDecisions bool
}

// RevisionsPageSize is how many revisions a page of them lists.
const RevisionsPageSize = 50

// DecisionsShown is how many decisions the revisions page shows at most.
const DecisionsShown = 100

// ItemRevisions returns an item (by its opaque identifier), a page of its
// revisions, the two compared (from and to: 0 for the last two) and the
// decisions given on the page's revisions: four queries, however many
// revisions and decisions the item has.
func (s *Service) ItemRevisions(ctx context.Context, actor *app.User, publicID string, page, from, to int) (*RevisionsView, error) {
	it, err := s.itemOnly(ctx, actor, "public_id", publicID)
	if err != nil {
		return nil, err
	}
	rec := itemRecord(actor, it)
	v := &RevisionsView{Item: it}
	if v.Revisions, err = s.core.RevisionPageOf(ctx, actor, rec, app.Page{Number: page, Size: RevisionsPageSize}); err != nil {
		return nil, err
	}
	// The same statements whatever the item holds: the two compared (the
	// last two unless chosen) and the decisions on the page's revisions.
	n := it.Revision
	if from < 1 || from > n {
		from = max(n-1, 1)
	}
	if to < 1 || to > n {
		to = n
	}
	both, err := s.core.RevisionsNumberedOf(ctx, actor, rec, from, to)
	if err != nil {
		return nil, err
	}
	for i := range both {
		if n > 1 && both[i].Number == from {
			v.From = &both[i]
		}
		if n > 1 && both[i].Number == to {
			v.To = &both[i]
		}
	}
	hi := n - v.Revisions.Page.Offset()
	v.Decisions, err = s.core.DecisionsOnOf(ctx, actor, rec, hi-v.Revisions.Page.Size+1, hi, DecisionsShown+1)
	if err != nil {
		return nil, err
	}
	if len(v.Decisions) > DecisionsShown {
		v.Decisions, v.MoreDecisions = v.Decisions[:DecisionsShown], true
	}
	return v, nil
}

// Attention is what the dashboard shows a person.
type Attention struct {
	Awaiting  []Item // heads: tabled items awaiting their delegation's decision
	Drafts    []Item // their side's drafts
	Contested []Item // tabled items with a standing objection
}

// attentionLimit caps each dashboard list; the agenda page has the rest.
const attentionLimit = 20

// The dashboard's lists of items.
const (
	attentionAwaiting  = "a"
	attentionDraft     = "d"
	attentionContested = "c"
)

// cmpTime orders optional times, an unset one first.
func cmpTime(x, y *time.Time) int {
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		return -1
	case y == nil:
		return 1
	}
	return x.Compare(*y)
}

// Attention gathers what needs the actor's attention.
func (s *Service) Attention(ctx context.Context, actor *app.User) (Attention, error) {
	var a Attention
	var err error
	if actor == nil {
		return a, app.ErrNotFound
	}
	// Which items go in which list (one query), then the items (one more).
	groups, err := s.st.attentionGroups(ctx, actor, canDecide(actor), actor.InternalSideID(), attentionLimit)
	if err != nil || len(groups) == 0 {
		return a, err
	}
	ids := make([]int64, 0, len(groups))
	for id := range groups {
		ids = append(ids, id)
	}
	items, err := s.st.itemsByID(ctx, actor, ids)
	if err != nil {
		return a, err
	}
	for _, it := range items {
		for _, g := range groups[it.ID] {
			switch g {
			case attentionAwaiting:
				a.Awaiting = append(a.Awaiting, it)
			case attentionDraft:
				a.Drafts = append(a.Drafts, it)
			case attentionContested:
				a.Contested = append(a.Contested, it)
			}
		}
	}
	// Each list in its own order: awaiting, oldest tabled first; the others, newest first.
	slices.SortFunc(a.Awaiting, func(x, y Item) int {
		if c := cmpTime(x.TabledAt, y.TabledAt); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	newest := func(x, y Item) int {
		if c := y.UpdatedAt.Compare(x.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(y.ID, x.ID)
	}
	slices.SortFunc(a.Drafts, newest)
	slices.SortFunc(a.Contested, newest)
	return a, nil
}

// IndexMissing indexes for search, in batches, the items written before
// search existed (and their translations); it costs one query when there
// are none. The server runs it when it starts.
func (s *Service) IndexMissing(ctx context.Context) (int, error) {
	done := 0
	for {
		ids, err := s.core.Unindexed(ctx, KindItem, "agenda_items", bulkBatch)
		if err != nil || len(ids) == 0 {
			return done, err
		}
		items, err := s.st.itemsForIndex(ctx, ids)
		if err != nil {
			return done, err
		}
		err = s.write(ctx, func(tx wtx) error {
			for _, it := range items {
				if err := tx.IndexText(it.ref(), app.SearchText, it.Title, it.Description); err != nil {
					return err
				}
				if tr := it.Translation; tr != nil {
					if err := tx.IndexText(it.ref(), app.SearchTranslation, tr.Title, tr.Body); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += len(items)
	}
}

// MoveItem changes a tabled item's status inside another feature's write
// transaction — a meeting schedules an adopted item, closes it or returns it
// to adopted — if the item is now in one of from, and audits the change on
// the item. It reports whether the item moved.
func (s *Service) MoveItem(tx *app.Tx, actor *app.User, itemID int64, from []Status, to Status, why map[string]any) (bool, error) {
	w := wtx{tx}
	it, err := w.itemForUpdate(itemID)
	if app.ErrorCode(app.DBErr(err)) == app.ENOTFOUND || (err == nil && !it.Tabled()) {
		return false, nil // a draft is as unknown to a meeting as a missing item
	}
	if err != nil {
		return false, err
	}
	moved, err := w.moveStatus(itemID, from, to)
	if err != nil || !moved {
		return false, err
	}
	ch := map[string]any{"status": []any{string(it.Status), string(to)}}
	for k, v := range why {
		ch[k] = v
	}
	return true, tx.Audit(actor, itemAudit(it, "agenda.status", ch))
}

// Adopted lists the adopted items the actor may see (at most limit), by
// title, in one query: those a meeting's agenda may take.
func (s *Service) Adopted(ctx context.Context, actor *app.User, limit int) ([]Item, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	return s.st.adopted(ctx, actor, limit)
}
