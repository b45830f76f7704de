package main

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley/parley/app"
)

// schemaObjects lists a database's tables and triggers, and its migration count.
func schemaObjects(t *testing.T, path string) (objects []string, migrations int) {
	t.Helper()
	db := rawDB(t, path, true)
	rows, err := db.Query("SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		objects = append(objects, s)
	}
	if err := db.QueryRow("SELECT count(*) FROM goose_db_version").Scan(&migrations); err != nil {
		t.Fatalf("no migration record in %s: %v", path, err)
	}
	return objects, migrations
}

func TestMigrate(t *testing.T) {
	t.Run("creates and migrates, twice is fine", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "nested", "dir", "parley.db") // the directory is created too
		r := parley(t, "migrate", "--db", db)
		mustSucceed(t, r, "first migrate")
		if !strings.Contains(r.stdout, "database is up to date") || !strings.Contains(r.stdout, db) {
			t.Errorf("migrate should say the database is up to date and name it:\n%s", r)
		}
		objects, n := schemaObjects(t, db)
		for _, want := range []string{"table users", "table sides", "table sessions", "table audit_records",
			"table audit_heads", "table settings", "trigger audit_records_no_update", "trigger audit_records_no_delete"} {
			if !slices.Contains(objects, want) {
				t.Errorf("migrated database lacks %s; has %v", want, objects)
			}
		}
		var sec int
		if err := rawDB(t, db, true).QueryRow("SELECT count(*) FROM sides WHERE code = 'SEC' AND kind = 'secretariat'").Scan(&sec); err != nil || sec != 1 {
			t.Errorf("want the secretariat side after migrate, got %d (%v)", sec, err)
		}

		r = parley(t, "migrate", "--db", db)
		mustSucceed(t, r, "second migrate")
		objects2, n2 := schemaObjects(t, db)
		if !slices.Equal(objects, objects2) || n != n2 {
			t.Errorf("second migrate changed the schema: %v (%d) -> %v (%d)", objects, n, objects2, n2)
		}
		// The migrated file is usable by the application.
		svc := openService(t, db)
		if _, err := svc.SideByCode(context.Background(), app.System, "SEC"); err != nil {
			t.Errorf("app cannot read the migrated database: %v", err)
		}
	})

	t.Run("PARLEY_DB is honoured without --db", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(t.TempDir(), "from-env.db")
		r := exe(t, invocation{dir: dir, env: []string{"PARLEY_DB=" + db}}, "migrate")
		mustSucceed(t, r, "migrate with PARLEY_DB")
		if _, n := schemaObjects(t, db); n == 0 {
			t.Errorf("no migrations recorded in %s", db)
		}
		if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
			t.Errorf("migrate used the default data/parley.db despite PARLEY_DB")
		}
		if !strings.Contains(r.stdout, db) {
			t.Errorf("migrate should name the database it migrated:\n%s", r)
		}
		// --db wins over PARLEY_DB.
		other := filepath.Join(t.TempDir(), "flag.db")
		mustSucceed(t, exe(t, invocation{env: []string{"PARLEY_DB=" + db}}, "migrate", "--db", other), "migrate --db")
		if _, err := os.Stat(other); err != nil {
			t.Errorf("--db should override PARLEY_DB: %v", err)
		}
	})

	t.Run("default is data/parley.db", func(t *testing.T) {
		dir := t.TempDir()
		mustSucceed(t, exe(t, invocation{dir: dir}, "migrate"), "migrate without --db")
		if _, err := os.Stat(filepath.Join(dir, "data", "parley.db")); err != nil {
			t.Errorf("want data/parley.db in the working directory: %v", err)
		}
	})
}

func TestDelegationAndUserAdd(t *testing.T) {
	ctx := context.Background()
	db := migratedDB(t)

	r := addUS(t, db)
	mustSucceed(t, r, "delegation add")
	if !strings.Contains(r.stdout, "created delegation US") {
		t.Errorf("delegation add output:\n%s", r)
	}

	r = addUser(t, db, "a@b.example", "First Admin", "SEC", "secretariat", true, goodPassword)
	mustSucceed(t, r, "user add")
	if !strings.Contains(r.stdout, "created a@b.example") {
		t.Errorf("user add output:\n%s", r)
	}
	if strings.Contains(r.stdout+r.stderr, goodPassword) {
		t.Errorf("user add echoed the password:\n%s", r)
	}
	mustSucceed(t, addUser(t, db, "Head@US.example", "Delegation Head", "us", "head", false, goodPassword), "user add US head")

	svc := openService(t, db)
	_, u, err := svc.Login(ctx, "a@b.example", goodPassword, "127.0.0.1", "test")
	if err != nil {
		t.Fatalf("the new admin cannot log in with the password from stdin: %v", err)
	}
	if !u.Admin || u.Role != app.RoleSecretariat || u.Side == nil || u.Side.Code != "SEC" || u.Name != "First Admin" || u.MustChangePassword {
		t.Errorf("created account is wrong: admin=%v role=%s side=%v name=%q mustChange=%v", u.Admin, u.Role, u.Side, u.Name, u.MustChangePassword)
	}
	_, h, err := svc.Login(ctx, "head@us.example", goodPassword, "127.0.0.1", "test")
	if err != nil {
		t.Fatalf("the US head cannot log in: %v", err)
	}
	if h.Admin || h.Role != app.RoleHead || h.Side == nil || h.Side.Code != "US" {
		t.Errorf("US head is wrong: admin=%v role=%s side=%v", h.Admin, h.Role, h.Side)
	}

	notCreated := func(t *testing.T, email string) {
		t.Helper()
		if slices.Contains(userEmails(t, db), email) {
			t.Errorf("%s was created although the command failed", email)
		}
	}

	t.Run("too short password", func(t *testing.T) {
		r := addUser(t, db, "c@b.example", "Carol Short", "SEC", "secretariat", false, "short pw 1")
		wantOneLineError(t, r, "--password", "at least 12 characters")
		notCreated(t, "c@b.example")
	})
	t.Run("common password", func(t *testing.T) {
		r := addUser(t, db, "d@b.example", "Dave Common", "SEC", "secretariat", false, "password1234")
		wantOneLineError(t, r, "--password", "too common")
		notCreated(t, "d@b.example")
	})
	t.Run("unknown side code", func(t *testing.T) {
		r := addUser(t, db, "e@b.example", "Eve Nowhere", "ZZ", "head", false, goodPassword)
		wantOneLineError(t, r, "side", "ZZ")
		notCreated(t, "e@b.example")
	})
	t.Run("missing side flag", func(t *testing.T) {
		r := exe(t, invocation{stdin: goodPassword + "\n"}, "user", "add", "--email", "f@b.example", "--name", "Fay Sideless",
			"--role", "secretariat", "--db", db)
		wantOneLineError(t, r, "--side")
		notCreated(t, "f@b.example")
	})
	t.Run("no password on stdin", func(t *testing.T) {
		for _, stdin := range []string{"", "\n"} {
			r := exe(t, invocation{stdin: stdin}, "user", "add", "--email", "g@b.example", "--name", "Gus Nopass",
				"--side", "SEC", "--role", "secretariat", "--db", db)
			wantOneLineError(t, r, "password")
			notCreated(t, "g@b.example")
		}
	})
	t.Run("password flag is refused", func(t *testing.T) {
		r := exe(t, invocation{stdin: goodPassword + "\n"}, "user", "add", "--email", "h@b.example", "--name", "Hal Argv",
			"--side", "SEC", "--role", "secretariat", "--password", "another fine password 2013", "--db", db)
		if r.code == 0 {
			t.Fatalf("--password must not be accepted:\n%s", r)
		}
		if !strings.Contains(r.stderr, "password") {
			t.Errorf("the error should name the rejected flag:\n%s", r)
		}
		notCreated(t, "h@b.example")
	})
	t.Run("password as an argument is not used", func(t *testing.T) {
		r := exe(t, invocation{}, "user", "add", "--email", "i@b.example", "--name", "Ida Positional",
			"--side", "SEC", "--role", "secretariat", "--db", db, goodPassword)
		if r.code == 0 {
			t.Fatalf("a password given as an argument must not create the account:\n%s", r)
		}
		notCreated(t, "i@b.example")
	})
	t.Run("role that does not fit the side", func(t *testing.T) {
		r := addUser(t, db, "j@b.example", "Jo Misfit", "US", "secretariat", false, goodPassword)
		wantOneLineError(t, r, "--role", "role does not exist on this side")
		notCreated(t, "j@b.example")
	})
	t.Run("delegation code already taken", func(t *testing.T) {
		r := addUS(t, db)
		wantOneLineError(t, r, "--code", "already in use")
	})
	t.Run("email already taken", func(t *testing.T) {
		r := addUser(t, db, "A@b.example", "Second Admin", "SEC", "secretariat", false, goodPassword)
		wantOneLineError(t, r, "--email", "already exists")
		if got := userEmails(t, db); len(got) != 2 {
			t.Errorf("want the two accounts only, got %v", got)
		}
	})
	t.Run("no database", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "missing.db")
		r := addUser(t, missing, "k@b.example", "Kim Nodb", "SEC", "secretariat", false, goodPassword)
		wantOneLineError(t, r, missing, "migrate")
		if _, err := os.Stat(missing); err == nil {
			t.Errorf("user add created a database at %s", missing)
		}
		wantOneLineError(t, addUS(t, missing), missing)
	})
	t.Run("PARLEY_DB is honoured", func(t *testing.T) {
		r := exe(t, invocation{stdin: goodPassword + "\n", env: []string{"PARLEY_DB=" + db}}, "user", "add",
			"--email", "l@b.example", "--name", "Lee Env", "--side", "SEC", "--role", "secretariat")
		mustSucceed(t, r, "user add with PARLEY_DB")
		if !slices.Contains(userEmails(t, db), "l@b.example") {
			t.Errorf("user add ignored PARLEY_DB")
		}
	})
}

func TestUserDisable(t *testing.T) {
	ctx := context.Background()
	db := migratedDB(t)
	mustSucceed(t, addUser(t, db, "a@b.example", "First Admin", "SEC", "secretariat", true, goodPassword), "add admin")
	mustSucceed(t, addUser(t, db, "b@b.example", "Second Member", "SEC", "secretariat", false, goodPassword), "add member")

	svc := openService(t, db)
	token, _, err := svc.Login(ctx, "b@b.example", goodPassword, "127.0.0.1", "test")
	if err != nil {
		t.Fatalf("before disable, b should log in: %v", err)
	}

	r := parley(t, "user", "disable", "--email", "B@b.example", "--db", db)
	mustSucceed(t, r, "user disable")
	if !strings.Contains(r.stdout, "disabled b@b.example") {
		t.Errorf("user disable output:\n%s", r)
	}
	if _, _, err := svc.Login(ctx, "b@b.example", goodPassword, "127.0.0.1", "test"); err == nil {
		t.Errorf("a disabled account could log in")
	}
	if _, _, err := svc.Authenticate(ctx, token); err == nil {
		t.Errorf("the disabled account's session survived")
	}
	if _, _, err := svc.Login(ctx, "a@b.example", goodPassword, "127.0.0.1", "test"); err != nil {
		t.Errorf("disabling b affected a: %v", err)
	}

	// Disabling twice is harmless.
	mustSucceed(t, parley(t, "user", "disable", "--email", "b@b.example", "--db", db), "second disable")

	wantOneLineError(t, parley(t, "user", "disable", "--email", "nobody@b.example", "--db", db), "nobody@b.example")
	wantOneLineError(t, parley(t, "user", "disable", "--db", db), "--email")
	missing := filepath.Join(t.TempDir(), "missing.db")
	wantOneLineError(t, parley(t, "user", "disable", "--email", "a@b.example", "--db", missing), missing)
}

func TestUserConfirm(t *testing.T) {
	ctx := context.Background()
	db := migratedDB(t)
	mustSucceed(t, parley(t, "delegation", "add", "--code", "US", "--name-en", "US", "--name-zh", "美国",
		"--time-zone", "America/New_York", "--language", "en", "--db", db), "add delegation")
	mustSucceed(t, addUser(t, db, "admin@b.example", "First Admin", "SEC", "secretariat", true, goodPassword), "add admin")
	svc := openService(t, db)
	admin, err := svc.FindUserByEmail(ctx, app.System, "admin@b.example")
	if err != nil {
		t.Fatal(err)
	}
	us, err := svc.SideByCode(ctx, app.System, "US")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.CreateUser(ctx, admin, app.UserInput{Email: "head@b.example", Name: "Head", SideID: us.ID,
		Role: app.RoleHead, Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	r := parley(t, "user", "confirm", "--email", "head@b.example", "--db", db)
	mustSucceed(t, r, "user confirm")
	if !strings.Contains(r.stdout, "confirmed head@b.example as a member of US") {
		t.Errorf("user confirm output:\n%s", r)
	}
	if u, _ := svc.FindUserByEmail(ctx, app.System, "head@b.example"); u == nil || u.Pending {
		t.Fatalf("still pending: %+v", u)
	}
	wantOneLineError(t, parley(t, "user", "confirm", "--email", "head@b.example", "--db", db), "already")
	wantOneLineError(t, parley(t, "user", "confirm", "--email", "admin@b.example", "--db", db), "")
	wantOneLineError(t, parley(t, "user", "confirm", "--db", db), "--email")
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db := migratedDB(t)
	mustSucceed(t, addUS(t, db), "delegation add")
	mustSucceed(t, addUser(t, db, "a@b.example", "First Admin", "SEC", "secretariat", true, goodPassword), "add admin")
	mustSucceed(t, addUser(t, db, "head@us.example", "US Head", "US", "head", false, goodPassword), "add head")
	want := userEmails(t, db)

	dest := filepath.Join(t.TempDir(), "backup.db")
	r := parley(t, "backup", "--db", db, dest)
	mustSucceed(t, r, "backup")
	if !strings.Contains(r.stdout, "integrity check: ok") {
		t.Errorf("backup output:\n%s", r)
	}
	if got := userEmails(t, dest); !slices.Equal(got, want) {
		t.Errorf("backup holds users %v, want %v", got, want)
	}
	// The copy is a working Parley database: the app opens it and its audit trail verifies.
	bsvc := openService(t, dest)
	if _, _, err := bsvc.Login(ctx, "head@us.example", goodPassword, "127.0.0.1", "test"); err != nil {
		t.Errorf("cannot log in on the backup: %v", err)
	}
	mustSucceed(t, parley(t, "audit", "verify", "--db", dest), "audit verify on the backup")

	// A second backup to the same file fails and leaves it alone.
	before := fileSum(t, dest)
	wantOneLineError(t, parley(t, "backup", "--db", db, dest), dest, "exists")
	if fileSum(t, dest) != before {
		t.Errorf("a refused backup changed %s", dest)
	}

	wantOneLineError(t, parley(t, "backup", "--db", db), "destination")
	missing := filepath.Join(t.TempDir(), "missing.db")
	out := filepath.Join(t.TempDir(), "out.db")
	wantOneLineError(t, parley(t, "backup", "--db", missing, out), missing)
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed backup wrote %s", out)
	}

	// PARLEY_DB is honoured.
	envDest := filepath.Join(t.TempDir(), "env-backup.db")
	mustSucceed(t, exe(t, invocation{env: []string{"PARLEY_DB=" + db}}, "backup", envDest), "backup with PARLEY_DB")
	if got := userEmails(t, envDest); !slices.Equal(got, want) {
		t.Errorf("PARLEY_DB backup holds users %v, want %v", got, want)
	}
}

func TestBackupWhileInUse(t *testing.T) {
	ctx := context.Background()
	db := migratedDB(t)
	mustSucceed(t, addUser(t, db, "a@b.example", "First Admin", "SEC", "secretariat", true, goodPassword), "add admin")

	svc := openService(t, db) // another connection holds the database open
	login := func() error {
		_, _, err := svc.Login(ctx, "a@b.example", goodPassword, "127.0.0.1", "test")
		return err
	}
	if err := login(); err != nil {
		t.Fatalf("login before the backup: %v", err)
	}

	// Keep writing while the backup runs.
	var stop atomic.Bool
	var writes atomic.Int64
	var wg sync.WaitGroup
	var writeErr error
	var writeErrSet atomic.Bool
	wg.Add(1)
	go func() {
		defer wg.Done()
		deadline := time.Now().Add(30 * time.Second)
		for !stop.Load() && time.Now().Before(deadline) {
			if err := login(); err != nil {
				writeErr = err
				writeErrSet.Store(true)
				return
			}
			writes.Add(1)
		}
	}()
	// waitWrites waits (bounded) until the writer has done more than n writes.
	waitWrites := func(n int64) {
		deadline := time.Now().Add(10 * time.Second)
		for writes.Load() <= n && !writeErrSet.Load() && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitWrites(0) // writing is under way
	dest := filepath.Join(t.TempDir(), "live.db")
	r := parley(t, "backup", "--db", db, dest)
	waitWrites(writes.Load()) // and goes on after the backup
	stop.Store(true)
	wg.Wait()
	if writes.Load() < 2 {
		t.Errorf("only %d concurrent writes happened around the backup", writes.Load())
	}
	mustSucceed(t, r, "backup of a database in use")
	if writeErr != nil {
		t.Fatalf("a write during the backup failed: %v", writeErr)
	}
	if err := login(); err != nil {
		t.Fatalf("login after the backup: %v", err)
	}

	if got := userEmails(t, dest); !slices.Equal(got, []string{"a@b.example"}) {
		t.Errorf("backup holds users %v", got)
	}
	var sessions int
	if err := rawDB(t, dest, true).QueryRow("SELECT count(*) FROM sessions").Scan(&sessions); err != nil || sessions < 1 {
		t.Errorf("the backup lacks the session written before it: %d (%v)", sessions, err)
	}
	// The snapshot is consistent: its audit trail verifies.
	mustSucceed(t, parley(t, "audit", "verify", "--db", dest), "audit verify on the live backup")
	mustSucceed(t, parley(t, "audit", "verify", "--db", db), "audit verify on the live database")
}

// seededDB makes a database with the demo working group and a sign-in (so
// that a side chain exists too), through the app package.
func seededDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := newDBPath(t)
	db, err := app.OpenDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := app.NewService(db)
	svc.Argon = fastArgon
	if seeded, err := svc.SeedDemo(ctx); err != nil || !seeded {
		t.Fatalf("seed demo: %v %v", seeded, err)
	}
	if _, _, err := svc.Login(ctx, "us.head@parley.example", app.DemoPassword, "127.0.0.1", "test"); err != nil {
		t.Fatalf("demo login: %v", err)
	}
	return path
}

type chainHead struct {
	seq  int
	hash string
}

// chainHeads returns the recorded head of every chain.
func chainHeads(t *testing.T, path string) map[string]chainHead {
	t.Helper()
	rows, err := rawDB(t, path, true).Query("SELECT chain, seq, hash FROM audit_heads")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]chainHead{}
	for rows.Next() {
		var c string
		var h chainHead
		if err := rows.Scan(&c, &h.seq, &h.hash); err != nil {
			t.Fatal(err)
		}
		out[c] = h
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// chainLength returns the number of records in a chain.
func chainLength(t *testing.T, path, chain string) int {
	t.Helper()
	var n int
	if err := rawDB(t, path, true).QueryRow("SELECT count(*) FROM audit_records WHERE chain = ?", chain).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAuditVerify(t *testing.T) {
	t.Run("good database", func(t *testing.T) {
		db := seededDB(t)
		r := parley(t, "audit", "verify", "--db", db)
		mustSucceed(t, r, "audit verify")
		if r.stderr != "" {
			t.Errorf("nothing should go to stderr:\n%s", r)
		}
		// One "ok" line per chain, shared first, each with its length and head hash.
		heads := chainHeads(t, db)
		if len(heads) < 2 {
			t.Fatalf("the seeded database should have the shared chain and a side chain, has %v", heads)
		}
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			if strings.HasPrefix(l, "ok ") {
				lines = append(lines, l)
			}
		}
		if len(lines) != len(heads) {
			t.Fatalf("want %d ok lines (one per chain), got:\n%s", len(heads), r)
		}
		for i, l := range lines {
			f := strings.Fields(l)
			if len(f) != 8 || f[0] != "ok" || f[3] != "entries" || f[4] != "head" || f[6] != "log" {
				t.Errorf("line %q is not an ok line", l)
				continue
			}
			h, known := heads[f[1]]
			if !known || f[2] != itoa(h.seq) || f[5] != h.hash {
				t.Errorf("line %q does not match the chain's head %+v", l, h)
			}
			if n := chainLength(t, db, f[1]); f[2] != itoa(n) {
				t.Errorf("line %q: the chain has %d entries", l, n)
			}
			if i == 0 && f[1] != app.ChainShared {
				t.Errorf("the shared chain should come first: %q", l)
			}
			if i > 0 && !strings.HasPrefix(f[1], "side:") {
				t.Errorf("line %q should be a side chain", l)
			}
		}
		// PARLEY_DB is honoured.
		mustSucceed(t, exe(t, invocation{env: []string{"PARLEY_DB=" + db}}, "audit", "verify"), "audit verify with PARLEY_DB")
	})

	t.Run("records are append-only", func(t *testing.T) {
		db := seededDB(t)
		raw := rawDB(t, db, false)
		if _, err := raw.Exec(`UPDATE audit_records SET changes = '{}' WHERE chain = 'shared' AND seq = 3`); err == nil {
			t.Errorf("an audit record could be updated while the triggers are in place")
		}
		if _, err := raw.Exec(`DELETE FROM audit_records WHERE chain = 'shared' AND seq = 3`); err == nil {
			t.Errorf("an audit record could be deleted while the triggers are in place")
		}
		raw.Close()
		mustSucceed(t, parley(t, "audit", "verify", "--db", db), "audit verify after refused tampering")
	})

	t.Run("changed record", func(t *testing.T) {
		db := seededDB(t)
		raw := rawDB(t, db, false)
		for _, q := range []string{
			`DROP TRIGGER audit_records_no_update`,
			`DROP TRIGGER audit_records_no_delete`,
			`UPDATE audit_records SET changes = '{"email":"mallory@evil.example"}' WHERE chain = 'shared' AND seq = 3`,
		} {
			if _, err := raw.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		raw.Close()
		r := parley(t, "audit", "verify", "--db", db)
		wantOneLineError(t, r, "chain shared", "entry 3")
		if !strings.Contains(r.stdout, "BAD") {
			t.Errorf("stdout should list the bad chain:\n%s", r)
		}
		// The side chain is untouched and still reported good.
		if !strings.Contains(r.stdout, "ok    side:") {
			t.Errorf("the good side chain should still be reported ok:\n%s", r)
		}
	})

	t.Run("removed tail", func(t *testing.T) {
		db := seededDB(t)
		n := chainLength(t, db, "shared")
		raw := rawDB(t, db, false)
		for _, q := range []string{
			`DROP TRIGGER audit_records_no_delete`,
			`DELETE FROM audit_records WHERE chain = 'shared' AND seq = ` + itoa(n),
		} {
			if _, err := raw.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		raw.Close()
		wantOneLineError(t, parley(t, "audit", "verify", "--db", db), "chain shared", "entry "+itoa(n))
	})

	t.Run("missing database", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "missing.db")
		wantOneLineError(t, parley(t, "audit", "verify", "--db", missing), missing)
		if _, err := os.Stat(missing); err == nil {
			t.Errorf("audit verify created %s", missing)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSeed(t *testing.T) {
	db := newDBPath(t)
	r := parley(t, "seed", "--db", db, "--items", "40", "--comments", "60", "--thread", "20", "--incidents", "30",
		"--indicators", "50", "--actions", "40")
	mustSucceed(t, r, "seed")
	if !strings.Contains(r.stdout, "added 40 items, 60 comments, a thread of 20, 30 incidents, 50 indicators and 40 actions") {
		t.Errorf("seed output:\n%s", r)
	}
	mustSucceed(t, parley(t, "audit", "verify", "--db", db), "audit verify after seeding")
	// The demo accounts sign in as usual.
	svc := openService(t, db)
	if _, _, err := svc.Login(context.Background(), "cn.head@parley.example", app.DemoPassword, "127.0.0.1", "test"); err != nil {
		t.Fatalf("demo login after seeding: %v", err)
	}
	// Never on a real working group's database.
	real := migratedDB(t)
	mustSucceed(t, addUser(t, real, "a@b.example", "First Admin", "SEC", "secretariat", true, goodPassword), "add admin")
	wantOneLineError(t, parley(t, "seed", "--db", real, "--items", "1"), "demo")
	wantOneLineError(t, parley(t, "seed", "--db", db, "--items", "-1"), "negative")
}
