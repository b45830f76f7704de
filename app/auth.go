package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"
)

// Session is a signed-in browser. Only the hash of its token is stored.
type Session struct {
	ID         int64
	TokenHash  string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end, whatever the activity
	ClientIP   string
	UserAgent  string
	// FailedLogins is the number of failed attempts on the account between
	// its previous sign-in and this one, for its owner to see.
	FailedLogins int
	// User is the session's account with its side, read with the session
	// in one statement.
	User *User `gorm:"foreignKey:UserID"`
}

// sessionTouchEvery limits how often activity is written back.
const sessionTouchEvery = time.Minute

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func newToken() string {
	b := make([]byte, 32) // 256 bits
	if _, err := rand.Read(b); err != nil {
		panic("no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

var (
	dummyOnce sync.Once
	dummyHash string
)

// burnPasswordCheck spends the time of a real password check, so that an
// unknown email answers as slowly as a wrong password.
func (s *Service) burnPasswordCheck(pw string) {
	dummyOnce.Do(func() { dummyHash, _ = HashPassword(GeneratePassword(), s.Argon) })
	CheckPassword(pw, dummyHash)
}

// Login checks credentials and opens a session. Unknown email, wrong
// password and disabled account give the same error after the same work.
// Attempts per account and per client address are throttled: each one is
// counted before its password is checked, so parallel attempts cannot all
// slip under a limit.
func (s *Service) Login(ctx context.Context, email, password, clientIP, userAgent string) (string, *User, error) {
	email = normalizeEmail(email)
	attempt, wait, err := s.beginLoginAttempt(ctx, email, clientIP)
	if err != nil {
		return "", nil, err
	}
	if wait > 0 {
		return "", nil, &Error{Code: ETHROTTLED, Message: "login.throttled", RetryAfter: wait}
	}
	u, err := s.db.userByEmail(ctx, email)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return "", nil, err
	}
	ok := false
	if u == nil {
		s.burnPasswordCheck(password)
	} else {
		ok = CheckPassword(password, u.PasswordHash) && !u.Disabled()
	}
	if !ok {
		// The attempt stays recorded: it is a failure.
		slog.WarnContext(ctx, "login failed", "client_ip", clientIP)
		return "", nil, ErrBadLogin
	}
	now := s.now()
	token := newToken()
	if r := []rune(userAgent); len(r) > 300 {
		userAgent = string(r[:300])
	}
	sess := &Session{TokenHash: hashToken(token), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.SessionMax), ClientIP: clientIP, UserAgent: userAgent}
	err = s.write(ctx, func(tx *Tx) error {
		if err := tx.forgetLoginAttempt(attempt); err != nil {
			return err
		}
		if err := tx.clearLoginFailures(email, clientIP); err != nil {
			return err
		}
		// The count includes this attempt, counted before it was checked.
		failed, err := tx.takeFailedLogins(u.ID)
		if err != nil {
			return err
		}
		sess.FailedLogins = max(failed-1, 0)
		if err := tx.createSession(sess); err != nil {
			return err
		}
		if err := tx.deleteExpiredSessions(now.Add(-s.SessionIdle)); err != nil {
			return err
		}
		return tx.audit(u, Audit{Action: "session.login", ObjectType: "user", ObjectID: u.ID,
			Visibility: Internal, SideID: u.SideID, Changes: map[string]any{"client_ip": clientIP}})
	})
	if err != nil {
		return "", nil, err
	}
	return token, u, nil
}

// beginLoginAttempt checks the throttling limits and, when none is reached,
// records the attempt and counts it against the account for its owner, in
// one write transaction: the database's single writer makes the count and
// the insert atomic. (On a database with concurrent writers, lock first,
// e.g. pg_advisory_xact_lock on the email and on the address.) It returns
// the attempt's id, or how long to wait.
func (s *Service) beginLoginAttempt(ctx context.Context, email, clientIP string) (int64, time.Duration, error) {
	var id int64
	var wait time.Duration
	err := s.write(ctx, func(tx *Tx) error {
		now := tx.now
		if err := tx.pruneLoginAttempts(now.Add(-max(s.ThrottleWindow, s.AccountThrottleWindow))); err != nil {
			return err
		}
		for _, l := range []struct {
			email, clientIP string
			max             int
			window          time.Duration
		}{
			{email, clientIP, s.MaxFailuresPerAccountClient, s.ThrottleWindow},
			{"", clientIP, s.MaxFailuresPerClient, s.ThrottleWindow},
			{email, "", s.MaxFailuresPerAccount, s.AccountThrottleWindow},
		} {
			if l.max <= 0 {
				continue
			}
			n, oldest, err := tx.loginAttempts(l.email, l.clientIP, now.Add(-l.window), l.max)
			if err != nil {
				return err
			}
			if w := oldest.Add(l.window).Sub(now); n >= l.max && w > wait {
				wait = w
			}
		}
		if wait > 0 {
			return nil // a refused attempt is not counted: it checked nothing
		}
		var err error
		if id, err = tx.recordLoginAttempt(email, clientIP); err != nil {
			return err
		}
		return tx.countFailedLogin(email)
	})
	if err != nil {
		return 0, 0, err
	}
	if wait > 0 && wait < time.Second {
		wait = time.Second
	}
	return id, wait, nil
}

// ErrSessionEnded is returned for a missing, expired or revoked session.
var ErrSessionEnded = Errorf(EUNAUTHORIZED, "session.ended")

// Authenticate returns the user and session of a session token. It ends
// sessions that are idle or past their absolute lifetime, and those of
// disabled accounts.
func (s *Service) Authenticate(ctx context.Context, token string) (*User, *Session, error) {
	if token == "" {
		return nil, nil, ErrSessionEnded
	}
	sess, err := s.db.sessionByHash(ctx, hashToken(token))
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return nil, nil, ErrSessionEnded
		}
		return nil, nil, err
	}
	now := s.now()
	u := sess.User
	if u == nil || u.ID == 0 {
		return nil, nil, ErrSessionEnded
	}
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.SessionIdle || u.Disabled() {
		if err := s.write(ctx, func(tx *Tx) error { return tx.deleteSession(sess.ID) }); err != nil {
			return nil, nil, err
		}
		return nil, nil, ErrSessionEnded
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchEvery {
		// Session bookkeeping, not content: no audit record.
		if err := s.write(ctx, func(tx *Tx) error { return tx.touchSession(sess.ID, now) }); err != nil {
			return nil, nil, err
		}
		sess.LastSeenAt = now
	}
	return u, sess, nil
}

// Logout ends one of the actor's own sessions on the server.
func (s *Service) Logout(ctx context.Context, actor *User, sessionID int64) error {
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.deleteOwnSession(actor.ID, sessionID); err != nil {
			return err
		}
		return tx.audit(actor, Audit{Action: "session.logout", ObjectType: "user", ObjectID: actor.ID,
			Visibility: Internal, SideID: actor.SideID})
	})
}
