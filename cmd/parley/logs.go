package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/witness"
)

// The audit logs' commands: the server's checkpoint key and signer, the
// witness a delegation runs, and exports verified offline.

// logKeyFlag adds --log-key: the server's checkpoint key, kept outside the
// database file (default: beside it).
func logKeyFlag(fs *flag.FlagSet, dbPath *string) *string {
	return fs.String("log-key", env("PARLEY_LOG_KEY", ""), "the server's checkpoint signing key file, created on first start; default: the database path + \".log-key\" (env PARLEY_LOG_KEY)")
}

func logKeyPath(flagValue, dbPath string) string {
	if flagValue != "" {
		return flagValue
	}
	return dbPath + ".log-key"
}

// useLogKey loads (or, when create is set, creates) the server's key and
// gives it to the service.
func useLogKey(svc *app.Service, path, baseURL string, create bool) error {
	if !create {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("the server's log key: %w", err)
		}
	}
	skey, vkey, created, err := app.LoadOrCreateLogKey(path, logKeyName(baseURL))
	if err != nil {
		return fmt.Errorf("the server's log key %s: %w", path, err)
	}
	if created {
		slog.Info("created the server's checkpoint key; back it up apart from the database", "file", path, "verifier_key", vkey)
	}
	return svc.UseLogKey(skey, vkey)
}

// logKeyName names a new server key: the public host when known, so that
// checkpoints say whose they are, with a random suffix.
func logKeyName(baseURL string) string {
	host := "parley"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-log-" + hex.EncodeToString(b)
}

// signCheckpoints signs checkpoints now and then every interval until ctx ends.
func signCheckpoints(ctx context.Context, svc *app.Service, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if n, err := svc.SignCheckpoints(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			slog.Error("signing checkpoints", "err", err)
		} else if n > 0 {
			slog.Info("signed checkpoints", "logs", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func cmdAuditCheckpoint(ctx context.Context, args []string) error {
	fs := newFlags("audit checkpoint", "audit checkpoint [--db FILE] [--log-key FILE]\n\nSigns a checkpoint of every log that has grown since its last one (the server does this every few minutes).")
	dbPath := dbFlag(fs)
	keyPath := logKeyFlag(fs, dbPath)
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, done, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer done()
	if err := useLogKey(svc, logKeyPath(*keyPath, *dbPath), "", true); err != nil {
		return err
	}
	n, err := svc.SignCheckpoints(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("signed %d checkpoints\n", n)
	return nil
}

func cmdAuditExport(ctx context.Context, args []string) error {
	fs := newFlags("audit export", "audit export --chain LOG --out FILE [--db FILE] [--log-key FILE]\n\nWrites a log's records up to its newest cosigned checkpoint, with their inclusion proofs and the checkpoint's signatures, for 'parley audit verify-export'. LOG is a log's public name: shared, side-us, side-cn, … (parley audit verify lists them).")
	chain := fs.String("chain", "shared", "the log's public name")
	out := fs.String("out", "", "the export file to write")
	dbPath := dbFlag(fs)
	keyPath := logKeyFlag(fs, dbPath)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errors.New("--out is required")
	}
	db, err := app.OpenDBNoMigrate(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := app.NewService(db)
	if err := useLogKey(svc, logKeyPath(*keyPath, *dbPath), "", false); err != nil {
		return err
	}
	tmp := *out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := svc.ExportLog(ctx, f, *chain); err != nil {
		f.Close()
		os.Remove(tmp)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return fmt.Errorf("no log %q with a checkpoint (parley audit verify lists the logs; parley audit checkpoint signs one)", *chain)
		}
		return err
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Printf("exported log %s to %s\n", *chain, *out)
	return nil
}

// keysFlag collects a repeatable key flag.
type keysFlag []string

func (k *keysFlag) String() string     { return strings.Join(*k, ",") }
func (k *keysFlag) Set(v string) error { *k = append(*k, v); return nil }

// verifierKey reads a verifier key given as itself or as a file holding it
// (a key file made by keygen: its second line).
func verifierKey(v string) (string, error) {
	v = strings.TrimSpace(v)
	if _, err := note.NewVerifier(v); err == nil {
		return v, nil
	}
	b, err := os.ReadFile(v)
	if err != nil {
		return "", fmt.Errorf("key %q: neither a verifier key nor a readable file", v)
	}
	f := strings.Fields(string(b))
	switch {
	case len(f) == 1:
		return f[0], nil
	case len(f) == 2:
		return f[1], nil
	}
	return "", fmt.Errorf("%s: not a key file", v)
}

func cmdAuditVerifyExport(ctx context.Context, args []string) error {
	fs := newFlags("audit verify-export", "audit verify-export FILE [--server-key KEY] [--witness-key KEY]...\n\nChecks an export with no access to the server: the checkpoint's signature by the server, a cosignature by every --witness-key, every record's hash and inclusion proof. A KEY is a verifier key or a file holding one.")
	serverKey := fs.String("server-key", "", "the server's verifier key (default: the one in the file, which proves less)")
	var witnesses, trusted keysFlag
	fs.Var(&witnesses, "witness-key", "a witness's verifier key whose cosignature is required (repeatable)")
	fs.Var(&trusted, "trusted", "a checkpoint kept from before — an earlier export file, or a signed checkpoint note — that the export must extend (repeatable)")
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("give one export file")
	}
	var sk string
	if *serverKey != "" {
		k, err := verifierKey(*serverKey)
		if err != nil {
			return err
		}
		sk = k
	}
	var wks []string
	for _, w := range witnesses {
		k, err := verifierKey(w)
		if err != nil {
			return err
		}
		wks = append(wks, k)
	}
	var notes []string
	for _, p := range trusted {
		n, err := trustedCheckpoint(p)
		if err != nil {
			return err
		}
		notes = append(notes, n)
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	sum, err := app.VerifyExport(f, sk, wks, notes...)
	if err != nil {
		return fmt.Errorf("export does not verify: %w", err)
	}
	fmt.Printf("ok: log %s, %d records, root %s, checkpoint of %s\n", sum.Log, sum.Size, sum.Root, sum.At.Format(time.RFC3339))
	if len(sum.Cosigners) > 0 {
		fmt.Printf("cosigned by %s\n", strings.Join(sum.Cosigners, ", "))
	}
	if sum.ServerKeyFromExp {
		fmt.Println("note: the server key was taken from the file; give --server-key to check it is the server's")
	}
	return nil
}

// trustedCheckpoint reads a checkpoint note from a file: an export's, or
// the note itself.
func trustedCheckpoint(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var exp app.LogExport
	if json.Unmarshal(b, &exp) == nil && exp.Checkpoint != "" {
		return exp.Checkpoint, nil
	}
	return string(b), nil
}

// reorder puts flags before positional arguments, so that "FILE --flag v"
// works as well as "--flag v FILE".
func reorder(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

func cmdWitness(ctx context.Context, args []string) error {
	fs := newFlags("witness", "witness --url URL --token TOKEN --state DIR --key FILE [--server-key KEY] [--peer-key KEY]...\n\nChecks that every log the delegation may see extends what this witness cosigned before, checks the other delegation's cosignatures against it, and cosigns. Exit status 0: all consistent; 2: tampering detected (see the message); 1: any other failure (network, token…). Run it from cron or a systemd timer.")
	base := fs.String("url", env("PARLEY_URL", ""), "the Parley server's address (env PARLEY_URL)")
	token := fs.String("token", env("PARLEY_WITNESS_TOKEN", ""), "the delegation's witness token (env PARLEY_WITNESS_TOKEN)")
	tokenFile := fs.String("token-file", "", "a file holding the token, instead of --token")
	stateDir := fs.String("state", "", "the witness's state directory (what it cosigned)")
	keyFile := fs.String("key", "", "the delegation's witness key file (parley witness keygen)")
	serverKey := fs.String("server-key", "", "the server's verifier key to expect (default: pinned on the first run)")
	var peers keysFlag
	fs.Var(&peers, "peer-key", "another delegation's witness verifier key (repeatable; default: pinned on first sight)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return err
		}
		*token = strings.TrimSpace(string(b))
	}
	if *base == "" || *token == "" || *stateDir == "" || *keyFile == "" {
		fs.Usage()
		return errors.New("--url, --token (or --token-file), --state and --key are required")
	}
	skey, _, err := witness.LoadKey(*keyFile)
	if err != nil {
		return err
	}
	cfg := witness.Config{URL: *base, Token: *token, StateDir: *stateDir, SignerKey: skey, Out: os.Stdout}
	if *serverKey != "" {
		if cfg.ServerKey, err = verifierKey(*serverKey); err != nil {
			return err
		}
	}
	for _, p := range peers {
		k, err := verifierKey(p)
		if err != nil {
			return err
		}
		cfg.PeerKeys = append(cfg.PeerKeys, k)
	}
	res, err := witness.Run(ctx, cfg)
	if res != nil {
		for _, w := range res.Warnings {
			fmt.Println("warning: " + w)
		}
	}
	return err
}

func cmdWitnessKeygen(_ context.Context, args []string) error {
	fs := newFlags("witness keygen", "witness keygen --key FILE --name NAME\n\nMakes the delegation's witness key (kept on the witness machine only) and prints the public key to paste on Parley's witness page.")
	keyFile := fs.String("key", "", "the key file to create (mode 0600; never overwritten)")
	name := fs.String("name", "", "the key's name, e.g. us-delegation-witness")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *keyFile == "" || *name == "" {
		fs.Usage()
		return errors.New("--key and --name are required")
	}
	if strings.ContainsAny(*name, " +\t\n") {
		return errors.New("--name: no spaces or '+'")
	}
	vkey, err := witness.GenerateKey(filepath.Clean(*keyFile), *name)
	if err != nil {
		return err
	}
	fmt.Println(vkey)
	return nil
}
