package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/actions"
	"github.com/parley/parley/app/agenda"
	"github.com/parley/parley/app/incidents"
	"github.com/parley/parley/app/meetings"
)

// Benchmarks of the pages people open most, on the demo working group with
// 1,000 and 100,000 agenda items (and as many comments, and one item with a
// 10,000-comment thread), made by the same bulk seeder as `parley seed`.
// Run with `make bench`; they report time and SQL statements per page.

type benchSite struct {
	srv          *Server
	db           *app.DB
	cookie       *http.Cookie
	item, thread string // an ordinary tabled item, and the one with the long thread
	meeting      string // the demo's informal meeting, with its poll
	incident     string // the demo's Chinese report, with as many indicators as there are items
}

var (
	benchOnce  = map[int]*sync.Once{1000: {}, 100000: {}}
	benchSites = map[int]*benchSite{}
	benchDir   string
)

// benchSiteOf builds (once per run) a server on a database of n items.
func benchSiteOf(b *testing.B, n int) *benchSite {
	b.Helper()
	benchOnce[n].Do(func() {
		if benchDir == "" {
			dir, err := os.MkdirTemp("", "parley-bench-")
			if err != nil {
				b.Fatal(err)
			}
			benchDir = dir // left for the operating system's clean-up: a test's own would end with the first benchmark
		}
		ctx := context.Background()
		db, err := app.OpenDB(ctx, filepath.Join(benchDir, fmt.Sprintf("bench-%d.db", n)))
		if err != nil {
			b.Fatal(err)
		}
		svc := app.NewService(db)
		svc.Argon = app.ArgonParams{Memory: 64, Time: 1, Threads: 1}
		ag := agenda.New(svc)
		mt := meetings.New(svc, ag)
		inc := incidents.New(svc)
		act := actions.New(svc, ag, mt, inc)
		if _, err := act.SeedDemo(ctx, inc, mt); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := ag.SeedBulk(ctx, agenda.BulkInput{Items: n, Comments: n, Thread: 10000}); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d items in %s", n, time.Since(start).Round(time.Millisecond))
		start = time.Now()
		if err := inc.SeedBulk(ctx, incidents.BulkInput{Incidents: n, Indicators: n}); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d incidents and %d indicators in %s", n, n, time.Since(start).Round(time.Millisecond))
		start = time.Now()
		if err := act.SeedBulk(ctx, n); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d actions in %s", n, time.Since(start).Round(time.Millisecond))
		srv, err := New(Services{Core: svc, Agenda: ag, Meetings: mt, Incidents: inc, Actions: act}, Config{})
		if err != nil {
			b.Fatal(err)
		}
		token, _, err := svc.Login(ctx, "cn.head@parley.example", app.DemoPassword, "127.0.0.1", "bench")
		if err != nil {
			b.Fatal(err)
		}
		head, _ := svc.FindUserByEmail(ctx, app.System, "cn.head@parley.example")
		list, err := ag.ListItems(ctx, head, agenda.ItemFilter{Status: agenda.StatusProposed, Sort: "created", Page: app.Page{Size: 1}})
		if err != nil || len(list.Items) == 0 {
			b.Fatalf("no tabled item: %v", err)
		}
		// The item with the long thread: the one with the most comments.
		var thread string
		err = db.Reader().QueryRow(`SELECT i.public_id FROM agenda_items i WHERE i.id = (SELECT object_id FROM comments
			WHERE object_type = ? GROUP BY object_id ORDER BY COUNT(*) DESC LIMIT 1)`, string(agenda.KindItem)).Scan(&thread)
		if err != nil {
			b.Fatalf("no threaded item: %v", err)
		}
		upcoming, _, err := mt.List(ctx, head, meetings.Filter{})
		if err != nil || len(upcoming.Items) == 0 {
			b.Fatalf("no demo meeting: %v", err)
		}
		var report string
		if err := db.Reader().QueryRow(`SELECT public_id FROM incidents WHERE id = (SELECT incident_id FROM incident_indicators
			GROUP BY incident_id ORDER BY COUNT(*) DESC LIMIT 1)`).Scan(&report); err != nil {
			b.Fatalf("no incident with indicators: %v", err)
		}
		benchSites[n] = &benchSite{srv: srv, db: db, cookie: &http.Cookie{Name: "parley_session", Value: token},
			item: list.Items[0].PublicID, thread: thread, meeting: upcoming.Items[0].PublicID, incident: report}
	})
	site := benchSites[n]
	if site == nil {
		b.Fatal("the benchmark site could not be built")
	}
	return site
}

func benchGet(b *testing.B, n int, path func(*benchSite) string) {
	site := benchSiteOf(b, n)
	p := path(site)
	b.ReportAllocs()
	b.ResetTimer()
	before := site.db.QueryCount()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, p, nil)
		req.AddCookie(site.cookie)
		rec := httptest.NewRecorder()
		site.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", p, rec.Code)
		}
	}
	b.ReportMetric(float64(site.db.QueryCount()-before)/float64(b.N), "sql/op")
}

func benchPages(b *testing.B, n int) {
	for _, pg := range []struct {
		name string
		path func(*benchSite) string
	}{
		{"dashboard", func(*benchSite) string { return "/" }},
		{"agenda", func(*benchSite) string { return "/agenda" }},
		{"agenda_proposed", func(*benchSite) string { return "/agenda?status=proposed" }},
		{"agenda_search", func(*benchSite) string { return "/agenda?q=trust" }},
		{"agenda_search_common", func(*benchSite) string { return "/agenda?q=exchange" }},
		{"agenda_search_chinese", func(*benchSite) string { return "/agenda?q=" + url.QueryEscape("信任措施") }},
		{"agenda_search_two_words", func(*benchSite) string { return "/agenda?q=information+exchange" }},
		{"agenda_page_20", func(*benchSite) string { return "/agenda?page=20" }},
		{"item", func(s *benchSite) string { return "/agenda/" + s.item }},
		{"item_10k_thread", func(s *benchSite) string { return "/agenda/" + s.thread }},
		{"history_10k", func(s *benchSite) string { return "/agenda/" + s.thread + "/history" }},
		{"revisions", func(s *benchSite) string { return "/agenda/" + s.item + "/revisions" }},
		{"amendments", func(s *benchSite) string { return "/agenda/" + s.item + "/amendments" }},
		{"meetings", func(*benchSite) string { return "/meetings" }},
		{"meeting", func(s *benchSite) string { return "/meetings/" + s.meeting }},
		{"meeting_agenda", func(s *benchSite) string { return "/meetings/" + s.meeting + "/agenda" }},
		{"actions", func(*benchSite) string { return "/actions" }},
		{"actions_overdue", func(*benchSite) string { return "/actions?view=overdue" }},
		{"actions_verify", func(*benchSite) string { return "/actions?view=verify" }},
		{"actions_side", func(*benchSite) string { return "/actions?view=side" }},
		{"actions_review", func(*benchSite) string { return "/actions?view=review" }},
		{"incidents", func(*benchSite) string { return "/incidents" }},
		{"incidents_red", func(*benchSite) string { return "/incidents?tlp=RED" }},
		{"incidents_search", func(*benchSite) string { return "/incidents?q=Phishing" }},
		{"incident_stats", func(*benchSite) string { return "/incidents/stats" }},
		{"incident", func(s *benchSite) string { return "/incidents/" + s.incident }},
		{"incident_positions", func(s *benchSite) string { return "/incidents/" + s.incident + "/positions" }},
		{"indicators", func(s *benchSite) string { return "/incidents/" + s.incident + "/indicators" }},
		{"indicators_page_30", func(s *benchSite) string { return "/incidents/" + s.incident + "/indicators?page=30" }},
		{"indicators_search", func(s *benchSite) string { return "/incidents/" + s.incident + "/indicators?q=10.1.2" }},
		{"indicators_no_position", func(s *benchSite) string {
			return "/incidents/" + s.incident + "/indicators?position=none"
		}},
	} {
		b.Run(pg.name, func(b *testing.B) { benchGet(b, n, pg.path) })
	}
}

func BenchmarkPages1k(b *testing.B)   { benchPages(b, 1000) }
func BenchmarkPages100k(b *testing.B) { benchPages(b, 100000) }
