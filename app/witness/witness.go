// Package witness is the program a delegation runs on its own machine to
// hold Parley's server to its audit logs (parley witness). Each run it reads
// the checkpoints of the logs its delegation may see through the witness
// API, checks that each extends the checkpoint it cosigned last (a
// consistency proof), cosigns it with the delegation's key — which never
// leaves the witness machine — and checks the other delegation's newest
// cosignatures against its own view, so that a server showing the two
// sides different histories is caught. It stores what it cosigned in its
// state directory; it trusts nothing else.
//
// A check that fails is tampering evidence (a *TamperError): the run goes
// on with the other logs, keeps the last good state of the failed log, and
// ends with an error. It never retries silently.
package witness

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/parley/parley/app"
)

// Config is one witness run.
type Config struct {
	URL       string // the server's base address
	Token     string // the delegation's witness token
	StateDir  string
	SignerKey string // the delegation's private note key
	// ServerKey, when set, is the server's verifier key to expect; else the
	// key seen on the first run is pinned in the state directory.
	ServerKey string
	// PeerKeys are the other delegations' witness verifier keys, exchanged
	// out of band; a side without one is pinned on first sight.
	PeerKeys []string
	Client   *http.Client
	Out      io.Writer // a line per log that changed, and the summary
}

// TamperError is evidence that the server's logs were rewritten, truncated,
// forked or replayed.
type TamperError struct {
	Log    string
	Reason string
}

func (e *TamperError) Error() string { return "log " + e.Log + ": " + e.Reason }

// Result sums up a run.
type Result struct {
	Logs     int // logs checked
	Cosigned int
	Tampered []*TamperError
	Warnings []string
}

// state is what the witness keeps between runs.
type state struct {
	ServerKey string            `json:"server_key"`
	Side      string            `json:"side"`
	Logs      map[string]string `json:"logs"`  // log -> the server-signed checkpoint last accepted
	Peers     map[string]string `json:"peers"` // side -> witness verifier key pinned
}

const stateFile = "state.json"

func loadState(dir string) (*state, error) {
	st := &state{Logs: map[string]string{}, Peers: map[string]string{}}
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("state %s: %w", filepath.Join(dir, stateFile), err)
	}
	if st.Logs == nil {
		st.Logs = map[string]string{}
	}
	if st.Peers == nil {
		st.Peers = map[string]string{}
	}
	return st, nil
}

// save writes the state atomically: a crash leaves the old or the new one.
func (st *state) save(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, stateFile+".*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	if err := errors.Join(werr, tmp.Sync(), tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, stateFile))
}

type client struct {
	base  string
	token string
	http  *http.Client
}

// cosignBatch is the number of cosigned notes posted at once.
const cosignBatch = 200

func (c *client) do(ctx context.Context, method, path string, body io.Reader, out any, contentType ...string) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "text/plain; charset=utf-8")
		if len(contentType) > 0 {
			req.Header.Set("Content-Type", contentType[0])
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Error string }
		_ = json.Unmarshal(b, &e)
		if e.Error == "" {
			e.Error = strings.TrimSpace(string(b))
		}
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, e.Error)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

type logsPage struct {
	ServerKey string         `json:"server_key"`
	Side      string         `json:"side"`
	Logs      []app.LogState `json:"logs"`
	Next      string         `json:"next"`
}

func (c *client) proof(ctx context.Context, log string, older, newer int64) (tlog.TreeProof, error) {
	var out struct{ Proof []string }
	q := url.Values{"log": {log}, "old": {strconv.FormatInt(older, 10)}, "new": {strconv.FormatInt(newer, 10)}}
	if err := c.do(ctx, http.MethodGet, "/api/witness/proof?"+q.Encode(), nil, &out); err != nil {
		return nil, err
	}
	p := make(tlog.TreeProof, len(out.Proof))
	for i, s := range out.Proof {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != tlog.HashSize {
			return nil, errors.New("malformed proof")
		}
		copy(p[i][:], b)
	}
	return p, nil
}

// checkExtends checks that the tree (newer) extends the tree (older),
// fetching a consistency proof when their sizes differ.
func (c *client) checkExtends(ctx context.Context, log string, older, newer app.Checkpoint) error {
	switch {
	case older.Size == newer.Size:
		if older.Root != newer.Root {
			return &TamperError{Log: log, Reason: fmt.Sprintf("two different trees of size %d (fork): root %s and root %s", newer.Size, older.Root, newer.Root)}
		}
		return nil
	case older.Size > newer.Size:
		return &TamperError{Log: log, Reason: fmt.Sprintf("the tree of size %d is smaller than the tree of size %d it should extend (truncated or replayed)", newer.Size, older.Size)}
	case older.Size == 0:
		return nil
	}
	p, err := c.proof(ctx, log, older.Size, newer.Size)
	if err != nil {
		return &TamperError{Log: log, Reason: fmt.Sprintf("no consistency proof from size %d to size %d: %v", older.Size, newer.Size, err)}
	}
	if err := tlog.CheckTree(p, newer.Size, newer.Root, older.Size, older.Root); err != nil {
		return &TamperError{Log: log, Reason: fmt.Sprintf("the tree of size %d does not extend the tree of size %d: the log was rewritten (%v)", newer.Size, older.Size, err)}
	}
	return nil
}

// Run is one witness run.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	signer, err := note.NewSigner(cfg.SignerKey)
	if err != nil {
		return nil, fmt.Errorf("witness key: %w", err)
	}
	out := cfg.Out
	if out == nil {
		out = io.Discard
	}
	hc := cfg.Client
	if hc == nil {
		hc = &http.Client{Timeout: time.Minute}
	}
	c := &client{base: strings.TrimRight(cfg.URL, "/"), token: cfg.Token, http: hc}
	st, err := loadState(cfg.StateDir)
	if err != nil {
		return nil, err
	}
	peers := map[string]note.Verifier{} // by key name
	for _, k := range cfg.PeerKeys {
		v, err := note.NewVerifier(strings.TrimSpace(k))
		if err != nil {
			return nil, fmt.Errorf("peer key %q: %w", k, err)
		}
		peers[v.Name()] = v
	}
	res := &Result{}
	tamper := func(err error) bool {
		var te *TamperError
		if errors.As(err, &te) {
			res.Tampered = append(res.Tampered, te)
			fmt.Fprintf(out, "TAMPERING: %s\n", te)
			return true
		}
		return false
	}

	var server note.Verifier
	var pending []string // cosigned notes to post
	listed := map[string]bool{}
	after := ""
	for {
		var page logsPage
		if err := c.do(ctx, http.MethodGet, "/api/witness/logs?"+url.Values{"after": {after}}.Encode(), nil, &page); err != nil {
			return res, err
		}
		if server == nil {
			want := cfg.ServerKey
			if want == "" {
				want = st.ServerKey
			}
			if want != "" && strings.TrimSpace(want) != page.ServerKey {
				return res, &TamperError{Log: "*", Reason: fmt.Sprintf("the server now signs with key %q, not the key %q this witness trusts", page.ServerKey, want)}
			}
			if server, err = note.NewVerifier(page.ServerKey); err != nil {
				return res, fmt.Errorf("server key %q: %w", page.ServerKey, err)
			}
			if st.ServerKey == "" {
				st.ServerKey = page.ServerKey
				fmt.Fprintf(out, "pinned the server key %s\n", page.ServerKey)
			}
			if st.Side != "" && st.Side != page.Side {
				return res, fmt.Errorf("this state directory belongs to the witness of %s; the token is of %s", st.Side, page.Side)
			}
			st.Side = page.Side
		}
		for _, l := range page.Logs {
			listed[l.Log] = true
			res.Logs++
			signed, err := c.witnessLog(ctx, st, server, signer, peers, l, out)
			if err != nil && !tamper(err) {
				return res, err
			}
			if signed != "" {
				pending = append(pending, signed)
			}
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	// A log this witness followed that the server no longer shows: for the
	// shared log and the delegation's own, that is tampering; an object's
	// log may have left the delegation's sight (marked RED, say).
	var gone []string
	for name := range st.Logs {
		if !listed[name] {
			gone = append(gone, name)
		}
	}
	sort.Strings(gone)
	for _, name := range gone {
		if name == app.ChainShared || name == "side-"+strings.ToLower(st.Side) {
			tamper(&TamperError{Log: name, Reason: "the server no longer shows this log"})
		} else {
			res.Warnings = append(res.Warnings, "log "+name+" is no longer shown to this delegation")
		}
	}
	// The cosignatures go back in batches, each recorded whole or not at all;
	// the state is saved only once the server has them all.
	for len(pending) > 0 {
		n := min(len(pending), cosignBatch)
		body, _ := json.Marshal(pending[:n])
		if err := c.do(ctx, http.MethodPost, "/api/witness/cosign", bytes.NewReader(body), nil, "application/json"); err != nil {
			return res, fmt.Errorf("cosign: %w", err)
		}
		res.Cosigned += n
		pending = pending[n:]
	}
	if err := st.save(cfg.StateDir); err != nil {
		return res, err
	}
	fmt.Fprintf(out, "%d logs checked, %d cosigned, %d tampered\n", res.Logs, res.Cosigned, len(res.Tampered))
	if len(res.Tampered) > 0 {
		return res, res.Tampered[0]
	}
	return res, nil
}

// witnessLog checks one log and returns its checkpoint cosigned, or "" when
// this delegation has cosigned it already.
func (c *client) witnessLog(ctx context.Context, st *state, server note.Verifier, signer note.Signer,
	peers map[string]note.Verifier, l app.LogState, out io.Writer) (string, error) {
	n, err := note.Open([]byte(l.Checkpoint), note.VerifierList(server))
	if err != nil {
		return "", &TamperError{Log: l.Log, Reason: "checkpoint not signed by the server's key: " + err.Error()}
	}
	cp, err := app.ParseCheckpoint(n.Text)
	if err != nil || cp.Log != l.Log || cp.Origin != server.Name()+"/"+l.Log {
		return "", &TamperError{Log: l.Log, Reason: "checkpoint is not of this log"}
	}
	if prevNote, ok := st.Logs[l.Log]; ok {
		pn, err := note.Open([]byte(prevNote), note.VerifierList(server))
		if err != nil {
			return "", fmt.Errorf("log %s: stored checkpoint: %w", l.Log, err)
		}
		prev, err := app.ParseCheckpoint(pn.Text)
		if err != nil {
			return "", err
		}
		if cp.At.Before(prev.At) {
			return "", &TamperError{Log: l.Log, Reason: fmt.Sprintf("the server shows a checkpoint of %s (size %d), older than the one of %s (size %d) already cosigned: a replay",
				cp.At.Format(time.RFC3339), cp.Size, prev.At.Format(time.RFC3339), prev.Size)}
		}
		if err := c.checkExtends(ctx, l.Log, prev, cp); err != nil {
			return "", err
		}
		if prev.Size != cp.Size {
			fmt.Fprintf(out, "%s: size %d -> %d, consistent\n", l.Log, prev.Size, cp.Size)
		}
	} else {
		fmt.Fprintf(out, "%s: first seen at size %d\n", l.Log, cp.Size)
	}
	// The other delegations' newest cosignatures must agree with this view.
	mine := false
	for _, co := range l.Cosigned {
		if co.Side == st.Side {
			t, _ := app.NoteText(co.Note)
			mine = t == n.Text
			continue
		}
		pv, err := note.NewVerifier(co.Key)
		if err != nil {
			return "", &TamperError{Log: l.Log, Reason: fmt.Sprintf("the witness key shown for %s is malformed", co.Side)}
		}
		if len(peers) > 0 {
			if known, ok := peers[pv.Name()]; !ok || known.KeyHash() != pv.KeyHash() {
				return "", &TamperError{Log: l.Log, Reason: fmt.Sprintf("the cosignature shown for %s is by key %s, not one of the peer keys this witness was given", co.Side, co.Key)}
			}
		} else if pinned, ok := st.Peers[co.Side]; ok && pinned != co.Key {
			return "", &TamperError{Log: l.Log, Reason: fmt.Sprintf("the witness key shown for %s changed from %q to %q", co.Side, pinned, co.Key)}
		}
		pn, err := note.Open([]byte(co.Note), note.VerifierList(server, pv))
		if err != nil || len(pn.Sigs) < 2 {
			return "", &TamperError{Log: l.Log, Reason: fmt.Sprintf("the cosignature shown for %s does not verify", co.Side)}
		}
		peer, err := app.ParseCheckpoint(pn.Text)
		if err != nil || peer.Origin != cp.Origin {
			return "", &TamperError{Log: l.Log, Reason: fmt.Sprintf("the cosignature shown for %s is not of this log", co.Side)}
		}
		older, newer := peer, cp
		if peer.Size > cp.Size {
			older, newer = cp, peer
		}
		if err := c.checkExtends(ctx, l.Log, older, newer); err != nil {
			var te *TamperError
			if errors.As(err, &te) {
				te.Reason = fmt.Sprintf("this witness's view (size %d) and %s's cosigned view (size %d) disagree: %s", cp.Size, co.Side, peer.Size, te.Reason)
			}
			return "", err
		}
		if _, ok := st.Peers[co.Side]; !ok {
			st.Peers[co.Side] = co.Key
		}
	}
	st.Logs[l.Log] = l.Checkpoint
	if mine {
		return "", nil
	}
	signed, err := note.Sign(n, signer)
	return string(signed), err
}

// GenerateKey makes a witness key pair and writes it to path (mode 0600,
// refusing to overwrite); it returns the verifier key to give the server.
func GenerateKey(path, name string) (string, error) {
	if _, err := os.Stat(path); err == nil {
		return "", fmt.Errorf("%s exists: a witness key is never overwritten", path)
	}
	_, vkey, _, err := app.LoadOrCreateLogKey(path, name)
	return vkey, err
}

// LoadKey reads a witness key file.
func LoadKey(path string) (skey, vkey string, err error) {
	if _, err := os.Stat(path); err != nil {
		return "", "", fmt.Errorf("witness key: %w (make one with: parley witness keygen --key %s --name NAME)", err, path)
	}
	skey, vkey, _, err = app.LoadOrCreateLogKey(path, "")
	return skey, vkey, err
}
