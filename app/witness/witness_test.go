package witness

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/parley/parley/app"
)

// tree is a log's Merkle tree held by the fake server.
type tree struct{ stored []tlog.Hash }

func (t *tree) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		if x >= int64(len(t.stored)) {
			return nil, errors.New("no such hash")
		}
		out[i] = t.stored[x]
	}
	return out, nil
}

func (t *tree) add(n int64, data string) {
	hs, err := tlog.StoredHashes(n, []byte(data), t)
	if err != nil {
		panic(err)
	}
	t.stored = append(t.stored, hs...)
}

// grow returns a tree of n leaves named prefix0, prefix1, …
func grow(n int, prefix string) *tree {
	t := &tree{}
	for i := 0; i < n; i++ {
		t.add(int64(i), prefix+strconv.Itoa(i))
	}
	return t
}

// view is what the fake server shows one witness of one log: a tree, the
// size to show, and the checkpoint's time.
type view struct {
	t    *tree
	size int64
	at   time.Time
}

// fake is a witness API whose answers a test controls per token: it can
// show a witness a truncated, forked or old log.
type fake struct {
	mu      sync.Mutex
	signer  note.Signer
	vkey    string
	sides   map[string]string                     // token -> side
	views   map[string]map[string]view            // token -> log -> view
	cosigns map[string]map[string]app.LogCosigned // log -> side -> newest cosignature
	keys    map[string]string                     // side -> witness verifier key
}

func newFake(t *testing.T) *fake {
	skey, vkey, err := note.GenerateKey(rand.Reader, "fake-server")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := note.NewSigner(skey)
	return &fake{signer: s, vkey: vkey, sides: map[string]string{}, views: map[string]map[string]view{},
		cosigns: map[string]map[string]app.LogCosigned{}, keys: map[string]string{}}
}

func (f *fake) checkpoint(log string, v view) string {
	root, err := tlog.TreeHash(v.size, v.t)
	if err != nil {
		panic(err)
	}
	b, err := note.Sign(&note.Note{Text: app.FormatCheckpoint(f.signer.Name()+"/"+log, v.size, root, v.at)}, f.signer)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func (f *fake) show(token, log string, v view) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.views[token] == nil {
		f.views[token] = map[string]view{}
	}
	f.views[token][log] = v
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	side, ok := f.sides[token]
	if !ok {
		http.Error(w, `{"error":"bad token"}`, http.StatusUnauthorized)
		return
	}
	views := f.views[token]
	switch r.URL.Path {
	case "/api/witness/logs":
		page := logsPage{ServerKey: f.vkey, Side: side}
		for _, log := range []string{"shared", "side-" + strings.ToLower(side)} {
			v, ok := views[log]
			if !ok {
				continue
			}
			st := app.LogState{Log: log, Checkpoint: f.checkpoint(log, v)}
			for _, c := range f.cosigns[log] {
				st.Cosigned = append(st.Cosigned, c)
			}
			page.Logs = append(page.Logs, st)
		}
		_ = json.NewEncoder(w).Encode(page)
	case "/api/witness/proof":
		v := views[r.URL.Query().Get("log")]
		older, _ := strconv.ParseInt(r.URL.Query().Get("old"), 10, 64)
		newer, _ := strconv.ParseInt(r.URL.Query().Get("new"), 10, 64)
		p, err := tlog.ProveTree(newer, older, v.t)
		if err != nil {
			http.Error(w, `{"error":"no proof"}`, http.StatusBadRequest)
			return
		}
		out := make([]string, len(p))
		for i, h := range p {
			out[i] = base64.StdEncoding.EncodeToString(h[:])
		}
		_ = json.NewEncoder(w).Encode(map[string][]string{"proof": out})
	case "/api/witness/cosign":
		b, _ := io.ReadAll(r.Body)
		var notes []string
		if err := json.Unmarshal(b, &notes); err != nil {
			http.Error(w, `{"error":"not a list of notes"}`, http.StatusBadRequest)
			return
		}
		for _, n := range notes {
			text, _ := app.NoteText(n)
			cp, err := app.ParseCheckpoint(text)
			if err != nil {
				http.Error(w, `{"error":"bad note"}`, http.StatusBadRequest)
				return
			}
			if f.cosigns[cp.Log] == nil {
				f.cosigns[cp.Log] = map[string]app.LogCosigned{}
			}
			f.cosigns[cp.Log][side] = app.LogCosigned{Side: side, Key: f.keys[side], Note: n, At: time.Now()}
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// party is one delegation's witness against the fake server.
type party struct {
	cfg   Config
	token string
}

func (f *fake) party(t *testing.T, srv *httptest.Server, side string) party {
	skey, vkey, err := note.GenerateKey(rand.Reader, strings.ToLower(side)+"-witness")
	if err != nil {
		t.Fatal(err)
	}
	token := "pwt_" + side
	f.mu.Lock()
	f.sides[token], f.keys[side] = side, vkey
	f.mu.Unlock()
	return party{token: token, cfg: Config{URL: srv.URL, Token: token, StateDir: t.TempDir(), SignerKey: skey, Client: srv.Client()}}
}

func (p party) run(t *testing.T) (*Result, error) {
	t.Helper()
	var out strings.Builder
	cfg := p.cfg
	cfg.Out = &out
	res, err := Run(context.Background(), cfg)
	t.Logf("witness %s:\n%s", p.token, out.String())
	return res, err
}

func wantTamper(t *testing.T, err error, log string, words ...string) {
	t.Helper()
	var te *TamperError
	if !errors.As(err, &te) {
		t.Fatalf("want tampering evidence on log %s, got %v", log, err)
	}
	if te.Log != log {
		t.Fatalf("tampering named log %s, want %s: %v", te.Log, log, te)
	}
	for _, w := range words {
		if !strings.Contains(te.Error(), w) {
			t.Fatalf("tampering message %q lacks %q", te, w)
		}
	}
}

var t0 = time.Date(2013, 7, 10, 9, 0, 0, 0, time.UTC)

func TestWitnessCosignsAGrowingLog(t *testing.T) {
	f := newFake(t)
	srv := httptest.NewServer(f)
	defer srv.Close()
	us := f.party(t, srv, "US")
	shared := grow(20, "r")
	f.show(us.token, "shared", view{t: shared, size: 10, at: t0})
	f.show(us.token, "side-us", view{t: grow(3, "u"), size: 3, at: t0})
	res, err := us.run(t)
	if err != nil || res.Cosigned != 2 || res.Logs != 2 {
		t.Fatalf("first run: %+v %v", res, err)
	}
	f.show(us.token, "shared", view{t: shared, size: 20, at: t0.Add(time.Minute)})
	res, err = us.run(t)
	if err != nil || res.Cosigned != 1 {
		t.Fatalf("grown log: %+v %v", res, err)
	}
	// Nothing new: nothing to cosign.
	if res, err = us.run(t); err != nil || res.Cosigned != 0 {
		t.Fatalf("unchanged log: %+v %v", res, err)
	}
}

func TestWitnessCatchesTruncation(t *testing.T) {
	f := newFake(t)
	srv := httptest.NewServer(f)
	defer srv.Close()
	us := f.party(t, srv, "US")
	shared := grow(12, "r")
	f.show(us.token, "shared", view{t: shared, size: 12, at: t0})
	if _, err := us.run(t); err != nil {
		t.Fatal(err)
	}
	// The server drops the last records and signs the shorter log afresh.
	f.show(us.token, "shared", view{t: grow(9, "r"), size: 9, at: t0.Add(time.Hour)})
	_, err := us.run(t)
	wantTamper(t, err, "shared", "size 9", "size 12", "truncated")
}

func TestWitnessCatchesARewrittenTree(t *testing.T) {
	f := newFake(t)
	srv := httptest.NewServer(f)
	defer srv.Close()
	us := f.party(t, srv, "US")
	f.show(us.token, "shared", view{t: grow(8, "r"), size: 8, at: t0})
	if _, err := us.run(t); err != nil {
		t.Fatal(err)
	}
	// Record 3 rewritten, everything recomputed, and the log grown on top.
	rewritten := &tree{}
	for i := 0; i < 12; i++ {
		data := "r" + strconv.Itoa(i)
		if i == 3 {
			data = "forged"
		}
		rewritten.add(int64(i), data)
	}
	f.show(us.token, "shared", view{t: rewritten, size: 12, at: t0.Add(time.Hour)})
	_, err := us.run(t)
	wantTamper(t, err, "shared", "size 12", "size 8", "rewritten")
}

func TestWitnessCatchesAReplayedCheckpoint(t *testing.T) {
	f := newFake(t)
	srv := httptest.NewServer(f)
	defer srv.Close()
	us := f.party(t, srv, "US")
	shared := grow(10, "r")
	f.show(us.token, "shared", view{t: shared, size: 10, at: t0.Add(time.Hour)})
	if _, err := us.run(t); err != nil {
		t.Fatal(err)
	}
	// An older checkpoint of the same log, to hide what came since.
	f.show(us.token, "shared", view{t: shared, size: 6, at: t0})
	_, err := us.run(t)
	wantTamper(t, err, "shared", "replay")
}

func TestWitnessCatchesAForkShownToTheTwoDelegations(t *testing.T) {
	f := newFake(t)
	srv := httptest.NewServer(f)
	defer srv.Close()
	us, cn := f.party(t, srv, "US"), f.party(t, srv, "CN")
	honest := grow(10, "r")
	forked := &tree{}
	for i := 0; i < 10; i++ {
		data := "r" + strconv.Itoa(i)
		if i == 7 {
			data = "what CN is told"
		}
		forked.add(int64(i), data)
	}
	// Each side sees a consistent history of its own, of the same size.
	f.show(us.token, "shared", view{t: honest, size: 10, at: t0})
	f.show(cn.token, "shared", view{t: forked, size: 10, at: t0})
	if _, err := us.run(t); err != nil {
		t.Fatal(err)
	}
	// CN's witness sees the US cosignature of another tree of the same size.
	_, err := cn.run(t)
	wantTamper(t, err, "shared", "fork", "US")
	// And the US witness, next run, sees CN's (had it cosigned) — here CN
	// refused, so the US check passes on its own view.
	if _, err := us.run(t); err != nil {
		t.Fatal(err)
	}
}

func TestWitnessCatchesAChangedServerKeyAndAHiddenLog(t *testing.T) {
	f := newFake(t)
	srv := httptest.NewServer(f)
	defer srv.Close()
	us := f.party(t, srv, "US")
	f.show(us.token, "shared", view{t: grow(4, "r"), size: 4, at: t0})
	f.show(us.token, "side-us", view{t: grow(4, "u"), size: 4, at: t0})
	if _, err := us.run(t); err != nil {
		t.Fatal(err)
	}
	// The delegation's own log disappears from the listing.
	f.mu.Lock()
	delete(f.views[us.token], "side-us")
	f.mu.Unlock()
	_, err := us.run(t)
	wantTamper(t, err, "side-us", "no longer shows")
	// A new server key: the old checkpoints cannot be the new key's.
	skey, vkey, _ := note.GenerateKey(rand.Reader, "fake-server")
	f.mu.Lock()
	f.signer, _ = note.NewSigner(skey)
	f.vkey = vkey
	f.mu.Unlock()
	_, err = us.run(t)
	var te *TamperError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "key") {
		t.Fatalf("a new server key: %v", err)
	}
}

func TestWitnessRefusesABadToken(t *testing.T) {
	f := newFake(t)
	srv := httptest.NewServer(f)
	defer srv.Close()
	us := f.party(t, srv, "US")
	us.cfg.Token = "pwt_wrong"
	_, err := us.run(t)
	var te *TamperError
	if err == nil || errors.As(err, &te) || !strings.Contains(err.Error(), "401") {
		t.Fatalf("bad token: %v", err)
	}
}
