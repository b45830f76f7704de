package web

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/parley/parley/app"
)

// apiCall sends a witness API request with the given token ("" for none).
func (ts *testServer) apiCall(method, path, token, body string) (int, string) {
	ts.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, ts.http.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// apiJSON posts a JSON batch of cosigned notes.
func (ts *testServer) apiJSON(token, body string) (int, string) {
	ts.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ts.http.URL+"/api/witness/cosign", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var tokenRE = regexp.MustCompile(`pwt_[A-Za-z0-9_-]{43}`)

// makeWitness makes a witness key and, through the tokens page, a token.
func makeWitness(t *testing.T, ts *testServer, head, name string) (token string, signer note.Signer) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	res := ts.as(azEmail(head)).post("/account/witnesses", url.Values{"label": {name}, "key": {vkey}})
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("make token: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	token = tokenRE.FindString(res.Body)
	if token == "" {
		t.Fatalf("the new token is not shown:\n%s", res.Body)
	}
	signer, _ = note.NewSigner(skey)
	return token, signer
}

func TestWitnessTokensPage(t *testing.T) {
	ts := newTestServer(t)
	head := ts.as(azEmail("us.head"))
	page := head.get("/account/witnesses")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, ts.svc.LogVerifierKey()) {
		t.Fatalf("tokens page should show the server's key: %d", page.StatusCode)
	}
	// A bad key is refused next to the field, keeping what was typed.
	res := head.post("/account/witnesses", url.Values{"label": {"Ops room witness"}, "key": {"not a key"}})
	if !wantRefusedAt(t, "bad witness key", res, "key", ts.srv.msgs.For("en").T("witness.key_invalid"), []string{"label"}, ts.srv.msgs.For("en").T("form.has_errors")) {
		t.Fatal(res.Body)
	}
	if !strings.Contains(res.Body, `value="Ops room witness"`) {
		t.Fatal("the label typed is lost")
	}
	token, _ := makeWitness(t, ts, "us.head", "us-witness")
	// Shown once: the list shows the label, never the token.
	again := head.get("/account/witnesses")
	if strings.Contains(again.Body, token) || !strings.Contains(again.Body, "us-witness") {
		t.Fatal("the token list shows the token, or not the witness")
	}
	// The other delegation's head does not see it.
	if strings.Contains(ts.as(azEmail("cn.head")).get("/account/witnesses").Body, "us-witness") {
		t.Fatal("the CN head sees the US witness tokens")
	}
	// Revoked, it stops working at once.
	if code, _ := ts.apiCall(http.MethodGet, "/api/witness/logs", token, ""); code != http.StatusOK {
		t.Fatalf("fresh token: %d", code)
	}
	tokens, err := ts.svc.WitnessTokens(context.Background(), azUser(ts, "us.head"))
	if err != nil || len(tokens) != 1 {
		t.Fatal(tokens, err)
	}
	if res := ts.as(azEmail("cn.head")).post("/account/witnesses/"+tokens[0].PublicID+"/revoke", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("the CN head revoking a US token: %d", res.StatusCode)
	}
	wantRedirect(t, "revoke", head.post("/account/witnesses/"+tokens[0].PublicID+"/revoke", nil), "/account/witnesses")
	if code, _ := ts.apiCall(http.MethodGet, "/api/witness/logs", token, ""); code != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", code)
	}
}

func TestWitnessAPI(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	usToken, usSigner := makeWitness(t, ts, "us.head", "us-witness")
	cnToken, _ := makeWitness(t, ts, "cn.head", "cn-witness")
	if _, err := ts.svc.SignCheckpoints(ctx); err != nil {
		t.Fatal(err)
	}
	// A session is no credential for the API.
	head := ts.as(azEmail("us.head"))
	if res := head.get("/api/witness/logs"); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("session on the API: %d", res.StatusCode)
	}
	code, body := ts.apiCall(http.MethodGet, "/api/witness/logs", usToken, "")
	if code != http.StatusOK {
		t.Fatalf("logs: %d %s", code, body)
	}
	var page witnessLogsPage
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatal(err)
	}
	if page.Side != "US" || page.ServerKey != ts.svc.LogVerifierKey() {
		t.Fatalf("page %+v", page)
	}
	var names []string
	for _, l := range page.Logs {
		names = append(names, l.Log)
	}
	// The US witness follows the shared log, its own, and the logs of the
	// incidents the whole delegation may see; never the CN delegation's own.
	if all := strings.Join(names, ","); !strings.Contains(all, "log-") {
		t.Fatalf("the US witness follows no incident's log: %v", names)
	}
	for _, n := range names {
		if n == "side-cn" || n == "side-sec" {
			t.Fatalf("the US witness sees %s", n)
		}
	}
	if !strings.Contains(strings.Join(names, ","), "shared") || !strings.Contains(strings.Join(names, ","), "side-us") {
		t.Fatalf("logs %v", names)
	}
	// The CN witness sees neither the US log nor the US draft's log.
	code, body = ts.apiCall(http.MethodGet, "/api/witness/logs", cnToken, "")
	if code != http.StatusOK || strings.Contains(body, `"side-us"`) {
		t.Fatalf("CN logs: %d %s", code, body)
	}
	if code, _ := ts.apiCall(http.MethodGet, "/api/witness/proof?log=side-us&old=1&new=1", cnToken, ""); code != http.StatusNotFound {
		t.Fatalf("CN proof of side-us: %d", code)
	}
	if code, _ := ts.apiCall(http.MethodGet, "/api/witness/export?log=side-us", cnToken, ""); code != http.StatusNotFound {
		t.Fatalf("CN export of side-us: %d", code)
	}
	if code, _ := ts.apiCall(http.MethodGet, "/api/witness/proof?log=shared&old=0&new=1", usToken, ""); code != http.StatusBadRequest {
		t.Fatalf("a proof from size 0: %d", code)
	}
	// Cosigning: no CSRF token needed (no cookie is read), the witness's signature required.
	shared := page.Logs[0]
	for _, l := range page.Logs {
		if l.Log == "shared" {
			shared = l
		}
	}
	n, err := note.Open([]byte(shared.Checkpoint), note.VerifierList(mustVerifier(t, ts.svc.LogVerifierKey())))
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := ts.apiCall(http.MethodPost, "/api/witness/cosign", usToken, shared.Checkpoint); code != http.StatusBadRequest {
		t.Fatalf("cosign without the witness's signature: %d", code)
	}
	signed, _ := note.Sign(n, usSigner)
	// A batch with one bad note records nothing.
	batch, _ := json.Marshal([]string{string(signed), shared.Checkpoint})
	if code, _ := ts.apiJSON(usToken, string(batch)); code != http.StatusBadRequest {
		t.Fatalf("a batch with an unsigned note: %d", code)
	}
	if chains, _ := ts.svc.AuditChains(ctx, azUser(ts, "cn.head")); len(chains[0].Log.Cosigned) != 0 {
		t.Fatal("a refused batch recorded a cosignature")
	}
	if code, body := ts.apiCall(http.MethodPost, "/api/witness/cosign", usToken, string(signed)); code != http.StatusNoContent {
		t.Fatalf("cosign: %d %s", code, body)
	}
	if code, _ := ts.apiCall(http.MethodPost, "/api/witness/cosign", cnToken, string(signed)); code != http.StatusBadRequest {
		t.Fatalf("CN posting the US cosignature: %d", code)
	}
	// The audit page shows who cosigned.
	chains, err := ts.svc.AuditChains(ctx, azUser(ts, "cn.head"))
	if err != nil || chains[0].Log == nil || len(chains[0].Log.Cosigned) != 1 || chains[0].Log.Cosigned[0].Side != "US" {
		t.Fatalf("audit chains %+v %v", chains, err)
	}
	if res := ts.as(azEmail("cn.head")).get("/audit"); res.StatusCode != http.StatusOK {
		t.Fatalf("audit page: %d", res.StatusCode)
	}
	// The export verifies offline with the US key.
	code, body = ts.apiCall(http.MethodGet, "/api/witness/export?log=shared", usToken, "")
	if code != http.StatusOK {
		t.Fatalf("export: %d %s", code, body)
	}
	tokens, _ := ts.svc.WitnessTokens(ctx, azUser(ts, "us.head"))
	if _, err := app.VerifyExport(strings.NewReader(body), ts.svc.LogVerifierKey(), []string{tokens[0].Key}); err != nil {
		t.Fatalf("export: %v", err)
	}
}

func mustVerifier(t *testing.T, vkey string) note.Verifier {
	t.Helper()
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
