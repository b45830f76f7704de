package app

import (
	"context"

	"gorm.io/gorm/clause"
)

type setting struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (tx *Tx) setSetting(key, value string) error {
	return tx.g.Clauses(clause.OnConflict{UpdateAll: true}).Create(&setting{Key: key, Value: value}).Error
}

func (db *DB) setting(ctx context.Context, key string) (string, error) {
	var s setting
	res := db.read(ctx).Where("key = ?", key).Limit(1).Find(&s)
	return s.Value, dbErr(res.Error)
}
