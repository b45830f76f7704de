package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/agenda"
)

// Agenda items over HTTP: refused input, conflicts, states, what each side
// may see, the two-key adoption, comments and the dashboard. The demo's
// items are found with azItem (authz_test.go).

// ---- reading agenda pages -------------------------------------------------

var (
	ahReMainStatus = regexp.MustCompile(`<main id="main"[^>]*\bdata-status="([^"]*)"`)
	ahReBadge      = regexp.MustCompile(`<p class="meta"><span class="status status-([a-z]+)">([^<]*)</span>`)
	ahReRow        = regexp.MustCompile(`<tr data-item="([0-9a-f]{20})" data-status="([a-z]+)">`)
	ahReAllCount   = regexp.MustCompile(`<nav class="status-tabs"[^>]*><ul><li><a [^>]*>[^<]*<span class="count">(\d+)</span>`)
	ahReTabCount   = regexp.MustCompile(`data-count-status="([a-z]+)">[^<]*<span class="count">(\d+)</span>`)
	ahReNonce      = regexp.MustCompile(`nonce="[^"]*"`)
	ahReCSRF       = regexp.MustCompile(`name="_csrf" value="[^"]*"`)
	ahReDataItem   = regexp.MustCompile(`<li data-item="([0-9a-f]{20})">`)
)

// ahMainStatus is the data-status of the page's main element.
func ahMainStatus(body string) string { return firstMatch(ahReMainStatus, body) }

// ahBadge is the item page's status badge: the status class and its text.
func ahBadge(body string) (status, text string) {
	m := ahReBadge.FindStringSubmatch(body)
	if m == nil {
		return "", ""
	}
	return m[1], html.UnescapeString(m[2])
}

// ahRows lists the agenda list's rows: item row id → status.
func (ts *testServer) ahRows(body string) map[int64]string {
	out := map[int64]string{}
	for _, m := range ahReRow.FindAllStringSubmatch(body, -1) {
		out[ts.rowID(agenda.RefItem, m[1])] = m[2]
	}
	return out
}

// ahCounts reads the status tabs: the "all" count and the count per status.
func ahCounts(t *testing.T, body string) (int, map[string]int) {
	t.Helper()
	m := ahReAllCount.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no status tabs on the agenda page:\n%s", body)
	}
	all, _ := strconv.Atoi(m[1])
	per := map[string]int{}
	for _, m := range ahReTabCount.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.Atoi(m[2])
		per[m[1]] = n
	}
	return all, per
}

// ahInput is the value of the input with the given id.
func ahInput(body, id string) (string, bool) {
	re := regexp.MustCompile(`<input [^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*\bvalue="([^"]*)"`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

// ahHidden is the value of the first hidden input with the given name.
func ahHidden(body, name string) string {
	re := regexp.MustCompile(`<input type="hidden" name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`)
	return firstMatch(re, body)
}

// ahTextarea is the text of the textarea with the given id.
func ahTextarea(body, id string) (string, bool) {
	re := regexp.MustCompile(`(?s)<textarea [^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</textarea>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

// ahSelected is the selected option of the select with the given id ("" if none).
func ahSelected(body, id string) string {
	re := regexp.MustCompile(`(?s)<select [^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</select>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return "<no select>"
	}
	opt := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[1])
	if opt == nil {
		return ""
	}
	return opt[1]
}

// ahSection is the inner HTML of the dashboard section with the given id.
func ahSection(body, id string) (string, bool) {
	re := regexp.MustCompile(`(?s)<section [^>]*\bid="` + regexp.QuoteMeta(id) + `">(.*?)</section>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// ahSectionItems lists the item row ids a dashboard section links to.
func (ts *testServer) ahSectionItems(section string) []int64 {
	var out []int64
	for _, m := range ahReDataItem.FindAllStringSubmatch(section, -1) {
		out = append(out, ts.rowID(agenda.RefItem, m[1]))
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// ahNormalize removes what legitimately differs between two responses: the
// CSP nonce, the CSRF token's fresh mask and the requested path (the
// language switch returns to it).
func ahNormalize(body, path string) string {
	body = ahReNonce.ReplaceAllString(body, `nonce=""`)
	body = ahReCSRF.ReplaceAllString(body, `name="_csrf" value=""`)
	return strings.ReplaceAll(body, path, "PATH")
}

// ahItem reads an item as a member of the given side would see it (by its id).
func ahItem(t *testing.T, ts *testServer, viewer string, id int64) *agenda.Item {
	t.Helper()
	it, err := ts.agenda.GetItem(context.Background(), azUser(ts, viewer), id)
	if err != nil {
		t.Fatalf("item %d as %s: %v", id, viewer, err)
	}
	return it
}

// ahItemTotal is the number of items a person sees on the agenda.
func ahItemTotal(t *testing.T, ts *testServer, viewer string) int64 {
	t.Helper()
	l, err := ts.agenda.ListItems(context.Background(), azUser(ts, viewer), agenda.ItemFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return l.Total
}

// ahDecisions is every decision given on an item (as its side sees it).
func ahDecisions(t *testing.T, ts *testServer, viewer string, id int64) []app.Decision {
	t.Helper()
	ds, err := ts.svc.Decisions(context.Background(), azUser(ts, viewer), app.Ref{Kind: agenda.KindItem, ID: id})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// ahID is the row id of the record a redirect names by its opaque identifier.
func (ts *testServer) ahID(t *testing.T, res *response, kind, prefix string) int64 {
	t.Helper()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("status %d, Location %q; want 303 to %s<id>\n%s", res.StatusCode, loc, prefix, res.Body)
	}
	rest := strings.TrimPrefix(loc, prefix)
	if i := strings.IndexAny(rest, "/#?"); i >= 0 {
		rest = rest[:i]
	}
	if !app.ValidPublicID(rest) {
		t.Fatalf("Location %q has no opaque identifier", loc)
	}
	return ts.rowID(kind, rest)
}

// ahPath is the address of an item (given by its row id) and a suffix.
func (ts *testServer) ahPath(id int64, suffix string) string {
	return "/agenda/" + ts.publicID(agenda.RefItem, id) + suffix
}

// ---- bad input ---------------------------------------------------------------

func TestAgendaNewItemRefusesBadInput(t *testing.T) {
	ts := newTestServer(t)
	cat := azCategory(ts, "Incident cooperation").PublicID
	long := strings.Repeat("x", 195) + "&title" // 201 characters
	type lang struct {
		account, hasErrors string
		msgs               map[string]string
	}
	langs := []lang{
		{"us.delegate", "Please correct the marked fields. Nothing has been saved yet.", map[string]string{
			"required": "This field is required.", "long": "This is too long.",
			"category": "Choose a category.", "duration": "Enter a duration between 5 and 600 minutes."}},
		{"cn.delegate", "请更正标出的字段。尚未保存任何内容。", map[string]string{
			"required": "此项为必填项。", "long": "内容过长。",
			"category": "请选择类别。", "duration": "请输入 5 至 600 分钟之间的时长。"}},
	}
	cases := []struct {
		what, field, msg string
		change           func(url.Values)
	}{
		{"empty title", "title", "required", func(v url.Values) { v.Set("title", "   ") }},
		{"201-character title", "title", "long", func(v url.Values) { v.Set("title", long) }},
		{"unknown category", "category", "category", func(v url.Values) { v.Set("category", "999") }},
		{"duration abc", "duration", "duration", func(v url.Values) { v.Set("duration", "abc") }},
	}
	fields := []string{"title", "description", "category", "duration", "language"}
	for _, l := range langs {
		c := ts.as(azEmail(l.account))
		for _, tc := range cases {
			form := url.Values{"title": {"Incidents & points <of> contact"},
				"description": {"Who calls whom, & how fast:\n\n- **first** the CERTs"},
				"category":    {cat}, "duration": {"45"}, "language": {"en"}}
			tc.change(form)
			beforeAudit, beforeTotal := auditState(ts), ahItemTotal(t, ts, l.account)

			res := c.post("/agenda/new", form)

			what := l.account + ", " + tc.what
			if !wantRefusedAt(t, what, res, tc.field, l.msgs[tc.msg], fields, l.hasErrors) {
				continue
			}
			// What was typed is kept.
			// (An over-long value is shown again only up to the limit.)
			if got, ok := ahInput(res.Body, "title"); !ok || got != app.ClipText(form.Get("title"), agenda.MaxTitleLen) {
				t.Errorf("%s: title field holds %q, want what was typed, %q", what, got, form.Get("title"))
			}
			if got, ok := ahTextarea(res.Body, "description"); !ok || got != form.Get("description") {
				t.Errorf("%s: description holds %q, want %q", what, got, form.Get("description"))
			}
			if got, ok := ahInput(res.Body, "duration"); !ok || got != form.Get("duration") {
				t.Errorf("%s: duration holds %q, want %q", what, got, form.Get("duration"))
			}
			wantCat := form.Get("category")
			if wantCat == "999" {
				wantCat = "" // no such option
			}
			if got := ahSelected(res.Body, "category"); got != wantCat {
				t.Errorf("%s: category selected %q, want %q", what, got, wantCat)
			}
			if got := ahSelected(res.Body, "language"); got != "en" {
				t.Errorf("%s: language selected %q, want en", what, got)
			}
			// Nothing was saved.
			if after := ahItemTotal(t, ts, l.account); after != beforeTotal {
				t.Errorf("%s: the side now has %d items, had %d", what, after, beforeTotal)
			}
			if auditState(ts) != beforeAudit {
				t.Errorf("%s: a refused item changed the audit trail", what)
			}
		}
	}
	// The same form, corrected, is saved as a draft.
	c := ts.as(azEmail("us.delegate"))
	res := c.post("/agenda/new", url.Values{"title": {"Incidents & points of contact"}, "description": {"x"},
		"category": {cat}, "duration": {"45"}, "language": {"en"}})
	id := ts.ahID(t, res, agenda.RefItem, "/agenda/")
	if it := ahItem(t, ts, "us.delegate", id); it.Status != agenda.StatusDraft || it.Title != "Incidents & points of contact" {
		t.Errorf("corrected form: status %s, title %q", it.Status, it.Title)
	}
}

// ---- conflicts -----------------------------------------------------------------

func TestAgendaEditWithStaleVersionKeepsTypedText(t *testing.T) {
	ts := newTestServer(t)
	check := func(account, key, wantMsg string) {
		t.Helper()
		ctx := context.Background()
		c := ts.as(azEmail(account))
		it := azItem(ts, key)
		page := c.get(ts.ahPath(it.ID, "/edit"))
		wantStatus(t, account+" edit page", page, http.StatusOK)
		read := ahHidden(page.Body, "version")
		if read != itoa(it.Version) {
			t.Fatalf("%s: the edit form carries version %q, the item is at %d", account, read, it.Version)
		}
		// Meanwhile another member of the side changes the duration.
		other := azUser(ts, "us.head")
		if account == "cn.delegate" {
			other = azUser(ts, "cn.head")
		}
		if _, err := ts.agenda.UpdateItem(ctx, other, it.ID, it.Version, agenda.ItemInput{Title: it.Title,
			Description: it.Description, CategoryID: it.CategoryID, DurationMinutes: 90}); err != nil {
			t.Fatal(err)
		}
		cur := azItem(ts, key)
		before := auditState(ts)
		typed := url.Values{"version": {read}, "title": {"My careful & long-considered title"},
			"description": {"Text I typed for an hour.\n\n- and a list"}, "category": {it.Category.PublicID},
			"duration": {"75"}}
		res := c.post(ts.ahPath(it.ID, "/edit"), typed)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("%s: stale edit: status %d, want 409\n%s", account, res.StatusCode, res.Body)
		}
		if got := alertText(res.Body); got != wantMsg {
			t.Errorf("%s: conflict message %q, want %q", account, got, wantMsg)
		}
		if got, _ := ahInput(res.Body, "title"); got != typed.Get("title") {
			t.Errorf("%s: the typed title is lost: %q", account, got)
		}
		if got, _ := ahTextarea(res.Body, "description"); got != typed.Get("description") {
			t.Errorf("%s: the typed description is lost: %q", account, got)
		}
		if got, _ := ahInput(res.Body, "duration"); got != "75" {
			t.Errorf("%s: the typed duration is lost: %q", account, got)
		}
		if got := ahHidden(res.Body, "version"); got != itoa(cur.Version) {
			t.Errorf("%s: the form now carries version %q, want the current %d", account, got, cur.Version)
		}
		after := azItem(ts, key)
		if after.Title != it.Title || after.Description != it.Description || after.DurationMinutes != 90 ||
			after.Revision != it.Revision || after.Version != cur.Version || auditState(ts) != before {
			t.Errorf("%s: the stale edit changed the item: %+v", account, after)
		}
		// Saving again, deliberately, over the current version works.
		typed.Set("version", ahHidden(res.Body, "version"))
		wantRedirect(t, account+" saving again", c.post(ts.ahPath(it.ID, "/edit"), typed), ts.ahPath(it.ID, ""))
		if got := ahItem(t, ts, account, it.ID); got.Title != typed.Get("title") || got.DurationMinutes != 75 {
			t.Errorf("%s: saved title %q, duration %d", account, got.Title, got.DurationMinutes)
		}
	}
	check("us.delegate", "contested", "Someone else changed this record while you were editing it. Your changes were not saved; reload the page to see the current version, then make your changes again.")
	check("cn.delegate", "awaiting", "在您编辑期间，其他人修改了此记录。您的更改未保存；请重新加载页面查看最新版本，然后再次修改。")
}

func TestAgendaConcurOnStaleRevisionConflicts(t *testing.T) {
	ts := newTestServer(t)
	it := azItem(ts, "awaiting") // CN's, CN concurred on revision 1
	usHead, cnHead := ts.as(azEmail("us.head")), ts.as(azEmail("cn.head"))
	page := usHead.get(ts.ahPath(it.ID, ""))
	if got := ahHidden(page.Body, "revision"); got != "1" {
		t.Fatalf("the US head's decision form carries revision %q, want 1", got)
	}
	// The CN delegate revises the text: revision 2.
	res := ts.as(azEmail("cn.delegate")).post(ts.ahPath(it.ID, "/edit"), url.Values{"version": {itoa(it.Version)},
		"title": {"International cyberspace rules and norms"}, "description": {it.Description},
		"category": {it.Category.PublicID}, "duration": {strconv.Itoa(it.DurationMinutes)}})
	wantRedirect(t, "revise", res, ts.ahPath(it.ID, ""))
	decisions := len(ahDecisions(t, ts, "us.head", it.ID))
	before := auditState(ts)

	for _, tc := range []struct {
		c    *client
		who  string
		want string
	}{
		{usHead, "us.head", "The text changed since you read it: your decision was not recorded. Read the current revision and decide again."},
		{cnHead, "cn.head", "您阅读后文本已有更改：您的决定未被记录。请阅读当前修订版后重新决定。"},
	} {
		res := tc.c.post(ts.ahPath(it.ID, "/concur"), url.Values{"revision": {"1"}})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("%s concurs on revision 1 of 2: status %d, want 409", tc.who, res.StatusCode)
			continue
		}
		if got := alertText(res.Body); got != tc.want {
			t.Errorf("%s: message %q, want %q", tc.who, got, tc.want)
		}
		if got := ahMainStatus(res.Body); got != "proposed" {
			t.Errorf("%s: the refused page's data-status is %q", tc.who, got)
		}
	}
	if n := len(ahDecisions(t, ts, "us.head", it.ID)); n != decisions || auditState(ts) != before {
		t.Errorf("a decision on a stale revision was recorded: %d decisions, had %d", n, decisions)
	}
	if cur := ahItem(t, ts, "cn.head", it.ID); cur.Status != agenda.StatusProposed || cur.Revision != 2 || len(cur.Standing) != 0 {
		t.Errorf("after refused decisions: status %s, revision %d, standing %v", cur.Status, cur.Revision, cur.Standing)
	}
	// On the current revision both concur and the item is adopted.
	wantRedirect(t, "US concurs on revision 2", usHead.post(ts.ahPath(it.ID, "/concur"), url.Values{"revision": {"2"}}), ts.ahPath(it.ID, ""))
	wantRedirect(t, "CN concurs on revision 2", cnHead.post(ts.ahPath(it.ID, "/concur"), url.Values{"revision": {"2"}}), ts.ahPath(it.ID, ""))
	if got := ahMainStatus(cnHead.get(ts.ahPath(it.ID, "")).Body); got != "adopted" {
		t.Errorf("after both concurred on revision 2: data-status %q, want adopted", got)
	}
}

// ---- states --------------------------------------------------------------------

func TestAgendaDecisionOnWithdrawnItemRefused(t *testing.T) {
	ts := newTestServer(t)
	it := azItem(ts, "awaiting")
	res := ts.as(azEmail("cn.delegate")).post(ts.ahPath(it.ID, "/withdraw"), url.Values{"version": {itoa(it.Version)}})
	wantRedirect(t, "withdraw", res, ts.ahPath(it.ID, ""))
	heads := map[string]*client{"us.head": ts.as(azEmail("us.head")), "cn.head": ts.as(azEmail("cn.head"))}
	decisions := len(ahDecisions(t, ts, "cn.head", it.ID))
	before := auditState(ts) // after signing in: sign-ins are audited
	for _, tc := range []struct {
		who, action, reason, want string
	}{
		{"us.head", "/concur", "", "This cannot be done while the item is in its current state."},
		{"us.head", "/object", "Too late.", "This cannot be done while the item is in its current state."},
		{"cn.head", "/object", "改变主意。", "在项目的当前状态下不能执行此操作。"},
	} {
		res := heads[tc.who].post(ts.ahPath(it.ID, tc.action), url.Values{"revision": {"1"}, "reason": {tc.reason}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s %s on the withdrawn item: status %d, want 422", tc.who, tc.action, res.StatusCode)
			continue
		}
		if got := alertText(res.Body); got != tc.want {
			t.Errorf("%s %s: message %q, want %q", tc.who, tc.action, got, tc.want)
		}
		if got := ahMainStatus(res.Body); got != "withdrawn" {
			t.Errorf("%s %s: data-status %q, want withdrawn", tc.who, tc.action, got)
		}
		if strings.Contains(res.Body, `action="`+ts.ahPath(it.ID, "/concur")+`"`) {
			t.Errorf("%s: the withdrawn item still offers a decision form", tc.who)
		}
	}
	if auditState(ts) != before || len(ahDecisions(t, ts, "cn.head", it.ID)) != decisions {
		t.Errorf("a decision on a withdrawn item changed data")
	}
	if cur := azItem(ts, "awaiting"); cur.Status != agenda.StatusWithdrawn {
		t.Errorf("status %s, want withdrawn", cur.Status)
	}
}

// A delegation's objection on record when the item was withdrawn stays on
// record: no decision changes on a withdrawn item.
func TestAgendaObjectionOnWithdrawnItemCannotBeWithdrawn(t *testing.T) {
	ts := newTestServer(t)
	it := azItem(ts, "contested") // the US objects
	res := ts.as(azEmail("us.delegate")).post(ts.ahPath(it.ID, "/withdraw"), url.Values{"version": {itoa(it.Version)}})
	wantRedirect(t, "withdraw", res, ts.ahPath(it.ID, ""))
	head := ts.as(azEmail("us.head"))
	before := auditState(ts)
	res = head.post(ts.ahPath(it.ID, "/withdraw-objection"), nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("withdrawing the objection to a withdrawn item: status %d (Location %q), want 422",
			res.StatusCode, res.Header.Get("Location"))
	} else if got := alertText(res.Body); got != "This cannot be done while the item is in its current state." {
		t.Errorf("message %q", got)
	}
	if auditState(ts) != before {
		t.Errorf("withdrawing the objection to a withdrawn item changed the audit trail")
	}
	for _, d := range ahDecisions(t, ts, "us.head", it.ID) {
		if d.Kind == agenda.Object && d.WithdrawnAt != nil {
			t.Errorf("the US objection on the withdrawn item was withdrawn")
		}
	}
}

func TestAgendaItemPageDataStatusInBothLanguages(t *testing.T) {
	ts := newTestServer(t)
	us, cn := ts.as(azEmail("us.delegate")), ts.as(azEmail("cn.delegate"))
	contested := azItem(ts, "contested")
	wantRedirect(t, "withdraw", us.post(ts.ahPath(contested.ID, "/withdraw"), url.Values{"version": {itoa(contested.Version)}}),
		ts.ahPath(contested.ID, ""))
	cases := []struct {
		c            *client
		who, key     string
		status, text string
	}{
		{us, "us.delegate", "usdraft", "draft", "Draft"},
		{cn, "cn.delegate", "cndraft", "draft", "草稿"},
		{us, "us.delegate", "awaiting", "proposed", "Tabled"},
		{cn, "cn.delegate", "awaiting", "proposed", "已提交"},
		{us, "us.delegate", "adopted", "adopted", "Adopted"},
		{cn, "cn.delegate", "adopted", "adopted", "已通过"},
		{us, "us.delegate", "contested", "withdrawn", "Withdrawn"},
		{cn, "cn.delegate", "contested", "withdrawn", "已撤回"},
	}
	for _, tc := range cases {
		id := azItem(ts, tc.key).ID
		for _, suffix := range []string{"", "/history"} {
			res := tc.c.get(ts.ahPath(id, suffix))
			wantStatus(t, tc.who+" "+tc.key+suffix, res, http.StatusOK)
			if got := ahMainStatus(res.Body); got != tc.status {
				t.Errorf("%s, %s%s: main data-status %q, want %q", tc.who, tc.key, suffix, got, tc.status)
			}
		}
		res := tc.c.get(ts.ahPath(id, ""))
		if st, text := ahBadge(res.Body); st != tc.status || text != tc.text {
			t.Errorf("%s, %s: badge %s %q, want %s %q", tc.who, tc.key, st, text, tc.status, tc.text)
		}
	}
}

// ---- what the other side and the secretariat see ------------------------------

// A draft answers exactly as a missing item does, on every route.
func TestAgendaDraftIsNotFoundForOtherSides(t *testing.T) {
	ts := newTestServer(t)
	getSuffixes := []string{"", "/edit", "/history", "/revisions", "/translation", "/amendments/new", "/amendments/1"}
	postSuffixes := map[string]url.Values{
		"/edit":                {"version": {"1"}, "title": {"X"}, "category": {"1"}, "duration": {"30"}},
		"/translation":         {"version": {"1"}, "tr_title": {"X"}},
		"/table":               {"version": {"1"}},
		"/concur":              {"revision": {"1"}},
		"/object":              {"revision": {"1"}, "reason": {"No."}},
		"/withdraw-objection":  {},
		"/withdraw":            {"version": {"1"}},
		"/comments":            {"visibility": {"internal"}, "body": {"Seen it."}},
		"/comments/5":          {"version": {"1"}, "body": {"Seen it."}},
		"/comments/6":          {"version": {"1"}, "body": {"Seen it."}},
		"/amendments":          {"title": {"X"}, "rationale": {"Y"}},
		"/amendments/1/accept": {"version": {"1"}},
	}
	for _, d := range []struct {
		key     string
		viewers []string
	}{
		{"usdraft", []string{"cn.head", "cn.delegate", "cn.observer", "secretariat", "admin"}},
		{"cndraft", []string{"us.head", "us.delegate", "us.observer", "secretariat", "admin"}},
	} {
		draft := azItem(ts, d.key)
		const missing = 987 // no such item
		for _, v := range d.viewers {
			c := ts.as(azEmail(v))
			compare := func(method, suffix string, a, b *response) {
				t.Helper()
				pa, pb := ts.ahPath(draft.ID, suffix), ts.ahPath(missing, suffix)
				if a.StatusCode != http.StatusNotFound || b.StatusCode != http.StatusNotFound {
					t.Errorf("%s %s %s: status %d (missing item: %d), want 404 for both", v, method, pa, a.StatusCode, b.StatusCode)
					return
				}
				if na, nb := ahNormalize(a.Body, pa), ahNormalize(b.Body, pb); na != nb {
					t.Errorf("%s %s %s: the answer differs from a missing item's:\n%s\n---\n%s", v, method, pa, na, nb)
				}
				if strings.Contains(a.Body, draft.Title) {
					t.Errorf("%s %s %s: the answer names the draft", v, method, pa)
				}
			}
			for _, s := range getSuffixes {
				compare("GET", s, c.get(ts.ahPath(draft.ID, s)), c.get(ts.ahPath(missing, s)))
			}
			before := auditState(ts)
			for s, form := range postSuffixes {
				f1, f2 := url.Values{}, url.Values{}
				for k, vs := range form {
					f1[k], f2[k] = vs, vs
				}
				compare("POST", s, c.post(ts.ahPath(draft.ID, s), f1), c.post(ts.ahPath(missing, s), f2))
			}
			if auditState(ts) != before {
				t.Errorf("%s: requests on the other side's draft changed data", v)
			}
		}
	}
}

func TestAgendaListNeverShowsOtherSidesDraft(t *testing.T) {
	ts := newTestServer(t)
	id := func(key string) int64 { return azItem(ts, key).ID }
	adopted, awaiting, contested, usDraft, cnDraft := id("adopted"), id("awaiting"), id("contested"), id("usdraft"), id("cndraft")
	usSide, cnSide := azSide(ts, "US").PublicID, azSide(ts, "CN").PublicID
	incident := azCategory(ts, "Incident cooperation").PublicID // both drafts' category
	cases := []struct {
		viewer, query string
		rows          []int64
		all           int
		counts        map[string]int
	}{
		{"cn.delegate", "", []int64{adopted, awaiting, contested, cnDraft}, 4, map[string]int{"draft": 1, "proposed": 2, "adopted": 1}},
		{"cn.delegate", "?q=Protecting", nil, 0, map[string]int{}},
		{"cn.delegate", "?q=" + url.QueryEscape("intellectual property from cyber theft"), nil, 0, map[string]int{}},
		{"cn.delegate", "?q=" + url.QueryEscape("internal discussion before tabling"), nil, 0, map[string]int{}},
		{"cn.delegate", "?side=" + usSide, []int64{contested}, 1, map[string]int{"proposed": 1}},
		{"cn.delegate", "?side=" + usSide + "&status=draft", nil, 1, map[string]int{"proposed": 1}},
		{"cn.delegate", "?category=" + incident, []int64{cnDraft}, 1, map[string]int{"draft": 1}},
		{"cn.delegate", "?status=draft", []int64{cnDraft}, 4, map[string]int{"draft": 1, "proposed": 2, "adopted": 1}},
		{"cn.observer", "?status=draft&q=Protecting", nil, 0, map[string]int{}},
		{"us.observer", "?status=draft", []int64{usDraft}, 4, map[string]int{"draft": 1, "proposed": 2, "adopted": 1}},
		{"us.head", "?q=" + url.QueryEscape("来自美国"), nil, 0, map[string]int{}},
		{"us.delegate", "?side=" + cnSide, []int64{adopted, awaiting}, 2, map[string]int{"proposed": 1, "adopted": 1}},
		{"us.delegate", "?category=" + incident, []int64{usDraft}, 1, map[string]int{"draft": 1}},
		{"secretariat", "", []int64{adopted, awaiting, contested}, 3, map[string]int{"proposed": 2, "adopted": 1}},
		{"secretariat", "?status=draft", nil, 3, map[string]int{"proposed": 2, "adopted": 1}},
		{"secretariat", "?q=Protecting", nil, 0, map[string]int{}},
		{"secretariat", "?category=" + incident, nil, 0, map[string]int{}},
		{"admin", "?status=draft&side=" + usSide, nil, 1, map[string]int{"proposed": 1}},
		{"admin", "?q=" + url.QueryEscape("来自美国IP地址"), nil, 0, map[string]int{}},
	}
	secrets := []struct {
		id    int64
		side  string
		texts []string
	}{
		{usDraft, "US", []string{"Protecting intellectual property from cyber theft", "Draft for internal discussion before tabling."}},
		{cnDraft, "CN", []string{"来自美国IP地址的对中国政府网站的攻击", "249个中国政府和学术网站被黑"}},
	}
	clients := map[string]*client{}
	for _, tc := range cases {
		if clients[tc.viewer] == nil {
			clients[tc.viewer] = ts.as(azEmail(tc.viewer))
		}
		res := clients[tc.viewer].get("/agenda" + tc.query)
		what := tc.viewer + " /agenda" + tc.query
		wantStatus(t, what, res, http.StatusOK)
		rows := ts.ahRows(res.Body)
		want := map[int64]string{}
		for _, id := range tc.rows {
			want[id] = "x"
		}
		if len(rows) != len(want) {
			t.Errorf("%s: rows %v, want items %v", what, rows, tc.rows)
		}
		for id := range want {
			if _, ok := rows[id]; !ok {
				t.Errorf("%s: item %d missing (rows %v)", what, id, rows)
			}
		}
		all, counts := ahCounts(t, res.Body)
		if all != tc.all {
			t.Errorf("%s: the \"all\" tab counts %d, want %d", what, all, tc.all)
		}
		if len(counts) != len(tc.counts) {
			t.Errorf("%s: status tabs %v, want %v", what, counts, tc.counts)
		}
		for st, n := range tc.counts {
			if counts[st] != n {
				t.Errorf("%s: the %s tab counts %d, want %d (tabs %v)", what, st, counts[st], n, counts)
			}
		}
		if len(tc.rows) == 0 && !strings.Contains(res.Body, `<p class="empty">`) {
			t.Errorf("%s: an empty list does not say so", what)
		}
		own := azUser(ts, tc.viewer).Side.Code
		for _, sec := range secrets {
			if sec.side == own {
				continue
			}
			if _, ok := rows[sec.id]; ok {
				t.Errorf("%s: lists the other side's draft %d", what, sec.id)
			}
			for _, s := range sec.texts {
				if strings.Contains(res.Body, s) {
					t.Errorf("%s: the page contains the other side's draft text %q", what, s)
				}
			}
		}
	}
}

// The history of a tabled item shows the other side and the secretariat the
// shared records only: nothing of the draft's life or of internal notes.
func TestAgendaHistoryHidesInternalChain(t *testing.T) {
	ts := newTestServer(t)
	us := ts.as(azEmail("us.delegate"))
	cat := azCategory(ts, "Other").PublicID
	res := us.post("/agenda/new", url.Values{"title": {"Working title: hack-back options"},
		"description": {"Unvetted musings about retaliation."}, "category": {cat}, "duration": {"30"}, "language": {"en"}})
	id := ts.ahID(t, res, agenda.RefItem, "/agenda/")
	it := ahItem(t, ts, "us.delegate", id)
	wantRedirect(t, "edit the draft", us.post(ts.ahPath(id, "/edit"), url.Values{"version": {itoa(it.Version)},
		"title": {"Active cyber defence"}, "description": {"Norms for active defence."}, "category": {cat},
		"duration": {"30"}}), ts.ahPath(id, ""))
	wantRedirect(t, "note on the draft", us.post(ts.ahPath(id, "/comments"), url.Values{"visibility": {"internal"},
		"body": {"Instruction from Washington: never mention retaliation."}}), ts.ahPath(id, ""))
	it = ahItem(t, ts, "us.delegate", id)
	wantRedirect(t, "table", us.post(ts.ahPath(id, "/table"), url.Values{"version": {itoa(it.Version)}}), ts.ahPath(id, ""))
	wantRedirect(t, "note after tabling", us.post(ts.ahPath(id, "/comments"), url.Values{"visibility": {"internal"},
		"body": {"Expect Beijing to raise the Snowden affair."}}), ts.ahPath(id, ""))
	wantRedirect(t, "shared comment", us.post(ts.ahPath(id, "/comments"), url.Values{"visibility": {"shared"},
		"body": {"We look forward to the discussion."}}), ts.ahPath(id, ""))

	internal := []string{"Working title: hack-back options", "Unvetted musings about retaliation.",
		"never mention retaliation", "Snowden affair"}
	for _, v := range []string{"cn.head", "cn.delegate", "cn.observer", "secretariat", "admin"} {
		c := ts.as(azEmail(v))
		hist := c.get(ts.ahPath(id, "/history"))
		wantStatus(t, v+" history", hist, http.StatusOK)
		en := !strings.HasPrefix(v, "cn.")
		tabled, created, changed := "Tabled", "Draft created", "Item changed"
		if !en {
			tabled, created, changed = "提交", "创建草稿", "修改项目"
		}
		if !strings.Contains(hist.Body, "<strong>"+tabled+"</strong>") || !strings.Contains(hist.Body, "We look forward to the discussion.") {
			t.Errorf("%s: the history lacks the shared records (tabling, shared comment)", v)
		}
		for _, s := range []string{"<strong>" + created + "</strong>", "<strong>" + changed + "</strong>", `class="badge internal"`} {
			if strings.Contains(hist.Body, s) {
				t.Errorf("%s: the history shows the US-internal %q", v, s)
			}
		}
		for _, p := range []string{"/history", "", "/revisions"} {
			body := c.get(ts.ahPath(id, p)).Body
			for _, s := range internal {
				if strings.Contains(body, s) {
					t.Errorf("%s: %s shows the US-internal %q", v, ts.ahPath(id, p), s)
				}
			}
		}
	}
	// The US side sees its whole history.
	hist := ts.as(azEmail("us.observer")).get(ts.ahPath(id, "/history")).Body
	for _, s := range append([]string{"<strong>Draft created</strong>", "<strong>Item changed</strong>", "<strong>Tabled</strong>"}, internal...) {
		if !strings.Contains(hist, s) {
			t.Errorf("the US observer's history lacks %q", s)
		}
	}
}

// Internal notes are shown to their side only: never to the other side or
// the secretariat, on any page they can reach.
func TestAgendaInternalNotesStayWithTheirSide(t *testing.T) {
	ts := newTestServer(t)
	notes := map[string][]string{ // side → its notes in the demo
		"US": {"Hold firm on the out-of-bounds language", "Not before the next Strategic Security Dialogue."},
		"CN": {"参考国家互联网应急中心的数据", "待对话后再决定是否提交。"},
	}
	var pages []string
	for _, key := range []string{"adopted", "awaiting", "contested", "usdraft", "cndraft"} {
		id := azItem(ts, key).ID
		for _, s := range []string{"", "/history", "/revisions", "/amendments/1", "/edit", "/translation", "/amendments/new"} {
			pages = append(pages, ts.ahPath(id, s))
		}
	}
	pages = append(pages, "/", "/agenda", "/agenda?status=draft", "/audit", "/agenda?q=Hold", "/agenda?q="+url.QueryEscape("参考"))
	for _, v := range azAccounts {
		c := ts.as(azEmail(v))
		side := azUser(ts, v).Side.Code
		seen := map[string]bool{}
		for _, p := range pages {
			res := c.get(p)
			for owner, texts := range notes {
				for _, s := range texts {
					if !strings.Contains(res.Body, s) {
						continue
					}
					if owner != side {
						t.Errorf("%s: %s shows the %s internal note %q", v, p, owner, s)
					}
					seen[s] = true
				}
			}
		}
		for _, s := range notes[side] { // the side's own notes are there
			if !seen[s] {
				t.Errorf("%s does not see its own side's note %q anywhere", v, s)
			}
		}
	}
}

// A draft that is withdrawn was never shared: it stays internal to its side.
func TestAgendaWithdrawnDraftStaysInternal(t *testing.T) {
	ts := newTestServer(t)
	draft := azItem(ts, "usdraft")
	res := ts.as(azEmail("us.delegate")).post(ts.ahPath(draft.ID, "/withdraw"), url.Values{"version": {itoa(draft.Version)}})
	wantRedirect(t, "withdraw the draft", res, ts.ahPath(draft.ID, ""))
	if got := ahMainStatus(ts.as(azEmail("us.observer")).get(ts.ahPath(draft.ID, "")).Body); got != "withdrawn" {
		t.Errorf("the US side sees the withdrawn draft as %q", got)
	}
	for _, v := range []string{"cn.delegate", "secretariat", "admin"} {
		c := ts.as(azEmail(v))
		for _, suffix := range []string{"", "/history", "/revisions"} {
			p, missing := ts.ahPath(draft.ID, suffix), ts.ahPath(987, suffix)
			res, none := c.get(p), c.get(missing)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: GET %s after the draft was withdrawn: status %d, want 404", v, p, res.StatusCode)
			} else if ahNormalize(res.Body, p) != ahNormalize(none.Body, missing) {
				t.Errorf("%s: GET %s answers differently from a missing item", v, p)
			}
		}
		for _, q := range []string{"", "?status=withdrawn", "?q=Protecting"} {
			if body := c.get("/agenda" + q).Body; strings.Contains(body, draft.Title) {
				t.Errorf("%s: /agenda%s lists the withdrawn US draft", v, q)
			}
		}
	}
	// What is said about it stays internal too.
	res = ts.as(azEmail("us.delegate")).post(ts.ahPath(draft.ID, "/comments"), url.Values{"visibility": {"shared"}, "body": {"Now share it."}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("shared comment on the withdrawn draft: status %d, want 422", res.StatusCode)
	}
}

// ---- the two-key flow ------------------------------------------------------------

func TestAgendaTwoKeyFlowOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	del, usHead, cnHead := ts.as(azEmail("us.delegate")), ts.as(azEmail("us.head")), ts.as(azEmail("cn.head"))
	cat := azCategory(ts, "Confidence-building measures").PublicID
	res := del.post("/agenda/new", url.Values{"title": {"A hotline between CERTs"},
		"description": {"A direct line between the national CERTs."}, "category": {cat}, "duration": {"40"}, "language": {"en"}})
	id := ts.ahID(t, res, agenda.RefItem, "/agenda/")
	page := del.get(ts.ahPath(id, ""))
	if got := ahMainStatus(page.Body); got != "draft" || !strings.Contains(page.Body, "The draft is saved.") {
		t.Fatalf("after creating: data-status %q, flash shown %v", got, strings.Contains(page.Body, "The draft is saved."))
	}
	wantStatus(t, "CN before tabling", ts.as(azEmail("cn.delegate")).get(ts.ahPath(id, "")), http.StatusNotFound)

	wantRedirect(t, "table", del.post(ts.ahPath(id, "/table"), url.Values{"version": {ahHidden(page.Body, "version")}}), ts.ahPath(id, ""))
	cnPage := cnHead.get(ts.ahPath(id, ""))
	wantStatus(t, "CN after tabling", cnPage, http.StatusOK)
	if got := ahMainStatus(cnPage.Body); got != "proposed" {
		t.Errorf("after tabling: data-status %q", got)
	}
	if strings.Count(cnPage.Body, `data-decision="awaiting"`) != 2 {
		t.Errorf("after tabling both delegations should be awaited")
	}

	wantRedirect(t, "US concurs", usHead.post(ts.ahPath(id, "/concur"), url.Values{"revision": {ahHidden(usHead.get(ts.ahPath(id, "")).Body, "revision")}}), ts.ahPath(id, ""))
	if got := ahMainStatus(del.get(ts.ahPath(id, "")).Body); got != "proposed" {
		t.Errorf("with one concurrence: data-status %q, want proposed", got)
	}
	wantRedirect(t, "CN concurs", cnHead.post(ts.ahPath(id, "/concur"), url.Values{"revision": {ahHidden(cnHead.get(ts.ahPath(id, "")).Body, "revision")}}), ts.ahPath(id, ""))
	page = cnHead.get(ts.ahPath(id, ""))
	if st, text := ahBadge(page.Body); ahMainStatus(page.Body) != "adopted" || st != "adopted" || text != "已通过" {
		t.Errorf("after both concurred: data-status %q, badge %s %q", ahMainStatus(page.Body), st, text)
	}
	if strings.Count(page.Body, `data-decision="concur"`) != 2 {
		t.Errorf("the adopted item does not show two concurrences")
	}

	// An edit of the text afterwards: revision 2, back to proposed, the concurrences void.
	page = del.get(ts.ahPath(id, "/edit"))
	if !strings.Contains(page.Body, "Changing its title or description makes a new revision") {
		t.Errorf("the edit form of a tabled item does not warn about the new revision")
	}
	wantRedirect(t, "edit after adoption", del.post(ts.ahPath(id, "/edit"), url.Values{"version": {ahHidden(page.Body, "version")},
		"title": {"A hotline between CERTs"}, "description": {"A direct, staffed line between the national CERTs."},
		"category": {cat}, "duration": {"40"}}), ts.ahPath(id, ""))
	page = del.get(ts.ahPath(id, ""))
	if got := ahMainStatus(page.Body); got != "proposed" || !strings.Contains(page.Body, "<span>Revision 2</span>") {
		t.Errorf("after the edit: data-status %q, revision 2 shown %v", got, strings.Contains(page.Body, "<span>Revision 2</span>"))
	}
	if strings.Count(page.Body, `data-decision="awaiting"`) != 2 {
		t.Errorf("after the edit both delegations should be awaited again")
	}
	if it := ahItem(t, ts, "cn.head", id); it.Status != agenda.StatusProposed || it.Revision != 2 || len(it.Standing) != 0 {
		t.Errorf("after the edit: status %s, revision %d, standing %v", it.Status, it.Revision, it.Standing)
	}
	for _, tc := range []struct {
		c          *client
		void, rev2 string
	}{
		{del, "void: given on an earlier revision", "Revision 2"},
		{cnHead, "无效：针对较早的修订版", "第 2 版"},
	} {
		revs := tc.c.get(ts.ahPath(id, "/revisions"))
		wantStatus(t, "revisions", revs, http.StatusOK)
		if n := strings.Count(revs.Body, `<li class="void">`); n != 2 {
			t.Errorf("revisions page: %d void decisions, want 2", n)
		}
		if n := strings.Count(revs.Body, tc.void); n != 2 {
			t.Errorf("revisions page: %q shown %d times, want 2", tc.void, n)
		}
		if !strings.Contains(revs.Body, "<td>1</td><td>A hotline between CERTs</td>") || !strings.Contains(revs.Body, "<td>2</td><td>A hotline between CERTs</td>") {
			t.Errorf("the revisions page does not list revisions 1 and 2")
		}
		if !regexp.MustCompile(`<ins>[^<]*staffed`).MatchString(revs.Body) {
			t.Errorf("the revisions page does not show what changed between revisions 1 and 2")
		}
	}
}

// ---- comments --------------------------------------------------------------------

func TestAgendaCommentsSharedInternalAndCorrection(t *testing.T) {
	ts := newTestServer(t)
	it := azItem(ts, "awaiting")
	del := ts.as(azEmail("us.delegate"))
	res := del.post(ts.ahPath(it.ID, "/comments"), url.Values{"visibility": {"shared"}, "body": {"We propose to start with **norms**."}})
	sharedID := ts.publicID(app.RefComment, ts.ahID(t, res, app.RefComment, ts.ahPath(it.ID, "#comment-"))) // Location /agenda/<id>#comment-<cid>
	res = del.post(ts.ahPath(it.ID, "/comments"), url.Values{"visibility": {"internal"}, "body": {"Keep the UN out of it."}})
	wantRedirect(t, "internal note", res, ts.ahPath(it.ID, "#comment-"))

	for _, v := range []string{"us.observer", "cn.observer", "secretariat"} {
		body := ts.as(azEmail(v)).get(ts.ahPath(it.ID, "")).Body
		if !strings.Contains(body, "We propose to start with <strong>norms</strong>.") {
			t.Errorf("%s does not see the shared comment", v)
		}
		if got := strings.Contains(body, "Keep the UN out of it."); got != (v == "us.observer") {
			t.Errorf("%s sees the US internal note: %v", v, got)
		}
	}
	usBody := ts.as(azEmail("us.observer")).get(ts.ahPath(it.ID, "")).Body
	if !strings.Contains(usBody, "Internal note — United States delegation only") {
		t.Errorf("the internal note is not marked as internal for the US")
	}
	if strings.Contains(usBody, `action="`+ts.ahPath(it.ID, "/comments/"+sharedID)+`"`) {
		t.Errorf("the US observer is offered to correct the delegate's comment")
	}

	// Within the window the author corrects the shared comment; the earlier text stays visible.
	ts.clock.advance(10 * time.Minute)
	page := del.get(ts.ahPath(it.ID, ""))
	action := `action="` + ts.ahPath(it.ID, "/comments/"+sharedID) + `"`
	if !strings.Contains(page.Body, action) {
		t.Fatalf("the author is not offered to correct the comment within the window")
	}
	res = del.post(ts.ahPath(it.ID, "/comments/"+sharedID), url.Values{"version": {"1"}, "body": {"We propose to start with **norms of behaviour**."}})
	wantRedirect(t, "correct", res, ts.ahPath(it.ID, "?comment="+sharedID+"#comment-"+sharedID))
	for _, tc := range []struct{ who, earlier string }{{"cn.observer", "较早文本（1）"}, {"us.observer", "Earlier text (1)"}, {"secretariat", "Earlier text (1)"}} {
		body := ts.as(azEmail(tc.who)).get(ts.ahPath(it.ID, "")).Body
		if !strings.Contains(body, "We propose to start with <strong>norms of behaviour</strong>.") {
			t.Errorf("%s does not see the corrected text", tc.who)
		}
		if !strings.Contains(body, tc.earlier) || !strings.Contains(body, "We propose to start with <strong>norms</strong>.") {
			t.Errorf("%s does not see the earlier text of the corrected comment", tc.who)
		}
	}

	// After the window: refused with a translated message, nothing changed.
	ts.clock.advance(6 * time.Minute)
	if strings.Contains(del.get(ts.ahPath(it.ID, "")).Body, action) {
		t.Errorf("the correction form is still offered after 15 minutes")
	}
	before := auditState(ts)
	res = del.post(ts.ahPath(it.ID, "/comments/"+sharedID), url.Values{"version": {"2"}, "body": {"Rewritten later."}})
	if res.StatusCode != http.StatusUnprocessableEntity || alertText(res.Body) != "Comments can only be corrected during the first 15 minutes." {
		t.Errorf("correction after the window: status %d, message %q", res.StatusCode, alertText(res.Body))
	}
	if auditState(ts) != before || strings.Contains(del.get(ts.ahPath(it.ID, "")).Body, "Rewritten later.") {
		t.Errorf("a correction after the window changed data")
	}

	// On a draft, a shared comment is refused next to the choice, in the viewer's language.
	draft := azItem(ts, "cndraft")
	cn := ts.as(azEmail("cn.delegate"))
	before = auditState(ts)
	res = cn.post(ts.ahPath(draft.ID, "/comments"), url.Values{"visibility": {"shared"}, "body": {"大家看看。"}})
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "visibility") != "草稿阶段的一切内容在提交前仅本方可见。" {
		t.Errorf("shared comment on a draft: status %d, message %q", res.StatusCode, fieldError(res.Body, "visibility"))
	}
	if got, _ := ahTextarea(res.Body, "body"); got != "大家看看。" {
		t.Errorf("the refused comment's text is lost: %q", got)
	}
	if auditState(ts) != before {
		t.Errorf("a refused comment changed data")
	}
}

// ---- the dashboard ---------------------------------------------------------------

func TestAgendaDashboardShowsWhatNeedsAttention(t *testing.T) {
	ts := newTestServer(t)
	id := func(key string) int64 { return azItem(ts, key).ID }
	awaiting, contested, usDraft, cnDraft := id("awaiting"), id("contested"), id("usdraft"), id("cndraft")
	type want struct {
		awaiting []int64 // nil: no such section (not a head)
		drafts   []int64
		empty    map[string]string // section → its "nothing" message
	}
	check := func(who string, w want) {
		t.Helper()
		body := ts.as(azEmail(who)).get("/").Body
		body = html.UnescapeString(body)
		aw, ok := ahSection(body, "awaiting-decision")
		isHead := strings.HasSuffix(who, ".head")
		if ok != isHead {
			t.Errorf("%s: awaiting section shown %v, want %v", who, ok, isHead)
		}
		if isHead && !equalIDs(ts.ahSectionItems(aw), w.awaiting) {
			t.Errorf("%s: awaiting %v, want %v", who, ts.ahSectionItems(aw), w.awaiting)
		}
		dr, _ := ahSection(body, "my-drafts")
		if !equalIDs(ts.ahSectionItems(dr), w.drafts) {
			t.Errorf("%s: drafts %v, want %v", who, ts.ahSectionItems(dr), w.drafts)
		}
		co, _ := ahSection(body, "contested-items")
		if !equalIDs(ts.ahSectionItems(co), []int64{contested}) {
			t.Errorf("%s: contested %v, want [%d]", who, ts.ahSectionItems(co), contested)
		}
		sections := map[string]string{"awaiting-decision": aw, "my-drafts": dr}
		for sec, msg := range w.empty {
			if !strings.Contains(sections[sec], msg) {
				t.Errorf("%s: section %s does not say %q:\n%s", who, sec, msg, sections[sec])
			}
		}
	}
	check("us.head", want{awaiting: []int64{awaiting}, drafts: []int64{usDraft}})
	check("cn.head", want{awaiting: nil, drafts: []int64{cnDraft},
		empty: map[string]string{"awaiting-decision": "没有等待本代表团决定的项目。"}})
	check("us.delegate", want{drafts: []int64{usDraft}})
	check("us.observer", want{drafts: []int64{usDraft}})
	check("cn.observer", want{drafts: []int64{cnDraft}})
	check("secretariat", want{drafts: nil, empty: map[string]string{"my-drafts": "Your side has no drafts."}})
	check("admin", want{drafts: nil})

	// Once the US head concurs, nothing awaits the US.
	it := azItem(ts, "awaiting")
	wantRedirect(t, "concur", ts.as(azEmail("us.head")).post(ts.ahPath(it.ID, "/concur"), url.Values{"revision": {"1"}}), ts.ahPath(it.ID, ""))
	check("us.head", want{awaiting: nil, drafts: []int64{usDraft},
		empty: map[string]string{"awaiting-decision": "No tabled item awaits your delegation's decision."}})
	// When the US withdraws its objection, nothing is contested and the item awaits the US again.
	wantRedirect(t, "withdraw objection", ts.as(azEmail("us.head")).post(ts.ahPath(contested, "/withdraw-objection"), nil), ts.ahPath(contested, ""))
	body := ts.as(azEmail("cn.delegate")).get("/").Body
	if co, _ := ahSection(body, "contested-items"); len(ts.ahSectionItems(co)) != 0 || !strings.Contains(co, "没有有异议的项目。") {
		t.Errorf("after the objection was withdrawn, the contested list is not empty:\n%s", co)
	}
	aw, _ := ahSection(ts.as(azEmail("us.head")).get("/").Body, "awaiting-decision")
	if !equalIDs(ts.ahSectionItems(aw), []int64{contested}) {
		t.Errorf("after withdrawing its objection the US awaits %v, want [%d]", ts.ahSectionItems(aw), contested)
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = append([]int64(nil), a...), append([]int64(nil), b...)
	sort.Slice(a, func(i, j int) bool { return a[i] < a[j] })
	sort.Slice(b, func(i, j int) bool { return b[i] < b[j] })
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The list and the dashboard mark an item "contested" while an objection
// stands on its current text, and no other item.
func TestListMarksContestedItems(t *testing.T) {
	ts := newTestServer(t)
	contested, awaiting := azItem(ts, "contested"), azItem(ts, "awaiting")
	row := func(body, publicID string) string {
		i := strings.Index(body, `<tr data-item="`+publicID+`"`)
		if i < 0 {
			t.Fatalf("no row for %s", publicID)
		}
		j := strings.Index(body[i:], "</tr>")
		return body[i : i+j]
	}
	for _, who := range []string{"us.delegate", "cn.head", "secretariat"} {
		body := ts.as(azEmail(who)).get("/agenda?status=proposed").Body
		if !strings.Contains(row(body, contested.PublicID), "status-contested") {
			t.Errorf("%s: the contested item's row is not marked", who)
		}
		if strings.Contains(row(body, awaiting.PublicID), "status-contested") {
			t.Errorf("%s: an item no one objects to is marked contested", who)
		}
	}
}
