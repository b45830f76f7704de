package actions

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/app/meetings"
)

// Service is the actions: every method takes the acting user and checks
// the actions' policy (policy.go) itself, with the actor as loaded now.
type Service struct {
	core    *app.Service
	st      store
	sources map[SourceType]sourceFinder
	// MaxFile is the largest evidence file taken, in bytes (app.DefaultMaxFile when 0).
	MaxFile int64
}

// Source is what an action arises from, as its page links to it: its
// opaque identifier (and, for a request, its incident's) and its title.
type Source struct {
	Type             SourceType
	Ref, Parent      string
	TitleEN, TitleZH string
	Language         string // of the title, when it has one language
	// Restricted: the source is not for everyone (a draft, a TLP:RED
	// incident or a request on one): what arises from it stays internal
	// to the side that writes it.
	Restricted bool
}

// Title is the source's title in a language (a meeting has both).
func (s *Source) Title(lang string) string {
	if lang == "zh" && s.TitleZH != "" {
		return s.TitleZH
	}
	return s.TitleEN
}

// sourceFinder loads a source the actor may see, by its row id.
type sourceFinder func(ctx context.Context, actor *app.User, id int64) (*Source, error)

// New sets up the actions on the core service and the features they arise
// from: their kind of record (a thread with internal notes, a translation,
// the heads' agreements to new due dates, a history) and their identifiers.
func New(core *app.Service, ag *agenda.Service, mt *meetings.Service, inc *incidents.Service) *Service {
	s := &Service{core: core, st: store{db: core.DB()}, sources: map[SourceType]sourceFinder{
		SourceAgenda: func(ctx context.Context, actor *app.User, id int64) (*Source, error) {
			it, err := ag.GetItem(ctx, actor, id)
			if err != nil {
				return nil, err
			}
			return &Source{Type: SourceAgenda, Ref: it.PublicID, TitleEN: it.Title, TitleZH: it.Title, Language: it.Language,
				Restricted: !it.Tabled()}, nil
		},
		SourceMeeting: func(ctx context.Context, actor *app.User, id int64) (*Source, error) {
			m, err := mt.Get(ctx, actor, id)
			if err != nil {
				return nil, err
			}
			return &Source{Type: SourceMeeting, Ref: m.PublicID, TitleEN: m.TitleEN, TitleZH: m.TitleZH}, nil
		},
		SourceIncident: func(ctx context.Context, actor *app.User, id int64) (*Source, error) {
			inc, err := inc.Visible(ctx, actor, id)
			if err != nil {
				return nil, err
			}
			return &Source{Type: SourceIncident, Ref: inc.PublicID, TitleEN: inc.Title, TitleZH: inc.Title, Language: inc.Language,
				Restricted: !inc.Status.Shared() || inc.TLP == incidents.TLPRed}, nil
		},
		SourceRequest: func(ctx context.Context, actor *app.User, id int64) (*Source, error) {
			r, in, err := inc.RequestVisible(ctx, actor, id)
			if err != nil {
				return nil, err
			}
			return &Source{Type: SourceRequest, Ref: r.PublicID, Parent: in.PublicID, TitleEN: in.Title, TitleZH: in.Title,
				Language: in.Language, Restricted: in.TLP == incidents.TLPRed}, nil
		},
	}}
	core.Register(KindAction, owner{s})
	core.RegisterRef(RefAction, "actions")
	return s
}

// owner answers the record parts' questions about an action.
type owner struct{ s *Service }

func (o owner) Record(ctx context.Context, actor *app.User, id int64) (*app.Record, error) {
	a, err := o.s.st.action(ctx, actor, "id", id)
	if err != nil {
		return nil, err
	}
	return record(actor, a), nil
}

// record is what the record parts know of an action.
func record(actor *app.User, a *Action) *app.Record {
	r := &app.Record{Ref: app.Ref{Kind: KindAction, ID: a.ID}, Visibility: a.Visibility, Title: a.Title,
		Revision: a.Revision, CanComment: app.CanWrite(actor), CanTranslate: app.CanWrite(actor) && a.Visibility == app.Shared}
	if a.SideID != nil {
		r.SideID = *a.SideID
	}
	return r
}

// Record is an action as the record parts see it, loaded for the actor.
func Record(actor *app.User, a *Action) *app.Record { return record(actor, a) }

func (s *Service) write(ctx context.Context, fn func(tx wtx) error) error {
	return s.core.Write(ctx, func(tx *app.Tx) error { return fn(wtx{tx}) })
}

// audit is an action's audit record, in the chain its visibility says.
func audit(a *Action, action string, changes map[string]any) app.Audit {
	au := app.Audit{Action: action, ObjectType: string(KindAction), ObjectID: a.ID, Visibility: a.Visibility, Changes: changes}
	if a.SideID != nil {
		au.SideID = *a.SideID
	}
	return au
}

// Limits of an action's text.
const (
	MaxTitleLen       = 200
	MaxDescriptionLen = 20000
	MaxNoteLen        = 5000
)

// Input is a new action as written: the owner is a side (OwnerSideID) or
// both delegations (Joint); the due date a calendar date (2026-12-15) in
// the owner's capital.
type Input struct {
	Title, Description string
	Language           string
	SourceType         SourceType
	SourceID           int64
	OwnerSideID        int64
	Joint              bool
	AssigneeID         int64
	Due                string
	Internal           bool
}

// Create makes an action, validated, with its parts: one for its owner,
// or one for each delegation of a joint action.
func (s *Service) Create(ctx context.Context, actor *app.User, in Input) (*Action, error) {
	if !canCreate(actor, in.OwnerSideID, in.Joint, in.Internal) {
		if !app.CanWrite(actor) {
			return nil, app.ErrForbidden
		}
		v := app.Validation{}
		v.Add("owner", "action.owner_invalid")
		return nil, v.Err()
	}
	in.Title, in.Description = app.CleanText(in.Title), app.CleanText(in.Description)
	v := app.Validation{}
	app.CheckText(v, "title", in.Title, MaxTitleLen, true)
	app.CheckText(v, "description", in.Description, MaxDescriptionLen, false)
	if !app.ValidLanguage(in.Language) {
		v.Add("language", "lang.invalid")
	}
	// The owners: a side, or every delegation.
	var owners []int64
	zone := ""
	switch {
	case in.Joint:
		ds, err := s.st.delegations(ctx)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			owners = append(owners, d.ID)
		}
		zone = actor.Side.TimeZone // due in the capital of the side that set it
		if !actor.Side.IsDelegation() && len(ds) > 0 {
			zone = ds[0].TimeZone
		}
	default:
		side, err := s.st.side(ctx, in.OwnerSideID)
		if err != nil {
			v.Add("owner", "action.owner_invalid")
			break
		}
		owners, zone = []int64{side.ID}, side.TimeZone
	}
	var due app.Date
	if zone != "" {
		d, err := app.ParseDate(in.Due)
		switch {
		case err != nil:
			v.Add("due", "date.invalid")
		case d.Before(app.Today(s.core.Clock(), app.LoadLocation(zone))):
			v.Add("due", "action.due_past")
		}
		due = d
	}
	if in.AssigneeID != 0 && len(owners) > 0 {
		n, err := s.st.members(ctx, []int64{in.AssigneeID}, owners)
		if err != nil {
			return nil, err
		}
		if n != 1 {
			v.Add("assignee", "action.assignee_invalid")
		}
	}
	if in.SourceType != SourceNone {
		find, ok := s.sources[in.SourceType]
		if !ok || in.SourceID == 0 {
			v.Add("source", "action.source_invalid")
		} else if src, err := find(ctx, actor, in.SourceID); err != nil {
			v.Add("source", "action.source_invalid")
		} else if src.Restricted && !in.Internal {
			v.Add("source", "action.source_restricted")
		}
	} else if in.SourceID != 0 {
		v.Add("source", "action.source_invalid")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.core.Clock()
	a := &Action{Title: in.Title, Description: in.Description, Language: in.Language, SourceType: in.SourceType,
		SourceID: in.SourceID, Joint: in.Joint, DueDate: due.String(), DueZone: zone,
		DueEnd: due.End(app.LoadLocation(zone)).UTC(), Revision: 1, Status: StatusOpen, Visibility: app.Shared,
		CreatorID: actor.ID, CreatorSideID: actor.SideID, Version: 1, CreatedAt: now, UpdatedAt: now}
	if !in.Joint {
		a.OwnerSideID = &in.OwnerSideID
	}
	if in.AssigneeID != 0 {
		a.AssigneeID = &in.AssigneeID
	}
	if in.Internal {
		a.Visibility, a.SideID = app.Internal, &in.OwnerSideID
	}
	for _, o := range owners {
		a.Parts = append(a.Parts, Part{SideID: o, Status: StatusOpen, Version: 1})
	}
	err := s.write(ctx, func(tx wtx) error {
		if err := tx.createAction(a); err != nil {
			return err
		}
		if err := tx.IndexText(app.Ref{Kind: KindAction, ID: a.ID}, app.SearchText, a.Title, a.Description); err != nil {
			return err
		}
		ch := map[string]any{"title": a.Title, "description": a.Description, "due": a.DueDate, "zone": a.DueZone,
			"owner": ownerName(a, owners), "visibility": string(a.Visibility)}
		if a.SourceType != "" {
			ch["source"] = string(a.SourceType)
		}
		return tx.Audit(actor, audit(a, "action.create", ch))
	})
	if err != nil {
		return nil, err
	}
	return s.st.action(ctx, actor, "id", a.ID)
}

// ownerName is how the history names an action's owner: "joint" or the side's id.
func ownerName(a *Action, owners []int64) any {
	if a.Joint {
		return "joint"
	}
	return owners[0]
}

// Get returns an action the actor may see, by its opaque identifier.
func (s *Service) Get(ctx context.Context, actor *app.User, publicID string) (*Action, error) {
	if actor == nil || !app.ValidPublicID(publicID) {
		return nil, app.ErrNotFound
	}
	return s.st.action(ctx, actor, "public_id", publicID)
}

// byID returns an action the actor may see, by its row id.
func (s *Service) byID(ctx context.Context, actor *app.User, id int64) (*Action, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	return s.st.action(ctx, actor, "id", id)
}

// notNow is the refusal of a step the action's state does not allow.
func notNow() error { return app.Errorf(app.EINVALID, "action.not_in_this_state") }

// Start marks the actor's side's part as in progress.
func (s *Service) Start(ctx context.Context, actor *app.User, id, version int64) error {
	a, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	p := a.PartOf(actor.SideID)
	if !canWork(actor, a, p) {
		return app.ErrForbidden
	}
	if p.Status != StatusOpen {
		return notNow()
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.savePart(a, version, p, map[string]any{"status": StatusInProgress}); err != nil {
			return err
		}
		return tx.Audit(actor, audit(a, "action.start", map[string]any{"side": p.SideID}))
	})
}

// Done marks the actor's side's part done, with a note saying what was
// done (required).
func (s *Service) Done(ctx context.Context, actor *app.User, id, version int64, note string) error {
	return s.DoneWith(ctx, actor, id, version, note, nil)
}

// Evidence is a file given as evidence of work done.
type Evidence struct {
	Name string
	Data []byte
}

// MaxFileSize is the largest evidence file taken, in bytes.
func (s *Service) MaxFileSize() int64 {
	if s.MaxFile > 0 {
		return s.MaxFile
	}
	return app.DefaultMaxFile
}

// DoneWith is Done with an optional evidence file, typed by its content
// and kept with the part, in the same transaction.
func (s *Service) DoneWith(ctx context.Context, actor *app.User, id, version int64, note string, ev *Evidence) error {
	a, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	p := a.PartOf(actor.SideID)
	if !canWork(actor, a, p) {
		return app.ErrForbidden
	}
	if !p.Status.Pending() {
		return notNow()
	}
	note = app.CleanText(note)
	v := app.Validation{}
	app.CheckText(v, "note", note, MaxNoteLen, true)
	var file *File
	if ev != nil {
		file = &File{ActionID: a.ID, PartID: p.ID, Name: app.CleanFileName(ev.Name), Size: int64(len(ev.Data)),
			Content: ev.Data, UploadedBy: actor.ID}
		app.CheckText(v, "file", file.Name, MaxTitleLen, true)
		switch {
		case len(ev.Data) == 0:
			v.Add("file", "attachment.empty")
		case int64(len(ev.Data)) > s.MaxFileSize():
			v.Add("file", "attachment.too_large")
		default:
			if file.MediaType = app.EvidenceType(ev.Data); file.MediaType == "" {
				v.Add("file", "attachment.type_refused")
			}
		}
		sum := sha256.Sum256(ev.Data)
		file.SHA256 = hex.EncodeToString(sum[:])
	}
	if err := v.Err(); err != nil {
		return err
	}
	// An internal action has no other side to verify it: done is its end.
	to := StatusDone
	if a.Visibility == app.Internal {
		to = StatusVerified
	}
	return s.write(ctx, func(tx wtx) error {
		fields := map[string]any{"status": to, "done_note": note, "done_by": actor.ID, "done_at": tx.Now()}
		ch := map[string]any{"side": p.SideID, "note": note}
		if file != nil {
			file.CreatedAt = tx.Now()
			if err := tx.createFile(file); err != nil {
				return err
			}
			fields["file_id"] = file.ID
			ch["file"], ch["name"], ch["sha256"] = file.PublicID, file.Name, file.SHA256
		}
		if err := tx.savePart(a, version, p, fields); err != nil {
			return err
		}
		return tx.Audit(actor, audit(a, "action.done", ch))
	})
}

// verifiable is the done part the actor may verify (or reopen), if any.
func verifiable(actor *app.User, a *Action) *Part {
	for i := range a.Parts {
		if canVerify(actor, a, &a.Parts[i]) {
			return &a.Parts[i]
		}
	}
	return nil
}

// Verify verifies the done part the actor's side checks: never its own.
func (s *Service) Verify(ctx context.Context, actor *app.User, id, version int64) error {
	a, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	p := verifiable(actor, a)
	if p == nil {
		if app.CanWrite(actor) && a.PartOf(actor.SideID) == nil && slices.ContainsFunc(a.Parts, func(p Part) bool {
			return p.Status != StatusDone
		}) && !slices.ContainsFunc(a.Parts, func(p Part) bool { return p.Status == StatusDone }) {
			return notNow()
		}
		return app.ErrForbidden
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.savePart(a, version, p, map[string]any{"status": StatusVerified, "verified_by": actor.ID,
			"verified_at": tx.Now()}); err != nil {
			return err
		}
		return tx.Audit(actor, audit(a, "action.verify", map[string]any{"side": p.SideID}))
	})
}

// Reopen sends a done part the actor's side checks back to in progress,
// with the reason (required).
func (s *Service) Reopen(ctx context.Context, actor *app.User, id, version int64, reason string) error {
	a, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	p := verifiable(actor, a)
	if p == nil {
		return app.ErrForbidden
	}
	reason, err = required("reason", reason)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.savePart(a, version, p, map[string]any{"status": StatusInProgress}); err != nil {
			return err
		}
		return tx.Audit(actor, audit(a, "action.reopen", map[string]any{"side": p.SideID, "reason": reason}))
	})
}

// required cleans a required text (a reason, a note): a message next to
// its field when it has no visible character or is too long.
func required(field, text string) (string, error) {
	text = app.CleanText(text)
	v := app.Validation{}
	app.CheckText(v, field, text, MaxNoteLen, true)
	return text, v.Err()
}

// Cancel cancels an action, with the reason (required).
func (s *Service) Cancel(ctx context.Context, actor *app.User, id, version int64, reason string) error {
	a, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canCancel(actor, a) {
		if app.CanWrite(actor) && (a.Status == StatusCancelled || a.Status == StatusVerified) &&
			(a.CreatorID == actor.ID || isSecretariat(actor)) {
			return notNow()
		}
		return app.ErrForbidden
	}
	reason, err = required("reason", reason)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("actions", a.ID, version, map[string]any{"status": StatusCancelled,
			"cancel_reason": reason, "updated_at": tx.Now(), "version": version + 1}); err != nil {
			return err
		}
		return tx.Audit(actor, audit(a, "action.cancel", map[string]any{"status": []any{string(a.Status), "cancelled"},
			"reason": reason}))
	})
}

// ProposeDue proposes a new due date, in the action's capital. On a
// shared action it takes effect when a head of another delegation agrees
// (AgreeDue); an internal action's side sets its own dates at once.
func (s *Service) ProposeDue(ctx context.Context, actor *app.User, id, version int64, due string) error {
	a, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canProposeDue(actor, a) {
		if app.CanWrite(actor) && (a.Status == StatusCancelled || a.Status == StatusVerified) {
			return notNow()
		}
		return app.ErrForbidden
	}
	loc := app.LoadLocation(a.DueZone)
	d, err := app.ParseDate(due)
	v := app.Validation{}
	switch {
	case err != nil:
		v.Add("due", "date.invalid")
	case d.Before(app.Today(s.core.Clock(), loc)):
		v.Add("due", "action.due_past")
	case d.String() == a.DueDate:
		v.Add("due", "action.due_unchanged")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		if a.Visibility == app.Internal {
			return tx.setDue(actor, a, version, d)
		}
		// A new proposal is a new revision: agreements to an earlier one
		// do not count for it.
		if err := tx.UpdateVersioned("actions", a.ID, version, map[string]any{"proposed_due": d.String(),
			"proposed_by_side": actor.SideID, "revision": a.Revision + 1, "updated_at": tx.Now(),
			"version": version + 1}); err != nil {
			return err
		}
		return tx.Audit(actor, audit(a, "action.propose_due", map[string]any{"due": a.DueDate, "proposed": d.String(),
			"revision": a.Revision + 1}))
	})
}

// AgreeDue agrees, as the head of a delegation other than the proposer's,
// to the proposed due date of the revision the head saw: it takes effect
// at once, and the history keeps the date it replaces.
func (s *Service) AgreeDue(ctx context.Context, actor *app.User, id int64, revision int) error {
	a, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canAgreeDue(actor, a) {
		if app.IsDelegationHead(actor) && a.ProposedDue == "" {
			return notNow()
		}
		return app.ErrForbidden
	}
	if revision != a.Revision {
		return app.ErrConflict
	}
	d, _ := app.ParseDate(a.ProposedDue)
	return s.write(ctx, func(tx wtx) error {
		if err := tx.Decide(actor, app.Ref{Kind: KindAction, ID: a.ID}, a.Revision, DecideDueDate, "",
			audit(a, "action.agree_due", map[string]any{"proposed": a.ProposedDue, "revision": a.Revision})); err != nil {
			return err
		}
		return tx.setDue(actor, a, a.Version, d)
	})
}

// setDue sets a new due date, counted for calendars, and records the one
// it replaces.
func (tx wtx) setDue(actor *app.User, a *Action, version int64, d app.Date) error {
	if err := tx.UpdateVersioned("actions", a.ID, version, map[string]any{"due_date": d.String(),
		"due_end": d.End(app.LoadLocation(a.DueZone)).UTC(), "due_sequence": a.DueSequence + 1, "proposed_due": "",
		"proposed_by_side": nil, "updated_at": tx.Now(), "version": version + 1}); err != nil {
		return err
	}
	return tx.Audit(actor, audit(a, "action.due", map[string]any{"due": []any{a.DueDate, d.String()}, "zone": a.DueZone}))
}

// Views of the action list.
const (
	ViewAll     = ""
	ViewMine    = "mine"    // assigned to or created by the actor
	ViewSide    = "side"    // owned by the actor's side (or joint)
	ViewVerify  = "verify"  // done parts the actor's side verifies
	ViewOverdue = "overdue" // work still to do after the due date
	ViewWeek    = "week"    // work due within seven days
	ViewReview  = "review"  // open, in progress or done: what a meeting reviews
)

// Views lists the views in the order the page offers them.
var Views = []string{ViewAll, ViewMine, ViewSide, ViewVerify, ViewOverdue, ViewWeek, ViewReview}

// Filter narrows the action list.
type Filter struct {
	View       string
	Status     Status
	SourceType SourceType
	SourceID   int64
	Page       app.Page
}

// CountCap is how many actions a list counts at most.
const CountCap = 1000

// MaxListPage is the deepest page a list offers.
const MaxListPage = 200

// List is a page of the actions the actor may see in a view.
type List struct {
	app.PageOf[Action]
	Capped bool
}

// List lists the actions the actor may see in a view, filtered: newest
// activity first, or soonest due for the overdue and this week's views.
// Two queries, whatever the number of actions.
func (s *Service) List(ctx context.Context, actor *app.User, f Filter) (*List, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	if !slices.Contains(Views, f.View) {
		f.View = ViewAll
	}
	f.Page = app.Page{Number: min(f.Page.Number, MaxListPage), Size: f.Page.Size}.Normalize()
	n, items, err := s.st.list(ctx, actor, f, s.core.Clock())
	if err != nil {
		return nil, err
	}
	out := &List{}
	out.Page, out.Items, out.Total, out.Capped = f.Page, items, min(n, CountCap), n > CountCap
	return out, nil
}

// Attention is what the dashboard says of actions: how many of the actor's
// side's are overdue, and how many await its verification (each counted up
// to CountCap).
type Attention struct {
	Overdue, Verify int64
}

// Attention counts, for the dashboard, in one query.
func (s *Service) Attention(ctx context.Context, actor *app.User) (Attention, error) {
	if actor == nil || actor.Side == nil {
		return Attention{}, nil
	}
	o, v, err := s.st.attention(ctx, actor, s.core.Clock())
	return Attention{Overdue: o, Verify: v}, err
}
