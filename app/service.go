package app

import (
	"golang.org/x/mod/sumdb/note"

	"context"
	"time"
)

// Service is Parley's domain: every method takes the acting user and checks
// the policy itself, so that no caller can forget to.
type Service struct {
	db *DB
	// owners answer for the kinds of object that have record parts;
	// refTables hold the tables of the kinds URLs name (both set at start-up).
	owners    map[Kind]Owner
	refTables map[string]string
	// The key checkpoints are signed with (UseLogKey); nil: none are.
	logSigner   note.Signer
	logVerifier note.Verifier
	logVKey     string
	// Now is the clock; tests move it.
	Now func() time.Time
	// Password hashing cost; tests lower it.
	Argon ArgonParams
	// Session lifetimes.
	SessionIdle time.Duration
	SessionMax  time.Duration
	// Login throttling. Every attempt counts from before its password is
	// checked (a successful one is then forgotten). Within ThrottleWindow,
	// at most MaxFailuresPerAccountClient for one account from one client
	// address, and MaxFailuresPerClient from one client address whatever the
	// account; within AccountThrottleWindow, at most MaxFailuresPerAccount
	// for one account from anywhere. The per-account limit is loose, so that
	// a stranger's failures do not lock the owner out, but stops guessing
	// spread over many addresses. A limit of 0 or less is off.
	MaxFailuresPerAccountClient int
	MaxFailuresPerClient        int
	ThrottleWindow              time.Duration
	MaxFailuresPerAccount       int
	AccountThrottleWindow       time.Duration
}

// NewService returns a service on db with production settings.
func NewService(db *DB) *Service {
	s := &Service{
		db:                          db,
		Now:                         func() time.Time { return time.Now().UTC() },
		Argon:                       DefaultArgon,
		SessionIdle:                 60 * time.Minute,
		SessionMax:                  12 * time.Hour,
		MaxFailuresPerAccountClient: 5,
		MaxFailuresPerClient:        20,
		ThrottleWindow:              15 * time.Minute,
		MaxFailuresPerAccount:       100,
		AccountThrottleWindow:       time.Hour,
	}
	s.RegisterRef(RefUser, "users")
	s.RegisterRef(RefSide, "sides")
	s.RegisterRef(RefComment, "comments")
	return s
}

// DB returns the database the service works on.
func (s *Service) DB() *DB { return s.db }

func (s *Service) now() time.Time { return s.Now().UTC() }

// write runs fn in one transaction stamped with the service clock.
func (s *Service) write(ctx context.Context, fn func(tx *Tx) error) error {
	return dbErr(s.db.write(ctx, s.now(), fn))
}

// System is the actor for command-line administration: an administrator
// that belongs to no side. It is never a logged-in user.
var System = &User{ID: 0, Name: "command line", Admin: true}

// RegisterRef names the table whose opaque identifiers a kind of reference
// resolves to. The core registers its own; each feature its kinds.
func (s *Service) RegisterRef(kind, table string) {
	if s.refTables == nil {
		s.refTables = map[string]string{}
	}
	s.refTables[kind] = table
}

// Resolve returns the row id behind an opaque identifier from a URL or a
// form. It does not tell whether the actor may see the record: the service
// method the id is handed to checks that, and answers "not found" alike for
// what does not exist and for what the actor may not see.
func (s *Service) Resolve(ctx context.Context, actor *User, kind, publicID string) (int64, error) {
	table, ok := s.refTables[kind]
	if actor == nil || !ok {
		return 0, ErrNotFound
	}
	return s.db.rowID(ctx, table, publicID)
}
