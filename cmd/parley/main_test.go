package main

// Tests of the parley command as a real program: TestMain builds the binary
// once, and every test runs it with os/exec against its own temp database,
// so that exit codes, standard output and standard error are the real ones.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/parley/parley/app"
)

// parleyBin is the path of the binary built by TestMain.
var parleyBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "parley-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "temp dir:", err)
		os.Exit(2)
	}
	parleyBin = filepath.Join(dir, "parley")
	build := exec.Command("go", "build", "-o", parleyBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "go build of cmd/parley failed:", err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	// The test process's own log lines (failed logins on purpose) are noise here.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fastArgon keeps password hashing in the test process quick.
var fastArgon = app.ArgonParams{Memory: 64, Time: 1, Threads: 1}

// goodPassword is accepted by the password rules.
const goodPassword = "correct horse battery staple 2013"

// result is what one run of the binary did.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// stderrLines returns the non-empty lines of standard error.
func (r result) stderrLines() []string {
	var out []string
	for _, l := range strings.Split(r.stderr, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// invocation describes one run of the binary.
type invocation struct {
	dir   string   // working directory; a fresh temp dir when empty
	env   []string // extra environment, NAME=value
	stdin string
}

// childEnv is the test's environment without any PARLEY_ settings, plus extra.
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PARLEY_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// exe runs the binary to completion (bounded to a minute) and returns what it did.
func exe(t *testing.T, inv invocation, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, parleyBin, args...)
	cmd.Dir = inv.dir
	if cmd.Dir == "" {
		cmd.Dir = t.TempDir()
	}
	cmd.Env = childEnv(inv.env...)
	cmd.Stdin = strings.NewReader(inv.stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	default:
		t.Fatalf("run parley %v: %v", args, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("parley %v did not finish within a minute:\n%s", args, res)
	}
	return res
}

// parley runs the binary with no input and a fresh working directory.
func parley(t *testing.T, args ...string) result {
	t.Helper()
	return exe(t, invocation{}, args...)
}

// mustSucceed fails the test unless the run exited 0.
func mustSucceed(t *testing.T, r result, what string) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("%s: want exit 0, got\n%s", what, r)
	}
}

// wantOneLineError checks that a run failed with exactly one line on
// standard error, starting "parley:" and containing every one of want.
func wantOneLineError(t *testing.T, r result, want ...string) {
	t.Helper()
	if r.code == 0 {
		t.Fatalf("want a non-zero exit, got\n%s", r)
	}
	lines := r.stderrLines()
	if len(lines) != 1 {
		t.Fatalf("want exactly one line on stderr, got %d:\n%s", len(lines), r)
	}
	if !strings.HasPrefix(lines[0], "parley: ") {
		t.Fatalf("stderr line does not start with %q:\n%s", "parley: ", r)
	}
	for _, w := range want {
		if !strings.Contains(lines[0], w) {
			t.Errorf("stderr line %q does not mention %q", lines[0], w)
		}
	}
}

// newDBPath returns a database path in a fresh temp dir (not yet created).
func newDBPath(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "parley.db")
}

// migratedDB returns a database made by `parley migrate`.
func migratedDB(t *testing.T) string {
	t.Helper()
	db := newDBPath(t)
	mustSucceed(t, parley(t, "migrate", "--db", db), "migrate")
	return db
}

// addUser runs `parley user add` with the password on standard input.
func addUser(t *testing.T, db, email, name, side, role string, admin bool, password string) result {
	t.Helper()
	args := []string{"user", "add", "--email", email, "--name", name, "--side", side, "--role", role, "--db", db}
	if admin {
		args = append(args, "--admin")
	}
	return exe(t, invocation{stdin: password + "\n"}, args...)
}

// addUS runs `parley delegation add` for the US delegation.
func addUS(t *testing.T, db string) result {
	t.Helper()
	return parley(t, "delegation", "add", "--code", "US", "--name-en", "United States delegation",
		"--name-zh", "美国代表团", "--time-zone", "America/New_York", "--language", "en", "--db", db)
}

// openService opens the database in the test process, with fast hashing.
func openService(t *testing.T, path string) *app.Service {
	t.Helper()
	db, err := app.OpenDB(context.Background(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	svc := app.NewService(db)
	svc.Argon = fastArgon
	return svc
}

// rawDB opens a database file with plain database/sql.
func rawDB(t *testing.T, path string, readOnly bool) *sql.DB {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file: %v", err)
	}
	dsn := "file:" + filepath.ToSlash(path) + "?_busy_timeout=10000"
	if readOnly {
		dsn += "&mode=ro"
	}
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// userEmails lists the accounts in a database file, sorted.
func userEmails(t *testing.T, path string) []string {
	t.Helper()
	rows, err := rawDB(t, path, true).Query("SELECT email FROM users ORDER BY email")
	if err != nil {
		t.Fatalf("list users of %s: %v", path, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// syncBuffer is a bytes.Buffer safe for a child process writer and a polling reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestHelpAndUnknownCommands checks every subcommand's --help and the
// handling of unknown or missing commands.
func TestHelpAndUnknownCommands(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		synopsis string
	}{
		{[]string{"serve", "--help"}, "Usage: parley serve"},
		{[]string{"migrate", "--help"}, "Usage: parley migrate"},
		{[]string{"user", "add", "--help"}, "Usage: parley user add"},
		{[]string{"user", "disable", "--help"}, "Usage: parley user disable"},
		{[]string{"user", "confirm", "--help"}, "Usage: parley user confirm"},
		{[]string{"seed", "--help"}, "Usage: parley seed"},
		{[]string{"delegation", "add", "--help"}, "Usage: parley delegation add"},
		{[]string{"backup", "--help"}, "Usage: parley backup"},
		{[]string{"audit", "verify", "--help"}, "Usage: parley audit verify"},
		{[]string{"migrate", "-h"}, "Usage: parley migrate"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			dir := t.TempDir()
			r := exe(t, invocation{dir: dir}, tc.args...)
			mustSucceed(t, r, "help")
			out := r.stdout + r.stderr
			if !strings.Contains(out, tc.synopsis) {
				t.Errorf("help output lacks %q:\n%s", tc.synopsis, r)
			}
			if !strings.Contains(out, "-db") {
				t.Errorf("help output does not describe --db:\n%s", r)
			}
			if strings.Contains(r.stderr, "parley: ") {
				t.Errorf("help printed an error line:\n%s", r)
			}
			// Help must do nothing else: no default database appears.
			if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
				t.Errorf("%v created data/ in the working directory", tc.args)
			}
		})
	}

	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := parley(t, args...)
			mustSucceed(t, r, "top-level help")
			for _, cmd := range []string{"parley serve", "parley migrate", "parley user add", "parley user disable", "parley user confirm",
				"parley delegation add", "parley seed", "parley backup", "parley audit verify"} {
				if !strings.Contains(r.stdout, cmd) {
					t.Errorf("usage lacks %q:\n%s", cmd, r)
				}
			}
		})
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"user", "frob"}, `unknown command "user frob"`},
		{[]string{"user"}, `unknown command "user"`},
		{[]string{"audit", "--db", "x.db"}, `unknown command "audit --db"`},
		{nil, "no command given"},
	} {
		t.Run(fmt.Sprintf("bad %q", tc.args), func(t *testing.T) {
			r := parley(t, tc.args...)
			if r.code == 0 {
				t.Fatalf("want a non-zero exit:\n%s", r)
			}
			var errLines []string
			for _, l := range r.stderrLines() {
				if strings.HasPrefix(l, "parley: ") {
					errLines = append(errLines, l)
				}
			}
			if len(errLines) != 1 || !strings.Contains(errLines[0], tc.want) {
				t.Fatalf("want one line %q on stderr, got %q:\n%s", "parley: "+tc.want, errLines, r)
			}
			lines := r.stderrLines()
			if lines[len(lines)-1] != errLines[0] {
				t.Errorf("the error line should come last:\n%s", r)
			}
			if r.stdout != "" {
				t.Errorf("nothing should go to stdout:\n%s", r)
			}
		})
	}
}
