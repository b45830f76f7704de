package app

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Log exports: a log's records up to a checkpoint, each with its inclusion
// proof, and the checkpoint with every witness cosignature it has — enough
// to check, on a machine that never talks to the server, that the records
// are exactly those the witnesses saw.

// ExportFormat names the export file format.
const ExportFormat = "parley-log-export/1"

// LogExport is an export file's header; the records follow it.
type LogExport struct {
	Format     string          `json:"format"`
	Log        string          `json:"log"`
	ServerKey  string          `json:"server_key"`
	Checkpoint string          `json:"checkpoint"` // with the server's and every witness's signature
	Witnesses  []ExportWitness `json:"witnesses"`
	Records    []ExportRecord  `json:"records"`
}

// ExportWitness names a delegation's witness key that cosigned the checkpoint.
type ExportWitness struct {
	Side string `json:"side"`
	Key  string `json:"key"`
}

// ExportRecord is one record with its inclusion proof. Version 1 records
// (written before the logs) also carry what their hash covers: the internal
// chain name and the actor's and object's row ids.
type ExportRecord struct {
	Index      int64    `json:"index"`
	Version    int      `json:"version"`
	At         string   `json:"at"`
	ActorName  string   `json:"actor_name"`
	ActorSide  string   `json:"actor_side"`
	Action     string   `json:"action"`
	ObjectType string   `json:"object_type"`
	ObjectRef  string   `json:"object_ref,omitempty"`
	Changes    string   `json:"changes"`
	PrevHash   string   `json:"prev_hash"`
	Hash       string   `json:"hash"`
	Proof      []string `json:"proof"`
	Chain      string   `json:"chain,omitempty"`
	ActorID    *int64   `json:"actor_id,omitempty"`
	ObjectID   int64    `json:"object_id,omitempty"`
}

// ExportLog writes the export of a log (by public name) for the operator:
// every record up to the newest checkpoint a witness has cosigned (else the
// newest checkpoint). The command line uses it; witnesses use WitnessExport.
func (s *Service) ExportLog(ctx context.Context, out io.Writer, name string) error {
	h, err := s.db.headByName(ctx, name)
	if err != nil {
		return err
	}
	return s.exportLog(ctx, out, h)
}

// WitnessExport writes the export of a log the witness's delegation may see.
func (s *Service) WitnessExport(ctx context.Context, w *Witness, out io.Writer, name string) error {
	h, err := s.witnessHead(ctx, w, name)
	if err != nil {
		return err
	}
	return s.exportLog(ctx, out, h)
}

func (s *Service) exportLog(ctx context.Context, out io.Writer, h auditHead) error {
	cp, cos, err := s.db.cosignedCheckpoint(ctx, h.Chain)
	if err != nil {
		return err
	}
	notes := []string{cp.Note}
	exp := LogExport{Format: ExportFormat, Log: h.name(), ServerKey: s.logVKey}
	text, _ := NoteText(cp.Note)
	for _, c := range cos {
		if t, _ := NoteText(c.Note); t != text {
			continue // a cosignature of another text is no cosignature of this checkpoint
		}
		notes = append(notes, c.Note)
		exp.Witnesses = append(exp.Witnesses, ExportWitness{Side: c.SideCode, Key: c.Key})
	}
	if exp.Checkpoint, err = MergeNotes(notes...); err != nil {
		return err
	}
	// The records and the tree are read in one pass; the proofs need the
	// whole tree, so the records are kept until it is built.
	var tree treeBuilder
	var recs []ExportRecord
	err = s.db.exportRows(ctx, h.Chain, cp.Size, func(r AuditRecord) error {
		if err := tree.add(r.Hash); err != nil {
			return err
		}
		e := ExportRecord{Index: r.Seq - 1, Version: r.Version, At: r.At.UTC().Format(time.RFC3339Nano),
			ActorName: r.ActorName, ActorSide: r.ActorSide, Action: r.Action, ObjectType: r.ObjectType,
			ObjectRef: r.ObjectRef, Changes: r.Changes, PrevHash: r.PrevHash, Hash: r.Hash}
		if r.Version < 2 {
			e.Chain, e.ActorID, e.ObjectID = r.Chain, r.ActorID, r.ObjectID
		}
		recs = append(recs, e)
		return nil
	})
	if err != nil {
		return err
	}
	if tree.n != cp.Size {
		return fmt.Errorf("log %s has %d records, its checkpoint %d", h.name(), tree.n, cp.Size)
	}
	for i := range recs {
		p, err := tlog.ProveRecord(cp.Size, recs[i].Index, tree.hashes)
		if err != nil {
			return err
		}
		recs[i].Proof = make([]string, len(p))
		for j, x := range p {
			recs[i].Proof[j] = base64.StdEncoding.EncodeToString(x[:])
		}
	}
	exp.Records = recs
	bw := bufio.NewWriter(out)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", " ")
	if err := enc.Encode(exp); err != nil {
		return err
	}
	return bw.Flush()
}

// ExportSummary is what VerifyExport checked.
type ExportSummary struct {
	Log              string
	Size             int64
	Root             string
	At               time.Time
	ServerKeyFromExp bool     // the server key was taken from the file, not given
	Cosigners        []string // names of the witness keys whose cosignatures verified
}

// VerifyExport checks an export with no access to the server: the
// checkpoint's signature by the server (serverKey, or the key in the file
// when it is empty), a valid cosignature by every given witness key, every
// record's hash, the chain of hashes, every inclusion proof, and that the
// records make exactly the checkpoint's tree. Each trusted checkpoint (a
// signed note kept from before: a witness's, or an earlier export's) must
// be a prefix of the export: the records up to its size make its root.
func VerifyExport(r io.Reader, serverKey string, witnessKeys []string, trusted ...string) (ExportSummary, error) {
	var sum ExportSummary
	var exp LogExport
	dec := json.NewDecoder(r)
	if err := dec.Decode(&exp); err != nil {
		return sum, fmt.Errorf("not an export file: %w", err)
	}
	if exp.Format != ExportFormat {
		return sum, fmt.Errorf("unknown export format %q", exp.Format)
	}
	if serverKey == "" {
		serverKey, sum.ServerKeyFromExp = exp.ServerKey, true
	}
	server, err := note.NewVerifier(serverKey)
	if err != nil {
		return sum, fmt.Errorf("server key: %w", err)
	}
	verifiers := []note.Verifier{server}
	for _, k := range witnessKeys {
		v, err := note.NewVerifier(k)
		if err != nil {
			return sum, fmt.Errorf("witness key %q: %w", k, err)
		}
		verifiers = append(verifiers, v)
	}
	n, err := note.Open([]byte(exp.Checkpoint), note.VerifierList(verifiers...))
	if err != nil {
		return sum, fmt.Errorf("checkpoint: %w", err)
	}
	signedBy := map[string]bool{}
	for _, sig := range n.Sigs {
		signedBy[fmt.Sprintf("%s+%08x", sig.Name, sig.Hash)] = true
	}
	for _, v := range verifiers {
		if !signedBy[fmt.Sprintf("%s+%08x", v.Name(), v.KeyHash())] {
			if v == server {
				return sum, errors.New("checkpoint: not signed by the server key")
			}
			return sum, fmt.Errorf("checkpoint: no valid cosignature by witness key %s", v.Name())
		}
		if v != server {
			sum.Cosigners = append(sum.Cosigners, v.Name())
		}
	}
	cp, err := ParseCheckpoint(n.Text)
	if err != nil {
		return sum, err
	}
	if cp.Log != exp.Log || cp.Origin != server.Name()+"/"+exp.Log {
		return sum, fmt.Errorf("checkpoint is of log %q, the export of %q", cp.Origin, exp.Log)
	}
	sum.Log, sum.Size, sum.Root, sum.At = cp.Log, cp.Size, cp.Root.String(), cp.At
	if int64(len(exp.Records)) != cp.Size {
		return sum, fmt.Errorf("log %s: the export holds %d records, its checkpoint %d", exp.Log, len(exp.Records), cp.Size)
	}
	var tree treeBuilder
	prev := ""
	for i, e := range exp.Records {
		at, err := time.Parse(time.RFC3339Nano, e.At)
		if err != nil || e.Index != int64(i) {
			return sum, fmt.Errorf("log %s record %d: malformed", exp.Log, i+1)
		}
		rec := AuditRecord{Chain: e.Chain, Seq: e.Index + 1, At: at, ActorID: e.ActorID, ActorName: e.ActorName,
			ActorSide: e.ActorSide, Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID,
			Changes: e.Changes, PrevHash: e.PrevHash, Version: e.Version, ObjectRef: e.ObjectRef, LogName: exp.Log}
		switch {
		case e.PrevHash != prev:
			return sum, fmt.Errorf("log %s record %d: does not follow record %d", exp.Log, i+1, i)
		case hashRecord(&rec) != e.Hash:
			return sum, fmt.Errorf("log %s record %d: its content does not match its hash", exp.Log, i+1)
		}
		leaf, err := leafHash(e.Hash)
		if err != nil {
			return sum, fmt.Errorf("log %s record %d: %w", exp.Log, i+1, err)
		}
		proof := make(tlog.RecordProof, len(e.Proof))
		for j, p := range e.Proof {
			b, err := base64.StdEncoding.DecodeString(p)
			if err != nil || len(b) != tlog.HashSize {
				return sum, fmt.Errorf("log %s record %d: malformed proof", exp.Log, i+1)
			}
			copy(proof[j][:], b)
		}
		if err := tlog.CheckRecord(proof, cp.Size, cp.Root, e.Index, leaf); err != nil {
			return sum, fmt.Errorf("log %s record %d is not in the checkpoint's tree (size %d): %v", exp.Log, i+1, cp.Size, err)
		}
		if err := tree.add(e.Hash); err != nil {
			return sum, err
		}
		prev = e.Hash
	}
	if cp.Size > 0 {
		root, err := tlog.TreeHash(cp.Size, tree.hashes)
		if err != nil || root != cp.Root {
			return sum, fmt.Errorf("log %s: the records do not make the checkpoint's tree", exp.Log)
		}
	}
	for _, t := range trusted {
		tn, err := note.Open([]byte(t), note.VerifierList(server))
		if err != nil {
			return sum, fmt.Errorf("trusted checkpoint: %w", err)
		}
		tc, err := ParseCheckpoint(tn.Text)
		if err != nil {
			return sum, fmt.Errorf("trusted checkpoint: %w", err)
		}
		switch {
		case tc.Origin != cp.Origin:
			return sum, fmt.Errorf("the trusted checkpoint is of log %s, the export of %s", tc.Origin, cp.Origin)
		case tc.Size > cp.Size:
			return sum, fmt.Errorf("log %s: the export (size %d) ends before the trusted checkpoint (size %d)", exp.Log, cp.Size, tc.Size)
		case tc.Size == 0:
			continue
		}
		root, err := tlog.TreeHash(tc.Size, tree.hashes)
		if err != nil || root != tc.Root {
			return sum, fmt.Errorf("log %s: the export's first %d records do not make the trusted checkpoint of size %d: the log was rewritten", exp.Log, tc.Size, tc.Size)
		}
	}
	return sum, nil
}
