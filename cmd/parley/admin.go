package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/actions"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/app/i18n"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/app/meetings"
)

func cmdMigrate(ctx context.Context, args []string) error {
	fs := newFlags("migrate", "migrate [--db FILE]")
	dbPath := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := app.Migrate(ctx, *dbPath); err != nil {
		return err
	}
	fmt.Println("database is up to date:", *dbPath)
	return nil
}

// openServices opens (creating and migrating) the database and sets up the
// core service and each feature on it.
func openServices(ctx context.Context, path string) (*services, func(), error) {
	db, err := app.OpenDB(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	svc := app.NewService(db)
	ag := agenda.New(svc)
	mt, inc := meetings.New(svc, ag), incidents.New(svc)
	return &services{core: svc, agenda: ag, meet: mt, inc: inc, act: actions.New(svc, ag, mt, inc)}, func() { db.Close() }, nil
}

// services are the core and the features, as openServices sets them up.
type services struct {
	core   *app.Service
	agenda *agenda.Service
	meet   *meetings.Service
	inc    *incidents.Service
	act    *actions.Service
}

// seedDemo loads the demo working group into an empty database.
func (s *services) seedDemo(ctx context.Context) (bool, error) {
	return s.act.SeedDemo(ctx, s.inc, s.meet)
}

// openExisting opens a database that must already exist, applying pending migrations.
func openExisting(ctx context.Context, path string) (*app.Service, func(), error) {
	if _, err := os.Stat(path); err != nil {
		return nil, nil, fmt.Errorf("no database at %s (run 'parley migrate --db %s' first)", path, path)
	}
	db, err := app.OpenDB(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return app.NewService(db), func() { db.Close() }, nil
}

func cmdUserAdd(ctx context.Context, args []string) error {
	fs := newFlags("user add", "user add --email E --name N --side CODE --role head|delegate|observer|secretariat [--admin] [--db FILE]\n\nThe password is read from a prompt, or from the first line of standard input when it is not a terminal.")
	email := fs.String("email", "", "email address (the login)")
	name := fs.String("name", "", "full name")
	side := fs.String("side", "", "side code, e.g. US, CN or SEC (the secretariat)")
	role := fs.String("role", "", "head, delegate, observer or secretariat")
	admin := fs.Bool("admin", false, "may manage accounts and delegations")
	dbPath := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" || *name == "" || *side == "" || *role == "" {
		return errors.New("--email, --name, --side and --role are required (see --help)")
	}
	svc, done, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer done()
	s, err := svc.SideByCode(ctx, app.System, *side)
	if err != nil {
		return fmt.Errorf("no side with code %q", *side)
	}
	pw, err := readPassword(os.Stdin)
	if err != nil {
		return err
	}
	u, _, err := svc.CreateUser(ctx, app.System, app.UserInput{Email: *email, Name: *name, SideID: s.ID,
		Role: app.Role(*role), Admin: *admin, Password: pw})
	if err != nil {
		return describe(err)
	}
	fmt.Printf("created %s (%s, %s, %s)\n", u.Email, u.Name, s.Code, u.Role)
	return nil
}

// accountCommand parses --email and --db and runs fn on that account.
func accountCommand(ctx context.Context, args []string, name, usage string, fn func(*app.Service, *app.User) error) error {
	fs := newFlags(name, usage)
	email := fs.String("email", "", "email address of the account")
	dbPath := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("--email is required")
	}
	svc, done, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer done()
	u, err := svc.FindUserByEmail(ctx, app.System, *email)
	if err != nil {
		return fmt.Errorf("no account with email %q", *email)
	}
	return fn(svc, u)
}

func cmdUserDisable(ctx context.Context, args []string) error {
	return accountCommand(ctx, args, "user disable", "user disable --email E [--db FILE]", func(svc *app.Service, u *app.User) error {
		if err := svc.SetUserDisabled(ctx, app.System, u.ID, u.Version, true); err != nil {
			return describe(err)
		}
		fmt.Printf("disabled %s; its sessions have ended\n", u.Email)
		return nil
	})
}

// cmdUserConfirm confirms a pending member of a delegation from the command
// line: for a delegation none of whose heads can (its only head's password
// was reset by an administrator, say). Whoever runs it speaks for the
// delegation, as when the command line creates a delegation's first head.
func cmdUserConfirm(ctx context.Context, args []string) error {
	return accountCommand(ctx, args, "user confirm", "user confirm --email E [--db FILE]\n\nConfirms a pending member of a delegation (an account an administrator created or reset).",
		func(svc *app.Service, u *app.User) error {
			if err := svc.ConfirmMember(ctx, app.System, u.ID, u.Version); err != nil {
				return describe(err)
			}
			fmt.Printf("confirmed %s as a member of %s\n", u.Email, u.Side.Code)
			return nil
		})
}

func cmdDelegationAdd(ctx context.Context, args []string) error {
	fs := newFlags("delegation add", "delegation add --code CODE --name-en N --name-zh N --time-zone TZ --language en|zh [--db FILE]")
	var in app.SideInput
	fs.StringVar(&in.Code, "code", "", "2-8 capital letters, e.g. US")
	fs.StringVar(&in.NameEN, "name-en", "", "name in English")
	fs.StringVar(&in.NameZH, "name-zh", "", "name in Chinese")
	fs.StringVar(&in.TimeZone, "time-zone", "", "IANA home time zone, e.g. America/New_York")
	fs.StringVar(&in.Language, "language", "en", "default language of its members: en or zh")
	dbPath := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, done, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer done()
	s, err := svc.CreateDelegation(ctx, app.System, in)
	if err != nil {
		return describe(err)
	}
	fmt.Printf("created delegation %s (%s / %s)\n", s.Code, s.NameEN, s.NameZH)
	return nil
}

func cmdBackup(ctx context.Context, args []string) error {
	fs := newFlags("backup", "backup [--db FILE] DEST\n\nWrites a consistent snapshot of the live database to DEST (which must not exist) and checks its integrity.")
	dbPath := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("give exactly one destination file")
	}
	db, err := app.OpenDBNoMigrate(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Printf("backed up %s to %s (integrity check: ok)\n", *dbPath, fs.Arg(0))
	return nil
}

func cmdAuditVerify(ctx context.Context, args []string) error {
	fs := newFlags("audit verify", "audit verify [--db FILE] [--log-key FILE]\n\nRecomputes every audit chain and its Merkle tree, and checks every checkpoint's root and signature. Exit status 0 when all verify. This proves the file consistent, not unaltered: an operator can recompute everything; the delegations' witnesses catch that.")
	dbPath := dbFlag(fs)
	keyPath := logKeyFlag(fs, dbPath)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := app.OpenDBNoMigrate(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ok, problems, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	svc := app.NewService(db)
	if p := logKeyPath(*keyPath, *dbPath); fileExists(p) {
		if err := useLogKey(svc, p, "", false); err != nil {
			return err
		}
	} else {
		fmt.Printf("note: no log key at %s: checkpoint signatures are not checked\n", p)
	}
	treeProblems, err := db.VerifyLogs(ctx, svc)
	if err != nil {
		return err
	}
	problems = append(problems, treeProblems...)
	for _, h := range ok {
		fmt.Printf("ok    %-10s %6d entries  head %s  log %s\n", h.Chain, h.Length, h.Hash, h.Name)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Printf("BAD   %s\n", p)
		}
		return fmt.Errorf("audit trail does not verify: %s", problems[0])
	}
	return nil
}

// readPassword prompts twice on a terminal, or reads one line from a pipe.
// Passwords never come from the command line, where others could see them.
func readPassword(in *os.File) (string, error) {
	if term.IsTerminal(int(in.Fd())) {
		fmt.Fprint(os.Stderr, "Password: ")
		a, err := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(os.Stderr, "Again: ")
		b, err := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords do not match")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input")
	}
	return pw, nil
}

// describe turns a domain error into one English line for the terminal.
func describe(err error) error {
	en := i18n.MustLoad().For("en")
	if fields := app.FieldErrors(err); fields != nil {
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, f)
		}
		sort.Strings(names)
		parts := make([]string, 0, len(names))
		for _, f := range names {
			parts = append(parts, "--"+strings.ReplaceAll(f, "_", "-")+": "+en.T(fields[f]))
		}
		return errors.New(strings.Join(parts, " "))
	}
	if code := app.ErrorCode(err); code != app.EINTERNAL {
		return errors.New(en.T(app.ErrorMessage(err)))
	}
	return err
}

// cmdSeed fills a demo database with a large body of records, to measure
// Parley at the size of a group that has met for years.
func cmdSeed(ctx context.Context, args []string) error {
	fs := newFlags("seed", "seed [--db FILE] [--items N] [--comments M] [--thread T] [--incidents I] [--indicators K] [--actions A]\n\nLoads the demo working group into an empty database (or uses the demo database there) and adds N agenda items of both sides and every status, M comments and internal notes, one thread of T comments, I incidents of both sides (drafts, RED and shared ones), K indicators on the demo's Chinese report and A actions. Refuses a database that is not a demo one.")
	dbPath := dbFlag(fs)
	items := fs.Int("items", 1000, "agenda items to add")
	comments := fs.Int("comments", 5000, "comments and internal notes to spread over the items")
	thread := fs.Int("thread", 0, "comments on one item (a very long thread)")
	incidentCount := fs.Int("incidents", 0, "incidents to add")
	indicators := fs.Int("indicators", 0, "indicators to add to the demo's Chinese report")
	actionCount := fs.Int("actions", 0, "actions to add")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *items < 0 || *comments < 0 || *thread < 0 || *incidentCount < 0 || *indicators < 0 || *actionCount < 0 {
		return errors.New("--items, --comments, --thread, --incidents, --indicators and --actions must not be negative")
	}
	sv, done, err := openServices(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer done()
	svc, ag := sv.core, sv.agenda
	if _, err := sv.seedDemo(ctx); err != nil {
		return err
	}
	if !svc.IsDemo(ctx) {
		return fmt.Errorf("%s holds a real working group: seed only adds sample records to a demo database", *dbPath)
	}
	start := time.Now()
	if err := ag.SeedBulk(ctx, agenda.BulkInput{Items: *items, Comments: *comments, Thread: *thread}); err != nil {
		return describe(err)
	}
	if err := sv.inc.SeedBulk(ctx, incidents.BulkInput{Incidents: *incidentCount, Indicators: *indicators}); err != nil {
		return describe(err)
	}
	if err := sv.act.SeedBulk(ctx, *actionCount); err != nil {
		return describe(err)
	}
	fmt.Printf("added %d items, %d comments, a thread of %d, %d incidents, %d indicators and %d actions to %s in %s\n", *items,
		*comments, *thread, *incidentCount, *indicators, *actionCount, *dbPath, time.Since(start).Round(time.Millisecond))
	return nil
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
