// Command parley runs the Parley server and its administration commands.
// It only wires things together: the rules live in package app.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/parley/parley/app/witness"
)

const usage = `parley — the bilateral working group's workspace

Usage:
  parley serve [--addr 127.0.0.1:8080] [--db data/parley.db] [--demo] [--base-url URL] [--metrics-addr ADDR]
  parley migrate [--db FILE]
  parley user add --email E --name N --side CODE --role ROLE [--admin] [--db FILE]   (password from a prompt or stdin)
  parley user disable --email E [--db FILE]
  parley user confirm --email E [--db FILE]   (a pending member of a delegation, when no head can)
  parley delegation add --code CODE --name-en N --name-zh N --time-zone TZ --language en|zh [--db FILE]
  parley seed [--db FILE] [--items N] [--comments M] [--thread T]   (sample records in a demo database, for measuring)
  parley backup [--db FILE] DEST
  parley audit verify [--db FILE] [--log-key FILE]
  parley audit checkpoint [--db FILE] [--log-key FILE]
  parley audit export --chain LOG --out FILE [--db FILE]
  parley audit verify-export FILE [--server-key KEY] [--witness-key KEY]...
  parley witness --url URL --token TOKEN --state DIR --key FILE [--server-key KEY] [--peer-key KEY]...
  parley witness keygen --key FILE --name NAME

Every command takes --help. The database defaults to $PARLEY_DB, else data/parley.db.
`

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		var te *witness.TamperError
		if errors.As(err, &te) {
			fmt.Fprintln(os.Stderr, "parley: TAMPERING DETECTED: "+oneLine(err.Error()))
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "parley: "+oneLine(err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	sub := ""
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		sub = rest[0]
	}
	switch {
	case cmd == "serve":
		return cmdServe(ctx, rest)
	case cmd == "migrate":
		return cmdMigrate(ctx, rest)
	case cmd == "user" && sub == "add":
		return cmdUserAdd(ctx, rest[1:])
	case cmd == "user" && sub == "disable":
		return cmdUserDisable(ctx, rest[1:])
	case cmd == "user" && sub == "confirm":
		return cmdUserConfirm(ctx, rest[1:])
	case cmd == "delegation" && sub == "add":
		return cmdDelegationAdd(ctx, rest[1:])
	case cmd == "seed":
		return cmdSeed(ctx, rest)
	case cmd == "backup":
		return cmdBackup(ctx, rest)
	case cmd == "audit" && sub == "verify":
		return cmdAuditVerify(ctx, rest[1:])
	case cmd == "audit" && sub == "checkpoint":
		return cmdAuditCheckpoint(ctx, rest[1:])
	case cmd == "audit" && sub == "export":
		return cmdAuditExport(ctx, rest[1:])
	case cmd == "audit" && sub == "verify-export":
		return cmdAuditVerifyExport(ctx, rest[1:])
	case cmd == "witness" && sub == "keygen":
		return cmdWitnessKeygen(ctx, rest[1:])
	case cmd == "witness":
		return cmdWitness(ctx, rest)
	case cmd == "help" || cmd == "--help" || cmd == "-h":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", strings.Join(args[:min(2, len(args))], " "))
}

// newFlags makes a flag set whose errors and help go to stderr briefly.
func newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: parley %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// dbFlag adds --db, defaulting to $PARLEY_DB, else data/parley.db.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", env("PARLEY_DB", "data/parley.db"), "SQLite database file (env PARLEY_DB)")
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// envInt64 is an integer setting's default from the environment, else def.
func envInt64(name string, def int64) int64 {
	if n, err := strconv.ParseInt(os.Getenv(name), 10, 64); err == nil && n > 0 {
		return n
	}
	return def
}

// envDuration is a duration setting's default from the environment, else def.
func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil && d > 0 {
		return d
	}
	return def
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
