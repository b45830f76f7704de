package agenda

import (
	"context"
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

// Core is the core service the agenda works on.
func (s *Service) Core() *app.Service { return s.core }

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
	it, err := o.s.GetItem(ctx, actor, id)
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

// Agenda items: delegates propose what the working group discusses; nothing
// is adopted unless every delegation's head concurs on the exact text.

// Status is where an agenda item is in its life.
type Status string

const (
	StatusDraft     Status = "draft"     // internal to the proposing side
	StatusProposed  Status = "proposed"  // tabled: shared with every side
	StatusAdopted   Status = "adopted"   // every delegation concurred on the current revision
	StatusWithdrawn Status = "withdrawn" // withdrawn by the proposing side
	StatusScheduled Status = "scheduled" // on a meeting's agenda (set by meetings)
	StatusClosed    Status = "closed"    // dealt with (set by meetings)
)

// Statuses lists every status in display order.
var Statuses = []Status{StatusDraft, StatusProposed, StatusAdopted, StatusScheduled, StatusClosed, StatusWithdrawn}

// The agenda's kinds of decision, on the exact revision of an item.
const (
	Concur app.DecisionKind = "concur"
	Object app.DecisionKind = "object"
)

// Limits of an agenda item's fields.
const (
	MaxTitleLen       = 200
	MaxDescriptionLen = 20000
	MaxReasonLen      = 2000
	MaxDuration       = 600
)

// Category groups agenda items. The list is editable by the secretariat.
type Category struct {
	ID        int64
	PublicID  string
	NameEN    string
	NameZH    string
	Position  int
	Archived  bool
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Name returns the category's name in a language.
func (c *Category) Name(lang string) string {
	if c == nil {
		return ""
	}
	if lang == "zh" && c.NameZH != "" {
		return c.NameZH
	}
	return c.NameEN
}

// Item is a proposed subject for the working group.
type Item struct {
	ID              int64
	PublicID        string
	SideID          int64 // the proposing side
	Side            *app.Side
	AuthorID        int64
	Author          *app.User
	CategoryID      int64
	Category        *Category
	Status          Status
	Title           string
	Description     string // Markdown
	Language        string // the language of the original text
	DurationMinutes int
	Revision        int // the current revision of the shared text
	TabledAt        *time.Time
	Version         int64
	CreatedAt       time.Time
	UpdatedAt       time.Time

	// Decisions standing on the current revision (filled by the service).
	Standing app.Standing `gorm:"-"`
	// Translation is the text in the other language, or nil (filled by GetItem).
	Translation *app.Translation `gorm:"-"`
	// Parties are the delegations whose concurrence the item needs: those
	// that existed when it was tabled (filled by GetItem).
	Parties []int64 `gorm:"-"`
}

// IsParty reports whether a side's concurrence is needed for the item.
func (it *Item) IsParty(sideID int64) bool {
	for _, id := range it.Parties {
		if id == sideID {
			return true
		}
	}
	return false
}

// Tabled reports whether the item was ever tabled (shared with every side).
func (it *Item) Tabled() bool { return it.TabledAt != nil }

// Visibility is internal until the item is tabled, shared from then on. A
// draft withdrawn before tabling stays internal to its side for ever.
func (it *Item) Visibility() app.Visibility {
	if !it.Tabled() {
		return app.Internal
	}
	return app.Shared
}

// HasTranslation reports whether the item has a translation.
func (it *Item) HasTranslation() bool { return it.Translation != nil }

// TranslationLanguage is the language of the translation: the other one.
func (it *Item) TranslationLanguage() string {
	if it.Language == "zh" {
		return "en"
	}
	return "zh"
}

// Contested reports whether a delegation objects to the current revision.
func (it *Item) Contested() bool { return it.Standing.Any(Object) }

// StandingFor returns the decision a side has standing on the current revision.
func (it *Item) StandingFor(sideID int64) *app.Decision { return it.Standing.For(sideID) }

// ref is the item's reference for the record parts.
func (it *Item) ref() app.Ref { return app.Ref{Kind: KindItem, ID: it.ID} }

// Amendment is a proposed new text for a tabled item.
type Amendment struct {
	ID             int64
	PublicID       string
	ItemID         int64
	SideID         int64
	Side           *app.Side
	AuthorID       int64
	Author         *app.User
	BaseRevision   int
	Title          string
	Description    string
	Rationale      string
	Status         string // open, accepted, declined
	DecidedBy      *int64
	Decider        *app.User `gorm:"foreignKey:DecidedBy"`
	DecisionReason string
	DecidedAt      *time.Time
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Amendment statuses.
const (
	AmendmentOpen      = "open"
	AmendmentAccepted  = "accepted"
	AmendmentDeclined  = "declined"
	AmendmentWithdrawn = "withdrawn" // by its author
)

// ItemInput is what a person fills in for an agenda item.
type ItemInput struct {
	Title           string
	Description     string
	CategoryID      int64
	DurationMinutes int
	Language        string
}

// ItemFilter narrows the agenda list.
type ItemFilter struct {
	Status     Status // "" for all
	SideID     int64
	CategoryID int64
	Text       string
	Sort       string // "updated" (default), "title", "created", "duration"
	Page       app.Page
}

// ItemList is one page of the agenda and the counts per status.
type ItemList struct {
	app.PageOf[Item]
	Counts map[Status]int64
}

// ---- policy for agenda items -------------------------------------------

// canProposeItems: delegates and heads of delegations; the secretariat for
// procedural items on its own side. Never observers.
func canProposeItems(actor *app.User) bool {
	if !app.CanWrite(actor) || actor.Side == nil {
		return false
	}
	if actor.Side.Kind == app.KindSecretariat {
		return actor.Role == app.RoleSecretariat
	}
	return actor.Role == app.RoleHead || actor.Role == app.RoleDelegate
}

// canSeeItem: an item never tabled only inside the proposing side; anything
// tabled by all. (The SQL twin is visibleItems.)
func canSeeItem(actor *app.User, it *Item) bool {
	return app.CanSee(actor, it.Tabled(), it.SideID)
}

// canEditItem: the proposing side's writers, while the item is open.
func canEditItem(actor *app.User, it *Item) bool {
	return canProposeItems(actor) && actor.SideID == it.SideID &&
		(it.Status == StatusDraft || it.Status == StatusProposed || it.Status == StatusAdopted)
}

// canDecide: only a head, only for their own delegation.
func canDecide(actor *app.User) bool {
	return app.CanWrite(actor) && actor.Role == app.RoleHead && actor.Side != nil && actor.Side.IsDelegation()
}

// canAmend: delegates and heads of either delegation.
func canAmend(actor *app.User) bool {
	return app.CanWrite(actor) && actor.Side != nil && actor.Side.IsDelegation() &&
		(actor.Role == app.RoleHead || actor.Role == app.RoleDelegate)
}

// canDecideText: only the proposing side decides its item's text — its head,
// or for the secretariat's procedural items a member of the secretariat.
func canDecideText(actor *app.User, it *Item) bool {
	if !app.CanWrite(actor) || actor.Side == nil || actor.SideID != it.SideID {
		return false
	}
	if actor.Side.Kind == app.KindSecretariat {
		return actor.Role == app.RoleSecretariat
	}
	return actor.Role == app.RoleHead
}

// canWithdrawAmendment: the amendment's author, while they may still amend.
func canWithdrawAmendment(actor *app.User, a *Amendment) bool {
	return canAmend(actor) && actor.ID == a.AuthorID
}

// canTranslate: anyone who may write and see the item (the secretariat
// often translates); drafts only inside the proposing side.
func canTranslate(actor *app.User, it *Item) bool {
	return app.CanWrite(actor) && canSeeItem(actor, it) && it.Status != StatusWithdrawn && it.Status != StatusClosed
}

// canManageCategories: the secretariat and administrators.
func canManageCategories(actor *app.User) bool {
	return actor != nil && (actor.Admin || actor.Role == app.RoleSecretariat)
}

// CanProposeItems tells views whether to offer "new item".
func CanProposeItems(actor *app.User) bool { return canProposeItems(actor) }

// CanManageCategories tells views whether to offer the category forms.
func CanManageCategories(actor *app.User) bool { return canManageCategories(actor) }

// ItemPermissions tells views which actions to offer; the service checks again.
type ItemPermissions struct {
	Edit, Table, Withdraw, Decide, Amend, Comment, Translate bool
}

// PermissionsOn returns what the actor may do with an item now.
func PermissionsOn(actor *app.User, it *Item) ItemPermissions {
	open := it.Status == StatusProposed || it.Status == StatusAdopted
	return ItemPermissions{
		Edit:      canEditItem(actor, it),
		Table:     it.Status == StatusDraft && canEditItem(actor, it),
		Withdraw:  canEditItem(actor, it),
		Decide:    it.Status == StatusProposed && canDecide(actor) && it.IsParty(actor.SideID),
		Amend:     open && canAmend(actor),
		Comment:   app.CanWrite(actor) && canSeeItem(actor, it),
		Translate: canTranslate(actor, it),
	}
}

// ---- validation ----------------------------------------------------------

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

// ---- categories ------------------------------------------------------------

// Categories lists the categories in display order; archived ones only on request.
func (s *Service) Categories(ctx context.Context, actor *app.User, withArchived bool) ([]Category, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	return s.st.categories(ctx, withArchived)
}

// CategoryInput is the category form.
type CategoryInput struct {
	NameEN, NameZH string
	Position       int
	Archived       bool
}

func (in *CategoryInput) validate() error {
	in.NameEN, in.NameZH = app.CleanText(in.NameEN), app.CleanText(in.NameZH)
	v := app.Validation{}
	app.CheckText(v, "name_en", in.NameEN, 100, true)
	app.CheckText(v, "name_zh", in.NameZH, 100, true)
	return v.Err()
}

// CreateCategory adds a category (secretariat and administrators). Everyone
// sees the list, so others are refused rather than told it is not there.
func (s *Service) CreateCategory(ctx context.Context, actor *app.User, in CategoryInput) (*Category, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	if !canManageCategories(actor) {
		return nil, app.ErrForbidden
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.core.Clock()
	c := &Category{NameEN: in.NameEN, NameZH: in.NameZH, Position: in.Position, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.write(ctx, func(tx wtx) error {
		if err := tx.createCategory(c); err != nil {
			return err
		}
		return tx.Audit(actor, app.Audit{Action: "category.create", ObjectType: "category", ObjectID: c.ID, Visibility: app.Shared,
			Changes: map[string]any{"name_en": c.NameEN, "name_zh": c.NameZH, "position": c.Position}})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateCategory renames, reorders or archives a category.
func (s *Service) UpdateCategory(ctx context.Context, actor *app.User, id, version int64, in CategoryInput) error {
	if actor == nil {
		return app.ErrNotFound
	}
	c, err := s.st.categoryByID(ctx, id)
	if err != nil {
		return err
	}
	if !canManageCategories(actor) {
		return app.ErrForbidden
	}
	if err := in.validate(); err != nil {
		return err
	}
	ch := map[string]any{}
	app.Diff(ch, "name_en", c.NameEN, in.NameEN)
	app.Diff(ch, "name_zh", c.NameZH, in.NameZH)
	app.Diff(ch, "position", c.Position, in.Position)
	app.Diff(ch, "archived", c.Archived, in.Archived)
	if len(ch) == 0 {
		return nil
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("categories", id, version, map[string]any{"name_en": in.NameEN,
			"name_zh": in.NameZH, "position": in.Position, "archived": in.Archived}); err != nil {
			return err
		}
		return tx.Audit(actor, app.Audit{Action: "category.update", ObjectType: "category", ObjectID: id, Visibility: app.Shared, Changes: ch})
	})
}

// ---- items -----------------------------------------------------------------

// itemAudit records a change to an item on the chain its visibility calls for.
func itemAudit(it *Item, action string, changes map[string]any) app.Audit {
	return app.Audit{Action: action, ObjectType: "agenda_item", ObjectID: it.ID, Visibility: it.Visibility(),
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

// GetItem returns an item the actor may see, with the decisions standing on
// its current revision. Anything else is not found.
func (s *Service) GetItem(ctx context.Context, actor *app.User, id int64) (*Item, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	it, err := s.st.itemByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := s.fillStanding(ctx, []*Item{it}); err != nil {
		return nil, err
	}
	if it.Tabled() {
		if it.Parties, err = s.core.PartiesOf(ctx, it.ref()); err != nil {
			return nil, err
		}
	}
	trs, err := s.core.TranslationsOf(ctx, KindItem, []int64{it.ID})
	if err != nil {
		return nil, err
	}
	it.Translation = trs[it.ID]
	return it, nil
}

// fillStanding fills the decisions standing on each item's current revision.
func (s *Service) fillStanding(ctx context.Context, items []*Item) error {
	current := make(map[int64]int, len(items))
	for _, it := range items {
		current[it.ID] = it.Revision
	}
	standing, err := s.core.StandingOn(ctx, KindItem, current)
	if err != nil {
		return err
	}
	for _, it := range items {
		it.Standing = standing[it.ID]
	}
	return nil
}

// fillStandingOf fills the standing decisions of a slice of items.
func (s *Service) fillStandingOf(ctx context.Context, items []Item) error {
	ptrs := make([]*Item, len(items))
	for i := range items {
		ptrs[i] = &items[i]
	}
	return s.fillStanding(ctx, ptrs)
}

// ItemView is everything an item's page shows.
type ItemView struct {
	Item       *Item
	Amendments []Amendment
	Comments   []app.Comment
}

// ItemView loads an item, its amendments and its thread as the actor may
// see them, checking visibility once.
func (s *Service) ItemView(ctx context.Context, actor *app.User, id int64) (*ItemView, error) {
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	v := &ItemView{Item: it}
	if v.Amendments, err = s.st.amendments(ctx, id); err != nil {
		return nil, err
	}
	if v.Comments, err = s.core.ThreadOf(ctx, actor, itemRecord(actor, it)); err != nil {
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
	f.Text = strings.TrimSpace(f.Text)
	list, err := s.st.listItems(ctx, actor, f)
	if err != nil {
		return list, err
	}
	return list, s.fillStandingOf(ctx, list.Items)
}

// UpdateItem edits an item. On a tabled item a change of title or
// description makes a new revision, which voids the decisions given on
// earlier ones; an adopted item goes back to proposed.
func (s *Service) UpdateItem(ctx context.Context, actor *app.User, id, version int64, in ItemInput) (*Item, error) {
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !canEditItem(actor, it) {
		return nil, s.refusal(actor, it)
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
		return tx.Audit(actor, itemAudit(it, action, ch))
	})
	if err != nil {
		return nil, err
	}
	return s.GetItem(ctx, actor, id)
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
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canEditItem(actor, it) {
		return s.refusal(actor, it)
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
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canEditItem(actor, it) {
		return s.refusal(actor, it)
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

// Revisions lists a tabled item's revisions, oldest first.
func (s *Service) Revisions(ctx context.Context, actor *app.User, id int64) ([]app.Revision, error) {
	return s.core.Revisions(ctx, actor, app.Ref{Kind: KindItem, ID: id})
}

// Decisions lists every decision ever given on an item, voided ones included.
func (s *Service) Decisions(ctx context.Context, actor *app.User, id int64) ([]app.Decision, error) {
	return s.core.Decisions(ctx, actor, app.Ref{Kind: KindItem, ID: id})
}

// ItemHistory returns the item's audit records on the chains the actor may see.
func (s *Service) ItemHistory(ctx context.Context, actor *app.User, id int64) ([]app.AuditRecord, error) {
	_, recs, err := s.core.History(ctx, actor, app.Ref{Kind: KindItem, ID: id})
	return recs, err
}

// Attention is what the dashboard shows a person.
type Attention struct {
	Awaiting  []Item // heads: tabled items awaiting their delegation's decision
	Drafts    []Item // their side's drafts
	Contested []Item // tabled items with a standing objection
}

// attentionLimit caps each dashboard list; the agenda page has the rest.
const attentionLimit = 20

// Attention gathers what needs the actor's attention.
func (s *Service) Attention(ctx context.Context, actor *app.User) (Attention, error) {
	var a Attention
	var err error
	if actor == nil {
		return a, app.ErrNotFound
	}
	if canDecide(actor) {
		if a.Awaiting, err = s.st.awaitingDecision(ctx, actor, attentionLimit); err != nil {
			return a, err
		}
	}
	if side := actor.InternalSideID(); side != 0 {
		if a.Drafts, err = s.st.itemsWhere(ctx, actor, side, []Status{StatusDraft}, attentionLimit); err != nil {
			return a, err
		}
	}
	if a.Contested, err = s.st.contestedItems(ctx, actor, attentionLimit); err != nil {
		return a, err
	}
	var all []*Item // the decisions of all three lists, in one go
	for _, list := range [][]Item{a.Awaiting, a.Drafts, a.Contested} {
		for i := range list {
			all = append(all, &list[i])
		}
	}
	return a, s.fillStanding(ctx, all)
}

// ---- amendments --------------------------------------------------------------

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

// Amendments lists an item's amendments, newest first.
func (s *Service) Amendments(ctx context.Context, actor *app.User, itemID int64) ([]Amendment, error) {
	if _, err := s.GetItem(ctx, actor, itemID); err != nil {
		return nil, err
	}
	return s.st.amendments(ctx, itemID)
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

// AmendmentPermissions tells views which actions to offer on an amendment;
// the service checks again.
type AmendmentPermissions struct {
	Accept, Decline, Withdraw bool
	Stale                     bool // written against an earlier revision than the current one
}

// PermissionsOnAmendment returns what the actor may do with an amendment now.
func PermissionsOnAmendment(actor *app.User, it *Item, a *Amendment) AmendmentPermissions {
	open := a.Status == AmendmentOpen && (it.Status == StatusProposed || it.Status == StatusAdopted)
	stale := a.BaseRevision != it.Revision
	return AmendmentPermissions{
		Accept:   open && !stale && canDecideText(actor, it),
		Decline:  open && canDecideText(actor, it),
		Withdraw: open && canWithdrawAmendment(actor, a),
		Stale:    a.Status == AmendmentOpen && stale,
	}
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
