package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Store side of the audit logs: Merkle trees, checkpoints, witness tokens
// and cosignatures.

type treeRow struct {
	Chain string `gorm:"primaryKey"`
	Idx   int64  `gorm:"primaryKey"`
	Hash  []byte
}

func (treeRow) TableName() string { return "audit_tree" }

type checkpointRow struct {
	ID     int64
	Chain  string
	Number int64
	Size   int64
	Root   string
	At     string
	Note   string
}

func (checkpointRow) TableName() string { return "audit_checkpoints" }

type witnessTokenRow struct {
	ID         int64
	PublicID   string
	SideID     int64
	Label      string
	Key        string
	KeyName    string
	TokenHash  string
	CreatedBy  int64
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	RevokedBy  *int64
}

func (witnessTokenRow) TableName() string { return "witness_tokens" }

type cosignatureRow struct {
	ID           int64
	CheckpointID int64
	SideID       int64
	TokenID      int64
	Note         string
	At           time.Time
}

func (cosignatureRow) TableName() string { return "audit_cosignatures" }

// refKeySetting holds the key of the records' object references.
const refKeySetting = "audit_ref_key"

// leafHash is the Merkle leaf of a record: tlog's record hash of the
// record's own SHA-256.
func leafHash(recordHash string) (tlog.Hash, error) {
	b, err := hex.DecodeString(recordHash)
	if err != nil || len(b) != sha256.Size {
		return tlog.Hash{}, fmt.Errorf("record hash %q is not a SHA-256", recordHash)
	}
	return tlog.RecordHash(b), nil
}

// newLogName gives a new chain its public name: "shared", "side-<code>"
// for a side's chain, "log-<random>" for an object's own chain.
func (tx *Tx) newLogName(chain string) (string, error) {
	return logNameFor(chain, func(id int64) (string, error) {
		var code string
		err := tx.g.Raw("SELECT code FROM sides WHERE id = ?", id).Scan(&code).Error
		return code, err
	})
}

func logNameFor(chain string, sideCode func(int64) (string, error)) (string, error) {
	switch {
	case chain == ChainShared:
		return ChainShared, nil
	case strings.HasPrefix(chain, "side:"):
		code, err := sideCode(ChainSideID(chain))
		if err != nil {
			return "", err
		}
		if code == "" {
			return "", fmt.Errorf("chain %s: no such side", chain)
		}
		return "side-" + strings.ToLower(code), nil
	default:
		return "log-" + newPublicID(), nil
	}
}

// objectRef is the keyed reference a version 2 record hashes instead of
// its object's row id: the same for every record of one object, and
// telling nothing of the id to whoever lacks the key (kept in the database).
func (tx *Tx) objectRef(objectType string, objectID int64) (string, error) {
	key := tx.db.refKey.Load()
	if key == nil {
		var v string
		if err := tx.g.Raw("SELECT value FROM settings WHERE key = ?", refKeySetting).Scan(&v).Error; err != nil {
			return "", err
		}
		b, err := hex.DecodeString(v)
		if err != nil || len(b) < 32 {
			return "", errors.New("the audit reference key is missing: run the migrations")
		}
		key = &b
		tx.db.refKey.Store(key)
	}
	return objectRefWith(*key, objectType, objectID), nil
}

func objectRefWith(key []byte, objectType string, objectID int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(objectType + ":" + strconv.FormatInt(objectID, 10)))
	return hex.EncodeToString(m.Sum(nil))[:publicIDLen]
}

// treeReader reads a chain's stored hashes through g.
func treeReader(g *gorm.DB, chain string) tlog.HashReaderFunc {
	return func(indexes []int64) ([]tlog.Hash, error) {
		var rows []treeRow
		if err := g.Where("chain = ? AND idx IN ?", chain, indexes).Find(&rows).Error; err != nil {
			return nil, err
		}
		byIdx := make(map[int64][]byte, len(rows))
		for _, r := range rows {
			byIdx[r.Idx] = r.Hash
		}
		out := make([]tlog.Hash, len(indexes))
		for i, idx := range indexes {
			b, ok := byIdx[idx]
			if !ok || len(b) != tlog.HashSize {
				return nil, fmt.Errorf("log %s: stored hash %d is missing", chain, idx)
			}
			copy(out[i][:], b)
		}
		return out, nil
	}
}

// appendLeaf stores the tree hashes that record n (0-based) adds.
func (tx *Tx) appendLeaf(chain string, n int64, recordHash string) error {
	leaf, err := leafHash(recordHash)
	if err != nil {
		return err
	}
	hashes, err := tlog.StoredHashesForRecordHash(n, leaf, treeReader(tx.g, chain))
	if err != nil {
		return err
	}
	start := tlog.StoredHashIndex(0, n)
	rows := make([]treeRow, len(hashes))
	for i, h := range hashes {
		rows[i] = treeRow{Chain: chain, Idx: start + int64(i), Hash: h[:]}
	}
	return tx.g.Create(&rows).Error
}

// memTree is a tree held in memory: stored hashes in tlog's numbering.
type memTree []tlog.Hash

func (t memTree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		if idx < 0 || idx >= int64(len(t)) {
			return nil, fmt.Errorf("stored hash %d is missing", idx)
		}
		out[i] = t[idx]
	}
	return out, nil
}

// treeBuilder builds a tree of record hashes in memory.
type treeBuilder struct {
	hashes memTree
	n      int64
}

func (b *treeBuilder) add(recordHash string) error {
	leaf, err := leafHash(recordHash)
	if err != nil {
		return err
	}
	hs, err := tlog.StoredHashesForRecordHash(b.n, leaf, b.hashes)
	if err != nil {
		return err
	}
	b.hashes = append(b.hashes, hs...)
	b.n++
	return nil
}

// carryOverLogs is migration 00022: it keys the object references, names
// every existing chain and builds its Merkle tree from the records' current
// hashes, which it leaves as they are.
func carryOverLogs(ctx context.Context, tx *sql.Tx) error {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
		refKeySetting, hex.EncodeToString(key)); err != nil {
		return err
	}
	var chains []string
	rows, err := tx.QueryContext(ctx, "SELECT chain FROM audit_heads ORDER BY chain")
	if err != nil {
		return err
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		chains = append(chains, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	insert, err := tx.PrepareContext(ctx, "INSERT INTO audit_tree (chain, idx, hash) VALUES (?, ?, ?)")
	if err != nil {
		return err
	}
	defer insert.Close()
	for _, chain := range chains {
		name, err := logNameFor(chain, func(id int64) (string, error) {
			var code string
			err := tx.QueryRowContext(ctx, "SELECT code FROM sides WHERE id = ?", id).Scan(&code)
			return code, err
		})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE audit_heads SET name = ? WHERE chain = ?", name, chain); err != nil {
			return err
		}
		var b treeBuilder
		recs, err := tx.QueryContext(ctx, "SELECT hash FROM audit_records WHERE chain = ? ORDER BY seq", chain)
		if err != nil {
			return err
		}
		for recs.Next() {
			var h string
			if err := recs.Scan(&h); err != nil {
				recs.Close()
				return err
			}
			if err := b.add(h); err != nil {
				recs.Close()
				return fmt.Errorf("chain %s: %w", chain, err)
			}
		}
		recs.Close()
		if err := recs.Err(); err != nil {
			return err
		}
		for i, h := range b.hashes {
			if _, err := insert.ExecContext(ctx, chain, i, h[:]); err != nil {
				return err
			}
		}
	}
	return nil
}

// grownChains lists the chains longer than their latest checkpoint, with the
// number of that checkpoint.
type grownChain struct {
	Chain      string
	Name       string
	Seq        int64
	LastNumber int64
}

func (db *DB) grownChains(ctx context.Context, limit int) ([]grownChain, error) {
	var out []grownChain
	err := db.read(ctx).Raw(`SELECT h.chain, h.name, h.seq,
			COALESCE((SELECT MAX(c.number) FROM audit_checkpoints c WHERE c.chain = h.chain), 0) AS last_number
		FROM audit_heads h
		WHERE h.name IS NOT NULL AND h.seq > COALESCE((SELECT MAX(c.size) FROM audit_checkpoints c WHERE c.chain = h.chain), 0)
		ORDER BY h.chain LIMIT ?`, limit).Scan(&out).Error
	return out, dbErr(err)
}

// signCheckpoints signs, in one transaction, a checkpoint of each given
// chain at its current size. A chain another server has just signed at that
// size is left alone.
func (db *DB) signCheckpoints(ctx context.Context, now time.Time, chains []grownChain, sign func(name string, size int64, root tlog.Hash, at time.Time) (string, error)) (int, error) {
	signed := 0
	err := db.write(ctx, now, func(tx *Tx) error {
		signed = 0
		for _, gc := range chains {
			var head auditHead
			if err := tx.g.Where("chain = ?", gc.Chain).Limit(1).Find(&head).Error; err != nil {
				return err
			}
			var last checkpointRow
			if err := tx.g.Where("chain = ?", gc.Chain).Order("number DESC").Limit(1).Find(&last).Error; err != nil {
				return err
			}
			if head.Seq <= last.Size || head.Name == nil {
				continue
			}
			root, err := tlog.TreeHash(head.Seq, treeReader(tx.g, gc.Chain))
			if err != nil {
				return fmt.Errorf("log %s: %w", head.name(), err)
			}
			at := tx.now.Truncate(time.Second)
			text, err := sign(head.name(), head.Seq, root, at)
			if err != nil {
				return err
			}
			row := checkpointRow{Chain: gc.Chain, Number: last.Number + 1, Size: head.Seq, Root: root.String(),
				At: at.Format(time.RFC3339), Note: text}
			res := tx.g.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
			if res.Error != nil {
				return res.Error
			}
			signed += int(res.RowsAffected)
		}
		return nil
	})
	return signed, err
}

// headByName finds a chain by its public name.
func (db *DB) headByName(ctx context.Context, name string) (auditHead, error) {
	var h auditHead
	res := db.read(ctx).Where("name = ?", name).Limit(1).Find(&h)
	if res.Error != nil {
		return h, dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return h, ErrNotFound
	}
	return h, nil
}

// headsAfter lists chains by public name after the cursor.
func (db *DB) headsAfter(ctx context.Context, after string, limit int) ([]auditHead, error) {
	var hs []auditHead
	err := db.read(ctx).Where("name IS NOT NULL AND name > ?", after).Order("name").Limit(limit).Find(&hs).Error
	return hs, dbErr(err)
}

// latestCheckpoints returns each chain's newest checkpoint.
func (db *DB) latestCheckpoints(ctx context.Context, chains []string) (map[string]checkpointRow, error) {
	out := map[string]checkpointRow{}
	if len(chains) == 0 {
		return out, nil
	}
	var rows []checkpointRow
	err := db.read(ctx).Where("chain IN ? AND number = (SELECT MAX(c2.number) FROM audit_checkpoints c2 WHERE c2.chain = audit_checkpoints.chain)", chains).
		Find(&rows).Error
	if err != nil {
		return nil, dbErr(err)
	}
	for _, r := range rows {
		out[r.Chain] = r
	}
	return out, nil
}

// cosignedRow is a side's newest cosignature of a chain, with its checkpoint.
type cosignedRow struct {
	Chain    string
	Number   int64
	Size     int64
	Root     string
	SideID   int64
	SideCode string
	Note     string
	At       time.Time
	Key      string
	KeyName  string
}

// latestCosignatures returns, for each chain, each side's newest
// cosignature, in one statement.
func (db *DB) latestCosignatures(ctx context.Context, chains []string) ([]cosignedRow, error) {
	if len(chains) == 0 {
		return nil, nil
	}
	var rows []cosignedRow
	err := db.read(ctx).Raw(`SELECT c.chain, c.number, c.size, c.root, s.side_id, sd.code AS side_code, s.note, s.at, t.key, t.key_name
		FROM audit_cosignatures s
		JOIN audit_checkpoints c ON c.id = s.checkpoint_id
		JOIN sides sd ON sd.id = s.side_id
		JOIN witness_tokens t ON t.id = s.token_id
		WHERE c.chain IN ? AND c.size = (SELECT MAX(c2.size) FROM audit_checkpoints c2
			JOIN audit_cosignatures s2 ON s2.checkpoint_id = c2.id
			WHERE c2.chain = c.chain AND s2.side_id = s.side_id)
		ORDER BY c.chain, sd.code`, chains).Scan(&rows).Error
	return rows, dbErr(err)
}

// checkpointAt returns a chain's checkpoint of the given size.
func (db *DB) checkpointAt(ctx context.Context, chain string, size int64) (checkpointRow, error) {
	var r checkpointRow
	res := db.read(ctx).Where("chain = ? AND size = ?", chain, size).Limit(1).Find(&r)
	if res.Error != nil {
		return r, dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return r, ErrNotFound
	}
	return r, nil
}

// proveTree proves that the tree of size n is a prefix of the tree of size t.
func (db *DB) proveTree(ctx context.Context, chain string, t, n int64) (tlog.TreeProof, error) {
	var p tlog.TreeProof
	err := db.read(ctx).Transaction(func(g *gorm.DB) error {
		var err error
		p, err = tlog.ProveTree(t, n, treeReader(g, chain))
		return err
	})
	return p, err
}

func (tx *Tx) addCosignature(row *cosignatureRow) (bool, error) {
	res := tx.g.Clauses(clause.OnConflict{DoNothing: true}).Create(row)
	if res.Error != nil {
		return false, res.Error
	}
	if err := tx.g.Model(&witnessTokenRow{}).Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", row.TokenID, tx.now).
		Update("last_used_at", tx.now).Error; err != nil {
		return false, err
	}
	return res.RowsAffected > 0, nil
}

func (tx *Tx) createWitnessToken(row *witnessTokenRow) error { return tx.g.Create(row).Error }

func (tx *Tx) revokeWitnessToken(id, by int64) (bool, error) {
	res := tx.g.Model(&witnessTokenRow{}).Where("id = ? AND revoked_at IS NULL", id).
		Updates(map[string]any{"revoked_at": tx.now, "revoked_by": by})
	return res.RowsAffected > 0, res.Error
}

func (db *DB) witnessTokenByHash(ctx context.Context, hash string) (witnessTokenRow, error) {
	var r witnessTokenRow
	res := db.read(ctx).Where("token_hash = ? AND revoked_at IS NULL", hash).Limit(1).Find(&r)
	if res.Error != nil {
		return r, dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return r, ErrNotFound
	}
	return r, nil
}

func (db *DB) witnessTokenByPublicID(ctx context.Context, sideID int64, publicID string) (witnessTokenRow, error) {
	var r witnessTokenRow
	res := db.read(ctx).Where("public_id = ? AND side_id = ?", publicID, sideID).Limit(1).Find(&r)
	if res.Error != nil {
		return r, dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return r, ErrNotFound
	}
	return r, nil
}

// witnessTokens lists a side's tokens, newest first, with their creators'
// names, bounded.
func (db *DB) witnessTokens(ctx context.Context, sideID int64, limit int) ([]WitnessToken, error) {
	var rows []struct {
		PublicID, Label, Key, KeyName, CreatorName string
		CreatedAt                                  time.Time
		LastUsedAt, RevokedAt                      *time.Time
	}
	err := db.read(ctx).Table("witness_tokens").
		Select("witness_tokens.public_id, witness_tokens.label, witness_tokens.key, witness_tokens.key_name, witness_tokens.created_at, witness_tokens.last_used_at, witness_tokens.revoked_at, users.name AS creator_name").
		Joins("JOIN users ON users.id = witness_tokens.created_by").
		Where("witness_tokens.side_id = ?", sideID).Order("witness_tokens.id DESC").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, dbErr(err)
	}
	out := make([]WitnessToken, len(rows))
	for i, r := range rows {
		out[i] = WitnessToken{PublicID: r.PublicID, Label: r.Label, Key: r.Key, KeyName: r.KeyName,
			CreatedBy: r.CreatorName, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, RevokedAt: r.RevokedAt}
	}
	return out, nil
}

// logMarkRow is one row of logMark's statement: the record, the first
// checkpoint that includes it, and one of that checkpoint's cosignatures.
type logMarkRow struct {
	Chain    string
	Seq      int64
	Name     *string
	Number   *int64
	Size     *int64
	CpAt     *string
	SideCode *string
	CosAt    *time.Time
}

// logMark finds the newest record of the given actions on an object in the
// given chains, the first checkpoint that includes it and that checkpoint's
// cosigners, in one statement.
func (db *DB) logMark(ctx context.Context, objectType string, objectID int64, actions, chains []string) ([]logMarkRow, error) {
	var rows []logMarkRow
	err := db.read(ctx).Raw(`SELECT r.chain, r.seq, h.name, c.number, c.size, c.at AS cp_at, sd.code AS side_code, s.at AS cos_at
		FROM (SELECT chain, seq FROM audit_records
			WHERE object_type = ? AND object_id = ? AND action IN ? AND chain IN ?
			ORDER BY id DESC LIMIT 1) r
		JOIN audit_heads h ON h.chain = r.chain
		LEFT JOIN audit_checkpoints c ON c.chain = r.chain AND c.number =
			(SELECT MIN(c2.number) FROM audit_checkpoints c2 WHERE c2.chain = r.chain AND c2.size >= r.seq)
		LEFT JOIN audit_cosignatures s ON s.checkpoint_id = c.id
		LEFT JOIN sides sd ON sd.id = s.side_id
		ORDER BY sd.code`, objectType, objectID, actions, chains).Scan(&rows).Error
	return rows, dbErr(err)
}

// exportRows reads the first size records of a chain, in order, and builds
// its tree in memory.
func (db *DB) exportRows(ctx context.Context, chain string, size int64, each func(r AuditRecord) error) error {
	rows, err := db.read(ctx).Model(&auditRow{}).Where("chain = ? AND seq <= ?", chain, size).Order("seq").Rows()
	if err != nil {
		return dbErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r auditRow
		if err := db.r.ScanRows(rows, &r); err != nil {
			return err
		}
		if err := each(r.record()); err != nil {
			return err
		}
	}
	return rows.Err()
}

// cosignedCheckpoint returns a chain's newest checkpoint that a witness has
// cosigned, with its cosignatures, or its newest checkpoint when none is.
func (db *DB) cosignedCheckpoint(ctx context.Context, chain string) (checkpointRow, []cosignedRow, error) {
	var cp checkpointRow
	res := db.read(ctx).Where("chain = ? AND id IN (SELECT checkpoint_id FROM audit_cosignatures)", chain).
		Order("number DESC").Limit(1).Find(&cp)
	if res.Error != nil {
		return cp, nil, dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		res = db.read(ctx).Where("chain = ?", chain).Order("number DESC").Limit(1).Find(&cp)
		if res.Error != nil {
			return cp, nil, dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return cp, nil, ErrNotFound
		}
		return cp, nil, nil
	}
	var cos []cosignedRow
	err := db.read(ctx).Raw(`SELECT sd.code AS side_code, s.side_id, s.note, s.at, t.key, t.key_name
		FROM audit_cosignatures s JOIN sides sd ON sd.id = s.side_id JOIN witness_tokens t ON t.id = s.token_id
		WHERE s.checkpoint_id = ? ORDER BY sd.code`, cp.ID).Scan(&cos).Error
	return cp, cos, dbErr(err)
}

// verifyTrees rebuilds every chain's tree from its records' hashes and
// compares it with the stored hashes, and every checkpoint's root with the
// rebuilt tree.
func (db *DB) verifyTrees(ctx context.Context, checkSig func(note string) error) ([]ChainProblem, error) {
	var problems []ChainProblem
	err := db.read(ctx).Transaction(func(q *gorm.DB) error {
		var heads []auditHead
		if err := q.Order("chain").Find(&heads).Error; err != nil {
			return err
		}
		for _, h := range heads {
			var b treeBuilder
			var p *ChainProblem
			rows, err := q.Model(&auditRow{}).Select("seq, hash").Where("chain = ?", h.Chain).Order("seq").Rows()
			if err != nil {
				return err
			}
			for rows.Next() {
				var seq int64
				var hash string
				if err := rows.Scan(&seq, &hash); err != nil {
					rows.Close()
					return err
				}
				if p == nil {
					if err := b.add(hash); err != nil {
						p = &ChainProblem{Chain: h.Chain, Seq: seq, Reason: "hash is not a SHA-256"}
					}
				}
			}
			rows.Close()
			if p == nil {
				var stored []treeRow
				if err := q.Where("chain = ?", h.Chain).Order("idx").Find(&stored).Error; err != nil {
					return err
				}
				if len(stored) != len(b.hashes) {
					p = &ChainProblem{Chain: h.Chain, Reason: fmt.Sprintf("its Merkle tree holds %d hashes where its records make %d", len(stored), len(b.hashes))}
				} else {
					for i, s := range stored {
						if s.Idx != int64(i) || string(s.Hash) != string(b.hashes[i][:]) {
							p = &ChainProblem{Chain: h.Chain, Reason: fmt.Sprintf("stored Merkle hash %d does not match its records", i)}
							break
						}
					}
				}
			}
			if p == nil {
				var cps []checkpointRow
				if err := q.Where("chain = ?", h.Chain).Order("number").Find(&cps).Error; err != nil {
					return err
				}
				for _, cp := range cps {
					root, err := tlog.TreeHash(cp.Size, b.hashes)
					switch {
					case err != nil || cp.Size > b.n:
						p = &ChainProblem{Chain: h.Chain, Reason: fmt.Sprintf("checkpoint %d is of size %d, beyond the log", cp.Number, cp.Size)}
					case root.String() != cp.Root:
						p = &ChainProblem{Chain: h.Chain, Reason: fmt.Sprintf("checkpoint %d (size %d) does not match the log's tree", cp.Number, cp.Size)}
					default:
						if err := checkSig(cp.Note); err != nil {
							p = &ChainProblem{Chain: h.Chain, Reason: fmt.Sprintf("checkpoint %d: %v", cp.Number, err)}
						}
					}
					if p != nil {
						break
					}
				}
			}
			if p != nil {
				problems = append(problems, *p)
			}
		}
		return nil
	})
	return problems, err
}

// dropLogTrees undoes migration 00022.
func dropLogTrees(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		"DROP TRIGGER audit_tree_no_delete",
		"DELETE FROM audit_tree",
		"UPDATE audit_heads SET name = NULL",
		"DELETE FROM settings WHERE key = '" + refKeySetting + "'",
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `CREATE TRIGGER audit_tree_no_delete BEFORE DELETE ON audit_tree
BEGIN
    SELECT RAISE(ABORT, 'audit trees are append-only');
END`)
	return err
}

func (db *DB) sideCode(ctx context.Context, id int64) (string, error) {
	var code string
	err := db.read(ctx).Raw("SELECT code FROM sides WHERE id = ?", id).Scan(&code).Error
	return code, dbErr(err)
}
