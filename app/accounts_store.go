package app

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

func (db *DB) userByID(ctx context.Context, id, sideID int64) (*User, error) {
	q := db.read(ctx).Joins("Side").Where("users.id = ?", id)
	if sideID != 0 {
		q = q.Where("users.side_id = ?", sideID)
	}
	var u User
	if err := q.Take(&u).Error; err != nil {
		return nil, dbErr(err)
	}
	return &u, nil
}

func (db *DB) userByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	if err := db.read(ctx).Joins("Side").Where("users.email = ?", email).Take(&u).Error; err != nil {
		return nil, dbErr(err)
	}
	return &u, nil
}

// listUsers runs two queries (page and count) plus one for the sides, whatever the page size.
func (db *DB) listUsers(ctx context.Context, f UserFilter) (PageOf[User], error) {
	q := func() *gorm.DB {
		q := db.read(ctx).Model(&User{})
		if f.SideID != 0 {
			q = q.Where("side_id = ?", f.SideID)
		}
		return q
	}
	out := PageOf[User]{Page: f.Page}
	if err := q().Count(&out.Total).Error; err != nil {
		return out, dbErr(err)
	}
	err := q().Preload("Side").Order("side_id, disabled_at IS NOT NULL, name, id").
		Limit(f.Page.Size).Offset(f.Page.Offset()).Find(&out.Items).Error
	return out, dbErr(err)
}

// pendingUsers lists a side's pending accounts, oldest first.
func (db *DB) pendingUsers(ctx context.Context, sideID int64, limit int) ([]User, error) {
	var out []User
	err := db.read(ctx).Preload("Side").Where("side_id = ? AND pending AND disabled_at IS NULL", sideID).
		Order("created_at, id").Limit(limit).Find(&out).Error
	return out, dbErr(err)
}

func (db *DB) sideByID(ctx context.Context, id int64) (*Side, error) {
	var s Side
	if err := db.read(ctx).Where("id = ?", id).Take(&s).Error; err != nil {
		return nil, dbErr(err)
	}
	return &s, nil
}

func (db *DB) sideByCode(ctx context.Context, code string) (*Side, error) {
	var s Side
	if err := db.read(ctx).Where("code = ?", code).Take(&s).Error; err != nil {
		return nil, dbErr(err)
	}
	return &s, nil
}

// listSides returns the delegations by code, then the secretariat.
func (db *DB) listSides(ctx context.Context) ([]Side, error) {
	var out []Side
	err := db.read(ctx).Order("kind, code").Find(&out).Error
	return out, dbErr(err)
}

func (db *DB) countUsers(ctx context.Context) (int64, error) {
	var n int64
	err := db.read(ctx).Model(&User{}).Count(&n).Error
	return n, dbErr(err)
}

func (tx *Tx) userByID(id int64) (*User, error) {
	var u User
	if err := tx.g.Preload("Side").Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, err
	}
	return &u, nil
}

func (tx *Tx) createUser(u *User) error {
	u.PublicID = newPublicID()
	return tx.g.Omit(clause.Associations).Create(u).Error
}

// updateUser applies fields if the row is still at version; otherwise it
// reports a conflict and changes nothing.
func (tx *Tx) updateUser(id, version int64, fields map[string]any) error {
	return tx.updateVersioned("users", id, version, fields)
}

func (tx *Tx) updateSide(id, version int64, fields map[string]any) error {
	return tx.updateVersioned("sides", id, version, fields)
}

func (tx *Tx) createSide(s *Side) error {
	s.PublicID = newPublicID()
	return tx.g.Create(s).Error
}

// updateVersioned is the optimistic-concurrency update every record uses:
// the row changes only if nobody changed it since the editor loaded it. The
// version goes up by one, unless fields sets a higher one.
func (tx *Tx) updateVersioned(table string, id, version int64, fields map[string]any) error {
	if _, set := fields["version"]; !set {
		fields["version"] = gorm.Expr("version + 1")
	}
	fields["updated_at"] = tx.now
	res := tx.g.Table(table).Where("id = ? AND version = ?", id, version).Updates(fields)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return nil
}

// deleteSessions ends every session of a user except keep (0: all).
func (tx *Tx) deleteSessions(userID, keep int64) error {
	return tx.g.Where("user_id = ? AND id <> ?", userID, keep).Delete(&Session{}).Error
}
