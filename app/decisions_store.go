package app

import (
	"context"
	"database/sql"

	"gorm.io/gorm/clause"
)

func (tx *Tx) createDecision(d *Decision) error {
	return tx.g.Omit(clause.Associations).Create(d).Error
}

// withdrawStanding withdraws a side's standing decision on a revision and
// reports whether there was one.
func (tx *Tx) withdrawStanding(ref Ref, sideID int64, revision int) (bool, error) {
	res := tx.g.Model(&Decision{}).Where("object_type = ? AND object_id = ? AND side_id = ? AND revision = ? AND withdrawn_at IS NULL",
		string(ref.Kind), ref.ID, sideID, revision).Update("withdrawn_at", tx.now)
	return res.RowsAffected > 0, res.Error
}

// standingKind is the kind of a side's standing decision on a revision, or "".
func (tx *Tx) standingKind(ref Ref, sideID int64, revision int) (DecisionKind, error) {
	var kinds []string
	err := tx.g.Model(&Decision{}).Where("object_type = ? AND object_id = ? AND side_id = ? AND revision = ? AND withdrawn_at IS NULL",
		string(ref.Kind), ref.ID, sideID, revision).Limit(1).Pluck("kind", &kinds).Error
	if err != nil || len(kinds) == 0 {
		return "", err
	}
	return DecisionKind(kinds[0]), nil
}

func (tx *Tx) fixParties(ref Ref) error {
	return tx.g.Exec(`INSERT INTO decision_parties (object_type, object_id, side_id) SELECT ?, ?, id FROM sides WHERE kind = ?`,
		string(ref.Kind), ref.ID, KindDelegation).Error
}

// partiesStanding returns an object's parties and the decisions standing on
// a revision, in one query: the parties, each with its standing decision (if
// any) and the decision's author.
func (db *DB) partiesStanding(ctx context.Context, ref Ref, revision int) ([]int64, Standing, error) {
	rows, err := db.read(ctx).Raw(`SELECT p.side_id, d.id, d.kind, d.reason, d.user_id, d.created_at, u.name
		FROM decision_parties p
		LEFT JOIN decisions d ON d.object_type = p.object_type AND d.object_id = p.object_id AND d.side_id = p.side_id
		     AND d.revision = ? AND d.withdrawn_at IS NULL
		LEFT JOIN users u ON u.id = d.user_id
		WHERE p.object_type = ? AND p.object_id = ? ORDER BY p.side_id`, revision, string(ref.Kind), ref.ID).Rows()
	if err != nil {
		return nil, nil, dbErr(err)
	}
	defer rows.Close()
	var parties []int64
	var standing Standing
	for rows.Next() {
		var side int64
		var id, userID sql.NullInt64
		var kind, reason, name sql.NullString
		var at sql.NullTime
		if err := rows.Scan(&side, &id, &kind, &reason, &userID, &at, &name); err != nil {
			return nil, nil, dbErr(err)
		}
		parties = append(parties, side)
		if id.Valid {
			standing = append(standing, Decision{ID: id.Int64, ObjectType: string(ref.Kind), ObjectID: ref.ID, SideID: side,
				Revision: revision, Kind: DecisionKind(kind.String), Reason: reason.String, UserID: userID.Int64,
				User: &User{ID: userID.Int64, Name: name.String}, CreatedAt: at.Time})
		}
	}
	return parties, standing, dbErr(rows.Err())
}

func (db *DB) decisions(ctx context.Context, ref Ref) ([]Decision, error) {
	var out []Decision
	err := db.read(ctx).Joins("Side").Joins("User").Where("decisions.object_type = ? AND decisions.object_id = ?", string(ref.Kind), ref.ID).
		Order("decisions.created_at, decisions.id").Find(&out).Error
	return out, dbErr(err)
}

func (db *DB) decisionsOn(ctx context.Context, ref Ref, lo, hi, limit int) ([]Decision, error) {
	var out []Decision
	err := db.read(ctx).Joins("Side").Joins("User").
		Where("decisions.object_type = ? AND decisions.object_id = ? AND decisions.revision BETWEEN ? AND ?",
			string(ref.Kind), ref.ID, lo, hi).Order("decisions.revision DESC, decisions.created_at DESC, decisions.id DESC").Limit(limit).Find(&out).Error
	return out, dbErr(err)
}

// standingOn loads the standing decisions of many objects in one query,
// whatever their number, with the deciding side's names and the decider's
// name, scanned by hand (the lists call it on every page).
func (db *DB) standingOn(ctx context.Context, kind Kind, current map[int64]int) (map[int64]Standing, error) {
	out := map[int64]Standing{}
	if len(current) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(current))
	for id := range current {
		ids = append(ids, id)
	}
	rows, err := db.read(ctx).Raw(`SELECT d.id, d.object_id, d.side_id, d.revision, d.kind, d.reason, d.user_id, d.created_at,
		    s.code, s.kind, s.name_en, s.name_zh, u.name
		FROM decisions d JOIN sides s ON s.id = d.side_id JOIN users u ON u.id = d.user_id
		WHERE d.object_type = ? AND d.object_id IN ? AND d.withdrawn_at IS NULL
		ORDER BY d.side_id, d.id`, string(kind), ids).Rows()
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		d := Decision{ObjectType: string(kind), Side: &Side{}, User: &User{}}
		if err := rows.Scan(&d.ID, &d.ObjectID, &d.SideID, &d.Revision, &d.Kind, &d.Reason, &d.UserID, &d.CreatedAt,
			&d.Side.Code, &d.Side.Kind, &d.Side.NameEN, &d.Side.NameZH, &d.User.Name); err != nil {
			return nil, dbErr(err)
		}
		if d.Revision != current[d.ObjectID] {
			continue // voided by a later revision
		}
		d.Side.ID, d.User.ID, d.User.SideID = d.SideID, d.UserID, d.SideID
		out[d.ObjectID] = append(out[d.ObjectID], d)
	}
	return out, dbErr(rows.Err())
}

// The SQL conditions owners put into their own queries. idCol and revCol
// name the owner's columns holding the object's row id and current revision.

// AllPartiesDecided is true when the object has parties and every one of
// them has a standing decision of kind k on the revision in revCol.
func AllPartiesDecided(kind Kind, idCol, revCol string, k DecisionKind) (string, []any) {
	return `EXISTS (SELECT 1 FROM decision_parties p WHERE p.object_type = ? AND p.object_id = ` + idCol + `)
		AND NOT EXISTS (SELECT 1 FROM decision_parties p WHERE p.object_type = ? AND p.object_id = ` + idCol + ` AND NOT EXISTS (
		    SELECT 1 FROM decisions d WHERE d.object_type = p.object_type AND d.object_id = p.object_id AND d.side_id = p.side_id
		    AND d.revision = ` + revCol + ` AND d.kind = ? AND d.withdrawn_at IS NULL))`,
		[]any{string(kind), string(kind), string(k)}
}

// IsParty is true when the side is a party to the object.
func IsParty(kind Kind, idCol string, sideID int64) (string, []any) {
	return `EXISTS (SELECT 1 FROM decision_parties p WHERE p.object_type = ? AND p.object_id = ` + idCol + ` AND p.side_id = ?)`,
		[]any{string(kind), sideID}
}

// HasStanding is true when a standing decision is on the revision in revCol:
// of kind k ("" for any kind), by the side (0 for any side).
func HasStanding(kind Kind, idCol, revCol string, sideID int64, k DecisionKind) (string, []any) {
	q := `EXISTS (SELECT 1 FROM decisions d WHERE d.object_type = ? AND d.object_id = ` + idCol +
		` AND d.revision = ` + revCol + ` AND d.withdrawn_at IS NULL`
	args := []any{string(kind)}
	if sideID != 0 {
		q += ` AND d.side_id = ?`
		args = append(args, sideID)
	}
	if k != "" {
		q += ` AND d.kind = ?`
		args = append(args, string(k))
	}
	return q + `)`, args
}
