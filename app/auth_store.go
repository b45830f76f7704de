package app

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gorm.io/gorm/clause"
)

// loginFailure is a sign-in attempt not known to have succeeded: recorded
// before the password is checked, forgotten when it turns out right.
type loginFailure struct {
	ID       int64
	Email    string
	ClientIP string
	At       time.Time
}

// recordLoginAttempt counts an attempt that is about to be checked.
func (tx *Tx) recordLoginAttempt(email, clientIP string) (int64, error) {
	f := &loginFailure{Email: email, ClientIP: clientIP, At: tx.now}
	err := tx.g.Create(f).Error
	return f.ID, err
}

// forgetLoginAttempt removes a successful attempt.
func (tx *Tx) forgetLoginAttempt(id int64) error {
	return tx.g.Delete(&loginFailure{}, id).Error
}

// clearLoginFailures forgets an account's failures from one client address
// after a successful login there: the owner's own typos. Other addresses'
// failures stay, so that a sign-in does not reset a guesser's count.
func (tx *Tx) clearLoginFailures(email, clientIP string) error {
	return tx.g.Where("email = ? AND client_ip = ?", email, clientIP).Delete(&loginFailure{}).Error
}

// pruneLoginAttempts deletes attempts older than before (past every window).
func (tx *Tx) pruneLoginAttempts(before time.Time) error {
	return tx.g.Where("at < ?", before).Delete(&loginFailure{}).Error
}

// failedLoginCount is the number of attempts on an account not known to
// have succeeded since its owner last signed in.
type failedLoginCount struct {
	UserID   int64 `gorm:"primaryKey;autoIncrement:false"`
	Failures int
}

// countFailedLogin adds one to the count of the account with this email, if
// there is one; for an unknown email it changes nothing, with the same work.
func (tx *Tx) countFailedLogin(email string) error {
	return tx.g.Exec(`INSERT INTO failed_login_counts (user_id, failures)
SELECT id, 1 FROM users WHERE email = ?
ON CONFLICT (user_id) DO UPDATE SET failures = failed_login_counts.failures + 1`, email).Error
}

// takeFailedLogins returns an account's count and resets it.
func (tx *Tx) takeFailedLogins(userID int64) (int, error) {
	var counts []failedLoginCount
	if err := tx.g.Where("user_id = ?", userID).Limit(1).Find(&counts).Error; err != nil || len(counts) == 0 {
		return 0, err
	}
	return counts[0].Failures, tx.g.Where("user_id = ?", userID).Delete(&failedLoginCount{}).Error
}

// loginAttempts counts the attempts since the given time that match email
// and client address (each ignored when ""), up to max, and returns the
// oldest of them. It runs in the write transaction that then records the
// next attempt, so that no parallel attempt can slip in between.
func (tx *Tx) loginAttempts(email, clientIP string, since time.Time, max int) (int, time.Time, error) {
	q := tx.g.Model(&loginFailure{}).Where("at >= ?", since)
	if email != "" {
		q = q.Where("email = ?", email)
	}
	if clientIP != "" {
		q = q.Where("client_ip = ?", clientIP)
	}
	var ats []time.Time
	if err := q.Order("at DESC").Limit(max).Pluck("at", &ats).Error; err != nil || len(ats) == 0 {
		return 0, time.Time{}, err
	}
	return len(ats), ats[len(ats)-1], nil
}

func (tx *Tx) createSession(s *Session) error { return tx.g.Omit(clause.Associations).Create(s).Error }

func (tx *Tx) deleteSession(id int64) error { return tx.g.Delete(&Session{}, id).Error }

func (tx *Tx) deleteOwnSession(userID, id int64) error {
	res := tx.g.Where("id = ? AND user_id = ?", id, userID).Delete(&Session{})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

func (tx *Tx) touchSession(id int64, now time.Time) error {
	return tx.g.Model(&Session{}).Where("id = ?", id).Update("last_seen_at", now).Error
}

func (tx *Tx) deleteExpiredSessions(idleBefore time.Time) error {
	return tx.g.Where("expires_at <= ? OR last_seen_at < ?", tx.now, idleBefore).Delete(&Session{}).Error
}

func (db *DB) sessionByHash(ctx context.Context, hash string) (*Session, error) {
	// The session, its user and the user's side in one statement, scanned by
	// hand: every page starts with it. The password hash is not read.
	row := db.read(ctx).Raw(`SELECT s.id, s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.client_ip,
		    s.user_agent, s.failed_logins,
		    u.public_id, u.side_id, u.email, u.name, u.role, u.admin, u.must_change_password, u.language, u.time_zone,
		    u.disabled_at, u.pending, u.version, u.created_at, u.updated_at,
		    d.public_id, d.code, d.kind, d.name_en, d.name_zh, d.time_zone, d.language, d.version, d.created_at, d.updated_at
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN sides d ON d.id = u.side_id
		WHERE s.token_hash = ?`, hash).Row()
	s := Session{User: &User{Side: &Side{}}}
	u, d := s.User, s.User.Side
	var disabled sql.NullTime
	err := row.Scan(&s.ID, &s.TokenHash, &s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.ClientIP, &s.UserAgent,
		&s.FailedLogins,
		&u.PublicID, &u.SideID, &u.Email, &u.Name, &u.Role, &u.Admin, &u.MustChangePassword, &u.Language, &u.TimeZone,
		&disabled, &u.Pending, &u.Version, &u.CreatedAt, &u.UpdatedAt,
		&d.PublicID, &d.Code, &d.Kind, &d.NameEN, &d.NameZH, &d.TimeZone, &d.Language, &d.Version, &d.CreatedAt, &d.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, dbErr(err)
	}
	u.ID, d.ID = s.UserID, u.SideID
	if disabled.Valid {
		t := disabled.Time
		u.DisabledAt = &t
	}
	return &s, nil
}
