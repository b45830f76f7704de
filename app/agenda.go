package app

import (
	"context"
	"strings"
	"time"
)

// Agenda items: delegates propose what the working group discusses; nothing
// is adopted unless every delegation's head concurs on the exact text.

// ItemStatus is where an agenda item is in its life.
type ItemStatus string

const (
	StatusDraft     ItemStatus = "draft"     // internal to the proposing side
	StatusProposed  ItemStatus = "proposed"  // tabled: shared with every side
	StatusAdopted   ItemStatus = "adopted"   // every delegation concurred on the current revision
	StatusWithdrawn ItemStatus = "withdrawn" // withdrawn by the proposing side
	StatusScheduled ItemStatus = "scheduled" // on a meeting's agenda (set by meetings)
	StatusClosed    ItemStatus = "closed"    // dealt with (set by meetings)
)

// ItemStatuses lists every status in display order.
var ItemStatuses = []ItemStatus{StatusDraft, StatusProposed, StatusAdopted, StatusScheduled, StatusClosed, StatusWithdrawn}

// Decision kinds.
const (
	Concur = "concur"
	Object = "object"
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

// AgendaItem is a proposed subject for the working group.
type AgendaItem struct {
	ID              int64
	PublicID        string
	SideID          int64 // the proposing side
	Side            *Side
	AuthorID        int64
	Author          *User
	CategoryID      int64
	Category        *Category
	Status          ItemStatus
	Title           string
	Description     string // Markdown
	Language        string // the language of the original text
	DurationMinutes int
	Revision        int // the current revision of the shared text
	TrTitle         string
	TrDescription   string
	TrAuthorID      *int64
	TrAuthor        *User
	TrRevision      int // the revision the translation was made from
	TabledAt        *time.Time
	Version         int64
	CreatedAt       time.Time
	UpdatedAt       time.Time

	// Decisions standing on the current revision (filled by the service).
	Standing []Decision `gorm:"-"`
	// Parties are the delegations whose concurrence the item needs: those
	// that existed when it was tabled (filled by GetItem).
	Parties []int64 `gorm:"-"`
}

// IsParty reports whether a side's concurrence is needed for the item.
func (it *AgendaItem) IsParty(sideID int64) bool {
	for _, id := range it.Parties {
		if id == sideID {
			return true
		}
	}
	return false
}

// Tabled reports whether the item was ever tabled (shared with every side).
func (it *AgendaItem) Tabled() bool { return it.TabledAt != nil }

// Visibility is internal until the item is tabled, shared from then on. A
// draft withdrawn before tabling stays internal to its side for ever.
func (it *AgendaItem) Visibility() Visibility {
	if !it.Tabled() {
		return Internal
	}
	return Shared
}

// HasTranslation reports whether the item has a translation.
func (it *AgendaItem) HasTranslation() bool { return it.TrTitle != "" || it.TrDescription != "" }

// TranslationLanguage is the language of the translation: the other one.
func (it *AgendaItem) TranslationLanguage() string {
	if it.Language == "zh" {
		return "en"
	}
	return "zh"
}

// Contested reports whether a delegation objects to the current revision.
func (it *AgendaItem) Contested() bool {
	for _, d := range it.Standing {
		if d.Kind == Object {
			return true
		}
	}
	return false
}

// StandingFor returns the decision a side has standing on the current revision.
func (it *AgendaItem) StandingFor(sideID int64) *Decision {
	for i := range it.Standing {
		if it.Standing[i].SideID == sideID {
			return &it.Standing[i]
		}
	}
	return nil
}

// Revision is one version of a tabled item's shared text.
type Revision struct {
	ID          int64
	ItemID      int64
	Number      int
	Title       string
	Description string
	AuthorID    int64
	Author      *User
	AmendmentID *int64
	CreatedAt   time.Time
}

// Decision is a head's concurrence or objection for their delegation.
type Decision struct {
	ID          int64
	ItemID      int64
	SideID      int64
	Side        *Side
	Revision    int
	Kind        string
	Reason      string
	UserID      int64
	User        *User
	CreatedAt   time.Time
	WithdrawnAt *time.Time
}

// Amendment is a proposed new text for a tabled item.
type Amendment struct {
	ID             int64
	PublicID       string
	ItemID         int64
	SideID         int64
	Side           *Side
	AuthorID       int64
	Author         *User
	BaseRevision   int
	Title          string
	Description    string
	Rationale      string
	Status         string // open, accepted, declined
	DecidedBy      *int64
	Decider        *User `gorm:"foreignKey:DecidedBy"`
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
	Status     ItemStatus // "" for all
	SideID     int64
	CategoryID int64
	Text       string
	Sort       string // "updated" (default), "title", "created", "duration"
	Page       Page
}

// ItemList is one page of the agenda and the counts per status.
type ItemList struct {
	PageOf[AgendaItem]
	Counts map[ItemStatus]int64
}

// ---- policy for agenda items -------------------------------------------

// canProposeItems: delegates and heads of delegations; the secretariat for
// procedural items on its own side. Never observers.
func canProposeItems(actor *User) bool {
	if !canWrite(actor) || actor.Side == nil {
		return false
	}
	if actor.Side.Kind == KindSecretariat {
		return actor.Role == RoleSecretariat
	}
	return actor.Role == RoleHead || actor.Role == RoleDelegate
}

// canSeeItem: an item never tabled only inside the proposing side; anything
// tabled by all. (The SQL twin is visibleItems.)
func canSeeItem(actor *User, it *AgendaItem) bool {
	return actor != nil && (it.Tabled() || it.SideID == actor.InternalSideID())
}

// canEditItem: the proposing side's writers, while the item is open.
func canEditItem(actor *User, it *AgendaItem) bool {
	return canProposeItems(actor) && actor.SideID == it.SideID &&
		(it.Status == StatusDraft || it.Status == StatusProposed || it.Status == StatusAdopted)
}

// canDecide: only a head, only for their own delegation.
func canDecide(actor *User) bool {
	return canWrite(actor) && actor.Role == RoleHead && actor.Side != nil && actor.Side.IsDelegation()
}

// canAmend: delegates and heads of either delegation.
func canAmend(actor *User) bool {
	return canWrite(actor) && actor.Side != nil && actor.Side.IsDelegation() &&
		(actor.Role == RoleHead || actor.Role == RoleDelegate)
}

// canDecideText: only the proposing side decides its item's text — its head,
// or for the secretariat's procedural items a member of the secretariat.
func canDecideText(actor *User, it *AgendaItem) bool {
	if !canWrite(actor) || actor.Side == nil || actor.SideID != it.SideID {
		return false
	}
	if actor.Side.Kind == KindSecretariat {
		return actor.Role == RoleSecretariat
	}
	return actor.Role == RoleHead
}

// canWithdrawAmendment: the amendment's author, while they may still amend.
func canWithdrawAmendment(actor *User, a *Amendment) bool {
	return canAmend(actor) && actor.ID == a.AuthorID
}

// canTranslate: anyone who may write and see the item (the secretariat
// often translates); drafts only inside the proposing side.
func canTranslate(actor *User, it *AgendaItem) bool {
	return canWrite(actor) && canSeeItem(actor, it) && it.Status != StatusWithdrawn && it.Status != StatusClosed
}

// canManageCategories: the secretariat and administrators.
func canManageCategories(actor *User) bool {
	return actor != nil && (actor.Admin || actor.Role == RoleSecretariat)
}

// CanProposeItems tells views whether to offer "new item".
func CanProposeItems(actor *User) bool { return canProposeItems(actor) }

// CanManageCategories tells views whether to offer the category forms.
func CanManageCategories(actor *User) bool { return canManageCategories(actor) }

// ItemPermissions tells views which actions to offer; the service checks again.
type ItemPermissions struct {
	Edit, Table, Withdraw, Decide, Amend, Comment, Translate bool
}

// PermissionsOn returns what the actor may do with an item now.
func PermissionsOn(actor *User, it *AgendaItem) ItemPermissions {
	open := it.Status == StatusProposed || it.Status == StatusAdopted
	return ItemPermissions{
		Edit:      canEditItem(actor, it),
		Table:     it.Status == StatusDraft && canEditItem(actor, it),
		Withdraw:  canEditItem(actor, it),
		Decide:    it.Status == StatusProposed && canDecide(actor) && it.IsParty(actor.SideID),
		Amend:     open && canAmend(actor),
		Comment:   canWrite(actor) && canSeeItem(actor, it),
		Translate: canTranslate(actor, it),
	}
}

// ---- validation ----------------------------------------------------------

// validateItem checks an item's fields and returns its category.
func (s *Service) validateItem(ctx context.Context, in *ItemInput, requireLanguage bool) (*Category, error) {
	in.Title = CleanText(in.Title)
	in.Description = CleanText(in.Description)
	v := Validation{}
	checkText(v, "title", in.Title, MaxTitleLen, true)
	checkText(v, "description", in.Description, MaxDescriptionLen, false)
	c, err := s.db.categoryByID(ctx, in.CategoryID)
	if err != nil || c.Archived {
		v.Add("category", "agenda.category_invalid")
	}
	if in.DurationMinutes < 5 || in.DurationMinutes > MaxDuration {
		v.Add("duration", "agenda.duration_invalid")
	}
	if requireLanguage && !ValidLanguage(in.Language) {
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

func checkReason(v Validation, field, reason string, required bool) {
	checkText(v, field, reason, MaxReasonLen, required)
}

// ---- categories ------------------------------------------------------------

// Categories lists the categories in display order; archived ones only on request.
func (s *Service) Categories(ctx context.Context, actor *User, withArchived bool) ([]Category, error) {
	if actor == nil {
		return nil, ErrNotFound
	}
	return s.db.categories(ctx, withArchived)
}

// CategoryInput is the category form.
type CategoryInput struct {
	NameEN, NameZH string
	Position       int
	Archived       bool
}

func (in *CategoryInput) validate() error {
	in.NameEN, in.NameZH = CleanText(in.NameEN), CleanText(in.NameZH)
	v := Validation{}
	checkText(v, "name_en", in.NameEN, 100, true)
	checkText(v, "name_zh", in.NameZH, 100, true)
	return v.Err()
}

// CreateCategory adds a category (secretariat and administrators). Everyone
// sees the list, so others are refused rather than told it is not there.
func (s *Service) CreateCategory(ctx context.Context, actor *User, in CategoryInput) (*Category, error) {
	if actor == nil {
		return nil, ErrNotFound
	}
	if !canManageCategories(actor) {
		return nil, ErrForbidden
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	c := &Category{NameEN: in.NameEN, NameZH: in.NameZH, Position: in.Position, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.write(ctx, func(tx *Tx) error {
		if err := tx.createCategory(c); err != nil {
			return err
		}
		return tx.audit(actor, Audit{Action: "category.create", ObjectType: "category", ObjectID: c.ID, Visibility: Shared,
			Changes: map[string]any{"name_en": c.NameEN, "name_zh": c.NameZH, "position": c.Position}})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateCategory renames, reorders or archives a category.
func (s *Service) UpdateCategory(ctx context.Context, actor *User, id, version int64, in CategoryInput) error {
	if actor == nil {
		return ErrNotFound
	}
	c, err := s.db.categoryByID(ctx, id)
	if err != nil {
		return err
	}
	if !canManageCategories(actor) {
		return ErrForbidden
	}
	if err := in.validate(); err != nil {
		return err
	}
	ch := map[string]any{}
	Diff(ch, "name_en", c.NameEN, in.NameEN)
	Diff(ch, "name_zh", c.NameZH, in.NameZH)
	Diff(ch, "position", c.Position, in.Position)
	Diff(ch, "archived", c.Archived, in.Archived)
	if len(ch) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.updateVersioned("categories", id, version, map[string]any{"name_en": in.NameEN,
			"name_zh": in.NameZH, "position": in.Position, "archived": in.Archived}); err != nil {
			return err
		}
		return tx.audit(actor, Audit{Action: "category.update", ObjectType: "category", ObjectID: id, Visibility: Shared, Changes: ch})
	})
}

// ---- items -----------------------------------------------------------------

// itemAudit records a change to an item on the chain its visibility calls for.
func itemAudit(it *AgendaItem, action string, changes map[string]any) Audit {
	return Audit{Action: action, ObjectType: "agenda_item", ObjectID: it.ID, Visibility: it.Visibility(),
		SideID: it.SideID, Changes: changes}
}

// CreateItem starts a draft on the actor's side.
func (s *Service) CreateItem(ctx context.Context, actor *User, in ItemInput) (*AgendaItem, error) {
	if !canProposeItems(actor) {
		return nil, ErrForbidden
	}
	if in.Language == "" {
		in.Language = actor.PreferredLanguage()
	}
	cat, err := s.validateItem(ctx, &in, true)
	if err != nil {
		return nil, err
	}
	now := s.now()
	it := &AgendaItem{SideID: actor.SideID, AuthorID: actor.ID, CategoryID: in.CategoryID, Status: StatusDraft,
		Title: in.Title, Description: in.Description, Language: in.Language, DurationMinutes: in.DurationMinutes,
		Revision: 1, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.write(ctx, func(tx *Tx) error {
		if err := tx.createItem(it); err != nil {
			return err
		}
		return tx.audit(actor, itemAudit(it, "agenda.create", map[string]any{"title": it.Title,
			"description": it.Description, "category": cat.Label(), "duration": it.DurationMinutes, "language": it.Language}))
	})
	if err != nil {
		return nil, err
	}
	return s.GetItem(ctx, actor, it.ID)
}

// GetItem returns an item the actor may see, with the decisions standing on
// its current revision. Anything else is not found.
func (s *Service) GetItem(ctx context.Context, actor *User, id int64) (*AgendaItem, error) {
	if actor == nil {
		return nil, ErrNotFound
	}
	it, err := s.db.itemByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := s.db.fillStanding(ctx, []*AgendaItem{it}); err != nil {
		return nil, err
	}
	if it.Tabled() {
		if it.Parties, err = s.db.itemParties(ctx, it.ID); err != nil {
			return nil, err
		}
	}
	return it, nil
}

// ItemView is everything an item's page shows.
type ItemView struct {
	Item       *AgendaItem
	Amendments []Amendment
	Comments   []Comment
}

// ItemView loads an item, its amendments and its thread as the actor may
// see them, checking visibility once.
func (s *Service) ItemView(ctx context.Context, actor *User, id int64) (*ItemView, error) {
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	v := &ItemView{Item: it}
	if v.Amendments, err = s.db.amendments(ctx, id); err != nil {
		return nil, err
	}
	if v.Comments, err = s.db.comments(ctx, actor, "agenda_item", id); err != nil {
		return nil, err
	}
	return v, nil
}

// ListItems lists the items the actor may see, with counts per status.
func (s *Service) ListItems(ctx context.Context, actor *User, f ItemFilter) (ItemList, error) {
	if actor == nil {
		return ItemList{}, ErrNotFound
	}
	f.Page = f.Page.Normalize()
	f.Text = strings.TrimSpace(f.Text)
	return s.db.listItems(ctx, actor, f)
}

// UpdateItem edits an item. On a tabled item a change of title or
// description makes a new revision, which voids the decisions given on
// earlier ones; an adopted item goes back to proposed.
func (s *Service) UpdateItem(ctx context.Context, actor *User, id, version int64, in ItemInput) (*AgendaItem, error) {
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
	Diff(ch, "title", it.Title, in.Title)
	Diff(ch, "description", it.Description, in.Description)
	Diff(ch, "category", it.Category.Label(), cat.Label())
	Diff(ch, "duration", it.DurationMinutes, in.DurationMinutes)
	if len(ch) == 0 {
		return it, nil
	}
	err = s.write(ctx, func(tx *Tx) error {
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
		if err := tx.updateVersioned("agenda_items", id, version, fields); err != nil {
			return err
		}
		if action == "agenda.revise" {
			if err := tx.createRevision(&Revision{ItemID: id, Number: it.Revision + 1, Title: in.Title,
				Description: in.Description, AuthorID: actor.ID, CreatedAt: tx.now}); err != nil {
				return err
			}
		}
		return tx.audit(actor, itemAudit(it, action, ch))
	})
	if err != nil {
		return nil, err
	}
	return s.GetItem(ctx, actor, id)
}

// refusal is the error for an action the actor may not take on an item they
// can see: forbidden for the wrong person, invalid for the wrong state.
func (s *Service) refusal(actor *User, it *AgendaItem) error {
	if actor.SideID == it.SideID && canProposeItems(actor) {
		return Errorf(EINVALID, "agenda.not_in_this_state")
	}
	return ErrForbidden
}

// TableItem shares a draft with every side: it becomes proposed, revision 1.
func (s *Service) TableItem(ctx context.Context, actor *User, id, version int64) error {
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canEditItem(actor, it) {
		return s.refusal(actor, it)
	}
	if it.Status != StatusDraft {
		return Errorf(EINVALID, "agenda.not_in_this_state")
	}
	return s.write(ctx, func(tx *Tx) error {
		// The version jumps by a random step, so that the version the other
		// sides see tells nothing of how often the draft was edited.
		if err := tx.updateVersioned("agenda_items", id, version, map[string]any{"status": StatusProposed,
			"tabled_at": tx.now, "revision": 1, "version": version + versionJump()}); err != nil {
			return err
		}
		if err := tx.fixParties(id); err != nil {
			return err
		}
		if err := tx.createRevision(&Revision{ItemID: id, Number: 1, Title: it.Title, Description: it.Description,
			AuthorID: actor.ID, CreatedAt: tx.now}); err != nil {
			return err
		}
		now := tx.now
		it.Status, it.TabledAt = StatusProposed, &now // the tabling and the text are shared from now on
		return tx.audit(actor, itemAudit(it, "agenda.table", map[string]any{"status": []any{"draft", "proposed"},
			"title": it.Title, "description": it.Description, "category": it.Category.Label(),
			"duration": it.DurationMinutes, "revision": 1}))
	})
}

// itemToDecide loads an item on which the actor, a head, may now decide.
func (s *Service) itemToDecide(ctx context.Context, actor *User, id int64) (*AgendaItem, error) {
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !canDecide(actor) {
		return nil, ErrForbidden
	}
	if it.Status != StatusProposed {
		return nil, Errorf(EINVALID, "agenda.not_in_this_state")
	}
	if !it.IsParty(actor.SideID) {
		return nil, Errorf(EFORBIDDEN, "agenda.not_a_party")
	}
	return it, nil
}

// Decide records the actor's delegation's concurrence or objection on the
// revision the head read. An objection needs a reason. When every
// delegation has concurred on the current revision the item is adopted —
// exactly once, as the single writer serialises concurrent decisions.
func (s *Service) Decide(ctx context.Context, actor *User, id int64, revision int, kind, reason string) error {
	it, err := s.itemToDecide(ctx, actor, id)
	if err != nil {
		return err
	}
	reason = CleanText(reason)
	v := Validation{}
	if kind != Concur && kind != Object {
		v.Add("decision", "agenda.decision_invalid")
	}
	checkReason(v, "reason", reason, kind == Object)
	if err := v.Err(); err != nil {
		return err
	}
	if revision != it.Revision {
		return Errorf(ECONFLICT, "agenda.revision_changed")
	}
	if d := it.StandingFor(actor.SideID); d != nil && d.Kind == kind {
		return Errorf(EINVALID, "agenda.already_decided")
	}
	return s.write(ctx, func(tx *Tx) error {
		cur, err := tx.itemForUpdate(id)
		if err != nil {
			return err
		}
		if cur.Revision != revision {
			return Errorf(ECONFLICT, "agenda.revision_changed")
		}
		if cur.Status != StatusProposed {
			return Errorf(EINVALID, "agenda.not_in_this_state")
		}
		standing, err := tx.standingKind(id, actor.SideID, revision)
		if err != nil {
			return err
		}
		if standing == kind {
			return Errorf(EINVALID, "agenda.already_decided")
		}
		if _, err := tx.withdrawStanding(id, actor.SideID, revision); err != nil {
			return err
		}
		d := &Decision{ItemID: id, SideID: actor.SideID, Revision: revision, Kind: kind, Reason: reason,
			UserID: actor.ID, CreatedAt: tx.now}
		if err := tx.createDecision(d); err != nil {
			return err
		}
		ch := map[string]any{"side": actor.Side.Code, "revision": revision}
		if reason != "" {
			ch["reason"] = reason
		}
		if err := tx.audit(actor, itemAudit(cur, "agenda."+kind, ch)); err != nil {
			return err
		}
		if kind != Concur {
			return nil
		}
		adopted, err := tx.adoptIfAllConcur(id, revision)
		if err != nil || !adopted {
			return err
		}
		return tx.audit(actor, itemAudit(cur, "agenda.adopt", map[string]any{"status": []any{"proposed", "adopted"},
			"revision": revision}))
	})
}

// WithdrawObjection lifts the actor's delegation's objection to the current revision.
func (s *Service) WithdrawObjection(ctx context.Context, actor *User, id int64) error {
	it, err := s.itemToDecide(ctx, actor, id)
	if err != nil {
		return err
	}
	noObjection := Errorf(EINVALID, "agenda.no_objection")
	if d := it.StandingFor(actor.SideID); d == nil || d.Kind != Object {
		return noObjection
	}
	return s.write(ctx, func(tx *Tx) error {
		cur, err := tx.itemForUpdate(id)
		if err != nil {
			return err
		}
		if cur.Status != StatusProposed {
			return Errorf(EINVALID, "agenda.not_in_this_state")
		}
		if kind, err := tx.standingKind(id, actor.SideID, cur.Revision); err != nil {
			return err
		} else if kind != Object {
			return noObjection // withdrawn meanwhile, or the text changed
		}
		if _, err := tx.withdrawStanding(id, actor.SideID, cur.Revision); err != nil {
			return err
		}
		return tx.audit(actor, itemAudit(cur, "agenda.objection_withdraw", map[string]any{"side": actor.Side.Code,
			"revision": cur.Revision}))
	})
}

// WithdrawItem withdraws an item before it is scheduled (proposing side only).
func (s *Service) WithdrawItem(ctx context.Context, actor *User, id, version int64) error {
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canEditItem(actor, it) {
		return s.refusal(actor, it)
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.updateVersioned("agenda_items", id, version, map[string]any{"status": StatusWithdrawn}); err != nil {
			return err
		}
		return tx.audit(actor, itemAudit(it, "agenda.withdraw", map[string]any{"status": []any{string(it.Status), "withdrawn"}}))
	})
}

// SetTranslation saves the title and description in the other language,
// marked with its translator and the revision it translates.
func (s *Service) SetTranslation(ctx context.Context, actor *User, id, version int64, title, description string) error {
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canWrite(actor) {
		return ErrForbidden
	}
	if !canTranslate(actor, it) {
		return Errorf(EINVALID, "agenda.not_in_this_state")
	}
	title, description = CleanText(title), CleanText(description)
	v := Validation{}
	checkText(v, "tr_title", title, MaxTitleLen, true)
	checkText(v, "tr_description", description, MaxDescriptionLen, false)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.updateVersioned("agenda_items", id, version, map[string]any{"tr_title": title,
			"tr_description": description, "tr_author_id": actor.ID, "tr_revision": it.Revision}); err != nil {
			return err
		}
		return tx.audit(actor, itemAudit(it, "agenda.translate", map[string]any{"language": it.TranslationLanguage(),
			"title": title, "description": description, "revision": it.Revision}))
	})
}

// Revisions lists a tabled item's revisions, oldest first.
func (s *Service) Revisions(ctx context.Context, actor *User, id int64) ([]Revision, error) {
	if _, err := s.GetItem(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.db.revisions(ctx, id)
}

// Decisions lists every decision ever given on an item, voided ones included.
func (s *Service) Decisions(ctx context.Context, actor *User, id int64) ([]Decision, error) {
	if _, err := s.GetItem(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.db.decisions(ctx, id)
}

// ItemHistory returns the item's audit records on the chains the actor may see.
func (s *Service) ItemHistory(ctx context.Context, actor *User, id int64) ([]AuditRecord, error) {
	if _, err := s.GetItem(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.History(ctx, actor, "agenda_item", id)
}

// Attention is what the dashboard shows a person.
type Attention struct {
	Awaiting  []AgendaItem // heads: tabled items awaiting their delegation's decision
	Drafts    []AgendaItem // their side's drafts
	Contested []AgendaItem // tabled items with a standing objection
}

// attentionLimit caps each dashboard list; the agenda page has the rest.
const attentionLimit = 20

// Attention gathers what needs the actor's attention.
func (s *Service) Attention(ctx context.Context, actor *User) (Attention, error) {
	var a Attention
	var err error
	if actor == nil {
		return a, ErrNotFound
	}
	if canDecide(actor) {
		if a.Awaiting, err = s.db.awaitingDecision(ctx, actor, attentionLimit); err != nil {
			return a, err
		}
	}
	if side := actor.InternalSideID(); side != 0 {
		if a.Drafts, err = s.db.itemsWhere(ctx, actor, side, []ItemStatus{StatusDraft}, attentionLimit); err != nil {
			return a, err
		}
	}
	a.Contested, err = s.db.contestedItems(ctx, actor, attentionLimit)
	return a, err
}

// ---- amendments --------------------------------------------------------------

// AmendmentInput is a proposed new text. The revision it amends is the
// item's current one, set by the server, never by the form.
type AmendmentInput struct {
	Title, Description, Rationale string
}

// ProposeAmendment proposes a new text for a tabled item.
func (s *Service) ProposeAmendment(ctx context.Context, actor *User, itemID int64, in AmendmentInput) (*Amendment, error) {
	it, err := s.GetItem(ctx, actor, itemID)
	if err != nil {
		return nil, err
	}
	if !canAmend(actor) {
		return nil, ErrForbidden
	}
	if it.Status != StatusProposed && it.Status != StatusAdopted {
		return nil, Errorf(EINVALID, "agenda.not_in_this_state")
	}
	in.Title, in.Description, in.Rationale = CleanText(in.Title), CleanText(in.Description), CleanText(in.Rationale)
	v := Validation{}
	checkText(v, "title", in.Title, MaxTitleLen, true)
	checkText(v, "description", in.Description, MaxDescriptionLen, false)
	checkReason(v, "rationale", in.Rationale, true)
	if in.Title == it.Title && in.Description == it.Description {
		v.Add("description", "amendment.unchanged")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	a := &Amendment{ItemID: itemID, SideID: actor.SideID, AuthorID: actor.ID, BaseRevision: it.Revision,
		Title: in.Title, Description: in.Description, Rationale: in.Rationale, Status: AmendmentOpen, Version: 1,
		CreatedAt: now, UpdatedAt: now}
	err = s.write(ctx, func(tx *Tx) error {
		if err := tx.createAmendment(a); err != nil {
			return err
		}
		return tx.audit(actor, itemAudit(it, "amendment.propose", map[string]any{"amendment": a.PublicID,
			"title": a.Title, "description": a.Description, "rationale": a.Rationale, "base_revision": a.BaseRevision}))
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Amendments lists an item's amendments, newest first.
func (s *Service) Amendments(ctx context.Context, actor *User, itemID int64) ([]Amendment, error) {
	if _, err := s.GetItem(ctx, actor, itemID); err != nil {
		return nil, err
	}
	return s.db.amendments(ctx, itemID)
}

// GetAmendment returns one amendment of an item the actor may see.
func (s *Service) GetAmendment(ctx context.Context, actor *User, itemID, id int64) (*AgendaItem, *Amendment, error) {
	it, err := s.GetItem(ctx, actor, itemID)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.db.amendmentByID(ctx, itemID, id)
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
func PermissionsOnAmendment(actor *User, it *AgendaItem, a *Amendment) AmendmentPermissions {
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
func (s *Service) openAmendment(ctx context.Context, actor *User, itemID, id int64, allowed func(*User, *AgendaItem, *Amendment) bool) (*AgendaItem, *Amendment, error) {
	it, a, err := s.GetAmendment(ctx, actor, itemID, id)
	if err != nil {
		return nil, nil, err
	}
	if !allowed(actor, it, a) {
		return nil, nil, ErrForbidden
	}
	if a.Status != AmendmentOpen || (it.Status != StatusProposed && it.Status != StatusAdopted) {
		return nil, nil, Errorf(EINVALID, "agenda.not_in_this_state")
	}
	return it, a, nil
}

// SettleAmendment is the proposing side's decision on an amendment: accept
// it (its text becomes the next revision, voiding earlier decisions) or
// decline it with a reason. Only an amendment written against the current
// revision can be accepted; the check is repeated inside the transaction,
// so that of an edit and an acceptance at the same moment exactly one wins.
func (s *Service) SettleAmendment(ctx context.Context, actor *User, itemID, id, version int64, accept bool, reason string) error {
	it, a, err := s.openAmendment(ctx, actor, itemID, id, func(u *User, it *AgendaItem, _ *Amendment) bool {
		return canDecideText(u, it)
	})
	if err != nil {
		return err
	}
	stale := Errorf(ECONFLICT, "amendment.stale")
	if accept && a.BaseRevision != it.Revision {
		return stale
	}
	reason = CleanText(reason)
	v := Validation{}
	checkReason(v, "reason", reason, !accept)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		status := AmendmentDeclined
		if accept {
			status = AmendmentAccepted
		}
		if err := tx.updateVersioned("amendments", id, version, map[string]any{"status": status, "decided_by": actor.ID,
			"decision_reason": reason, "decided_at": tx.now}); err != nil {
			return err
		}
		if !accept {
			return tx.audit(actor, itemAudit(it, "amendment.decline", map[string]any{"amendment": a.PublicID, "reason": reason}))
		}
		cur, err := tx.itemForUpdate(itemID)
		if err != nil {
			return err
		}
		if cur.Revision != a.BaseRevision {
			return stale
		}
		if cur.Status != StatusProposed && cur.Status != StatusAdopted {
			return Errorf(EINVALID, "agenda.not_in_this_state")
		}
		next := cur.Revision + 1
		fields := map[string]any{"title": a.Title, "description": a.Description, "revision": next}
		ch := map[string]any{"amendment": a.PublicID, "revision": []any{cur.Revision, next}}
		Diff(ch, "title", cur.Title, a.Title)
		Diff(ch, "description", cur.Description, a.Description)
		if cur.Status == StatusAdopted {
			fields["status"] = StatusProposed
			ch["status"] = []any{"adopted", "proposed"}
		}
		if err := tx.updateVersioned("agenda_items", itemID, cur.Version, fields); err != nil {
			return err
		}
		aid := id
		if err := tx.createRevision(&Revision{ItemID: itemID, Number: next, Title: a.Title, Description: a.Description,
			AuthorID: a.AuthorID, AmendmentID: &aid, CreatedAt: tx.now}); err != nil {
			return err
		}
		return tx.audit(actor, itemAudit(it, "amendment.accept", ch))
	})
}

// WithdrawAmendment lets its author take back an open amendment.
func (s *Service) WithdrawAmendment(ctx context.Context, actor *User, itemID, id, version int64) error {
	it, a, err := s.openAmendment(ctx, actor, itemID, id, func(u *User, _ *AgendaItem, a *Amendment) bool {
		return canWithdrawAmendment(u, a)
	})
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.updateVersioned("amendments", id, version, map[string]any{"status": AmendmentWithdrawn,
			"decided_by": actor.ID, "decided_at": tx.now}); err != nil {
			return err
		}
		return tx.audit(actor, itemAudit(it, "amendment.withdraw", map[string]any{"amendment": a.PublicID}))
	})
}
