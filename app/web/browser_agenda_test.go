package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
)

// signIn signs a demo account in, in this browser, and waits for the dashboard.
func signIn(t *testing.T, ctx context.Context, ts *testServer, email string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(ts.http.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), app.DemoPassword),
	)
	clickAndLoad(t, ctx, "form[action='/login'] button[type=submit]")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#now")))
	if loc := runValue(t, ctx, chromedp.Location()); strings.Contains(loc, "/login") {
		t.Fatalf("%s: still on the login page after signing in: %s", email, loc)
	}
}

// openPage navigates and fails unless the server answers with the wanted status.
func openPage(t *testing.T, ctx context.Context, u string, want int64) {
	t.Helper()
	res := runValue(t, ctx, chromedp.NavigateResponse(u))
	if res == nil || res.Status != want {
		got := int64(0)
		if res != nil {
			got = res.Status
		}
		t.Fatalf("GET %s: status %d, want %d", u, got, want)
	}
}

// pageHTML is the whole document as the browser holds it.
func pageHTML(t *testing.T, ctx context.Context) string {
	t.Helper()
	return runValue(t, ctx, chromedp.Evaluate[string]("document.documentElement.outerHTML"))
}

// pageText is what the page shows.
func pageText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return runValue(t, ctx, chromedp.Evaluate[string]("document.body.innerText"))
}

// badge is the item page's status badge.
func badge(t *testing.T, ctx context.Context) string {
	t.Helper()
	return strings.TrimSpace(runValue(t, ctx, chromedp.Text(chromedp.CSS(".item-head .meta span.status"))))
}

// decisionOf is the data-decision shown for a delegation on the item page.
func decisionOf(t *testing.T, ctx context.Context, side string) string {
	t.Helper()
	r := runValue(t, ctx, chromedp.AttributeValue(chromedp.CSS(".decision-list li[data-side="+side+"] .decision"), "data-decision"))
	if !r.Exists {
		t.Fatalf("no decision shown for %s", side)
	}
	return r.Value
}

// mustNotShow fails when any of the texts is in the page's markup.
func mustNotShow(t *testing.T, ctx context.Context, where string, texts ...string) {
	t.Helper()
	html := pageHTML(t, ctx)
	for _, s := range texts {
		if strings.Contains(html, s) {
			t.Errorf("%s: the page contains %q, which this person must not see", where, s)
		}
	}
}

// findItem finds an item by title as the given account sees it, on the server side.
func findItem(t *testing.T, ts *testServer, email string, status agenda.Status, title string) string {
	t.Helper()
	u, err := ts.svc.FindUserByEmail(t.Context(), app.System, email)
	if err != nil {
		t.Fatal(err)
	}
	list, err := ts.agenda.ListItems(t.Context(), u, agenda.ItemFilter{Status: status, Text: title})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range list.Items {
		if it.Title == title {
			return it.PublicID
		}
	}
	t.Fatalf("%s does not see %q", email, title)
	return ""
}

// TestBrowserAgendaDraftTabledAdoptedAndHiddenFromTheOtherSide drives an
// agenda item from draft to adoption with four people, each in their own
// browser, and checks what the other delegation must never see.
func TestBrowserAgendaDraftTabledAdoptedAndHiddenFromTheOtherSide(t *testing.T) {
	ts := newTestServer(t)
	const (
		title       = "Points of contact for cyber incidents"
		description = "Each side names a **24-hour point of contact** for cyber incidents affecting the other."
		note        = "Keep the contact at working level; escalate only through the Strategic Security Dialogue (note 7Q)."
		usDraft     = "Protecting intellectual property from cyber theft"
		usDraftNote = "Not before the next Strategic Security Dialogue."
		contested   = "Measures to boost dialogue and cooperation on cyber security"
		holdFirm    = "Hold firm on the out-of-bounds language"
		cnOwnNote   = "参考国家互联网应急中心的数据"
		cnDraft     = "来自美国IP地址的对中国政府网站的攻击"
	)

	// 1. The US delegate writes a draft, tables it and adds an internal note.
	del := browser(t)
	signIn(t, del, ts, "us.delegate@parley.example")
	openPage(t, del, ts.http.URL+"/agenda/new", http.StatusOK)
	do(t, del, chromedp.WaitVisible(chromedp.CSS("form[action='/agenda/new'] #title")))
	catID := runValue(t, del, chromedp.Evaluate[string](
		`(Array.from(document.querySelectorAll('#category option')).find(o => o.textContent.trim() === 'Incident cooperation') || {value: ''}).value`))
	if catID == "" {
		t.Fatal("the category 'Incident cooperation' is not offered on the new-item form")
	}
	do(t, del,
		chromedp.SendKeys(chromedp.CSS("#title"), title),
		chromedp.SendKeys(chromedp.CSS("#description"), description),
		chromedp.SetValue(chromedp.CSS("#category"), catID),
		chromedp.SetValue(chromedp.CSS("#duration"), "45"),
	)
	if lang := runValue(t, del, chromedp.Value(chromedp.CSS("#language"))); lang != "en" {
		t.Errorf("the US delegate's new item defaults to language %q, want en", lang)
	}
	screenshot(t, del, "agenda-1-new-item-form")
	clickAndLoad(t, del, "form[action='/agenda/new'] button[type=submit]")
	do(t, del, chromedp.WaitVisible(chromedp.CSS("main[data-status=draft] .item-head")))
	itemURL := runValue(t, del, chromedp.Location())
	u, err := url.Parse(itemURL)
	if err != nil {
		t.Fatal(err)
	}
	rest, ok := strings.CutPrefix(u.Path, "/agenda/")
	id := rest
	if !ok || !app.ValidPublicID(rest) {
		t.Fatalf("after saving the draft the browser is at %s, not on an item page", itemURL)
	}
	itemURL = ts.http.URL + "/agenda/" + rest
	if h1 := runValue(t, del, chromedp.Text(chromedp.CSS(".text.original h1"))); h1 != title {
		t.Errorf("draft page title = %q, want %q", h1, title)
	}
	if b := badge(t, del); b != "Draft" {
		t.Errorf("draft badge = %q, want Draft", b)
	}
	if txt := pageText(t, del); !strings.Contains(txt, "Incident cooperation") || !strings.Contains(txt, "24-hour point of contact") {
		t.Errorf("the draft page does not show the category and the description:\n%s", txt)
	}
	screenshot(t, del, "agenda-2-draft")

	// Tabling asks for confirmation in a JavaScript dialog: accept it.
	stopDialogs := acceptDialogs(del)
	clickAndLoad(t, del, "form[action$='/table'] button[type=submit]")
	do(t, del, chromedp.WaitVisible(chromedp.CSS("main[data-status=proposed] .decision-list")))
	if dialogs := stopDialogs(); len(dialogs) != 1 || !strings.HasPrefix(dialogs[0], "Table this item?") {
		t.Errorf("tabling asked for confirmation %d times: %q", len(dialogs), dialogs)
	}
	if b := badge(t, del); b != "Tabled" {
		t.Errorf("badge after tabling = %q, want Tabled", b)
	}
	if flash := runValue(t, del, chromedp.Text(chromedp.CSS(".flash"))); flash == "" {
		t.Error("no notice after tabling")
	}
	for _, side := range []string{"US", "CN"} {
		if d := decisionOf(t, del, side); d != "awaiting" {
			t.Errorf("just tabled, %s decision = %q, want awaiting", side, d)
		}
	}

	do(t, del,
		chromedp.WaitVisible(chromedp.CSS(".comment-form #body")),
		chromedp.SendKeys(chromedp.CSS(".comment-form #body"), note),
		chromedp.Click(chromedp.CSS(".comment-form input[name=visibility][value=internal]")),
	)
	clickAndLoad(t, del, ".comment-form button[type=submit]")
	do(t, del, chromedp.WaitVisible(chromedp.CSS("li.comment[data-visibility=internal]")))
	if txt := runValue(t, del, chromedp.TextContent(chromedp.CSS("li.comment[data-visibility=internal]"))); !strings.Contains(txt, note) ||
		!strings.Contains(txt, "Internal note") {
		t.Errorf("the internal note is not shown as one to its author: %q", txt)
	}
	screenshot(t, del, "agenda-3-tabled-with-note")
	if err := chromedp.Cancel(del); err != nil {
		t.Logf("closing the US delegate's browser: %v", err)
	}

	// 2. The US head concurs: still tabled, awaiting China.
	usHead := browser(t)
	signIn(t, usHead, ts, "us.head@parley.example")
	openPage(t, usHead, itemURL, http.StatusOK)
	do(t, usHead, chromedp.WaitVisible(chromedp.CSS("main[data-status=proposed] .decision-list")))
	if !strings.Contains(pageText(t, usHead), note) {
		t.Error("the US head does not see his own delegation's internal note")
	}
	clickAndLoad(t, usHead, "form[action$='/concur'] button[type=submit]")
	do(t, usHead, chromedp.WaitVisible(chromedp.CSS(".decision-list li[data-side=US] [data-decision=concur]")))
	if st := runValue(t, usHead, chromedp.AttributeValue(chromedp.CSS("main"), "data-status")); st.Value != "proposed" {
		t.Errorf("after the US concurs alone, data-status = %q, want proposed", st.Value)
	}
	if d := decisionOf(t, usHead, "CN"); d != "awaiting" {
		t.Errorf("after the US concurs, CN decision = %q, want awaiting", d)
	}
	if b := badge(t, usHead); b != "Tabled" {
		t.Errorf("badge after the US concurs = %q, want Tabled", b)
	}
	screenshot(t, usHead, "agenda-4-us-concurred")

	// 3. The Chinese head, in Chinese, concurs: adopted.
	cnHead := browser(t)
	signIn(t, cnHead, ts, "cn.head@parley.example")
	openPage(t, cnHead, itemURL, http.StatusOK)
	do(t, cnHead, chromedp.WaitVisible(chromedp.CSS("main[data-status=proposed] .decision-list")))
	if lang := runValue(t, cnHead, chromedp.Evaluate[string]("document.documentElement.lang")); lang != "zh-Hans" {
		t.Errorf("the Chinese head's page is in %q, want zh-Hans", lang)
	}
	if b := badge(t, cnHead); b != "已提交" {
		t.Errorf("Chinese badge before deciding = %q, want 已提交", b)
	}
	if d := decisionOf(t, cnHead, "US"); d != "concur" {
		t.Errorf("the Chinese head sees the US decision as %q, want concur", d)
	}
	mustNotShow(t, cnHead, "cn.head on the new item", note)
	screenshot(t, cnHead, "agenda-5-cn-head-before")
	clickAndLoad(t, cnHead, "form[action$='/concur'] button[type=submit]")
	do(t, cnHead, chromedp.WaitVisible(chromedp.CSS("main[data-status=adopted] .decision-list")))
	if b := badge(t, cnHead); b != "已通过" {
		t.Errorf("Chinese badge after adoption = %q, want 已通过", b)
	}
	for _, side := range []string{"US", "CN"} {
		if d := decisionOf(t, cnHead, side); d != "concur" {
			t.Errorf("after adoption, %s decision = %q, want concur", side, d)
		}
	}
	if n := runValue(t, cnHead, chromedp.Evaluate[int](`document.querySelectorAll("form[action$='/concur'], form[action$='/object']").length`)); n != 0 {
		t.Errorf("an adopted item still offers %d decision forms", n)
	}
	screenshot(t, cnHead, "agenda-6-adopted-zh")

	clickAndLoad(t, cnHead, "button[name=lang][value=en]")
	do(t, cnHead, chromedp.WaitVisible(chromedp.CSS("main .item-head")))
	if loc := runValue(t, cnHead, chromedp.Location()); loc != itemURL {
		t.Errorf("switching language left the item page for %s", loc)
	}
	if lang := runValue(t, cnHead, chromedp.Evaluate[string]("document.documentElement.lang")); lang != "en" {
		t.Errorf("after switching, html lang = %q, want en", lang)
	}
	if st := runValue(t, cnHead, chromedp.AttributeValue(chromedp.CSS("main"), "data-status")); st.Value != "adopted" {
		t.Errorf("after switching to English, data-status = %q, want adopted", st.Value)
	}
	if b := badge(t, cnHead); b != "Adopted" {
		t.Errorf("English badge after adoption = %q, want Adopted", b)
	}
	mustNotShow(t, cnHead, "cn.head on the new item, in English", note)
	screenshot(t, cnHead, "agenda-7-adopted-en")
	if err := chromedp.Cancel(cnHead); err != nil {
		t.Logf("closing the Chinese head's browser: %v", err)
	}

	// 4. The US head reloads and sees the adoption.
	openPage(t, usHead, itemURL, http.StatusOK)
	do(t, usHead, chromedp.WaitVisible(chromedp.CSS("main[data-status=adopted] .decision-list")))
	if b := badge(t, usHead); b != "Adopted" {
		t.Errorf("the US head's badge = %q, want Adopted", b)
	}
	if d := decisionOf(t, usHead, "CN"); d != "concur" {
		t.Errorf("the US head sees the CN decision as %q, want concur", d)
	}
	screenshot(t, usHead, "agenda-8-us-head-adopted")
	if err := chromedp.Cancel(usHead); err != nil {
		t.Logf("closing the US head's browser: %v", err)
	}

	// 5. A Chinese delegate sees the new item but nothing internal to the US.
	cnDel := browser(t)
	signIn(t, cnDel, ts, "cn.delegate@parley.example")
	openPage(t, cnDel, ts.http.URL+"/agenda", http.StatusOK)
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("table.agenda-list")))
	row := "table.agenda-list tr[data-item='" + id + "']"
	if st := runValue(t, cnDel, chromedp.Evaluate[string](`(document.querySelector("`+row+`") || {dataset: {}}).dataset.status || ""`)); st != "adopted" {
		t.Errorf("the new item is not listed as adopted for the Chinese delegate (row status %q)", st)
	}
	if txt := pageText(t, cnDel); !strings.Contains(txt, title) || !strings.Contains(txt, contested) {
		t.Errorf("the agenda does not list the new item and the contested one:\n%s", txt)
	}
	mustNotShow(t, cnDel, "cn.delegate on /agenda", usDraft)
	screenshot(t, cnDel, "agenda-9-cn-delegate-list")

	openPage(t, cnDel, ts.http.URL+"/agenda?q=Protecting", http.StatusOK)
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("form.filters")))
	mustNotShow(t, cnDel, "cn.delegate on /agenda?q=Protecting", usDraft)
	if n := runValue(t, cnDel, chromedp.Evaluate[int](`document.querySelectorAll("table.agenda-list tbody tr").length`)); n != 0 {
		t.Errorf("searching for the US draft's title lists %d items to the Chinese delegate", n)
	}

	openPage(t, cnDel, ts.http.URL+"/agenda?status=draft", http.StatusOK)
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("form.filters")))
	mustNotShow(t, cnDel, "cn.delegate on /agenda?status=draft", usDraft)
	if !strings.Contains(pageText(t, cnDel), cnDraft) {
		t.Error("the Chinese delegate's draft list does not show the Chinese draft")
	}
	if c := runValue(t, cnDel, chromedp.Evaluate[string](`(document.querySelector("[data-count-status=draft] .count") || {textContent: ""}).textContent.trim()`)); c != "" && c != "1" {
		t.Errorf("the draft tab counts %s drafts for the Chinese delegate, want 1 (their own)", c)
	}
	screenshot(t, cnDel, "agenda-10-cn-delegate-drafts")

	draftID := findItem(t, ts, "us.delegate@parley.example", agenda.StatusDraft, usDraft)
	for _, path := range []string{"/agenda/" + draftID, "/agenda/" + draftID + "/history", "/agenda/" + draftID + "/edit"} {
		openPage(t, cnDel, ts.http.URL+path, http.StatusNotFound)
		do(t, cnDel, chromedp.WaitVisible(chromedp.CSS(".error-page[data-status='404']")))
		mustNotShow(t, cnDel, "cn.delegate on "+path, usDraft, "Draft for internal discussion", usDraftNote)
		if path == "/agenda/"+draftID {
			screenshot(t, cnDel, "agenda-11-cn-delegate-us-draft-404")
		}
	}

	openPage(t, cnDel, itemURL, http.StatusOK)
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("main[data-status=adopted] .thread")))
	if !strings.Contains(pageText(t, cnDel), title) {
		t.Error("the Chinese delegate's item page does not show the title")
	}
	mustNotShow(t, cnDel, "cn.delegate on the new item", note)

	contestedID := findItem(t, ts, "cn.delegate@parley.example", agenda.StatusProposed, contested)
	openPage(t, cnDel, ts.http.URL+"/agenda/"+contestedID, http.StatusOK)
	do(t, cnDel, chromedp.WaitVisible(chromedp.CSS("main[data-status=proposed] .thread")))
	if !strings.Contains(pageText(t, cnDel), cnOwnNote) {
		t.Error("the Chinese delegate does not see their own internal note on the contested item")
	}
	mustNotShow(t, cnDel, "cn.delegate on the contested item", holdFirm)
	screenshot(t, cnDel, "agenda-12-cn-delegate-contested")
}
