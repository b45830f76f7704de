package app

import (
	"context"
	"time"
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

// clearLoginFailures forgets an account's failures after a successful login,
// and everyone's failures older than before.
func (tx *Tx) clearLoginFailures(email string, before time.Time) error {
	return tx.g.Where("email = ? OR at < ?", email, before).Delete(&loginFailure{}).Error
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

func (tx *Tx) createSession(s *Session) error { return tx.g.Create(s).Error }

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
	var s Session
	if err := db.read(ctx).Where("token_hash = ?", hash).Take(&s).Error; err != nil {
		return nil, dbErr(err)
	}
	return &s, nil
}
