package app

import "context"

// indexText replaces the terms of one part of an object's text: its
// document keeps its docid, and the terms row is rewritten.
func (tx *Tx) indexText(ref Ref, part, terms string) error {
	if err := tx.g.Exec(`INSERT INTO search_docs (object_type, object_id, part) VALUES (?, ?, ?)
		ON CONFLICT (object_type, object_id, part) DO NOTHING`, string(ref.Kind), ref.ID, part).Error; err != nil {
		return err
	}
	var docid int64
	if err := tx.g.Raw(`SELECT docid FROM search_docs WHERE object_type = ? AND object_id = ? AND part = ?`,
		string(ref.Kind), ref.ID, part).Scan(&docid).Error; err != nil {
		return err
	}
	if err := tx.g.Exec(`DELETE FROM search_terms WHERE docid = ?`, docid).Error; err != nil {
		return err
	}
	return tx.g.Exec(`INSERT INTO search_terms (docid, terms) VALUES (?, ?)`, docid, terms).Error
}

// unindexed lists rows of the owner's table (by id) with no document of their own text.
func (db *DB) unindexed(ctx context.Context, kind Kind, table string, limit int) ([]int64, error) {
	var ids []int64
	err := db.read(ctx).Table(table+" AS o").Where(`NOT EXISTS (SELECT 1 FROM search_docs d
		WHERE d.object_type = ? AND d.object_id = o.id AND d.part = ?)`, string(kind), SearchText).
		Order("o.id").Limit(limit).Pluck("o.id", &ids).Error
	return ids, dbErr(err)
}
