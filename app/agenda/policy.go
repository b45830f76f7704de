package agenda

import (
	"github.com/parley/parley/app"
)

// The agenda's policy: who may do what with agenda items, amendments and
// categories. Service methods ask these functions; views ask the exported
// Can… and Permissions… helpers, and the service checks again.

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
	return app.IsDelegationHead(actor)
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

// CanDecide tells views whether to offer a head's decisions at all.
func CanDecide(actor *app.User) bool { return canDecide(actor) }
