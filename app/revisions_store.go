package app

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

func (tx *Tx) createRevision(r *Revision) error {
	return tx.g.Omit(clause.Associations).Create(r).Error
}

func (db *DB) revisions(ctx context.Context, ref Ref) ([]Revision, error) {
	var out []Revision
	err := db.read(ctx).Joins("Author").Where("revisions.object_type = ? AND revisions.object_id = ?", string(ref.Kind), ref.ID).
		Order("revisions.number").Find(&out).Error
	return out, dbErr(err)
}

// revisionRange reads revisions lo to hi of an object, newest first, without their text.
func (db *DB) revisionRange(ctx context.Context, ref Ref, lo, hi int) ([]Revision, error) {
	var out []Revision
	err := db.read(ctx).Joins("Author").Omit("revisions.body").
		Where("revisions.object_type = ? AND revisions.object_id = ? AND revisions.number BETWEEN ? AND ?",
			string(ref.Kind), ref.ID, lo, hi).Order("revisions.number DESC").Find(&out).Error
	return out, dbErr(err)
}

// revisionsNumbered reads the revisions of the given numbers of an object, oldest first.
func (db *DB) revisionsNumbered(ctx context.Context, ref Ref, numbers []int) ([]Revision, error) {
	var out []Revision
	if len(numbers) == 0 {
		return out, nil
	}
	err := db.read(ctx).Joins("Author").
		Where("revisions.object_type = ? AND revisions.object_id = ? AND revisions.number IN ?", string(ref.Kind), ref.ID, numbers).
		Order("revisions.number").Find(&out).Error
	return out, dbErr(err)
}

// saveTranslation replaces the object's translation if it is still at the
// version the translator read (a first one: none yet), or reports a conflict.
func (tx *Tx) saveTranslation(ref Ref, in TranslationInput, authorID int64, revision int) error {
	if in.Version == 0 {
		t := &Translation{ObjectType: string(ref.Kind), ObjectID: ref.ID, Language: in.Language, Title: in.Title,
			Body: in.Body, Revision: revision, AuthorID: authorID, Version: 1, CreatedAt: tx.now, UpdatedAt: tx.now}
		err := tx.g.Omit(clause.Associations).Create(t).Error
		if isUniqueViolation(err) {
			return ErrConflict // someone translated it meanwhile
		}
		return err
	}
	res := tx.g.Model(&Translation{}).Where("object_type = ? AND object_id = ? AND version = ?", string(ref.Kind), ref.ID, in.Version).
		Updates(map[string]any{"language": in.Language, "title": in.Title, "body": in.Body, "revision": revision,
			"author_id": authorID, "version": gorm.Expr("version + 1"), "updated_at": tx.now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return nil
}

func (db *DB) translations(ctx context.Context, kind Kind, ids []int64) (map[int64]*Translation, error) {
	out := map[int64]*Translation{}
	if len(ids) == 0 {
		return out, nil
	}
	var ts []Translation
	if err := db.read(ctx).Joins("Author").Where("translations.object_type = ? AND translations.object_id IN ?", string(kind), ids).Find(&ts).Error; err != nil {
		return nil, dbErr(err)
	}
	for i := range ts {
		out[ts[i].ObjectID] = &ts[i]
	}
	return out, nil
}

// latestRevisions reads the last n revisions of an object, oldest first.
func (db *DB) latestRevisions(ctx context.Context, ref Ref, n int) ([]Revision, error) {
	var out []Revision
	err := db.read(ctx).Joins("Author").Where("revisions.object_type = ? AND revisions.object_id = ?", string(ref.Kind), ref.ID).
		Order("revisions.number DESC").Limit(n).Find(&out).Error
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, dbErr(err)
}
