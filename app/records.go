package app

import (
	"context"
	"fmt"
)

// Record parts: what every kind of record in Parley has, written once —
// comment threads with internal notes, revisions, translations tied to a
// revision, two-sided decisions on an exact revision, and history. They are
// keyed by a Ref (the object's kind and row id) and know nothing of any
// feature: a feature registers an Owner for each kind of object it has, and
// the parts ask the owner, for every request, whether and how the acting
// person may see the object. Adding a kind of object changes no file here.

// Kind names a kind of object that has record parts, e.g. "agenda_item".
// Each feature declares its own kinds.
type Kind string

// Ref names one object: its kind and its row id (never shown to anyone).
type Ref struct {
	Kind Kind
	ID   int64
}

// Record is what an owner tells the record parts about one of its objects,
// as one actor sees it, at the moment of the request.
type Record struct {
	Ref Ref
	// Visibility and SideID: an internal object, and everything about it, is
	// seen only by SideID's side; a shared one by every side.
	Visibility Visibility
	SideID     int64
	Title      string // for the history page
	Revision   int    // the current revision of its text; 0 when it has none
	// What the actor may do with the object's parts now.
	CanComment   bool // add comments and internal notes
	CanTranslate bool // set the translation of the current revision
}

// Owner loads the objects of one kind for the record parts.
type Owner interface {
	// Record returns the object as the actor may see it, or an error
	// with code ENOTFOUND when the actor may not see it or it does not exist.
	Record(ctx context.Context, actor *User, id int64) (*Record, error)
}

// KeepOwnChains makes the shared activity about each object of a kind go to
// a chain of the object's own (ObjectChain) instead of the shared chain:
// for kinds whose audience can be narrower than every account (an object
// for named recipients only, say; the shared chain is every account's to
// read). The object's history reads its chain for
// whoever its owner lets see the object; no audit page lists it. Internal
// activity stays in the side's chain. Features call it when they are set
// up, before serving.
func (s *Service) KeepOwnChains(kind Kind) { s.db.ownChains[kind] = true }

// Register makes owner answer for the objects of a kind. Features register
// their kinds once, when they are set up; registering a kind twice is a bug.
func (s *Service) Register(kind Kind, owner Owner) {
	if s.owners == nil {
		s.owners = map[Kind]Owner{}
	}
	if _, dup := s.owners[kind]; dup {
		panic(fmt.Sprintf("record kind %q registered twice", kind))
	}
	s.owners[kind] = owner
}

// record loads an object through its owner, as the actor may see it.
// Unknown kinds are not found.
func (s *Service) record(ctx context.Context, actor *User, ref Ref) (*Record, error) {
	owner, ok := s.owners[ref.Kind]
	if actor == nil || !ok {
		return nil, ErrNotFound
	}
	return owner.Record(ctx, actor, ref.ID)
}

// loaded checks, for the record parts' "…Of" methods, that an object its
// owner has loaded may be seen by the actor: the owner's query decided,
// and the part checks again, so that no caller can skip the rule.
func loaded(actor *User, recs ...*Record) error {
	for _, r := range recs {
		if r == nil || !CanSee(actor, r.Visibility == Shared, r.SideID) {
			return ErrNotFound
		}
	}
	return nil
}

// HistoryPageSize is the number of records a page of history shows.
const HistoryPageSize = 50

// HistoryOf is one page of the history of an object its owner has just
// loaded for the actor, oldest first; page 0 is the newest page.
func (s *Service) HistoryOf(ctx context.Context, actor *User, rec *Record, page int) (PageOf[AuditRecord], error) {
	if err := loaded(actor, rec); err != nil {
		return PageOf[AuditRecord]{}, err
	}
	return s.db.historyPage(ctx, string(rec.Ref.Kind), rec.Ref.ID, s.db.historyChains(actor, rec.Ref),
		Page{Number: page, Size: HistoryPageSize})
}

// History returns the audit records about an object on the chains the actor
// may see, oldest first, after checking through its owner that the actor
// may see the object.
func (s *Service) History(ctx context.Context, actor *User, ref Ref) (*Record, []AuditRecord, error) {
	obj, err := s.record(ctx, actor, ref)
	if err != nil {
		return nil, nil, err
	}
	recs, err := s.db.history(ctx, string(ref.Kind), ref.ID, s.db.historyChains(actor, ref))
	return obj, recs, err
}
