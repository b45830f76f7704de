package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
)

// Benchmarks of the pages people open most, on a working group with a
// thousand tabled items. Run with `make bench`.

func benchServer(b *testing.B, items int) (*testServer, *http.Cookie) {
	b.Helper()
	ts := newTestServerTB(b)
	ctx := context.Background()
	del, err := ts.svc.FindUserByEmail(ctx, app.System, "us.delegate@parley.example")
	if err != nil {
		b.Fatal(err)
	}
	cats, err := ts.agenda.Categories(ctx, del, false)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < items; i++ {
		it, err := ts.agenda.CreateItem(ctx, del, agenda.ItemInput{Title: fmt.Sprintf("Item %d", i), Description: "Text",
			CategoryID: cats[i%len(cats)].ID, DurationMinutes: 30, Language: "en"})
		if err != nil {
			b.Fatal(err)
		}
		if err := ts.agenda.TableItem(ctx, del, it.ID, it.Version); err != nil {
			b.Fatal(err)
		}
	}
	token, _, err := ts.svc.Login(ctx, "cn.head@parley.example", app.DemoPassword, "127.0.0.1", "bench")
	if err != nil {
		b.Fatal(err)
	}
	return ts, &http.Cookie{Name: "parley_session", Value: token}
}

func benchGet(b *testing.B, ts *testServer, ck *http.Cookie, path string) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(ck)
		rec := httptest.NewRecorder()
		ts.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, rec.Code)
		}
	}
}

func BenchmarkAgendaList(b *testing.B) {
	ts, ck := benchServer(b, 1000)
	benchGet(b, ts, ck, "/agenda")
}

func BenchmarkAgendaListFiltered(b *testing.B) {
	ts, ck := benchServer(b, 1000)
	benchGet(b, ts, ck, "/agenda?q=item+99&status=proposed&sort=title")
}

func BenchmarkItemPage(b *testing.B) {
	ts, ck := benchServer(b, 10)
	benchGet(b, ts, ck, "/agenda/3")
}

func BenchmarkDashboard(b *testing.B) {
	ts, ck := benchServer(b, 1000)
	benchGet(b, ts, ck, "/")
}
