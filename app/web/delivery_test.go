package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
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

// The compressed page is the plain page, with its length; a client that
// refuses gzip, a HEAD request and a range of a static file get what they
// asked for; every response says that it varies by Accept-Encoding.
func TestCompressionKeepsTheBody(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as(azEmail("cn.head"))
	get := func(method, path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.http.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if strconv.Itoa(len(body)) != res.Header.Get("Content-Length") && method != http.MethodHead {
			t.Errorf("%s %s: %d bytes, Content-Length %q", method, path, len(body), res.Header.Get("Content-Length"))
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s %s: Vary %q", method, path, res.Header.Get("Vary"))
		}
		return res, body
	}
	plainRes, plain := get(http.MethodGet, "/static/style.css", "Accept-Encoding", "gzip;q=0, identity")
	if plainRes.Header.Get("Content-Encoding") != "" || len(plain) < 1000 {
		t.Fatalf("a client refusing gzip got %q, %d bytes", plainRes.Header.Get("Content-Encoding"), len(plain))
	}
	zres, zbody := get(http.MethodGet, "/static/style.css", "Accept-Encoding", "br;q=1, gzip;q=0.5")
	if zres.Header.Get("Content-Encoding") != "gzip" || len(zbody) >= len(plain) {
		t.Fatalf("gzip: %q, %d bytes of %d", zres.Header.Get("Content-Encoding"), len(zbody), len(plain))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zbody))
	if err != nil {
		t.Fatal(err)
	}
	if unz, _ := io.ReadAll(zr); !bytes.Equal(unz, plain) {
		t.Fatal("the compressed stylesheet is not the stylesheet")
	}
	rres, rbody := get(http.MethodGet, "/static/style.css", "Accept-Encoding", "gzip", "Range", "bytes=0-9")
	if rres.StatusCode != http.StatusPartialContent || rres.Header.Get("Content-Encoding") != "" || !bytes.Equal(rbody, plain[:10]) {
		t.Errorf("a range: status %d, %q, %q", rres.StatusCode, rres.Header.Get("Content-Encoding"), rbody)
	}
	hres, hbody := get(http.MethodHead, "/static/style.css", "Accept-Encoding", "gzip")
	if hres.StatusCode != http.StatusOK || len(hbody) != 0 {
		t.Errorf("HEAD of the stylesheet: status %d, %d bytes", hres.StatusCode, len(hbody))
	}
	nres, nbody := get(http.MethodGet, "/agenda/0123456789abcdef0123", "Accept-Encoding", "gzip")
	if nres.StatusCode != http.StatusNotFound || nres.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("a missing item: status %d, %q", nres.StatusCode, nres.Header.Get("Content-Encoding"))
	} else if zr, err := gzip.NewReader(bytes.NewReader(nbody)); err != nil {
		t.Error(err)
	} else if page, _ := io.ReadAll(zr); !strings.Contains(string(page), "</html>") {
		t.Errorf("the not-found page is not whole:\n%s", page)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "deflate, gzip;q=0.5": true, "gzip;q=0": false, "gzip; q=0.0": false,
		"*": true, "*;q=0": false, "br": false, "identity": false, "gzip;q=0, *": false, "*, gzip;q=0": false,
		"gzip;q=0.001": true,
	} {
		req, _ := http.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Encoding", header)
		if got := acceptsGzip(req); got != want {
			t.Errorf("Accept-Encoding %q: %v, want %v", header, got, want)
		}
	}
}

// What is not compressed streams: a download's first bytes reach the
// client before the handler has written the rest.
func TestUncompressedResponsesStream(t *testing.T) {
	e := echo.New()
	e.Use(compress)
	received := make(chan struct{})
	e.GET("/file", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentType, "application/pdf")
		c.Response().WriteHeader(http.StatusOK)
		c.Response().Write(bytes.Repeat([]byte("%PDF"), 1024))
		c.Response().Flush()
		select {
		case <-received: // the client has the first part
		case <-time.After(10 * time.Second):
			return errors.New("the first part never reached the client")
		}
		_, err := c.Response().Write([]byte("the rest"))
		return err
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/file", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	first := make([]byte, 4096)
	if _, err := io.ReadFull(res.Body, first); err != nil {
		t.Fatal(err)
	}
	close(received)
	rest, _ := io.ReadAll(res.Body)
	if res.Header.Get("Content-Encoding") != "" || !bytes.HasPrefix(first, []byte("%PDF")) || string(rest) != "the rest" {
		t.Fatalf("encoding %q, rest %q", res.Header.Get("Content-Encoding"), rest)
	}
}
