package app

import "gorm.io/gorm"

// The visibility rule, written once for Go and once for SQL; a test holds
// the two together for every role of every side (visibility_test.go).
//
//	content          who sees it
//	shared           every member of every side, pending members included
//	internal to S    the confirmed members of side S only — not the other
//	                 delegation, not the secretariat, not administrators
//	                 of another side, not S's own pending members

// CanSee reports whether the actor may see content that is shared, or
// internal to the side sideID.
func CanSee(actor *User, shared bool, sideID int64) bool {
	if actor == nil {
		return false
	}
	return shared || (sideID != 0 && sideID == actor.InternalSideID())
}

// VisibleTo is the SQL twin of CanSee, as a query scope: sharedCond is the
// SQL condition that the row is shared (e.g. "comments.visibility =
// 'shared'"), sideCol the column of the side it is internal to.
func VisibleTo(actor *User, sharedCond, sideCol string) func(*gorm.DB) *gorm.DB {
	return func(q *gorm.DB) *gorm.DB {
		if actor == nil {
			return q.Where("1 = 0")
		}
		side := actor.InternalSideID()
		if side == 0 { // a member of no side (yet): shared content only
			return q.Where("(" + sharedCond + ")")
		}
		return q.Where("("+sharedCond+" OR "+sideCol+" = ?)", side)
	}
}
