package app

import (
	"context"
	"time"
)

// Two-sided decisions, a record part: on an object's exact revision, each
// delegation's head records a decision for their own side (concur or object
// on an agenda item; approve a meeting's minutes; agree to a new due date).
// The delegations that take part — the parties — are fixed when the owner
// first shares the object. A decision stands until its side withdraws or
// replaces it; a new revision voids every decision on earlier ones, which
// stay in the record with their revision. Whether every party has decided
// alike on the current revision is an SQL condition (AllPartiesDecided),
// which the owner puts into its own conditional update, so that the outcome
// (say, adoption) happens exactly once however many decide at the same time.

// DecisionKind is a kind of decision; each feature declares its own.
type DecisionKind string

// Decision is one side's decision on one revision of an object.
type Decision struct {
	ID          int64
	ObjectType  string
	ObjectID    int64
	SideID      int64
	Side        *Side
	Revision    int
	Kind        DecisionKind
	Reason      string
	UserID      int64
	User        *User
	CreatedAt   time.Time
	WithdrawnAt *time.Time
}

// Standing is the set of decisions standing on an object's current revision.
type Standing []Decision

// For returns the decision a side has standing, or nil.
func (st Standing) For(sideID int64) *Decision {
	for i := range st {
		if st[i].SideID == sideID {
			return &st[i]
		}
	}
	return nil
}

// Any reports whether some side's standing decision is of kind k.
func (st Standing) Any(k DecisionKind) bool {
	for _, d := range st {
		if d.Kind == k {
			return true
		}
	}
	return false
}

// Decide records, inside the owner's write transaction, the actor's side's
// decision of kind k on the object's revision, replacing the side's standing
// one, and appends the audit record a describes. The owner has checked that
// the actor may decide, on that revision (and whether it changes anything:
// see StandingKind).
func (tx *Tx) Decide(actor *User, ref Ref, revision int, k DecisionKind, reason string, a Audit) error {
	if _, err := tx.withdrawStanding(ref, actor.SideID, revision); err != nil {
		return err
	}
	d := &Decision{ObjectType: string(ref.Kind), ObjectID: ref.ID, SideID: actor.SideID, Revision: revision, Kind: k,
		Reason: reason, UserID: actor.ID, CreatedAt: tx.now}
	if err := tx.createDecision(d); err != nil {
		return err
	}
	return tx.audit(actor, a)
}

// WithdrawDecision withdraws the actor's side's standing decision of kind k
// on the revision, inside the owner's transaction, and audits it. It
// reports whether there was one to withdraw.
func (tx *Tx) WithdrawDecision(actor *User, ref Ref, revision int, k DecisionKind, a Audit) (bool, error) {
	standing, err := tx.standingKind(ref, actor.SideID, revision)
	if err != nil || standing != k {
		return false, err
	}
	if _, err := tx.withdrawStanding(ref, actor.SideID, revision); err != nil {
		return false, err
	}
	return true, tx.audit(actor, a)
}

// StandingKind is the kind of a side's standing decision on a revision, or "".
func (tx *Tx) StandingKind(ref Ref, sideID int64, revision int) (DecisionKind, error) {
	return tx.standingKind(ref, sideID, revision)
}

// FixParties records, when the owner shares an object, the delegations whose
// decisions it will need: every delegation that exists then.
func (tx *Tx) FixParties(ref Ref) error { return tx.fixParties(ref) }

// Decisions lists every decision ever given on an object the actor may
// see, voided and withdrawn ones included, oldest first.
func (s *Service) Decisions(ctx context.Context, actor *User, ref Ref) ([]Decision, error) {
	if _, err := s.record(ctx, actor, ref); err != nil {
		return nil, err
	}
	return s.db.decisions(ctx, ref)
}

// StandingOn returns, for objects of one kind their owner has loaded for the
// actor, the decisions standing on each one's current revision, by object
// id, in one query whatever their number.
func (s *Service) StandingOn(ctx context.Context, actor *User, recs []*Record) (map[int64]Standing, error) {
	if err := loaded(actor, recs...); err != nil {
		return nil, err
	}
	current := make(map[int64]int, len(recs))
	var kind Kind
	for _, r := range recs {
		current[r.Ref.ID], kind = r.Revision, r.Ref.Kind
	}
	return s.db.standingOn(ctx, kind, current)
}

// PartiesAndStanding returns, in one query, the parties of an object its
// owner has loaded for the actor and the decisions standing on its revision.
func (s *Service) PartiesAndStanding(ctx context.Context, actor *User, rec *Record) ([]int64, Standing, error) {
	if err := loaded(actor, rec); err != nil {
		return nil, nil, err
	}
	return s.db.partiesStanding(ctx, rec.Ref, rec.Revision)
}

// DecisionsOnOf lists the decisions given on revisions lo to hi of an
// object its owner has just loaded for the actor, voided and withdrawn ones
// included, newest revision first and newest first within it, at most
// limit of them.
func (s *Service) DecisionsOnOf(ctx context.Context, actor *User, rec *Record, lo, hi, limit int) ([]Decision, error) {
	if err := loaded(actor, rec); err != nil {
		return nil, err
	}
	return s.db.decisionsOn(ctx, rec.Ref, lo, hi, limit)
}
