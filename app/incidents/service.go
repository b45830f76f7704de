package incidents

import (
	"context"
	"slices"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/meetings"
)

// Service is the incidents: every method takes the acting user and checks
// the incidents' policy (policy.go) itself, with the actor as loaded now.
type Service struct {
	core *app.Service
	st   store
	// MaxAttachment is the largest file taken, in bytes (DefaultMaxAttachment when 0).
	MaxAttachment int64
}

// RefIncident is the kind of opaque identifier in the incidents' URLs.
const RefIncident = "incident"

// New sets up the incidents on the core service: their kind of record, which
// keeps its own audit chains (whatever is not internal to a side is read
// through the incident, never in the shared chain), and their identifiers.
func New(core *app.Service) *Service {
	s := &Service{core: core, st: store{db: core.DB()}}
	core.KeepOwnChains(KindIncident)
	core.Register(KindIncident, owner{s})
	core.RegisterRef(RefIncident, "incidents")
	core.RegisterRef(RefClaim, "incident_claims")
	core.RegisterRef(RefIndicator, "incident_indicators")
	core.RegisterRef(RefRequest, "incident_requests")
	return s
}

// owner answers the record parts' questions about an incident.
type owner struct{ s *Service }

func (o owner) Record(ctx context.Context, actor *app.User, id int64) (*app.Record, error) {
	inc, err := o.s.st.incidentOnly(ctx, actor, "id", id)
	if err != nil {
		return nil, err
	}
	return record(actor, inc), nil
}

// SeenBySide tells the audit logs which incidents a delegation as a whole
// may see — what any confirmed member may see without being a named
// recipient — so that its witness follows those incidents' logs: its own
// reports and drafts, and the other side's reports marked below RED.
func (o owner) SeenBySide(ctx context.Context, sideID int64, ids []int64) (map[int64]bool, error) {
	member := &app.User{SideID: sideID, Role: app.RoleObserver}
	return o.s.st.visibleAmong(ctx, member, ids)
}

// record is what the record parts know of an incident: a draft is internal
// to the reporting side; a reported incident's thread is open to those who
// may write, until it is closed.
func record(actor *app.User, inc *Incident) *app.Record {
	r := &app.Record{Ref: app.Ref{Kind: KindIncident, ID: inc.ID}, Visibility: app.Shared, Title: inc.Title,
		Revision: inc.Revision, CanComment: app.CanWrite(actor) && inc.Status != StatusClosed,
		CanTranslate: app.CanWrite(actor) && inc.Status.Shared() && inc.Status != StatusClosed}
	if !inc.Status.Shared() {
		r.Visibility, r.SideID = app.Internal, inc.ReportingSideID
	}
	return r
}

func (s *Service) write(ctx context.Context, fn func(tx wtx) error) error {
	return s.core.Write(ctx, func(tx *app.Tx) error { return fn(wtx{tx}) })
}

// audit is an incident's audit record: a draft's is internal to the
// reporting side; a reported incident's goes to the incident's own chain.
func audit(inc *Incident, action string, changes map[string]any) app.Audit {
	a := app.Audit{Action: action, ObjectType: string(KindIncident), ObjectID: inc.ID, Visibility: app.Shared,
		Changes: changes}
	if !inc.Status.Shared() {
		a.Visibility, a.SideID = app.Internal, inc.ReportingSideID
	}
	return a
}

// Limits of an incident's text.
const (
	MaxTitleLen   = 200
	MaxSummaryLen = 20000
)

// Input is what a reporter writes: the observed window as wall-clock times
// ("2026-05-01T09:30") in the named zone, either end optional.
type Input struct {
	AddressedSideID int64 // 0: the other delegation
	TLP             TLP
	Category        Category
	Title, Summary  string
	Language        string
	Sectors         []Sector
	ObservedFrom    string
	ObservedTo      string
	ObservedZone    string
}

// validate checks an incident's fields; every problem is a translated
// message next to its field, and nothing is changed.
func (s *Service) validate(ctx context.Context, actor *app.User, in *Input, now time.Time) (from, to *time.Time, err error) {
	in.Title, in.Summary = app.CleanText(in.Title), app.CleanText(in.Summary)
	v := app.Validation{}
	app.CheckText(v, "title", in.Title, MaxTitleLen, true)
	app.CheckText(v, "summary", in.Summary, MaxSummaryLen, true)
	if !in.TLP.Valid() {
		v.Add("tlp", "incident.tlp_invalid")
	}
	if !slices.Contains(Categories, in.Category) {
		v.Add("category", "incident.category_invalid")
	}
	if !app.ValidLanguage(in.Language) {
		v.Add("language", "incident.language_invalid")
	}
	seen := map[Sector]bool{}
	for _, sec := range in.Sectors {
		if !sec.Valid() || seen[sec] {
			v.Add("sectors", "incident.sectors_invalid")
			break
		}
		seen[sec] = true
	}
	if in.AddressedSideID == 0 { // not named: the other delegation, when there is one other
		if in.AddressedSideID, err = s.st.otherDelegation(ctx, actor.SideID); err != nil {
			return nil, nil, err
		}
	}
	if ok, err := s.st.delegation(ctx, in.AddressedSideID); err != nil {
		return nil, nil, err
	} else if !ok || in.AddressedSideID == actor.SideID {
		v.Add("addressed_side", "incident.addressed_invalid")
	}
	if in.ObservedFrom != "" || in.ObservedTo != "" {
		from = observed(v, "observed_from", "observed_zone", in.ObservedFrom, in.ObservedZone, now)
		to = observed(v, "observed_to", "observed_zone", in.ObservedTo, in.ObservedZone, now)
		if from != nil && to != nil && to.Before(*from) {
			v.Add("observed_to", "incident.observed_order")
		}
	}
	return from, to, v.Err()
}

// observed reads one end of an observed window, if given: a wall-clock
// time in the zone (named by the form's zoneField), not in the future.
func observed(v app.Validation, field, zoneField, value, zone string, now time.Time) *time.Time {
	if value == "" {
		return nil
	}
	t, err := meetings.ParseLocal(value, zone)
	switch err {
	case nil:
		if t.After(now) {
			v.Add(field, "incident.observed_future")
			return nil
		}
		return &t
	case meetings.ErrBadZone:
		v.Add(zoneField, "incident.zone_invalid")
	case meetings.ErrSkippedTime:
		v.Add(field, "incident.observed_skipped")
	case meetings.ErrRepeatedTime:
		v.Add(field, "incident.observed_repeated")
	default:
		v.Add(field, "incident.observed_invalid")
	}
	return nil
}

// Create writes a draft, internal to the actor's delegation until it is reported.
func (s *Service) Create(ctx context.Context, actor *app.User, in Input) (*Incident, error) {
	if !canReport(actor) {
		return nil, app.ErrForbidden
	}
	now := s.core.Clock()
	from, to, err := s.validate(ctx, actor, &in, now)
	if err != nil {
		return nil, err
	}
	inc := &Incident{ReportingSideID: actor.SideID, AddressedSideID: in.AddressedSideID, AuthorID: actor.ID,
		Status: StatusDraft, TLP: in.TLP, Category: in.Category, Title: in.Title, Summary: in.Summary,
		Language: in.Language, ObservedFrom: from, ObservedTo: to, ObservedZone: zoneIf(from, to, in.ObservedZone),
		Sectors: in.Sectors, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.write(ctx, func(tx wtx) error {
		if err := tx.createIncident(inc); err != nil {
			return err
		}
		return tx.Audit(actor, audit(inc, "incident.create", map[string]any{"title": inc.Title, "summary": inc.Summary,
			"tlp": string(inc.TLP), "category": string(inc.Category), "sectors": inc.Sectors}))
	})
	if err != nil {
		return nil, err
	}
	return s.st.incident(ctx, actor, "id", inc.ID)
}

func zoneIf(from, to *time.Time, zone string) string {
	if from == nil && to == nil {
		return ""
	}
	return zone
}

// Get returns an incident the actor may see, by its opaque identifier;
// anything else is not found.
func (s *Service) Get(ctx context.Context, actor *app.User, publicID string) (*Incident, error) {
	if actor == nil || !app.ValidPublicID(publicID) {
		return nil, app.ErrNotFound
	}
	return s.st.incident(ctx, actor, "public_id", publicID)
}

// byID loads an incident the actor may see, without its sectors and
// recipients (what the rules and the sub-pages need): one query.
func (s *Service) byID(ctx context.Context, actor *app.User, id int64) (*Incident, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	return s.st.incidentOnly(ctx, actor, "id", id)
}

// UpdateDraft changes a draft's fields, if it is still at version.
func (s *Service) UpdateDraft(ctx context.Context, actor *app.User, id, version int64, in Input) error {
	inc, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canEditDraft(actor, inc) {
		return app.ErrForbidden
	}
	from, to, err := s.validate(ctx, actor, &in, s.core.Clock())
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		err := tx.UpdateVersioned("incidents", id, version, map[string]any{"addressed_side_id": in.AddressedSideID,
			"tlp": in.TLP, "category": in.Category, "title": in.Title, "summary": in.Summary, "language": in.Language,
			"observed_from": from, "observed_to": to, "observed_zone": zoneIf(from, to, in.ObservedZone),
			"version": version + 1})
		if err != nil {
			return err
		}
		if err := tx.setSectors(id, in.Sectors); err != nil {
			return err
		}
		ch := map[string]any{}
		app.Diff(ch, "title", inc.Title, in.Title)
		app.Diff(ch, "summary", inc.Summary, in.Summary)
		app.Diff(ch, "tlp", string(inc.TLP), string(in.TLP))
		app.Diff(ch, "category", string(inc.Category), string(in.Category))
		return tx.Audit(actor, audit(inc, "incident.update", ch))
	})
}

// Report shares a draft with the addressed side (and, as its marking
// allows, the secretariat): its text becomes revision 1.
func (s *Service) Report(ctx context.Context, actor *app.User, id, version int64) error {
	inc, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canMove(actor, inc, StatusReported, false) {
		return refusal(actor, inc, StatusReported)
	}
	return s.write(ctx, func(tx wtx) error {
		// The version jumps by a random step, so that the version the other
		// side sees tells nothing of how often the draft was edited.
		if err := tx.UpdateVersioned("incidents", id, version, map[string]any{"status": StatusReported,
			"reported_at": tx.Now(), "revision": 1, "updated_at": tx.Now(), "version": version + app.VersionJump()}); err != nil {
			return err
		}
		ref := app.Ref{Kind: KindIncident, ID: id}
		if err := tx.AddRevision(ref, 1, inc.Title, inc.Summary, actor.ID, nil); err != nil {
			return err
		}
		if err := tx.FixParties(ref); err != nil { // the delegations whose heads may agree to close it
			return err
		}
		if err := tx.IndexText(ref, app.SearchText, inc.Title, inc.Summary); err != nil {
			return err
		}
		inc.Status = StatusReported // reported from now on: the record goes to the incident's chain
		return tx.Audit(actor, audit(inc, "incident.report", map[string]any{"status": []any{"draft", "reported"},
			"title": inc.Title, "summary": inc.Summary, "tlp": string(inc.TLP), "revision": 1}))
	})
}

// Move takes a reported incident to its next status: acknowledged,
// under investigation or responded by the addressed side; closed by the
// reporting side's head (or by the secretariat once both heads have agreed,
// which comes with the decisions).
func (s *Service) Move(ctx context.Context, actor *app.User, id, version int64, to Status) error {
	inc, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	agreed := false
	if to == StatusClosed && isSecretariat(actor) {
		if agreed, err = s.closeAgreed(ctx, actor, inc); err != nil {
			return err
		}
	}
	if to == StatusReported || to == StatusDraft || !canMove(actor, inc, to, agreed) {
		return refusal(actor, inc, to)
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("incidents", id, version, map[string]any{"status": to, "updated_at": tx.Now(),
			"version": version + 1}); err != nil {
			return err
		}
		return tx.Audit(actor, audit(inc, "incident.status", map[string]any{"status": []any{string(inc.Status), string(to)}}))
	})
}

// refusal says why a move is refused: for one who may write, a move out of
// order is invalid (the page was stale, or the form forged); a move the
// actor may not make is forbidden.
func refusal(actor *app.User, inc *Incident, to Status) error {
	if app.CanWrite(actor) && !statusFollows(inc.Status, to) {
		return app.Errorf(app.EINVALID, "incident.not_in_this_state")
	}
	return app.ErrForbidden
}

// ChangeTLP changes the marking. Only the reporting side marks its
// incident; lowering the marking needs a reason, which the history keeps.
// Raising it to RED keeps the named recipients (none until they are named).
func (s *Service) ChangeTLP(ctx context.Context, actor *app.User, id, version int64, tlp TLP, reason string) error {
	inc, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canChangeTLP(actor, inc) {
		return app.ErrForbidden
	}
	reason = app.CleanText(reason)
	v := app.Validation{}
	if !tlp.Valid() {
		v.Add("tlp", "incident.tlp_invalid")
	} else if tlp == inc.TLP {
		v.Add("tlp", "incident.tlp_unchanged")
	} else if inc.TLP.Lowers(tlp) {
		app.CheckText(v, "reason", reason, MaxTitleLen*5, true)
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("incidents", id, version, map[string]any{"tlp": tlp, "updated_at": tx.Now(),
			"version": version + 1}); err != nil {
			return err
		}
		ch := map[string]any{"tlp": []any{string(inc.TLP), string(tlp)}}
		if reason != "" {
			ch["reason"] = reason
		}
		return tx.Audit(actor, audit(inc, "incident.tlp", ch))
	})
}

// SetRecipients names the recipients of a RED incident: members of the
// addressed side or of the secretariat, chosen by the reporting side.
// Accounts that cannot be recipients are refused, not dropped.
func (s *Service) SetRecipients(ctx context.Context, actor *app.User, id, version int64, users []int64) error {
	inc, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canChangeTLP(actor, inc) {
		return app.ErrForbidden
	}
	slices.Sort(users)
	users = slices.Compact(users)
	ok, err := s.st.recipientsAmong(ctx, users, inc.AddressedSideID)
	if err != nil {
		return err
	}
	if len(ok) != len(users) {
		v := app.Validation{}
		v.Add("recipients", "incident.recipients_invalid")
		return v.Err()
	}
	return s.write(ctx, func(tx wtx) error {
		if err := tx.UpdateVersioned("incidents", id, version, map[string]any{"updated_at": tx.Now(),
			"version": version + 1}); err != nil {
			return err
		}
		if err := tx.setRecipients(id, users); err != nil {
			return err
		}
		return tx.Audit(actor, audit(inc, "incident.recipients", map[string]any{"recipients": users}))
	})
}

// Filter narrows the incident list.
type Filter struct {
	Status   Status
	SideID   int64 // the reporting side; 0 for both
	Category Category
	TLP      TLP
	Text     string
	Page     app.Page
}

// List is a page of the incidents the actor may see, newest activity
// first, counted up to CountCap.
type List struct {
	app.PageOf[Incident]
	Counts map[Status]int64 // per status, whatever status is listed (for the tabs)
	Capped bool
}

// CountCap is how many incidents a list counts at most.
const CountCap = 1000

// MaxListPage is the deepest page a list offers.
const MaxListPage = 200

// List lists the incidents the actor may see: what the actor may not see is
// neither listed nor counted. A search is driven by the full-text index,
// like the agenda's. Two queries, whatever the number of incidents.
func (s *Service) List(ctx context.Context, actor *app.User, f Filter) (*List, error) {
	if actor == nil {
		return nil, app.ErrNotFound
	}
	f.Page = app.Page{Number: min(f.Page.Number, MaxListPage), Size: f.Page.Size}.Normalize()
	out := &List{}
	out.Page = f.Page
	counts, n, items, err := s.st.list(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	var all int64
	for _, c := range counts {
		all += c
	}
	out.Total, out.Capped, out.Items, out.Counts = min(n, CountCap), all > CountCap, items, counts
	return out, nil
}

// DecideClose is a head's agreement that the secretariat close an incident.
const DecideClose app.DecisionKind = "close"

// AgreeToClose records that the actor's delegation, through its head,
// agrees that the secretariat close the incident; once every delegation
// has, the secretariat may close it.
func (s *Service) AgreeToClose(ctx context.Context, actor *app.User, id int64) error {
	inc, err := s.byID(ctx, actor, id)
	if err != nil {
		return err
	}
	if !canAgreeToClose(actor, inc) {
		return app.ErrForbidden
	}
	return s.write(ctx, func(tx wtx) error {
		return tx.Decide(actor, app.Ref{Kind: KindIncident, ID: inc.ID}, inc.Revision, DecideClose, "",
			audit(inc, "incident.agree_close", nil))
	})
}

// closeAgreed reports whether every party's head has agreed to close.
func (s *Service) closeAgreed(ctx context.Context, actor *app.User, inc *Incident) (bool, error) {
	parties, standing, err := s.core.PartiesAndStanding(ctx, actor, record(actor, inc))
	if err != nil || len(parties) == 0 {
		return false, err
	}
	for _, p := range parties {
		if d := standing.For(p); d == nil || d.Kind != DecideClose {
			return false, nil
		}
	}
	return true, nil
}
