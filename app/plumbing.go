package app

// The core's plumbing for feature packages (app/agenda, and the features
// that follow): writes in one transaction with their audit records,
// optimistic versions, reads scoped by visibility, opaque identifiers and
// the validation of text. Only the features' store files use the gorm handles.

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Write runs fn in one transaction stamped with the service clock: the
// change and its audit records commit together or not at all.
func (s *Service) Write(ctx context.Context, fn func(tx *Tx) error) error { return s.write(ctx, fn) }

// Clock is the time now, by the service clock, in UTC.
func (s *Service) Clock() time.Time { return s.now() }

// Gorm is the transaction's handle, for feature store files.
func (tx *Tx) Gorm() *gorm.DB { return tx.g }

// Now is the transaction's time stamp.
func (tx *Tx) Now() time.Time { return tx.now }

// Audit appends an audit record inside the transaction.
func (tx *Tx) Audit(actor *User, a Audit) error { return tx.audit(actor, a) }

// UpdateVersioned changes a row only if it is still at version (see updateVersioned).
func (tx *Tx) UpdateVersioned(table string, id, version int64, fields map[string]any) error {
	return tx.updateVersioned(table, id, version, fields)
}

// Read is a handle on the read pool, for feature store files.
func (db *DB) Read(ctx context.Context) *gorm.DB { return db.read(ctx) }

// DBErr turns a store error into a domain error ("no rows" is not found).
func DBErr(err error) error { return dbErr(err) }

// NewPublicID returns a fresh opaque identifier for a new record.
func NewPublicID() string { return newPublicID() }

// VersionJump is a random version step (see versionJump).
func VersionJump() int64 { return versionJump() }

// CheckText records the first problem with a text field (see textProblem).
func CheckText(v Validation, field, value string, max int, required bool) {
	checkText(v, field, value, max, required)
}

// CanWrite reports whether the actor may create or change content at all.
func CanWrite(actor *User) bool { return canWrite(actor) }

// IsDelegationHead reports whether the actor is a confirmed head of a delegation.
func IsDelegationHead(actor *User) bool {
	return canWrite(actor) && actor.Role == RoleHead && actor.Side != nil && actor.Side.IsDelegation()
}

// IsUniqueViolation reports whether a store error is a UNIQUE constraint
// failure (a feature turns it into a message for the person).
func IsUniqueViolation(err error) bool { return isUniqueViolation(err) }
