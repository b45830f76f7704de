package app

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mattn/go-sqlite3"
)

// ---- helpers shared by the domain tests ----

// wantCode fails unless err is a domain error with the given code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := ErrorCode(err); got != code {
		t.Fatalf("error code = %q (err %v), want %q", got, err, code)
	}
}

// wantField fails unless err is EINVALID with field -> key among its field errors.
func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	if ErrorCode(err) != EINVALID {
		t.Fatalf("error = %v, want EINVALID with %s=%s", err, field, key)
	}
	if got := FieldErrors(err)[field]; got != key {
		t.Fatalf("field %q = %q (all: %v), want %q", field, got, FieldErrors(err), key)
	}
}

// countRows runs a COUNT query on the read pool.
func countRows(t *testing.T, s *Service, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.db.Reader().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// pragma reads one PRAGMA value on a connection as text.
func pragma(t *testing.T, c *sql.Conn, name string) string {
	t.Helper()
	var v string
	if err := c.QueryRowContext(context.Background(), "PRAGMA "+name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

// checkConnSettings asserts the DSN settings on one pooled connection.
func checkConnSettings(t *testing.T, label string, c *sql.Conn) {
	t.Helper()
	for _, p := range []struct{ name, want string }{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"}, // FULL
		{"busy_timeout", "10000"},
	} {
		if got := pragma(t, c, p.name); got != p.want {
			t.Errorf("%s: PRAGMA %s = %q, want %q", label, p.name, got, p.want)
		}
	}
}

func TestDBSettingsOnEveryPooledConnection(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()

	if got := s.db.Writer().Stats().MaxOpenConnections; got != 1 {
		t.Fatalf("writer pool max open = %d, want 1", got)
	}
	if got := s.db.Reader().Stats().MaxOpenConnections; got != readPoolSize {
		t.Fatalf("reader pool max open = %d, want %d", got, readPoolSize)
	}

	// Hold every reader connection at once, so that each is a distinct connection.
	var conns []*sql.Conn
	for i := 0; i < readPoolSize; i++ {
		c, err := s.db.Reader().Conn(ctx)
		if err != nil {
			t.Fatalf("reader conn %d: %v", i, err)
		}
		conns = append(conns, c)
	}
	if got := s.db.Reader().Stats().OpenConnections; got != readPoolSize {
		t.Fatalf("reader pool has %d open connections while %d are held", got, readPoolSize)
	}
	for i, c := range conns {
		checkConnSettings(t, "reader conn "+string(rune('0'+i)), c)
		// Every reader connection is read-only.
		_, err := c.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", "probe", "x")
		var se sqlite3.Error
		if !errors.As(err, &se) || se.Code != sqlite3.ErrReadonly {
			t.Errorf("reader conn %d: INSERT err = %v, want SQLITE_READONLY", i, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}

	w, err := s.db.Writer().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkConnSettings(t, "writer", w)
	// The writer can write (the read-only failures above are not a broken database).
	if _, err := w.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", "probe", "x"); err != nil {
		t.Fatalf("writer INSERT: %v", err)
	}
	// Foreign keys are enforced on the writer.
	_, err = w.ExecContext(ctx, `INSERT INTO users (side_id, email, name, role, password_hash, created_at, updated_at)
		VALUES (9999, 'fk@parley.example', 'FK', 'delegate', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`)
	var se sqlite3.Error
	if !errors.As(err, &se) || se.ExtendedCode != sqlite3.ErrConstraintForeignKey {
		t.Fatalf("user with a missing side: %v, want a foreign key failure", err)
	}
	w.Close()
	if n := countRows(t, s, "SELECT COUNT(*) FROM settings WHERE key = 'probe'"); n != 1 {
		t.Fatalf("probe rows = %d, want 1", n)
	}
}

func TestDSNSettingsOnFreshConnections(t *testing.T) {
	// A brand-new connection opened from the DSN alone, outside the pools, gets
	// the same settings: nothing relies on a one-off PRAGMA after open.
	s, _ := newTestService(t)
	for _, ro := range []bool{false, true} {
		c, err := sql.Open("sqlite3", dsn(s.db.Path, ro))
		if err != nil {
			t.Fatal(err)
		}
		conn, err := c.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		checkConnSettings(t, "fresh dsn conn", conn)
		conn.Close()
		c.Close()
	}
	// Some of these equal SQLite's compiled-in defaults, so the PRAGMA checks
	// alone would not notice a setting dropped from the DSN.
	for _, ro := range []bool{false, true} {
		d := dsn("/x/y.db", ro)
		for _, want := range []string{"_journal_mode=WAL", "_foreign_keys=on", "_busy_timeout=10000", "_synchronous=FULL"} {
			if !strings.Contains(d, want) {
				t.Errorf("dsn(readOnly=%v) = %s lacks %s", ro, d, want)
			}
		}
	}
	if d := dsn("/x/y.db", false); !strings.Contains(d, "_txlock=immediate") || strings.Contains(d, "mode=ro") {
		t.Fatalf("writer dsn = %s", d)
	}
	if d := dsn("/x/y.db", true); !strings.Contains(d, "mode=ro") || strings.Contains(d, "_txlock=immediate") {
		t.Fatalf("reader dsn = %s", d)
	}
}

// otherWriter opens an independent connection to path that gives up on a lock quickly.
func otherWriter(t *testing.T, path, txlock string) *sql.DB {
	t.Helper()
	d := strings.Replace(dsn(path, false), "_busy_timeout=10000", "_busy_timeout=100", 1)
	d = strings.Replace(d, "_txlock=immediate", "_txlock="+txlock, 1)
	if !strings.Contains(d, "_busy_timeout=100&") && !strings.HasSuffix(d, "_busy_timeout=100") {
		t.Fatalf("could not shorten busy timeout in %s", d)
	}
	o, err := sql.Open("sqlite3", d)
	if err != nil {
		t.Fatal(err)
	}
	o.SetMaxOpenConns(1)
	t.Cleanup(func() { o.Close() })
	return o
}

func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrBusy
}

func TestWriterTransactionsAreImmediate(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	other := otherWriter(t, s.db.Path, "immediate")

	// A transaction begun on the writer pool holds the write lock from BEGIN,
	// before it has written anything.
	tx, err := s.db.Writer().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	otx, err := other.BeginTx(ctx, nil)
	if err == nil {
		otx.Rollback()
		tx.Rollback()
		t.Fatal("a second writer began IMMEDIATE while the writer's transaction was open: the writer's BEGIN is not IMMEDIATE")
	}
	if !isBusy(err) {
		t.Fatalf("second writer: %v, want SQLITE_BUSY", err)
	}
	if _, err := other.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('other', 'x')"); !isBusy(err) {
		t.Fatalf("second writer INSERT: %v, want SQLITE_BUSY", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	// Once the lock is released the other connection can write: the failures were the lock.
	otx, err = other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("second writer after rollback: %v", err)
	}
	otx.Rollback()

	// The service's own write path (gorm transaction) is IMMEDIATE too: inside
	// an fn that has run no statement yet, the lock is already held.
	var inner error
	err = s.db.write(ctx, s.now(), func(*Tx) error {
		otx, inner = other.BeginTx(ctx, nil)
		if inner == nil {
			otx.Rollback()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !isBusy(inner) {
		t.Fatalf("BEGIN on a second connection during db.write: %v, want SQLITE_BUSY", inner)
	}
}

func TestDeferredTransactionWouldNotBlock(t *testing.T) {
	// Control for TestWriterTransactionsAreImmediate: a DEFERRED transaction
	// takes no lock at BEGIN, so the check above really tells the two apart.
	s, _ := newTestService(t)
	ctx := context.Background()
	deferred := otherWriter(t, s.db.Path, "deferred")
	other := otherWriter(t, s.db.Path, "immediate")
	tx, err := deferred.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	otx, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("BEGIN IMMEDIATE next to an idle deferred transaction: %v", err)
	}
	otx.Rollback()
}

func TestMigrateIsIdempotentAndReady(t *testing.T) {
	ctx := context.Background()
	// Migrate creates missing directories.
	path := filepath.Join(t.TempDir(), "nested", "dir", "p.db")
	for i := 0; i < 2; i++ {
		if err := Migrate(ctx, path); err != nil {
			t.Fatalf("migrate #%d: %v", i+1, err)
		}
	}
	db, err := OpenDB(ctx, path) // migrates a third time
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	var n int
	if err := db.Reader().QueryRow("SELECT COUNT(*) FROM sides WHERE kind = 'secretariat'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("secretariat rows after repeated migration = %d (%v), want 1", n, err)
	}

	// Migrating a live, populated database is a no-op too.
	s, _ := newTestService(t)
	before := countRows(t, s, "SELECT COUNT(*) FROM users")
	if err := Migrate(ctx, s.db.Path); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	if after := countRows(t, s, "SELECT COUNT(*) FROM users"); after != before {
		t.Fatalf("users %d -> %d after re-migrating", before, after)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM sides WHERE kind = 'secretariat'"); n != 1 {
		t.Fatalf("secretariat rows = %d", n)
	}
}

func TestReadyFailsWithPendingMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	if err := Migrate(ctx, path); err != nil {
		t.Fatal(err)
	}
	// Forget that the newest migration ran: the schema is no longer current.
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := raw.Exec("DELETE FROM goose_db_version WHERE version_id = (SELECT MAX(version_id) FROM goose_db_version)")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("deleted %d goose rows", n)
	}
	raw.Close()
	db, err := OpenDBNoMigrate(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ready(ctx); err == nil || !strings.Contains(err.Error(), "pending") {
		t.Fatalf("Ready with a pending migration = %v, want a pending error", err)
	}
	if _, err := OpenDBNoMigrate(filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Fatal("OpenDBNoMigrate on a missing file succeeded")
	}
}

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"3.51.3", "3.51.3", 0},
		{"3.51.3", "3.51.10", -1}, // numeric, not lexical
		{"3.51.10", "3.51.3", 1},
		{"3.54.0", "3.51.3", 1},
		{"3.51.3", "3.54.0", -1},
		{"3.9.0", "3.51.3", -1},
		{"3.51.2", "3.51.3", -1},
		{"3.51.4", "3.51.3", 1},
		{"3.52", "3.51.3", 1},
		{"3.51", "3.51.0", 0},
		{"3.51", "3.51.3", -1},
		{"3.51.3.1", "3.51.3", 1},
		{"4.0.0", "3.99.99", 1},
		{"2.99.99", "3.0.0", -1},
	} {
		if got := compareVersions(c.a, c.b); got != c.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

var registerOldSQLite sync.Once

func TestCheckSQLiteVersion(t *testing.T) {
	s, _ := newTestService(t)
	if err := checkSQLiteVersion(s.db.Writer()); err != nil {
		t.Fatalf("linked SQLite %s refused: %v", SQLiteVersion(), err)
	}
	if compareVersions(SQLiteVersion(), MinSQLiteVersion) < 0 {
		t.Fatalf("linked SQLite %s is older than %s", SQLiteVersion(), MinSQLiteVersion)
	}
	var v string
	if err := s.db.Reader().QueryRow("SELECT sqlite_version()").Scan(&v); err != nil || v != SQLiteVersion() {
		t.Fatalf("sqlite_version() = %q (%v), SQLiteVersion() = %q", v, err, SQLiteVersion())
	}

	// A library that reports an old version is refused.
	registerOldSQLite.Do(func() {
		sql.Register("sqlite3_parley_old", &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
			return c.RegisterFunc("sqlite_version", func() string { return "3.51.2" }, true)
		}})
	})
	old, err := sql.Open("sqlite3_parley_old", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if err := old.QueryRow("SELECT sqlite_version()").Scan(&v); err != nil || v != "3.51.2" {
		t.Fatalf("fake version = %q (%v)", v, err)
	}
	err = checkSQLiteVersion(old)
	if err == nil || !strings.Contains(err.Error(), "too old") {
		t.Fatalf("checkSQLiteVersion on SQLite 3.51.2 = %v, want a too-old error", err)
	}
}

func TestBackup(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := s.db.Backup(ctx, dest); err != nil {
		t.Fatalf("backup: %v", err)
	}
	c, err := sql.Open("sqlite3", "file:"+filepath.ToSlash(dest)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n int
	if err := c.QueryRow("SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(DemoAccounts) {
		t.Fatalf("backup has %d users, want %d", n, len(DemoAccounts))
	}
	var email string
	if err := c.QueryRow("SELECT email FROM users WHERE email = 'cn.head@parley.example'").Scan(&email); err != nil {
		t.Fatalf("backup lacks cn.head: %v", err)
	}
	var auditN int
	if err := c.QueryRow("SELECT COUNT(*) FROM audit_records").Scan(&auditN); err != nil {
		t.Fatal(err)
	}
	if want := countRows(t, s, "SELECT COUNT(*) FROM audit_records"); int64(auditN) != want || want == 0 {
		t.Fatalf("backup has %d audit records, live has %d", auditN, want)
	}
	var res string
	if err := c.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("backup integrity = %q (%v)", res, err)
	}

	// An existing destination is refused and left untouched.
	admin := user(t, s, "admin@parley.example")
	if _, _, err := s.CreateUser(ctx, admin, UserInput{Email: "late@parley.example", Name: "Late", SideID: admin.SideID, Role: RoleSecretariat}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Backup(ctx, dest); err == nil {
		t.Fatal("backup over an existing file succeeded")
	}
	if err := c.QueryRow("SELECT COUNT(*) FROM users").Scan(&n); err != nil || n != len(DemoAccounts) {
		t.Fatalf("existing backup changed: %d users (%v)", n, err)
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Backup(ctx, empty); err == nil {
		t.Fatal("backup over an existing empty file succeeded")
	}
	if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
		t.Fatalf("existing empty destination was written: %v %v", fi, err)
	}
}
