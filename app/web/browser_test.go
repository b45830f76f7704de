package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts headless Debian Chromium for one test. Browser tests are
// required: without Chromium they fail, they are never skipped.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("PARLEY_CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		t.Fatal("browser tests need Chromium: apt-get install -y chromium fonts-noto-cjk (or set PARLEY_CHROMIUM)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("lang", "en-US"),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// do runs browser actions or fails the test.
func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// runValue runs one browser action that returns a value, or fails the test.
func runValue[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// clickAndLoad clicks and waits for the next page to be served.
func clickAndLoad(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// screenshot saves the page under $PARLEY_SCREENSHOTS, when set, for people to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("PARLEY_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := runValue(t, ctx, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserChineseHeadSignsInSwitchesToEnglishAndSignsOut drives the
// foundation's main flow in a real browser.
func TestBrowserChineseHeadSignsInSwitchesToEnglishAndSignsOut(t *testing.T) {
	ts := newTestServer(t) // the clock stands at 01:30 UTC: 09:30 in Beijing
	ctx := browser(t)

	do(t, ctx, chromedp.Navigate(ts.http.URL+"/"))
	if loc := runValue(t, ctx, chromedp.Location()); !strings.Contains(loc, "/login") {
		t.Fatalf("anonymous visitor not sent to the login page: %s", loc)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), "cn.head@parley.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo-password-2013"),
	)
	clickAndLoad(t, ctx, "form[action='/login'] button[type=submit]")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#now")))
	screenshot(t, ctx, "dashboard-zh")

	if lang := runValue(t, ctx, chromedp.Evaluate[string]("document.documentElement.lang")); lang != "zh-Hans" {
		t.Errorf("html lang = %q, want zh-Hans", lang)
	}
	if h1 := runValue(t, ctx, chromedp.Text(chromedp.CSS("main h1"))); h1 != "待办事项" {
		t.Errorf("dashboard heading = %q, want the Chinese one", h1)
	}
	now := runValue(t, ctx, chromedp.Text(chromedp.CSS("#now")))
	if !strings.Contains(now, "北京时间") || !strings.Contains(now, "09:30") || !strings.Contains(now, "2013年7月10日") {
		t.Errorf("the time is not shown in Beijing time, in Chinese: %q", now)
	}
	if role := runValue(t, ctx, chromedp.Text(chromedp.CSS("[data-role]"))); role != "代表团团长" {
		t.Errorf("role = %q, want 代表团团长", role)
	}

	clickAndLoad(t, ctx, "button[name=lang][value=en]")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#now")))
	screenshot(t, ctx, "dashboard-en")
	if lang := runValue(t, ctx, chromedp.Evaluate[string]("document.documentElement.lang")); lang != "en" {
		t.Errorf("after switching, html lang = %q, want en", lang)
	}
	if h1 := runValue(t, ctx, chromedp.Text(chromedp.CSS("main h1"))); h1 != "What needs my attention" {
		t.Errorf("dashboard heading after switching = %q", h1)
	}
	now = runValue(t, ctx, chromedp.Text(chromedp.CSS("#now")))
	if !strings.Contains(now, "Beijing time") || !strings.Contains(now, "09:30") || !strings.Contains(now, "10 Jul 2013") {
		t.Errorf("the time is not shown in Beijing time, in English: %q", now)
	}

	clickAndLoad(t, ctx, "form[action='/logout'] button")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#email")))
	if loc := runValue(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/login") {
		t.Errorf("after signing out the browser is at %s", loc)
	}
	if flash := runValue(t, ctx, chromedp.Text(chromedp.CSS(".flash"))); flash != "You have signed out." {
		t.Errorf("sign-out notice = %q", flash)
	}
	do(t, ctx, chromedp.Navigate(ts.http.URL+"/"))
	if loc := runValue(t, ctx, chromedp.Location()); !strings.Contains(loc, "/login") {
		t.Errorf("after signing out, the dashboard is still reachable: %s", loc)
	}
}
