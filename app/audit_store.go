package app

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"gorm.io/gorm"
)

type auditRow struct {
	ID         int64
	Chain      string
	Seq        int64
	At         string
	ActorID    *int64
	ActorName  string
	ActorSide  string
	Action     string
	ObjectType string
	ObjectID   int64
	Changes    string
	PrevHash   string
	Hash       string
	Version    int
	ObjectRef  string
	LogName    string
}

func (auditRow) TableName() string { return "audit_records" }

type auditHead struct {
	Chain string `gorm:"primaryKey"`
	Seq   int64
	Hash  string
	Name  *string // the public name (nil only before migration 00022 named it)
}

func (h auditHead) name() string {
	if h.Name == nil {
		return ""
	}
	return *h.Name
}

func (auditHead) TableName() string { return "audit_heads" }

func (r *auditRow) record() AuditRecord {
	at, _ := time.Parse(time.RFC3339Nano, r.At)
	return AuditRecord{ID: r.ID, Chain: r.Chain, Seq: r.Seq, At: at, ActorID: r.ActorID,
		ActorName: r.ActorName, ActorSide: r.ActorSide, Action: r.Action, ObjectType: r.ObjectType,
		ObjectID: r.ObjectID, Changes: r.Changes, PrevHash: r.PrevHash, Hash: r.Hash,
		Version: r.Version, ObjectRef: r.ObjectRef, LogName: r.LogName}
}

// audit appends a record to the right chain inside the transaction, and its
// hash as the next leaf of the chain's Merkle tree. The single writer
// connection and IMMEDIATE transactions make the read of the chain head and
// the append atomic.
func (tx *Tx) audit(actor *User, a Audit) error {
	chain := tx.db.chainOf(a)
	changes := a.Changes
	if changes == nil {
		changes = map[string]any{}
	}
	cj, err := json.Marshal(changes) // map keys are sorted: canonical
	if err != nil {
		return err
	}
	var head auditHead
	res := tx.g.Where("chain = ?", chain).Limit(1).Find(&head)
	if res.Error != nil {
		return res.Error
	}
	if head.Seq == 0 {
		name, err := tx.newLogName(chain)
		if err != nil {
			return err
		}
		head.Name = &name
	}
	ref, err := tx.objectRef(a.ObjectType, a.ObjectID)
	if err != nil {
		return err
	}
	rec := AuditRecord{
		Chain: chain, Seq: head.Seq + 1, At: tx.now, Action: a.Action,
		ObjectType: a.ObjectType, ObjectID: a.ObjectID, Changes: string(cj), PrevHash: head.Hash,
		Version: 2, ObjectRef: ref, LogName: head.name(),
	}
	if actor != nil && actor.ID != 0 {
		id := actor.ID
		rec.ActorID = &id
	}
	if actor != nil {
		rec.ActorName = actor.Name
		if actor.Side != nil {
			rec.ActorSide = actor.Side.Code
		}
	}
	rec.Hash = hashRecord(&rec)
	row := auditRow{Chain: rec.Chain, Seq: rec.Seq, At: rec.At.UTC().Format(time.RFC3339Nano),
		ActorID: rec.ActorID, ActorName: rec.ActorName, ActorSide: rec.ActorSide, Action: rec.Action,
		ObjectType: rec.ObjectType, ObjectID: rec.ObjectID, Changes: rec.Changes, PrevHash: rec.PrevHash, Hash: rec.Hash,
		Version: rec.Version, ObjectRef: rec.ObjectRef, LogName: rec.LogName}
	if err := tx.g.Create(&row).Error; err != nil {
		return err
	}
	if head.Seq == 0 {
		err = tx.g.Create(&auditHead{Chain: chain, Seq: rec.Seq, Hash: rec.Hash, Name: head.Name}).Error
	} else {
		err = tx.g.Model(&auditHead{}).Where("chain = ? AND seq = ?", chain, head.Seq).
			Updates(map[string]any{"seq": rec.Seq, "hash": rec.Hash}).Error
	}
	if err != nil {
		return err
	}
	return tx.appendLeaf(chain, rec.Seq-1, rec.Hash)
}

func (db *DB) chainHeads(ctx context.Context) ([]ChainHead, error) {
	var heads []auditHead
	if err := db.read(ctx).Order("chain").Find(&heads).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]ChainHead, 0, len(heads))
	for _, h := range heads {
		out = append(out, ChainHead{Chain: h.Chain, Name: h.name(), SideID: ChainSideID(h.Chain), Length: h.Seq, Hash: h.Hash})
	}
	// The shared chain first, then side chains.
	for i, h := range out {
		if h.Chain == ChainShared && i > 0 {
			out[0], out[i] = out[i], out[0]
		}
	}
	return out, nil
}

// historyPage loads one page of an object's records (page 0: the newest)
// and their number, in two queries.
func (db *DB) historyPage(ctx context.Context, objectType string, objectID int64, chains []string, pg Page) (PageOf[AuditRecord], error) {
	q := func() *gorm.DB {
		return db.read(ctx).Model(&auditRow{}).Where("object_type = ? AND object_id = ? AND chain IN ?", objectType, objectID, chains)
	}
	out := PageOf[AuditRecord]{Page: pg}
	if err := q().Count(&out.Total).Error; err != nil {
		return out, dbErr(err)
	}
	if out.Page.Number == 0 {
		out.Page.Number = out.Pages() // the newest activity first
	}
	out.Page = out.Page.Normalize()
	var rows []auditRow
	size, total := out.Page.Size, int(out.Total)
	if n := out.Page.Number; n > out.Pages()/2 {
		// A page in the newer half (the newest is the one people open) is read
		// from the newest end, so that its cost does not grow with the history.
		after := max(0, total-n*size)
		limit := min(size, total-(n-1)*size)
		if limit > 0 {
			if err := q().Order("id DESC").Limit(limit).Offset(after).Find(&rows).Error; err != nil {
				return out, dbErr(err)
			}
		}
		slices.Reverse(rows)
	} else if err := q().Order("id").Limit(size).Offset(out.Page.Offset()).Find(&rows).Error; err != nil {
		return out, dbErr(err)
	}
	out.Items = make([]AuditRecord, len(rows))
	for i := range rows {
		out.Items[i] = rows[i].record()
	}
	return out, nil
}

func (db *DB) history(ctx context.Context, objectType string, objectID int64, chains []string) ([]AuditRecord, error) {
	var rows []auditRow
	err := db.read(ctx).Where("object_type = ? AND object_id = ? AND chain IN ?", objectType, objectID, chains).
		Order("id").Find(&rows).Error // one writer: id order is time order
	if err != nil {
		return nil, dbErr(err)
	}
	out := make([]AuditRecord, len(rows))
	for i := range rows {
		out[i] = rows[i].record()
	}
	return out, nil
}

// verifyChains walks every chain in order, recomputing each hash.
// Heads and records are read in one read transaction, so that a server
// writing at the same time cannot make a clean trail look tampered with.
func (db *DB) verifyChains(ctx context.Context) (ok []ChainHead, problems []ChainProblem, err error) {
	err = db.read(ctx).Transaction(func(q *gorm.DB) error {
		ok, problems, err = verifyChainsIn(q)
		return err
	})
	return ok, problems, err
}

func verifyChainsIn(q *gorm.DB) ([]ChainHead, []ChainProblem, error) {
	var heads []auditHead
	if err := q.Order("chain").Find(&heads).Error; err != nil {
		return nil, nil, err
	}
	headOf := map[string]auditHead{}
	for _, h := range heads {
		headOf[h.Chain] = h
	}
	rows, err := q.Model(&auditRow{}).Order("chain, seq").Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	type state struct {
		seq     int64
		hash    string
		problem *ChainProblem
	}
	states := map[string]*state{}
	var order []string
	for rows.Next() {
		var r auditRow
		if err := q.ScanRows(rows, &r); err != nil {
			return nil, nil, err
		}
		st := states[r.Chain]
		if st == nil {
			st = &state{}
			states[r.Chain] = st
			order = append(order, r.Chain)
		}
		if st.problem != nil {
			continue
		}
		rec := r.record()
		bad := func(reason string) { st.problem = &ChainProblem{Chain: r.Chain, Seq: r.Seq, ID: r.ID, Reason: reason} }
		switch {
		case r.Seq != st.seq+1:
			bad("entry missing or out of order")
		case r.PrevHash != st.hash:
			bad("does not follow the previous entry")
		case rec.Version >= 2 && headOf[r.Chain].Name != nil && rec.LogName != headOf[r.Chain].name():
			bad("names another log")
		case hashRecord(&rec) != r.Hash:
			bad("content does not match its hash")
		default:
			st.seq, st.hash = r.Seq, r.Hash
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for _, h := range heads {
		if states[h.Chain] == nil {
			states[h.Chain] = &state{}
			order = append(order, h.Chain)
		}
	}
	var ok []ChainHead
	var problems []ChainProblem
	for _, chain := range order {
		st := states[chain]
		if st.problem == nil {
			h, known := headOf[chain]
			switch {
			case !known:
				st.problem = &ChainProblem{Chain: chain, Reason: "has no recorded head"}
			case h.Seq != st.seq || h.Hash != st.hash:
				st.problem = &ChainProblem{Chain: chain, Seq: st.seq + 1, Reason: "entries after this point are missing (the recorded head is further on)"}
				if h.Seq < st.seq {
					st.problem.Reason = "entries beyond the recorded head"
				}
			}
		}
		if st.problem != nil {
			problems = append(problems, *st.problem)
			continue
		}
		ok = append(ok, ChainHead{Chain: chain, Name: headOf[chain].name(), SideID: ChainSideID(chain), Length: st.seq, Hash: st.hash})
	}
	return ok, problems, nil
}
