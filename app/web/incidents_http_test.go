package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/parley/parley/app"
	"github.com/parley/parley/app/incidents"
)

// HTTP tests of the incidents, through the real router.

// postFile submits a multipart form with one file, with the right CSRF token.
func (c *client) postFile(path string, fields url.Values, name string, data []byte) *response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fields.Set("_csrf", c.csrf())
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(data)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.ts.http.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

var reIncidentRef = regexp.MustCompile(`^/incidents/([0-9a-f]{20})$`)

// The Chinese delegate writes a report, pastes indicators in bulk (with a
// per-line result, and nothing saved when "all or nothing" meets a bad
// line), adds claims and reports it; the US head disputes a claim and an
// indicator; the Chinese head reads the US position beside the Chinese one,
// in Chinese; the US observer is offered nothing to change.
func TestIncidentReportAndAnswerOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	cnDel := ts.as(azEmail("cn.delegate"))
	res := cnDel.post("/incidents/new", url.Values{"title": {"对教育网的扫描"}, "summary": {"**扫描**来自以下地址。"},
		"language": {"zh"}, "category": {"intrusion"}, "tlp": {"GREEN"}, "sector-academia": {"1"}, "sector-government": {"1"},
		"observed_from": {"2013-06-01T08:00"}, "observed_to": {"2013-06-03T18:00"}, "observed_zone": {"Asia/Shanghai"}})
	wantRedirect(t, "create", res, "/incidents/")
	m := reIncidentRef.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("redirect %q", res.Header.Get("Location"))
	}
	ref := m[1]
	base := "/incidents/" + ref
	page := cnDel.get(base)
	wantStatus(t, "draft page", page, http.StatusOK)
	if !strings.Contains(page.Body, `data-status="draft"`) || !strings.Contains(page.Body, `data-tlp="GREEN"`) {
		t.Fatal("the draft's main element does not carry its status and marking")
	}
	if ts.as(azEmail("us.head")).get(base).StatusCode != http.StatusNotFound {
		t.Fatal("the US head reads a Chinese draft")
	}
	version := func(who string) string { return itoa(incVersion(t, ts, who, ref)) }

	// Bulk paste, all or nothing, with a bad line: nothing is saved, each line is told.
	lines := "192.0.2.1\n198.51.100[.]7\nhxxp://bad.example[.]com/x\n192.0.2.1\n999.0.0.1\n# a comment\n2001:db8::1"
	res = cnDel.post(base+"/indicators", url.Values{"version": {version("cn.delegate")}, "lines": {lines}, "role": {"source"},
		"all_or_nothing": {"1"}})
	wantStatus(t, "paste all or nothing", res, http.StatusUnprocessableEntity)
	outcomes := regexp.MustCompile(`data-outcome="(\w+)"`).FindAllStringSubmatch(res.Body, -1)
	var got []string
	for _, o := range outcomes {
		got = append(got, o[1])
	}
	// Refused lines first, then the others, in their order.
	if strings.Join(got, " ") != "duplicate invalid valid valid valid valid" {
		t.Errorf("per-line outcomes %v", got)
	}
	if !strings.Contains(res.Body, `data-saved="false"`) || !strings.Contains(res.Body, "192.0.2.1\n198.51.100[.]7") {
		t.Error("the refused paste is not kept in the form, or claims to be saved")
	}
	if n := incIndicators(t, ts, "cn.delegate", ref); n != 0 {
		t.Fatalf("all or nothing saved %d indicators", n)
	}
	// Without "all or nothing": the valid lines are saved, the others reported.
	res = cnDel.post(base+"/indicators", url.Values{"version": {version("cn.delegate")}, "lines": {lines}, "role": {"source"}})
	wantStatus(t, "paste", res, http.StatusOK)
	if !strings.Contains(res.Body, `data-saved="true"`) || incIndicators(t, ts, "cn.delegate", ref) != 4 {
		t.Fatalf("the valid lines were not saved: %d", incIndicators(t, ts, "cn.delegate", ref))
	}
	// Shown defanged: no one clicks them.
	list := cnDel.get(base + "/indicators").Body
	for _, want := range []string{"192[.]0[.]2[.]1", "hxxp[://]bad[.]example[.]com/x", "2001:db8::1"} {
		if !strings.Contains(list, want) {
			t.Errorf("the indicator list does not show %q", want)
		}
	}
	if strings.Contains(list, "http://bad.example.com") {
		t.Error("an indicator is shown live")
	}

	// Claims, then the report.
	for _, claim := range []string{"6月1日至3日，12所高校网站遭到扫描", "扫描来自美国境内的地址"} {
		res = cnDel.post(base+"/claims", url.Values{"version": {version("cn.delegate")}, "text": {claim}, "figure": {"12"}})
		wantRedirect(t, "claim", res, base+"#claims")
	}
	res = cnDel.post(base+"/claims", url.Values{"version": {version("cn.delegate")}, "text": {"\u200b "}, "figure": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "claim-form") {
		t.Fatalf("a claim of invisible characters: status %d", res.StatusCode)
	}
	res = cnDel.post(base+"/report", url.Values{"version": {version("cn.delegate")}})
	wantRedirect(t, "report", res, base)

	// The US head disputes the first claim and the first indicator.
	usHead := ts.as(azEmail("us.head"))
	pos := usHead.get(base + "/positions").Body
	claimRef := firstMatch(regexp.MustCompile(`data-claim="([0-9a-f]{20})"`), pos)
	if claimRef == "" {
		t.Fatal("no claim on the positions page")
	}
	res = usHead.post(base+"/positions", url.Values{"target": {"claim"}, "of": {claimRef}, "kind": {"disputed"}, "reason": {" "},
		"standing": {"0"}, "back": {"positions"}})
	wantStatus(t, "dispute without a reason", res, http.StatusUnprocessableEntity)
	res = usHead.post(base+"/positions", url.Values{"target": {"claim"}, "of": {claimRef}, "kind": {"disputed"},
		"reason": {"The addresses are spoofed."}, "standing": {"0"}, "back": {"positions"}})
	wantRedirect(t, "dispute a claim", res, base+"/positions?claim="+claimRef+"#claim-"+claimRef)
	inds := usHead.get(base + "/indicators").Body
	indRef := firstMatch(regexp.MustCompile(`data-indicator="([0-9a-f]{20})"`), inds)
	res = usHead.post(base+"/positions", url.Values{"target": {"indicator"}, "of": {indRef}, "kind": {"disputed"},
		"reason": {"Not a US address."}, "standing": {"0"}, "back": {"indicators"}})
	wantRedirect(t, "dispute an indicator", res, base+"/indicators#indicator-"+indRef)
	// The same form again, with the standing it saw: a conflict, nothing overwritten.
	res = usHead.post(base+"/positions", url.Values{"target": {"indicator"}, "of": {indRef}, "kind": {"confirmed"},
		"standing": {"0"}, "back": {"indicators"}})
	wantStatus(t, "a stale position", res, http.StatusConflict)
	// The US head names a Chinese claim as its own side's: the side is never a form field.
	res = usHead.post(base+"/positions", url.Values{"target": {"claim"}, "of": {claimRef}, "kind": {"confirmed"},
		"side": {azSide(ts, "CN").PublicID}, "standing": {"0"}, "back": {"positions"}})
	wantStatus(t, "a position for the other side", res, http.StatusConflict)

	// The Chinese head reads both columns, in Chinese.
	cnHead := ts.as(azEmail("cn.head"))
	posPage := cnHead.get(base + "/positions").Body
	row := firstMatch(regexp.MustCompile(`(?s)(<tr id="claim-`+claimRef+`".*?</tr>)`), posPage)
	usCell := firstMatch(regexp.MustCompile(`(?s)<td data-side="US">(.*?)</td>`), row)
	if !strings.Contains(usCell, `data-position="disputed"`) || !strings.Contains(usCell, "有争议") ||
		!strings.Contains(usCell, "The addresses are spoofed.") || !strings.Contains(usCell, "Michael Reed") {
		t.Errorf("the US column of the claim, as the Chinese head reads it: %s", usCell)
	}
	if strings.Contains(usCell, "<form") {
		t.Error("the Chinese head is offered a form in the US column")
	}
	if cnCell := firstMatch(regexp.MustCompile(`(?s)<td data-side="CN">(.*?)</td>`), row); !strings.Contains(cnCell, "尚无立场") || !strings.Contains(cnCell, "<form") {
		t.Errorf("the Chinese column: %s", cnCell)
	}

	// The US observer reads, and is offered nothing to change.
	obs := ts.as(azEmail("us.observer"))
	for _, path := range []string{base, base + "/positions", base + "/indicators", base + "/requests", base + "/attachments"} {
		body := obs.get(path).Body
		if n := strings.Count(body, `method="post"`); n != 2 { // the language switch and signing out
			t.Errorf("the observer is offered %d forms on %s", n, path)
		}
	}
}

// incVersion is an incident's version as the account sees it.
func incVersion(t *testing.T, ts *testServer, who, ref string) int64 {
	t.Helper()
	inc, err := ts.inc.Only(context.Background(), azUser(ts, who), ref)
	if err != nil {
		t.Fatal(err)
	}
	return inc.Version
}

// incIndicators counts an incident's indicators as the account sees them.
func incIndicators(t *testing.T, ts *testServer, who, ref string) int64 {
	t.Helper()
	_, list, err := ts.inc.IndicatorsPage(context.Background(), azUser(ts, who), ref, incidents.IndicatorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return list.Total
}

// Information requests: a due date in the past is refused next to its
// field; the due date shows in both capitals; the request is on the asked
// side's dashboard; the answer goes with a file.
func TestIncidentRequestsOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	inc := azIncident(ts, "us")
	base := "/incidents/" + inc.PublicID
	cnDel := ts.as(azEmail("cn.delegate"))
	zh := ts.srv.msgs.For("zh")
	res := cnDel.post(base+"/requests", url.Values{"question": {"请提供日志。"}, "due": {"2013-07-01"}})
	wantRefusedAt(t, "a past due date", res, "due", zh.T("incident.due_past"), []string{"question"}, zh.T("form.has_errors"))
	if !strings.Contains(res.Body, "请提供日志。") {
		t.Error("the question typed is not kept")
	}
	res = cnDel.post(base+"/requests", url.Values{"question": {"请提供日志。"}, "due": {"2013-07-20"}})
	wantRedirect(t, "ask", res, base+"/requests")
	usHead := ts.as(azEmail("us.head"))
	dash := usHead.get("/").Body
	if !strings.Contains(dash, `id="requests-awaiting"`) || !strings.Contains(dash, "2013-07-20") {
		t.Fatal("the request is not on the US head's dashboard")
	}
	if strings.Contains(ts.as(azEmail("cn.observer")).get("/").Body, "2013-07-20") {
		t.Fatal("the asking side's dashboard lists its own request as awaiting its answer")
	}
	page := usHead.get(base + "/requests").Body
	// Due at the end of 20 July in Beijing: 12:00 that day in Washington, midnight in Beijing.
	if !strings.Contains(page, "2013-07-20T16:00:00Z") {
		t.Errorf("the due date's end is not shown as an instant in both capitals")
	}
	reqRef := ""
	for _, m := range regexp.MustCompile(`data-request="([0-9a-f]{20})" data-status="open"`).FindAllStringSubmatch(page, -1) {
		reqRef = m[1]
	}
	if reqRef == "" {
		t.Fatal("no open request on the page")
	}
	// A file for the answer, then the answer.
	res = usHead.postFile(base+"/attachments", url.Values{"parent": {"request:" + reqRef}}, "logs.csv", []byte("time,address\n2013-05-01T00:00:00Z,192.0.2.1\n"))
	wantRedirect(t, "attach to a request", res, base+"/attachments")
	res = usHead.post(base+"/requests/"+reqRef+"/answer", url.Values{"version": {"1"}, "answer": {" "}})
	wantStatus(t, "an empty answer", res, http.StatusUnprocessableEntity)
	res = usHead.post(base+"/requests/"+reqRef+"/answer", url.Values{"version": {"1"}, "answer": {"The logs are attached."}})
	wantRedirect(t, "answer", res, base+"/requests#request-"+reqRef)
	page = cnDel.get(base + "/requests").Body
	if !strings.Contains(page, "The logs are attached.") || !strings.Contains(page, "logs.csv") {
		t.Error("the asking side does not read the answer and its file")
	}
}

// Evidence: a file's type is read from its content, its size is bounded,
// it is served only as a download, every download is recorded, and the
// list of downloads is the uploading side's alone.
func TestIncidentEvidenceOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	ts.inc.MaxAttachment = 64 << 10
	inc := azIncident(ts, "cn")
	base := "/incidents/" + inc.PublicID
	cnDel := ts.as(azEmail("cn.delegate"))
	res := cnDel.postFile(base+"/attachments", url.Values{}, "report.pdf", []byte("<html><script>alert(1)</script></html>"))
	zh := ts.srv.msgs.For("zh")
	wantRefusedAt(t, "HTML named .pdf", res, "file", zh.T("attachment.type_refused"), nil, zh.T("form.has_errors"))
	res = cnDel.postFile(base+"/attachments", url.Values{}, "big.txt", bytes.Repeat([]byte("a"), 65<<10))
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "file") != zh.T("attachment.too_large") {
		t.Fatalf("an oversized file: status %d, %q", res.StatusCode, fieldError(res.Body, "file"))
	}
	res = cnDel.postFile(base+"/attachments", url.Values{}, "", nil)
	if fieldError(res.Body, "file") != zh.T("attachment.empty") {
		t.Errorf("no file: %q", fieldError(res.Body, "file"))
	}
	res = cnDel.postFile(base+"/attachments", url.Values{"parent": {"request:" + azNoSuchRef}}, "a.txt", []byte("text"))
	if fieldError(res.Body, "parent") == "" {
		t.Error("a file for no such request is not refused next to its field")
	}
	res = cnDel.postFile(base+"/attachments", url.Values{}, "扫描记录.txt", []byte("2013-06-01 192.0.2.1\n"))
	wantRedirect(t, "attach", res, base+"/attachments")
	page := cnDel.get(base + "/attachments").Body
	fileRef := ""
	for _, m := range regexp.MustCompile(`data-file="([0-9a-f]{20})">扫描记录.txt`).FindAllStringSubmatch(page, -1) {
		fileRef = m[1]
	}
	sum := sha256.Sum256([]byte("2013-06-01 192.0.2.1\n"))
	if fileRef == "" || !strings.Contains(page, `<code class="hash">`+hex.EncodeToString(sum[:])+`</code>`) {
		t.Fatalf("the file and its SHA-256 are not listed")
	}
	usHead := ts.as(azEmail("us.head"))
	dl := usHead.get(base + "/attachments/" + fileRef)
	wantStatus(t, "download", dl, http.StatusOK)
	if cd := dl.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''%E6%89%AB") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if dl.Header.Get("X-Content-Type-Options") != "nosniff" || dl.Header.Get("Content-Security-Policy") == "" ||
		!strings.HasPrefix(dl.Header.Get("Content-Type"), "text/plain") || dl.Body != "2013-06-01 192.0.2.1\n" {
		t.Errorf("download headers %v, body %q", dl.Header, dl.Body)
	}
	// The Chinese side reads who downloaded it; the US side does not.
	if page := cnDel.get(base + "/attachments").Body; !strings.Contains(page, "Michael Reed") {
		t.Error("the uploading side does not see the download")
	}
	if page := usHead.get(base + "/attachments").Body; strings.Contains(page, `<ul class="downloads">`) {
		t.Error("the other side reads the download list of a file it did not attach")
	}
	// A file on a US internal note is the US side's alone; its author is
	// offered the way to it from the note.
	_, note := azIncidentComment(ts, "us-note-cn")
	usDel := ts.as(azEmail("us.delegate"))
	if !strings.Contains(usDel.get(base).Body, base+"/attachments?comment="+note.PublicID) {
		t.Error("the note's author is not offered to attach a file to it")
	}
	if strings.Contains(usHead.get(base).Body, "/attachments?comment="+note.PublicID) {
		t.Error("someone other than the note's author is offered to attach a file to it")
	}
	res = usDel.postFile(base+"/attachments", url.Values{"parent": {"comment:" + note.PublicID}}, "internal-analysis.txt", []byte("ours"))
	wantRedirect(t, "attach to an internal note", res, base+"/attachments")
	for _, who := range []string{"cn.head", "cn.delegate", "secretariat"} {
		if strings.Contains(ts.as(azEmail(who)).get(base+"/attachments").Body, "internal-analysis.txt") {
			t.Errorf("%s reads the name of a file on a US internal note", who)
		}
	}
	if !strings.Contains(usHead.get(base+"/attachments").Body, "internal-analysis.txt") {
		t.Error("the US head does not see the file on its side's note")
	}
}

// Every page, list, count, export and history, crawled as every account:
// a draft, internal notes and RED content reach no one who may not see them.
func TestIncidentCrawlKeepsDraftsNotesAndRED(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	draft := azIncident(ts, "usdraft")
	red := azIncident(ts, "cnred")
	cn, us := azIncident(ts, "cn"), azIncident(ts, "us")
	// Canaries: what only some may read.
	usNote := "US-CANARY internal note"
	cnNote := "CN-CANARY 内部备注"
	if _, err := ts.svc.AddComment(ctx, azUser(ts, "us.delegate"), app.Ref{Kind: incidents.KindIncident, ID: cn.ID}, app.Internal, usNote); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.svc.AddComment(ctx, azUser(ts, "cn.delegate"), app.Ref{Kind: incidents.KindIncident, ID: us.ID}, app.Internal, cnNote); err != nil {
		t.Fatal(err)
	}
	redClaim := "电网控制系统遭到入侵。"
	canaries := map[string][]string{ // canary → who may read it
		draft.Title: {"us.head", "us.delegate", "us.observer"},
		usNote:      {"us.head", "us.delegate", "us.observer"},
		cnNote:      {"cn.head", "cn.delegate", "cn.observer"},
		red.Title:   {"us.head", "cn.head", "cn.delegate", "cn.observer"},
		redClaim:    {"us.head", "cn.head", "cn.delegate", "cn.observer"},
	}
	paths := []string{"/", "/incidents", "/incidents?status=draft", "/incidents?q=" + url.QueryEscape("电网"),
		"/incidents?q=Scanning", "/incidents/stats", "/incidents/export.csv", "/audit"}
	for _, inc := range []*incidents.Incident{draft, red, cn, us} {
		for _, p := range []string{"", "/positions", "/indicators", "/requests", "/attachments", "/history", "/export.csv", "/stix.json"} {
			paths = append(paths, "/incidents/"+inc.PublicID+p)
		}
	}
	counts := map[string]string{}
	for _, who := range azAccounts {
		c := ts.as(azEmail(who))
		var all strings.Builder
		for _, path := range paths {
			res := c.get(path)
			all.WriteString(res.Body)
			if path == "/incidents" {
				counts[who] = firstMatch(regexp.MustCompile(`<span class="count">(\d+)</span>`), res.Body)
			}
		}
		body := all.String()
		for canary, readers := range canaries {
			may := false
			for _, r := range readers {
				may = may || r == who
			}
			if !may && strings.Contains(body, canary) {
				t.Errorf("%s reads %q", who, canary)
			}
			if may && !strings.Contains(body, canary) {
				t.Errorf("%s does not read %q", who, canary)
			}
		}
	}
	// Counts: the RED report and the draft count only for those who see them.
	want := map[string]string{"us.head": "4", "us.delegate": "3", "us.observer": "3", "cn.head": "3", "cn.delegate": "3",
		"cn.observer": "3", "secretariat": "2", "admin": "2"}
	for who, n := range want {
		if counts[who] != n {
			t.Errorf("%s counts %s incidents, want %s", who, counts[who], n)
		}
	}
}

// Exports: the list and an incident's indicators as CSV, formula-safe;
// the STIX bundle with the TLP marking and each side's opinions.
func TestIncidentExportsOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	inc := azIncident(ts, "cn")
	base := "/incidents/" + inc.PublicID
	cnDel := ts.as(azEmail("cn.delegate"))
	// A reason that starts like a formula reaches the CSV with an indicator's position.
	res := cnDel.post(base+"/positions", url.Values{"target": {"indicator"}, "of": {firstMatch(regexp.MustCompile(`data-indicator="([0-9a-f]{20})"`),
		cnDel.get(base+"/indicators").Body)}, "kind": {"disputed"}, "reason": {"=HYPERLINK(\"http://x\")"}, "standing": {"0"}, "back": {"indicators"}})
	wantRedirect(t, "a formula as a reason", res, base+"/indicators")
	sec := ts.as(azEmail("secretariat"))
	csvRes := sec.get(base + "/export.csv")
	wantStatus(t, "CSV", csvRes, http.StatusOK)
	if !strings.HasPrefix(csvRes.Header.Get("Content-Disposition"), "attachment;") {
		t.Error("the CSV is not a download")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvRes.Body, "\ufeff"))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("CSV: %v, %d rows", err, len(rows))
	}
	for _, r := range rows {
		for _, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("a cell starts with %q: %q", cell[:1], cell)
			}
		}
	}
	list := sec.get("/incidents/export.csv")
	if strings.Contains(list.Body, "Theft of intellectual property") {
		t.Error("the secretariat exports the US AMBER report in the list")
	}
	if !strings.Contains(list.Body, inc.Title) {
		t.Error("the list export lacks the GREEN report")
	}
	stix := sec.get(base + "/stix.json")
	wantStatus(t, "STIX", stix, http.StatusOK)
	var bundle struct {
		Type    string           `json:"type"`
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal([]byte(stix.Body), &bundle); err != nil || bundle.Type != "bundle" {
		t.Fatalf("STIX: %v %q", err, bundle.Type)
	}
	kinds := map[string]int{}
	for _, o := range bundle.Objects {
		kinds[fmt.Sprint(o["type"])]++
	}
	if kinds["opinion"] == 0 || kinds["indicator"] == 0 || kinds["report"] != 1 || kinds["marking-definition"] == 0 {
		t.Errorf("STIX objects %v", kinds)
	}
	if strings.Contains(stix.Body, "内部") {
		t.Error("the STIX bundle carries an internal note")
	}
}

// The marking: only the reporting side changes it, lowering needs a reason
// kept in the history, and a RED report reaches its named recipients only.
func TestIncidentMarkingOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	inc := azIncident(ts, "cn")
	base := "/incidents/" + inc.PublicID
	cnHead := ts.as(azEmail("cn.head"))
	res := cnHead.post(base+"/tlp", url.Values{"version": {itoa(inc.Version)}, "tlp": {"RED"}, "reason": {""}})
	wantRedirect(t, "raise to RED", res, base)
	for _, who := range []string{"us.head", "secretariat", "us.observer"} {
		if st := ts.as(azEmail(who)).get(base).StatusCode; st != http.StatusNotFound {
			t.Errorf("%s reads a RED report with no recipients: %d", who, st)
		}
	}
	inc = azIncident(ts, "cn")
	res = cnHead.post(base+"/recipients", url.Values{"version": {itoa(inc.Version)}, "recipient-" + azUser(ts, "secretariat").PublicID: {"1"}})
	wantRedirect(t, "name the secretariat", res, base+"#tlp")
	if st := ts.as(azEmail("secretariat")).get(base).StatusCode; st != http.StatusOK {
		t.Errorf("the named secretariat does not read it: %d", st)
	}
	if st := ts.as(azEmail("us.head")).get(base).StatusCode; st != http.StatusNotFound {
		t.Errorf("the US head, not named, reads it: %d", st)
	}
	inc = azIncident(ts, "cn")
	res = cnHead.post(base+"/tlp", url.Values{"version": {itoa(inc.Version)}, "tlp": {"GREEN"}, "reason": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "reason") == "" && !strings.Contains(res.Body, "field-error") {
		t.Fatalf("lowering without a reason: status %d", res.StatusCode)
	}
	res = cnHead.post(base+"/tlp", url.Values{"version": {itoa(inc.Version)}, "tlp": {"GREEN"}, "reason": {"The US side needs it."}})
	wantRedirect(t, "lower to GREEN", res, base)
	hist := cnHead.get(base + "/history").Body
	if !strings.Contains(hist, "The US side needs it.") {
		t.Error("the history does not keep the reason for lowering")
	}
}

// The list: filters by status, side, category and marking, and search.
func TestIncidentListFiltersOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	c := ts.as(azEmail("us.head"))
	rows := func(path string) int {
		res := c.get(path)
		wantStatus(t, path, res, http.StatusOK)
		return strings.Count(res.Body, "<tr data-incident=")
	}
	for path, want := range map[string]int{
		"/incidents": 4, "/incidents?status=draft": 1, "/incidents?tlp=RED": 1, "/incidents?category=data_theft": 1,
		"/incidents?side=" + azSide(ts, "CN").PublicID: 2, "/incidents?q=Theft": 1, "/incidents?q=" + url.QueryEscape("攻击"): 2,
		"/incidents?status=bogus&tlp=PURPLE&category=x": 4,
	} {
		if got := rows(path); got != want {
			t.Errorf("%s lists %d incidents, want %d", path, got, want)
		}
	}
}
