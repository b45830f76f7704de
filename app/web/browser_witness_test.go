package web

import (
	"crypto/rand"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/mod/sumdb/note"

	"github.com/parley/parley/app/witness"
)

// TestBrowserWitnessTokenAndCosignedRecord drives the audit logs' main flow:
// the Chinese head, in Chinese, makes a witness token for the delegation's
// witness from the account page and copies it; the witness runs and
// cosigns; the audit page then says the Chinese delegation cosigned the
// shared log, and the adopted item's page says which checkpoint holds its
// adoption and that CN cosigned it.
func TestBrowserWitnessTokenAndCosignedRecord(t *testing.T) {
	ts := newTestServer(t)
	window := windows(t, ts)
	skey, vkey, err := note.GenerateKey(rand.Reader, "cn-witness")
	if err != nil {
		t.Fatal(err)
	}
	cn := window("cn.head")
	openPage(t, cn, ts.http.URL+"/account", http.StatusOK)
	clickAndLoad(t, cn, `#witnesses a[href="/account/witnesses"]`)
	if text := pageText(t, cn); !strings.Contains(text, ts.svc.LogVerifierKey()) {
		t.Fatalf("the witnesses page should show the server's key:\n%s", text)
	}
	do(t, cn,
		chromedp.SendKeys(chromedp.CSS("#label"), "北京见证机"),
		chromedp.SetValue(chromedp.CSS("#key"), vkey),
	)
	clickAndLoad(t, cn, `#new-witness button[type=submit]`)
	token := runValue(t, cn, chromedp.Evaluate[string](`document.querySelector("#new-token").value`))
	if !strings.HasPrefix(token, "pwt_") {
		t.Fatalf("no token shown:\n%s", pageText(t, cn))
	}
	if html := pageHTML(t, cn); !strings.Contains(html, "北京见证机") || !strings.Contains(html, "cn-witness") {
		t.Fatal("the new token's row is not listed")
	}

	// The witness, on the delegation's machine, checks and cosigns.
	if _, err := ts.svc.SignCheckpoints(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := witness.Run(t.Context(), witness.Config{URL: ts.http.URL, Token: token, StateDir: t.TempDir(),
		SignerKey: skey, Out: io.Discard})
	if err != nil || res.Cosigned < 2 {
		t.Fatalf("witness run: %+v %v", res, err)
	}

	// The audit page: the shared log cosigned by CN, read by the US head.
	us := window("us.head")
	openPage(t, us, ts.http.URL+"/audit", http.StatusOK)
	if text := pageText(t, us); !strings.Contains(text, "CN") {
		t.Fatalf("the audit page should name the cosigning delegation:\n%s", text)
	}
	// The adopted item's page: its adoption in a checkpoint cosigned by CN.
	openPage(t, us, ts.http.URL+"/agenda/"+azItem(ts, "adopted").PublicID, http.StatusOK)
	mark := runValue(t, us, chromedp.Evaluate[string](`(function(){var m=document.querySelector(".log-mark");return m?m.dataset.log+"|"+m.dataset.checkpoint+"|"+m.dataset.cosigners:""})()`))
	if mark != "shared|1|CN" {
		t.Fatalf("the adopted item's log mark is %q, want shared|1|CN", mark)
	}
}
