package app

// Store: the database handles. Only store files (store*.go, *_store.go) import gorm.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"
	sqlitedriver "gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/parley/parley/migrations"
)

// MinSQLiteVersion is the oldest SQLite Parley runs on.
const MinSQLiteVersion = "3.51.3"

// readPoolSize is the number of read connections; writes use exactly one.
const readPoolSize = 4

// DB holds one writer connection and a small read pool on the same SQLite
// file. Every connection gets its settings from the DSN, so none can miss them.
type DB struct {
	Path    string
	w       *gorm.DB
	r       *gorm.DB
	sqlW    *sql.DB
	sqlR    *sql.DB
	queries atomic.Int64
	// ownChains are the kinds whose objects keep their shared activity in
	// a chain of their own (Service.KeepOwnChains); set up before serving.
	ownChains map[Kind]bool
	// refKey is the key of the audit records' object references, read
	// from the database once (it never changes).
	refKey atomic.Pointer[[]byte]
}

// dsn builds the connection string. Every pooled connection opened from it
// runs in WAL mode with foreign keys on, waits when the file is busy, syncs
// fully (a saved word survives power loss), and starts write transactions
// IMMEDIATE so that two writers never deadlock on a lock upgrade.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "FULL")
	if readOnly {
		q.Set("mode", "ro")
		q.Set("_txlock", "deferred")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

// OpenDB opens (creating if needed) the database at path and applies any
// pending migrations.
func OpenDB(ctx context.Context, path string) (*DB, error) {
	if err := Migrate(ctx, path); err != nil {
		return nil, err
	}
	return openPools(path)
}

// OpenDBNoMigrate opens an existing database without changing its schema.
func OpenDBNoMigrate(path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return openPools(path)
}

func openPools(path string) (*DB, error) {
	db := &DB{Path: path, ownChains: map[Kind]bool{}}
	cfg := func() *gorm.Config { // one each: gorm keeps the pool in its config
		return &gorm.Config{
			SkipDefaultTransaction: true,
			Logger:                 &sqlLogger{db: db},
			NowFunc:                func() time.Time { return time.Now().UTC() },
		}
	}
	var err error
	if db.w, err = gorm.Open(sqlitedriver.Open(dsn(path, false)), cfg()); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if db.sqlW, err = db.w.DB(); err != nil {
		return nil, err
	}
	db.sqlW.SetMaxOpenConns(1)
	db.sqlW.SetMaxIdleConns(1)
	db.sqlW.SetConnMaxIdleTime(0)
	// Reads keep their prepared statements (a bounded, least recently used
	// set per pool): preparing a statement costs more than running most of
	// Parley's reads.
	rcfg := cfg()
	rcfg.PrepareStmt, rcfg.PrepareStmtMaxSize, rcfg.PrepareStmtTTL = true, 500, time.Hour
	if db.r, err = gorm.Open(sqlitedriver.Open(dsn(path, true)), rcfg); err != nil {
		db.sqlW.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	if db.sqlR, err = db.r.DB(); err != nil {
		return nil, err
	}
	db.sqlR.SetMaxOpenConns(readPoolSize)
	db.sqlR.SetMaxIdleConns(readPoolSize)
	if err := checkSQLiteVersion(db.sqlW); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.sqlR.Close(), db.sqlW.Close())
}

// Writer and Reader expose the pools for metrics and tests.
func (db *DB) Writer() *sql.DB { return db.sqlW }
func (db *DB) Reader() *sql.DB { return db.sqlR }

// QueryCount is the number of SQL statements run so far (for tests of query counts).
func (db *DB) QueryCount() int64 { return db.queries.Load() }

func checkSQLiteVersion(db *sql.DB) error {
	var v string
	if err := db.QueryRow("SELECT sqlite_version()").Scan(&v); err != nil {
		return fmt.Errorf("read SQLite version: %w", err)
	}
	if compareVersions(v, MinSQLiteVersion) < 0 {
		return fmt.Errorf("SQLite %s is too old: Parley needs %s or later", v, MinSQLiteVersion)
	}
	return nil
}

// SQLiteVersion is the version of the SQLite library linked in.
func SQLiteVersion() string { v, _, _ := sqlite3.Version(); return v }

func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func migrationProvider(db *sql.DB) (*goose.Provider, error) {
	// Migration 00022 is Go: it builds the audit logs' Merkle trees, which
	// needs SHA-256.
	return goose.NewProvider(goose.DialectSQLite3, db, migrations.FS, goose.WithGoMigrations(
		goose.NewGoMigration(22, &goose.GoFunc{RunTx: carryOverLogs}, &goose.GoFunc{RunTx: dropLogTrees})))
}

// Migrate applies pending migrations to the database at path, creating the
// file (and its directory) when missing.
func Migrate(ctx context.Context, path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("create database directory: %w", err)
		}
	}
	sdb, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return err
	}
	defer sdb.Close()
	sdb.SetMaxOpenConns(1)
	if err := checkSQLiteVersion(sdb); err != nil {
		return err
	}
	p, err := migrationProvider(sdb)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Ready reports an error unless the database answers and its schema is current.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.sqlR.PingContext(ctx); err != nil {
		return err
	}
	p, err := migrationProvider(db.sqlR)
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return err
	}
	if pending {
		return errors.New("migrations pending")
	}
	return nil
}

// Backup writes a consistent snapshot of the live database to dest (which
// must not exist) and checks the copy's integrity.
func (db *DB) Backup(ctx context.Context, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("%s already exists", dest)
	}
	if err := db.w.WithContext(ctx).Exec("VACUUM INTO ?", dest).Error; err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	c, err := sql.Open("sqlite3", "file:"+filepath.ToSlash(dest)+"?mode=ro")
	if err != nil {
		return err
	}
	defer c.Close()
	var res string
	if err := c.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("check the copy: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("the copy failed its integrity check: %s", res)
	}
	return nil
}

// Tx is a write transaction. Store methods on it are the only writes.
type Tx struct {
	g   *gorm.DB
	now time.Time
	db  *DB
}

// write runs fn in one IMMEDIATE transaction on the single writer connection.
// Everything fn does, audit records included, commits together or not at all.
func (db *DB) write(ctx context.Context, now time.Time, fn func(tx *Tx) error) error {
	return db.w.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		return fn(&Tx{g: g, now: now.UTC(), db: db})
	})
}

// read returns a handle on the read pool.
func (db *DB) read(ctx context.Context) *gorm.DB { return db.r.WithContext(ctx) }

// dbErr turns a store error into a domain error: "no rows" becomes not found.
func dbErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: EINTERNAL, Message: "error.internal", Err: err}
}

// isUniqueViolation reports whether err is a UNIQUE constraint failure.
func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

// isConstraintViolation reports whether err is a constraint failure, which
// the domain turns into a message for the user (not a fault to log).
func isConstraintViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
}

// sqlLogger counts statements and logs slow ones and failures, without arguments.
type sqlLogger struct{ db *DB }

func (l *sqlLogger) LogMode(logger.LogLevel) logger.Interface      { return l }
func (l *sqlLogger) Info(context.Context, string, ...interface{})  {}
func (l *sqlLogger) Warn(context.Context, string, ...interface{})  {}
func (l *sqlLogger) Error(context.Context, string, ...interface{}) {}
func (l *sqlLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	l.db.queries.Add(1)
	elapsed := time.Since(begin)
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !isConstraintViolation(err) {
		sqlText, _ := fc()
		slog.ErrorContext(ctx, "sql failed", "err", err, "sql", firstWords(sqlText), "ms", elapsed.Milliseconds())
	} else if elapsed > 200*time.Millisecond {
		sqlText, _ := fc()
		slog.WarnContext(ctx, "slow sql", "sql", firstWords(sqlText), "ms", elapsed.Milliseconds())
	}
}

// firstWords keeps a statement's shape but not its literal values.
func firstWords(s string) string {
	if i := strings.IndexAny(s, "'\""); i >= 0 {
		s = s[:i]
	}
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}

// rowID returns the row id behind an opaque identifier in a table.
func (db *DB) rowID(ctx context.Context, table, publicID string) (int64, error) {
	if !ValidPublicID(publicID) {
		return 0, ErrNotFound
	}
	var ids []int64
	if err := db.read(ctx).Table(table).Where("public_id = ?", publicID).Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, dbErr(err)
	}
	if len(ids) == 0 {
		return 0, ErrNotFound
	}
	return ids[0], nil
}
