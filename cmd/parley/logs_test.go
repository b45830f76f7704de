package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/parley/parley/app"
)

// witnessSetup is a delegation's witness machine: its key, token and state.
type witnessSetup struct {
	key, vkey, state, token string
}

// newWitness makes a witness key with the real command and a token made by
// the delegation's head.
func newWitness(t *testing.T, dbPath, head, name string) witnessSetup {
	t.Helper()
	dir := t.TempDir()
	w := witnessSetup{key: filepath.Join(dir, name+".key"), state: filepath.Join(dir, "state")}
	r := parley(t, "witness", "keygen", "--key", w.key, "--name", name)
	mustSucceed(t, r, "witness keygen")
	w.vkey = strings.TrimSpace(r.stdout)
	if fi, err := os.Stat(w.key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("witness key file: %v %v", fi, err)
	}
	if again := parley(t, "witness", "keygen", "--key", w.key, "--name", name); again.code == 0 {
		t.Fatal("keygen overwrote a witness key")
	}
	ctx := context.Background()
	db, err := app.OpenDBNoMigrate(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := app.NewService(db)
	_, actor, err := svc.Login(ctx, head, app.DemoPassword, "127.0.0.9", "test")
	if err != nil {
		t.Fatal(err)
	}
	if w.token, err = svc.CreateWitnessToken(ctx, actor, name, w.vkey); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w witnessSetup) run(t *testing.T, base string, extra ...string) result {
	t.Helper()
	return parley(t, append([]string{"witness", "--url", base, "--token", w.token, "--state", w.state, "--key", w.key}, extra...)...)
}

// activity writes a few audit records on the shared log: the
// administrator adds accounts.
func activity(t *testing.T, dbPath string, n int) {
	t.Helper()
	ctx := context.Background()
	db, err := app.OpenDBNoMigrate(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := app.NewService(db)
	svc.Argon = fastArgon
	_, admin, err := svc.Login(ctx, "admin@parley.example", app.DemoPassword, "127.0.0.8", "test")
	if err != nil {
		t.Fatal(err)
	}
	us, err := svc.SideByCode(ctx, admin, "US")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		email := "added" + strconv.Itoa(n) + "x" + strconv.Itoa(i) + "@parley.example"
		if _, _, err := svc.CreateUser(ctx, admin, app.UserInput{Email: email, Name: "Added " + strconv.Itoa(i), SideID: us.ID, Role: app.RoleObserver}); err != nil {
			t.Fatal(err)
		}
	}
}

// checkpoint signs checkpoints now, as the server does every few minutes.
func checkpoint(t *testing.T, dbPath string) {
	t.Helper()
	mustSucceed(t, parley(t, "audit", "checkpoint", "--db", dbPath), "audit checkpoint")
}

// operatorRewrite is the attack of whoever runs the server: it rewrites a
// record of a log in the file and recomputes every later hash, the head,
// every Merkle node and every checkpoint, signed with the server's key.
func operatorRewrite(t *testing.T, dbPath, chain string, seq int64, changes string) {
	t.Helper()
	raw := rawDB(t, dbPath, false)
	defer raw.Close()
	for _, trig := range []string{"audit_records_no_update", "audit_tree_no_delete", "audit_checkpoints_no_change"} {
		if _, err := raw.Exec("DROP TRIGGER " + trig); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := raw.Query(`SELECT id, seq, at, actor_id, actor_name, actor_side, action, object_type, object_id, changes,
		version, object_ref, log_name FROM audit_records WHERE chain = ? ORDER BY seq`, chain)
	if err != nil {
		t.Fatal(err)
	}
	var recs []app.AuditRecord
	for rows.Next() {
		var r app.AuditRecord
		var at string
		if err := rows.Scan(&r.ID, &r.Seq, &at, &r.ActorID, &r.ActorName, &r.ActorSide, &r.Action, &r.ObjectType, &r.ObjectID,
			&r.Changes, &r.Version, &r.ObjectRef, &r.LogName); err != nil {
			t.Fatal(err)
		}
		r.Chain = chain
		r.At, _ = time.Parse(time.RFC3339Nano, at)
		recs = append(recs, r)
	}
	rows.Close()
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	prev := ""
	for i, r := range recs {
		if r.Seq == seq {
			r.Changes = changes
		}
		r.PrevHash = prev
		r.Hash = r.ComputeHash()
		if _, err := raw.Exec("UPDATE audit_records SET changes = ?, prev_hash = ?, hash = ? WHERE id = ?", r.Changes, r.PrevHash, r.Hash, r.ID); err != nil {
			t.Fatal(err)
		}
		prev = r.Hash
		b := mustHex(t, r.Hash)
		hs, err := tlog.StoredHashes(int64(i), b, reader)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, hs...)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("UPDATE audit_heads SET hash = ? WHERE chain = ?", prev, chain)
	exec("DELETE FROM audit_tree WHERE chain = ?", chain)
	for i, h := range stored {
		exec("INSERT INTO audit_tree (chain, idx, hash) VALUES (?, ?, ?)", chain, i, h[:])
	}
	keyLines := strings.Fields(string(mustRead(t, dbPath+".log-key")))
	signer, err := note.NewSigner(keyLines[0])
	if err != nil {
		t.Fatal(err)
	}
	cps, err := raw.Query("SELECT id, size, note FROM audit_checkpoints WHERE chain = ?", chain)
	if err != nil {
		t.Fatal(err)
	}
	type cp struct {
		id, size int64
		note     string
	}
	var list []cp
	for cps.Next() {
		var c cp
		if err := cps.Scan(&c.id, &c.size, &c.note); err != nil {
			t.Fatal(err)
		}
		list = append(list, c)
	}
	cps.Close()
	for _, c := range list {
		text, _ := app.NoteText(c.note)
		old, err := app.ParseCheckpoint(text)
		if err != nil {
			t.Fatal(err)
		}
		root, err := tlog.TreeHash(c.size, reader)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := note.Sign(&note.Note{Text: app.FormatCheckpoint(old.Origin, c.size, root, old.At)}, signer)
		if err != nil {
			t.Fatal(err)
		}
		exec("UPDATE audit_checkpoints SET root = ?, note = ? WHERE id = ?", root.String(), string(signed), c.id)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b := make([]byte, len(s)/2)
	for i := range b {
		var v byte
		for _, c := range s[2*i : 2*i+2] {
			v <<= 4
			switch {
			case c >= '0' && c <= '9':
				v |= byte(c - '0')
			case c >= 'a' && c <= 'f':
				v |= byte(c - 'a' + 10)
			default:
				t.Fatalf("not hex: %q", s)
			}
		}
		b[i] = v
	}
	return b
}

// The scenario on a live server: both delegations' witnesses
// cosign; the operator rewrites a record and recomputes everything; audit
// verify still passes, but the next witness run fails loudly (exit status
// 2, naming the log and the sizes), an earlier export still verifies and a
// fresh one is rejected against the cosigned checkpoint.
func TestWitnessCatchesTheOperatorsRewriteOnALiveServer(t *testing.T) {
	db := seededDB(t)
	srv := startServe(t, "--db", db, "--checkpoint-every", "1s")
	srv.waitHealthy(t)
	us := newWitness(t, db, "us.head@parley.example", "us-witness")
	cn := newWitness(t, db, "cn.head@parley.example", "cn-witness")
	checkpoint(t, db)

	r := us.run(t, srv.base)
	mustSucceed(t, r, "first US witness run")
	if !strings.Contains(r.stdout, "pinned the server key") || !strings.Contains(r.stdout, "shared: first seen at size") ||
		!strings.Contains(r.stdout, ", 2 cosigned, 0 tampered") {
		t.Fatalf("first run:\n%s", r)
	}
	mustSucceed(t, cn.run(t, srv.base), "first CN witness run")
	// The US witness now checks the CN cosignature of the shared log too.
	activity(t, db, 3)
	checkpoint(t, db)
	r = us.run(t, srv.base)
	mustSucceed(t, r, "second US witness run")
	if !strings.Contains(r.stdout, "shared: size ") || !strings.Contains(r.stdout, "consistent") {
		t.Fatalf("second run should show the shared log grown and consistent:\n%s", r)
	}
	mustSucceed(t, cn.run(t, srv.base), "second CN witness run")

	// An export, checked offline with both witnesses' keys.
	dir := t.TempDir()
	earlier := filepath.Join(dir, "earlier.json")
	mustSucceed(t, parley(t, "audit", "export", "--chain", "shared", "--out", earlier, "--db", db), "audit export")
	serverKey := strings.Fields(string(mustRead(t, db+".log-key")))[1]
	r = parley(t, "audit", "verify-export", earlier, "--server-key", serverKey, "--witness-key", us.vkey, "--witness-key", cn.vkey)
	mustSucceed(t, r, "verify-export of a clean export")
	if !strings.Contains(r.stdout, "cosigned by us-witness, cn-witness") && !strings.Contains(r.stdout, "cosigned by cn-witness, us-witness") {
		t.Fatalf("verify-export:\n%s", r)
	}

	// The operator's attack.
	operatorRewrite(t, db, app.ChainShared, 2, `{"email":"forged@parley.example"}`)
	mustSucceed(t, parley(t, "audit", "verify", "--db", db), "audit verify after the operator recomputed everything")

	r = us.run(t, srv.base)
	if r.code != 2 || !strings.Contains(r.stderr, "TAMPERING DETECTED") || !strings.Contains(r.stdout, "log shared") ||
		!strings.Contains(r.stdout, "two different trees of size") {
		t.Fatalf("witness run after the rewrite: want exit 2 naming the shared log and its size\n%s", r)
	}
	// The failure is not forgotten: the next run fails the same way.
	if again := us.run(t, srv.base); again.code != 2 {
		t.Fatalf("second run after the rewrite: want exit 2\n%s", again)
	}
	// The earlier export still verifies; a fresh one does not.
	mustSucceed(t, parley(t, "audit", "verify-export", earlier, "--server-key", serverKey, "--witness-key", us.vkey), "earlier export")
	fresh := filepath.Join(dir, "fresh.json")
	mustSucceed(t, parley(t, "audit", "export", "--chain", "shared", "--out", fresh, "--db", db), "fresh export")
	r = parley(t, "audit", "verify-export", fresh, "--server-key", serverKey, "--witness-key", us.vkey)
	if r.code == 0 || !strings.Contains(r.stderr, "cosignature") {
		t.Fatalf("fresh export with the witness key should be rejected\n%s", r)
	}
	r = parley(t, "audit", "verify-export", fresh, "--server-key", serverKey, "--trusted", earlier)
	if r.code == 0 || !strings.Contains(r.stderr, "rewritten") {
		t.Fatalf("fresh export against the earlier cosigned checkpoint should be rejected\n%s", r)
	}
	srv.stop(t)
}
