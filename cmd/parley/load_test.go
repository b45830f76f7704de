package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// BenchmarkLoad is the load run of `make bench`: a real `parley serve` on
// loopback, on a seeded database (PARLEY_LOAD_ITEMS items, 100,000 unless
// set), under 64 connections for a few seconds per page (PARLEY_LOAD_SECONDS,
// 5), beside a bare echo handler serving the same bytes in the same run. It
// prints, per page, requests/s and p50/p99 for both. It is bounded in time
// and sends traffic to 127.0.0.1 only.
func BenchmarkLoad(b *testing.B) {
	items := envInt("PARLEY_LOAD_ITEMS", 100000)
	seconds := envInt("PARLEY_LOAD_SECONDS", 5)
	dir := b.TempDir()
	db := filepath.Join(dir, "load.db")
	seed := exec.Command(parleyBin, "seed", "--db", db, "--items", strconv.Itoa(items), "--comments", strconv.Itoa(items),
		"--thread", "10000")
	seed.Stderr = os.Stderr
	if out, err := seed.Output(); err != nil {
		b.Fatalf("seed: %v\n%s", err, out)
	}
	addr := freeAddr(b)
	srv := exec.Command(parleyBin, "serve", "--db", db, "--addr", addr)
	if err := srv.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
	base := "http://" + addr
	waitReady(b, base+"/healthz")
	client := signIn(b, base, "cn.head@parley.example")

	pages := []string{"/healthz", "/", "/agenda", "/agenda?status=proposed", "/agenda?q=" + url.QueryEscape("信任措施"),
		"/agenda?q=exchange"}
	item := regexp.MustCompile(`href="(/agenda/[0-9a-f]{20})"`).FindStringSubmatch(get(b, client, base+"/agenda?status=proposed"))
	if item != nil {
		pages = append(pages, item[1])
	}
	b.ResetTimer()
	fmt.Printf("\nload: %d connections, %ds per page, %d agenda items\n", loadConns, seconds, items)
	fmt.Printf("%-28s %10s %8s %8s   %12s %8s %8s   %6s\n", "page", "req/s", "p50", "p99", "bare req/s", "p50", "p99", "ratio")
	for _, p := range pages {
		body := get(b, client, base+p)
		bare := bareServer(b, body)
		real := load(client, base+p, time.Duration(seconds)*time.Second)
		ref := load(http.DefaultClient, bare+"/", time.Duration(seconds)*time.Second)
		fmt.Printf("%-28s %10.0f %8s %8s   %12.0f %8s %8s   %6.3f\n", p, real.rps, real.p50, real.p99, ref.rps, ref.p50, ref.p99,
			real.rps/ref.rps)
	}
	// Durable writes: comments posted through the form (each one synced to
	// disk with its audit record) over writeConns connections.
	if item != nil {
		page := get(b, client, base+item[1])
		tok := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page)
		if tok == nil {
			b.Fatal("no CSRF token on the item page")
		}
		form := url.Values{"body": {"A comment posted by the load run."}, "visibility": {"shared"}, "_csrf": {tok[1]}}.Encode()
		var failed atomic.Int64
		post := func() (*http.Response, error) {
			req, _ := http.NewRequest(http.MethodPost, base+item[1]+"/comments", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := client.Do(req)
			if err == nil && res.StatusCode != http.StatusSeeOther {
				failed.Add(1)
			}
			return res, err
		}
		w := loadWith(post, writeConns, time.Duration(seconds)*time.Second)
		fmt.Printf("%-28s %10.0f %8s %8s   (%d connections; %d refused)\n", "POST a comment", w.rps, w.p50, w.p99, writeConns,
			failed.Load())
		if failed.Load() > 0 {
			b.Fatalf("%d comment posts were refused", failed.Load())
		}
	}
}

const writeConns = 16

const loadConns = 64

type loadResult struct {
	rps      float64
	p50, p99 time.Duration
}

// load sends GET requests over loadConns connections until d has passed.
func load(c *http.Client, target string, d time.Duration) loadResult {
	return loadWith(func() (*http.Response, error) { return c.Get(target) }, loadConns, d)
}

// loadWith sends the requests do makes over conns connections until d has passed.
func loadWith(do func() (*http.Response, error), conns int, d time.Duration) loadResult {
	var mu sync.Mutex
	var lat []time.Duration
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				start := time.Now()
				res, err := do()
				if err != nil {
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(lat) == 0 {
		return loadResult{}
	}
	slices.Sort(lat)
	return loadResult{rps: float64(len(lat)) / d.Seconds(), p50: lat[len(lat)/2].Round(10 * time.Microsecond),
		p99: lat[len(lat)*99/100].Round(10 * time.Microsecond)}
}

// bareServer serves body from a bare echo handler on loopback.
func bareServer(b *testing.B, body string) string {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/", func(c echo.Context) error { return c.HTMLBlob(http.StatusOK, []byte(body)) })
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	s := &http.Server{Handler: e}
	go s.Serve(l)
	b.Cleanup(func() { s.Close() })
	return "http://" + l.Addr().String()
}

func signIn(b *testing.B, base, email string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: loadConns, MaxConnsPerHost: loadConns},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page := get(b, c, base+"/login")
	tok := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if tok == nil {
		b.Fatal("no CSRF token on the login page")
	}
	form := url.Values{"email": {email}, "password": {"demo-password-2013"}, "_csrf": {tok[1]}}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil || res.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign in: %v %v", res, err)
	}
	res.Body.Close()
	return c
}

func get(b *testing.B, c *http.Client, target string) string {
	res, err := c.Get(target)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d", target, res.StatusCode)
	}
	return string(body)
}

func waitReady(b *testing.B, target string) {
	for i := 0; i < 600; i++ {
		if res, err := http.Get(target); err == nil {
			res.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Fatal("the server did not start")
}

func freeAddr(b *testing.B) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
