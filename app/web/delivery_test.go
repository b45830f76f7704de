package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// Pages and static files are compressed; static files are named by their
// content and kept for a year; the CSRF token is masked afresh on every page
// so that compression cannot reveal it.
func TestCompressionAndStaticCaching(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as(azEmail("us.delegate"))
	get := func(path string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, ts.http.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := get("/agenda")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("/agenda is not compressed: %v", res.Header)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(zr)
	res.Body.Close()
	css := regexp.MustCompile(`href="(/static/style\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(string(page))
	js := regexp.MustCompile(`src="(/static/app\.[0-9a-f]{12}\.js)"`).FindStringSubmatch(string(page))
	if css == nil || js == nil {
		t.Fatalf("the page does not name its static files by content:\n%.600s", page)
	}
	for _, path := range []string{css[1], js[1]} {
		r := get(path)
		r.Body.Close()
		small := r.ContentLength >= 0 && r.ContentLength < 512 // not worth compressing
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") ||
			(r.Header.Get("Content-Encoding") != "gzip" && !small) {
			t.Errorf("%s: status %d, Cache-Control %q, Content-Encoding %q", path, r.StatusCode,
				r.Header.Get("Cache-Control"), r.Header.Get("Content-Encoding"))
		}
	}
	r := get("/static/style.css")
	r.Body.Close()
	if r.StatusCode != http.StatusOK || strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("the plain name: status %d, Cache-Control %q", r.StatusCode, r.Header.Get("Cache-Control"))
	}
	for _, bad := range []string{"/static/style.000000000000.css", "/static/../embed.go", "/static/embed.go"} {
		r := get(bad)
		r.Body.Close()
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", bad, r.StatusCode)
		}
	}
}
