package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// logService is a test service with a checkpoint key.
func logService(t *testing.T) (*Service, *clock) {
	t.Helper()
	s, c := newTestService(t)
	skey, vkey, err := note.GenerateKey(rand.Reader, "parley-test-log")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UseLogKey(skey, vkey); err != nil {
		t.Fatal(err)
	}
	return s, c
}

// witnessFor makes a witness key and token for the head's delegation.
func witnessFor(t *testing.T, s *Service, head *User, name string) (*Witness, note.Signer) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	token, err := s.CreateWitnessToken(context.Background(), head, "witness "+name, vkey)
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.WitnessByToken(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return w, signer
}

// cosignAll cosigns every checkpoint the witness sees, as its program would.
func cosignAll(t *testing.T, s *Service, w *Witness, signer note.Signer) []LogState {
	t.Helper()
	ctx := context.Background()
	logs, _, err := s.WitnessLogs(ctx, w, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range logs {
		n, err := note.Open([]byte(l.Checkpoint), note.VerifierList(s.logVerifier))
		if err != nil {
			t.Fatal(err)
		}
		signed, err := note.Sign(n, signer)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Cosign(ctx, w, string(signed)); err != nil {
			t.Fatalf("cosign %s: %v", l.Log, err)
		}
	}
	return logs
}

func logNames(logs []LogState) []string {
	var out []string
	for _, l := range logs {
		out = append(out, l.Log)
	}
	return out
}

func TestTreesFollowEveryAppendAndCheckpointsVerify(t *testing.T) {
	s, c := logService(t)
	ctx := context.Background()
	us := user(t, s, "us.head@parley.example")
	for i := 0; i < 5; i++ {
		c.advance(time.Minute)
		if _, _, err := s.Login(ctx, "us.head@parley.example", DemoPassword, "10.0.0.1", "t"); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.SignCheckpoints(ctx)
	if err != nil || n == 0 {
		t.Fatalf("signed %d, %v", n, err)
	}
	if again, err := s.SignCheckpoints(ctx); err != nil || again != 0 {
		t.Fatalf("signed again without growth: %d %v", again, err)
	}
	// Every chain's stored tree is the tree of its records' hashes, and every
	// checkpoint's root is that tree's.
	if problems, err := s.db.VerifyLogs(ctx, s); err != nil || len(problems) != 0 {
		t.Fatalf("verify logs: %v %v", problems, err)
	}
	heads, err := s.db.chainHeads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range heads {
		if h.Name == "" {
			t.Fatalf("chain %s has no public name", h.Chain)
		}
		if strings.Contains(h.Name, ":") {
			t.Fatalf("log name %q shows the internal chain name", h.Name)
		}
		var b treeBuilder
		for _, r := range chainRecords(t, s, h.Chain) {
			if r.Version != 2 || r.ObjectRef == "" || r.LogName != h.Name {
				t.Fatalf("record %s #%d: version %d, ref %q, log %q", h.Chain, r.Seq, r.Version, r.ObjectRef, r.LogName)
			}
			if err := b.add(r.Hash); err != nil {
				t.Fatal(err)
			}
		}
		want, err := tlog.TreeHash(h.Length, b.hashes)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tlog.TreeHash(h.Length, treeReader(s.db.r, h.Chain))
		if err != nil || got != want {
			t.Fatalf("chain %s: stored tree root %s, records make %s (%v)", h.Chain, got, want, err)
		}
	}
	// The audit page's heads carry the newest checkpoint.
	chains, err := s.AuditChains(ctx, us)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range chains {
		if ch.Log == nil || ch.Log.Size != ch.Length || ch.Log.Number != 1 {
			t.Fatalf("chain %s: log info %+v, length %d", ch.Name, ch.Log, ch.Length)
		}
	}
	// A grown log gets checkpoint 2; consistency from 1 to 2 is provable.
	c.advance(time.Minute)
	if _, _, err := s.Login(ctx, "us.head@parley.example", DemoPassword, "10.0.0.1", "t"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SignCheckpoints(ctx); err != nil || n != 1 {
		t.Fatalf("signed %d after one login, %v", n, err)
	}
}

func TestWitnessSeesOnlyItsDelegationsLogsAndCosigns(t *testing.T) {
	s, c := logService(t)
	ctx := context.Background()
	usHead, cnHead := user(t, s, "us.head@parley.example"), user(t, s, "cn.head@parley.example")
	usDelegate := user(t, s, "us.delegate@parley.example")
	for _, who := range []string{"us.head@parley.example", "cn.head@parley.example"} {
		c.advance(time.Minute)
		if _, _, err := s.Login(ctx, who, DemoPassword, "10.0.0.1", "t"); err != nil {
			t.Fatal(err)
		}
	}
	// Only a confirmed head makes tokens.
	if _, err := s.CreateWitnessToken(ctx, usDelegate, "x", "k"); ErrorCode(err) != EFORBIDDEN {
		t.Fatalf("delegate made a token: %v", err)
	}
	if _, err := s.CreateWitnessToken(ctx, usHead, " ", "not a key"); FieldErrors(err)["label"] == "" || FieldErrors(err)["key"] != "witness.key_invalid" {
		t.Fatalf("bad input: %v", err)
	}
	usW, usSigner := witnessFor(t, s, usHead, "us-witness")
	cnW, cnSigner := witnessFor(t, s, cnHead, "cn-witness")
	if _, err := s.SignCheckpoints(ctx); err != nil {
		t.Fatal(err)
	}
	usLogs := cosignAll(t, s, usW, usSigner)
	if got := strings.Join(logNames(usLogs), ","); got != "shared,side-us" {
		t.Fatalf("US witness sees %s, want shared,side-us", got)
	}
	cnLogs := cosignAll(t, s, cnW, cnSigner)
	if got := strings.Join(logNames(cnLogs), ","); got != "shared,side-cn" {
		t.Fatalf("CN witness sees %s, want shared,side-cn", got)
	}
	// The other side's internal log: no proof, no cosignature, no export.
	if _, err := s.WitnessProof(ctx, usW, "side-cn", 1, 1); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("US proof of side-cn: %v", err)
	}
	var buf bytes.Buffer
	if err := s.WitnessExport(ctx, usW, &buf, "side-cn"); ErrorCode(err) != ENOTFOUND || buf.Len() != 0 {
		t.Fatalf("US export of side-cn: %v (%d bytes)", err, buf.Len())
	}
	cnSide := cnLogs[1]
	n, _ := note.Open([]byte(cnSide.Checkpoint), note.VerifierList(s.logVerifier))
	signed, _ := note.Sign(n, usSigner)
	if err := s.Cosign(ctx, usW, string(signed)); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("US cosigned side-cn: %v", err)
	}
	// A note the server did not sign, or not signed by the witness, is refused.
	forged, _ := note.Sign(&note.Note{Text: n.Text}, usSigner)
	if err := s.Cosign(ctx, usW, string(forged)); ErrorCode(err) != EINVALID {
		t.Fatalf("cosign without the server's signature: %v", err)
	}
	// Both delegations' cosignatures of the shared log are listed.
	logs, _, err := s.WitnessLogs(ctx, usW, "")
	if err != nil {
		t.Fatal(err)
	}
	var sides []string
	for _, co := range logs[0].Cosigned {
		sides = append(sides, co.Side)
	}
	if strings.Join(sides, ",") != "CN,US" {
		t.Fatalf("shared log cosigned by %v", sides)
	}
	chains, err := s.AuditChains(ctx, usHead)
	if err != nil {
		t.Fatal(err)
	}
	if len(chains[0].Log.Cosigned) != 2 || len(chains[1].Log.Cosigned) != 1 || chains[1].Log.Cosigned[0].Side != "US" {
		t.Fatalf("audit page: shared %+v, side %+v", chains[0].Log, chains[1].Log)
	}
	// A revoked token stops working at once.
	tokens, err := s.WitnessTokens(ctx, usHead)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens %v %v", tokens, err)
	}
	if tokens[0].PublicID == "" || tokens[0].CreatedBy != "Michael Reed" || tokens[0].CreatedAt.IsZero() {
		t.Fatalf("token %+v", tokens[0])
	}
	if err := s.RevokeWitnessToken(ctx, cnHead, tokens[0].PublicID); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("CN head revoked a US token: %v", err)
	}
	if err := s.RevokeWitnessToken(ctx, usHead, tokens[0].PublicID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WitnessByToken(ctx, "pwt_nonsense"); ErrorCode(err) != EUNAUTHORIZED {
		t.Fatalf("unknown token: %v", err)
	}
}

// operatorRewrite is the attack of whoever runs the server: it changes a
// record's content in the database file and recomputes every hash after it,
// the head, every Merkle node and every checkpoint (it holds the server's
// key), so that the file is consistent again.
func operatorRewrite(t *testing.T, s *Service, chain string, seq int64, changes string) {
	t.Helper()
	raw := tamperDB(t, s)
	for _, trig := range []string{"audit_records_no_update", "audit_tree_no_delete", "audit_checkpoints_no_change"} {
		if _, err := raw.Exec("DROP TRIGGER " + trig); err != nil {
			t.Fatal(err)
		}
	}
	recs := chainRecords(t, s, chain)
	prev := ""
	var b treeBuilder
	for _, r := range recs {
		if r.Seq == seq {
			r.Changes = changes
		}
		r.PrevHash = prev
		r.Hash = hashRecord(&r)
		mustExec(t, raw, "UPDATE audit_records SET changes = ?, prev_hash = ?, hash = ? WHERE id = ?", r.Changes, r.PrevHash, r.Hash, r.ID)
		prev = r.Hash
		if err := b.add(r.Hash); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(t, raw, "UPDATE audit_heads SET hash = ? WHERE chain = ?", prev, chain)
	if _, err := raw.Exec("DELETE FROM audit_tree WHERE chain = ?", chain); err != nil {
		t.Fatal(err)
	}
	for i, h := range b.hashes {
		mustExec(t, raw, "INSERT INTO audit_tree (chain, idx, hash) VALUES (?, ?, ?)", chain, i, h[:])
	}
	rows, err := raw.Query("SELECT id, size, note FROM audit_checkpoints WHERE chain = ?", chain)
	if err != nil {
		t.Fatal(err)
	}
	type cp struct {
		id, size int64
		note     string
	}
	var cps []cp
	for rows.Next() {
		var c cp
		if err := rows.Scan(&c.id, &c.size, &c.note); err != nil {
			t.Fatal(err)
		}
		cps = append(cps, c)
	}
	rows.Close()
	for _, c := range cps {
		text, _ := NoteText(c.note)
		old, err := ParseCheckpoint(text)
		if err != nil {
			t.Fatal(err)
		}
		root, err := tlog.TreeHash(c.size, b.hashes)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := note.Sign(&note.Note{Text: FormatCheckpoint(old.Origin, c.size, root, old.At)}, s.logSigner)
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, raw, "UPDATE audit_checkpoints SET root = ?, note = ? WHERE id = ?", root.String(), string(signed), c.id)
	}
}

func TestExportVerifiesOfflineAndCatchesTheOperatorsRewrite(t *testing.T) {
	s, c := logService(t)
	ctx := context.Background()
	usHead, cnHead := user(t, s, "us.head@parley.example"), user(t, s, "cn.head@parley.example")
	for _, who := range []string{"us.head@parley.example", "cn.head@parley.example", "us.head@parley.example"} {
		c.advance(time.Minute)
		if _, _, err := s.Login(ctx, who, DemoPassword, "10.0.0.1", "t"); err != nil {
			t.Fatal(err)
		}
	}
	usW, usSigner := witnessFor(t, s, usHead, "us-witness")
	cnW, cnSigner := witnessFor(t, s, cnHead, "cn-witness")
	if _, err := s.SignCheckpoints(ctx); err != nil {
		t.Fatal(err)
	}
	cosignAll(t, s, usW, usSigner)
	cosignAll(t, s, cnW, cnSigner)

	var earlier bytes.Buffer
	if err := s.ExportLog(ctx, &earlier, "shared"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(earlier.String(), `"object_id"`) || strings.Contains(earlier.String(), `"chain"`) {
		t.Fatal("an export of version 2 records names row ids or internal chain names")
	}
	keys := []string{usW.Key, cnW.Key}
	sum, err := VerifyExport(bytes.NewReader(earlier.Bytes()), s.logVKey, keys)
	if err != nil {
		t.Fatalf("clean export: %v", err)
	}
	if sum.Log != "shared" || sum.Size == 0 || len(sum.Cosigners) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	// A witness key that did not cosign, or another server key, fails.
	_, otherVKey, _ := note.GenerateKey(rand.Reader, "eu-witness")
	if _, err := VerifyExport(bytes.NewReader(earlier.Bytes()), s.logVKey, []string{otherVKey}); err == nil || !strings.Contains(err.Error(), "eu-witness") {
		t.Fatalf("missing cosigner: %v", err)
	}
	// Any edit of the file is caught offline.
	edited := strings.Replace(earlier.String(), `"actor_name": "`, `"actor_name": "X`, 1)
	if _, err := VerifyExport(strings.NewReader(edited), s.logVKey, keys); err == nil || !strings.Contains(err.Error(), "record 1") {
		t.Fatalf("edited export: %v", err)
	}

	// The operator rewrites record 2 of the shared log and recomputes
	// everything: the file checks out again...
	operatorRewrite(t, s, ChainShared, 2, `{"email":"forged@parley.example"}`)
	if _, problems, err := s.db.VerifyAudit(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("after a full rewrite the chains should check out: %v %v", problems, err)
	}
	if problems, err := s.db.VerifyLogs(ctx, s); err != nil || len(problems) != 0 {
		t.Fatalf("after a full rewrite the trees should check out: %v %v", problems, err)
	}
	// ...but the earlier export still verifies, and a fresh one does not.
	if _, err := VerifyExport(bytes.NewReader(earlier.Bytes()), s.logVKey, keys); err != nil {
		t.Fatalf("earlier export after the rewrite: %v", err)
	}
	var fresh bytes.Buffer
	if err := s.ExportLog(ctx, &fresh, "shared"); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyExport(bytes.NewReader(fresh.Bytes()), s.logVKey, keys); err == nil || !strings.Contains(err.Error(), "cosignature") {
		t.Fatalf("fresh export with the witnesses' keys: %v", err)
	}
	var exp struct{ Checkpoint string }
	if err := json.Unmarshal(earlier.Bytes(), &exp); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyExport(bytes.NewReader(fresh.Bytes()), s.logVKey, nil, exp.Checkpoint); err == nil || !strings.Contains(err.Error(), "rewritten") {
		t.Fatalf("fresh export against the earlier cosigned checkpoint: %v", err)
	}
	// The witness's next look: the server's tree of that size now has another root.
	logs, _, err := s.WitnessLogs(ctx, usW, "")
	if err != nil {
		t.Fatal(err)
	}
	now, _ := note.Open([]byte(logs[0].Checkpoint), note.VerifierList(s.logVerifier))
	nowCp, _ := ParseCheckpoint(now.Text)
	var before struct{ Checkpoint string }
	_ = json.Unmarshal(earlier.Bytes(), &before)
	bt, _ := NoteText(before.Checkpoint)
	beforeCp, _ := ParseCheckpoint(bt)
	if nowCp.Size != beforeCp.Size || nowCp.Root == beforeCp.Root {
		t.Fatalf("the rewrite should show as another root at size %d: %v vs %v", beforeCp.Size, nowCp, beforeCp)
	}
}

func TestMigrationBuildsLogsFromExistingChains(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	p, err := migrationProvider(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 21); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2013, 7, 1, 9, 0, 0, 0, time.UTC)
	mustRun := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	mustRun(`INSERT INTO sides (id, code, kind, name_en, name_zh, time_zone, language, created_at, updated_at) VALUES
		(2, 'US', 'delegation', 'US', '美国', 'America/New_York', 'en', ?, ?)`, at, at)
	// Version 1 records, as earlier Parley wrote them: three chains, one an object's.
	want := map[string][]string{}
	for _, chain := range []string{ChainShared, SideChain(2), "object:incident:7"} {
		prev := ""
		for seq := int64(1); seq <= 11; seq++ {
			actor := int64(1)
			r := AuditRecord{Chain: chain, Seq: seq, At: at.Add(time.Duration(seq) * time.Second), ActorID: &actor,
				ActorName: "A", ActorSide: "US", Action: "x.y", ObjectType: "x", ObjectID: seq, Changes: `{}`, PrevHash: prev}
			r.Hash = hashRecord(&r)
			mustRun(`INSERT INTO audit_records (chain, seq, at, actor_id, actor_name, actor_side, action, object_type, object_id, changes, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Chain, r.Seq, r.At.Format(time.RFC3339Nano), actor, r.ActorName, r.ActorSide,
				r.Action, r.ObjectType, r.ObjectID, r.Changes, r.PrevHash, r.Hash)
			prev = r.Hash
			want[chain] = append(want[chain], r.Hash)
		}
		mustRun("INSERT INTO audit_heads (chain, seq, hash) VALUES (?, ?, ?)", chain, 11, prev)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	rows, err := raw.Query("SELECT chain, name FROM audit_heads")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		var n sql.NullString
		if err := rows.Scan(&c, &n); err != nil {
			t.Fatal(err)
		}
		names[c] = n.String
	}
	rows.Close()
	if names[ChainShared] != "shared" || names[SideChain(2)] != "side-us" || !strings.HasPrefix(names["object:incident:7"], "log-") ||
		strings.Contains(names["object:incident:7"], "7") && len(names["object:incident:7"]) < 10 {
		t.Fatalf("log names %v", names)
	}
	for chain, hashes := range want {
		// Every record and its hash are kept.
		var got []string
		rs, err := raw.Query("SELECT hash FROM audit_records WHERE chain = ? ORDER BY seq", chain)
		if err != nil {
			t.Fatal(err)
		}
		for rs.Next() {
			var h string
			_ = rs.Scan(&h)
			got = append(got, h)
		}
		rs.Close()
		if strings.Join(got, ",") != strings.Join(hashes, ",") {
			t.Fatalf("chain %s: hashes changed", chain)
		}
		// The stored tree is the tree of those hashes.
		var b treeBuilder
		for _, h := range hashes {
			_ = b.add(h)
		}
		var n int
		_ = raw.QueryRow("SELECT COUNT(*) FROM audit_tree WHERE chain = ?", chain).Scan(&n)
		if n != len(b.hashes) {
			t.Fatalf("chain %s: %d stored hashes, want %d", chain, n, len(b.hashes))
		}
		var top []byte
		idx := tlog.StoredHashIndex(0, 10)
		_ = raw.QueryRow("SELECT hash FROM audit_tree WHERE chain = ? AND idx = ?", chain, idx).Scan(&top)
		if hex.EncodeToString(top) != hex.EncodeToString(b.hashes[idx][:]) {
			t.Fatalf("chain %s: stored leaf differs", chain)
		}
	}
	var key string
	if err := raw.QueryRow("SELECT value FROM settings WHERE key = ?", refKeySetting).Scan(&key); err != nil || len(key) != 64 {
		t.Fatalf("reference key %q %v", key, err)
	}
	// The migrated database verifies, and a new record extends the old chain.
	raw.Close()
	db, err := openPools(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, problems, err := db.VerifyAudit(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("verify after the migration: %v %v", problems, err)
	}
	if problems, err := db.verifyTrees(ctx, func(string) error { return nil }); err != nil || len(problems) != 0 {
		t.Fatalf("trees after the migration: %v %v", problems, err)
	}
	err = db.write(ctx, at, func(tx *Tx) error {
		return tx.audit(nil, Audit{Action: "x.z", ObjectType: "x", ObjectID: 1})
	})
	if err != nil {
		t.Fatal(err)
	}
	if problems, err := db.verifyTrees(ctx, func(string) error { return nil }); err != nil || len(problems) != 0 {
		t.Fatalf("trees after a new record: %v %v", problems, err)
	}
	if _, problems, err := db.VerifyAudit(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("verify after a new record: %v %v", problems, err)
	}
}
