package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/app/web"
)

func cmdServe(ctx context.Context, args []string) error {
	fs := newFlags("serve", "serve [flags]")
	addr := fs.String("addr", env("PARLEY_ADDR", "127.0.0.1:8080"), "listen address (env PARLEY_ADDR)")
	dbPath := dbFlag(fs)
	demo := fs.Bool("demo", env("PARLEY_DEMO", "") == "1", "load the demo working group into an empty database (env PARLEY_DEMO=1)")
	baseURL := fs.String("base-url", env("PARLEY_BASE_URL", ""), "public URL; https switches on secure cookies and HSTS (env PARLEY_BASE_URL)")
	metricsAddr := fs.String("metrics-addr", env("PARLEY_METRICS_ADDR", ""), "address for Prometheus metrics; off when empty (env PARLEY_METRICS_ADDR)")
	proxies := fs.String("trusted-proxies", env("PARLEY_TRUSTED_PROXIES", ""), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted (env PARLEY_TRUSTED_PROXIES)")
	maxAttachment := fs.Int64("max-attachment", envInt64("PARLEY_MAX_ATTACHMENT_MB", incidents.DefaultMaxAttachment>>20),
		"largest evidence file taken, in megabytes (env PARLEY_MAX_ATTACHMENT_MB)")
	keyPath := logKeyFlag(fs, dbPath)
	checkpointEvery := fs.Duration("checkpoint-every", envDuration("PARLEY_CHECKPOINT_EVERY", 2*time.Minute),
		"how often the audit logs that grew get a signed checkpoint (env PARLEY_CHECKPOINT_EVERY)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *checkpointEvery < time.Second {
		return errors.New("--checkpoint-every: at least 1s")
	}
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, nil)))

	sv, done, err := openServices(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer done()
	if err := useLogKey(sv.core, logKeyPath(*keyPath, *dbPath), *baseURL, true); err != nil {
		return err
	}
	ag := sv.agenda
	if n, err := ag.IndexMissing(ctx); err != nil {
		return err
	} else if n > 0 {
		slog.Info("indexed for search", "items", n)
	}
	if *demo {
		seeded, err := sv.seedDemo(ctx)
		if err != nil {
			return err
		}
		if seeded {
			slog.Info("loaded the demo working group", "db", *dbPath)
		}
	}
	cfg := web.Config{BaseURL: *baseURL}
	if *proxies != "" {
		cfg.TrustedProxies = strings.Split(*proxies, ",")
	}
	sv.inc.MaxAttachment, sv.act.MaxFile = *maxAttachment<<20, *maxAttachment<<20
	srv, err := web.New(web.Services{Core: sv.core, Agenda: sv.agenda, Meetings: sv.meet, Incidents: sv.inc,
		Actions: sv.act}, cfg)
	if err != nil {
		return err
	}
	hs := &http.Server{Addr: *addr, Handler: srv, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	var ms *http.Server
	if *metricsAddr != "" {
		ms = &http.Server{Addr: *metricsAddr, Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := ms.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				slog.Error("metrics server", "err", err)
			}
		}()
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go signCheckpoints(ctx, sv.core, *checkpointEvery)
	ln, err := net.Listen("tcp", *addr) // bind before saying we serve
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	url := *baseURL
	if url == "" {
		url = "http://" + *addr
	}
	slog.Info("parley is serving", "url", url, "db", *dbPath, "sqlite", app.SQLiteVersion())
	if sv.core.IsDemo(ctx) {
		printDemoAccounts(url)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if ms != nil {
		_ = ms.Shutdown(sctx)
	}
	return hs.Shutdown(sctx)
}

func printDemoAccounts(url string) {
	fmt.Fprintf(os.Stderr, "\n  Parley demo working group — DEMO ONLY, not for real use.\n  Sign in at %s/login with any of these accounts, password %q:\n\n", url, app.DemoPassword)
	for _, a := range app.DemoAccounts {
		extra := string(a.Role)
		if a.Admin {
			extra += ", admin"
		}
		fmt.Fprintf(os.Stderr, "    %-30s %-4s %s\n", a.Email, a.Side, extra)
	}
	fmt.Fprintln(os.Stderr)
}
