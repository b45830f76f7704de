package actions

import "github.com/parley/parley/app"

// The actions' policy. Service methods ask these functions with the actor
// as loaded now; views ask the exported helpers, and the service checks
// again.
//
//	what                                  who
//	---------------------------------------------------------------------------
//	see a shared action                   everyone signed in
//	see an internal action                the owning side's confirmed members
//	create a shared action                the secretariat (any owner); a head or
//	                                      delegate of a delegation (their own side
//	                                      or joint)
//	create an internal action             a head or delegate, for their own side
//	start, mark a part done               the part's side: its head or delegates
//	                                      (the secretariat for its own part)
//	verify or reopen a done part          a delegation's part: a head or delegate of
//	                                      another delegation; the secretariat's part:
//	                                      a head of either delegation. Nobody verifies
//	                                      their own side's work; an internal action
//	                                      has no other side and ends when done
//	cancel                                its creator, or the secretariat (a shared
//	                                      one); for an internal one, its side's head
//	propose a new due date                a writer of an owning side
//	agree to it                           the head of a delegation other than the
//	                                      proposer's (an internal action's side sets
//	                                      its own dates)
//
// Every write asks app.CanWrite first: observers, pending members and
// disabled accounts change nothing.

// writerOf: a head or delegate of a delegation side, or the secretariat
// for the secretariat's side — the people who work for that side.
func writerOf(actor *app.User, sideID int64) bool {
	if !app.CanWrite(actor) || actor.SideID != sideID || actor.Side == nil {
		return false
	}
	if actor.Side.IsDelegation() {
		return actor.Role == app.RoleHead || actor.Role == app.RoleDelegate
	}
	return actor.Role == app.RoleSecretariat
}

func isSecretariat(actor *app.User) bool {
	return app.CanWrite(actor) && actor.Side != nil && actor.Side.Kind == app.KindSecretariat &&
		actor.Role == app.RoleSecretariat
}

// delegationWriter: a head or delegate of a delegation.
func delegationWriter(actor *app.User) bool {
	return app.CanWrite(actor) && actor.Side != nil && actor.Side.IsDelegation() &&
		(actor.Role == app.RoleHead || actor.Role == app.RoleDelegate)
}

// canSee: a shared action is everyone's; an internal one its side's.
func canSee(actor *app.User, a *Action) bool {
	if actor == nil || actor.Disabled() {
		return false
	}
	var side int64
	if a.SideID != nil {
		side = *a.SideID
	}
	return app.CanSee(actor, a.Visibility == app.Shared, side)
}

// canCreate decides whether the actor may create an action owned by a
// side (ownerSideID; 0 with joint) that is shared or internal.
func canCreate(actor *app.User, ownerSideID int64, joint, internal bool) bool {
	switch {
	case internal:
		return !joint && delegationWriter(actor) && ownerSideID == actor.SideID
	case isSecretariat(actor):
		return true
	case delegationWriter(actor):
		return joint || ownerSideID == actor.SideID
	}
	return false
}

// canWork: the part's own side starts it and marks it done.
func canWork(actor *app.User, a *Action, p *Part) bool {
	return a.Status != StatusCancelled && p != nil && writerOf(actor, p.SideID)
}

// canVerify: a done part of a shared action, by another side as the rules
// say — never the side that did it.
func canVerify(actor *app.User, a *Action, p *Part) bool {
	if a.Status == StatusCancelled || a.Visibility != app.Shared || p == nil || p.Status != StatusDone ||
		actor == nil || actor.SideID == p.SideID {
		return false
	}
	if a.OwnedBySecretariat() { // the secretariat's part: either head
		return app.IsDelegationHead(actor)
	}
	return delegationWriter(actor)
}

// canCancel: the creator, or the secretariat for a shared action; for an
// internal one, its creator or its side's head.
func canCancel(actor *app.User, a *Action) bool {
	if !app.CanWrite(actor) || a.Status == StatusCancelled || a.Status == StatusVerified {
		return false
	}
	if a.CreatorID == actor.ID {
		return true
	}
	if a.Visibility == app.Internal {
		return a.SideID != nil && actor.SideID == *a.SideID && actor.Role == app.RoleHead
	}
	return isSecretariat(actor)
}

// canProposeDue: a writer of an owning side, while work remains.
func canProposeDue(actor *app.User, a *Action) bool {
	if !a.Status.Pending() && a.Status != StatusDone {
		return false
	}
	if a.Joint {
		return delegationWriter(actor)
	}
	return writerOf(actor, a.Owner())
}

// canAgreeDue: a head of a delegation other than the proposer's, on a
// shared action with a proposal standing.
func canAgreeDue(actor *app.User, a *Action) bool {
	return a.ProposedDue != "" && a.Visibility == app.Shared && app.IsDelegationHead(actor) &&
		(a.ProposedBySide == nil || *a.ProposedBySide != actor.SideID)
}

// CanCreate reports whether the actor may create actions at all.
func CanCreate(actor *app.User) bool { return delegationWriter(actor) || isSecretariat(actor) }

// Permissions are what the actor may do on an action, for the pages.
type Permissions struct {
	Start, Done, Verify, Reopen  bool // on the actor's own part, or on a part the actor verifies
	Cancel, ProposeDue, AgreeDue bool
	Translate                    bool
}

// PermissionsOn answers, for the pages, what the actor may do on an action.
func PermissionsOn(actor *app.User, a *Action) Permissions {
	var p Permissions
	if actor == nil {
		return p
	}
	if own := a.PartOf(actor.SideID); own != nil {
		p.Start = canWork(actor, a, own) && own.Status == StatusOpen
		p.Done = canWork(actor, a, own) && own.Status.Pending()
	}
	for i := range a.Parts {
		if canVerify(actor, a, &a.Parts[i]) {
			p.Verify, p.Reopen = true, true
		}
	}
	p.Cancel = canCancel(actor, a)
	p.ProposeDue = canProposeDue(actor, a)
	p.AgreeDue = canAgreeDue(actor, a)
	p.Translate = record(actor, a).CanTranslate
	return p
}
