package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Audit logs. Each audit chain is also a Merkle tree of its records'
// hashes (golang.org/x/mod/sumdb/tlog), so the server can prove that a
// record is in a log and that a later tree extends an earlier one. The
// server signs checkpoints of every grown log (golang.org/x/mod/sumdb/note)
// with a key kept outside the database; each delegation's witness checks
// every new checkpoint against the last it saw and cosigns it with a key
// the server never holds. An operator who rewrites a record and recomputes
// every hash, head and tree node can sign a new checkpoint, but not the
// witnesses' cosignatures, and the witnesses' next run finds that the new
// tree does not extend the one they cosigned.

// Checkpoint is a signed statement of a log's size and root hash.
type Checkpoint struct {
	Origin string // "<server key name>/<log name>"
	Log    string
	Size   int64
	Root   tlog.Hash
	At     time.Time
}

// FormatCheckpoint is the text a checkpoint signs, in the layout of the
// transparency-log checkpoints of C2SP: origin, size, base64 root, then
// one extension line with the time.
func FormatCheckpoint(origin string, size int64, root tlog.Hash, at time.Time) string {
	return fmt.Sprintf("%s\n%d\n%s\ntime %s\n", origin, size, base64.StdEncoding.EncodeToString(root[:]), at.UTC().Format(time.RFC3339))
}

// ParseCheckpoint reads a checkpoint's text (without signatures).
func ParseCheckpoint(text string) (Checkpoint, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	var c Checkpoint
	if len(lines) != 4 || !strings.HasSuffix(text, "\n") {
		return c, errors.New("malformed checkpoint")
	}
	c.Origin = lines[0]
	i := strings.LastIndex(c.Origin, "/")
	if i <= 0 || i == len(c.Origin)-1 {
		return c, errors.New("malformed checkpoint origin")
	}
	c.Log = c.Origin[i+1:]
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return c, errors.New("malformed checkpoint size")
	}
	c.Size = size
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return c, errors.New("malformed checkpoint root")
	}
	copy(c.Root[:], root)
	at, ok := strings.CutPrefix(lines[3], "time ")
	if !ok {
		return c, errors.New("malformed checkpoint time")
	}
	if c.At, err = time.Parse(time.RFC3339, at); err != nil {
		return c, errors.New("malformed checkpoint time")
	}
	return c, nil
}

// NoteText splits a signed note into its text and its signature lines.
func NoteText(signed string) (text string, sigs []string) {
	i := strings.Index(signed, "\n\n")
	if i < 0 {
		return signed, nil
	}
	text = signed[:i+1]
	for _, l := range strings.Split(strings.TrimSuffix(signed[i+2:], "\n"), "\n") {
		if l != "" {
			sigs = append(sigs, l)
		}
	}
	return text, sigs
}

// MergeNotes joins the signatures of several signed notes of one text.
func MergeNotes(notes ...string) (string, error) {
	var text string
	var sigs []string
	seen := map[string]bool{}
	for i, n := range notes {
		t, ss := NoteText(n)
		if i == 0 {
			text = t
		} else if t != text {
			return "", errors.New("the notes are not of the same text")
		}
		for _, s := range ss {
			if !seen[s] {
				seen[s] = true
				sigs = append(sigs, s)
			}
		}
	}
	return text + "\n" + strings.Join(sigs, "\n") + "\n", nil
}

// LoadOrCreateLogKey reads the server's signing key from path, creating it
// (mode 0600) when the file does not exist. The file holds the private key
// and, on its second line, the public verifier key.
func LoadOrCreateLogKey(path, name string) (skey, vkey string, created bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		skey, vkey, err = note.GenerateKey(rand.Reader, name)
		if err != nil {
			return "", "", false, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return "", "", false, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return "", "", false, err
		}
		_, werr := f.WriteString(skey + "\n" + vkey + "\n")
		if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
			return "", "", false, err
		}
		return skey, vkey, true, nil
	}
	if err != nil {
		return "", "", false, err
	}
	lines := strings.Fields(string(b))
	if len(lines) != 2 {
		return "", "", false, fmt.Errorf("%s: not a key file (a private key line and a verifier key line)", path)
	}
	return lines[0], lines[1], false, nil
}

// UseLogKey sets the key the server signs checkpoints with.
func (s *Service) UseLogKey(skey, vkey string) error {
	signer, err := note.NewSigner(skey)
	if err != nil {
		return fmt.Errorf("log key: %w", err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return fmt.Errorf("log verifier key: %w", err)
	}
	if signer.Name() != verifier.Name() || signer.KeyHash() != verifier.KeyHash() {
		return errors.New("log key: the private and the verifier key do not match")
	}
	s.logSigner, s.logVerifier, s.logVKey = signer, verifier, vkey
	return nil
}

// LogVerifierKey is the server's public key for checkpoints ("" when none is set).
func (s *Service) LogVerifierKey() string { return s.logVKey }

// SignCheckpoints signs a checkpoint of every log that has grown since its
// last one. It returns how many it signed. Several servers may run it at
// once: a log is signed once at each size.
func (s *Service) SignCheckpoints(ctx context.Context) (int, error) {
	if s.logSigner == nil {
		return 0, errors.New("no log key: checkpoints cannot be signed")
	}
	sign := func(name string, size int64, root tlog.Hash, at time.Time) (string, error) {
		text := FormatCheckpoint(s.logSigner.Name()+"/"+name, size, root, at)
		b, err := note.Sign(&note.Note{Text: text}, s.logSigner)
		return string(b), err
	}
	total := 0
	for {
		grown, err := s.db.grownChains(ctx, 200)
		if err != nil || len(grown) == 0 {
			return total, err
		}
		n, err := s.db.signCheckpoints(ctx, s.Now(), grown, sign)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// checkServerSignature checks a checkpoint note's signature by the server.
func (s *Service) checkServerSignature(signed string) error {
	if s.logVerifier == nil {
		return nil
	}
	n, err := note.Open([]byte(signed), note.VerifierList(s.logVerifier))
	if err != nil {
		return fmt.Errorf("server signature: %w", err)
	}
	if _, err := ParseCheckpoint(n.Text); err != nil {
		return err
	}
	return nil
}

// VerifyLogs rebuilds every log's Merkle tree from its records and checks
// the stored hashes and every checkpoint (root and server signature).
func (db *DB) VerifyLogs(ctx context.Context, s *Service) ([]ChainProblem, error) {
	return db.verifyTrees(ctx, s.checkServerSignature)
}

// LogInfo is what the audit page shows of a log: its newest checkpoint and
// each delegation's newest cosignature.
type LogInfo struct {
	Number   int64
	Size     int64
	Root     string
	At       time.Time
	Cosigned []Cosigner
}

// Cosigner is a delegation's witness cosignature.
type Cosigner struct {
	Side    string // the side's code
	KeyName string
	Number  int64 // the checkpoint cosigned
	Size    int64
	At      time.Time
}

// LogMark says where a record is on the record: the log, its entry, the
// first checkpoint that included it and who has cosigned that checkpoint.
type LogMark struct {
	Log       string
	Shared    bool // the shared log (else the object's own or a side's)
	Entry     int64
	Number    int64 // 0: no checkpoint includes it yet
	Size      int64
	At        time.Time
	Cosigners []Cosigner
}

// LogMarkOf finds the newest record of one of the actions on an object that
// the actor may see, and its checkpoint, in one statement. It returns nil
// when there is none.
func (s *Service) LogMarkOf(ctx context.Context, actor *User, ref Ref, actions ...string) (*LogMark, error) {
	if actor == nil || len(actions) == 0 {
		return nil, nil
	}
	rows, err := s.db.logMark(ctx, string(ref.Kind), ref.ID, actions, s.db.historyChains(actor, ref))
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	r := rows[0]
	m := &LogMark{Entry: r.Seq, Shared: r.Chain == ChainShared}
	if r.Name != nil {
		m.Log = *r.Name
	}
	if r.Number != nil && r.Size != nil && r.CpAt != nil {
		m.Number, m.Size = *r.Number, *r.Size
		m.At, _ = time.Parse(time.RFC3339, *r.CpAt)
	}
	for _, r := range rows {
		if r.SideCode != nil && r.CosAt != nil {
			m.Cosigners = append(m.Cosigners, Cosigner{Side: *r.SideCode, Number: m.Number, Size: m.Size, At: *r.CosAt})
		}
	}
	return m, nil
}

// Witness is a delegation's witness, as its token authenticates it.
type Witness struct {
	tokenID  int64
	SideID   int64
	SideCode string
	Key      string // its verifier key
	verifier note.Verifier
}

// WitnessToken is a witness token as its delegation's heads see it.
type WitnessToken struct {
	PublicID   string
	Label      string
	Key        string
	KeyName    string
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// witnessTokenPrefix starts every witness token, so that one pasted in the
// wrong place is recognisable.
const witnessTokenPrefix = "pwt_"

// canManageWitnesses: a confirmed head of a delegation manages its witness tokens.
func canManageWitnesses(actor *User) bool {
	return actor != nil && actor.Side != nil && actor.Side.IsDelegation() && isHeadOf(actor, actor.SideID)
}

// CanManageWitnesses tells views whether to offer the witness tokens page.
func CanManageWitnesses(actor *User) bool { return canManageWitnesses(actor) }

// maxWitnessTokens bounds the tokens page.
const maxWitnessTokens = 50

// WitnessTokens lists the actor's delegation's witness tokens, newest first.
func (s *Service) WitnessTokens(ctx context.Context, actor *User) ([]WitnessToken, error) {
	if !canManageWitnesses(actor) {
		return nil, ErrForbidden
	}
	return s.db.witnessTokens(ctx, actor.SideID, maxWitnessTokens)
}

// CreateWitnessToken makes a token for a witness of the actor's delegation
// that cosigns with the given verifier key. The token is returned once;
// only its hash is kept.
func (s *Service) CreateWitnessToken(ctx context.Context, actor *User, label, key string) (string, error) {
	if !canManageWitnesses(actor) {
		return "", ErrForbidden
	}
	label, key = CleanText(label), strings.TrimSpace(key)
	v := Validation{}
	checkText(v, "label", label, 80, true)
	var verifier note.Verifier
	if key == "" {
		v.Add("key", "field.required")
	} else if vr, err := note.NewVerifier(key); err != nil {
		v.Add("key", "witness.key_invalid")
	} else if s.logVerifier != nil && vr.Name() == s.logVerifier.Name() {
		v.Add("key", "witness.key_is_server")
	} else {
		verifier = vr
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := witnessTokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	row := witnessTokenRow{PublicID: newPublicID(), SideID: actor.SideID, Label: label, Key: key,
		KeyName: verifier.Name(), TokenHash: hashToken(token), CreatedBy: actor.ID}
	err := s.db.write(ctx, s.Now(), func(tx *Tx) error {
		row.CreatedAt = tx.now
		if err := tx.createWitnessToken(&row); err != nil {
			return err
		}
		return tx.audit(actor, Audit{Action: "witness.token_create", ObjectType: "witness_token", ObjectID: row.ID,
			Visibility: Internal, SideID: actor.SideID, Changes: map[string]any{"label": label, "key": key}})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeWitnessToken stops a token of the actor's delegation from working.
func (s *Service) RevokeWitnessToken(ctx context.Context, actor *User, publicID string) error {
	if !canManageWitnesses(actor) {
		return ErrForbidden
	}
	row, err := s.db.witnessTokenByPublicID(ctx, actor.SideID, publicID)
	if err != nil {
		return err
	}
	return s.db.write(ctx, s.Now(), func(tx *Tx) error {
		ok, err := tx.revokeWitnessToken(row.ID, actor.ID)
		if err != nil || !ok {
			return err
		}
		return tx.audit(actor, Audit{Action: "witness.token_revoke", ObjectType: "witness_token", ObjectID: row.ID,
			Visibility: Internal, SideID: actor.SideID, Changes: map[string]any{"label": row.Label}})
	})
}

// WitnessByToken authenticates a witness by its token. A revoked or unknown
// token is EUNAUTHORIZED.
func (s *Service) WitnessByToken(ctx context.Context, token string) (*Witness, error) {
	unauthorized := Errorf(EUNAUTHORIZED, "witness.bad_token")
	if !strings.HasPrefix(token, witnessTokenPrefix) || len(token) > 100 {
		return nil, unauthorized
	}
	row, err := s.db.witnessTokenByHash(ctx, hashToken(token))
	if ErrorCode(err) == ENOTFOUND {
		return nil, unauthorized
	}
	if err != nil {
		return nil, err
	}
	v, err := note.NewVerifier(row.Key)
	if err != nil {
		return nil, unauthorized
	}
	code, err := s.db.sideCode(ctx, row.SideID)
	if err != nil {
		return nil, err
	}
	return &Witness{tokenID: row.ID, SideID: row.SideID, SideCode: code, Key: row.Key, verifier: v}, nil
}

// SideAudience is implemented by the owners of kinds that keep their own
// chains: which of the given objects a delegation as a whole (any confirmed
// member, with no personal grant) may see. A witness follows those objects'
// logs; an owner that does not implement it lets no witness follow any.
type SideAudience interface {
	SeenBySide(ctx context.Context, sideID int64, ids []int64) (map[int64]bool, error)
}

// objectOfChain parses an object chain's internal name.
func objectOfChain(chain string) (Kind, int64, bool) {
	rest, ok := strings.CutPrefix(chain, "object:")
	if !ok {
		return "", 0, false
	}
	i := strings.LastIndex(rest, ":")
	if i <= 0 {
		return "", 0, false
	}
	id, err := strconv.ParseInt(rest[i+1:], 10, 64)
	return Kind(rest[:i]), id, err == nil
}

// witnessSees filters chains to those the witness's delegation may see.
func (s *Service) witnessSees(ctx context.Context, w *Witness, chains []string) (map[string]bool, error) {
	out := map[string]bool{}
	byKind := map[Kind][]int64{}
	for _, c := range chains {
		switch {
		case c == ChainShared:
			out[c] = true
		case strings.HasPrefix(c, "side:"):
			out[c] = ChainSideID(c) == w.SideID
		default:
			if kind, id, ok := objectOfChain(c); ok {
				byKind[kind] = append(byKind[kind], id)
			}
		}
	}
	for kind, ids := range byKind {
		aud, ok := s.owners[kind].(SideAudience)
		if !ok {
			continue
		}
		seen, err := aud.SeenBySide(ctx, w.SideID, ids)
		if err != nil {
			return nil, err
		}
		for id, ok := range seen {
			if ok {
				out[ObjectChain(Ref{Kind: kind, ID: id})] = true
			}
		}
	}
	return out, nil
}

// LogState is a log as the witness API shows it: the newest checkpoint and
// each delegation's newest cosignature (the note with the server's and the
// witness's signatures, and the witness's verifier key).
type LogState struct {
	Log        string        `json:"log"`
	Checkpoint string        `json:"checkpoint"`
	Cosigned   []LogCosigned `json:"cosigned"`
}

// LogCosigned is one delegation's newest cosignature of a log.
type LogCosigned struct {
	Side string    `json:"side"`
	Key  string    `json:"key"`
	Note string    `json:"note"`
	At   time.Time `json:"at"`
}

// witnessPage is the number of logs a witness API page scans.
const witnessPage = 200

// WitnessLogs lists, by name after the cursor, the logs the witness's
// delegation may see that have a checkpoint. next is the cursor of the
// following page, "" at the end.
func (s *Service) WitnessLogs(ctx context.Context, w *Witness, after string) (logs []LogState, next string, err error) {
	heads, err := s.db.headsAfter(ctx, after, witnessPage)
	if err != nil {
		return nil, "", err
	}
	if len(heads) == witnessPage {
		next = heads[len(heads)-1].name()
	}
	chains := make([]string, len(heads))
	for i, h := range heads {
		chains[i] = h.Chain
	}
	seen, err := s.witnessSees(ctx, w, chains)
	if err != nil {
		return nil, "", err
	}
	visible := chains[:0]
	for _, c := range chains {
		if seen[c] {
			visible = append(visible, c)
		}
	}
	cps, err := s.db.latestCheckpoints(ctx, visible)
	if err != nil {
		return nil, "", err
	}
	cos, err := s.db.latestCosignatures(ctx, visible)
	if err != nil {
		return nil, "", err
	}
	byChain := map[string][]LogCosigned{}
	for _, c := range cos {
		byChain[c.Chain] = append(byChain[c.Chain], LogCosigned{Side: c.SideCode, Key: c.Key, Note: c.Note, At: c.At.UTC()})
	}
	for _, h := range heads {
		cp, ok := cps[h.Chain]
		if !seen[h.Chain] || !ok {
			continue
		}
		logs = append(logs, LogState{Log: h.name(), Checkpoint: cp.Note, Cosigned: byChain[h.Chain]})
	}
	return logs, next, nil
}

// witnessHead finds a log the witness's delegation may see.
func (s *Service) witnessHead(ctx context.Context, w *Witness, name string) (auditHead, error) {
	h, err := s.db.headByName(ctx, name)
	if err != nil {
		return h, err
	}
	seen, err := s.witnessSees(ctx, w, []string{h.Chain})
	if err != nil {
		return h, err
	}
	if !seen[h.Chain] {
		return h, ErrNotFound
	}
	return h, nil
}

// WitnessProof proves that the log's tree of size older is a prefix of its
// tree of size newer (both checkpointed sizes or not: the tree is stored).
func (s *Service) WitnessProof(ctx context.Context, w *Witness, name string, older, newer int64) (tlog.TreeProof, error) {
	h, err := s.witnessHead(ctx, w, name)
	if err != nil {
		return nil, err
	}
	if older < 1 || newer < older || newer > h.Seq {
		return nil, Errorf(EINVALID, "witness.bad_sizes")
	}
	return s.db.proveTree(ctx, h.Chain, newer, older)
}

// Cosign records a witness's cosignatures of checkpoints, in one
// transaction: each note must be a checkpoint the server signed, of a log the
// witness's delegation may see, and carry the witness's valid signature.
// Cosigning twice is no error. Nothing is recorded when any note is refused.
func (s *Service) Cosign(ctx context.Context, w *Witness, signed ...string) error {
	if len(signed) > maxCosignBatch {
		return Errorf(EINVALID, "witness.bad_checkpoint")
	}
	rows := make([]cosignatureRow, 0, len(signed))
	for _, n := range signed {
		row, err := s.cosignature(ctx, w, n)
		if err != nil {
			return err
		}
		rows = append(rows, row)
	}
	return s.db.write(ctx, s.Now(), func(tx *Tx) error {
		for i := range rows {
			rows[i].At = tx.now
			if _, err := tx.addCosignature(&rows[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// maxCosignBatch bounds the notes one request may cosign.
const maxCosignBatch = 500

// cosignature checks one cosigned note and returns its row, unsaved.
func (s *Service) cosignature(ctx context.Context, w *Witness, signed string) (cosignatureRow, error) {
	if s.logVerifier == nil {
		return cosignatureRow{}, errors.New("no log key")
	}
	n, err := note.Open([]byte(signed), note.VerifierList(s.logVerifier, w.verifier))
	if err != nil {
		return cosignatureRow{}, Errorf(EINVALID, "witness.bad_signature")
	}
	var byServer, byWitness bool
	for _, sig := range n.Sigs {
		byServer = byServer || (sig.Name == s.logVerifier.Name() && sig.Hash == s.logVerifier.KeyHash())
		byWitness = byWitness || (sig.Name == w.verifier.Name() && sig.Hash == w.verifier.KeyHash())
	}
	if !byServer || !byWitness {
		return cosignatureRow{}, Errorf(EINVALID, "witness.bad_signature")
	}
	cp, err := ParseCheckpoint(n.Text)
	if err != nil || cp.Origin != s.logSigner.Name()+"/"+cp.Log {
		return cosignatureRow{}, Errorf(EINVALID, "witness.bad_checkpoint")
	}
	h, err := s.witnessHead(ctx, w, cp.Log)
	if err != nil {
		return cosignatureRow{}, err
	}
	row, err := s.db.checkpointAt(ctx, h.Chain, cp.Size)
	if err != nil {
		return cosignatureRow{}, err
	}
	if stored, _ := NoteText(row.Note); stored != n.Text {
		return cosignatureRow{}, Errorf(EINVALID, "witness.bad_checkpoint")
	}
	return cosignatureRow{CheckpointID: row.ID, SideID: w.SideID, TokenID: w.tokenID, Note: signed}, nil
}

// logInfos loads the newest checkpoint and cosignatures of the given chains.
func (s *Service) logInfos(ctx context.Context, chains []string) (map[string]*LogInfo, error) {
	cps, err := s.db.latestCheckpoints(ctx, chains)
	if err != nil {
		return nil, err
	}
	cos, err := s.db.latestCosignatures(ctx, chains)
	if err != nil {
		return nil, err
	}
	out := map[string]*LogInfo{}
	for chain, cp := range cps {
		at, _ := time.Parse(time.RFC3339, cp.At)
		out[chain] = &LogInfo{Number: cp.Number, Size: cp.Size, Root: cp.Root, At: at}
	}
	for _, c := range cos {
		if info := out[c.Chain]; info != nil {
			info.Cosigned = append(info.Cosigned, Cosigner{Side: c.SideCode, KeyName: c.KeyName, Number: c.Number, Size: c.Size, At: c.At})
		}
	}
	return out, nil
}
