package app

// The core's policy: who may do what with accounts, sides, audit chains and
// content in general. Service methods ask these functions; each feature
// keeps its own rules in its policy.go, built on these. Views ask the
// exported Can… helpers and never decide themselves. Reads are scoped in SQL
// by the same visibility rule (visibility.go), so that what an actor may not
// see is not found.
//
//	what                                   who
//	---------------------------------------------------------------------------
//	read shared content                    every member of every side
//	read a side's internal content         members of that side only (not admins
//	                                       of other sides, not the secretariat)
//	write anything                         anyone but observers, within their rights
//	list, create, disable, enable, reset   admins: every account;
//	  the password of an account           heads: delegates and observers of their
//	                                       own delegation (never admins, never heads)
//	grant or remove the admin flag         admins
//	create or edit sides (delegations)     admins
//	see an audit chain                     shared chain: everyone;
//	                                       a side's chain: members of that side
//	change own settings and password       everyone

// canWrite reports whether the actor may create or change content at all:
// never an observer, never a pending member. Every write asks it (through
// the rule for that write) with the actor as the database has them now:
// the web layer loads the account afresh on every request, so a demoted
// author loses their rights on their own earlier content at once.
func canWrite(actor *User) bool {
	return actor != nil && actor.Role != RoleObserver && !actor.Pending && !actor.Disabled()
}

// canListAccounts reports whether the actor may open the account pages, and
// whether they are limited to their own side.
func canListAccounts(actor *User) (ok bool, ownSideOnly bool) {
	switch {
	case actor == nil:
		return false, false
	case actor.Admin:
		return true, false
	case actor.Role == RoleHead && !actor.Pending:
		return true, true
	}
	return false, false
}

// canManageAccount reports whether the actor may create, disable, enable or
// reset the password of an account with the given side, role and admin flag.
func canManageAccount(actor *User, sideID int64, role Role, admin bool) bool {
	if actor == nil {
		return false
	}
	if actor.Admin {
		return true
	}
	return actor.Role == RoleHead && !actor.Pending && actor.SideID == sideID && !admin &&
		(role == RoleDelegate || role == RoleObserver)
}

// canSeeAccount reports whether the actor may see an account on the account pages.
func canSeeAccount(actor *User, target *User) bool {
	ok, own := canListAccounts(actor)
	return ok && (!own || target.SideID == actor.SideID)
}

// isHeadOf reports whether the actor is a confirmed head of the side.
func isHeadOf(actor *User, sideID int64) bool {
	return canWrite(actor) && actor.Role == RoleHead && actor.SideID == sideID
}

// canConfirmMember: a confirmed head of the account's own delegation, and
// nobody else — an administrator gives no access to a delegation.
func canConfirmMember(actor *User, target *User) bool {
	return target.Side != nil && target.Side.IsDelegation() && (actor == System || isHeadOf(actor, target.SideID))
}

// CanConfirmMember tells views whether to offer the confirmation.
func CanConfirmMember(actor, target *User) bool {
	return target.Pending && canConfirmMember(actor, target)
}

// canGrantAdmin reports whether the actor may set or clear the admin flag.
func canGrantAdmin(actor *User) bool { return actor != nil && actor.Admin }

// canManageSides reports whether the actor may create or edit sides.
func canManageSides(actor *User) bool { return actor != nil && actor.Admin }

// canSeeChain reports whether the actor may see an audit chain.
func canSeeChain(actor *User, chain string) bool {
	if actor == nil {
		return false
	}
	return CanSee(actor, chain == ChainShared, ChainSideID(chain))
}

// roleFitsSide reports whether a role can be held on a side of that kind.
func roleFitsSide(role Role, kind SideKind) bool {
	if kind == KindSecretariat {
		return role == RoleSecretariat
	}
	return role == RoleHead || role == RoleDelegate || role == RoleObserver
}

// CanManageAccount tells views whether to offer account actions on target.
// The service checks again on every action.
func CanManageAccount(actor, target *User) bool {
	return canSeeAccount(actor, target) && canManageAccount(actor, target.SideID, target.Role, target.Admin)
}

// needsConfirmation reports whether an account that actor creates on side
// (or whose password actor resets) must wait for a head of that delegation
// to confirm it. Membership of a delegation is that delegation's decision:
// only its own confirmed heads, and the command line that creates a new
// delegation's first head, add members directly.
func needsConfirmation(actor *User, side *Side) bool {
	if side == nil || !side.IsDelegation() || actor == System {
		return false
	}
	return !isHeadOf(actor, side.ID)
}

// CanManageAccounts tells views whether to offer the people pages.
func CanManageAccounts(actor *User) bool {
	ok, _ := canListAccounts(actor)
	return ok
}

// CanManageSides tells views whether to offer the delegation pages.
func CanManageSides(actor *User) bool { return canManageSides(actor) }
