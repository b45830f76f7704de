package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// acceptDialogs accepts every JavaScript confirmation in a window until the
// returned function is called; that function returns their messages.
func acceptDialogs(ctx context.Context) func() []string {
	dctx, stop := context.WithCancel(ctx)
	var (
		mu      sync.Mutex
		dialogs []string
	)
	done := make(chan struct{})
	evs := chromedp.Events(dctx, page.JavascriptDialogOpening)
	go func() {
		defer close(done)
		for ev, err := range evs {
			if err != nil {
				return
			}
			mu.Lock()
			dialogs = append(dialogs, ev.Message)
			mu.Unlock()
			if _, err := chromedp.Call(dctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true}); err != nil {
				return
			}
		}
	}()
	return func() []string {
		stop()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return dialogs
	}
}

// windows starts Chromium for a test and returns a way to open a private
// window (a browser context of its own: its own cookies) signed in as a
// demo account.
func windows(t *testing.T, ts *testServer) func(short string) context.Context {
	t.Helper()
	root := browser(t)
	do(t, root, chromedp.Navigate("about:blank")) // starts Chromium
	return func(short string) context.Context {
		t.Helper()
		ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		signIn(t, ctx, ts, azEmail(short))
		return ctx
	}
}

// TestBrowserIncidentReportedAndAnswered drives the incidents' main flow:
// the Chinese delegate writes a report in Chinese, pastes its indicators in
// bulk (one line is refused, the others added), adds a claim and reports
// it; the US head disputes the claim and an indicator; the Chinese head
// reads the US position beside the Chinese one, in Chinese; the US observer
// is offered nothing to change.
func TestBrowserIncidentReportedAndAnswered(t *testing.T) {
	ts := newTestServer(t)
	window := windows(t, ts)
	const (
		title  = "6月教育网遭受扫描"
		claim  = "6月1日至3日，12所高校网站遭到扫描"
		reason = "These addresses are not assigned to US networks."
	)

	// 1. The Chinese delegate writes the draft.
	cnDel := window("cn.delegate")
	openPage(t, cnDel, ts.http.URL+"/incidents/new", http.StatusOK)
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SendKeys(chromedp.CSS("#title"), title),
		chromedp.SendKeys(chromedp.CSS("#summary"), "扫描来自以下地址，请美方核查。"),
		chromedp.SetValue(chromedp.CSS("#language"), "zh"),
		chromedp.SetValue(chromedp.CSS("#category"), "intrusion"),
		chromedp.Click(chromedp.CSS("input[name=sector-academia]")),
		chromedp.Click(chromedp.CSS("input[name=tlp][value=GREEN]")),
		chromedp.SetValue(chromedp.CSS("#observed_zone"), "Asia/Shanghai"),
	)
	clickAndLoad(t, cnDel, "form[action='/incidents/new'] button[type=submit]")
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("main[data-status=draft][data-tlp=GREEN]")))
	base := runValue(t, cnDel, chromedp.Location())
	screenshot(t, cnDel, "incident-1-draft")

	// 2. The bulk paste: one line refused, the valid ones added in one go.
	openPage(t, cnDel, base+"/indicators", http.StatusOK)
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("#lines")),
		chromedp.SetValue(chromedp.CSS("#lines"), "192.0.2.10\n198.51.100[.]20\n203.0.113.300\nhxxp://scan.example[.]org/probe\n2001:db8::5"))
	clickAndLoad(t, cnDel, "#paste form button[type=submit]")
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("#paste-result[data-saved=true]")))
	outcomes := runValue(t, cnDel, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#paste-result tr[data-outcome]')].map(r => r.dataset.outcome)`))
	if strings.Join(outcomes, " ") != "invalid added added added added" {
		t.Errorf("per-line outcomes %v", outcomes)
	}
	if n := runValue(t, cnDel, chromedp.Evaluate[int](`document.querySelectorAll('tr[data-indicator]').length`)); n != 4 {
		t.Errorf("%d indicators listed, want 4", n)
	}
	screenshot(t, cnDel, "incident-2-paste")

	// 3. A claim, then the report (confirmed in a dialog).
	openPage(t, cnDel, base, http.StatusOK)
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("#claim-text")),
		chromedp.SendKeys(chromedp.CSS("#claim-text"), claim),
		chromedp.SendKeys(chromedp.CSS("#claim-figure"), "12"))
	clickAndLoad(t, cnDel, "form.claim-form button[type=submit]")
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("tr[data-claim]")))
	dialogs := acceptDialogs(cnDel)
	clickAndLoad(t, cnDel, "form[action$='/report'] button[type=submit]")
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("main[data-status=reported]")))
	if d := dialogs(); len(d) != 1 {
		t.Errorf("reporting asked for confirmation %d times", len(d))
	}

	// 4. The US head disputes the claim and an indicator, in English.
	usHead := window("us.head")
	openPage(t, usHead, base+"/positions", http.StatusOK)
	do(t, usHead, chromedp.WaitVisible(chromedp.CSS("tr[data-claim] td[data-side=US] details.position-form summary")),
		chromedp.Click(chromedp.CSS("tr[data-claim] td[data-side=US] details.position-form summary")),
		chromedp.SetValue(chromedp.CSS("tr[data-claim] td[data-side=US] select[name=kind]"), "disputed"),
		chromedp.SendKeys(chromedp.CSS("tr[data-claim] td[data-side=US] textarea[name=reason]"), reason))
	clickAndLoad(t, usHead, "tr[data-claim] td[data-side=US] form button[type=submit]")
	do(t, usHead, chromedp.WaitVisible(chromedp.CSS("tr[data-claim] td[data-side=US] [data-position=disputed]")))
	if flash := runValue(t, usHead, chromedp.Text(chromedp.CSS(".flash"))); flash != "Your side's position was saved." {
		t.Errorf("notice after the position: %q", flash)
	}
	openPage(t, usHead, base+"/indicators", http.StatusOK)
	first := "tr[data-indicator]:first-child td[data-side=US]"
	do(t, usHead, chromedp.WaitVisible(chromedp.CSS(first+" details summary")),
		chromedp.Click(chromedp.CSS(first+" details summary")),
		chromedp.SetValue(chromedp.CSS(first+" select[name=kind]"), "disputed"),
		chromedp.SendKeys(chromedp.CSS(first+" textarea[name=reason]"), "Spoofed."))
	clickAndLoad(t, usHead, first+" form button[type=submit]")
	do(t, usHead, chromedp.WaitVisible(chromedp.CSS("tr[data-indicator] td[data-side=US] [data-position=disputed]")))
	screenshot(t, usHead, "incident-3-us-disputes")

	// 5. The Chinese head reads both columns, in Chinese.
	cnHead := window("cn.head")
	openPage(t, cnHead, base+"/positions", http.StatusOK)
	do(t, cnHead, chromedp.WaitVisible(chromedp.CSS("tr[data-claim]")))
	usCell := runValue(t, cnHead, chromedp.TextContent(chromedp.CSS("tr[data-claim] td[data-side=US]")))
	cnCell := runValue(t, cnHead, chromedp.TextContent(chromedp.CSS("tr[data-claim] td[data-side=CN]")))
	if !strings.Contains(usCell, "有争议") || !strings.Contains(usCell, reason) || !strings.Contains(usCell, "Michael Reed") {
		t.Errorf("the US column as the Chinese head reads it: %q", usCell)
	}
	if !strings.Contains(cnCell, "尚无立场") {
		t.Errorf("the Chinese column: %q", cnCell)
	}
	heads := runValue(t, cnHead, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('table.claims thead th')].map(th => th.textContent.trim())`))
	if len(heads) != 3 || !strings.Contains(strings.Join(heads, "|"), "美国代表团的立场") || !strings.Contains(strings.Join(heads, "|"), "中国代表团的立场") {
		t.Errorf("the claims' columns in Chinese: %q", heads)
	}
	if n := runValue(t, cnHead, chromedp.Evaluate[int](`document.querySelectorAll('td[data-side=US] form').length`)); n != 0 {
		t.Errorf("the Chinese head is offered %d forms in the US column", n)
	}
	screenshot(t, cnHead, "incident-4-cn-head-reads")

	// 6. The US observer reads, and may change nothing.
	obs := window("us.observer")
	for _, path := range []string{"", "/positions", "/indicators", "/requests", "/attachments"} {
		openPage(t, obs, base+path, http.StatusOK)
		n := runValue(t, obs, chromedp.Evaluate[int](
			`[...document.querySelectorAll('main form[method=post]')].length`))
		if n != 0 {
			t.Errorf("the US observer is offered %d forms on %s", n, base+path)
		}
	}
}
