package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// The audit trail. Every write appends a record in the same transaction.
// Records live in one hash chain per visibility scope, so each side can
// verify the shared chain and its own without seeing the other's.

// ChainShared is the chain of everything every side may see.
const ChainShared = "shared"

// SideChain names the chain of a side's internal activity.
func SideChain(sideID int64) string { return "side:" + strconv.FormatInt(sideID, 10) }

// ChainSideID returns the side of a side chain, or 0 for any other chain.
func ChainSideID(chain string) int64 {
	id, _ := strconv.ParseInt(strings.TrimPrefix(chain, "side:"), 10, 64)
	return id
}

// ObjectChain names the chain of one object's shared activity, for kinds
// that keep one (Service.KeepOwnChains): read only through the object's
// history, by whoever its owner lets see the object, and listed on no
// audit page. Its name matches neither the shared chain nor a side's.
func ObjectChain(ref Ref) string {
	return "object:" + string(ref.Kind) + ":" + strconv.FormatInt(ref.ID, 10)
}

// chainFor returns the chain for content of the given visibility and owner.
func chainFor(vis Visibility, sideID int64) string {
	if vis == Internal {
		return SideChain(sideID)
	}
	return ChainShared
}

// chainOf is the chain of an audit record: a side's for internal content;
// for shared content the object's own chain if its kind keeps one, else the
// shared chain.
func (db *DB) chainOf(a Audit) string {
	if a.Visibility != Internal && db.ownChains[Kind(a.ObjectType)] {
		return ObjectChain(Ref{Kind: Kind(a.ObjectType), ID: a.ObjectID})
	}
	return chainFor(a.Visibility, a.SideID)
}

// historyChains are the chains an object's history reads for the actor:
// the ones the actor may see, and the object's own if its kind keeps one
// (the owner has just said that the actor may see the object).
func (db *DB) historyChains(actor *User, ref Ref) []string {
	chains := visibleChains(actor)
	if db.ownChains[ref.Kind] {
		chains = append(chains, ObjectChain(ref))
	}
	return chains
}

// AuditRecord is one entry of a chain.
type AuditRecord struct {
	ID         int64
	Chain      string
	Seq        int64
	At         time.Time
	ActorID    *int64
	ActorName  string
	ActorSide  string
	Action     string
	ObjectType string
	ObjectID   int64
	Changes    string // JSON object: field -> value, or field -> [old, new]
	PrevHash   string
	Hash       string
	// Version 1 records hash the internal chain name and the actor's and
	// object's row ids; version 2 records (written since the chains became
	// logs) hash the log's public name and ObjectRef instead, so that an
	// export of a log names no row id.
	Version   int
	ObjectRef string // a keyed reference to the object, the same for all its records
	LogName   string // the chain's public name (version 2 hashes it)
}

// ChangeList decodes Changes for display, in a stable order.
func (r *AuditRecord) ChangeList() []Change {
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Changes), &m); err != nil {
		return nil
	}
	out := make([]Change, 0, len(m))
	for k, v := range m {
		c := Change{Field: k}
		if pair, ok := v.([]any); ok && len(pair) == 2 {
			c.Old, c.New, c.HasOld = display(pair[0]), display(pair[1]), true
		} else {
			c.New = display(v)
		}
		out = append(out, c)
	}
	sortChanges(out)
	return out
}

// Change is one field of an audit record's changes.
type Change struct {
	Field, Old, New string
	HasOld          bool
}

func display(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		return x
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func sortChanges(cs []Change) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].Field < cs[j-1].Field; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// Audit describes a write for the trail.
type Audit struct {
	Action     string // e.g. "user.create"
	ObjectType string // e.g. "user"
	ObjectID   int64
	Visibility Visibility
	SideID     int64          // the owning side, for internal records
	Changes    map[string]any // field -> value, or field -> [2]any{old, new}
}

// Diff adds field -> [old, new] to changes when old and new differ.
func Diff[T comparable](changes map[string]any, field string, old, new T) {
	if old != new {
		changes[field] = []any{old, new}
	}
}

// hashRecord computes a record's hash from its content and its predecessor's hash.
func hashRecord(r *AuditRecord) string {
	if r.Version >= 2 {
		b, _ := json.Marshal([]any{
			2, r.LogName, r.Seq, r.At.UTC().Format(time.RFC3339Nano), r.ActorName, r.ActorSide,
			r.Action, r.ObjectType, r.ObjectRef, r.Changes, r.PrevHash,
		})
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:])
	}
	var actor any
	if r.ActorID != nil {
		actor = *r.ActorID
	}
	b, _ := json.Marshal([]any{
		r.Chain, r.Seq, r.At.UTC().Format(time.RFC3339Nano), actor, r.ActorName, r.ActorSide,
		r.Action, r.ObjectType, r.ObjectID, r.Changes, r.PrevHash,
	})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ChainHead is what a viewer may know of a chain: its length and newest hash.
type ChainHead struct {
	Chain  string
	Name   string // the public name of its log
	SideID int64  // 0 for the shared chain
	Length int64
	Hash   string
	Log    *LogInfo // its newest checkpoint and cosignatures; nil before the first
}

// ChainProblem names the first bad entry of a chain.
type ChainProblem struct {
	Chain  string
	Seq    int64
	ID     int64
	Reason string
}

func (p ChainProblem) String() string {
	s := "chain " + p.Chain + ": " + p.Reason
	if p.Seq > 0 {
		s += " at entry " + strconv.FormatInt(p.Seq, 10)
	}
	if p.ID > 0 {
		s += " (row id " + strconv.FormatInt(p.ID, 10) + ")"
	}
	return s
}

// AuditChains lists the chains the actor may see, with length and head hash.
func (s *Service) AuditChains(ctx context.Context, actor *User) ([]ChainHead, error) {
	heads, err := s.db.chainHeads(ctx)
	if err != nil {
		return nil, err
	}
	out := heads[:0]
	for _, h := range heads {
		if canSeeChain(actor, h.Chain) {
			out = append(out, h)
		}
	}
	if len(out) == 0 || out[0].Chain != ChainShared {
		out = append([]ChainHead{{Chain: ChainShared, Name: ChainShared}}, out...)
	}
	chains := make([]string, len(out))
	for i, h := range out {
		chains[i] = h.Chain
	}
	infos, err := s.logInfos(ctx, chains)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Log = infos[out[i].Chain]
	}
	return out, nil
}

// visibleChains are the chains whose records the actor may read: the shared
// one, and their own side's once they are a confirmed member of it.
func visibleChains(actor *User) []string {
	chains := []string{ChainShared}
	if side := actor.InternalSideID(); side != 0 {
		chains = append(chains, SideChain(side))
	}
	return chains
}

// VerifyAudit checks every chain. It returns the first problem of each bad chain.
func (db *DB) VerifyAudit(ctx context.Context) ([]ChainHead, []ChainProblem, error) {
	return db.verifyChains(ctx)
}

// ComputeHash is the hash the record's content and predecessor make, as
// verifiers recompute it.
func (r *AuditRecord) ComputeHash() string { return hashRecord(r) }
