package app

import (
	"context"
	"time"
)

type loginFailure struct {
	ID       int64
	Email    string
	ClientIP string
	At       time.Time
}

func (tx *Tx) recordLoginFailure(email, clientIP string) error {
	return tx.g.Create(&loginFailure{Email: email, ClientIP: clientIP, At: tx.now}).Error
}

// clearLoginFailures forgets an account's failures after a successful login,
// and everyone's failures older than before.
func (tx *Tx) clearLoginFailures(email string, before time.Time) error {
	return tx.g.Where("email = ? OR at < ?", email, before).Delete(&loginFailure{}).Error
}

// loginFailures counts failures for column = value since the given time, and
// returns the oldest of the last max of them.
func (db *DB) loginFailures(ctx context.Context, column, value string, since time.Time, max int) (int, time.Time, error) {
	var ats []time.Time
	err := db.read(ctx).Model(&loginFailure{}).Where(column+" = ? AND at >= ?", value, since).
		Order("at DESC").Limit(max).Pluck("at", &ats).Error
	if err != nil || len(ats) == 0 {
		return 0, time.Time{}, dbErr(err)
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
